/* db_conn.c — a MariaDB connection with a prepared-statement cache.
 *
 * Every statement goes through the binary protocol: SQL text is prepared
 * once per connection and cached under its address (store functions pass
 * string literals), with the text compared on every hit so a reused buffer
 * can never run the wrong statement.  The cache keeps at most STMT_MAX
 * statements and closes the least recently used one on overflow.
 *
 * Results are copied into the caller's arena as NUL-terminated strings;
 * the bind buffers are sized from max_length (STMT_ATTR_UPDATE_MAX_LENGTH)
 * and a column that still does not fit is fetched again with
 * mysql_stmt_fetch_column, so nothing is ever silently truncated.
 *
 * A lost connection closes every cached statement.  Outside a transaction
 * the statement is retried once on a fresh connection; inside one the
 * connection is not reopened (that would silently run the rest of the
 * transaction in autocommit mode) and AU_DB_ERETRY tells au_db_tx() to
 * start over.  After such a failure every further statement of the same
 * transaction fails fast for the same reason. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <openssl/crypto.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "db/db_conn.h"

#define STMT_MAX 256
#define STMT_BUCKETS 512 /* a power of two */
#define IO_TIMEOUT 30    /* seconds, read and write */

/* MySQL 8's "client inactivity timeout" error; MariaDB numbers it
 * differently but a proxy in front of either may send it. */
#define ER_CLIENT_INACTIVITY_TIMEOUT 4031

/* Internal outcomes of one attempt, turned into AU_* by db_run(). */
enum { DB_LOST = -1001, DB_STALE = -1002 };

struct stmt_ent {
	struct stmt_ent *next;   /* hash chain */
	const char *key;         /* the caller's SQL pointer */
	char *sql;               /* our copy, compared on every hit */
	MYSQL_STMT *st;
	unsigned long long used; /* LRU clock value of the last use */
};

struct au_db {
	MYSQL *my;               /* NULL while disconnected */
	char *host, *user, *pass, *name, *sock;
	unsigned port, timeout;
	struct stmt_ent *bucket[STMT_BUCKETS];
	int nstmt;
	unsigned long long clock;
	int in_tx;               /* inside au_db_tx: no silent reconnects */
	int retry;               /* a statement of this tx asked for a retry */
	unsigned last_errno;
	char last_error[MYSQL_ERRMSG_SIZE];
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL) {
		fputs("authio: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xcalloc(n, 1);

	memcpy(p, s, n);
	return p;
}

/* ---- error classification ---------------------------------------- */

static int
is_lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == ER_CLIENT_INACTIVITY_TIMEOUT || e == ER_CONNECTION_KILLED;
}

int
au_db_error_status(unsigned e, int in_tx)
{
	switch (e) {
	case 0:
		return AU_OK;
	case ER_DUP_ENTRY:
		return AU_EDUP;
	case ER_BAD_NULL_ERROR:                 /* 1048 */
	case ER_WARN_DATA_OUT_OF_RANGE:         /* 1264 */
	case WARN_DATA_TRUNCATED:               /* 1265, e.g. a bad ENUM */
	case ER_TRUNCATED_WRONG_VALUE:          /* 1292 */
	case ER_INVALID_CHARACTER_STRING:       /* 1300 */
	case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: /* 1366 */
	case ER_DATA_TOO_LONG:                  /* 1406 */
	case ER_ROW_IS_REFERENCED_2:            /* 1451 */
	case ER_NO_REFERENCED_ROW_2:            /* 1452 */
	case ER_CONSTRAINT_FAILED:              /* 4025, CHECK */
		return AU_EINVAL;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return in_tx ? AU_DB_ERETRY : AU_ECONFLICT;
	default:
		if (is_lost(e))
			return in_tx ? AU_DB_ERETRY : AU_EDB;
		return AU_EDB;
	}
}

/* Remembers a failure and says what to do about it: DB_LOST and DB_STALE
 * for db_run() to handle, otherwise the final status. */
