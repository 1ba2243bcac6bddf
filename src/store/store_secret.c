/* store_secret.c — secrets table access.
 *
 * Each query exists twice, once per owner column (client_id, consumer_id),
 * both spelled out by one macro: the SQL text stays constant and each
 * variant uses its column's index. */
#include <stddef.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_secret.h"
#include "store/store_util.h"

#define SECRET_COLS "id, label, secret_hash, created_at, expires_at, " \
	"last_used_at, revoked_at, rotated_from"

/* The two variants of a statement, indexed by enum au_secret_owner. */
#define BY_OWNER(head, tail) { head "client_id" tail, head "consumer_id" tail }

int
au_store_secret_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, enum au_secret_owner kind, const char *owner_uuid,
    struct au_secret *s)
{
	static const char sql[] =
	    "INSERT INTO secrets (id, realm_id, client_id, consumer_id, label, "
	    "secret_hash, created_at, expires_at, rotated_from) VALUES "
	    "(?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), "
	    "IF(? = 0, NULL, FROM_UNIXTIME(?)), ?)";

	s->id = au_rand_uuid(a);
	s->created_at = au_time_now();
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(s->id),
	    AU_DB_STR(realm_uuid),
	    AU_DB_STR(kind == AU_SECRET_CLIENT ? owner_uuid : NULL),
	    AU_DB_STR(kind == AU_SECRET_CONSUMER ? owner_uuid : NULL),
	    AU_DB_STR(s->label), AU_DB_STR(s->hash),
	    AU_DB_INT(s->created_at), AU_DB_INT(s->expires_at),
	    AU_DB_INT(s->expires_at), AU_DB_STR(s->rotated_from)), NULL);
}

int
au_store_secret_restore(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, enum au_secret_owner kind, const char *owner_uuid,
    struct au_secret *s)
{
	static const char sql[] =
	    "INSERT INTO secrets (id, realm_id, client_id, consumer_id, label, "
	    "secret_hash, created_at, expires_at, revoked_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), "
	    "IF(? = 0, NULL, FROM_UNIXTIME(?)), IF(? = 0, NULL, FROM_UNIXTIME(?)))";

	s->id = au_rand_uuid(a);
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(s->id),
	    AU_DB_STR(realm_uuid),
	    AU_DB_STR(kind == AU_SECRET_CLIENT ? owner_uuid : NULL),
	    AU_DB_STR(kind == AU_SECRET_CONSUMER ? owner_uuid : NULL),
	    AU_DB_STR(s->label), AU_DB_STR(s->hash),
	    AU_DB_INT(s->created_at), AU_DB_INT(s->expires_at),
	    AU_DB_INT(s->expires_at), AU_DB_INT(s->revoked_at),
	    AU_DB_INT(s->revoked_at)), NULL);
}

static void
secret_from_row(struct au_secret *s, char **row)
{
	s->id = row[0];
	s->label = row[1];
	s->hash = row[2];
	s->created_at = au_col_time(row[3]);
	s->expires_at = au_col_time(row[4]);
	s->last_used_at = au_col_time(row[5]);
	s->revoked_at = au_col_time(row[6]);
	s->rotated_from = row[7];
}

static int
secrets_from_res(struct au_arena *a, const struct au_dbres *res,
    struct au_secret **items, int *n)
{
	int i;

	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		secret_from_row(&(*items)[i], res->rows[i]);
	*n = res->nrows;
	return AU_OK;
}

int
au_store_secret_list(struct au_db *db, struct au_arena *a,
    enum au_secret_owner kind, const char *owner_uuid,
    struct au_secret **items, int *n)
{
	static const char *const sql[] = BY_OWNER("SELECT " SECRET_COLS
	    " FROM secrets WHERE ", " = ? ORDER BY created_at DESC, id");
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql[kind], AU_DB_ARGS(AU_DB_STR(owner_uuid)),
	    &res);
	return rc != AU_OK ? rc : secrets_from_res(a, &res, items, n);
}

int
au_store_secret_find(struct au_db *db, struct au_arena *a,
    enum au_secret_owner kind, const char *owner_uuid, const char *id,
    struct au_secret **out)
{
	static const char *const sql[] = BY_OWNER("SELECT " SECRET_COLS
	    " FROM secrets WHERE ", " = ? AND id = ?");
	char **row;
	int rc;

	if (!au_uuid_valid(id))
		return AU_ENOTFOUND;
	rc = au_db_query_row(db, a, sql[kind], AU_DB_ARGS(AU_DB_STR(owner_uuid),
	    AU_DB_STR(id)), &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	secret_from_row(*out, row);
	return AU_OK;
}

int
au_store_secret_revoke(struct au_db *db, enum au_secret_owner kind,
    const char *owner_uuid, const char *id)
{
	static const char *const sql[] = BY_OWNER("UPDATE secrets SET "
	    "revoked_at = FROM_UNIXTIME(?) WHERE ", " = ? AND id = ? AND "
	    "revoked_at IS NULL");
	unsigned long long affected = 0;
	int rc;

	if (!au_uuid_valid(id))
		return AU_ENOTFOUND;
	rc = au_db_exec(db, sql[kind], AU_DB_ARGS(AU_DB_INT(au_time_now()),
	    AU_DB_STR(owner_uuid), AU_DB_STR(id)), &affected);
	if (rc != AU_OK)
		return rc;
	return affected > 0 ? AU_OK : AU_ENOTFOUND;
}

int
au_store_secret_expire_by(struct au_db *db, const char *id, int64_t at)
{
	static const char sql[] = "UPDATE secrets SET expires_at = "
	    "FROM_UNIXTIME(?) WHERE id = ? AND (expires_at IS NULL OR "
	    "expires_at > FROM_UNIXTIME(?))";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(at), AU_DB_STR(id),
	    AU_DB_INT(at)), NULL);
}

int
au_store_secret_used(struct au_db *db, const char *id, int64_t at)
{
	static const char sql[] =
	    "UPDATE secrets SET last_used_at = FROM_UNIXTIME(?) WHERE id = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(at), AU_DB_STR(id)),
	    NULL);
}

int
au_store_secret_live(struct au_db *db, struct au_arena *a,
    enum au_secret_owner kind, const char *owner_uuid, int64_t now,
    struct au_secret **items, int *n)
{
	static const char *const sql[] = BY_OWNER("SELECT " SECRET_COLS
	    " FROM secrets WHERE ", " = ? AND revoked_at IS NULL AND "
	    "(expires_at IS NULL OR expires_at > FROM_UNIXTIME(?)) "
	    "ORDER BY created_at");
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql[kind], AU_DB_ARGS(AU_DB_STR(owner_uuid),
	    AU_DB_INT(now)), &res);
	return rc != AU_OK ? rc : secrets_from_res(a, &res, items, n);
}
