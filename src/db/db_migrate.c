/* db_migrate.c — applying sql/migrations/NNNN_name.sql in version order.
 *
 * Each file runs as one multi-statement script and is recorded in
 * schema_migrations only after every statement in it succeeded.  MariaDB
 * commits DDL implicitly, so a file that fails halfway stays half applied
 * and unrecorded: the operator fixes the cause (and the half) and reruns.
 * A migration lock (GET_LOCK) keeps two processes starting at once from
 * applying the same file twice. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "db/db_conn.h"
#include "db/db_migrate.h"

#define MAX_FILE_SIZE (16 * 1024 * 1024)
#define MAX_NAME 200    /* schema_migrations.name */
#define LOCK_TIMEOUT 60 /* seconds to wait for another migrating process */

static const char sql_create[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT NOT NULL PRIMARY KEY,"
	" name VARCHAR(200) NOT NULL,"
	" applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

/* ---- file names ---------------------------------------------------- */

int
au_db_migration_parse(const char *file, int *version)
{
	const char *p = file;
	size_t ndigits = 0, len, i;
	long long v = 0;

	for (; *p >= '0' && *p <= '9'; p++, ndigits++)
		if (v <= INT_MAX)
			v = v * 10 + (*p - '0');
	if (ndigits < 4 || *p++ != '_')
		return AU_ENOTFOUND;
	len = strlen(p);
	if (len <= 4 || strcmp(p + len - 4, ".sql") != 0)
		return AU_ENOTFOUND;
	for (i = 0; i < len - 4; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			return AU_ENOTFOUND;
	/* 0 is what an empty database reports, so no file may claim it;
	 * schema_migrations.name holds 200 characters */
	if (v > INT_MAX || v == 0 || strlen(file) > MAX_NAME)
		return AU_EINVAL;
	*version = (int)v;
	return AU_OK;
}

static int
cmp_version(const void *a, const void *b)
{
	const struct au_db_migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

int
au_db_migrations_sort(struct au_db_migration *m, int n, char *err,
    size_t errlen)
{
	int i;

	if (n > 1)
		qsort(m, (size_t)n, sizeof(*m), cmp_version);
	for (i = 1; i < n; i++)
		if (m[i].version == m[i - 1].version) {
			snprintf(err, errlen, "migrations %s and %s share "
			    "version %d", m[i - 1].file, m[i].file,
			    m[i].version);
			return AU_EINVAL;
		}
	return AU_OK;
}

int
au_db_migrations_list(const char *dir, struct au_db_migration **out,
    int *n, char *err, size_t errlen)
{
	struct au_db_migration *m = NULL, *grown;
	int count = 0, cap = 0, rc = AU_OK, version;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return AU_EIO;
	}
	while (rc == AU_OK && (de = readdir(d)) != NULL) {
		rc = au_db_migration_parse(de->d_name, &version);
		if (rc == AU_ENOTFOUND) {
			rc = AU_OK;
			continue;
		}
		if (rc != AU_OK) {
			snprintf(err, errlen, "%s/%s: version 0, version too "
			    "large or name too long", dir, de->d_name);
			break;
		}
		if (count == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((grown = realloc(m, (size_t)cap * sizeof(*m))) == NULL)
				abort();
			m = grown;
		}
		m[count].version = version;
		snprintf(m[count].file, sizeof(m[count].file), "%s",
		    de->d_name);
		count++;
	}
	closedir(d);
	if (rc == AU_OK)
		rc = au_db_migrations_sort(m, count, err, errlen);
	if (rc != AU_OK) {
		free(m);
		return rc;
	}
	*out = m;
	*n = count;
	return AU_OK;
}

int
au_db_migrations_latest(const char *dir, int *version)
{
	struct au_db_migration *m = NULL;
	char err[512];
	int n, rc;

	if ((rc = au_db_migrations_list(dir, &m, &n, err, sizeof(err))) != AU_OK) {
		au_log_err("db: migrations: %s", err);
		return rc;
	}
	*version = n > 0 ? m[n - 1].version : 0;
	free(m);
	return AU_OK;
}

/* ---- the database side --------------------------------------------- */

int
au_db_schema_version(struct au_db *db, int *version)
{
	struct au_arena *a = au_arena_new();
	long long v = 0;
	char **row;
	int rc;

	/* asking information_schema first keeps this free of side effects
	 * and of a logged "table doesn't exist" on a fresh database */
	rc = au_db_query_row(db, a, "SELECT COUNT(*) FROM "
	    "information_schema.tables WHERE table_schema = DATABASE() "
	    "AND table_name = 'schema_migrations'", NULL, 0, &row);
	if (rc == AU_OK && strcmp(row[0], "0") != 0)
		rc = au_db_query_row(db, a, "SELECT COALESCE(MAX(version), 0) "
		    "FROM schema_migrations", NULL, 0, &row);
	else if (rc == AU_OK)
		row = NULL;
	if (rc == AU_OK && row != NULL &&
	    au_str_to_ll(row[0], 0, INT_MAX, &v) != AU_OK)
		rc = AU_EDB;
	au_arena_free(a);
	if (rc != AU_OK)
		return rc == AU_ENOTFOUND ? AU_EDB : rc;
	*version = (int)v;
	return AU_OK;
}

static int
read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, n = 0, got;
	char *p = NULL, *grown;

	if (f == NULL)
		return AU_EIO;
	do {
		if (n == cap) {
			cap = cap == 0 ? 8192 : cap * 2;
			if (cap > MAX_FILE_SIZE ||
			    (grown = realloc(p, cap)) == NULL) {
				free(p);
				fclose(f);
				return AU_EIO;
			}
			p = grown;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(p);
		fclose(f);
		return AU_EIO;
	}
	fclose(f);
	*text = p;
	*len = n;
	return AU_OK;
}

static int
apply_one(struct au_db *db, const char *dir, const struct au_db_migration *m,
    char *err, size_t errlen)
{
	char path[4096], msg[1024];
	size_t len;
	char *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, m->file);
	if (read_file(path, &text, &len) != AU_OK) {
		snprintf(err, errlen, "%s: cannot read (or larger than %d "
		    "bytes)", path, MAX_FILE_SIZE);
		return AU_EIO;
	}
	rc = au_db_exec_script(db, text, len, msg, sizeof(msg));
	free(text);
	if (rc != AU_OK) {
		snprintf(err, errlen, "%s: %s", m->file, msg);
		return AU_EDB;
	}
	rc = au_db_exec(db, "INSERT INTO schema_migrations (version, name) "
	    "VALUES (?, ?)", AU_DB_ARGS(AU_DB_INT(m->version),
	    AU_DB_STR(m->file)), NULL);
	if (rc != AU_OK) {
		snprintf(err, errlen, "%s: applied but not recorded (error "
		    "%u)", m->file, au_db_errno(db));
		return AU_EDB;
	}
	au_log_info("db: applied migration %s", m->file);
	return AU_OK;
}

/* The recorded versions, ascending, into the arena. */
static int
applied_versions(struct au_db *db, struct au_arena *a, int **v, int *n)
{
	struct au_dbres res;
	long long x;
	int i, rc;

	rc = au_db_query(db, a, "SELECT version FROM schema_migrations "
	    "ORDER BY version", NULL, 0, &res);
	if (rc != AU_OK)
		return rc;
	*v = au_arena_alloc(a, (size_t)res.nrows * sizeof(int));
	for (i = 0; i < res.nrows; i++) {
		if (au_str_to_ll(res.rows[i][0], INT_MIN, INT_MAX, &x) != AU_OK)
			return AU_EDB;
		(*v)[i] = (int)x;
	}
	*n = res.nrows;
	return AU_OK;
}

static int
contains(const int *v, int n, int x)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Applies what is missing; the lock is held by the caller. */
static int
migrate_locked(struct au_db *db, struct au_arena *a, const char *dir,
    const struct au_db_migration *m, int nm, int *applied, char *err,
    size_t errlen)
{
	int *done, ndone, i, rc, latest = nm > 0 ? m[nm - 1].version : 0;

	if (au_db_exec(db, sql_create, NULL, 0, NULL) != AU_OK ||
	    applied_versions(db, a, &done, &ndone) != AU_OK) {
		snprintf(err, errlen, "cannot read schema_migrations (error "
		    "%u)", au_db_errno(db));
		return AU_EDB;
	}
	if (ndone > 0 && done[ndone - 1] > latest) {
		snprintf(err, errlen, "database schema version %d is newer "
		    "than the newest migration (%d) in %s: upgrade authio",
		    done[ndone - 1], latest, dir);
		return AU_ECONFLICT;
	}
	*applied = 0;
	for (i = 0; i < nm; i++) {
		if (contains(done, ndone, m[i].version))
			continue;
		if ((rc = apply_one(db, dir, &m[i], err, errlen)) != AU_OK)
			return rc;
		(*applied)++;
	}
	return AU_OK;
}

int
au_db_migrate(struct au_db *db, const char *dir, int *applied, char *err,
    size_t errlen)
{
	struct au_db_migration *m = NULL;
	struct au_arena *a;
	int nm, count = 0, rc;
	char **row;

	rc = au_db_migrations_list(dir, &m, &nm, err, errlen);
	if (rc != AU_OK)
		return rc;
	a = au_arena_new();
	/* per database, so test databases on one server do not queue;
	 * lock names are limited to 64 characters */
	rc = au_db_query_row(db, a, "SELECT GET_LOCK(LEFT(CONCAT("
	    "'authio.migrate.', DATABASE()), 64), ?)",
	    AU_DB_ARGS(AU_DB_INT(LOCK_TIMEOUT)), &row);
	if (rc != AU_OK || row[0] == NULL || strcmp(row[0], "1") != 0) {
		snprintf(err, errlen, "cannot take the migration lock (another "
		    "process is migrating?)");
		rc = AU_EDB;
		goto out;
	}
	rc = migrate_locked(db, a, dir, m, nm, &count, err, errlen);
	(void)au_db_exec(db, "SELECT RELEASE_LOCK(LEFT(CONCAT("
	    "'authio.migrate.', DATABASE()), 64))", NULL, 0, NULL);
	if (rc == AU_OK)
		*applied = count;
out:
	au_arena_free(a);
	free(m);
	return rc;
}
