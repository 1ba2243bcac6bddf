/* store_client.c — clients table access. */
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_client.h"
#include "store/store_scope.h"
#include "store/store_util.h"

#define CLIENT_COLS "id, realm_id, client_id, name, description, type, " \
	"enabled, grant_types, pkce_required, consent_required, " \
	"token_endpoint_auth_method, user_access, version, created_at, updated_at, " \
	"token_settings, jwks, jwks_uri, branding"

static void
client_from_row(struct au_client *c, char **row)
{
	c->id = row[0];
	c->realm_uuid = row[1];
	c->client_id = row[2];
	c->name = row[3];
	c->description = row[4];
	c->type = row[5];
	c->enabled = au_col_ll(row[6]) != 0;
	c->grant_types = row[7];
	c->pkce_required = au_col_ll(row[8]) != 0;
	c->consent_required = au_col_ll(row[9]) != 0;
	c->token_endpoint_auth_method = row[10];
	c->user_access = row[11];
	c->version = au_col_ll(row[12]);
	c->created_at = au_col_time(row[13]);
	c->updated_at = au_col_time(row[14]);
	c->token_settings = row[15];
	c->jwks = row[16];
	c->jwks_uri = row[17];
	c->branding = row[18];
}

static int
insert_tx(struct au_db *db, void *arg)
{
	static const char sql[] =
	    "INSERT INTO clients (id, realm_id, client_id, name, description, "
	    "type, enabled, grant_types, pkce_required, consent_required, "
	    "token_endpoint_auth_method, user_access, token_settings, jwks, "
	    "jwks_uri, branding, version, created_at, updated_at) VALUES (?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?))";
	struct au_client *c = arg;
	int rc;

	rc = au_store_principal_claim(db, AU_PRINCIPAL_CLIENT, c->realm_uuid,
	    c->client_id, c->id);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->id),
	    AU_DB_STR(c->realm_uuid), AU_DB_STR(c->client_id), AU_DB_STR(c->name),
	    AU_DB_STR(c->description), AU_DB_STR(c->type),
	    AU_DB_INT(c->enabled), AU_DB_STR(c->grant_types),
	    AU_DB_INT(c->pkce_required), AU_DB_INT(c->consent_required),
	    AU_DB_STR(c->token_endpoint_auth_method), AU_DB_STR(c->user_access),
	    AU_DB_STR(c->token_settings), AU_DB_STR(c->jwks),
	    AU_DB_STR(c->jwks_uri), AU_DB_STR(c->branding),
	    AU_DB_INT(c->created_at), AU_DB_INT(c->updated_at)), NULL);
}

int
au_store_client_insert(struct au_db *db, struct au_arena *a,
    struct au_client *c)
{
	c->id = au_rand_uuid(a);
	c->created_at = c->updated_at = au_time_now();
	c->version = 1;
	return au_db_tx(db, insert_tx, c);
}

int
au_store_client_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_id, struct au_client **out)
{
	static const char sql[] = "SELECT " CLIENT_COLS
	    " FROM clients WHERE realm_id = ? AND client_id = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(client_id)), &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	client_from_row(*out, row);
	return AU_OK;
}

int
au_store_client_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_client **items, int *n, long long *total)
{
	/* the page is found in uq_clients_realm_client alone (inner query),
	 * then its rows are read: a deep page costs index entries, not rows */
	static const char sql[] = "SELECT " CLIENT_COLS " FROM clients "
	    "JOIN (SELECT id FROM clients WHERE realm_id = ? AND client_id LIKE ? "
	    "ORDER BY client_id LIMIT ? OFFSET ?) page USING (id) "
	    "ORDER BY client_id";
	static const char count_sql[] = "SELECT COUNT(*) FROM clients "
	    "WHERE realm_id = ? AND client_id LIKE ?";
	const char *like = au_like_prefix(a, prefix != NULL ? prefix : "");
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(like)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		client_from_row(&(*items)[i], res.rows[i]);
	*n = res.nrows;
	return AU_OK;
}

