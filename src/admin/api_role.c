/* api_role.c — realm, client and global roles of the admin API: create,
 * list, read, replace, patch, delete, and their members (api_role.h). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_role.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_client.h"
#include "store/store_realm.h"
#include "store/store_role.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct au_field role_fields[] = {
	{ "name", AU_F_STRING, true, 255 },
	{ "description", AU_F_STRING, false, 1000 },
};

int
au_api_role_scope_or_respond(struct au_req *r, struct au_api_role_scope *s)
{
	struct au_realm *master;
	int rc;

	memset(s, 0, sizeof(*s));
	if (au_req_param(r, "realmId") == NULL) {
		/* global roles: changes are recorded in the master realm */
		if (au_ctx_db(au_req_ctx(r), &s->db) != AU_OK)
			return au_resp_unavailable(r), AU_EDB;
		rc = au_store_realm_find(s->db, r->arena, "master", &master);
		if (rc != AU_OK)
			return au_api_store_error(r, rc, "The master realm"), rc;
		s->owner_key = au_store_role_owner_key(r->arena, NULL, NULL);
		s->event_realm = master->id;
		return AU_OK;
	}
	if (au_req_param(r, "clientId") != NULL) {
		if (au_api_client_or_respond(r, &s->db, &s->realm,
		    &s->client) != AU_OK)
			return AU_ENOTFOUND;
	} else if (au_api_realm_or_respond(r, &s->db, &s->realm) != AU_OK) {
		return AU_ENOTFOUND;
	}
	s->owner_key = au_store_role_owner_key(r->arena, s->realm->id,
	    s->client != NULL ? s->client->id : NULL);
	s->event_realm = s->realm->id;
	return AU_OK;
}

/* "Role 'x'", "Role 'x' of client 'app'", "Global role 'x'". */
static const char *
role_what(struct au_req *r, const struct au_api_role_scope *s,
    const char *name)
{
	if (s->client != NULL)
		return au_arena_printf(r->arena, "Role '%.255s' of client '%.255s'",
		    name, s->client->client_id);
	return au_arena_printf(r->arena, "%s '%.255s'", s->realm != NULL ?
	    "Role" : "Global role", name);
}

int
au_api_role_or_respond(struct au_req *r, struct au_api_role_scope *s,
    struct au_role **role)
{
	const char *name = au_req_param(r, "roleName");
	int rc;

	if (au_api_role_scope_or_respond(r, s) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_role_find(s->db, r->arena, s->owner_key, name, role);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, role_what(r, s, name)), rc;
	return AU_OK;
}

struct json_object *
au_api_role_json(struct au_req *r, const struct au_role *role)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(role->id));
	json_object_object_add(o, "name", json_object_new_string(role->name));
	json_object_object_add(o, "description",
	    json_object_new_string(role->description));
	json_object_object_add(o, "composite",
	    json_object_new_boolean(role->composite));
	if (role->client_id != NULL)
		json_object_object_add(o, "clientId",
		    json_object_new_string(role->client_id));
	if (role->realm_uuid == NULL)
		json_object_object_add(o, "global", json_object_new_boolean(true));
	json_object_object_add(o, "version", json_object_new_int64(role->version));
	au_api_add_time(r, o, "createdAt", role->created_at);
	au_api_add_time(r, o, "updatedAt", role->updated_at);
	return o;
}

const char *
au_api_role_resource(struct au_req *r, const struct au_role *role)
{
	if (role->client_id != NULL)
		return au_arena_printf(r->arena, "%s/roles/%s", role->client_id,
		    role->name);
	if (role->realm_uuid == NULL)
		return au_arena_printf(r->arena, "global/%s", role->name);
	return role->name;
}

int
au_api_role_global_touch(struct au_db *db, const struct au_role *role)
{
	return role->realm_uuid == NULL ? au_store_realm_touch_all(db) : AU_OK;
}

/* The role's URL, for Location. */
static const char *
role_url(struct au_req *r, const struct au_api_role_scope *s, const char *name)
{
	const char *enc = au_url_encode(r->arena, name);

	if (s->client != NULL)
		return au_arena_printf(r->arena, "%s/api/admin/realms/%s/clients/"
		    "%s/roles/%s", r->cfg->base_url, s->realm->realm_id,
		    au_url_encode(r->arena, s->client->client_id), enc);
	if (s->realm != NULL)
		return au_arena_printf(r->arena, "%s/api/admin/realms/%s/roles/%s",
		    r->cfg->base_url, s->realm->realm_id, enc);
	return au_arena_printf(r->arena, "%s/api/admin/roles/%s",
	    r->cfg->base_url, enc);
}

