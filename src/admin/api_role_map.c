/* api_role_map.c — lists of role references in the admin API: the
 * composites of a role and the role mappings of users, consumers and
 * clients (api_role.h).
 *
 * Request bodies are JSON arrays of references; every reference is
 * checked and resolved before anything is written, and errors name the
 * entry ("[1].name").  Responses group roles by owner:
 *   {"realm": [...], "clients": {"<clientId>": [...]}, "global": [...]} */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_role.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_client.h"
#include "store/store_realm.h"
#include "store/store_role.h"

#define MAX_REFS 500
#define MAX_NAME 255

struct role_ref {
	const char *name;
	const char *client_id;     /* a client role of the realm */
	bool global;
	struct au_role *role;      /* resolved */
};

static void
add_error(struct au_req *r, struct json_object *errors, int i,
    const char *member, const char *msg)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(
	    au_arena_printf(r->arena, "[%d]%s%s", i, *member ? "." : "",
	    member)));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_array_add(errors, e);
}

/* A string member of a reference; NULL after recording why. */
static const char *
ref_string(struct au_req *r, struct json_object *errors, int i,
    const char *member, struct json_object *v)
{
	const char *s;

	if (!json_object_is_type(v, json_type_string)) {
		add_error(r, errors, i, member, "must be a string");
		return NULL;
	}
	s = json_object_get_string(v);
	if (*s == '\0' || (size_t)json_object_get_string_len(v) > MAX_NAME ||
	    strlen(s) != (size_t)json_object_get_string_len(v) ||
	    !au_str_printable(s)) {
		add_error(r, errors, i, member, "must be 1 to 255 characters "
		    "without control characters");
		return NULL;
	}
	return s;
}

/* The shape of entry i; errors are recorded, not answered. */
static void
parse_ref(struct au_req *r, struct json_object *errors, int i,
    struct json_object *e, bool only_global, struct role_ref *ref)
{
	bool named = false;

	if (!json_object_is_type(e, json_type_object)) {
		add_error(r, errors, i, "", "must be an object such as "
		    "{\"name\": \"viewer\"}");
		return;
	}
	json_object_object_foreach(e, key, v) {
		if (strcmp(key, "name") == 0) {
			named = true;
			ref->name = ref_string(r, errors, i, "name", v);
		} else if (strcmp(key, "clientId") == 0) {
			ref->client_id = ref_string(r, errors, i, "clientId", v);
		} else if (strcmp(key, "global") == 0) {
			if (!json_object_is_type(v, json_type_boolean))
				add_error(r, errors, i, "global", "must be true or "
				    "false");
			ref->global = json_object_get_boolean(v);
		} else {
			add_error(r, errors, i, key, "is not a known field");
		}
	}
	if (!named)
		add_error(r, errors, i, "name", "is required");
	if (ref->global && ref->client_id != NULL)
		add_error(r, errors, i, "global", "cannot be combined with "
		    "clientId");
	else if (only_global && !ref->global)
		add_error(r, errors, i, "global", "must be true: a global role may "
		    "include only global roles");
}

/* Finds the role entry i refers to; AU_EDB only when the database
 * failed, unknown roles are recorded in errors. */
static int
resolve_ref(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    struct json_object *errors, int i, struct role_ref *ref)
{
	struct au_client *c;
	int rc;

	if (ref->global)
		rc = au_store_role_find(db, r->arena, "global", ref->name,
		    &ref->role);
	else if (ref->client_id != NULL)
		rc = au_store_role_find_client(db, r->arena, realm->id,
		    ref->client_id, ref->name, &ref->role);
	else
		rc = au_store_role_find(db, r->arena, au_store_role_owner_key(
		    r->arena, realm->id, NULL), ref->name, &ref->role);
	if (rc != AU_ENOTFOUND)
		return rc;
	if (ref->client_id != NULL) {
		rc = au_store_client_find(db, r->arena, realm->id, ref->client_id,
		    &c);
		if (rc == AU_ENOTFOUND)
			return add_error(r, errors, i, "clientId", au_arena_printf(
			    r->arena, "client '%.255s' does not exist",
			    ref->client_id)), AU_OK;
		if (rc != AU_OK)
			return rc;
	}
	add_error(r, errors, i, "name", au_arena_printf(r->arena, "%s '%.255s' "
	    "does not exist", ref->global ? "global role" : ref->client_id ?
	    "client role" : "realm role", ref->name));
	return AU_OK;
}

