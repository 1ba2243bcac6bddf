/* test_db.c — the db layer against a real MariaDB: binding and fetching,
 * error mapping, the statement cache, reconnects, transactions and their
 * retries, and the migrator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "db/db_conn.h"
#include "db/db_migrate.h"
#include "store_env.h"
#include "../unit/au_test.h"

static struct au_db *db, *db2;   /* db2: a second session, to interfere */
static struct au_arena *arena;

static const char sql_item_insert[] =
	"INSERT INTO t_item (id, name, n, data, created, parent) "
	"VALUES (?, ?, ?, ?, ?, ?)";

static int
suite_init(void)
{
	db = au_test_db_open_fresh();
	db2 = au_test_db_open();
	arena = au_arena_new();
	if (au_db_exec(db, "CREATE TABLE t_parent (id VARCHAR(36) NOT NULL "
	    "PRIMARY KEY) ENGINE=InnoDB", NULL, 0, NULL) != AU_OK)
		return -1;
	if (au_db_exec(db, "CREATE TABLE t_item ("
	    " id VARCHAR(36) NOT NULL PRIMARY KEY,"
	    " name VARCHAR(10) NULL,"
	    " n BIGINT NULL,"
	    " data MEDIUMBLOB NULL,"
	    " created DATETIME NULL,"
	    " parent VARCHAR(36) NULL,"
	    " FOREIGN KEY (parent) REFERENCES t_parent (id)"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
	    "COLLATE=utf8mb4_unicode_ci", NULL, 0, NULL) != AU_OK)
		return -1;
	return 0;
}

static int
suite_clean(void)
{
	au_arena_free(arena);
	au_test_db_close(db2);
	au_test_db_close(db);
	return 0;
}

static void
clear_items(void)
{
	CU_ASSERT_EQUAL_FATAL(au_db_exec(db, "DELETE FROM t_item", NULL, 0,
	    NULL), AU_OK);
	au_arena_reset(arena);
}

static int
insert_item(struct au_db *d, const char *id, const char *name)
{
	return au_db_exec(d, sql_item_insert, AU_DB_ARGS(AU_DB_STR(id),
	    AU_DB_STR(name), AU_DB_NULL, AU_DB_NULL, AU_DB_NULL, AU_DB_NULL),
	    NULL);
}

static long long
count_items(const char *id)
{
	char **row;
	long long n = -1;

	if (au_db_query_row(db, arena, "SELECT COUNT(*) FROM t_item WHERE "
	    "id = ?", AU_DB_ARGS(AU_DB_STR(id)), &row) == AU_OK)
		(void)au_str_to_ll(row[0], 0, 1000000, &n);
	return n;
}

static char *
query_one(struct au_db *d, const char *sql)
{
	char **row;

	if (au_db_query_row(d, arena, sql, NULL, 0, &row) != AU_OK)
		return NULL;
	return row[0];
}

/* ---- connection -------------------------------------------------- */

static void
test_open_failure(void)
{
	struct au_config cfg;
	struct au_db *sentinel = (struct au_db *)&cfg, *d = sentinel;
	char err[512] = "", path[] = "/tmp/au-pwXXXXXX";
	const char *pw = getenv("AU_TEST_DB_PASSWORD");
	FILE *f;
	int fd;

	au_config_defaults(&cfg);
	au_test_db_config(&cfg);
	free(cfg.db_password);
	cfg.db_password = strdup("certainly-wrong");
	CU_ASSERT_EQUAL(au_db_open(&cfg, &d, err, sizeof(err)), AU_EDB);
	CU_ASSERT_PTR_EQUAL(d, sentinel);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "Access denied"));
	CU_ASSERT_PTR_NULL(strstr(err, "certainly-wrong"));

	/* the password file wins over the password, first line only */
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "%s\nsecond line\n", pw != NULL ? pw : "");
	fclose(f);
	free(cfg.db_password_file);
	cfg.db_password_file = strdup(path);
	CU_ASSERT_EQUAL(au_config_resolve_password(&cfg, err, sizeof(err)), AU_OK);
	CU_ASSERT_STRING_EQUAL(cfg.db_password_file, "");
	CU_ASSERT_EQUAL(au_db_open(&cfg, &d, err, sizeof(err)), AU_OK);
	CU_ASSERT_PTR_NOT_EQUAL(d, sentinel);
	au_db_close(d);
	/* a missing file is an error naming it */
	free(cfg.db_password_file);
	cfg.db_password_file = strdup(path);
	unlink(path);
	CU_ASSERT_EQUAL(au_config_resolve_password(&cfg, err, sizeof(err)),
	    AU_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
	au_config_free(&cfg);
}

