/* api_client.c — client resources of the admin API. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_settings.h"
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
#include "crypto/crypto_jwk.h"
#include "oauth/oauth_encrypt.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_uri.h"
#include "store/store_client.h"
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_secret.h"
#include "store/store_settings.h"

#define MAX_URIS 50
#define MAX_JWKS_KEYS 20

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
	{ "redirectUris", AU_F_ARRAY, false, MAX_URIS },
	{ "postLogoutRedirectUris", AU_F_ARRAY, false, MAX_URIS },
	{ "webOrigins", AU_F_ARRAY, false, MAX_URIS },
	{ "pkceRequired", AU_F_BOOL, false, 0 },
	{ "consentRequired", AU_F_BOOL, false, 0 },
	{ "tokenEndpointAuthMethod", AU_F_STRING, false, 32 },
	{ "jwks", AU_F_OBJECT, false, 0 },
	{ "jwksUri", AU_F_STRING, false, 2000 },
	{ "userAccess", AU_F_STRING, false, 16 },
	{ "branding", AU_F_OBJECT, false, 0 },
};

/* A web origin, or "+": the origins of the client's redirect URIs
 * (oauth_cors.h). */
static const char *
web_origin_problem(const char *s)
{
	return strcmp(s, "+") == 0 ? NULL : au_uri_origin_problem(s);
}

/* The URI lists of a client: field name, client_uris kind, list slot,
 * check. */
static const struct {
	const char *field, *kind;
	enum au_client_list list;
	const char *(*problem)(const char *);
} uri_lists[] = {
	{ "redirectUris", "redirect", AU_CL_REDIRECT, au_uri_redirect_problem },
	{ "postLogoutRedirectUris", "post_logout", AU_CL_POST_LOGOUT,
	  au_uri_redirect_problem },
	{ "webOrigins", "web_origin", AU_CL_WEB_ORIGIN, web_origin_problem },
};
#define NURI_LISTS 3

static const char *const auth_methods[] = { "client_secret_basic",
	"client_secret_post", "private_key_jwt", "none", NULL };

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

/* The representation; c's lists must be loaded
 * (au_store_client_load_lists). */
static struct json_object *
client_json(struct au_req *r, const struct au_client *c)
{
	struct json_object *o = json_object_new_object(), *grants;
	char *copy = au_arena_strdup(r->arena, c->grant_types), *tok, *save;
	int k;

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
	for (k = 0; k < NURI_LISTS; k++)
		json_object_object_add(o, uri_lists[k].field, strings_json(
		    c->lists[uri_lists[k].list], c->nlists[uri_lists[k].list]));
	json_object_object_add(o, "pkceRequired",
	    json_object_new_boolean(c->pkce_required));
	json_object_object_add(o, "consentRequired",
	    json_object_new_boolean(c->consent_required));
	json_object_object_add(o, "tokenEndpointAuthMethod",
	    json_object_new_string(c->token_endpoint_auth_method));
	json_object_object_add(o, "jwks", c->jwks != NULL ?
	    json_tokener_parse(c->jwks) : NULL);
	json_object_object_add(o, "jwksUri", c->jwks_uri != NULL ?
	    json_object_new_string(c->jwks_uri) : NULL);
	json_object_object_add(o, "userAccess",
	    json_object_new_string(c->user_access));
	json_object_object_add(o, "defaultScopes", strings_json(
	    c->lists[AU_CL_DEFAULT_SCOPES], c->nlists[AU_CL_DEFAULT_SCOPES]));
	json_object_object_add(o, "optionalScopes", strings_json(
	    c->lists[AU_CL_OPTIONAL_SCOPES], c->nlists[AU_CL_OPTIONAL_SCOPES]));
	json_object_object_add(o, "tokenSettings", c->token_settings != NULL ?
	    json_tokener_parse(c->token_settings) : json_object_new_object());
	json_object_object_add(o, "branding", c->branding != NULL ?
	    json_tokener_parse(c->branding) : json_object_new_object());
	json_object_object_add(o, "version", json_object_new_int64(c->version));
	au_api_add_time(r, o, "createdAt", c->created_at);
	au_api_add_time(r, o, "updatedAt", c->updated_at);
	return o;
}

struct json_object *
au_api_client_json(struct au_req *r, const struct au_client *c)
{
	return client_json(r, c);
}

/* Reads the client's lists and builds its representation; NULL after
 * answering 503. */
