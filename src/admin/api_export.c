/* api_export.c — a whole realm as one JSON document (api_export.h).
 *
 * The document is written as text, piece by piece, into a sink (the
 * response body, or a file for authioctl): each resource is built as a
 * json-c object with the representation code of its own handler, printed
 * and dropped at once, and lists are read a page of PAGE rows at a time
 * with the store's list functions.  Each page works in a scratch arena
 * that r->arena points at while it lasts (the representation functions
 * allocate from r->arena), so memory stays bounded by one page, not by
 * the realm.  Nothing may answer the request while a page arena is in
 * place: errors travel up as status codes and the handler answers.
 *
 * Everything is read inside one transaction, so the document is one
 * consistent snapshot even while the realm changes. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_auth.h"
#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_consumer.h"
#include "admin/api_event.h"
#include "admin/api_export.h"
#include "admin/api_key.h"
#include "admin/api_role.h"
#include "admin/api_scope.h"
#include "admin/api_secret.h"
#include "admin/api_settings.h"
#include "admin/api_user_fields.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "store/store_client.h"
#include "store/store_consumer.h"
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_role.h"
#include "store/store_scope.h"
#include "store/store_secret.h"
#include "store/store_user.h"

#define PAGE 500
#define FORMAT (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
	JSON_C_TO_STRING_NOSLASHESCAPE)

struct ex {
	struct au_req *r;
	struct au_db *db;
	const struct au_realm *realm;
	bool secrets;
	const struct au_export_sink *sink;
	struct au_arena *main;       /* r->arena outside pages */
	int rc;                      /* the first failure of the sink */
	bool first;                  /* no item of the open list yet */
};

/* ------------------------------------------------------------ output */

static void
put(struct ex *x, const char *s, size_t n)
{
	if (x->rc == AU_OK && n > 0)
		x->rc = x->sink->write(x->sink->ctx, s, n);
}

static void
puts_(struct ex *x, const char *s)
{
	put(x, s, strlen(s));
}

/* o printed pretty, every line after the first indented by indent
 * spaces (JSON strings hold no raw newline, so this cannot touch one).
 * o is consumed. */
static void
put_json(struct ex *x, struct json_object *o, int indent)
{
	static const char spaces[] = "        ";
	const char *s = json_object_to_json_string_ext(o, FORMAT), *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		put(x, s, (size_t)(nl - s) + 1);
		put(x, spaces, (size_t)indent);
		s = nl + 1;
	}
	puts_(x, s);
	json_object_put(o);
}

/* ",\n  \"name\": " at the top level of the document. */
static void
member(struct ex *x, const char *name)
{
	puts_(x, ",\n  \"");
	puts_(x, name);
	puts_(x, "\": ");
}

static void
list_begin(struct ex *x, const char *name)
{
	member(x, name);
	puts_(x, "[");
	x->first = true;
}

static void
list_item(struct ex *x, struct json_object *o)
{
	puts_(x, x->first ? "\n    " : ",\n    ");
	put_json(x, o, 4);
	x->first = false;
}

static void
list_end(struct ex *x)
{
	puts_(x, "\n  ]");
}

/* A page arena in place of r->arena, and back. */
static struct au_arena *
page_begin(struct ex *x)
{
	x->r->arena = au_arena_new();
	return x->r->arena;
}

static void
page_end(struct ex *x, struct au_arena *a)
{
	x->r->arena = x->main;
	au_arena_free(a);
}

/* Drops the members of o an export leaves out: server-assigned ids,
 * versions and times, and values computed from other state. */
static struct json_object *
strip(struct json_object *o, const char *const *names)
{
	for (; *names != NULL; names++)
		json_object_object_del(o, *names);
	return o;
}

static const char *const computed[] = { "id", "version", "createdAt",
	"updatedAt", NULL };

/* ------------------------------------------------------------- parts */

static int
realm_part(struct ex *x)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "realmId",
	    json_object_new_string(x->realm->realm_id));
	json_object_object_add(o, "name", json_object_new_string(x->realm->name));
	json_object_object_add(o, "description",
	    json_object_new_string(x->realm->description));
	json_object_object_add(o, "status",
	    json_object_new_string(x->realm->status));
	puts_(x, "{\n  \"authioExport\": 1");
	member(x, "realm");
	put_json(x, o, 2);
	return AU_OK;
}

