/* oauth_client_assertion.c — private_key_jwt (RFC 7523 §2.2, OIDC Core
 * §9): the contract is in oauth_client_auth.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_jwk.h"
#include "crypto/crypto_jws.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_assertion.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"
#include "store/store_token.h"

#define JWT_BEARER "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
/* An assertion may not live longer than this (its jti is kept until its
 * exp, so this also bounds the replay table). */
#define ASSERTION_MAX_LIFE 600
#define CLOCK_SKEW 60

static void
json_put(void *p)
{
	json_object_put(p);
}

/* A string claim, or NULL. */
static const char *
str_claim(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* True when a key of the JWK Set text jwks verifies jws: keys of another
 * kid (when the assertion names one), alg or use are skipped. */
static bool
verified_by(const char *jwks, const struct au_jws *jws)
{
	struct json_object *set = json_tokener_parse(jwks), *keys;
	bool ok = false;
	size_t i;

	if (set == NULL || !json_object_object_get_ex(set, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array)) {
		json_object_put(set);
		return false;
	}
	for (i = 0; !ok && i < json_object_array_length(keys); i++) {
		struct json_object *k = json_object_array_get_idx(keys, i);
		const char *kid = str_claim(k, "kid"), *alg = str_claim(k, "alg");
		const char *use = str_claim(k, "use");
		au_pkey *pkey;

		if ((jws->kid != NULL && kid != NULL &&
		    strcmp(kid, jws->kid) != 0) || (alg != NULL &&
		    strcmp(alg, au_alg_name(jws->alg)) != 0) ||
		    (use != NULL && strcmp(use, "sig") != 0) ||
		    au_jwk_import_public(k, &pkey) != AU_OK)
			continue;
		ok = au_jws_verify(jws, pkey) == AU_OK;
		au_pkey_free(pkey);
	}
	json_object_put(set);
	return ok;
}

/* True when aud (a string or an array of them) names the issuer or the
 * realm's token endpoint (RFC 7523 §3, OIDC Core §9). */
static bool
audience_ok(struct au_req *r, const struct au_realm_view *v,
    struct json_object *claims)
{
	const char *mine[3];
	struct json_object *aud, *e;
	size_t i, n;
	int j;

	mine[0] = v->issuer;
	mine[1] = au_arena_printf(r->arena, "%s/token", v->issuer);
	mine[2] = au_arena_printf(r->arena, "%s/protocol/openid-connect/token",
	    v->issuer);
	if (!json_object_object_get_ex(claims, "aud", &aud))
		return false;
	n = json_object_is_type(aud, json_type_array) ?
	    json_object_array_length(aud) : 1;
	for (i = 0; i < n; i++) {
		e = json_object_is_type(aud, json_type_array) ?
		    json_object_array_get_idx(aud, i) : aud;
		if (!json_object_is_type(e, json_type_string))
			continue;
		for (j = 0; j < 3; j++)
			if (strcmp(json_object_get_string(e), mine[j]) == 0)
				return true;
	}
	return false;
}

/* Checks exp, nbf and iat; a complaint or NULL. */
static const char *
times_problem(struct json_object *claims, int64_t now)
{
	struct json_object *t;

	if (!json_object_object_get_ex(claims, "exp", &t) ||
	    !json_object_is_type(t, json_type_int))
		return "The client assertion has no exp.";
	if (json_object_get_int64(t) <= now)
		return "The client assertion has expired.";
	if (json_object_get_int64(t) > now + ASSERTION_MAX_LIFE)
		return "The client assertion's exp is more than 10 minutes "
		    "ahead.";
	if (json_object_object_get_ex(claims, "nbf", &t) &&
	    (!json_object_is_type(t, json_type_int) ||
	    json_object_get_int64(t) > now + CLOCK_SKEW))
		return "The client assertion is not valid yet (nbf).";
	if (json_object_object_get_ex(claims, "iat", &t) &&
	    (!json_object_is_type(t, json_type_int) ||
	    json_object_get_int64(t) > now + CLOCK_SKEW))
		return "The client assertion was issued in the future (iat).";
	return NULL;
}

/* Records the assertion's jti; a complaint when it was seen before. */
static int
jti_fresh_or_respond(struct au_req *r, const struct au_cached_client *cc,
    const char *jti, struct json_object *claims)
{
	struct json_object *exp;
	unsigned char h[32];
	char hex[65];
	struct au_db *db;
	int i, rc;

	json_object_object_get_ex(claims, "exp", &exp);
	au_sha256(jti, strlen(jti), h);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_assertion_jti_use(db, cc->c.id, hex,
		    json_object_get_int64(exp));
	if (rc == AU_EDUP)
		return au_oauth_invalid_client(r, "The client assertion was "
		    "replayed: its jti was used before."), AU_EDENIED;
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_EDB;
	return AU_OK;
}

#define FAIL(msg) return au_oauth_invalid_client(r, (msg)), AU_EDENIED

int
au_client_assertion_or_respond(struct au_req *r,
    const struct au_realm_view *v, struct au_principal *out)
{
	const char *type = au_req_form(r, "client_assertion_type");
	const char *jwt = au_req_form(r, "client_assertion");
	const char *form_id = au_req_form(r, "client_id");
	const char *iss, *sub, *jti, *why;
	const struct au_cached_consumer *consumer;
	const struct au_cached_client *cc;
	struct json_object *claims;
	struct au_jws jws;
	int rc;

	if (au_req_header(r, "authorization") != NULL ||
	    au_req_form(r, "client_secret") != NULL) {
		au_oauth_error(r, 400, "invalid_request", "Use only one client "
		    "authentication method (a client assertion, a Basic header "
		    "or form fields).");
		return AU_EDENIED;
	}
	if (type == NULL || strcmp(type, JWT_BEARER) != 0)
		FAIL("client_assertion_type must be " JWT_BEARER ".");
	if (jwt == NULL || *jwt == '\0')
		FAIL("client_assertion is required with client_assertion_type.");
	if (au_jws_parse(r->arena, jwt, &jws) != AU_OK)
		FAIL("The client assertion is not a JWS signed with RS256, "
		    "PS256, ES256 or EdDSA.");
	claims = json_tokener_parse((const char *)jws.payload);
	if (claims != NULL)
		au_arena_cleanup(r->arena, json_put, claims);
	if (claims == NULL || !json_object_is_type(claims, json_type_object))
		FAIL("The client assertion's payload is not a JSON object.");
	iss = str_claim(claims, "iss");
	sub = str_claim(claims, "sub");
	if (iss == NULL || sub == NULL || strcmp(iss, sub) != 0)
		FAIL("The client assertion's iss and sub must both be the "
		    "client_id.");
	if (form_id != NULL && strcmp(form_id, iss) != 0)
		FAIL("client_id does not match the client assertion's iss.");
	rc = au_realm_client(r, v, iss, &cc);
	if (rc == AU_ENOTFOUND &&
	    (rc = au_realm_consumer(r, v, iss, &consumer)) == AU_OK)
		FAIL(au_arena_printf(r->arena, "Consumer '%s' authenticates with "
		    "a secret (client_secret_basic or client_secret_post), not "
		    "a client assertion.", consumer->c.consumer_id));
	if (rc == AU_EDB)
		return au_resp_unavailable(r), AU_EDB;
	if (rc != AU_OK)
		FAIL("Client authentication failed.");
	if (strcmp(cc->c.token_endpoint_auth_method, "private_key_jwt") != 0)
		FAIL(au_arena_printf(r->arena, "Client '%s' is registered for "
		    "%s, not private_key_jwt.", cc->c.client_id,
		    cc->c.token_endpoint_auth_method));
	if (cc->c.jwks == NULL)
		FAIL(au_arena_printf(r->arena, cc->c.jwks_uri != NULL ?
		    "Client '%s' registers only a jwksUri, and fetching keys from "
		    "jwksUri is not supported yet: register its keys as jwks." :
		    "Client '%s' has no registered keys (jwks).",
		    cc->c.client_id));
	if (!verified_by(cc->c.jwks, &jws))
		FAIL("The client assertion's signature does not verify with the "
		    "client's registered keys.");
	if (!audience_ok(r, v, claims))
		FAIL("The client assertion's aud must name the issuer or the "
		    "token endpoint.");
	if ((why = times_problem(claims, au_time_now())) != NULL)
		FAIL(why);
	jti = str_claim(claims, "jti");
	if (jti == NULL || *jti == '\0')
		FAIL("The client assertion has no jti.");
	if (!cc->c.enabled)
		FAIL(au_arena_printf(r->arena, "Client '%s' is disabled.",
		    cc->c.client_id));
	if ((rc = jti_fresh_or_respond(r, cc, jti, claims)) != AU_OK)
		return rc;
	out->client = cc;
	out->consumer = NULL;
	return AU_OK;
}
