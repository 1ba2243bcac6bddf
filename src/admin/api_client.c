/* api_client.c — client resources of the admin API. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_event.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_client.h"
#include "store/store_realm.h"
#include "store/store_secret.h"

static const struct au_field client_fields[] = {
	{ "clientId", AU_F_STRING, true, 255 },
	{ "name", AU_F_STRING, false, 255 },
	{ "description", AU_F_STRING, false, 1000 },
	{ "type", AU_F_STRING, false, 16 },
	{ "enabled", AU_F_BOOL, false, 0 },
	{ "grantTypes", AU_F_STRING_ARRAY, false, 8 },
	{ "defaultScopes", AU_F_STRING_ARRAY, false, 64 },
	{ "optionalScopes", AU_F_STRING_ARRAY, false, 64 },
	{ "tokenSettings", AU_F_OBJECT, false, 0 },
};

static const char *const known_grants[] = { "authorization_code",
	"refresh_token", "client_credentials",
	"urn:ietf:params:oauth:grant-type:device_code", NULL };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct json_object *
strings_json(char **v, int n)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *
client_json(struct au_req *r, struct au_db *db, const struct au_client *c)
{
	struct json_object *o = json_object_new_object(), *grants;
	char *copy = au_arena_strdup(r->arena, c->grant_types), *tok, *save;
	char **scopes;
	int n;

	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "clientId", json_object_new_string(c->client_id));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "description",
	    json_object_new_string(c->description));
	json_object_object_add(o, "type", json_object_new_string(c->type));
	json_object_object_add(o, "enabled", json_object_new_boolean(c->enabled));
	grants = json_object_new_array();
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		json_object_array_add(grants, json_object_new_string(tok));
	json_object_object_add(o, "grantTypes", grants);
	if (au_store_client_scopes(db, r->arena, c->id, "default", &scopes,
	    &n) == AU_OK)
		json_object_object_add(o, "defaultScopes", strings_json(scopes, n));
	if (au_store_client_scopes(db, r->arena, c->id, "optional", &scopes,
	    &n) == AU_OK)
		json_object_object_add(o, "optionalScopes", strings_json(scopes, n));
	json_object_object_add(o, "tokenSettings", c->token_settings != NULL ?
	    json_tokener_parse(c->token_settings) : json_object_new_object());
	json_object_object_add(o, "version", json_object_new_int64(c->version));
	au_api_add_time(r, o, "createdAt", c->created_at);
	au_api_add_time(r, o, "updatedAt", c->updated_at);
	return o;
}

/* Joins and checks grantTypes; NULL after answering 400. */
static char *
grant_types_or_respond(struct au_req *r, struct json_object *body,
    const char *type)
{
	struct au_buf out;
	char **v;
	int n, i, k;

	v = au_api_strings(r, body, "grantTypes", &n);
	au_buf_init(&out, r->arena, 64);
	if (n == 0)
		au_buf_adds(&out, strcmp(type, "public") == 0 ?
		    "authorization_code refresh_token" :
		    "authorization_code refresh_token client_credentials");
	for (i = 0; i < n; i++) {
		for (k = 0; known_grants[k] != NULL; k++)
			if (strcmp(v[i], known_grants[k]) == 0)
				break;
		if (known_grants[k] == NULL) {
			au_resp_field_error(r, 400, "grantTypes", au_arena_printf(
			    r->arena, "'%.100s' is not a supported grant type", v[i]));
			return NULL;
		}
		if (strcmp(type, "public") == 0 &&
		    strcmp(v[i], "client_credentials") == 0) {
			au_resp_field_error(r, 400, "grantTypes", "a public client "
			    "cannot use client_credentials");
			return NULL;
		}
		if (out.len > 0)
			au_buf_addc(&out, ' ');
		au_buf_adds(&out, v[i]);
	}
	return out.p;
}

/* Checks tokenSettings: only signingAlg for now, naming an algorithm the
 * realm has an active key for.  Stores the canonical JSON text in c. */
