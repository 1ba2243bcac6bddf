/* api_import.c — a new realm from an export document (api_import.h).
 *
 * Every resource of the document goes through the code of its own POST
 * (au_api_*_create_from and friends): the same checks, the same messages,
 * with r->field_prefix naming where in the document the resource sits, so
 * a bad redirect URI of the fourth client reads
 * "clients[3].redirectUris[0]".  The whole import is one transaction: the
 * first refusal rolls everything back and nothing is left behind.  While
 * it runs r->importing keeps the resources' own events out of the audit
 * trail; one realm.import event with the counts records it instead.
 *
 * Order matters: keys before the settings and clients that name signing
 * algorithms, roles and clients before the composites and mappings that
 * refer to them, users before the clients' user assignments. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_consumer.h"
#include "admin/api_event.h"
#include "admin/api_import.h"
#include "admin/api_key.h"
#include "admin/api_realm.h"
#include "admin/api_role.h"
#include "admin/api_scope.h"
#include "admin/api_secret.h"
#include "admin/api_settings.h"
#include "admin/api_user.h"
#include "admin/api_user_account.h"
#include "admin/api_user_fields.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_keys.h"
#include "oauth/oauth_realm.h"
#include "store/store_client.h"
#include "store/store_consumer.h"
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_role.h"
#include "store/store_user.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FORMAT_VERSION 1

static const struct au_field doc_fields[] = {
	{ "authioExport", AU_F_INT, true, 0 },
	{ "realm", AU_F_OBJECT, true, 0 },
	{ "settings", AU_F_OBJECT, false, 0 },
	{ "scopes", AU_F_ARRAY, false, 0 },
	{ "roles", AU_F_ARRAY, false, 0 },
	{ "clients", AU_F_ARRAY, false, 0 },
	{ "consumers", AU_F_ARRAY, false, 0 },
	{ "users", AU_F_ARRAY, false, 0 },
	{ "keys", AU_F_ARRAY, false, 0 },
};

static const struct au_field settings_fields[] = {
	{ "branding", AU_F_OBJECT, false, 0 },
	{ "policies", AU_F_OBJECT, false, 0 },
	{ "tokens", AU_F_OBJECT, false, 0 },
};

/* A role created by the import whose composites come later. */
struct later_role {
	struct au_role *role;
	struct json_object *composites;
	const char *at;              /* "roles[2]", "clients[0].roles[1]" */
};

/* A client created by the import and what of it comes later. */
struct later_client {
	struct au_client *c;
	struct json_object *service_roles, *users;
	const char *at;
};

struct im {
	struct au_req *r;
	struct au_db *db;
	struct json_object *doc;
	struct au_realm *realm;
	bool private_keys;           /* the keys carry privateJwk */
	struct later_role *roles;
	int nroles;
	struct later_client *clients;
	int nclients;
	long long counts[8];
};

enum { N_SCOPES, N_ROLES, N_CLIENTS, N_CONSUMERS, N_USERS, N_KEYS,
	N_SECRETS, N_PASSWORDS };

static const char *const count_names[] = { "scopes", "roles", "clients",
	"consumers", "users", "keys", "secrets", "passwords" };

/* ---------------------------------------------------------- helpers */

/* The array member name of the document (or of o), or NULL when absent
 * or null. */