static int
refs_problem(struct au_req *r, struct json_object *errors)
{
	struct json_object *first = json_object_array_get_idx(errors, 0), *f, *m;

	json_object_object_get_ex(first, "field", &f);
	json_object_object_get_ex(first, "message", &m);
	au_resp_problem(r, 400, "Validation failed", au_arena_printf(r->arena,
	    "%s %s", json_object_get_string(f), json_object_get_string(m)),
	    errors);
	return AU_EINVAL;
}

/* Checks and resolves the references of arr (a parsed JSON array).
 * realm is the realm of realm and client roles; NULL allows only global
 * roles.  AU_OK with *refs and *n; otherwise answered. */
static int
refs_from_or_respond(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *arr,
    struct role_ref **refs, int *n)
{
	struct json_object *errors;
	int i, len, rc = AU_OK;

	if (!json_object_is_type(arr, json_type_array))
		return au_resp_field_error(r, 400, "[]", "must be an array of role "
		    "references such as [{\"name\": \"viewer\"}]"), AU_EINVAL;
	len = (int)json_object_array_length(arr);
	if (len > MAX_REFS)
		return au_resp_field_error(r, 400, "[]", "must have at most 500 "
		    "entries"), AU_EINVAL;
	*refs = au_arena_calloc(r->arena, sizeof(**refs) * (size_t)(len + 1));
	errors = json_object_new_array();
	for (i = 0; i < len; i++)
		parse_ref(r, errors, i, json_object_array_get_idx(arr, i),
		    realm == NULL, &(*refs)[i]);
	if (json_object_array_length(errors) > 0)
		return refs_problem(r, errors);
	for (i = 0; i < len && rc == AU_OK; i++)
		rc = resolve_ref(r, db, realm, errors, i, &(*refs)[i]);
	if (rc != AU_OK) {
		json_object_put(errors);
		return au_api_store_error(r, rc, "A role"), rc;
	}
	if (json_object_array_length(errors) > 0)
		return refs_problem(r, errors);
	json_object_put(errors);
	*n = len;
	return AU_OK;
}

/* Parses the body's references and resolves them (see above).  AU_OK
 * with *refs, *n and *body; otherwise answered. */
static int
refs_or_respond(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    struct role_ref **refs, int *n, struct json_object **body)
{
	struct json_object *arr;

	if (au_req_json_array(r, &arr) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", au_arena_printf(
		    r->arena, "%s; send an array of role references such as "
		    "[{\"name\": \"viewer\"}]", r->error), NULL), AU_EINVAL;
	if (refs_from_or_respond(r, db, realm, arr, refs, n) != AU_OK)
		return AU_EINVAL;
	*body = arr;
	return AU_OK;
}

static struct json_object *
brief_json(const struct au_role *role)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(role->id));
	json_object_object_add(o, "name", json_object_new_string(role->name));
	json_object_object_add(o, "description",
	    json_object_new_string(role->description));
	json_object_object_add(o, "composite",
	    json_object_new_boolean(role->composite));
	return o;
}

/* Roles grouped by owner (the store sorts them realm, client, global). */
static struct json_object *
grouped_json(const struct au_role *v, int n)
{
	struct json_object *o = json_object_new_object(), *realm, *clients,
	    *global, *list;
	int i;

	realm = json_object_new_array();
	clients = json_object_new_object();
	global = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (v[i].realm_uuid == NULL) {
			list = global;
		} else if (v[i].client_id == NULL) {
			list = realm;
		} else if (!json_object_object_get_ex(clients, v[i].client_id,
		    &list)) {
			list = json_object_new_array();
			json_object_object_add(clients, v[i].client_id, list);
		}
		json_object_array_add(list, brief_json(&v[i]));
	}
	json_object_object_add(o, "realm", realm);
	json_object_object_add(o, "clients", clients);
	json_object_object_add(o, "global", global);
	return o;
}