/* Names are URL path segments: the router refuses '/' (even encoded),
 * "." and "..", so such names could never be addressed. */
static int
check_role_values(struct au_req *r, struct json_object *body,
    struct au_role *role)
{
	role->name = (char *)au_api_str(body, "name");
	role->description = (char *)au_api_str(body, "description");
	if (role->description == NULL)
		role->description = "";
	if (*role->name == '\0')
		return au_resp_field_error(r, 400, "name", "must not be empty"),
		    AU_EINVAL;
	if (strchr(role->name, '/') != NULL)
		return au_resp_field_error(r, 400, "name", "must not contain '/'"),
		    AU_EINVAL;
	if (strcmp(role->name, ".") == 0 || strcmp(role->name, "..") == 0)
		return au_resp_field_error(r, 400, "name",
		    "must not be \".\" or \"..\""), AU_EINVAL;
	return AU_OK;
}

enum change_op { OP_CREATE, OP_UPDATE, OP_DELETE };

struct change {
	struct au_req *r;
	enum change_op op;
	struct au_role *role;         /* create: filled in; update: id and
	                                 new values; delete: the old role */
	long long expected;           /* If-Match version, 0 = any */
	struct json_object *before;   /* borrowed */
	struct json_object *after;    /* borrowed; create: built here */
	const char *event_realm;
};

/* The role row and its event, together. */
static int
change_tx(struct au_db *db, void *arg)
{
	static const char *const types[] = { "role.create", "role.update",
		"role.delete" };
	struct change *x = arg;
	int rc;

	switch (x->op) {
	case OP_CREATE:
		rc = au_store_role_insert(db, x->r->arena, x->role);
		if (rc == AU_OK && x->after == NULL) {
			x->after = au_api_role_json(x->r, x->role);
			au_api_own(x->r, x->after);
		}
		break;
	case OP_UPDATE:
		rc = au_store_role_update(db, x->role, x->expected);
		break;
	default:
		rc = au_store_role_delete(db, x->role->id, x->expected);
		break;
	}
	/* a new role is held by nobody yet: no token changes */
	if (rc == AU_OK && x->op != OP_CREATE)
		rc = au_api_role_global_touch(db, x->role);
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->event_realm, types[x->op], "role",
		    au_api_role_resource(x->r, x->role), x->before, x->after);
	return rc;
}

/* Drops this worker's cached realm (clients' roles) after a change. */
static void
forget(struct au_req *r, const struct au_api_role_scope *s)
{
	if (s->realm != NULL)
		au_realm_forget(r, s->realm->realm_id);
}

/* Checks a create body and stores the role for scope s; AU_OK, or the
 * error has been answered. */
static int
create_in(struct au_req *r, const struct au_api_role_scope *s,
    struct json_object *body, struct au_role *role)
{
	struct change x = { r, OP_CREATE, role, 0, NULL, NULL, s->event_realm };
	int rc;

	if (au_api_check_or_respond(r, role_fields, COUNT(role_fields),
	    body) != AU_OK || check_role_values(r, body, role) != AU_OK)
		return AU_EINVAL;
	role->realm_uuid = s->realm != NULL ? s->realm->id : NULL;
	role->client_uuid = s->client != NULL ? s->client->id : NULL;
	role->client_id = s->client != NULL ? s->client->client_id : NULL;
	rc = au_db_tx(s->db, change_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, role_what(r, s, role->name)), rc;
	return AU_OK;
}

int
au_api_role_create_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, struct au_client *client,
    struct json_object *body, struct au_role **out)
{
	struct au_api_role_scope s = { 0 };
	struct au_role *role = au_arena_calloc(r->arena, sizeof(*role));
	int rc;

	s.db = db;
	s.realm = realm;
	s.client = client;
	s.owner_key = au_store_role_owner_key(r->arena, realm->id,
	    client != NULL ? client->id : NULL);
	s.event_realm = realm->id;
	rc = create_in(r, &s, body, role);
	if (rc == AU_OK)
		*out = role;
	return rc;
}