static struct json_object *
list_of(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static size_t
len_of(struct json_object *arr)
{
	return arr != NULL ? json_object_array_length(arr) : 0;
}

/* Points r->field_prefix at "<list>[i]" (under parent when not NULL) and
 * returns that prefix; answers 400 when the entry is not an object. */
static const char *
entry_at(struct im *x, const char *parent, const char *list, size_t i,
    struct json_object *e)
{
	struct au_req *r = x->r;
	const char *at = parent != NULL ? au_arena_printf(r->arena, "%s.%s[%zu]",
	    parent, list, i) : au_arena_printf(r->arena, "%s[%zu]", list, i);

	r->field_prefix = at;
	if (!json_object_is_type(e, json_type_object)) {
		au_api_field_error(r, "", "must be a JSON object");
		return NULL;
	}
	return at;
}

/* A copy of o without the members the import handles itself (they are
 * not fields of the resource's POST body).  Owned by the request. */
static struct json_object *
without(struct au_req *r, struct json_object *o, const char *const *extras)
{
	struct json_object *copy = json_object_new_object();
	size_t k;

	au_api_own(r, copy);
	json_object_object_foreach(o, key, val) {
		for (k = 0; extras[k] != NULL && strcmp(key, extras[k]) != 0; k++)
			;
		if (extras[k] == NULL)
			json_object_object_add(copy, key, json_object_get(val));
	}
	return copy;
}

/* Member name of entry o when it is an array (or absent/null: NULL);
 * answers 400 naming it otherwise. */
static int
extra_list(struct im *x, struct json_object *o, const char *name,
    struct json_object **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return AU_OK;
	if (!json_object_is_type(v, json_type_array))
		return au_api_field_error(x->r, name, "must be an array");
	*out = v;
	return AU_OK;
}

/* A nested resource was refused.  A 409 there (a name the document uses
 * twice, or a realm scope named like a global one) is the document's
 * fault: it becomes a 400 naming the entry's key field at, with the
 * same explanation.  Returns a non-AU_OK code for the caller to pass up. */
static int
refused(struct im *x, const char *at, int rc)
{
	struct au_req *r = x->r;
	struct json_object *body, *detail, *errors = NULL;
	const char *why;

	if (rc == AU_OK)
		rc = AU_EINVAL;
	if (r->resp.status != 409)
		return rc;
	body = json_tokener_parse(r->resp.body.p);
	au_api_own(r, body);
	why = body != NULL && json_object_object_get_ex(body, "detail",
	    &detail) ? json_object_get_string(detail) : "is taken";
	if (body != NULL && json_object_object_get_ex(body, "errors", &errors))
		errors = json_object_get(errors);
	r->field_prefix = NULL;
	if (errors != NULL)
		au_resp_problem(r, 400, "Validation failed", why, errors);
	else
		au_api_field_error(r, at, au_arena_printf(r->arena,
		    "is refused: %s", why));
	return AU_EINVAL;
}

/* ------------------------------------------------------------- steps */

static int
realm_step(struct im *x)
{
	struct json_object *o;

	json_object_object_get_ex(x->doc, "realm", &o);
	x->r->field_prefix = "realm";
	return au_api_realm_create_from(x->r, x->db, o, false, &x->realm);
}

/* A fresh key of alg/use that signs at once (nothing was published for
 * this realm before it). */
static int
fresh_key(struct im *x, const char *alg, const char *use)
{
	struct au_key_row k;
	int rc;

	rc = au_keys_make(x->r->arena, au_req_ctx(x->r)->master_key, alg, use,
	    &k);
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, "A key"), rc;
	k.created_at = k.activated_at = au_time_now();
	rc = au_store_key_insert(x->db, x->r->arena, x->realm->id, &k);
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, "A key"), rc;
	x->counts[N_KEYS]++;
	return AU_OK;
}

/* Without private keys: fresh ones, RS256 and ES256 as for a new realm
 * and one of every other algorithm the document's active keys have (its
 * settings and clients may name them). */
static int
fresh_keys(struct im *x, struct json_object *keys, struct au_key_row *rows)
{
	size_t i, j, n = len_of(keys);
	int rc;

	rc = fresh_key(x, "RS256", "sig");
	if (rc == AU_OK)
		rc = fresh_key(x, "ES256", "sig");
	for (i = 0; rc == AU_OK && i < n; i++) {
		if (strcmp(rows[i].status, "active") != 0 ||
		    strcmp(rows[i].alg, "RS256") == 0 ||
		    strcmp(rows[i].alg, "ES256") == 0)
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(rows[j].status, "active") == 0 &&
			    strcmp(rows[j].alg, rows[i].alg) == 0)
				break;
		if (j == i)
			rc = fresh_key(x, rows[i].alg, rows[i].use);
	}
	return rc;
}