static struct json_object *
client_json_or_respond(struct au_req *r, struct au_db *db, struct au_client *c)
{
	int rc = au_store_client_load_lists(db, r->arena, c, 1);

	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client"), NULL;
	return client_json(r, c);
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

/* tokenSettings.{member}.alg asks for encryption: the client's jwks
 * (checked already) must hold a key for it (oauth_encrypt.h). */
static int
enc_key_or_respond(struct au_req *r, struct json_object *ts,
    const struct au_client *c, const char *member)
{
	struct json_object *alg, *jwks;
	const char *kid;
	au_pkey *key;
	int rc;

	alg = au_settings_at(ts, au_arena_printf(r->arena, "%s.alg", member));
	if (alg == NULL || !json_object_is_type(alg, json_type_string) ||
	    *json_object_get_string(alg) == '\0')
		return AU_OK;
	jwks = c->jwks != NULL ? json_tokener_parse(c->jwks) : NULL;
	rc = au_client_enc_key(jwks, json_object_get_string(alg), &key, &kid);
	json_object_put(jwks);
	if (rc == AU_OK) {
		au_pkey_free(key);
		return AU_OK;
	}
	return au_resp_field_error(r, 400, au_arena_printf(r->arena,
	    "tokenSettings.%s.alg", member), au_arena_printf(r->arena,
	    "needs a public key for %s in the client's jwks (use \"enc\" or "
	    "no use; RSA for RSA-OAEP-256, EC P-256 for ECDH-ES)",
	    json_object_get_string(alg))), AU_EINVAL;
}

/* Checks tokenSettings against the tokens document's table (every problem
 * named tokenSettings.x), and that a signingAlg names an algorithm the
 * realm has an active key for.  Stores the canonical JSON text in c. */
static int
token_settings_or_respond(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_client *c)
{
	struct json_object *ts, *alg;
	long long count = 0;
	int rc;

	if (!json_object_object_get_ex(body, "tokenSettings", &ts) ||
	    json_object_is_type(ts, json_type_null))
		return AU_OK;
	if (au_api_settings_check_or_respond(r, "client", ts,
	    "tokenSettings.") != AU_OK)
		return AU_EINVAL;
	if (json_object_object_get_ex(ts, "signingAlg", &alg) &&
	    json_object_is_type(alg, json_type_string)) {
		rc = au_store_key_count_active(db, r->arena, realm->id,
		    json_object_get_string(alg), NULL, &count);
		if (rc != AU_OK)
			return au_api_store_error(r, rc, "The realm's keys"), rc;
		if (count == 0)
			return au_resp_field_error(r, 400,
			    "tokenSettings.signingAlg", "must be an algorithm the "
			    "realm has an active signing key for (see its keys: "
			    "RS256, PS256, ES256 or EdDSA)"), AU_EINVAL;
	}
	if (enc_key_or_respond(r, ts, c, "idTokenEncryption") != AU_OK ||
	    enc_key_or_respond(r, ts, c, "userinfoEncryption") != AU_OK)
		return AU_EINVAL;
	c->token_settings = au_arena_strdup(r->arena,
	    json_object_to_json_string_ext(ts, JSON_C_TO_STRING_PLAIN));
	return AU_OK;
}

/* 400 naming field; returns AU_EINVAL for the caller to pass up. */
static int
bad(struct au_req *r, const char *field, const char *message)
{
	return au_api_field_error(r, field, message);
}

/* Checks one URI list of the body (uri_lists[k]) into out / *n: each
 * entry a string the list's rule accepts, none twice. */
static int
uris_or_respond(struct au_req *r, struct json_object *body, int k,
    char ***out, int *n)
{
	const char *field = uri_lists[k].field, *why;
	struct json_object *arr;
	size_t i, j, len;

	*n = 0;
	*out = au_arena_calloc(r->arena, sizeof(char *) * (MAX_URIS + 1));
	if (!json_object_object_get_ex(body, field, &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return AU_OK;
	len = json_object_array_length(arr);
	for (i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		const char *name = au_arena_printf(r->arena, "%s[%zu]", field, i);
		const char *v;

		if (!json_object_is_type(e, json_type_string))
			return bad(r, name, "must be a string");
		v = json_object_get_string(e);
		if (strlen(v) != (size_t)json_object_get_string_len(e))
			return bad(r, name, "must not contain NUL characters");
		if ((why = uri_lists[k].problem(v)) != NULL)
			return bad(r, name, why);
		for (j = 0; j < i; j++)
			if (strcmp(v, (*out)[j]) == 0)
				return bad(r, name, au_arena_printf(r->arena,
				    "duplicates %s[%zu]", field, j));
		(*out)[(*n)++] = au_arena_strdup(r->arena, v);
	}
	return AU_OK;
}

/* One JWK of a client's set: public, parseable, kid not seen before. */
static int
jwk_or_respond(struct au_req *r, struct json_object *keys, size_t i)
{
	static const char *const private_members[] = { "d", "p", "q", "dp",
		"dq", "qi", "oth", "k", NULL };
	struct json_object *k = json_object_array_get_idx(keys, i), *v;
	const char *name = au_arena_printf(r->arena, "jwks.keys[%zu]", i);
	const char *kid;
	au_pkey *pkey;
	size_t j;
	int m;

	if (!json_object_is_type(k, json_type_object))
		return bad(r, name, "must be a JWK (a JSON object)");
	for (m = 0; private_members[m] != NULL; m++)
		if (json_object_object_get_ex(k, private_members[m], &v))
			return bad(r, name, au_arena_printf(r->arena, "holds "
			    "private or symmetric key material (\"%s\"): register "
			    "public keys only", private_members[m]));
	if (au_jwk_import_public(k, &pkey) != AU_OK)
		return bad(r, name, "is not a supported public key (kty RSA, "
		    "EC P-256 or OKP Ed25519 with all its members)");
	au_pkey_free(pkey);
	kid = au_api_str(k, "kid");
	for (j = 0; kid != NULL && j < i; j++) {
		const char *other = au_api_str(json_object_array_get_idx(keys, j),
		    "kid");

		if (other != NULL && strcmp(kid, other) == 0)
			return bad(r, name, au_arena_printf(r->arena, "has the "
			    "same kid as jwks.keys[%zu]", j));
	}
	return AU_OK;
}

/* branding: members of the realm's branding document this client's
 * login pages show instead (checked as that document is); null members
 * and an empty object override nothing. */
static int
branding_or_respond(struct au_req *r, struct json_object *body,
    struct au_client *c)
{
	struct json_object *b, *keep;

	c->branding = NULL;
	if (!json_object_object_get_ex(body, "branding", &b) ||
	    json_object_is_type(b, json_type_null))
		return AU_OK;
	if (json_object_object_get_ex(b, "version", NULL) ||
	    json_object_object_get_ex(b, "updatedAt", NULL))
		return bad(r, json_object_object_get_ex(b, "version", NULL) ?
		    "branding.version" : "branding.updatedAt",
		    "is not a known field");
	if (au_api_settings_check_or_respond(r, "branding", b, "branding.") !=
	    AU_OK)
		return AU_EINVAL;
	keep = json_object_new_object();
	json_object_object_foreach(b, key, val)
		if (!json_object_is_type(val, json_type_null))
			json_object_object_add(keep, key, json_object_get(val));
	if (json_object_object_length(keep) > 0)
		c->branding = au_arena_strdup(r->arena,
		    json_object_to_json_string_ext(keep,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(keep);
	return AU_OK;
}

/* jwks (a JWK Set of public keys) and jwksUri (https), not both. */
static int
jwks_or_respond(struct au_req *r, struct json_object *body,
    struct au_client *c)
{
	struct json_object *set, *keys;
	const char *why;
	size_t i, n;

	c->jwks = NULL;
	c->jwks_uri = (char *)au_api_str(body, "jwksUri");
	if (c->jwks_uri != NULL && (why = au_uri_https_problem(c->jwks_uri)) !=
	    NULL)
		return bad(r, "jwksUri", why);
	if (!json_object_object_get_ex(body, "jwks", &set) ||
	    json_object_is_type(set, json_type_null))
		return AU_OK;
	if (c->jwks_uri != NULL)
		return bad(r, "jwksUri", "cannot be combined with jwks: register "
		    "the keys or the URL that serves them");
	if (!json_object_object_get_ex(set, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array))
		return bad(r, "jwks.keys", "is required: a JWK Set is "
		    "{\"keys\": [...]}");
	n = json_object_array_length(keys);
	if (n == 0 || n > MAX_JWKS_KEYS)
		return bad(r, "jwks.keys", au_arena_printf(r->arena, "must hold "
		    "1 to %d keys", MAX_JWKS_KEYS));
	for (i = 0; i < n; i++)
		if (jwk_or_respond(r, keys, i) != AU_OK)
			return AU_EINVAL;
	c->jwks = au_arena_strdup(r->arena, json_object_to_json_string_ext(set,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return AU_OK;
}

static bool
one_of(const char *v, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(v, *allowed) == 0)
			return true;
	return false;
}

/* pkceRequired, consentRequired, tokenEndpointAuthMethod, userAccess,
 * jwks / jwksUri: the rules that tie them to the client's type. */
static int
auth_values_or_respond(struct au_req *r, struct json_object *body,
    struct au_client *c)
{
	static const char *const user_access[] = { "all", "assigned", NULL };
	bool public = strcmp(c->type, "public") == 0;
	const char *m;

	c->pkce_required = au_api_bool(body, "pkceRequired", true);
	if (public && !c->pkce_required)
		return bad(r, "pkceRequired", "must be true for a public client: "
		    "PKCE is all that binds its code to it");
	c->consent_required = au_api_bool(body, "consentRequired", false);
	m = au_api_str(body, "tokenEndpointAuthMethod");
	if (m == NULL)
		m = public ? "none" : "client_secret_basic";
	if (!one_of(m, auth_methods))
		return bad(r, "tokenEndpointAuthMethod", "must be "
		    "client_secret_basic, client_secret_post, private_key_jwt or "
		    "none");
	if (public != (strcmp(m, "none") == 0))
		return bad(r, "tokenEndpointAuthMethod", public ? "must be \"none\" "
		    "for a public client (it holds no credential)" : "cannot be "
		    "\"none\" for a confidential client");
	c->token_endpoint_auth_method = (char *)m;
	c->user_access = (char *)au_api_str(body, "userAccess");
	if (c->user_access == NULL)
		c->user_access = "all";
	if (!one_of(c->user_access, user_access))
		return bad(r, "userAccess", "must be \"all\" or \"assigned\"");
	if (jwks_or_respond(r, body, c) != AU_OK ||
	    branding_or_respond(r, body, c) != AU_OK)
		return AU_EINVAL;
	if (strcmp(m, "private_key_jwt") == 0 && c->jwks == NULL &&
	    c->jwks_uri == NULL)
		return bad(r, "jwks", "or jwksUri is required for "
		    "private_key_jwt: the keys its assertions are signed with");
	return AU_OK;
}

/* defaultScopes and optionalScopes exclude each other. */
static int
scope_kinds_or_respond(struct au_req *r, struct json_object *body)
{
	char **def, **opt;
	int nd, no, i, j;

	def = au_api_strings(r, body, "defaultScopes", &nd);
	opt = au_api_strings(r, body, "optionalScopes", &no);
	for (i = 0; i < no; i++)
		for (j = 0; j < nd; j++)
			if (strcmp(opt[i], def[j]) == 0)
				return bad(r, au_arena_printf(r->arena,
				    "optionalScopes[%d]", i), au_arena_printf(
				    r->arena, "'%.100s' is already a default scope "
				    "(a scope is default or optional, not both)",
				    opt[i]));
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
	char **uris[NURI_LISTS];   /* checked URI lists */
	int nuris[NURI_LISTS];
};

/* The client row, its scopes, its URIs and the realm's version bump,
 * together. */
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
	for (k = 0; k < NURI_LISTS && rc == AU_OK; k++)
		rc = au_store_client_set_uris(db, x->r->arena, x->c->id,
		    uri_lists[k].kind, x->uris[k], x->nuris[k]);
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

/* Every check of a client body (PUT, POST, merged PATCH) into c and x. */
static int
check_client_values(struct au_req *r, struct json_object *body,
    struct au_client *c, struct save_args *x)
{
	int k;

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
		return bad(r, "clientId", "must not be empty");
	if (strchr(c->client_id, '/') != NULL)
		/* it names the client in URLs, where %2F is refused */
		return bad(r, "clientId", "must not contain '/'");
	if (strcmp(c->type, "confidential") != 0 && strcmp(c->type, "public") != 0)
		return bad(r, "type", "must be \"confidential\" or \"public\"");
	c->grant_types = grant_types_or_respond(r, body, c->type);
	if (c->grant_types == NULL)
		return AU_EINVAL;
	c->enabled = au_api_bool(body, "enabled", true);
	for (k = 0; k < NURI_LISTS; k++)
		if (uris_or_respond(r, body, k, &x->uris[k], &x->nuris[k]) != AU_OK)
			return AU_EINVAL;
	if (auth_values_or_respond(r, body, c) != AU_OK ||
	    scope_kinds_or_respond(r, body) != AU_OK)
		return AU_EINVAL;
	return AU_OK;
}

/* Answers 200/201 with the client as stored now. */
static int
respond_fresh(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    const char *client_id, int status)
{
	struct json_object *o;
	struct au_client *fresh;
	int rc;

	au_realm_forget(r, realm->realm_id);
	rc = au_store_client_find(db, r->arena, realm->id, client_id, &fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client");
	if ((o = client_json_or_respond(r, db, fresh)) == NULL)
		return AU_OK;
	au_api_etag(r, fresh->version);
	return au_resp_json(r, status, o);
}

int
au_api_client_create_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_client **out)
{
	struct au_client *c = au_arena_calloc(r->arena, sizeof(*c));
	struct save_args args = { 0 };
	int rc;

	args.r = r;
	args.c = c;
	args.body = body;
	args.insert = true;
	if (au_api_check_or_respond(r, client_fields, COUNT(client_fields),
	    body) != AU_OK || check_client_values(r, body, c, &args) != AU_OK)
		return AU_EINVAL;
	rc = token_settings_or_respond(r, db, realm, body, c);
	if (rc != AU_OK)
		return rc;
	c->realm_uuid = realm->id;
	rc = save_or_respond(db, &args);
	if (rc != AU_OK)
		return rc;
	*out = c;
	return AU_OK;
}

int
au_api_client_create(struct au_req *r)
{
	struct json_object *body;
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;

	if (au_api_body_or_respond(r, client_fields, COUNT(client_fields),
	    &body) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK ||
	    au_api_client_create_from(r, db, realm, body, &c) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Location", au_arena_printf(r->arena,
	    "%s/api/admin/realms/%s/clients/%s", r->cfg->base_url,
	    realm->realm_id, au_url_encode(r->arena, c->client_id)));
	return respond_fresh(r, db, realm, c->client_id, 201);
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
	/* the page's scopes and URIs in one query, not one per client */
	if (rc == AU_OK)
		rc = au_store_client_load_lists(db, r->arena, items, n);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, client_json(r, &items[i]));
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
	struct json_object *o;
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;

	if (au_api_client_or_respond(r, &db, &realm, &c) != AU_OK ||
	    (o = client_json_or_respond(r, db, c)) == NULL)
		return AU_OK;
	au_api_etag(r, c->version);
	return au_resp_json(r, 200, o);
}

/* Replaces old's editable fields with the validated body (PUT, and PATCH
 * after merging) and answers with the new representation.  old's lists
 * are loaded. */
static int
replace_client(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    const struct au_client *old, struct json_object *body, long long expected)
{
	struct au_client c = { 0 };
	struct save_args args = { 0 };

	args.r = r;
	args.c = &c;
	args.body = body;
	args.expected = expected;
	if (check_client_values(r, body, &c, &args) != AU_OK)
		return AU_OK;
	if (strcmp(c.client_id, old->client_id) != 0)
		return au_resp_field_error(r, 400, "clientId",
		    "cannot be changed (it must match the URL)");
	if (token_settings_or_respond(r, db, realm, body, &c) != AU_OK)
		return AU_OK;
	c.id = old->id;
	c.realm_uuid = realm->id;
	args.before = client_json(r, old);
	au_api_own(r, args.before);
	if (save_or_respond(db, &args) != AU_OK)
		return AU_OK;
	return respond_fresh(r, db, realm, old->client_id, 200);
}

int
au_api_client_update(struct au_req *r)
{
	struct json_object *body;
	struct au_realm *realm;
	struct au_client *old;
	long long expected;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, client_fields, COUNT(client_fields),
	    &body) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &old) != AU_OK)
		return AU_OK;
	rc = au_store_client_load_lists(db, r->arena, old, 1);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client");
	return replace_client(r, db, realm, old, body, expected);
}

int
au_api_client_patch(struct au_req *r)
{
	static const char *const computed[] = { "id", "version", "createdAt",
		"updatedAt", NULL };
	struct json_object *patch, *merged;
	struct au_realm *realm;
	struct au_client *old;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_patch_body_or_respond(r, &patch) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &old) != AU_OK ||
	    au_api_patched_or_respond(r, client_json_or_respond(r, db, old),
	    computed, patch, client_fields, COUNT(client_fields),
	    &merged) != AU_OK)
		return AU_OK;
	return replace_client(r, db, realm, old, merged, expected);
}

struct delete_args {
	struct au_req *r;
	const struct au_realm *realm;
	const struct au_client *c;
	struct json_object *before;
};

/* The delete and its event land together or not at all. */
static int
delete_tx(struct au_db *db, void *arg)
{
	struct delete_args *x = arg;
	int rc;

	rc = au_store_client_delete(db, x->realm->id, x->c->client_id);
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->realm->id, "client.delete",
		    "client", x->c->client_id, x->before, NULL);
	return rc;
}

int
au_api_client_delete(struct au_req *r)
{
	struct delete_args x;
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
	if ((before = client_json_or_respond(r, db, c)) == NULL)
		return AU_OK;
	au_api_own(r, before);
	x.r = r;
	x.realm = realm;
	x.c = c;
	x.before = before;
	rc = au_db_tx(db, delete_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client");
	au_realm_forget(r, realm->realm_id);
	return au_resp_empty(r, 204);
}
