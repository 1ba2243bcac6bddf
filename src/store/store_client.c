/* store_client.c — clients table access. */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_client.h"
#include "store/store_util.h"

#define CLIENT_COLS "id, realm_id, client_id, name, description, type, " \
	"enabled, grant_types, pkce_required, consent_required, " \
	"token_endpoint_auth_method, user_access, version, created_at, updated_at, " \
	"token_settings"

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
}

static int
insert_tx(struct au_db *db, void *arg)
{
	static const char claim[] =
	    "INSERT INTO principal_names (realm_id, name, kind, owner_id) "
	    "VALUES (?, ?, 'client', ?)";
	static const char sql[] =
	    "INSERT INTO clients (id, realm_id, client_id, name, description, "
	    "type, enabled, grant_types, pkce_required, consent_required, "
	    "token_endpoint_auth_method, user_access, token_settings, version, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, 1, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	struct au_client *c = arg;
	int rc;

	rc = au_db_exec(db, claim, AU_DB_ARGS(AU_DB_STR(c->realm_uuid),
	    AU_DB_STR(c->client_id), AU_DB_STR(c->id)), NULL);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->id),
	    AU_DB_STR(c->realm_uuid), AU_DB_STR(c->client_id), AU_DB_STR(c->name),
	    AU_DB_STR(c->description), AU_DB_STR(c->type),
	    AU_DB_INT(c->enabled), AU_DB_STR(c->grant_types),
	    AU_DB_INT(c->pkce_required), AU_DB_INT(c->consent_required),
	    AU_DB_STR(c->token_endpoint_auth_method), AU_DB_STR(c->user_access),
	    AU_DB_STR(c->token_settings), AU_DB_INT(c->created_at),
	    AU_DB_INT(c->updated_at)), NULL);
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
	static const char sql[] = "SELECT " CLIENT_COLS
	    " FROM clients WHERE realm_id = ? AND client_id LIKE ? "
	    "ORDER BY client_id LIMIT ? OFFSET ?";
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
	    "version = version + 1, updated_at = FROM_UNIXTIME(?) "
	    "WHERE realm_id = ? AND client_id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->name),
	    AU_DB_STR(c->description), AU_DB_STR(c->type), AU_DB_INT(c->enabled),
	    AU_DB_STR(c->grant_types), AU_DB_INT(c->pkce_required),
	    AU_DB_INT(c->consent_required),
	    AU_DB_STR(c->token_endpoint_auth_method), AU_DB_STR(c->user_access),
	    AU_DB_STR(c->token_settings), AU_DB_INT(au_time_now()),
	    AU_DB_STR(c->realm_uuid), AU_DB_STR(c->client_id),
	    AU_DB_INT(expected_version), AU_DB_INT(expected_version)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected_version != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

struct delete_args {
	const char *realm_uuid, *client_id;
};

static int
delete_tx(struct au_db *db, void *arg)
{
	static const char name[] = "DELETE FROM principal_names WHERE "
	    "realm_id = ? AND name = ? AND kind = 'client'";
	static const char sql[] =
	    "DELETE FROM clients WHERE realm_id = ? AND client_id = ?";
	struct delete_args *d = arg;
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(d->realm_uuid),
	    AU_DB_STR(d->client_id)), &affected);
	if (rc == AU_OK && affected == 0)
		rc = AU_ENOTFOUND;
	if (rc == AU_OK)
		rc = au_db_exec(db, name, AU_DB_ARGS(AU_DB_STR(d->realm_uuid),
		    AU_DB_STR(d->client_id)), NULL);
	return rc;
}

int
au_store_client_delete(struct au_db *db, const char *realm_uuid,
    const char *client_id)
{
	struct delete_args d = { realm_uuid, client_id };

	return au_db_tx(db, delete_tx, &d);
}

int
au_store_client_set_scopes(struct au_db *db, struct au_arena *a,
    const struct au_client *c, const char *kind, char **names, int n,
    const char **missing)
{
	static const char find[] = "SELECT id FROM scopes WHERE name = ? AND "
	    "(realm_id IS NULL OR realm_id = ?) ORDER BY realm_id IS NULL LIMIT 1";
	static const char del[] =
	    "DELETE FROM client_scopes WHERE client_id = ? AND kind = ?";
	static const char ins[] = "REPLACE INTO client_scopes "
	    "(client_id, scope_id, kind) VALUES (?, ?, ?)";
	int rc, i;

	rc = au_db_exec(db, del, AU_DB_ARGS(AU_DB_STR(c->id), AU_DB_STR(kind)),
	    NULL);
	for (i = 0; rc == AU_OK && i < n; i++) {
		char **row;

		rc = au_db_query_row(db, a, find, AU_DB_ARGS(AU_DB_STR(names[i]),
		    AU_DB_STR(c->realm_uuid)), &row);
		if (rc == AU_ENOTFOUND)
			*missing = names[i];
		if (rc == AU_OK)
			rc = au_db_exec(db, ins, AU_DB_ARGS(AU_DB_STR(c->id),
			    AU_DB_STR(row[0]), AU_DB_STR(kind)), NULL);
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