static int
db_note(struct au_db *db, unsigned e, const char *msg)
{
	db->last_errno = e;
	snprintf(db->last_error, sizeof(db->last_error), "%s",
	    msg != NULL ? msg : "");
	if (e == 0)
		return AU_EDB;   /* a failure without a number: still a failure */
	if (is_lost(e))
		return DB_LOST;
	if (e == CR_NEW_STMT_METADATA)
		return DB_STALE;
	return au_db_error_status(e, db->in_tx);
}

static int
stmt_fail(struct au_db *db, MYSQL_STMT *st)
{
	return db_note(db, mysql_stmt_errno(st), mysql_stmt_error(st));
}

static int
conn_fail(struct au_db *db)
{
	return db_note(db, mysql_errno(db->my), mysql_error(db->my));
}

/* ---- statement cache --------------------------------------------- */

static unsigned
stmt_hash(const char *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL;

	return (unsigned)(h >> 40) & (STMT_BUCKETS - 1);
}

static void
stmt_unlink(struct au_db *db, struct stmt_ent *e)
{
	struct stmt_ent **pp = &db->bucket[stmt_hash(e->key)];

	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	mysql_stmt_close(e->st);
	free(e->sql);
	free(e);
	db->nstmt--;
}

static void
stmt_evict_lru(struct au_db *db)
{
	struct stmt_ent *e, *old = NULL;
	int i;

	for (i = 0; i < STMT_BUCKETS; i++)
		for (e = db->bucket[i]; e != NULL; e = e->next)
			if (old == NULL || e->used < old->used)
				old = e;
	if (old != NULL)
		stmt_unlink(db, old);
}

static void
stmt_drop(struct au_db *db, const char *sql)
{
	struct stmt_ent *e;

	for (e = db->bucket[stmt_hash(sql)]; e != NULL; e = e->next)
		if (e->key == sql && strcmp(e->sql, sql) == 0) {
			stmt_unlink(db, e);
			return;
		}
}

static void
stmt_close_all(struct au_db *db)
{
	int i;

	for (i = 0; i < STMT_BUCKETS; i++)
		while (db->bucket[i] != NULL)
			stmt_unlink(db, db->bucket[i]);
}

/* The prepared statement for sql, preparing and caching it on a miss. */
static int
stmt_get(struct au_db *db, const char *sql, MYSQL_STMT **out)
{
	unsigned h = stmt_hash(sql);
	struct stmt_ent *e;
	MYSQL_STMT *st;
	my_bool on = 1;
	int rc;

	for (e = db->bucket[h]; e != NULL; e = e->next)
		if (e->key == sql && strcmp(e->sql, sql) == 0) {
			e->used = ++db->clock;
			*out = e->st;
			return AU_OK;
		}
	if (db->nstmt >= STMT_MAX)
		stmt_evict_lru(db);
	if ((st = mysql_stmt_init(db->my)) == NULL)
		return conn_fail(db);
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
		rc = stmt_fail(db, st);
		mysql_stmt_close(st);
		return rc;
	}
	e = xcalloc(1, sizeof(*e));
	e->key = sql;
	e->sql = xstrdup(sql);
	e->st = st;
	e->used = ++db->clock;
	e->next = db->bucket[h];
	db->bucket[h] = e;
	db->nstmt++;
	*out = st;
	return AU_OK;
}

int
au_db_stmt_cached(const struct au_db *db)
{
	return db->nstmt;
}

/* ---- connection -------------------------------------------------- */

static void
db_disconnect(struct au_db *db)
{
	stmt_close_all(db);
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
}

/* Session settings every connection needs before its first statement:
 * UTC so DATETIME means one thing on every host, strict mode so bad values
 * are errors instead of warnings, and READ COMMITTED so a conditional
 * UPDATE sees the latest committed row. */
static const char *const session_sql[] = {
	"SET time_zone = '+00:00'",
	"SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
	"NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
	"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
};