static void
test_session_settings(void)
{
	char *v;

	au_arena_reset(arena);
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT @@session.time_zone"),
	    "+00:00");
	v = query_one(db, "SELECT @@session.sql_mode");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "STRICT_ALL_TABLES"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "NO_ZERO_DATE"));
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT @@session.tx_isolation"),
	    "READ-COMMITTED");
	CU_ASSERT_STRING_EQUAL(query_one(db,
	    "SELECT @@session.character_set_client"), "utf8mb4");
	CU_ASSERT_EQUAL(au_db_ping(db), AU_OK);
}

/* ---- values ------------------------------------------------------ */

static void
test_round_trip(void)
{
	static const unsigned char blob[] = { 0x00, 0xff, 0x00, 'x', 0x00 };
	static const char emoji[] = "a\xf0\x9f\x98\x80z";   /* a😀z */
	struct au_dbres res;

	clear_items();
	CU_ASSERT_EQUAL(au_db_exec(db, sql_item_insert, AU_DB_ARGS(
	    AU_DB_STR("id-1"), AU_DB_STR(emoji), AU_DB_INT(-9000000000LL),
	    AU_DB_BLOB(blob, sizeof(blob)), AU_DB_STR("2024-02-29 13:14:15"),
	    AU_DB_NULL), NULL), AU_OK);
	CU_ASSERT_EQUAL(au_db_exec(db, sql_item_insert, AU_DB_ARGS(
	    AU_DB_STR("id-2"), AU_DB_STR(NULL), AU_DB_NULL, AU_DB_BLOB("", 0),
	    AU_DB_NULL, AU_DB_NULL), NULL), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_db_query(db, arena, "SELECT id, name, n, data, "
	    "created, parent, HEX(name) FROM t_item ORDER BY id", NULL, 0,
	    &res), AU_OK);
	CU_ASSERT_EQUAL_FATAL(res.nrows, 2);
	CU_ASSERT_EQUAL(res.ncols, 7);
	CU_ASSERT_STRING_EQUAL(res.rows[0][0], "id-1");
	CU_ASSERT_STRING_EQUAL(res.rows[0][1], emoji);
	CU_ASSERT_EQUAL(res.lens[0][1], strlen(emoji));
	CU_ASSERT_STRING_EQUAL(res.rows[0][6], "61F09F98807A");
	CU_ASSERT_STRING_EQUAL(res.rows[0][2], "-9000000000");
	CU_ASSERT_EQUAL(res.lens[0][3], sizeof(blob));
	CU_ASSERT(memcmp(res.rows[0][3], blob, sizeof(blob)) == 0);
	CU_ASSERT_EQUAL(res.rows[0][3][sizeof(blob)], '\0');
	CU_ASSERT_STRING_EQUAL(res.rows[0][4], "2024-02-29 13:14:15");
	CU_ASSERT_PTR_NULL(res.rows[0][5]);
	/* SQL NULL and the empty string stay apart */
	CU_ASSERT_PTR_NULL(res.rows[1][1]);
	CU_ASSERT_PTR_NULL(res.rows[1][2]);
	CU_ASSERT_PTR_NOT_NULL(res.rows[1][3]);
	CU_ASSERT_EQUAL(res.lens[1][3], 0);
	CU_ASSERT_STRING_EQUAL(res.rows[1][3], "");
}

static void
test_error_mapping(void)
{
	char bad_utf8[] = "ab\xff\xfe";

	clear_items();
	CU_ASSERT_EQUAL(insert_item(db, "dup", "x"), AU_OK);
	CU_ASSERT_EQUAL(insert_item(db, "dup", "y"), AU_EDUP);
	CU_ASSERT_EQUAL(au_db_errno(db), 1062);
	CU_ASSERT_EQUAL(insert_item(db, "long", "12345678901"), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_errno(db), 1406);
	/* ten 4-byte characters fit VARCHAR(10) */
	CU_ASSERT_EQUAL(insert_item(db, "emoji10", "\xf0\x9f\x98\x80\xf0\x9f"
	    "\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f"
	    "\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f"
	    "\x98\x80"), AU_OK);
	CU_ASSERT_EQUAL(insert_item(db, "badutf8", bad_utf8), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_errno(db), 1366);
	CU_ASSERT_EQUAL(au_db_exec(db, sql_item_insert, AU_DB_ARGS(
	    AU_DB_STR("fk"), AU_DB_NULL, AU_DB_NULL, AU_DB_NULL, AU_DB_NULL,
	    AU_DB_STR("no-such-parent")), NULL), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_errno(db), 1452);
	CU_ASSERT_EQUAL(au_db_exec(db, sql_item_insert, AU_DB_ARGS(
	    AU_DB_STR("date"), AU_DB_NULL, AU_DB_NULL, AU_DB_NULL,
	    AU_DB_STR("2024-13-45 00:00:00"), AU_DB_NULL), NULL), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_errno(db), 1292);
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO t_item (id) VALUES (?)",
	    AU_DB_ARGS(AU_DB_NULL), NULL), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_errno(db), 1048);
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO t_item (id, n) VALUES "
	    "(?, ?)", AU_DB_ARGS(AU_DB_STR("range"),
	    AU_DB_STR("99999999999999999999")), NULL), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_errno(db), 1264);
	/* a broken statement is the server's business, not the caller's */
	CU_ASSERT_EQUAL(au_db_exec(db, "SELECT * FROM no_such_table", NULL, 0,
	    NULL), AU_EDB);
	CU_ASSERT_EQUAL(au_db_errno(db), 1146);
	/* wrong number of values is a bug, caught before the server */
	CU_ASSERT_EQUAL(au_db_exec(db, "SELECT ?", NULL, 0, NULL),
	    AU_EINTERNAL);
	/* and the connection is still fine */
	CU_ASSERT_EQUAL(count_items("dup"), 1);
}