static int
settings_part(struct ex *x)
{
	static const char *const names[] = { "branding", "policies", "tokens" };
	struct au_arena *a = page_begin(x);
	struct json_object *o = json_object_new_object(), *doc;
	size_t i;
	int rc = AU_OK;

	for (i = 0; i < 3 && rc == AU_OK; i++) {
		doc = au_api_settings_export(x->r, x->db, x->realm, names[i],
		    x->secrets, &rc);
		if (doc != NULL)
			json_object_object_add(o, names[i], doc);
	}
	if (rc == AU_OK) {
		member(x, "settings");
		put_json(x, o, 2);
	} else {
		json_object_put(o);
	}
	page_end(x, a);
	return rc;
}

static int
scopes_part(struct ex *x)
{
	static const char *const drop[] = { "id", "global", "version",
		"createdAt", "updatedAt", NULL };
	struct au_scope *v;
	struct au_arena *a;
	long long total;
	int offset = 0, n, i, rc;

	list_begin(x, "scopes");
	do {
		a = page_begin(x);
		rc = au_store_scope_list(x->db, a, x->realm->id, NULL, offset, PAGE,
		    &v, &n, &total);
		for (i = 0; rc == AU_OK && i < n; i++)
			list_item(x, strip(au_api_scope_json(x->r, &v[i]), drop));
		page_end(x, a);
		offset += PAGE;
	} while (rc == AU_OK && n == PAGE);
	list_end(x);
	return rc;
}

/* {name, description, composites: [refs]} of one role. */
static int
role_json(struct ex *x, const struct au_role *role, struct json_object **out)
{
	struct json_object *o;
	struct au_role *kids;
	int n, rc;

	rc = au_store_role_children(x->db, x->r->arena, role->id, &kids, &n);
	if (rc != AU_OK)
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(role->name));
	json_object_object_add(o, "description",
	    json_object_new_string(role->description));
	json_object_object_add(o, "composites", au_api_role_refs_json(kids, n));
	*out = o;
	return AU_OK;
}

/* Every role of an owner: as list items of the document (arr NULL) or
 * into arr. */
static int
roles_of(struct ex *x, const char *owner_key, struct json_object *arr)
{
	struct au_arena *a, *outer = x->r->arena;
	struct json_object *o;
	struct au_role *v;
	long long total;
	int offset = 0, n, i, rc;

	do {
		/* inside a client's page the roles must outlive this page:
		 * build them in the client's arena */
		a = arr == NULL ? page_begin(x) : outer;
		rc = au_store_role_list(x->db, a, owner_key, NULL, offset, PAGE,
		    &v, &n, &total);
		for (i = 0; rc == AU_OK && i < n; i++) {
			rc = role_json(x, &v[i], &o);
			if (rc == AU_OK && arr != NULL)
				json_object_array_add(arr, o);
			else if (rc == AU_OK)
				list_item(x, o);
		}
		if (arr == NULL)
			page_end(x, a);
		offset += PAGE;
	} while (rc == AU_OK && n == PAGE);
	return rc;
}

static int
secret_cmp(const void *p, const void *q)
{
	const struct au_secret *a = p, *b = q;

	if (a->created_at != b->created_at)
		return a->created_at > b->created_at ? -1 : 1;
	return strcmp(a->hash, b->hash);
}

/* "secrets": newest first (ties by hash: ids differ between
 * installations), when the export carries secrets. */
static int
add_secrets(struct ex *x, struct json_object *o, enum au_secret_owner kind,
    const char *uuid)
{
	struct json_object *arr;
	struct au_secret *v;
	int n, i, rc;

	if (!x->secrets)
		return AU_OK;
	rc = au_store_secret_list(x->db, x->r->arena, kind, uuid, &v, &n);
	if (rc != AU_OK)
		return rc;
	qsort(v, (size_t)n, sizeof(*v), secret_cmp);
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, au_api_secret_export_json(x->r, &v[i]));
	json_object_object_add(o, "secrets", arr);
	return AU_OK;
}

/* "roles" (or "serviceRoles") of a principal: references. */
static int
add_mapped(struct ex *x, struct json_object *o, const char *name,
    const char *kind, const char *uuid)
{
	struct au_role *v;
	int n, rc;

	rc = au_store_role_mapped(x->db, x->r->arena, kind, uuid, false, &v, &n);
	if (rc == AU_OK)
		json_object_object_add(o, name, au_api_role_refs_json(v, n));
	return rc;
}

/* "users": the usernames assigned to the client, by username. */
static int
add_client_users(struct ex *x, struct json_object *o, const char *uuid)
{
	struct json_object *arr = json_object_new_array();
	struct au_client_user *v;
	long long total;
	int offset = 0, n, i, rc;

	json_object_object_add(o, "users", arr);
	do {
		rc = au_store_client_user_list(x->db, x->r->arena, uuid, NULL,
		    offset, PAGE, &v, &n, &total);
		for (i = 0; rc == AU_OK && i < n; i++)
			json_object_array_add(arr, json_object_new_string(
			    v[i].username));
		offset += PAGE;
	} while (rc == AU_OK && n == PAGE);
	return rc;
}