static int
db_session_setup(MYSQL *m, char *err, size_t errlen)
{
	MYSQL_STMT *st;
	size_t i;
	int bad;

	for (i = 0; i < sizeof(session_sql) / sizeof(session_sql[0]); i++) {
		if ((st = mysql_stmt_init(m)) == NULL) {
			snprintf(err, errlen, "%s", mysql_error(m));
			return AU_EDB;
		}
		bad = mysql_stmt_prepare(st, session_sql[i],
		    (unsigned long)strlen(session_sql[i])) != 0 ||
		    mysql_stmt_execute(st) != 0;
		if (bad)
			snprintf(err, errlen, "%s: %s", session_sql[i],
			    mysql_stmt_error(st));
		mysql_stmt_close(st);
		if (bad)
			return AU_EDB;
	}
	return AU_OK;
}

/* Opens db->my from the saved settings.  On failure db->my stays NULL and
 * err holds the client library's message (never the password). */
static int
db_connect(struct au_db *db, char *err, size_t errlen)
{
	unsigned ct = db->timeout, io = IO_TIMEOUT, zero = 0;
	my_bool no = 0;
	int tcp = db->host[0] != '\0';
	MYSQL *m;

	if ((m = mysql_init(NULL)) == NULL) {
		snprintf(err, errlen, "mysql_init failed");
		return AU_EDB;
	}
	mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &io);
	mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &io);
	mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &zero);
	/* an automatic reconnect would drop the session settings and every
	 * prepared statement behind our back: reconnects are ours */
	mysql_optionsv(m, MYSQL_OPT_RECONNECT, &no);
	/* the socket also serves host = "localhost", which the client
	 * library takes to mean its unix socket */
	if (mysql_real_connect(m, tcp ? db->host : "localhost", db->user,
	    db->pass, db->name, tcp ? db->port : 0,
	    db->sock[0] != '\0' ? db->sock : NULL,
	    CLIENT_MULTI_RESULTS) == NULL) {
		db->last_errno = mysql_errno(m);
		snprintf(err, errlen, "cannot connect to %s: %s",
		    tcp ? db->host : db->sock, mysql_error(m));
		mysql_close(m);
		return AU_EDB;
	}
	if (db_session_setup(m, err, errlen) != AU_OK) {
		db->last_errno = mysql_errno(m);
		mysql_close(m);
		return AU_EDB;
	}
	db->my = m;
	return AU_OK;
}

/* A connection to run a statement on.  Inside a transaction a lost
 * connection is not reopened: the transaction is gone with it. */
static int
db_ensure(struct au_db *db)
{
	char err[sizeof(db->last_error)];

	if (db->my != NULL)
		return AU_OK;
	if (db->in_tx) {
		(void)db_note(db, CR_SERVER_GONE_ERROR,
		    "connection lost earlier in this transaction");
		return DB_LOST;
	}
	if (db_connect(db, err, sizeof(err)) != AU_OK) {
		snprintf(db->last_error, sizeof(db->last_error), "%s", err);
		return AU_EDB;   /* logged by the caller */
	}
	return AU_OK;
}

static void
db_free(struct au_db *db)
{
	db_disconnect(db);
	if (db->pass != NULL)
		OPENSSL_cleanse(db->pass, strlen(db->pass));
	free(db->host);
	free(db->user);
	free(db->pass);
	free(db->name);
	free(db->sock);
	free(db);
}

int
au_db_open(const struct au_config *cfg, struct au_db **out, char *err,
    size_t errlen)
{
	struct au_db *db = xcalloc(1, sizeof(*db));

	db->host = xstrdup(cfg->db_host != NULL ? cfg->db_host : "");
	db->user = xstrdup(cfg->db_user != NULL ? cfg->db_user : "");
	db->name = xstrdup(cfg->db_name != NULL ? cfg->db_name : "");
	db->sock = xstrdup(cfg->db_socket != NULL ? cfg->db_socket : "");
	db->port = (unsigned)cfg->db_port;
	db->timeout = cfg->db_connect_timeout > 0 ?
	    (unsigned)cfg->db_connect_timeout : 5;
	/* a password_file was read by au_config_resolve_password() */
	db->pass = xstrdup(cfg->db_password != NULL ? cfg->db_password : "");
	if (db_connect(db, err, errlen) != AU_OK) {
		db_free(db);
		return AU_EDB;
	}
	*out = db;
	return AU_OK;
}