/* ---------------------------------------------------------- composites */

struct composite_change {
	struct au_req *r;
	const struct au_role *parent;
	struct role_ref *refs;
	int n;
	bool add;
	int cycle;                    /* index of the reference closing one */
	struct json_object *body;
	const char *event_realm;
};

static int
composite_tx(struct au_db *db, void *arg)
{
	struct composite_change *x = arg;
	int i, rc;

	x->cycle = -1;
	rc = au_store_role_lock(db, x->r->arena, x->event_realm);
	for (i = 0; i < x->n && rc == AU_OK; i++) {
		rc = x->add ? au_store_role_composite_add(db, x->r->arena,
		    x->parent->id, x->refs[i].role->id) :
		    au_store_role_composite_remove(db, x->parent->id,
		    x->refs[i].role->id);
		if (rc == AU_EINVAL && x->add)
			x->cycle = i;
	}
	if (rc == AU_OK)
		rc = au_api_role_global_touch(db, x->parent);
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->event_realm, x->add ?
		    "role.composites.add" : "role.composites.remove", "role",
		    au_api_role_resource(x->r, x->parent), NULL, x->body);
	return rc;
}

/* Runs the composite change x (parent, refs, n, add, body set) and
 * answers its failure; AU_OK when done. */
static int
composites_apply(struct au_req *r, struct au_db *db,
    struct composite_change *x)
{
	int rc = au_db_tx(db, composite_tx, x);

	if (rc == AU_EINVAL && x->cycle >= 0)
		return au_resp_field_error(r, 400, au_arena_printf(r->arena,
		    "[%d].name", x->cycle), strcmp(x->refs[x->cycle].role->id,
		    x->parent->id) == 0 ? "a role cannot include itself" :
		    au_arena_printf(r->arena, "would make a cycle: '%.255s' "
		    "already includes '%.255s'", x->refs[x->cycle].name,
		    x->parent->name)), rc;
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The role"), rc;
	return AU_OK;
}

static int
composites_change(struct au_req *r, bool add)
{
	struct composite_change x = { r, NULL, NULL, 0, add, -1, NULL, NULL };
	struct au_api_role_scope s;
	struct au_role *parent;

	if (au_api_role_or_respond(r, &s, &parent) != AU_OK ||
	    refs_or_respond(r, s.db, s.realm, &x.refs, &x.n, &x.body) != AU_OK)
		return AU_OK;
	x.parent = parent;
	x.event_realm = s.event_realm;
	if (composites_apply(r, s.db, &x) != AU_OK)
		return AU_OK;
	if (s.realm != NULL)
		au_realm_forget(r, s.realm->realm_id);
	return au_resp_empty(r, 204);
}

int
au_api_role_composites_add_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, const struct au_role *parent,
    struct json_object *refs)
{
	struct composite_change x = { r, parent, NULL, 0, true, -1, refs,
		realm->id };

	if (refs_from_or_respond(r, db, realm, refs, &x.refs, &x.n) != AU_OK)
		return AU_EINVAL;
	return composites_apply(r, db, &x);
}

int
au_api_role_composites_get(struct au_req *r)
{
	struct au_api_role_scope s;
	struct au_role *parent, *v;
	int n, rc;

	if (au_api_role_or_respond(r, &s, &parent) != AU_OK)
		return AU_OK;
	rc = au_store_role_children(s.db, r->arena, parent->id, &v, &n);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The composite list");
	return au_resp_json(r, 200, grouped_json(v, n));
}

int
au_api_role_composites_add(struct au_req *r)
{
	return composites_change(r, true);
}

int
au_api_role_composites_remove(struct au_req *r)
{
	return composites_change(r, false);
}

/* ------------------------------------------------------------ mappings */

/* The principal of the path: a user, a consumer or a client. */
struct principal {
	struct au_db *db;
	struct au_realm *realm;
	const char *kind;             /* "user" | "consumer" | "client" */
	const char *key;              /* the id in the URL */
	char *uuid;
};

