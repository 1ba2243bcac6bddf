/* store_secret.c — secrets table access. */
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_secret.h"
#include "store/store_util.h"

int
au_store_secret_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_uuid,
    const char *consumer_uuid, struct au_secret *s)
{
	static const char sql[] =
	    "INSERT INTO secrets (id, realm_id, client_id, consumer_id, label, "
	    "secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, "
	    "FROM_UNIXTIME(?), IF(? = 0, NULL, FROM_UNIXTIME(?)))";

	s->id = au_rand_uuid(a);
	s->created_at = au_time_now();
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(s->id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(client_uuid),
	    AU_DB_STR(consumer_uuid), AU_DB_STR(s->label), AU_DB_STR(s->hash),
	    AU_DB_INT(s->created_at), AU_DB_INT(s->expires_at),
	    AU_DB_INT(s->expires_at)), NULL);
}

int
au_store_secret_live_for_client(struct au_db *db, struct au_arena *a,
    const char *client_uuid, int64_t now, struct au_secret **items, int *n)
{
	static const char sql[] =
	    "SELECT id, label, secret_hash, created_at, expires_at, last_used_at "
	    "FROM secrets WHERE client_id = ? AND revoked_at IS NULL AND "
	    "(expires_at IS NULL OR expires_at > FROM_UNIXTIME(?)) "
	    "ORDER BY created_at";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_INT(now)), &res);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		char **row = res.rows[i];
		struct au_secret *s = &(*items)[i];

		s->id = row[0];
		s->label = row[1];
		s->hash = row[2];
		s->created_at = au_col_time(row[3]);
		s->expires_at = au_col_time(row[4]);
		s->last_used_at = au_col_time(row[5]);
	}
	*n = res.nrows;
	return AU_OK;
}
