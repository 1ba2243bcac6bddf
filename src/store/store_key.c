/* store_key.c — signing_keys table access. */
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_key.h"
#include "store/store_util.h"

/* The columns every key query reads, in key_from_row's order; the list
 * query reads an empty blob instead of the sealed private part. */
#define KEY_COLS_SEALED "id, kid, alg, use_for, status, public_jwk, " \
	"private_sealed, created_at, activated_at, rotated_at, retired_at, " \
	"version"
#define KEY_COLS_PUBLIC "id, kid, alg, use_for, status, public_jwk, '', " \
	"created_at, activated_at, rotated_at, retired_at, version"

static void
key_from_row(struct au_key_row *k, char **row, const size_t *lens)
{
	k->id = row[0];
	k->kid = row[1];
	k->alg = row[2];
	k->use = row[3];
	k->status = row[4];
	k->public_jwk = row[5];
	k->sealed = (unsigned char *)row[6];
	k->sealed_len = lens[6];
	k->created_at = au_col_time(row[7]);
	k->activated_at = au_col_time(row[8]);
	k->rotated_at = au_col_time(row[9]);
	k->retired_at = au_col_time(row[10]);
	k->version = au_col_ll(row[11]);
}

static void
keys_from_res(struct au_arena *a, struct au_dbres *res,
    struct au_key_row **items, int *n)
{
	int i;

	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		key_from_row(&(*items)[i], res->rows[i], res->lens[i]);
	*n = res->nrows;
}

int
au_store_key_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *k)
{
	static const char sql[] =
	    "INSERT INTO signing_keys (id, realm_id, kid, alg, use_for, status, "
	    "public_jwk, private_sealed, created_at, activated_at, version) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), "
	    "IF(? = 0, NULL, FROM_UNIXTIME(?)), 1)";

	k->id = au_rand_uuid(a);
	if (k->created_at == 0)
		k->created_at = au_time_now();
	k->version = 1;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(k->id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(k->kid), AU_DB_STR(k->alg),
	    AU_DB_STR(k->use != NULL ? k->use : "sig"), AU_DB_STR(k->status),
	    AU_DB_STR(k->public_jwk), AU_DB_BLOB(k->sealed, k->sealed_len),
	    AU_DB_INT(k->created_at), AU_DB_INT(k->activated_at),
	    AU_DB_INT(k->activated_at)), NULL);
}

int
au_store_key_published(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row **items, int *n)
{
	static const char sql[] =
	    "SELECT " KEY_COLS_SEALED " FROM signing_keys WHERE realm_id = ? "
	    "AND status IN ('active', 'passive') ORDER BY created_at DESC, kid";
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)), &res);
	if (rc != AU_OK)
		return rc;
	keys_from_res(a, &res, items, n);
	return AU_OK;
}

int
au_store_key_lock_signing(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row **items, int *n)
{
	static const char sql[] =
	    "SELECT " KEY_COLS_SEALED " FROM signing_keys WHERE realm_id = ? "
	    "AND status IN ('active', 'passive') AND use_for = 'sig' "
	    "ORDER BY created_at DESC, kid FOR UPDATE";
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)), &res);
	if (rc != AU_OK)
		return rc;
	keys_from_res(a, &res, items, n);
	return AU_OK;
}

int
au_store_key_all_sealed(struct au_db *db, struct au_arena *a,
    struct au_key_row **items, int *n)
{
	static const char sql[] =
	    "SELECT " KEY_COLS_SEALED " FROM signing_keys ORDER BY id FOR UPDATE";
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql, NULL, 0, &res);
	if (rc != AU_OK)
		return rc;
	keys_from_res(a, &res, items, n);
	return AU_OK;
}

int
au_store_key_reseal(struct au_db *db, const char *id,
    const unsigned char *sealed, size_t len)
{
	static const char sql[] =
	    "UPDATE signing_keys SET private_sealed = ? WHERE id = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_BLOB(sealed, len),
	    AU_DB_STR(id)), NULL);
}