int
au_store_client_update(struct au_db *db, const struct au_client *c,
    long long expected_version)
{
	static const char sql[] =
	    "UPDATE clients SET name = ?, description = ?, type = ?, enabled = ?, "
	    "grant_types = ?, pkce_required = ?, consent_required = ?, "
	    "token_endpoint_auth_method = ?, user_access = ?, token_settings = ?, "
	    "jwks = ?, jwks_uri = ?, branding = ?, "
	    "version = version + 1, updated_at = FROM_UNIXTIME(?) "
	    "WHERE realm_id = ? AND client_id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->name),
	    AU_DB_STR(c->description), AU_DB_STR(c->type), AU_DB_INT(c->enabled),
	    AU_DB_STR(c->grant_types), AU_DB_INT(c->pkce_required),
	    AU_DB_INT(c->consent_required),
	    AU_DB_STR(c->token_endpoint_auth_method), AU_DB_STR(c->user_access),
	    AU_DB_STR(c->token_settings), AU_DB_STR(c->jwks),
	    AU_DB_STR(c->jwks_uri), AU_DB_STR(c->branding),
	    AU_DB_INT(au_time_now()),
	    AU_DB_STR(c->realm_uuid), AU_DB_STR(c->client_id),
	    AU_DB_INT(expected_version), AU_DB_INT(expected_version)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected_version != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_client_delete(struct au_db *db, const char *realm_uuid,
    const char *client_id)
{
	return au_store_principal_delete(db, AU_PRINCIPAL_CLIENT, realm_uuid,
	    client_id);
}

int
au_store_client_set_scopes(struct au_db *db, struct au_arena *a,
    const struct au_client *c, const char *kind, char **names, int n,
    const char **missing)
{
	static const char del[] =
	    "DELETE FROM client_scopes WHERE client_id = ? AND kind = ?";
	static const char ins[] = "REPLACE INTO client_scopes "
	    "(client_id, scope_id, kind) VALUES (?, ?, ?)";
	int rc, i;

	rc = au_db_exec(db, del, AU_DB_ARGS(AU_DB_STR(c->id), AU_DB_STR(kind)),
	    NULL);
	for (i = 0; rc == AU_OK && i < n; i++) {
		char *scope_id;

		rc = au_store_scope_resolve(db, a, c->realm_uuid, names[i],
		    &scope_id);
		if (rc == AU_ENOTFOUND)
			*missing = names[i];
		if (rc == AU_OK)
			rc = au_db_exec(db, ins, AU_DB_ARGS(AU_DB_STR(c->id),
			    AU_DB_STR(scope_id), AU_DB_STR(kind)), NULL);
	}
	return rc;
}

int
au_store_client_scopes(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *kind, char ***names, int *n)
{
	static const char sql[] = "SELECT s.name FROM client_scopes cs "
	    "JOIN scopes s ON s.id = cs.scope_id "
	    "WHERE cs.client_id = ? AND cs.kind = ? ORDER BY s.name";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_STR(kind)), &res);
	if (rc != AU_OK)
		return rc;
	*names = au_arena_calloc(a, sizeof(char *) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		(*names)[i] = res.rows[i][0];
	*n = res.nrows;
	return AU_OK;
}

static const char *const list_kinds[AU_CL_COUNT] = { "default", "optional",
	"redirect", "post_logout", "web_origin" };

static int
list_kind(const char *kind)
{
	int k;

	for (k = 0; k < AU_CL_COUNT; k++)
		if (strcmp(kind, list_kinds[k]) == 0)
			return k;
	return -1;
}

static int
cmp_client_ptr(const void *x, const void *y)
{
	return strcmp((*(struct au_client *const *)x)->id,
	    (*(struct au_client *const *)y)->id);
}

/* The client of by_id[0..n) (sorted by id) with this id, or NULL. */
static struct au_client *
client_by_id(struct au_client **by_id, int n, const char *id)
{
	struct au_client key, *kp = &key, **hit;

	key.id = (char *)id;
	hit = bsearch(&kp, by_id, (size_t)n, sizeof(*by_id), cmp_client_ptr);
	return hit != NULL ? *hit : NULL;
}