static int
token_settings_or_respond(struct au_req *r, struct json_object *body,
    const struct au_realm_view *v, struct au_client *c)
{
	struct json_object *ts;
	const char *alg;

	if (!json_object_object_get_ex(body, "tokenSettings", &ts) ||
	    json_object_is_type(ts, json_type_null))
		return AU_OK;
	json_object_object_foreach(ts, key, val) {
		if (strcmp(key, "signingAlg") != 0)
			return au_resp_field_error(r, 400, au_arena_printf(r->arena,
			    "tokenSettings.%.100s", key), "is not a known field"),
			    AU_EINVAL;
		alg = json_object_is_type(val, json_type_string) ?
		    json_object_get_string(val) : "";
		if (!au_realm_has_active_key(v, au_alg_parse(alg)))
			return au_resp_field_error(r, 400,
			    "tokenSettings.signingAlg", "must be an algorithm the "
			    "realm has an active key for (RS256, ES256)"), AU_EINVAL;
	}
	c->token_settings = au_arena_strdup(r->arena,
	    json_object_to_json_string_ext(ts, JSON_C_TO_STRING_PLAIN));
	return AU_OK;
}

struct save_args {
	struct au_req *r;
	struct au_client *c;
	struct json_object *body;
	bool insert;               /* else update */
	long long expected;        /* update: If-Match version, 0 = any */
	struct json_object *before;  /* update: the old representation */
	const char *missing;       /* a scope that does not exist */
	const char *missing_field;
};

/* The client row, its scopes and the realm's version bump, together. */
static int
save_tx(struct au_db *db, void *arg)
{
	static const char *const kinds[][2] = {
		{ "default", "defaultScopes" }, { "optional", "optionalScopes" } };
	struct save_args *x = arg;
	char **names;
	int n, rc, k;

	rc = x->insert ? au_store_client_insert(db, x->r->arena, x->c) :
	    au_store_client_update(db, x->c, x->expected);
	for (k = 0; k < 2 && rc == AU_OK; k++) {
		names = au_api_strings(x->r, x->body, kinds[k][1], &n);
		rc = au_store_client_set_scopes(db, x->r->arena, x->c,
		    kinds[k][0], names, n, &x->missing);
		if (rc == AU_ENOTFOUND)
			x->missing_field = kinds[k][1];
	}
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->c->realm_uuid, x->insert ?
		    "client.create" : "client.update", "client", x->c->client_id,
		    x->before, x->body);
	return rc;
}

/* Runs save_tx and answers its failure; AU_OK when saved. */
static int
save_or_respond(struct au_db *db, struct save_args *x)
{
	int rc = au_db_tx(db, save_tx, x);

	if (rc == AU_ENOTFOUND && x->missing_field != NULL)
		return au_resp_field_error(x->r, 400, x->missing_field,
		    au_arena_printf(x->r->arena, "scope '%.100s' does not exist",
		    x->missing)), rc;
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, au_arena_printf(x->r->arena,
		    "Client '%.255s'", x->c->client_id)), rc;
	return AU_OK;
}

static int
check_client_values(struct au_req *r, struct json_object *body,
    struct au_client *c)
{
	c->client_id = (char *)au_api_str(body, "clientId");
	c->name = (char *)au_api_str(body, "name");
	c->description = (char *)au_api_str(body, "description");
	c->type = (char *)au_api_str(body, "type");
	if (c->name == NULL)
		c->name = "";
	if (c->description == NULL)
		c->description = "";
	if (c->type == NULL)
		c->type = "confidential";
	if (*c->client_id == '\0')
		return au_resp_field_error(r, 400, "clientId", "must not be empty"),
		    AU_EINVAL;
	if (strcmp(c->type, "confidential") != 0 && strcmp(c->type, "public") != 0)
		return au_resp_field_error(r, 400, "type",
		    "must be \"confidential\" or \"public\""), AU_EINVAL;
	c->grant_types = grant_types_or_respond(r, body, c->type);
	if (c->grant_types == NULL)
		return AU_EINVAL;
	c->enabled = au_api_bool(body, "enabled", true);
	c->pkce_required = true;
	c->consent_required = false;
	c->token_endpoint_auth_method = strcmp(c->type, "public") == 0 ?
	    "none" : "client_secret_basic";
	c->user_access = "all";
	return AU_OK;
}