static void
test_query_row_and_affected(void)
{
	char **row = (char **)&row;
	unsigned long long n = 99;
	static const char consume[] =
	    "UPDATE t_item SET n = 1 WHERE id = ? AND n IS NULL";

	clear_items();
	CU_ASSERT_EQUAL(au_db_query_row(db, arena, "SELECT id FROM t_item "
	    "WHERE id = ?", AU_DB_ARGS(AU_DB_STR("none")), &row), AU_ENOTFOUND);
	CU_ASSERT_PTR_EQUAL(row, (char **)&row);   /* untouched */
	CU_ASSERT_EQUAL(insert_item(db, "a", "a"), AU_OK);
	CU_ASSERT_EQUAL(insert_item(db, "b", "b"), AU_OK);
	/* single use: the affected-row count picks the one winner */
	CU_ASSERT_EQUAL(au_db_exec(db, consume, AU_DB_ARGS(AU_DB_STR("a")),
	    &n), AU_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(au_db_exec(db2, consume, AU_DB_ARGS(AU_DB_STR("a")),
	    &n), AU_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(au_db_exec(db, "DELETE FROM t_item", NULL, 0, &n),
	    AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	/* a statement without a result set through au_db_query */
	{
		struct au_dbres res;

		CU_ASSERT_EQUAL(au_db_query(db, arena, "DELETE FROM t_item",
		    NULL, 0, &res), AU_OK);
		CU_ASSERT_EQUAL(res.nrows, 0);
		CU_ASSERT_EQUAL(res.ncols, 0);
	}
}

static void
test_large_and_typed_values(void)
{
	size_t big_len = 300000, i;
	unsigned char *big = malloc(big_len);
	struct au_dbres res;
	char **row;

	clear_items();
	for (i = 0; i < big_len; i++)
		big[i] = (unsigned char)(i * 7);   /* includes NULs */
	CU_ASSERT_EQUAL(au_db_exec(db, sql_item_insert, AU_DB_ARGS(
	    AU_DB_STR("big"), AU_DB_STR("s"), AU_DB_NULL,
	    AU_DB_BLOB(big, big_len), AU_DB_NULL, AU_DB_NULL), NULL), AU_OK);
	CU_ASSERT_EQUAL(insert_item(db, "small", "s"), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_db_query(db, arena, "SELECT id, data FROM "
	    "t_item ORDER BY id", NULL, 0, &res), AU_OK);
	CU_ASSERT_EQUAL_FATAL(res.nrows, 2);
	CU_ASSERT_EQUAL(res.lens[0][1], big_len);
	CU_ASSERT(memcmp(res.rows[0][1], big, big_len) == 0);
	CU_ASSERT_PTR_NULL(res.rows[1][1]);
	free(big);

	/* numbers, decimals and temporal values all arrive as text */
	CU_ASSERT_EQUAL_FATAL(au_db_query_row(db, arena, "SELECT ?, "
	    "CAST(12345678901234567 AS SIGNED), 1.50, -0.25e0, "
	    "CAST('2001-02-03 04:05:06' AS DATETIME), DATE('2001-02-03'), "
	    "CAST('2001-02-03 04:05:06.789' AS DATETIME(3)), ?, REPEAT('x', "
	    "70000)", AU_DB_ARGS(AU_DB_INT(42), AU_DB_INT(-9223372036854775807LL
	    - 1)), &row), AU_OK);
	CU_ASSERT_STRING_EQUAL(row[0], "42");
	CU_ASSERT_STRING_EQUAL(row[1], "12345678901234567");
	CU_ASSERT_STRING_EQUAL(row[2], "1.50");
	CU_ASSERT_STRING_EQUAL(row[3], "-0.25");
	CU_ASSERT_STRING_EQUAL(row[4], "2001-02-03 04:05:06");
	CU_ASSERT_STRING_EQUAL(row[5], "2001-02-03");
	CU_ASSERT_STRING_EQUAL(row[6], "2001-02-03 04:05:06.789");
	CU_ASSERT_STRING_EQUAL(row[7], "-9223372036854775808");
	CU_ASSERT_EQUAL(strlen(row[8]), 70000);
}

/* ---- statement cache --------------------------------------------- */

static void
test_stmt_cache(void)
{
	static char texts[300][32];
	char buf[32], **row;
	int i, ok = 1;

	au_arena_reset(arena);
	for (i = 0; i < 300; i++) {
		snprintf(texts[i], sizeof(texts[i]), "SELECT %d", i);
		if (au_db_query_row(db, arena, texts[i], NULL, 0, &row) !=
		    AU_OK || atoi(row[0]) != i)
			ok = 0;
	}
	CU_ASSERT(ok);
	CU_ASSERT(au_db_stmt_cached(db) <= 256);
	CU_ASSERT(au_db_stmt_cached(db) >= 200);
	/* the least recently used went first; all still run */
	for (i = 0; i < 300; i += 7)
		if (au_db_query_row(db, arena, texts[i], NULL, 0, &row) !=
		    AU_OK || atoi(row[0]) != i)
			ok = 0;
	CU_ASSERT(ok);
	CU_ASSERT(au_db_stmt_cached(db) <= 256);
	/* one buffer, two texts: the text is checked, not only the address */
	strcpy(buf, "SELECT 'first'");
	CU_ASSERT_STRING_EQUAL(query_one(db, buf), "first");
	strcpy(buf, "SELECT 'other'");
	CU_ASSERT_STRING_EQUAL(query_one(db, buf), "other");
}

/* A table whose shape changes under a cached statement. */
static void
test_stmt_after_alter(void)
{
	static const char sel[] = "SELECT * FROM t_shape";
	struct au_dbres res;

	au_arena_reset(arena);
	CU_ASSERT_EQUAL(au_db_exec(db, "CREATE TABLE t_shape (a INT PRIMARY "
	    "KEY) ENGINE=InnoDB", NULL, 0, NULL), AU_OK);
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO t_shape VALUES (1)", NULL,
	    0, NULL), AU_OK);
	CU_ASSERT_EQUAL(au_db_query(db, arena, sel, NULL, 0, &res), AU_OK);
	CU_ASSERT_EQUAL(res.ncols, 1);
	CU_ASSERT_EQUAL(au_db_exec(db2, "ALTER TABLE t_shape ADD b INT NULL",
	    NULL, 0, NULL), AU_OK);
	CU_ASSERT_EQUAL(au_db_query(db, arena, sel, NULL, 0, &res), AU_OK);
	CU_ASSERT_EQUAL(res.ncols, 2);
	CU_ASSERT_EQUAL(au_db_exec(db, "DROP TABLE t_shape", NULL, 0, NULL),
	    AU_OK);
}

/* ---- reconnect ---------------------------------------------------- */

static int
kill_session(struct au_db *victim)
{
	char **row;
	long long id;

	if (au_db_query_row(victim, arena, "SELECT CONNECTION_ID()", NULL, 0,
	    &row) != AU_OK || au_str_to_ll(row[0], 1, 1LL << 62, &id) != AU_OK)
		return AU_EINTERNAL;
	return au_db_exec(db2, "KILL ?", AU_DB_ARGS(AU_DB_INT(id)), NULL);
}

static void
test_reconnect(void)
{
	char *before, *after;

	au_arena_reset(arena);
	before = query_one(db, "SELECT CONNECTION_ID()");
	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	CU_ASSERT_EQUAL_FATAL(kill_session(db), AU_OK);
	/* the cached statement dies with the connection and is redone */
	after = query_one(db, "SELECT CONNECTION_ID()");
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	CU_ASSERT_STRING_NOT_EQUAL(before, after);
	CU_ASSERT(au_db_errno(db) == 2006 || au_db_errno(db) == 2013 ||
	    au_db_errno(db) == 1927);
	/* session settings are redone too */
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT @@session.time_zone"),
	    "+00:00");
	/* ping notices and reconnects */
	CU_ASSERT_EQUAL_FATAL(kill_session(db), AU_OK);
	CU_ASSERT_EQUAL(au_db_ping(db), AU_OK);
	CU_ASSERT_PTR_NOT_NULL(query_one(db, "SELECT 1"));
}