int
au_store_client_load_lists(struct au_db *db, struct au_arena *a,
    struct au_client *items, int n)
{
	/* rows: client uuid, kind, value; by client, kind, position, value */
	static const char sql[] =
	    "SELECT cs.client_id, CAST(cs.kind AS CHAR CHARACTER SET ascii), "
	    "s.name, 0 FROM JSON_TABLE(?, '$[*]' COLUMNS (id CHAR(36) "
	    "CHARACTER SET ascii PATH '$')) p "
	    "JOIN client_scopes cs ON cs.client_id = p.id "
	    "JOIN scopes s ON s.id = cs.scope_id "
	    "UNION ALL "
	    "SELECT u.client_id, CAST(u.kind AS CHAR CHARACTER SET ascii), "
	    "u.uri, u.position FROM JSON_TABLE(?, '$[*]' COLUMNS (id CHAR(36) "
	    "CHARACTER SET ascii PATH '$')) p "
	    "JOIN client_uris u ON u.client_id = p.id "
	    "ORDER BY 1, 2, 4, 3";
	struct au_client **by_id, *c;
	struct au_dbres res;
	const char *ids;
	char **uuids;
	int rc, i, k, pass;

	if (n == 0)
		return AU_OK;
	by_id = au_arena_alloc(a, sizeof(*by_id) * (size_t)n);
	uuids = au_arena_alloc(a, sizeof(*uuids) * (size_t)n);
	for (i = 0; i < n; i++)
		uuids[i] = items[i].id;
	ids = au_uuid_json_array(a, uuids, n);
	if (ids == NULL)
		return AU_EINVAL;
	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(ids), AU_DB_STR(ids)),
	    &res);
	if (rc != AU_OK)
		return rc;
	for (i = 0; i < n; i++) {
		by_id[i] = &items[i];
		memset(items[i].nlists, 0, sizeof(items[i].nlists));
		items[i].lists_loaded = true;
	}
	qsort(by_id, (size_t)n, sizeof(*by_id), cmp_client_ptr);
	/* pass 0 counts, pass 1 fills arrays sized by the count */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n && pass == 1; i++)
			for (k = 0; k < AU_CL_COUNT; k++) {
				items[i].lists[k] = au_arena_calloc(a, sizeof(char *) *
				    (size_t)(items[i].nlists[k] + 1));
				items[i].nlists[k] = 0;
			}
		for (i = 0; i < res.nrows; i++) {
			c = client_by_id(by_id, n, res.rows[i][0]);
			k = list_kind(res.rows[i][1]);
			if (c == NULL || k < 0)
				continue;
			if (pass == 1)
				c->lists[k][c->nlists[k]] = res.rows[i][2];
			c->nlists[k]++;
		}
	}
	return AU_OK;
}

struct uris_args {
	struct au_arena *a;
	const char *client_uuid, *kind;
	char **uris;
	int n;
};

static int
set_uris_tx(struct au_db *db, void *arg)
{
	static const char del[] =
	    "DELETE FROM client_uris WHERE client_id = ? AND kind = ?";
	static const char ins[] = "INSERT INTO client_uris (id, client_id, kind, "
	    "uri, uri_sha256, position) VALUES (?, ?, ?, ?, SHA2(?, 256), ?)";
	struct uris_args *x = arg;
	int rc, i;

	rc = au_db_exec(db, del, AU_DB_ARGS(AU_DB_STR(x->client_uuid),
	    AU_DB_STR(x->kind)), NULL);
	for (i = 0; rc == AU_OK && i < x->n; i++)
		rc = au_db_exec(db, ins, AU_DB_ARGS(AU_DB_STR(au_rand_uuid(x->a)),
		    AU_DB_STR(x->client_uuid), AU_DB_STR(x->kind),
		    AU_DB_STR(x->uris[i]), AU_DB_STR(x->uris[i]), AU_DB_INT(i)), NULL);
	return rc;
}