void
au_db_close(struct au_db *db)
{
	if (db != NULL)
		db_free(db);
}

int
au_db_ping(struct au_db *db)
{
	if (db->my != NULL && mysql_ping(db->my) == 0)
		return AU_OK;
	if (db->my != NULL) {
		(void)conn_fail(db);
		au_log_warn("db: ping failed (%u %s), reconnecting",
		    db->last_errno, db->last_error);
		db_disconnect(db);
	}
	if (db->in_tx || db_ensure(db) != AU_OK) {
		au_log_err("db: %s", db->last_error);
		return AU_EDB;
	}
	return AU_OK;
}

unsigned
au_db_errno(const struct au_db *db)
{
	return db->last_errno;
}

int
au_db_global_init(void)
{
	return mysql_library_init(0, NULL, NULL) == 0 ? AU_OK : AU_EDB;
}

void
au_db_global_end(void)
{
	mysql_library_end();
}

int
au_db_in_tx(const struct au_db *db)
{
	return db->in_tx;
}

void
au_db_set_in_tx(struct au_db *db, int on)
{
	db->in_tx = on;
	db->retry = 0;
}

int
au_db_take_retry(struct au_db *db)
{
	int r = db->retry;

	db->retry = 0;
	return r;
}

/* ---- binding and fetching ----------------------------------------- */

static int
bind_params(struct au_db *db, MYSQL_STMT *st, const struct au_dbval *args,
    int nargs, MYSQL_BIND *b, unsigned long *lens)
{
	static char empty[1];
	int i;

	for (i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case AU_DBT_STR:
		case AU_DBT_BLOB:
			b[i].buffer_type = args[i].type == AU_DBT_STR ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b[i].buffer = args[i].p != NULL ?
			    (void *)args[i].p : empty;
			lens[i] = (unsigned long)args[i].len;
			b[i].buffer_length = lens[i];
			b[i].length = &lens[i];
			break;
		case AU_DBT_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&args[i].i;
			break;
		default:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		}
	}
	if (nargs > 0 && mysql_stmt_bind_param(st, b) != 0)
		return stmt_fail(db, st);
	return AU_OK;
}

struct colbuf {
	char *buf;
	unsigned long len;
	my_bool is_null, error;
};

/* Copies the current row into the arena; a column larger than its bind
 * buffer is fetched again in full. */
static int
copy_row(struct au_db *db, MYSQL_STMT *st, MYSQL_BIND *b,
    struct colbuf *c, unsigned ncols, struct au_arena *a, char **row,
    size_t *lens)
{
	MYSQL_BIND fb;
	unsigned j;
	char *p;

	for (j = 0; j < ncols; j++) {
		if (c[j].is_null) {
			row[j] = NULL;
			lens[j] = 0;
			continue;
		}
		p = au_arena_alloc(a, (size_t)c[j].len + 1);
		if (c[j].len <= b[j].buffer_length)
			memcpy(p, c[j].buf, c[j].len);
		else {
			memset(&fb, 0, sizeof(fb));
			fb.buffer_type = MYSQL_TYPE_STRING;
			fb.buffer = p;
			fb.buffer_length = c[j].len + 1;
			if (mysql_stmt_fetch_column(st, &fb, j, 0) != 0)
				return stmt_fail(db, st);
		}
		p[c[j].len] = '\0';
		row[j] = p;
		lens[j] = c[j].len;
	}
	return AU_OK;
}

/* Binds every column as a string buffer sized by max_length. */
static void
bind_results(MYSQL_STMT *st, MYSQL_BIND *b, struct colbuf *c,
    unsigned ncols)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	MYSQL_FIELD *f = meta != NULL ? mysql_fetch_fields(meta) : NULL;
	unsigned j;

	for (j = 0; j < ncols; j++) {
		unsigned long cap = f != NULL ? f[j].max_length : 0;

		if (cap < 64)
			cap = 64;
		c[j].buf = xcalloc(cap, 1);
		b[j].buffer_type = MYSQL_TYPE_STRING;
		b[j].buffer = c[j].buf;
		b[j].buffer_length = cap;
		b[j].length = &c[j].len;
		b[j].is_null = &c[j].is_null;
		b[j].error = &c[j].error;
	}
	if (meta != NULL)
		mysql_free_result(meta);
}

