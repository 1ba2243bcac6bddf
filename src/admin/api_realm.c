/* api_realm.c — realm resources of the admin API. */
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_realm.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_keys.h"
#include "oauth/oauth_realm.h"
#include "store/store_realm.h"

static const struct au_field realm_fields[] = {
	{ "realmId", AU_F_STRING, false, 63 },
	{ "name", AU_F_STRING, true, 255 },
	{ "description", AU_F_STRING, false, 1000 },
	{ "status", AU_F_STRING, false, 16 },
};
#define NFIELDS (sizeof(realm_fields) / sizeof(realm_fields[0]))

static struct json_object *
realm_json(struct au_req *r, const struct au_realm *realm, bool stats,
    long long clients, long long users)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(realm->id));
	json_object_object_add(o, "realmId",
	    json_object_new_string(realm->realm_id));
	json_object_object_add(o, "name", json_object_new_string(realm->name));
	json_object_object_add(o, "description",
	    json_object_new_string(realm->description));
	json_object_object_add(o, "status", json_object_new_string(realm->status));
	json_object_object_add(o, "version", json_object_new_int64(realm->version));
	au_api_add_time(r, o, "createdAt", realm->created_at);
	au_api_add_time(r, o, "updatedAt", realm->updated_at);
	if (stats) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "totalClients",
		    json_object_new_int64(clients));
		json_object_object_add(s, "totalUsers", json_object_new_int64(users));
		json_object_object_add(o, "statistics", s);
	}
	return o;
}

int
au_api_realm_respond(struct au_req *r, struct au_db *db, int status,
    const struct au_realm *realm)
{
	long long clients = 0, users = 0;
	int rc;

	rc = au_store_realm_stats(db, r->arena, realm->id, &clients, &users);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm");
	au_api_etag(r, realm->version);
	return au_resp_json(r, status, realm_json(r, realm, true, clients, users));
}

static int
db_or_respond(struct au_req *r, struct au_db **db)
{
	if (au_ctx_db(au_req_ctx(r), db) != AU_OK) {
		au_resp_unavailable(r);
		return AU_EDB;
	}
	return AU_OK;
}

/* Checks the values of a validated body; status defaults to active. */
static int
check_realm_values(struct au_req *r, struct json_object *body,
    struct au_realm *realm)
{
	realm->name = (char *)au_api_str(body, "name");
	realm->description = (char *)au_api_str(body, "description");
	realm->status = (char *)au_api_str(body, "status");
	if (realm->description == NULL)
		realm->description = "";
	if (realm->status == NULL)
		realm->status = "active";
	if (*realm->name == '\0')
		return au_resp_field_error(r, 400, "name", "must not be empty"),
		    AU_EINVAL;
	if (strcmp(realm->status, "active") != 0 &&
	    strcmp(realm->status, "inactive") != 0)
		return au_resp_field_error(r, 400, "status",
		    "must be \"active\" or \"inactive\""), AU_EINVAL;
	return AU_OK;
}

struct create_args {
	struct au_req *r;
	struct au_realm *realm;
	struct json_object *body;
	bool keys;
};

static int
create_tx(struct au_db *db, void *arg)
{
	struct create_args *c = arg;
	int rc = au_store_realm_insert(db, c->r->arena, c->realm);

	if (rc == AU_OK && c->keys)
		rc = au_keys_provision_realm(db, c->r->arena,
		    au_req_ctx(c->r)->master_key, c->realm->id);
	if (rc == AU_OK)
		rc = au_api_changed(c->r, db, c->realm->id, "realm.create", "realm",
		    c->realm->realm_id, NULL, c->body);
	return rc;
}

int
au_api_realm_create_from(struct au_req *r, struct au_db *db,
    struct json_object *body, bool keys, struct au_realm **out)
{
	struct au_realm *realm = au_arena_calloc(r->arena, sizeof(*realm));
	struct create_args args = { r, realm, body, keys };
	int rc;

	if (au_api_check_or_respond(r, realm_fields, NFIELDS, body) != AU_OK)
		return AU_EINVAL;
	realm->realm_id = (char *)au_api_str(body, "realmId");
	if (realm->realm_id == NULL)
		return au_resp_field_error(r, 400, "realmId", "is required"),
		    AU_EINVAL;
	if (!au_store_realm_id_valid(realm->realm_id))
		return au_resp_field_error(r, 400, "realmId", "must be 2 to 63 "
		    "characters of a-z, 0-9 and '-', not starting with '-'"),
		    AU_EINVAL;
	if (check_realm_values(r, body, realm) != AU_OK)
		return AU_EINVAL;
	rc = au_db_tx(db, create_tx, &args);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Realm '%s'", realm->realm_id)), rc;
	*out = realm;
	return AU_OK;
}

int
au_api_realm_create(struct au_req *r)
{
	struct json_object *body;
	struct au_realm *realm;
	struct au_db *db;

	if (au_api_body_or_respond(r, realm_fields, NFIELDS, &body) != AU_OK ||
	    db_or_respond(r, &db) != AU_OK ||
	    au_api_realm_create_from(r, db, body, true, &realm) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Location", au_arena_printf(r->arena,
	    "%s/api/admin/realms/%s", r->cfg->base_url, realm->realm_id));
	return au_api_realm_respond(r, db, 201, realm);
}