int
au_store_key_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *status, const char *q, int offset,
    int limit, struct au_key_row **items, int *n, long long *total)
{
	static const char count_sql[] =
	    "SELECT COUNT(*) FROM signing_keys WHERE realm_id = ? "
	    "AND (? IS NULL OR status = ?) AND kid LIKE ?";
	static const char sql[] =
	    "SELECT " KEY_COLS_PUBLIC " FROM signing_keys WHERE realm_id = ? "
	    "AND (? IS NULL OR status = ?) AND kid LIKE ? "
	    "ORDER BY created_at DESC, kid LIMIT ? OFFSET ?";
	const char *like = au_like_prefix(a, q != NULL ? q : "");
	struct au_dbres res;
	int rc;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(
	    AU_DB_STR(realm_uuid), AU_DB_STR(status), AU_DB_STR(status),
	    AU_DB_STR(like)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	keys_from_res(a, &res, items, n);
	return AU_OK;
}

int
au_store_key_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *kid, bool lock,
    struct au_key_row **out)
{
	static const char sql[] =
	    "SELECT " KEY_COLS_SEALED " FROM signing_keys "
	    "WHERE realm_id = ? AND kid = ?";
	static const char sql_lock[] =
	    "SELECT " KEY_COLS_SEALED " FROM signing_keys "
	    "WHERE realm_id = ? AND kid = ? FOR UPDATE";
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, lock ? sql_lock : sql, AU_DB_ARGS(
	    AU_DB_STR(realm_uuid), AU_DB_STR(kid)), &res);
	if (rc != AU_OK)
		return rc;
	if (res.nrows == 0)
		return AU_ENOTFOUND;
	*out = au_arena_calloc(a, sizeof(**out));
	key_from_row(*out, res.rows[0], res.lens[0]);
	return AU_OK;
}

int
au_store_key_update(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *k, long long expected)
{
	static const char sql[] =
	    "UPDATE signing_keys SET status = ?, "
	    "activated_at = IF(? = 0, NULL, FROM_UNIXTIME(?)), "
	    "rotated_at = IF(? = 0, NULL, FROM_UNIXTIME(?)), "
	    "retired_at = IF(? = 0, NULL, FROM_UNIXTIME(?)), "
	    "version = version + 1 "
	    "WHERE realm_id = ? AND kid = ? AND (? = 0 OR version = ?)";
	static const char back[] =
	    "SELECT version FROM signing_keys WHERE realm_id = ? AND kid = ?";
	unsigned long long affected = 0;
	char **row;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(k->status),
	    AU_DB_INT(k->activated_at), AU_DB_INT(k->activated_at),
	    AU_DB_INT(k->rotated_at), AU_DB_INT(k->rotated_at),
	    AU_DB_INT(k->retired_at), AU_DB_INT(k->retired_at),
	    AU_DB_STR(realm_uuid), AU_DB_STR(k->kid), AU_DB_INT(expected),
	    AU_DB_INT(expected)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	rc = au_db_query_row(db, a, back, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(k->kid)), &row);
	if (rc == AU_OK)
		k->version = au_col_ll(row[0]);
	return rc;
}

int
au_store_key_delete(struct au_db *db, const char *realm_uuid, const char *kid,
    long long expected)
{
	static const char sql[] =
	    "DELETE FROM signing_keys WHERE realm_id = ? AND kid = ? "
	    "AND status = 'retired' AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid), AU_DB_STR(kid),
	    AU_DB_INT(expected), AU_DB_INT(expected)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_key_count_active(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *alg, const char *except_kid,
    long long *count)
{
	static const char sql[] =
	    "SELECT kid FROM signing_keys WHERE realm_id = ? AND alg = ? "
	    "AND use_for = 'sig' AND status = 'active' AND kid <> ? FOR UPDATE";
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(alg), AU_DB_STR(except_kid != NULL ? except_kid : "")),
	    &res);
	if (rc == AU_OK)
		*count = res.nrows;
	return rc;
}

int
au_store_key_client_using(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *alg, char **client_id)
{
	static const char sql[] =
	    "SELECT client_id FROM clients WHERE realm_id = ? AND "
	    "token_settings IS NOT NULL AND "
	    "JSON_VALUE(token_settings, '$.signingAlg') = ? "
	    "ORDER BY client_id LIMIT 1";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(alg)), &row);
	if (rc == AU_OK)
		*client_id = row[0];
	return rc;
}
