/* store_env.c — opening, emptying and migrating the test database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "db/db_conn.h"
#include "db/db_migrate.h"
#include "store_env.h"

#define EXIT_SKIP 77
#define EXIT_HARD 99

static int lib_started;

static void
lib_end(void)
{
	au_db_global_end();
}

static void
lib_start(void)
{
	if (lib_started)
		return;
	lib_started = 1;
	if (au_db_global_init() != AU_OK) {
		fprintf(stderr, "store_env: mysql_library_init failed\n");
		exit(EXIT_HARD);
	}
	atexit(lib_end);
}

static void
set_str(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL)
		abort();
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL ? v : def;
}

void
au_test_db_config(struct au_config *cfg)
{
	const char *sock = getenv("AU_TEST_DB_SOCKET");

	if (sock == NULL || sock[0] == '\0') {
		fprintf(stderr, "AU_TEST_DB_SOCKET is not set: skipping\n");
		exit(EXIT_SKIP);
	}
	set_str(&cfg->db_host, "");
	set_str(&cfg->db_socket, sock);
	set_str(&cfg->db_user, env_or("AU_TEST_DB_USER", "authio_test"));
	set_str(&cfg->db_password, env_or("AU_TEST_DB_PASSWORD", ""));
	set_str(&cfg->db_password_file, "");
	set_str(&cfg->db_name, env_or("AU_TEST_DB_NAME", "authio_test"));
}

struct au_db *
au_test_db_open(void)
{
	struct au_config cfg;
	struct au_db *db;
	char err[512];

	au_config_defaults(&cfg);
	au_test_db_config(&cfg);
	lib_start();
	if (au_db_open(&cfg, &db, err, sizeof(err)) != AU_OK) {
		fprintf(stderr, "store_env: %s\n", err);
		au_config_free(&cfg);
		exit(EXIT_HARD);
	}
	au_config_free(&cfg);
	return db;
}

/* `name` with backticks doubled, as a quoted identifier. */
static void
add_ident(struct au_buf *b, const char *name)
{
	au_buf_addc(b, '`');
	for (; *name != '\0'; name++) {
		if (*name == '`')
			au_buf_addc(b, '`');
		au_buf_addc(b, *name);
	}
	au_buf_addc(b, '`');
}

int
au_test_db_reset(struct au_db *db)
{
	struct au_arena *a = au_arena_new();
	struct au_dbres res;
	struct au_buf b;
	char err[1024];
	int i, rc;

	rc = au_db_query(db, a, "SELECT table_name, table_type FROM "
	    "information_schema.tables WHERE table_schema = DATABASE()",
	    NULL, 0, &res);
	if (rc == AU_OK && res.nrows > 0) {
		/* names come from the server, so the text is built here: the
		 * one place outside migrations where SQL is not constant */
		au_buf_init(&b, a, 256);
		au_buf_adds(&b, "SET FOREIGN_KEY_CHECKS = 0;");
		for (i = 0; i < res.nrows; i++) {
			au_buf_adds(&b, strcmp(res.rows[i][1], "VIEW") == 0 ?
			    "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ");
			add_ident(&b, res.rows[i][0]);
			au_buf_addc(&b, ';');
		}
		au_buf_adds(&b, "SET FOREIGN_KEY_CHECKS = 1");
		rc = au_db_exec_script(db, b.p, b.len, err, sizeof(err));
		if (rc != AU_OK)
			fprintf(stderr, "store_env: reset: %s\n", err);
	}
	au_arena_free(a);
	return rc;
}

const char *
au_test_db_migrations(void)
{
	const char *dir = getenv("AU_TEST_MIGRATIONS");
	int latest;

	if (dir == NULL || dir[0] == '\0')
		return NULL;
	if (au_db_migrations_latest(dir, &latest) != AU_OK || latest == 0)
		return NULL;
	return dir;
}

static struct au_db *lock_db;

static void
unlock_db(void)
{
	au_db_close(lock_db);   /* the server releases the lock with it */
	lock_db = NULL;
}

/* Store test programs share one database and `make -j check` runs them
 * side by side: the first fresh open takes a lock that serialises them,
 * held on a connection of its own until the program exits. */
static void
lock_test_db(void)
{
	struct au_arena *a;
	char **row;
	int ok;

	if (lock_db != NULL)
		return;
	lock_db = au_test_db_open();
	a = au_arena_new();
	ok = au_db_query_row(lock_db, a, "SELECT GET_LOCK(LEFT(CONCAT("
	    "'authio.test.', DATABASE()), 64), 600)", NULL, 0, &row) == AU_OK &&
	    row[0] != NULL && strcmp(row[0], "1") == 0;
	au_arena_free(a);
	if (!ok) {
		fprintf(stderr, "store_env: cannot lock the test database\n");
		exit(EXIT_HARD);
	}
	atexit(unlock_db);
}

struct au_db *
au_test_db_open_fresh(void)
{
	struct au_db *db;
	const char *dir = au_test_db_migrations();
	char err[1024];
	int applied;

	lock_test_db();
	db = au_test_db_open();

	if (au_test_db_reset(db) != AU_OK) {
		au_test_db_close(db);
		exit(EXIT_HARD);
	}
	if (dir != NULL &&
	    au_db_migrate(db, dir, &applied, err, sizeof(err)) != AU_OK) {
		fprintf(stderr, "store_env: migrations in %s: %s\n", dir, err);
		au_test_db_close(db);
		exit(EXIT_HARD);
	}
	return db;
}

void
au_test_db_close(struct au_db *db)
{
	au_db_close(db);
}
