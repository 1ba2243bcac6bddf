/* db_conn.h — one MariaDB connection per worker, prepared statements only.
 *
 * Every statement is SQL text that is a compile-time constant with '?'
 * placeholders; values go only through au_dbval (MYSQL_BIND underneath).
 * Prepared statements are cached per connection (256, least recently used
 * out first), keyed by the address of the SQL text and checked against the
 * text itself: pass string literals or static arrays, so each is prepared
 * once per connection.
 * A lost connection (2006/2013/4031) is reopened once and the statement
 * retried, except inside a transaction, where the whole transaction is
 * retried by au_db_tx().
 *
 * Results come back as strings in the caller's arena (SQL NULL = NULL
 * pointer), which keeps every store function short; numbers are parsed
 * with au_str_to_ll(). */
#ifndef AU_DB_CONN_H
#define AU_DB_CONN_H

#include <stddef.h>
#include <string.h>

struct au_arena;
struct au_config;
struct au_db;

enum au_dbtype { AU_DBT_NULL, AU_DBT_STR, AU_DBT_BLOB, AU_DBT_INT };

struct au_dbval {
	enum au_dbtype type;
	const void *p;    /* STR, BLOB */
	size_t len;
	long long i;      /* INT */
};

/* A NULL string binds SQL NULL.  A function, so that s is evaluated once
 * and a literal NULL or an array argument draws no compiler warning. */
static inline struct au_dbval
au_db_str(const char *s)
{
	struct au_dbval v = { s != NULL ? AU_DBT_STR : AU_DBT_NULL, s,
		s != NULL ? strlen(s) : 0, 0 };

	return v;
}
#define AU_DB_STR(s) au_db_str(s)
#define AU_DB_STRN(s, n) ((struct au_dbval){ AU_DBT_STR, (s), (n), 0 })
#define AU_DB_BLOB(p, n) ((struct au_dbval){ AU_DBT_BLOB, (p), (n), 0 })
#define AU_DB_INT(v) ((struct au_dbval){ AU_DBT_INT, NULL, 0, (long long)(v) })
#define AU_DB_NULL ((struct au_dbval){ AU_DBT_NULL, NULL, 0, 0 })
/* Expands to "array, count" for the args/nargs parameter pair. */
#define AU_DB_ARGS(...) (const struct au_dbval[]){ __VA_ARGS__ }, \
	(int)(sizeof((struct au_dbval[]){ __VA_ARGS__ }) / sizeof(struct au_dbval))

struct au_dbres {
	int nrows, ncols;
	char ***rows;       /* rows[i][j]: NUL-terminated, NULL for SQL NULL */
	size_t **lens;      /* lens[i][j]: byte length (BLOBs may hold NULs) */
};

/* Returned only inside au_db_tx(): the statement hit a deadlock, a lock
 * wait timeout or a lost connection and the whole transaction must be
 * retried.  A transaction function passes it (or any error) back up;
 * au_db_tx() retries and turns it into AU_ECONFLICT when retries run out,
 * so it never escapes to a caller outside a transaction. */
#define AU_DB_ERETRY (-100)

/* Connects with cfg's [database] settings (a password_file must have been
 * read into db_password by au_config_resolve_password()).
 * AU_OK with *out; AU_EDB with a message in err. */
int au_db_open(const struct au_config *cfg, struct au_db **out, char *err,
    size_t errlen);
void au_db_close(struct au_db *db);
/* Checks the connection, reconnecting if it was lost. AU_OK / AU_EDB. */
int au_db_ping(struct au_db *db);

/* Runs a statement that returns no rows. *affected (may be NULL) gets the
 * affected-row count.  AU_OK; AU_EDUP on a duplicate key (1062);
 * AU_EINVAL when the server rejects the values (too long 1406, bad
 * reference 1452, out of range); AU_ECONFLICT on a deadlock or lock wait
 * timeout (AU_DB_ERETRY inside au_db_tx); AU_EDB otherwise (logged). */
int au_db_exec(struct au_db *db, const char *sql, const struct au_dbval *args,
    int nargs, unsigned long long *affected);
/* As au_db_exec for a conditional UPDATE that claims one row (spend a
 * code, rotate a token): AU_OK when it changed exactly one row,
 * AU_ECONFLICT when none (another request claimed it first). */
int au_db_exec_one(struct au_db *db, const char *sql,
    const struct au_dbval *args, int nargs);
/* Runs a query and copies every row into the arena. */
int au_db_query(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, struct au_dbres *out);
/* As au_db_query for exactly one expected row: AU_ENOTFOUND when none;
 * *row points at the first row's columns. */
int au_db_query_row(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, char ***row);

/* mysql error number of the last failure (for tests and logs). */
unsigned au_db_errno(const struct au_db *db);

/* Once per process, before forking workers (mysql_library_init is not
 * thread-safe and allocates global state); _end at exit. */
int au_db_global_init(void);
void au_db_global_end(void);

/* The status a mysql error number maps to: AU_EDUP (1062), AU_EINVAL
 * (values rejected: 1048, 1264, 1265, 1292, 1300, 1366, 1406, 1451/1452,
 * 4025; their server messages may quote the value, so they are not logged),
 * AU_DB_ERETRY inside a transaction / AU_ECONFLICT outside it for deadlock
 * and lock wait timeout (1213, 1205), AU_DB_ERETRY / AU_EDB for a lost
 * connection (2006, 2013, 4031, 1927), AU_EDB for anything else. */
int au_db_error_status(unsigned errnum, int in_tx);

/* Runs a trusted multi-statement script (a migration file; never text that
 * holds values) and drains every result.  AU_OK; AU_EDB with err naming
 * the failing statement's ordinal, the mysql error number and the server's
 * message.  Statements after a failing one are not run; DDL autocommits,
 * so a partly applied script stays partly applied. */
int au_db_exec_script(struct au_db *db, const char *text, size_t len,
    char *err, size_t errlen);

/* How many prepared statements the connection holds (for tests). */
int au_db_stmt_cached(const struct au_db *db);

/* For db_tx.c only: whether a transaction is open, and whether a statement
 * inside it failed in a way that makes the whole transaction worth
 * retrying (the flag is cleared by reading it). */
int au_db_in_tx(const struct au_db *db);
void au_db_set_in_tx(struct au_db *db, int on);
int au_db_take_retry(struct au_db *db);

#include "db/db_tx.h"

#endif
