/* store_key.c — signing_keys table access. */
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_key.h"
#include "store/store_util.h"

int
au_store_key_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *k)
{
	static const char sql[] =
	    "INSERT INTO signing_keys (id, realm_id, kid, alg, use_for, status, "
	    "public_jwk, private_sealed, created_at, activated_at) VALUES "
	    "(?, ?, ?, ?, 'sig', ?, ?, ?, FROM_UNIXTIME(?), "
	    "IF(? = 'active', FROM_UNIXTIME(?), NULL))";

	k->id = au_rand_uuid(a);
	k->created_at = au_time_now();
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(k->id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(k->kid), AU_DB_STR(k->alg),
	    AU_DB_STR(k->status), AU_DB_STR(k->public_jwk),
	    AU_DB_BLOB(k->sealed, k->sealed_len), AU_DB_INT(k->created_at),
	    AU_DB_STR(k->status), AU_DB_INT(k->created_at)), NULL);
}

int
au_store_key_published(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row **items, int *n)
{
	static const char sql[] =
	    "SELECT id, kid, alg, status, public_jwk, private_sealed, created_at "
	    "FROM signing_keys WHERE realm_id = ? AND use_for = 'sig' AND "
	    "status IN ('active', 'passive') ORDER BY created_at DESC, kid";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)), &res);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		char **row = res.rows[i];
		struct au_key_row *k = &(*items)[i];

		k->id = row[0];
		k->kid = row[1];
		k->alg = row[2];
		k->status = row[3];
		k->public_jwk = row[4];
		k->sealed = (unsigned char *)row[5];
		k->sealed_len = res.lens[i][5];
		k->created_at = au_col_time(row[6]);
	}
	*n = res.nrows;
	return AU_OK;
}
