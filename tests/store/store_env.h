/* store_env.h — the test database every store test runs against.
 *
 * The database comes from the environment (make check sets these when a
 * private server is running, see scripts/mariadb.sh):
 *   AU_TEST_DB_SOCKET    unix socket; unset = skip (the program exits 77)
 *   AU_TEST_DB_USER, AU_TEST_DB_PASSWORD, AU_TEST_DB_NAME
 *   AU_TEST_MIGRATIONS   the sql/migrations directory to apply
 * A helper that cannot reach the database exits 99 (hard error): store
 * tests have nothing to test without it.  The test database is emptied
 * freely, so never point these at data you want to keep. */
#ifndef AU_STORE_ENV_H
#define AU_STORE_ENV_H

struct au_config;
struct au_db;

/* Fills cfg (initialised with au_config_defaults; release it with
 * au_config_free) with the test database settings.  Exits 77 when
 * AU_TEST_DB_SOCKET is unset. */
void au_test_db_config(struct au_config *cfg);
/* A connection to the test database as it is. */
struct au_db *au_test_db_open(void);
/* A connection to the test database after dropping every table and view
 * in it and applying AU_TEST_MIGRATIONS (when set and holding files).
 * The first call also locks the test database until the program exits,
 * so store tests run one at a time even under `make -j check`. */
struct au_db *au_test_db_open_fresh(void);
/* Drops every table and view of the connection's database. AU_OK/AU_EDB. */
int au_test_db_reset(struct au_db *db);
/* AU_TEST_MIGRATIONS when it names a directory holding at least one
 * migration file, else NULL. */
const char *au_test_db_migrations(void);
/* Closes a connection from au_test_db_open*.  The client library's global
 * state is released at exit, so valgrind reports no leaks. */
void au_test_db_close(struct au_db *db);

#endif
