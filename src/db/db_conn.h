/* db_conn.h — one MariaDB connection per worker, prepared statements only.
 *
 * Every statement is SQL text that is a compile-time constant with '?'
 * placeholders; values go only through au_dbval (MYSQL_BIND underneath).
 * Prepared statements are cached per connection, keyed by the SQL text.
 * A lost connection (2006/2013) is reopened once and the statement retried,
 * except inside a transaction, where the whole transaction is retried by
 * au_db_tx().
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

/* A NULL string binds SQL NULL. */
#define AU_DB_STR(s) ((struct au_dbval){ (s) ? AU_DBT_STR : AU_DBT_NULL, (s), (s) ? strlen(s) : 0, 0 })
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

/* Connects with cfg's [database] settings (password_file read if set).
 * AU_OK with *out; AU_EDB with a message in err. */
int au_db_open(const struct au_config *cfg, struct au_db **out, char *err,
    size_t errlen);
void au_db_close(struct au_db *db);
/* Checks the connection, reconnecting if it was lost. AU_OK / AU_EDB. */
int au_db_ping(struct au_db *db);

/* Runs a statement that returns no rows. *affected (may be NULL) gets the
 * affected-row count.  AU_OK; AU_EDUP on a duplicate key (1062);
 * AU_EINVAL when the server rejects the values (too long 1406, bad
 * reference 1452, out of range); AU_EDB otherwise (logged). */
int au_db_exec(struct au_db *db, const char *sql, const struct au_dbval *args,
    int nargs, unsigned long long *affected);
/* Runs a query and copies every row into the arena. */
int au_db_query(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, struct au_dbres *out);
/* As au_db_query for exactly one expected row: AU_ENOTFOUND when none;
 * *row points at the first row's columns. */
int au_db_query_row(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, char ***row);

/* Runs fn inside BEGIN..COMMIT.  fn's non-AU_OK result rolls back and is
 * returned.  Deadlock (1213, also Galera certification failure), lock wait
 * timeout (1205) and a lost connection retry the whole transaction up to 5
 * times with a short random back-off. */
int au_db_tx(struct au_db *db, int (*fn)(struct au_db *db, void *arg),
    void *arg);

/* mysql error number of the last failure (for tests and logs). */
unsigned au_db_errno(const struct au_db *db);

#endif