/* ---- scripts ------------------------------------------------------ */

static void
test_exec_script(void)
{
	static const char ok[] = "CREATE TABLE t_script (a INT PRIMARY KEY);"
	    "INSERT INTO t_script VALUES (1), (2);\n"
	    "SELECT * FROM t_script;  -- a result set is drained\n"
	    "DROP TABLE t_script;";
	static const char bad[] = "SELECT 1; SELECT * FROM t_nowhere; "
	    "CREATE TABLE t_never (a INT PRIMARY KEY)";
	char err[512] = "";

	au_arena_reset(arena);
	CU_ASSERT_EQUAL(au_db_exec_script(db, ok, strlen(ok), err,
	    sizeof(err)), AU_OK);
	CU_ASSERT_EQUAL(au_db_exec_script(db, bad, strlen(bad), err,
	    sizeof(err)), AU_EDB);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "statement 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "1146"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t_nowhere"));
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT COUNT(*) FROM "
	    "information_schema.tables WHERE table_schema = DATABASE() AND "
	    "table_name = 't_never'"), "0");
	/* multi-statement mode is off again for ordinary use */
	CU_ASSERT_EQUAL(au_db_exec(db, "SELECT 1; SELECT 2", NULL, 0, NULL),
	    AU_EDB);
}

/* ---- transactions -------------------------------------------------- */