int
au_api_role_create(struct au_req *r)
{
	struct au_api_role_scope s;
	struct json_object *body;
	struct au_role role = { 0 };

	if (au_api_body_or_respond(r, role_fields, COUNT(role_fields),
	    &body) != AU_OK || au_api_role_scope_or_respond(r, &s) != AU_OK ||
	    create_in(r, &s, body, &role) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Location", role_url(r, &s, role.name));
	au_api_etag(r, role.version);
	return au_resp_json(r, 201, au_api_role_json(r, &role));
}

int
au_api_role_list(struct au_req *r)
{
	struct au_api_role_scope s;
	struct json_object *arr;
	struct au_role *items;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_role_scope_or_respond(r, &s) != AU_OK)
		return AU_OK;
	rc = au_store_role_list(s.db, r->arena, s.owner_key, au_req_query(r, "q"),
	    offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The role list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, au_api_role_json(r, &items[i]));
	return au_api_list(r, arr, total);
}

int
au_api_role_get(struct au_req *r)
{
	struct au_api_role_scope s;
	struct au_role *role;

	if (au_api_role_or_respond(r, &s, &role) != AU_OK)
		return AU_OK;
	au_api_etag(r, role->version);
	return au_resp_json(r, 200, au_api_role_json(r, role));
}

/* Replaces old's name and description with the validated body (PUT, and
 * PATCH after merging); a new name renames the role. */
static int
replace_role(struct au_req *r, struct au_api_role_scope *s,
    const struct au_role *old, struct json_object *body, long long expected)
{
	struct change x = { r, OP_UPDATE, NULL, expected, NULL, body,
		s->event_realm };
	struct au_role role = *old, *fresh;
	int rc;

	if (check_role_values(r, body, &role) != AU_OK)
		return AU_OK;
	x.role = &role;
	x.before = au_api_role_json(r, old);
	au_api_own(r, x.before);
	rc = au_db_tx(s->db, change_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, role_what(r, s, rc == AU_EDUP ?
		    role.name : old->name));
	forget(r, s);
	rc = au_store_role_find(s->db, r->arena, s->owner_key, role.name, &fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, role_what(r, s, role.name));
	au_api_etag(r, fresh->version);
	return au_resp_json(r, 200, au_api_role_json(r, fresh));
}

int
au_api_role_update(struct au_req *r)
{
	struct au_api_role_scope s;
	struct json_object *body;
	struct au_role *old;
	long long expected;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, role_fields, COUNT(role_fields),
	    &body) != AU_OK ||
	    au_api_role_or_respond(r, &s, &old) != AU_OK)
		return AU_OK;
	return replace_role(r, &s, old, body, expected);
}

int
au_api_role_patch(struct au_req *r)
{
	static const char *const computed[] = { "id", "composite", "clientId",
		"global", "version", "createdAt", "updatedAt", NULL };
	struct json_object *patch, *merged;
	struct au_api_role_scope s;
	struct au_role *old;
	long long expected;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_patch_body_or_respond(r, &patch) != AU_OK ||
	    au_api_role_or_respond(r, &s, &old) != AU_OK ||
	    au_api_patched_or_respond(r, au_api_role_json(r, old), computed,
	    patch, role_fields, COUNT(role_fields), &merged) != AU_OK)
		return AU_OK;
	return replace_role(r, &s, old, merged, expected);
}

int
au_api_role_delete(struct au_req *r)
{
	struct change x = { r, OP_DELETE, NULL, 0, NULL, NULL, NULL };
	struct au_api_role_scope s;
	struct au_role *role;
	int rc;

	if (au_api_if_match_or_respond(r, &x.expected) != AU_OK ||
	    au_api_role_or_respond(r, &s, &role) != AU_OK)
		return AU_OK;
	x.role = role;
	x.event_realm = s.event_realm;
	x.before = au_api_role_json(r, role);
	au_api_own(r, x.before);
	rc = au_db_tx(s.db, change_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, role_what(r, &s, role->name));
	forget(r, &s);
	return au_resp_empty(r, 204);
}

int
au_api_role_members(struct au_req *r)
{
	struct au_api_role_scope s;
	struct au_role_member *items;
	struct json_object *arr, *o;
	struct au_role *role;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_role_or_respond(r, &s, &role) != AU_OK)
		return AU_OK;
	if (s.realm == NULL)
		return au_resp_problem(r, 404, "Not Found", "Global roles have no "
		    "member list; ask each realm.", NULL);
	rc = au_store_role_members(s.db, r->arena, role->id, s.realm->id, offset,
	    limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The member list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		bool user = strcmp(items[i].type, "user") == 0;

		o = json_object_new_object();
		json_object_object_add(o, "type",
		    json_object_new_string(items[i].type));
		if (user)
			json_object_object_add(o, "id",
			    json_object_new_string(items[i].id));
		json_object_object_add(o, user ? "username" : "consumerId",
		    json_object_new_string(items[i].name));
		json_object_array_add(arr, o);
	}
	return au_api_list(r, arr, total);
}