static int
keys_step(struct im *x)
{
	struct json_object *keys = list_of(x->doc, "keys"), *e, *priv;
	size_t i, n = len_of(keys), with = 0;
	struct au_key_row *rows;
	long long active;
	int rc;

	rows = au_arena_calloc(x->r->arena, sizeof(*rows) * (n + 1));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(keys, i);
		if (entry_at(x, NULL, "keys", i, e) == NULL ||
		    au_api_key_check_from(x->r, e, &rows[i]) != AU_OK)
			return AU_EINVAL;
		if (json_object_object_get_ex(e, "privateJwk", &priv))
			with++;
	}
	x->private_keys = with > 0;
	for (i = 0; i < n && with > 0 && with < n; i++) {
		if (json_object_object_get_ex(json_object_array_get_idx(keys, i),
		    "privateJwk", &priv))
			continue;
		x->r->field_prefix = au_arena_printf(x->r->arena, "keys[%zu]", i);
		return au_api_field_error(x->r, "privateJwk", "is required: the "
		    "document carries the private keys of other keys");
	}
	x->r->field_prefix = NULL;
	if (!x->private_keys)
		return fresh_keys(x, keys, rows);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(keys, i);
		x->r->field_prefix = au_arena_printf(x->r->arena, "keys[%zu]", i);
		rc = au_api_key_restore_from(x->r, x->db, x->realm, e);
		if (rc != AU_OK)
			return refused(x, au_arena_printf(x->r->arena, "keys[%zu].kid",
			    i), rc);
		x->counts[N_KEYS]++;
	}
	x->r->field_prefix = NULL;
	rc = au_store_key_count_active(x->db, x->r->arena, x->realm->id,
	    "RS256", NULL, &active);
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, "The keys"), rc;
	if (active == 0)
		return au_api_field_error(x->r, "keys", "must include an active "
		    "RS256 signing key: RS256 signs tokens by default");
	return AU_OK;
}

static int
settings_step(struct im *x)
{
	static const char *const names[] = { "branding", "policies", "tokens" };
	struct json_object *settings, *doc;
	size_t i;
	int rc;

	if (!json_object_object_get_ex(x->doc, "settings", &settings) ||
	    json_object_is_type(settings, json_type_null))
		return AU_OK;
	x->r->field_prefix = "settings";
	if (au_api_check_or_respond(x->r, settings_fields,
	    COUNT(settings_fields), settings) != AU_OK)
		return AU_EINVAL;
	for (i = 0; i < COUNT(names); i++) {
		if (!json_object_object_get_ex(settings, names[i], &doc) ||
		    json_object_is_type(doc, json_type_null))
			continue;
		x->r->field_prefix = au_arena_printf(x->r->arena, "settings.%s",
		    names[i]);
		rc = au_api_settings_put_from(x->r, x->db, x->realm, names[i], doc);
		if (rc != AU_OK)
			return rc;
	}
	return AU_OK;
}

static int
scopes_step(struct im *x)
{
	struct json_object *scopes = list_of(x->doc, "scopes"), *e;
	size_t i, n = len_of(scopes);
	const char *at;
	int rc;

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(scopes, i);
		if ((at = entry_at(x, NULL, "scopes", i, e)) == NULL)
			return AU_EINVAL;
		rc = au_api_scope_create_from(x->r, x->db, x->realm, e);
		if (rc != AU_OK)
			return refused(x, au_arena_printf(x->r->arena, "%s.name", at),
			    rc);
		x->counts[N_SCOPES]++;
	}
	return AU_OK;
}

/* The roles of list (the realm's, or client's when not NULL), their
 * composites kept for later. */
static int
roles_step(struct im *x, const char *parent, struct json_object *list,
    struct au_client *client)
{
	static const char *const extras[] = { "composites", NULL };
	struct later_role *later;
	struct json_object *e;
	size_t i, n = len_of(list);
	const char *at;
	int rc;

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		if ((at = entry_at(x, parent, "roles", i, e)) == NULL)
			return AU_EINVAL;
		later = &x->roles[x->nroles];
		later->at = at;
		if (extra_list(x, e, "composites", &later->composites) != AU_OK)
			return AU_EINVAL;
		rc = au_api_role_create_from(x->r, x->db, x->realm, client,
		    without(x->r, e, extras), &later->role);
		if (rc != AU_OK)
			return refused(x, au_arena_printf(x->r->arena, "%s.name", at),
			    rc);
		x->nroles++;
		x->counts[N_ROLES]++;
	}
	return AU_OK;
}

