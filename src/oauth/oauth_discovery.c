/* oauth_discovery.c — discovery metadata and JWKS. */
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_claims.h"
#include "oauth/oauth_device.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"

static void
add_strings(struct json_object *o, const char *name, const char *const *v)
{
	struct json_object *arr = json_object_new_array();

	for (; *v != NULL; v++)
		json_object_array_add(arr, json_object_new_string(*v));
	json_object_object_add(o, name, arr);
}

static void
add_url(struct au_arena *a, struct json_object *o, const char *name,
    const char *issuer, const char *suffix)
{
	json_object_object_add(o, name, json_object_new_string(
	    au_arena_printf(a, "%s%s", issuer, suffix)));
}

/* Appends name to claims unless seen holds it. */
static void
add_claim(struct json_object *claims, struct json_object *seen,
    const char *name)
{
	if (json_object_object_get_ex(seen, name, NULL))
		return;
	json_object_object_add(seen, name, NULL);
	json_object_array_add(claims, json_object_new_string(name));
}

/* scopes_supported: every scope of the realm, global ones included;
 * claims_supported: "sub" and every claim those scopes release, once
 * (profile's claims from attributes too: oauth_claims.h). */
static void
add_scopes(struct json_object *o, const struct au_realm_view *v)
{
	struct json_object *scopes = json_object_new_array();
	struct json_object *claims = json_object_new_array(), *seen, *list, *c;
	const char *name;
	size_t j;
	int i;

	static const char *const id_claims[] = { "sub", "iss", "aud", "exp",
		"iat", "auth_time", "nonce", "azp", "sid", "at_hash", "acr",
		"amr", NULL };

	seen = json_object_new_object();
	for (j = 0; id_claims[j] != NULL; j++) {
		json_object_array_add(claims,
		    json_object_new_string(id_claims[j]));
		json_object_object_add(seen, id_claims[j], NULL);
	}
	for (i = 0; i < v->nscopes; i++) {
		json_object_array_add(scopes,
		    json_object_new_string(v->scopes[i].name));
		list = json_tokener_parse(v->scopes[i].claims);
		for (j = 0; list != NULL &&
		    json_object_is_type(list, json_type_array) &&
		    j < json_object_array_length(list); j++) {
			if (!json_object_object_get_ex(json_object_array_get_idx(
			    list, j), "claim", &c) ||
			    !json_object_is_type(c, json_type_string))
				continue;
			add_claim(claims, seen, json_object_get_string(c));
		}
		json_object_put(list);
		for (j = 0; strcmp(v->scopes[i].name, "profile") == 0 &&
		    (name = au_profile_attribute_claims[j]) != NULL; j++)
			add_claim(claims, seen, name);
	}
	json_object_put(seen);
	json_object_object_add(o, "scopes_supported", scopes);
	json_object_object_add(o, "claims_supported", claims);
}