struct txcase {
	int calls;
	int fail_first;    /* how the first attempt(s) go wrong */
	int fail_until;    /* attempts 1..fail_until fail */
	int result;        /* what fn returns on success paths */
	const char *id;
};

enum { FAIL_NONE, FAIL_SIMULATED, FAIL_LOCK_WAIT, FAIL_KILLED,
    FAIL_SWALLOWED };

static int
tx_insert(struct au_db *d, void *arg)
{
	struct txcase *t = arg;
	int rc;

	t->calls++;
	if ((rc = insert_item(d, t->id, "tx")) != AU_OK)
		return rc;
	if (t->calls > t->fail_until)
		return t->result;
	switch (t->fail_first) {
	case FAIL_SIMULATED:
		return AU_DB_ERETRY;
	case FAIL_LOCK_WAIT:
		/* db2 holds the row; wait times out after 1 s */
		rc = au_db_exec(d, "UPDATE t_item SET n = 5 WHERE id = 'held'",
		    NULL, 0, NULL);
		CU_ASSERT_EQUAL(rc, AU_DB_ERETRY);
		CU_ASSERT_EQUAL(au_db_errno(d), 1205);
		CU_ASSERT_EQUAL(au_db_exec(db2, "ROLLBACK", NULL, 0, NULL),
		    AU_OK);
		return AU_EDB;   /* any code: the retry is decided below */
	case FAIL_KILLED:
	case FAIL_SWALLOWED:
		CU_ASSERT_EQUAL(kill_session(d), AU_OK);
		rc = au_db_exec(d, "SELECT 1", NULL, 0, NULL);
		CU_ASSERT_EQUAL(rc, AU_DB_ERETRY);
		/* no silent reconnect inside the transaction */
		CU_ASSERT_EQUAL(au_db_exec(d, "SELECT 2", NULL, 0, NULL),
		    AU_DB_ERETRY);
		return t->fail_first == FAIL_SWALLOWED ? AU_OK : rc;
	}
	return t->result;
}

static void
test_tx_commit_rollback(void)
{
	struct txcase t = { 0, FAIL_NONE, 0, AU_OK, "c1" };

	clear_items();
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_OK);
	CU_ASSERT_EQUAL(t.calls, 1);
	CU_ASSERT_EQUAL(count_items("c1"), 1);
	t = (struct txcase){ 0, FAIL_NONE, 0, AU_EINVAL, "r1" };
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_EINVAL);
	CU_ASSERT_EQUAL(t.calls, 1);
	CU_ASSERT_EQUAL(count_items("r1"), 0);
	/* a duplicate inside the transaction is fn's to handle */
	t = (struct txcase){ 0, FAIL_NONE, 0, AU_OK, "c1" };
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_EDUP);
	CU_ASSERT_EQUAL(t.calls, 1);
	CU_ASSERT_EQUAL(au_db_in_tx(db), 0);
}

static int
tx_outer(struct au_db *d, void *arg)
{
	struct txcase *inner = arg;
	int rc;

	if ((rc = insert_item(d, "outer", "o")) != AU_OK)
		return rc;
	return au_db_tx(d, tx_insert, inner);   /* runs inside this one */
}