int
au_store_client_set_uris(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *kind, char **uris, int n)
{
	struct uris_args x = { a, client_uuid, kind, uris, n };

	return au_db_tx(db, set_uris_tx, &x);
}

int
au_store_client_uris(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *kind, char ***uris, int *n)
{
	static const char sql[] = "SELECT uri FROM client_uris "
	    "WHERE client_id = ? AND kind = ? ORDER BY position";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_STR(kind)), &res);
	if (rc != AU_OK)
		return rc;
	*uris = au_arena_calloc(a, sizeof(char *) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		(*uris)[i] = res.rows[i][0];
	*n = res.nrows;
	return AU_OK;
}

int
au_store_client_user_list(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *prefix, int offset, int limit,
    struct au_client_user **items, int *n, long long *total)
{
	static const char sql[] = "SELECT u.id, u.username FROM client_users cu "
	    "JOIN users u ON u.id = cu.user_id WHERE cu.client_id = ? AND "
	    "u.username LIKE ? ORDER BY u.username LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) FROM client_users cu "
	    "JOIN users u ON u.id = cu.user_id WHERE cu.client_id = ? AND "
	    "u.username LIKE ?";
	const char *like = au_like_prefix(a, prefix != NULL ? prefix : "");
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(
	    client_uuid), AU_DB_STR(like)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		(*items)[i].id = res.rows[i][0];
		(*items)[i].username = res.rows[i][1];
	}
	*n = res.nrows;
	return AU_OK;
}

struct users_args {
	struct au_arena *a;
	const char *realm_uuid, *client_uuid, *ids;
	bool add;
	int *missing;
};

static int
users_tx(struct au_db *db, void *arg)
{
	static const char check[] = "SELECT p.i FROM JSON_TABLE(?, '$[*]' "
	    "COLUMNS (i FOR ORDINALITY, id CHAR(36) CHARACTER SET ascii "
	    "PATH '$')) p LEFT JOIN users u ON u.id = p.id AND u.realm_id = ? "
	    "WHERE u.id IS NULL ORDER BY p.i LIMIT 1";
	static const char add[] = "INSERT INTO client_users (client_id, user_id, "
	    "created_at) SELECT ?, p.id, FROM_UNIXTIME(?) FROM JSON_TABLE(?, "
	    "'$[*]' COLUMNS (id CHAR(36) CHARACTER SET ascii PATH '$')) p "
	    "ON DUPLICATE KEY UPDATE client_id = client_id";
	static const char del[] = "DELETE FROM client_users WHERE client_id = ? "
	    "AND user_id IN (SELECT p.id FROM JSON_TABLE(?, '$[*]' COLUMNS "
	    "(id CHAR(36) CHARACTER SET ascii PATH '$')) p)";
	struct users_args *x = arg;
	char **row;
	int rc;

	rc = au_db_query_row(db, x->a, check, AU_DB_ARGS(AU_DB_STR(x->ids),
	    AU_DB_STR(x->realm_uuid)), &row);
	if (rc == AU_OK) {
		*x->missing = (int)au_col_ll(row[0]) - 1;
		return AU_ENOTFOUND;
	}
	if (rc != AU_ENOTFOUND)
		return rc;
	if (x->add)
		return au_db_exec(db, add, AU_DB_ARGS(AU_DB_STR(x->client_uuid),
		    AU_DB_INT(au_time_now()), AU_DB_STR(x->ids)), NULL);
	return au_db_exec(db, del, AU_DB_ARGS(AU_DB_STR(x->client_uuid),
	    AU_DB_STR(x->ids)), NULL);
}

int
au_store_client_users_change(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_uuid, bool add,
    char **ids, int n, int *missing)
{
	struct users_args x = { a, realm_uuid, client_uuid, NULL, add, missing };
	int i;

	for (i = 0; i < n; i++)
		if (!au_uuid_valid(ids[i])) {
			*missing = i;
			return AU_ENOTFOUND;
		}
	x.ids = au_uuid_json_array(a, ids, n);
	return au_db_tx(db, users_tx, &x);
}