static int
principal_or_respond(struct au_req *r, struct principal *p)
{
	static const char *const params[][3] = {
		{ "userId", "user", "User" },
		{ "consumerId", "consumer", "Consumer" },
		{ "clientId", "client", "Client" } };
	size_t i;
	int rc;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < 3; i++)
		if ((p->key = au_req_param(r, params[i][0])) != NULL)
			break;
	if (p->key == NULL)
		return au_resp_problem(r, 404, "Not Found", "No such resource.",
		    NULL), AU_ENOTFOUND;
	p->kind = params[i][1];
	if (au_api_realm_or_respond(r, &p->db, &p->realm) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_role_principal(p->db, r->arena, p->kind, p->realm->id,
	    p->key, &p->uuid);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "%s '%.255s'", params[i][2], p->key)), rc;
	return AU_OK;
}

static int
mappings_json(struct au_req *r, bool effective)
{
	struct principal p;
	struct au_role *v;
	int n, rc;

	if (principal_or_respond(r, &p) != AU_OK)
		return AU_OK;
	rc = au_store_role_mapped(p.db, r->arena, p.kind, p.uuid, effective, &v,
	    &n);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The role mapping");
	return au_resp_json(r, 200, grouped_json(v, n));
}

int
au_api_role_mappings_get(struct au_req *r)
{
	return mappings_json(r, false);
}

int
au_api_role_mappings_effective(struct au_req *r)
{
	return mappings_json(r, true);
}

struct mapping_change {
	struct au_req *r;
	struct principal *p;
	struct role_ref *refs;
	int n;
	bool add;
	struct json_object *body;
};

static int
mapping_tx(struct au_db *db, void *arg)
{
	struct mapping_change *x = arg;
	const char *type;
	int i, rc = AU_OK;

	for (i = 0; i < x->n && rc == AU_OK; i++)
		rc = x->add ? au_store_role_map(db, x->p->kind, x->p->uuid,
		    x->refs[i].role->id) : au_store_role_unmap(db, x->p->kind,
		    x->p->uuid, x->refs[i].role->id);
	if (rc != AU_OK)
		return rc;
	/* user.roles.add, consumer.roles.remove, client.service-roles.add */
	type = au_arena_printf(x->r->arena, "%s.%s.%s", x->p->kind,
	    strcmp(x->p->kind, "client") == 0 ? "service-roles" : "roles",
	    x->add ? "add" : "remove");
	return au_api_changed(x->r, db, x->p->realm->id, type, x->p->kind,
	    x->p->key, NULL, x->body);
}

static int
mappings_change(struct au_req *r, bool add)
{
	struct mapping_change x = { r, NULL, NULL, 0, add, NULL };
	struct principal p;
	int rc;

	if (principal_or_respond(r, &p) != AU_OK ||
	    refs_or_respond(r, p.db, p.realm, &x.refs, &x.n, &x.body) != AU_OK)
		return AU_OK;
	x.p = &p;
	rc = au_db_tx(p.db, mapping_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The role mapping");
	au_realm_forget(r, p.realm->realm_id);
	return au_resp_empty(r, 204);
}

int
au_api_role_map_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, const char *kind, const char *uuid,
    const char *key, struct json_object *refs)
{
	struct principal p = { db, realm, kind, key, (char *)uuid };
	struct mapping_change x = { r, &p, NULL, 0, true, refs };
	int rc;

	if (refs_from_or_respond(r, db, realm, refs, &x.refs, &x.n) != AU_OK)
		return AU_EINVAL;
	rc = au_db_tx(db, mapping_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The role mapping"), rc;
	return AU_OK;
}

struct json_object *
au_api_role_refs_json(const struct au_role *rv, int n)
{
	struct json_object *arr = json_object_new_array(), *o;
	int i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(
		    rv[i].name));
		if (rv[i].client_id != NULL)
			json_object_object_add(o, "clientId",
			    json_object_new_string(rv[i].client_id));
		if (rv[i].realm_uuid == NULL)
			json_object_object_add(o, "global",
			    json_object_new_boolean(true));
		json_object_array_add(arr, o);
	}
	return arr;
}

int
au_api_role_mappings_add(struct au_req *r)
{
	return mappings_change(r, true);
}

int
au_api_role_mappings_remove(struct au_req *r)
{
	return mappings_change(r, false);
}