static void
test_tx_nested(void)
{
	struct txcase inner = { 0, FAIL_NONE, 0, AU_OK, "inner" };

	clear_items();
	CU_ASSERT_EQUAL(au_db_tx(db, tx_outer, &inner), AU_OK);
	CU_ASSERT_EQUAL(count_items("outer"), 1);
	CU_ASSERT_EQUAL(count_items("inner"), 1);
	clear_items();
	inner = (struct txcase){ 0, FAIL_NONE, 0, AU_ENOTFOUND, "inner" };
	CU_ASSERT_EQUAL(au_db_tx(db, tx_outer, &inner), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(count_items("outer"), 0);   /* all rolled back */
	CU_ASSERT_EQUAL(count_items("inner"), 0);
}

static void
test_tx_retry_simulated(void)
{
	struct txcase t = { 0, FAIL_SIMULATED, 1, AU_OK, "s1" };

	clear_items();
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_OK);
	CU_ASSERT_EQUAL(t.calls, 2);
	CU_ASSERT_EQUAL(count_items("s1"), 1);   /* first try rolled back */
	t = (struct txcase){ 0, FAIL_SIMULATED, 100, AU_OK, "s2" };
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_ECONFLICT);
	CU_ASSERT_EQUAL(t.calls, 5);
	CU_ASSERT_EQUAL(count_items("s2"), 0);
}

static void
test_tx_retry_lock_wait(void)
{
	struct txcase t = { 0, FAIL_LOCK_WAIT, 1, AU_OK, "w1" };

	clear_items();
	CU_ASSERT_EQUAL(insert_item(db, "held", "h"), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_db_exec(db, "SET SESSION "
	    "innodb_lock_wait_timeout = 1", NULL, 0, NULL), AU_OK);
	/* outside a transaction the timeout is a plain conflict */
	CU_ASSERT_EQUAL(au_db_exec(db2, "START TRANSACTION", NULL, 0, NULL),
	    AU_OK);
	CU_ASSERT_EQUAL(au_db_exec(db2, "UPDATE t_item SET n = 1 WHERE id = "
	    "'held'", NULL, 0, NULL), AU_OK);
	CU_ASSERT_EQUAL(au_db_exec(db, "UPDATE t_item SET n = 2 WHERE id = "
	    "'held'", NULL, 0, NULL), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_db_errno(db), 1205);
	/* inside, the whole transaction is run again */
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_OK);
	CU_ASSERT_EQUAL(t.calls, 2);
	CU_ASSERT_EQUAL(count_items("w1"), 1);
	CU_ASSERT_EQUAL(au_db_exec(db, "SET SESSION innodb_lock_wait_timeout "
	    "= DEFAULT", NULL, 0, NULL), AU_OK);
}

static void
test_tx_retry_lost_connection(void)
{
	struct txcase t = { 0, FAIL_KILLED, 1, AU_OK, "k1" };

	clear_items();
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_OK);
	CU_ASSERT_EQUAL(t.calls, 2);
	CU_ASSERT_EQUAL(count_items("k1"), 1);
	/* fn ignoring the failure must not commit the remains */
	t = (struct txcase){ 0, FAIL_SWALLOWED, 1, AU_OK, "k2" };
	CU_ASSERT_EQUAL(au_db_tx(db, tx_insert, &t), AU_OK);
	CU_ASSERT_EQUAL(t.calls, 2);
	CU_ASSERT_EQUAL(count_items("k2"), 1);
}

/* A real deadlock: a child process takes row dB, then waits for dA,
 * which our transaction holds; our request for dB closes the cycle.  The
 * child has written many rows, so InnoDB rolls back ours (the lighter
 * one), au_db_tx runs it again, and it succeeds once the child commits. */
static int child_go[2];

static void
deadlock_child(void)
{
	struct au_db *c = au_test_db_open();
	char ch;
	int i, ok = 1;
	char id[32];

	ok = read(child_go[0], &ch, 1) == 1;
	ok = ok && au_db_exec(c, "SET SESSION innodb_lock_wait_timeout = 10",
	    NULL, 0, NULL) == AU_OK;
	ok = ok && au_db_exec(c, "START TRANSACTION", NULL, 0, NULL) == AU_OK;
	for (i = 0; ok && i < 50; i++) {
		snprintf(id, sizeof(id), "heavy-%d", i);
		ok = insert_item(c, id, "h") == AU_OK;
	}
	ok = ok && au_db_exec(c, "UPDATE t_item SET name = 'child' WHERE "
	    "id = 'dB'", NULL, 0, NULL) == AU_OK;
	ok = ok && au_db_exec(c, "UPDATE t_item SET name = 'child' WHERE "
	    "id = 'dA'", NULL, 0, NULL) == AU_OK;
	ok = ok && au_db_exec(c, "COMMIT", NULL, 0, NULL) == AU_OK;
	au_test_db_close(c);
	_exit(ok ? 0 : 1);
}