/* The secrets of a client or consumer just created at "at". */
static int
secrets_step(struct im *x, const char *at, struct json_object *entry,
    enum au_secret_owner kind, const char *uuid, const char *name,
    bool public_client)
{
	struct json_object *list, *e;
	size_t i, n;
	int rc;

	x->r->field_prefix = at;
	if (extra_list(x, entry, "secrets", &list) != AU_OK)
		return AU_EINVAL;
	n = len_of(list);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		x->r->field_prefix = au_arena_printf(x->r->arena, "%s.secrets[%zu]",
		    at, i);
		rc = au_api_secret_restore_from(x->r, x->db, x->realm, kind, uuid,
		    name, public_client, e);
		if (rc != AU_OK)
			return rc;
		x->counts[N_SECRETS]++;
	}
	return AU_OK;
}

static int
client_step(struct im *x, size_t i, struct json_object *e)
{
	static const char *const extras[] = { "roles", "serviceRoles", "users",
		"secrets", NULL };
	struct later_client *later = &x->clients[x->nclients];
	struct json_object *roles;
	const char *at;
	int rc;

	if ((at = entry_at(x, NULL, "clients", i, e)) == NULL)
		return AU_EINVAL;
	later->at = at;
	if (extra_list(x, e, "roles", &roles) != AU_OK ||
	    extra_list(x, e, "serviceRoles", &later->service_roles) != AU_OK ||
	    extra_list(x, e, "users", &later->users) != AU_OK)
		return AU_EINVAL;
	rc = au_api_client_create_from(x->r, x->db, x->realm,
	    without(x->r, e, extras), &later->c);
	if (rc != AU_OK)
		return refused(x, au_arena_printf(x->r->arena, "%s.clientId", at),
		    rc);
	x->nclients++;
	x->counts[N_CLIENTS]++;
	rc = roles_step(x, at, roles, later->c);
	if (rc == AU_OK)
		rc = secrets_step(x, at, e, AU_SECRET_CLIENT, later->c->id,
		    later->c->client_id, strcmp(later->c->type, "public") == 0);
	return rc;
}

static int
clients_step(struct im *x)
{
	struct json_object *clients = list_of(x->doc, "clients");
	size_t i, n = len_of(clients);
	int rc = AU_OK;

	for (i = 0; i < n && rc == AU_OK; i++)
		rc = client_step(x, i, json_object_array_get_idx(clients, i));
	return rc;
}

/* The composites of every role created, now that all of them exist. */
static int
composites_step(struct im *x)
{
	struct later_role *l;
	int i, rc;

	for (i = 0; i < x->nroles; i++) {
		l = &x->roles[i];
		if (len_of(l->composites) == 0)
			continue;
		x->r->field_prefix = au_arena_printf(x->r->arena, "%s.composites",
		    l->at);
		rc = au_api_role_composites_add_from(x->r, x->db, x->realm, l->role,
		    l->composites);
		if (rc != AU_OK)
			return rc;
	}
	return AU_OK;
}

static int
service_roles_step(struct im *x)
{
	struct later_client *l;
	int i, rc;

	for (i = 0; i < x->nclients; i++) {
		l = &x->clients[i];
		if (len_of(l->service_roles) == 0)
			continue;
		x->r->field_prefix = au_arena_printf(x->r->arena, "%s.serviceRoles",
		    l->at);
		rc = au_api_role_map_from(x->r, x->db, x->realm, "client", l->c->id,
		    l->c->client_id, l->service_roles);
		if (rc != AU_OK)
			return rc;
	}
	return AU_OK;
}

/* Role references of a principal just created at "at". */
static int
mapped_step(struct im *x, const char *at, struct json_object *entry,
    const char *kind, const char *uuid, const char *key)
{
	struct json_object *refs;

	x->r->field_prefix = at;
	if (extra_list(x, entry, "roles", &refs) != AU_OK)
		return AU_EINVAL;
	if (len_of(refs) == 0)
		return AU_OK;
	x->r->field_prefix = au_arena_printf(x->r->arena, "%s.roles", at);
	return au_api_role_map_from(x->r, x->db, x->realm, kind, uuid, key,
	    refs);
}