static int
client_item(struct ex *x, const struct au_client *c)
{
	struct json_object *o, *roles;
	int rc;

	o = strip(au_api_client_json(x->r, c), computed);
	roles = json_object_new_array();
	json_object_object_add(o, "roles", roles);
	rc = roles_of(x, au_store_role_owner_key(x->r->arena, x->realm->id,
	    c->id), roles);
	if (rc == AU_OK)
		rc = add_mapped(x, o, "serviceRoles", "client", c->id);
	if (rc == AU_OK)
		rc = add_client_users(x, o, c->id);
	if (rc == AU_OK)
		rc = add_secrets(x, o, AU_SECRET_CLIENT, c->id);
	if (rc == AU_OK)
		list_item(x, o);
	else
		json_object_put(o);
	return rc;
}

static int
clients_part(struct ex *x)
{
	struct au_client *v;
	struct au_arena *a;
	long long total;
	int offset = 0, n, i, rc;

	list_begin(x, "clients");
	do {
		a = page_begin(x);
		rc = au_store_client_list(x->db, a, x->realm->id, NULL, offset,
		    PAGE, &v, &n, &total);
		if (rc == AU_OK)
			rc = au_store_client_load_lists(x->db, a, v, n);
		for (i = 0; rc == AU_OK && i < n; i++)
			rc = client_item(x, &v[i]);
		page_end(x, a);
		offset += PAGE;
	} while (rc == AU_OK && n == PAGE);
	list_end(x);
	return rc;
}

static int
consumers_part(struct ex *x)
{
	static const char *const drop[] = { "id", "version", "createdAt",
		"updatedAt", "tokensIssued", "lastUsedAt", NULL };
	struct json_object *o;
	struct au_consumer *v;
	struct au_arena *a;
	long long total;
	int offset = 0, n, i, rc;

	list_begin(x, "consumers");
	do {
		a = page_begin(x);
		rc = au_store_consumer_list(x->db, a, x->realm->id, NULL, offset,
		    PAGE, &v, &n, &total);
		for (i = 0; rc == AU_OK && i < n; i++) {
			o = strip(au_api_consumer_json(x->r, &v[i]), drop);
			rc = add_mapped(x, o, "roles", "consumer", v[i].id);
			if (rc == AU_OK)
				rc = add_secrets(x, o, AU_SECRET_CONSUMER, v[i].id);
			if (rc == AU_OK)
				list_item(x, o);
			else
				json_object_put(o);
		}
		page_end(x, a);
		offset += PAGE;
	} while (rc == AU_OK && n == PAGE);
	list_end(x);
	return rc;
}

/* One page of users: their role mappings (and password hashes) in one
 * query each, not one per user. */
