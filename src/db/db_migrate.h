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
 * AU_OK; AU_ECONFLICT (schema newer); AU_EIO (dir unreadable); AU_EDB
 * (a statement failed: err names the file and the server's message). */
int au_db_migrate(struct au_db *db, const char *dir, int *applied, char *err,
    size_t errlen);
/* Highest applied version (0 for an empty database). */
int au_db_schema_version(struct au_db *db, int *version);
/* Highest version among the files in dir (0 if none). */
int au_db_migrations_latest(const char *dir, int *version);

#endif