/* Stores the executed statement's rows and copies them into the arena.
 * *out is written only on success. */
static int
fetch_all(struct au_db *db, MYSQL_STMT *st, struct au_arena *a,
    struct au_dbres *out)
{
	unsigned ncols = mysql_stmt_field_count(st), j;
	struct au_dbres res = { 0, (int)ncols, NULL, NULL };
	struct colbuf *c = NULL;
	MYSQL_BIND *b = NULL;
	unsigned long long n;
	int rc = AU_OK, r;

	if (ncols > 0 && mysql_stmt_store_result(st) != 0)
		return stmt_fail(db, st);
	n = ncols > 0 ? mysql_stmt_num_rows(st) : 0;
	if (n > 0) {
		c = xcalloc(ncols, sizeof(*c));
		b = xcalloc(ncols, sizeof(*b));
		bind_results(st, b, c, ncols);
		res.rows = au_arena_alloc(a, (size_t)n * sizeof(char **));
		res.lens = au_arena_alloc(a, (size_t)n * sizeof(size_t *));
		if (mysql_stmt_bind_result(st, b) != 0) {
			rc = stmt_fail(db, st);
			goto out;
		}
	}
	while (n > 0 && (unsigned long long)res.nrows < n) {
		r = mysql_stmt_fetch(st);
		if (r == MYSQL_NO_DATA)
			break;
		if (r != 0 && r != MYSQL_DATA_TRUNCATED) {
			rc = stmt_fail(db, st);
			goto out;
		}
		res.rows[res.nrows] = au_arena_alloc(a, ncols * sizeof(char *));
		res.lens[res.nrows] = au_arena_alloc(a, ncols * sizeof(size_t));
		rc = copy_row(db, st, b, c, ncols, a, res.rows[res.nrows],
		    res.lens[res.nrows]);
		if (rc != AU_OK)
			goto out;
		res.nrows++;
	}
	*out = res;
out:
	for (j = 0; c != NULL && j < ncols; j++)
		free(c[j].buf);
	free(c);
	free(b);
	return rc;
}

/* ---- running statements ------------------------------------------ */

/* One attempt: prepare (or find), bind, execute, fetch.  res == NULL
 * means the caller wants no rows, only the affected count. */
static int
run_once(struct au_db *db, const char *sql, const struct au_dbval *args,
    int nargs, struct au_arena *a, struct au_dbres *res,
    unsigned long long *affected)
{
	MYSQL_STMT *st = NULL;
	MYSQL_BIND *b;
	unsigned long *lens;
	int rc;

	if ((rc = db_ensure(db)) != AU_OK)
		return rc;
	if ((rc = stmt_get(db, sql, &st)) != AU_OK)
		return rc;
	if (mysql_stmt_param_count(st) != (unsigned long)nargs) {
		au_log_err("db: statement takes %lu values, got %d: %.100s",
		    mysql_stmt_param_count(st), nargs, sql);
		return AU_EINTERNAL;
	}
	b = xcalloc((size_t)nargs, sizeof(*b));
	lens = xcalloc((size_t)nargs, sizeof(*lens));
	rc = bind_params(db, st, args, nargs, b, lens);
	if (rc == AU_OK && mysql_stmt_execute(st) != 0)
		rc = stmt_fail(db, st);
	if (rc == AU_OK && res != NULL)
		rc = fetch_all(db, st, a, res);
	else if (rc == AU_OK && affected != NULL)
		*affected = mysql_stmt_field_count(st) == 0 ?
		    (unsigned long long)mysql_stmt_affected_rows(st) : 0;
	/* Frees rows still on the wire or in memory; this keeps the
	 * statement reusable without mysql_stmt_reset's round trip. */
	if (rc != DB_LOST)
		mysql_stmt_free_result(st);
	free(b);
	free(lens);
	return rc;
}