static int
users_page(struct ex *x, struct au_arena *a, struct au_user *v, int n)
{
	static const char *const drop[] = { "id", "version", "createdAt",
		"updatedAt", "locked", "passwordSet", NULL };
	struct json_object *o;
	struct au_role *roles;
	char **ids, **hashes = NULL;
	int *owner, nroles, i, j = 0, k, rc;

	ids = au_arena_calloc(a, sizeof(*ids) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		ids[i] = v[i].id;
	rc = au_store_role_mapped_many(x->db, a, "user", ids, n, &roles, &owner,
	    &nroles);
	if (rc == AU_OK && x->secrets)
		rc = au_store_user_password_hashes(x->db, a, x->realm->id, v, n,
		    &hashes);
	for (i = 0; rc == AU_OK && i < n; i++) {
		o = strip(au_user_json(x->r, &v[i]), drop);
		for (k = j; k < nroles && owner[k] == i; k++)
			;
		json_object_object_add(o, "roles", au_api_role_refs_json(roles + j,
		    k - j));
		j = k;
		if (hashes != NULL && hashes[i] != NULL)
			json_object_object_add(o, "passwordHash",
			    json_object_new_string(hashes[i]));
		list_item(x, o);
	}
	return rc;
}

static int
users_part(struct ex *x)
{
	struct au_arena *a;
	struct au_user *v;
	char *after = NULL;
	int n, rc;

	list_begin(x, "users");
	do {
		a = page_begin(x);
		rc = au_store_user_list_after(x->db, a, x->realm->id, after, PAGE,
		    &v, &n);
		if (rc == AU_OK && n > 0) {
			rc = users_page(x, a, v, n);
			/* the next page starts after this one, outside its arena */
			after = au_arena_strdup(x->main, v[n - 1].username);
		}
		page_end(x, a);
	} while (rc == AU_OK && n == PAGE);
	list_end(x);
	return rc;
}

static int
keys_part(struct ex *x)
{
	struct au_key_row *v, *k;
	struct json_object *o;
	struct au_arena *a;
	long long total;
	int offset = 0, n, i, rc;

	list_begin(x, "keys");
	do {
		a = page_begin(x);
		rc = au_store_key_list(x->db, a, x->realm->id, NULL, NULL, offset,
		    PAGE, &v, &n, &total);
		for (i = 0; rc == AU_OK && i < n; i++) {
			k = &v[i];
			/* the list reads no private parts */
			if (x->secrets)
				rc = au_store_key_find(x->db, a, x->realm->id, v[i].kid,
				    false, &k);
			o = rc == AU_OK ? au_api_key_export_json(x->r, k, x->secrets,
			    &rc) : NULL;
			if (o != NULL)
				list_item(x, o);
		}
		page_end(x, a);
		offset += PAGE;
	} while (rc == AU_OK && n == PAGE);
	list_end(x);
	return rc;
}

static int
export_tx(struct au_db *db, void *arg)
{
	struct ex *x = arg;
	struct json_object *d;
	int rc;

	(void)db;
	x->rc = AU_OK;
	if (x->sink->rewind != NULL)
		x->sink->rewind(x->sink->ctx);
	rc = realm_part(x);
	if (rc == AU_OK)
		rc = settings_part(x);
	if (rc == AU_OK)
		rc = scopes_part(x);
	if (rc == AU_OK) {
		list_begin(x, "roles");
		rc = roles_of(x, au_store_role_owner_key(x->r->arena,
		    x->realm->id, NULL), NULL);
		list_end(x);
	}
	if (rc == AU_OK)
		rc = clients_part(x);
	if (rc == AU_OK)
		rc = consumers_part(x);
	if (rc == AU_OK)
		rc = users_part(x);
	if (rc == AU_OK)
		rc = keys_part(x);
	puts_(x, "\n}\n");
	if (rc == AU_OK)
		rc = x->rc;
	if (rc != AU_OK)
		return rc;
	d = json_object_new_object();
	json_object_object_add(d, "includeSecrets",
	    json_object_new_boolean(x->secrets));
	rc = au_api_event(x->r, x->db, x->realm->id, "realm.export", "realm",
	    x->realm->realm_id, d);
	json_object_put(d);
	return rc;
}

int
au_api_export_realm(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, bool secrets,
    const struct au_export_sink *sink)
{
	struct ex x = { r, db, realm, secrets, sink, r->arena, AU_OK, false };

	return au_db_tx(db, export_tx, &x);
}

/* ------------------------------------------------------------- route */

static int
body_write(void *ctx, const char *p, size_t n)
{
	au_buf_add(&((struct au_req *)ctx)->resp.body, p, n);
	return AU_OK;
}

static void
body_rewind(void *ctx)
{
	struct au_req *r = ctx;

	r->resp.body.len = 0;
	r->resp.body.p[0] = '\0';
}

int
au_api_realm_export(struct au_req *r)
{
	const char *q = au_req_query(r, "includeSecrets");
	struct au_export_sink sink = { body_write, body_rewind, r };
	struct au_realm *realm;
	struct au_db *db;
	bool secrets;
	int rc;

	if (q != NULL && strcmp(q, "true") != 0 && strcmp(q, "false") != 0)
		return au_resp_field_error(r, 400, "includeSecrets",
		    "must be true or false");
	secrets = q != NULL && strcmp(q, "true") == 0;
	if (secrets && !au_api_auth_is_admin(r))
		return au_resp_problem(r, 403, "Forbidden", "Only the admin role "
		    "may export secrets and private keys (includeSecrets=true).",
		    NULL);
	if (au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	au_resp_text(r, 200, "application/json", "", 0);
	rc = au_api_export_realm(r, db, realm, secrets, &sink);
	if (rc == AU_EDB)
		return au_resp_unavailable(r);
	if (rc != AU_OK) {
		au_log_err("export of realm '%s' failed: %s", realm->realm_id,
		    au_strerror(rc));
		return au_resp_problem(r, 500, NULL, "The realm could not be "
		    "exported.", NULL);
	}
	au_resp_set_header(r, "Content-Disposition", au_arena_printf(r->arena,
	    "attachment; filename=\"%s.json\"", realm->realm_id));
	return AU_OK;
}