char *
au_discovery_document(struct au_arena *a, const char *issuer,
    const struct au_realm_view *v)
{
	static const char *const grants[] = { "authorization_code",
		"refresh_token", "client_credentials", AU_GRANT_DEVICE_CODE,
		NULL };
	/* public clients (none) use the token endpoint only */
	static const char *const token_auth_methods[] = {
		"client_secret_basic", "client_secret_post", "private_key_jwt",
		"none", NULL };
	static const char *const auth_methods[] = { "client_secret_basic",
		"client_secret_post", "private_key_jwt", NULL };
	static const char *const assertion_algs[] = { "RS256", "PS256",
		"ES256", "EdDSA", NULL };
	static const char *const response_types[] = { "code", NULL };
	static const char *const response_modes[] = { "query", "form_post",
		NULL };
	static const char *const pkce_methods[] = { "S256", NULL };
	static const char *const jwe_algs[] = { "RSA-OAEP-256", "ECDH-ES",
		NULL };
	static const char *const jwe_encs[] = { "A128GCM", "A256GCM",
		"A128CBC-HS256", NULL };
	static const char *const prompts[] = { "none", "login", "consent",
		NULL };
	static const char *const subject_types[] = { "public", NULL };
	struct json_object *o = json_object_new_object();
	const char *algs[6];
	char *out;
	int i, n = 0;

	/* signing algorithms of the realm's active keys, RS256 first */
	for (i = 0; i < v->nkeys && n < 5; i++) {
		const char *name = au_alg_name(v->keys[i].alg);
		int j, seen = 0;

		for (j = 0; j < n; j++)
			seen |= strcmp(algs[j], name) == 0;
		if (!seen && v->keys[i].active)
			algs[n++] = name;
	}
	algs[n] = NULL;
	json_object_object_add(o, "issuer", json_object_new_string(issuer));
	add_url(a, o, "authorization_endpoint", issuer, "/authorize");
	add_url(a, o, "token_endpoint", issuer, "/token");
	add_url(a, o, "jwks_uri", issuer, "/jwks");
	add_url(a, o, "userinfo_endpoint", issuer, "/userinfo");
	add_strings(o, "grant_types_supported", grants);
	add_url(a, o, "introspection_endpoint", issuer, "/introspect");
	add_url(a, o, "revocation_endpoint", issuer, "/revoke");
	/* RP-Initiated Logout 1.0 (no front- or back-channel logout) */
	add_url(a, o, "end_session_endpoint", issuer, "/logout");
	add_url(a, o, "device_authorization_endpoint", issuer,
	    "/device_authorization");
	/* the three endpoints authenticate callers alike
	 * (oauth_client_auth.h), but public clients only use /token */
	add_strings(o, "token_endpoint_auth_methods_supported",
	    token_auth_methods);
	add_strings(o, "token_endpoint_auth_signing_alg_values_supported",
	    assertion_algs);
	add_strings(o, "introspection_endpoint_auth_methods_supported",
	    auth_methods);
	add_strings(o, "introspection_endpoint_auth_signing_alg_values_supported",
	    assertion_algs);
	add_strings(o, "revocation_endpoint_auth_methods_supported",
	    auth_methods);
	add_strings(o, "revocation_endpoint_auth_signing_alg_values_supported",
	    assertion_algs);
	add_strings(o, "response_types_supported", response_types);
	add_strings(o, "response_modes_supported", response_modes);
	add_strings(o, "code_challenge_methods_supported", pkce_methods);
	add_strings(o, "prompt_values_supported", prompts);
	/* request objects are refused (request_not_supported); Discovery
	 * §3 defaults request_uri_parameter_supported to true, so both are
	 * said */
	json_object_object_add(o, "request_parameter_supported",
	    json_object_new_boolean(0));
	json_object_object_add(o, "request_uri_parameter_supported",
	    json_object_new_boolean(0));
	json_object_object_add(o, "authorization_response_iss_parameter_supported",
	    json_object_new_boolean(1));
	add_strings(o, "subject_types_supported", subject_types);
	add_strings(o, "id_token_signing_alg_values_supported", algs);
	/* a client's tokenSettings (crypto_jwe.h, oauth_encrypt.h);
	 * userinfo is encrypted, not signed */
	add_strings(o, "id_token_encryption_alg_values_supported", jwe_algs);
	add_strings(o, "id_token_encryption_enc_values_supported", jwe_encs);
	add_strings(o, "userinfo_encryption_alg_values_supported", jwe_algs);
	add_strings(o, "userinfo_encryption_enc_values_supported", jwe_encs);
	add_scopes(o, v);
	out = au_arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

int
au_oauth_realm_or_respond(struct au_req *r, int oauth_style,
    const struct au_realm_view **out)
{
	const char *slug = au_req_param(r, "realm");
	const struct au_realm_view *v;
	const char *why;
	int status, rc;

	rc = au_realm_get(r, slug, &v);
	if (rc == AU_OK && strcmp(v->realm.status, "active") == 0) {
		*out = v;
		return AU_OK;
	}
	if (rc == AU_OK) {
		status = 403;
		why = au_arena_printf(r->arena, "Realm '%s' is inactive.", slug);
	} else if (rc == AU_ENOTFOUND) {
		status = 404;
		why = au_arena_printf(r->arena, "Realm '%s' does not exist.", slug);
	} else {
		au_resp_unavailable(r);
		return AU_EDB;
	}
	if (oauth_style)
		au_oauth_error(r, status == 404 ? 404 : 400, "invalid_request",
		    why);
	else
		au_resp_error(r, status, status == 404 ? "Realm not found" :
		    "Realm inactive", why);
	return AU_ENOTFOUND;
}

/* Clients and the web server (the shipped nginx site honours it) may
 * cache metadata and keys for [server] metadata_max_age seconds. */
static int
send_cached(struct au_req *r, const char *json)
{
	au_resp_set_header(r, "Cache-Control", au_arena_printf(r->arena,
	    "public, max-age=%d", r->cfg->metadata_max_age));
	au_resp_set_header(r, "Access-Control-Allow-Origin", "*");
	return au_resp_text(r, 200, "application/json", json, strlen(json));
}

int
au_oauth_discovery(struct au_req *r)
{
	const struct au_realm_view *v;

	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	return send_cached(r, v->discovery_json);
}

int
au_oauth_jwks(struct au_req *r)
{
	const struct au_realm_view *v;

	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	return send_cached(r, v->jwks_json);
}

int
au_oauth_form_or_respond(struct au_req *r, const struct au_realm_view **v)
{
	const char *dup;

	if (au_oauth_realm_or_respond(r, 1, v) != AU_OK)
		return AU_EDENIED;
	if (au_req_form_parse(r) != AU_OK)
		return au_oauth_error(r, 400, "invalid_request", r->error),
		    AU_EINVAL;
	if ((dup = au_req_dup_param(r)) != NULL)
		return au_oauth_error(r, 400, "invalid_request",
		    au_arena_printf(r->arena, "Parameter '%.100s' is repeated.",
		    dup)), AU_EINVAL;
	return AU_OK;
}