static int
db_run(struct au_db *db, const char *sql, const struct au_dbval *args,
    int nargs, struct au_arena *a, struct au_dbres *res,
    unsigned long long *affected)
{
	int rc;

	if (db->in_tx && db->retry)
		return AU_DB_ERETRY;   /* the transaction is already lost */
	rc = run_once(db, sql, args, nargs, a, res, affected);
	if (rc == DB_STALE) {
		/* a table changed shape under a cached statement */
		stmt_drop(db, sql);
		rc = run_once(db, sql, args, nargs, a, res, affected);
	}
	if (rc == DB_LOST) {
		db_disconnect(db);
		if (!db->in_tx) {
			au_log_warn("db: connection lost (%u %s), reconnecting",
			    db->last_errno, db->last_error);
			rc = run_once(db, sql, args, nargs, a, res, affected);
			if (rc == DB_LOST)
				db_disconnect(db);
		}
	}
	if (rc == DB_LOST || rc == DB_STALE)
		rc = au_db_error_status(db->last_errno, db->in_tx);
	if (rc == AU_DB_ERETRY)
		db->retry = 1;
	else if (rc == AU_EDB)
		au_log_err("db: error %u: %s [%.100s]", db->last_errno,
		    db->last_error, sql);
	else if (rc == AU_ECONFLICT)
		au_log_warn("db: error %u: %s [%.100s]", db->last_errno,
		    db->last_error, sql);
	return rc;
}

int
au_db_exec(struct au_db *db, const char *sql, const struct au_dbval *args,
    int nargs, unsigned long long *affected)
{
	return db_run(db, sql, args, nargs, NULL, NULL, affected);
}

int
au_db_exec_one(struct au_db *db, const char *sql,
    const struct au_dbval *args, int nargs)
{
	unsigned long long affected = 0;
	int rc;

	rc = db_run(db, sql, args, nargs, NULL, NULL, &affected);
	if (rc != AU_OK)
		return rc;
	return affected == 1 ? AU_OK : AU_ECONFLICT;
}

int
au_db_query(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, struct au_dbres *out)
{
	return db_run(db, sql, args, nargs, a, out, NULL);
}

int
au_db_query_row(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, char ***row)
{
	struct au_dbres res;
	int rc;

	if ((rc = au_db_query(db, a, sql, args, nargs, &res)) != AU_OK)
		return rc;
	if (res.nrows == 0)
		return AU_ENOTFOUND;
	*row = res.rows[0];
	return AU_OK;
}

/* ---- scripts ------------------------------------------------------ */

/* Reads and frees every result of a multi-statement query; n counts the
 * statements.  Non-zero when one of them failed. */
static int
drain_results(MYSQL *m, int status, int *n)
{
	MYSQL_RES *r;

	for (*n = 1;; (*n)++) {
		if (status != 0)
			return 1;
		if ((r = mysql_store_result(m)) != NULL)
			mysql_free_result(r);
		else if (mysql_field_count(m) != 0)
			return 1;
		if ((status = mysql_next_result(m)) == -1)
			return 0;
	}
}

int
au_db_exec_script(struct au_db *db, const char *text, size_t len,
    char *err, size_t errlen)
{
	int rc, n = 0, failed;

	if (db_ensure(db) != AU_OK) {
		snprintf(err, errlen, "%s", db->last_error);
		return AU_EDB;
	}
	if (mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON)) {
		(void)conn_fail(db);
		snprintf(err, errlen, "error %u: %s", db->last_errno,
		    db->last_error);
		return AU_EDB;
	}
	failed = drain_results(db->my,
	    mysql_real_query(db->my, text, (unsigned long)len), &n);
	if (failed) {
		rc = conn_fail(db);
		snprintf(err, errlen, "statement %d: error %u: %s", n,
		    db->last_errno, db->last_error);
		if (rc == DB_LOST) {
			db_disconnect(db);
			return AU_EDB;
		}
	}
	/* Prepared statements never need it; keep the surface small. */
	if (mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_OFF))
		db_disconnect(db);
	return failed ? AU_EDB : AU_OK;
}