/* Waits (up to 5 s) until the child's request for dA is blocked. */
static int
wait_for_child_lock(void)
{
	struct timespec pause = { 0, 20 * 1000000L };
	char *n;
	int i;

	for (i = 0; i < 250; i++) {
		n = query_one(db2, "SELECT COUNT(*) FROM "
		    "information_schema.processlist WHERE info LIKE "
		    "'UPDATE t_item SET name = ''child'' WHERE id = ''dA''%'");
		if (n != NULL && strcmp(n, "1") == 0) {
			nanosleep(&pause, NULL);   /* into the lock wait */
			return 1;
		}
		nanosleep(&pause, NULL);
	}
	return 0;
}

static int
tx_deadlock(struct au_db *d, void *arg)
{
	int *calls = arg, rc;

	(*calls)++;
	rc = au_db_exec(d, "UPDATE t_item SET name = 'parent' WHERE id = 'dA'",
	    NULL, 0, NULL);
	if (rc != AU_OK)
		return rc;
	if (*calls == 1) {
		CU_ASSERT_EQUAL(write(child_go[1], "g", 1), 1);
		CU_ASSERT(wait_for_child_lock());
	}
	rc = au_db_exec(d, "UPDATE t_item SET name = 'parent' WHERE id = 'dB'",
	    NULL, 0, NULL);
	if (*calls == 1) {
		CU_ASSERT_EQUAL(rc, AU_DB_ERETRY);
		CU_ASSERT_EQUAL(au_db_errno(d), 1213);
	}
	return rc;
}

static void
test_tx_retry_deadlock(void)
{
	int calls = 0, status = -1;
	pid_t pid;

	clear_items();
	CU_ASSERT_EQUAL(insert_item(db, "dA", "a"), AU_OK);
	CU_ASSERT_EQUAL(insert_item(db, "dB", "b"), AU_OK);
	CU_ASSERT_EQUAL_FATAL(pipe(child_go), 0);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		deadlock_child();
	CU_ASSERT_EQUAL(au_db_tx(db, tx_deadlock, &calls), AU_OK);
	CU_ASSERT_EQUAL(calls, 2);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(child_go[0]);
	close(child_go[1]);
	/* the child committed first, our retry last */
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT GROUP_CONCAT(name ORDER "
	    "BY id) FROM t_item WHERE id IN ('dA', 'dB')"), "parent,parent");
	CU_ASSERT_EQUAL(count_items("heavy-49"), 1);
}

/* ---- migrations ---------------------------------------------------- */

static char mdir[] = "/tmp/au-migXXXXXX";

static void
put_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void
rm_file(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	unlink(path);
}

static void
test_migrate(void)
{
	char err[1024] = "";
	int applied = -1, v = -1;

	au_arena_reset(arena);
	CU_ASSERT_EQUAL_FATAL(au_test_db_reset(db), AU_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(mdir));
	CU_ASSERT_EQUAL(au_db_schema_version(db, &v), AU_OK);
	CU_ASSERT_EQUAL(v, 0);
	put_file("0002_b.sql", "-- second\nCREATE TABLE m_b (id INT PRIMARY "
	    "KEY, a INT NOT NULL, FOREIGN KEY (a) REFERENCES m_a (id)) "
	    "ENGINE=InnoDB;\nINSERT INTO m_b VALUES (1, 1);\n");
	put_file("0001_a.sql", "CREATE TABLE m_a (id INT PRIMARY KEY) "
	    "ENGINE=InnoDB;\nINSERT INTO m_a VALUES (1), (2);\n");
	put_file("README", "not a migration");
	put_file("12_short.sql", "this is not SQL");
	put_file("0003_x.sql~", "this is not SQL either");
	CU_ASSERT_EQUAL(au_db_migrations_latest(mdir, &v), AU_OK);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_EQUAL(au_db_migrate(db, mdir, &applied, err, sizeof(err)),
	    AU_OK);
	CU_ASSERT_EQUAL(applied, 2);
	CU_ASSERT_EQUAL(au_db_schema_version(db, &v), AU_OK);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT COUNT(*) FROM m_b"), "1");
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT GROUP_CONCAT(name ORDER "
	    "BY version) FROM schema_migrations"), "0001_a.sql,0002_b.sql");
	/* rerun: nothing to do */
	CU_ASSERT_EQUAL(au_db_migrate(db, mdir, &applied, err, sizeof(err)),
	    AU_OK);
	CU_ASSERT_EQUAL(applied, 0);
}