static int
consumers_step(struct im *x)
{
	static const char *const extras[] = { "roles", "secrets", NULL };
	struct json_object *consumers = list_of(x->doc, "consumers"), *e;
	size_t i, n = len_of(consumers);
	struct au_consumer *c;
	const char *at;
	int rc;

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(consumers, i);
		if ((at = entry_at(x, NULL, "consumers", i, e)) == NULL)
			return AU_EINVAL;
		rc = au_api_consumer_create_from(x->r, x->db, x->realm,
		    without(x->r, e, extras), &c);
		if (rc != AU_OK)
			return refused(x, au_arena_printf(x->r->arena,
			    "%s.consumerId", at), rc);
		x->counts[N_CONSUMERS]++;
		rc = mapped_step(x, at, e, "consumer", c->id, c->consumer_id);
		if (rc == AU_OK)
			rc = secrets_step(x, at, e, AU_SECRET_CONSUMER, c->id,
			    c->consumer_id, false);
		if (rc != AU_OK)
			return rc;
	}
	return AU_OK;
}

static int
user_step(struct im *x, size_t i, struct json_object *e)
{
	static const char *const extras[] = { "roles", "passwordHash", NULL };
	struct json_object *phc;
	struct au_user *u;
	const char *at;
	int rc;

	if ((at = entry_at(x, NULL, "users", i, e)) == NULL)
		return AU_EINVAL;
	rc = au_api_user_create_from(x->r, x->db, x->realm,
	    without(x->r, e, extras), &u);
	if (rc != AU_OK)
		return refused(x, au_arena_printf(x->r->arena, "%s.username", at),
		    rc);
	x->counts[N_USERS]++;
	if (json_object_object_get_ex(e, "passwordHash", &phc) &&
	    !json_object_is_type(phc, json_type_null)) {
		x->r->field_prefix = at;
		rc = au_api_user_password_hash_from(x->r, x->db, u, phc);
		if (rc != AU_OK)
			return rc;
		x->counts[N_PASSWORDS]++;
	}
	return mapped_step(x, at, e, "user", u->id, u->id);
}

static int
users_step(struct im *x)
{
	struct json_object *users = list_of(x->doc, "users");
	size_t i, n = len_of(users);
	int rc = AU_OK;

	for (i = 0; i < n && rc == AU_OK; i++)
		rc = user_step(x, i, json_object_array_get_idx(users, i));
	return rc;
}

/* The users assigned to each client, named by username. */
static int
client_users_step(struct im *x)
{
	struct later_client *l;
	struct json_object *e;
	struct au_user *u;
	size_t k, n;
	char **ids;
	int i, missing, rc;

	for (i = 0; i < x->nclients; i++) {
		l = &x->clients[i];
		n = len_of(l->users);
		if (n == 0)
			continue;
		x->r->field_prefix = au_arena_printf(x->r->arena, "%s.users",
		    l->at);
		ids = au_arena_calloc(x->r->arena, sizeof(*ids) * (n + 1));
		for (k = 0; k < n; k++) {
			e = json_object_array_get_idx(l->users, k);
			rc = !json_object_is_type(e, json_type_string) ? AU_ENOTFOUND :
			    au_store_user_find_by_username(x->db, x->r->arena,
			    x->realm->id, au_user_lower(x->r->arena,
			    json_object_get_string(e)), &u);
			if (rc == AU_ENOTFOUND)
				return au_api_field_error(x->r, au_arena_printf(
				    x->r->arena, "[%zu]", k), "must be the username of "
				    "a user of the document");
			if (rc != AU_OK)
				return au_api_store_error(x->r, rc, "A user"), rc;
			ids[k] = u->id;
		}
		rc = au_store_client_users_change(x->db, x->r->arena, x->realm->id,
		    l->c->id, true, ids, (int)n, &missing);
		if (rc != AU_OK)
			return au_api_store_error(x->r, rc, "The client's users"), rc;
	}
	return AU_OK;
}

/* Sizes the lists of things whose later parts wait (every role, every
 * client). */
static void
plan(struct im *x)
{
	struct json_object *clients = list_of(x->doc, "clients"), *roles, *c;
	size_t i, nroles = len_of(list_of(x->doc, "roles"));
	size_t nclients = len_of(clients);

	for (i = 0; i < nclients; i++) {
		c = json_object_array_get_idx(clients, i);
		if (json_object_is_type(c, json_type_object) &&
		    (roles = list_of(c, "roles")) != NULL)
			nroles += len_of(roles);
	}
	x->roles = au_arena_calloc(x->r->arena, sizeof(*x->roles) *
	    (nroles + 1));
	x->clients = au_arena_calloc(x->r->arena, sizeof(*x->clients) *
	    (nclients + 1));
}

