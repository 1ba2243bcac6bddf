/* db_migrate.h — applying sql/migrations/NNNN_name.sql in order.
 *
 * Applied versions are recorded in schema_migrations(version, name,
 * applied_at).  Rerunning applies nothing new.  A database whose highest
 * recorded version is newer than the highest file known here is refused
 * (AU_ECONFLICT): an old binary must not run against a newer schema.
 * Migration files are trusted operator-installed text and the only SQL
 * not sent as prepared statements (a file holds several statements). */
#ifndef AU_DB_MIGRATE_H
#define AU_DB_MIGRATE_H

#include <stddef.h>

struct au_db;

/* Applies pending migrations from dir.  *applied gets how many ran.
 * AU_OK; AU_ECONFLICT (schema newer); AU_EIO (dir or a file unreadable);
 * AU_EINVAL (two files with one version, or a version too large: err names
 * them); AU_EDB (a statement failed: err names the file and the server's
 * message; the files before it stay applied and recorded).  Concurrent
 * runs are serialised with GET_LOCK. */
int au_db_migrate(struct au_db *db, const char *dir, int *applied, char *err,
    size_t errlen);
/* Highest applied version (0 for an empty database). */
int au_db_schema_version(struct au_db *db, int *version);
/* Highest version among the files in dir (0 if none). */
int au_db_migrations_latest(const char *dir, int *version);

/* One migration file: its version and file name. */
struct au_db_migration {
	int version;
	char file[256];
};

/* Parses a file name "NNNN_name.sql" (4 or more digits, '_', then
 * [a-z0-9_]+, ".sql").  AU_OK with *version; AU_ENOTFOUND when the name
 * is not a migration's (such files are ignored); AU_EINVAL when it is one
 * but the version is 0 (what an empty database reports) or does not fit
 * an int, or the name is longer than 200 bytes. */
int au_db_migration_parse(const char *file, int *version);
/* Sorts by version.  AU_EINVAL, with both names in err, when two files
 * share a version. */
int au_db_migrations_sort(struct au_db_migration *m, int n, char *err,
    size_t errlen);
/* The migration files of dir, sorted: *out is malloc'd (free() it) and
 * written only on success.  AU_OK; AU_EIO; AU_EINVAL as above. */
int au_db_migrations_list(const char *dir, struct au_db_migration **out,
    int *n, char *err, size_t errlen);

#endif