/* Runs after test_migrate, on its directory and database. */
static void
test_migrate_failures(void)
{
	char err[1024] = "";
	int applied, v = -1;

	au_arena_reset(arena);
	/* a failing file: named, with the server's message; stops there */
	put_file("0003_bad.sql", "CREATE TABLE m_c (id INT PRIMARY KEY);\n"
	    "INSERT INTO m_nowhere VALUES (1);\n"
	    "CREATE TABLE m_d (id INT PRIMARY KEY);\n");
	put_file("0004_after.sql", "CREATE TABLE m_e (id INT PRIMARY KEY);");
	applied = -1;
	CU_ASSERT_EQUAL(au_db_migrate(db, mdir, &applied, err, sizeof(err)),
	    AU_EDB);
	CU_ASSERT_EQUAL(applied, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "0003_bad.sql"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "m_nowhere"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "doesn't exist"));
	CU_ASSERT_EQUAL(au_db_schema_version(db, &v), AU_OK);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_STRING_EQUAL(query_one(db, "SELECT COUNT(*) FROM "
	    "information_schema.tables WHERE table_schema = DATABASE() AND "
	    "table_name IN ('m_d', 'm_e')"), "0");
	/* fixed by the operator: the rest applies, and an empty
	 * (comment-only) file is fine */
	put_file("0003_bad.sql", "CREATE TABLE IF NOT EXISTS m_c (id INT "
	    "PRIMARY KEY);\nCREATE TABLE m_d (id INT PRIMARY KEY);\n");
	put_file("0005_empty.sql", "-- nothing yet\n");
	CU_ASSERT_EQUAL(au_db_migrate(db, mdir, &applied, err, sizeof(err)),
	    AU_OK);
	CU_ASSERT_EQUAL(applied, 3);
	CU_ASSERT_EQUAL(au_db_schema_version(db, &v), AU_OK);
	CU_ASSERT_EQUAL(v, 5);

	/* a newer schema than this binary knows */
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO schema_migrations "
	    "(version, name) VALUES (99, '0099_future.sql')", NULL, 0, NULL),
	    AU_OK);
	CU_ASSERT_EQUAL(au_db_migrate(db, mdir, &applied, err, sizeof(err)),
	    AU_ECONFLICT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "99"));
	CU_ASSERT_EQUAL(au_db_exec(db, "DELETE FROM schema_migrations WHERE "
	    "version = 99", NULL, 0, NULL), AU_OK);

	/* two files, one version */
	put_file("0006_x.sql", "SELECT 1;");
	put_file("00006_y.sql", "SELECT 1;");
	CU_ASSERT_EQUAL(au_db_migrate(db, mdir, &applied, err, sizeof(err)),
	    AU_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "0006_x.sql"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "00006_y.sql"));

	CU_ASSERT_EQUAL(au_db_migrate(db, "/nonexistent/dir", &applied, err,
	    sizeof(err)), AU_EIO);

	rm_file("0001_a.sql"); rm_file("0002_b.sql"); rm_file("0003_bad.sql");
	rm_file("0004_after.sql"); rm_file("0005_empty.sql");
	rm_file("0006_x.sql"); rm_file("00006_y.sql"); rm_file("README");
	rm_file("12_short.sql"); rm_file("0003_x.sql~");
	CU_ASSERT_EQUAL(rmdir(mdir), 0);
}

/* The project's own migrations apply to an empty database, and again to
 * nothing. */
static void
test_real_migrations(void)
{
	const char *dir = au_test_db_migrations();
	char err[1024] = "";
	int applied, v, latest;

	if (dir == NULL) {
		fprintf(stderr, "(no AU_TEST_MIGRATIONS files) ");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(au_test_db_reset(db), AU_OK);
	CU_ASSERT_EQUAL(au_db_migrate(db, dir, &applied, err, sizeof(err)),
	    AU_OK);
	if (err[0] != '\0')
		fprintf(stderr, "%s\n", err);
	CU_ASSERT(applied >= 1);
	CU_ASSERT_EQUAL(au_db_migrations_latest(dir, &latest), AU_OK);
	CU_ASSERT_EQUAL(au_db_schema_version(db, &v), AU_OK);
	CU_ASSERT_EQUAL(v, latest);
	CU_ASSERT_EQUAL(au_db_migrate(db, dir, &applied, err, sizeof(err)),
	    AU_OK);
	CU_ASSERT_EQUAL(applied, 0);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("db_conn", suite_init, suite_clean,
	    AU_T(test_open_failure),
	    AU_T(test_session_settings),
	    AU_T(test_round_trip),
	    AU_T(test_error_mapping),
	    AU_T(test_query_row_and_affected),
	    AU_T(test_large_and_typed_values),
	    AU_T(test_stmt_cache),
	    AU_T(test_stmt_after_alter),
	    AU_T(test_reconnect),
	    AU_T(test_exec_script),
	    AU_T(test_tx_commit_rollback),
	    AU_T(test_tx_nested),
	    AU_T(test_tx_retry_simulated),
	    AU_T(test_tx_retry_lock_wait),
	    AU_T(test_tx_retry_lost_connection),
	    AU_T(test_tx_retry_deadlock),
	    AU_T(test_migrate),
	    AU_T(test_migrate_failures),
	    AU_T(test_real_migrations));
}

AU_TEST_MAIN(register_tests)