static struct json_object *
summary(struct im *x)
{
	struct json_object *o = json_object_new_object(), *c;
	size_t i;

	c = json_object_new_object();
	for (i = 0; i < COUNT(count_names); i++)
		json_object_object_add(c, count_names[i],
		    json_object_new_int64(x->counts[i]));
	json_object_object_add(o, "counts", c);
	json_object_object_add(o, "privateKeys",
	    json_object_new_boolean(x->private_keys));
	au_api_own(x->r, o);
	return o;
}

static int
import_tx(struct au_db *db, void *arg)
{
	struct im *x = arg;
	int rc;

	(void)db;
	memset(x->counts, 0, sizeof(x->counts));
	x->nroles = x->nclients = 0;
	x->r->importing = true;
	rc = realm_step(x);
	if (rc == AU_OK)
		rc = keys_step(x);
	if (rc == AU_OK)
		rc = settings_step(x);
	if (rc == AU_OK)
		rc = scopes_step(x);
	if (rc == AU_OK)
		rc = roles_step(x, NULL, list_of(x->doc, "roles"), NULL);
	if (rc == AU_OK)
		rc = clients_step(x);
	if (rc == AU_OK)
		rc = composites_step(x);
	if (rc == AU_OK)
		rc = service_roles_step(x);
	if (rc == AU_OK)
		rc = consumers_step(x);
	if (rc == AU_OK)
		rc = users_step(x);
	if (rc == AU_OK)
		rc = client_users_step(x);
	x->r->importing = false;
	x->r->field_prefix = NULL;
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->realm->id, "realm.import", "realm",
		    x->realm->realm_id, NULL, summary(x));
	return rc;
}

/* The document's top level: known members only, and our format. */
static int
check_doc(struct au_req *r, struct json_object *doc)
{
	struct json_object *v;

	if (au_api_check_or_respond(r, doc_fields, COUNT(doc_fields), doc) !=
	    AU_OK)
		return AU_EINVAL;
	json_object_object_get_ex(doc, "authioExport", &v);
	if (json_object_get_int64(v) != FORMAT_VERSION)
		return au_api_field_error(r, "authioExport", "must be 1: the only "
		    "export format this server reads");
	return AU_OK;
}

int
au_api_import_realm(struct au_req *r, struct au_db *db,
    struct json_object *doc, struct au_realm **out)
{
	struct im x = { 0 };
	struct json_object *realm, *id;
	int rc;

	r->field_prefix = NULL;
	if (check_doc(r, doc) != AU_OK)
		return AU_EINVAL;
	x.r = r;
	x.db = db;
	x.doc = doc;
	plan(&x);
	rc = au_db_tx(db, import_tx, &x);
	r->importing = false;
	r->field_prefix = NULL;
	/* this worker may have cached what the rollback took back */
	json_object_object_get_ex(doc, "realm", &realm);
	if (json_object_object_get_ex(realm, "realmId", &id) &&
	    json_object_is_type(id, json_type_string))
		au_realm_forget(r, json_object_get_string(id));
	if (rc == AU_OK) {
		*out = x.realm;
		return AU_OK;
	}
	/* every step answers its own refusals; what is left is the
	 * database's (or retries that ran out) */
	if (r->resp.status < 400) {
		if (rc == AU_EDB || rc == AU_ECONFLICT)
			au_resp_unavailable(r);
		else
			au_resp_problem(r, 500, NULL, "The realm could not be "
			    "imported.", NULL);
	}
	return rc;
}

int
au_api_realm_import(struct au_req *r)
{
	struct json_object *doc;
	struct au_realm *realm;
	struct au_db *db;

	if (au_req_json(r, &doc) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL);
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK)
		return au_resp_unavailable(r);
	if (au_api_import_realm(r, db, doc, &realm) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Location", au_arena_printf(r->arena,
	    "%s/api/admin/realms/%s", r->cfg->base_url, realm->realm_id));
	return au_api_realm_respond(r, db, 201, realm);
}
