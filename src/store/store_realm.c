/* store_realm.c — realms table access. */
#include <stdbool.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_realm.h"
#include "store/store_util.h"

#define REALM_COLS "id, realm_id, name, description, status, config_version, " \
	"version, created_at, updated_at"

bool
au_store_realm_id_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 63)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c == '-' && i > 0);

		if (!ok)
			return false;
	}
	return true;
}

static void
realm_from_row(struct au_realm *r, char **row)
{
	r->id = row[0];
	r->realm_id = row[1];
	r->name = row[2];
	r->description = row[3];
	r->status = row[4];
	r->config_version = au_col_ll(row[5]);
	r->version = au_col_ll(row[6]);
	r->created_at = au_col_time(row[7]);
	r->updated_at = au_col_time(row[8]);
}

int
au_store_realm_insert(struct au_db *db, struct au_arena *a, struct au_realm *r)
{
	static const char sql[] =
	    "INSERT INTO realms (id, realm_id, name, description, status, "
	    "config_version, version, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, 1, 1, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	int64_t now = au_time_now();
	int rc;

	r->id = au_rand_uuid(a);
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(r->id),
	    AU_DB_STR(r->realm_id), AU_DB_STR(r->name),
	    AU_DB_STR(r->description), AU_DB_STR(r->status), AU_DB_INT(now),
	    AU_DB_INT(now)), NULL);
	if (rc != AU_OK)
		return rc;
	r->config_version = r->version = 1;
	r->created_at = r->updated_at = now;
	return AU_OK;
}

int
au_store_realm_find(struct au_db *db, struct au_arena *a, const char *realm_id,
    struct au_realm **out)
{
	static const char sql[] =
	    "SELECT " REALM_COLS " FROM realms WHERE realm_id = ?";
	char **row;
	int rc;

	if (!au_store_realm_id_valid(realm_id))
		return AU_ENOTFOUND;
	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_id)), &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	realm_from_row(*out, row);
	return AU_OK;
}

int
au_store_realm_config_version(struct au_db *db, struct au_arena *a,
    const char *realm_id, long long *config_version)
{
	static const char sql[] =
	    "SELECT config_version FROM realms WHERE realm_id = ?";
	char **row;
	int rc;

	if (!au_store_realm_id_valid(realm_id))
		return AU_ENOTFOUND;
	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_id)), &row);
	if (rc != AU_OK)
		return rc;
	*config_version = au_col_ll(row[0]);
	return AU_OK;
}

int
au_store_realm_list(struct au_db *db, struct au_arena *a, const char *prefix,
    int offset, int limit, struct au_realm **items, int *n, long long *total)
{
	static const char sql[] =
	    "SELECT " REALM_COLS " FROM realms WHERE realm_id LIKE ? "
	    "ORDER BY realm_id LIMIT ? OFFSET ?";
	static const char count_sql[] =
	    "SELECT COUNT(*) FROM realms WHERE realm_id LIKE ?";
	const char *like = au_like_prefix(a, prefix != NULL ? prefix : "");
	struct au_dbres res;
	int rc, i;

	/* realm ids are ASCII: a prefix outside their alphabet matches none */
	if (prefix != NULL && strspn(prefix, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-") != strlen(prefix)) {
		*items = au_arena_calloc(a, sizeof(**items));
		*n = 0;
		*total = 0;
		return AU_OK;
	}
	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(like)),
	    offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		realm_from_row(&(*items)[i], res.rows[i]);
	*n = res.nrows;
	return AU_OK;
}

int
au_store_realm_update(struct au_db *db, const struct au_realm *r,
    long long expected_version)
{
	static const char sql[] =
	    "UPDATE realms SET name = ?, description = ?, status = ?, "
	    "version = version + 1, config_version = config_version + 1, "
	    "updated_at = FROM_UNIXTIME(?) "
	    "WHERE realm_id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	if (!au_store_realm_id_valid(r->realm_id))
		return AU_ENOTFOUND;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(r->name),
	    AU_DB_STR(r->description), AU_DB_STR(r->status),
	    AU_DB_INT(au_time_now()), AU_DB_STR(r->realm_id),
	    AU_DB_INT(expected_version), AU_DB_INT(expected_version)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected_version != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_realm_delete(struct au_db *db, const char *realm_id)
{
	static const char sql[] = "DELETE FROM realms WHERE realm_id = ?";
	unsigned long long affected = 0;
	int rc;

	if (!au_store_realm_id_valid(realm_id))
		return AU_ENOTFOUND;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(realm_id)), &affected);
	if (rc != AU_OK)
		return rc;
	return affected > 0 ? AU_OK : AU_ENOTFOUND;
}

int
au_store_realm_touch(struct au_db *db, const char *id)
{
	static const char sql[] =
	    "UPDATE realms SET config_version = config_version + 1 WHERE id = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(id)), NULL);
}

int
au_store_realm_stats(struct au_db *db, struct au_arena *a, const char *id,
    long long *clients, long long *users)
{
	static const char sql[] =
	    "SELECT (SELECT COUNT(*) FROM clients WHERE realm_id = ?), "
	    "(SELECT COUNT(*) FROM users WHERE realm_id = ?)";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(id), AU_DB_STR(id)),
	    &row);
	if (rc != AU_OK)
		return rc;
	*clients = au_col_ll(row[0]);
	*users = au_col_ll(row[1]);
	return AU_OK;
}

int
au_store_realm_touch_all(struct au_db *db)
{
	static const char sql[] =
	    "UPDATE realms SET config_version = config_version + 1";

	return au_db_exec(db, sql, NULL, 0, NULL);
}