int
au_api_realm_list(struct au_req *r)
{
	struct au_realm *items;
	struct json_object *arr;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    db_or_respond(r, &db) != AU_OK)
		return AU_OK;
	rc = au_store_realm_list(db, r->arena, au_req_query(r, "q"), offset,
	    limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, realm_json(r, &items[i], false, 0, 0));
	return au_api_list(r, arr, total);
}

int
au_api_realm_get(struct au_req *r)
{
	const char *slug = au_req_param(r, "realmId");
	struct au_realm *realm;
	struct au_db *db;
	int rc;

	if (db_or_respond(r, &db) != AU_OK)
		return AU_OK;
	rc = au_store_realm_find(db, r->arena, slug, &realm);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Realm '%s'", slug));
	return au_api_realm_respond(r, db, 200, realm);
}

/* Writes the validated body over realm slug (PUT, and PATCH after
 * merging) and answers with the new representation. */
static int
replace_realm(struct au_req *r, struct au_db *db, const char *slug,
    struct json_object *body, long long expected)
{
	const char *what = au_arena_printf(r->arena, "Realm '%s'", slug);
	const char *body_id = au_api_str(body, "realmId");
	struct au_realm realm = { 0 }, *fresh;
	int rc;

	if (body_id != NULL && strcmp(body_id, slug) != 0)
		return au_resp_field_error(r, 400, "realmId",
		    "cannot be changed (it must match the URL)");
	if (strcmp(slug, "master") == 0 && au_api_str(body, "status") != NULL &&
	    strcmp(au_api_str(body, "status"), "active") != 0)
		return au_resp_field_error(r, 400, "status",
		    "the master realm cannot be made inactive");
	realm.realm_id = (char *)slug;
	if (check_realm_values(r, body, &realm) != AU_OK)
		return AU_OK;
	rc = au_store_realm_update(db, &realm, expected);
	if (rc == AU_ECONFLICT &&
	    au_store_realm_find(db, r->arena, slug, &fresh) == AU_ENOTFOUND)
		rc = AU_ENOTFOUND;
	if (rc != AU_OK)
		return au_api_store_error(r, rc, what);
	au_realm_forget(r, slug);
	rc = au_store_realm_find(db, r->arena, slug, &fresh);
	if (rc == AU_OK)
		rc = au_api_changed(r, db, fresh->id, "realm.update", "realm", slug,
		    NULL, body);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, what);
	return au_api_realm_respond(r, db, 200, fresh);
}

int
au_api_realm_update(struct au_req *r)
{
	struct json_object *body;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, realm_fields, NFIELDS, &body) != AU_OK ||
	    db_or_respond(r, &db) != AU_OK)
		return AU_OK;
	return replace_realm(r, db, au_req_param(r, "realmId"), body, expected);
}

int
au_api_realm_patch(struct au_req *r)
{
	const char *slug = au_req_param(r, "realmId");
	struct json_object *patch, *merged;
	struct au_realm *realm;
	long long expected;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK)
		return AU_OK;
	if (au_req_json(r, &patch) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL);
	if (db_or_respond(r, &db) != AU_OK)
		return AU_OK;
	rc = au_store_realm_find(db, r->arena, slug, &realm);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Realm '%s'", slug));
	/* RFC 7396 over the editable fields, then validated as a PUT */
	merged = json_object_new_object();
	au_api_own(r, merged);
	json_object_object_add(merged, "realmId",
	    json_object_new_string(realm->realm_id));
	json_object_object_add(merged, "name", json_object_new_string(realm->name));
	json_object_object_add(merged, "description",
	    json_object_new_string(realm->description));
	json_object_object_add(merged, "status",
	    json_object_new_string(realm->status));
	au_api_merge_patch(merged, patch);
	if (au_api_check_or_respond(r, realm_fields, NFIELDS, merged) != AU_OK)
		return AU_OK;
	return replace_realm(r, db, slug, merged, expected);
}

int
au_api_realm_delete(struct au_req *r)
{
	const char *slug = au_req_param(r, "realmId");
	struct au_realm *realm;
	long long expected;
	struct au_db *db;
	int rc;

	if (strcmp(slug, "master") == 0)
		return au_resp_problem(r, 409, "Conflict",
		    "The master realm cannot be deleted.", NULL);
	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    db_or_respond(r, &db) != AU_OK)
		return AU_OK;
	if (expected != 0) {
		rc = au_store_realm_find(db, r->arena, slug, &realm);
		if (rc == AU_OK && realm->version != expected)
			rc = AU_ECONFLICT;
		if (rc != AU_OK)
			return au_api_store_error(r, rc, au_arena_printf(r->arena,
			    "Realm '%s'", slug));
	}
	rc = au_store_realm_delete(db, slug);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Realm '%s'", slug));
	/* its events went with it: the log keeps the record */
	au_log_info("realm '%s' deleted by %s", slug,
	    r->actor != NULL ? r->actor : "?");
	au_realm_forget(r, slug);
	return au_resp_empty(r, 204);
}
