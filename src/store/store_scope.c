/* store_scope.c — scopes table access (see store_scope.h).
 *
 * owner_key is "global" or "realm:<uuid>": UNIQUE (owner_key, name) keeps
 * names unique per owner although realm_id is NULL for global scopes, and
 * it is the index every lookup and list goes through. */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_scope.h"
#include "store/store_util.h"

#define SCOPE_COLS "id, realm_id, name, description, claims, " \
	"include_in_token, version, created_at, updated_at"
#define MAX_PUBLISHED 1000

static const char *
owner_key(struct au_arena *a, const char *realm_uuid)
{
	return realm_uuid == NULL ? "global" :
	    au_arena_printf(a, "realm:%s", realm_uuid);
}

static void
scope_from_row(struct au_scope *s, char **row)
{
	s->id = row[0];
	s->realm_uuid = row[1];
	s->name = row[2];
	s->description = row[3];
	s->claims = row[4] != NULL ? row[4] : "[]";
	s->include_in_token = au_col_ll(row[5]) != 0;
	s->version = au_col_ll(row[6]);
	s->created_at = au_col_time(row[7]);
	s->updated_at = au_col_time(row[8]);
}

struct insert_args {
	struct au_arena *a;
	struct au_scope *s;
	bool *shadow;
};

/* The locking reads take a gap lock on the name when it is free, so a
 * concurrent insert of the same name by another owner waits (or
 * deadlocks and is retried) instead of slipping past the check. */
static int
insert_tx(struct au_db *db, void *arg)
{
	static const char global_taken[] = "SELECT id FROM scopes "
	    "WHERE owner_key = 'global' AND name = ? FOR UPDATE";
	static const char any_taken[] = "SELECT id FROM scopes "
	    "WHERE name = ? LIMIT 1 FOR UPDATE";
	static const char sql[] = "INSERT INTO scopes (id, realm_id, owner_key, "
	    "name, description, claims, include_in_token, version, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?))";
	struct insert_args *x = arg;
	struct au_scope *s = x->s;
	char **row;
	int rc;

	rc = au_db_query_row(db, x->a, s->realm_uuid != NULL ? global_taken :
	    any_taken, AU_DB_ARGS(AU_DB_STR(s->name)), &row);
	if (rc == AU_OK) {
		*x->shadow = true;
		return AU_EDUP;
	}
	if (rc != AU_ENOTFOUND)
		return rc;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(s->id),
	    AU_DB_STR(s->realm_uuid), AU_DB_STR(owner_key(x->a, s->realm_uuid)),
	    AU_DB_STR(s->name), AU_DB_STR(s->description), AU_DB_STR(s->claims),
	    AU_DB_INT(s->include_in_token), AU_DB_INT(s->created_at),
	    AU_DB_INT(s->updated_at)), NULL);
}

int
au_store_scope_insert(struct au_db *db, struct au_arena *a,
    struct au_scope *s, bool *shadow)
{
	struct insert_args x = { a, s, shadow };

	*shadow = false;
	s->id = au_rand_uuid(a);
	s->created_at = s->updated_at = au_time_now();
	s->version = 1;
	return au_db_tx(db, insert_tx, &x);
}

int
au_store_scope_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, struct au_scope **out)
{
	static const char sql[] = "SELECT " SCOPE_COLS
	    " FROM scopes WHERE owner_key = ? AND name = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(owner_key(a,
	    realm_uuid)), AU_DB_STR(name)), &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	scope_from_row(*out, row);
	return AU_OK;
}

int
au_store_scope_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_scope **items, int *n, long long *total)
{
	static const char sql[] = "SELECT " SCOPE_COLS
	    " FROM scopes WHERE owner_key = ? AND name LIKE ? "
	    "ORDER BY name LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) FROM scopes "
	    "WHERE owner_key = ? AND name LIKE ?";
	const char *like = au_like_prefix(a, prefix != NULL ? prefix : "");
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(
	    owner_key(a, realm_uuid)), AU_DB_STR(like)), offset, limit, &res,
	    total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		scope_from_row(&(*items)[i], res.rows[i]);
	*n = res.nrows;
	return AU_OK;
}

int
au_store_scope_update(struct au_db *db, const struct au_scope *s,
    long long expected_version)
{
	static const char sql[] =
	    "UPDATE scopes SET description = ?, claims = ?, include_in_token = ?, "
	    "version = version + 1, updated_at = FROM_UNIXTIME(?) "
	    "WHERE owner_key = ? AND name = ? AND (? = 0 OR version = ?)";
	struct au_arena *a = au_arena_new();
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(s->description),
	    AU_DB_STR(s->claims), AU_DB_INT(s->include_in_token),
	    AU_DB_INT(au_time_now()), AU_DB_STR(owner_key(a, s->realm_uuid)),
	    AU_DB_STR(s->name), AU_DB_INT(expected_version),
	    AU_DB_INT(expected_version)), &affected);
	au_arena_free(a);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected_version != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

struct delete_args {
	struct au_arena *a;
	const char *realm_uuid, *name;
	long long expected;
};

static int
delete_tx(struct au_db *db, void *arg)
{
	static const char find[] = "SELECT id, version FROM scopes "
	    "WHERE owner_key = ? AND name = ? FOR UPDATE";
	static const char clients[] = "UPDATE clients SET version = version + 1, "
	    "updated_at = FROM_UNIXTIME(?) WHERE id IN "
	    "(SELECT client_id FROM client_scopes WHERE scope_id = ?)";
	static const char del[] = "DELETE FROM scopes WHERE id = ?";
	struct delete_args *x = arg;
	char **row;
	int rc;

	rc = au_db_query_row(db, x->a, find, AU_DB_ARGS(AU_DB_STR(owner_key(x->a,
	    x->realm_uuid)), AU_DB_STR(x->name)), &row);
	if (rc != AU_OK)
		return rc;
	if (x->expected != 0 && au_col_ll(row[1]) != x->expected)
		return AU_ECONFLICT;
	rc = au_db_exec(db, clients, AU_DB_ARGS(AU_DB_INT(au_time_now()),
	    AU_DB_STR(row[0])), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, del, AU_DB_ARGS(AU_DB_STR(row[0])), NULL);
	return rc;
}

int
au_store_scope_delete(struct au_db *db, const char *realm_uuid,
    const char *name, long long expected_version)
{
	struct delete_args x = { au_arena_new(), realm_uuid, name,
		expected_version };
	int rc;

	rc = au_db_tx(db, delete_tx, &x);
	au_arena_free(x.a);
	return rc;
}

int
au_store_scope_published(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_scope **items, int *n)
{
	static const char sql[] = "SELECT name, claims, include_in_token "
	    "FROM scopes WHERE owner_key IN ('global', ?) ORDER BY name LIMIT ?";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(owner_key(a,
	    realm_uuid)), AU_DB_INT(MAX_PUBLISHED)), &res);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		(*items)[i].name = res.rows[i][0];
		(*items)[i].claims = res.rows[i][1] != NULL ? res.rows[i][1] : "[]";
		(*items)[i].include_in_token = au_col_ll(res.rows[i][2]) != 0;
	}
	*n = res.nrows;
	return AU_OK;
}

int
au_store_scope_resolve(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, char **id)
{
	static const char sql[] = "SELECT id FROM scopes WHERE name = ? AND "
	    "(realm_id IS NULL OR realm_id = ?) ORDER BY realm_id IS NULL LIMIT 1";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(name),
	    AU_DB_STR(realm_uuid)), &row);
	if (rc == AU_OK)
		*id = row[0];
	return rc;
}