int
au_api_client_create(struct au_req *r)
{
	struct au_client c = { 0 };
	struct save_args args = { r, &c, NULL, true, 0, NULL, NULL, NULL };
	const struct au_realm_view *view;
	struct au_realm *realm;
	struct au_db *db;
	int rc;

	if (au_api_body_or_respond(r, client_fields, COUNT(client_fields),
	    &args.body) != AU_OK ||
	    check_client_values(r, args.body, &c) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = au_realm_get(r, realm->realm_id, &view);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm");
	if (token_settings_or_respond(r, args.body, view, &c) != AU_OK)
		return AU_OK;
	c.realm_uuid = realm->id;
	if (save_or_respond(db, &args) != AU_OK)
		return AU_OK;
	au_realm_forget(r, realm->realm_id);
	au_resp_set_header(r, "Location", au_arena_printf(r->arena,
	    "%s/api/admin/realms/%s/clients/%s", r->cfg->base_url,
	    realm->realm_id, au_url_encode(r->arena, c.client_id)));
	au_api_etag(r, c.version);
	return au_resp_json(r, 201, client_json(r, db, &c));
}

int
au_api_client_list(struct au_req *r)
{
	struct au_client *items;
	struct au_realm *realm;
	struct json_object *arr;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = au_store_client_list(db, r->arena, realm->id, au_req_query(r, "q"),
	    offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, client_json(r, db, &items[i]));
	return au_api_list(r, arr, total);
}

int
au_api_client_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm, struct au_client **c)
{
	const char *id = au_req_param(r, "clientId");
	int rc;

	if (au_api_realm_or_respond(r, db, realm) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_client_find(*db, r->arena, (*realm)->id, id, c);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Client '%.255s'", id)), rc;
	return AU_OK;
}

int
au_api_client_get(struct au_req *r)
{
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;

	if (au_api_client_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	au_api_etag(r, c->version);
	return au_resp_json(r, 200, client_json(r, db, c));
}

/* Replaces old's editable fields with the validated body (PUT, and PATCH
 * after merging) and answers with the new representation. */
static int
replace_client(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    const struct au_client *old, struct json_object *body, long long expected)
{
	struct au_client c = { 0 }, *fresh;
	struct save_args args = { r, &c, body, false, expected, NULL, NULL,
		NULL };
	const struct au_realm_view *view;
	int rc;

	if (check_client_values(r, body, &c) != AU_OK)
		return AU_OK;
	if (strcmp(c.client_id, old->client_id) != 0)
		return au_resp_field_error(r, 400, "clientId",
		    "cannot be changed (it must match the URL)");
	rc = au_realm_get(r, realm->realm_id, &view);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm");
	if (token_settings_or_respond(r, body, view, &c) != AU_OK)
		return AU_OK;
	c.id = old->id;
	c.realm_uuid = realm->id;
	args.before = client_json(r, db, old);
	au_api_own(r, args.before);
	if (save_or_respond(db, &args) != AU_OK)
		return AU_OK;
	au_realm_forget(r, realm->realm_id);
	rc = au_store_client_find(db, r->arena, realm->id, old->client_id, &fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client");
	au_api_etag(r, fresh->version);
	return au_resp_json(r, 200, client_json(r, db, fresh));
}

int
au_api_client_update(struct au_req *r)
{
	struct json_object *body;
	struct au_realm *realm;
	struct au_client *old;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, client_fields, COUNT(client_fields),
	    &body) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &old) != AU_OK)
		return AU_OK;
	return replace_client(r, db, realm, old, body, expected);
}

int
au_api_client_patch(struct au_req *r)
{
	static const char *const computed[] = { "id", "version", "createdAt",
		"updatedAt" };
	struct json_object *patch, *merged;
	struct au_realm *realm;
	struct au_client *old;
	long long expected;
	struct au_db *db;
	size_t i;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK)
		return AU_OK;
	if (au_req_json(r, &patch) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL);
	if (au_api_client_or_respond(r, &db, &realm, &old) != AU_OK)
		return AU_OK;
	/* RFC 7396 over the editable representation, then validated as a PUT */
	merged = client_json(r, db, old);
	au_api_own(r, merged);
	for (i = 0; i < COUNT(computed); i++)
		json_object_object_del(merged, computed[i]);
	au_api_merge_patch(merged, patch);
	if (au_api_check_or_respond(r, client_fields, COUNT(client_fields),
	    merged) != AU_OK)
		return AU_OK;
	return replace_client(r, db, realm, old, merged, expected);
}

int
au_api_client_delete(struct au_req *r)
{
	struct json_object *before;
	struct au_realm *realm;
	struct au_client *c;
	long long expected;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	if (expected != 0 && expected != c->version)
		return au_api_store_error(r, AU_ECONFLICT, "The client");
	before = client_json(r, db, c);
	au_api_own(r, before);
	rc = au_store_client_delete(db, realm->id, c->client_id);
	if (rc == AU_OK)
		rc = au_api_changed(r, db, realm->id, "client.delete", "client",
		    c->client_id, before, NULL);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client");
	au_realm_forget(r, realm->realm_id);
	return au_resp_empty(r, 204);
}
