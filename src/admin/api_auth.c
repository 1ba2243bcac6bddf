/* api_auth.c — bearer token check of the admin API. */
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "admin/api_auth.h"
#include "admin/api_common.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_jws.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"

#define CLOCK_SKEW 60

static int
unauthorized(struct au_req *r, const char *why)
{
	au_resp_set_header(r, "WWW-Authenticate", au_arena_printf(r->arena,
	    "Bearer realm=\"authio-admin\", error=\"invalid_token\", "
	    "error_description=\"%s\"", why));
	au_resp_problem(r, 401, "Unauthorized", why, NULL);
	return AU_EDENIED;
}

static bool
has_admin_role(struct json_object *claims)
{
	struct json_object *access, *roles;
	size_t i;

	if (!json_object_object_get_ex(claims, "realm_access", &access) ||
	    !json_object_object_get_ex(access, "roles", &roles) ||
	    !json_object_is_type(roles, json_type_array))
		return false;
	for (i = 0; i < json_object_array_length(roles); i++) {
		struct json_object *e = json_object_array_get_idx(roles, i);

		if (json_object_is_type(e, json_type_string) &&
		    strcmp(json_object_get_string(e), "admin") == 0)
			return true;
	}
	return false;
}

/* Checks iss and the time claims; returns a complaint or NULL. */
static const char *
check_claims(struct json_object *claims, const char *issuer)
{
	struct json_object *iss, *exp, *iat;
	int64_t now = au_time_now();

	if (!json_object_object_get_ex(claims, "iss", &iss) ||
	    !json_object_is_type(iss, json_type_string) ||
	    strcmp(json_object_get_string(iss), issuer) != 0)
		return "The token was not issued by the master realm.";
	if (!json_object_object_get_ex(claims, "exp", &exp) ||
	    !json_object_is_type(exp, json_type_int) ||
	    json_object_get_int64(exp) <= now)
		return "The token has expired.";
	if (json_object_object_get_ex(claims, "iat", &iat) &&
	    (!json_object_is_type(iat, json_type_int) ||
	    json_object_get_int64(iat) > now + CLOCK_SKEW))
		return "The token is not valid yet.";
	return NULL;
}

int
au_api_auth_guard(struct au_req *r)
{
	const char *h = au_req_header(r, "authorization"), *why;
	const struct au_realm_view *master;
	const struct au_signing_key *key;
	struct json_object *claims;
	struct au_jws jws;
	int rc;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return unauthorized(r, "A bearer access token is required.");
	rc = au_realm_get(r, "master", &master);
	if (rc == AU_EDB)
		return au_resp_unavailable(r), AU_EDB;
	if (rc != AU_OK)
		return unauthorized(r, "The master realm does not exist.");
	if (au_jws_parse(r->arena, h + 7, &jws) != AU_OK ||
	    jws.kid == NULL || jws.typ == NULL ||
	    (strcasecmp(jws.typ, "at+jwt") != 0 &&
	    strcasecmp(jws.typ, "application/at+jwt") != 0))
		return unauthorized(r, "The token is malformed.");
	key = au_realm_key(master, jws.kid);
	if (key == NULL || key->alg != jws.alg ||
	    au_jws_verify(&jws, key->pkey) != AU_OK)
		return unauthorized(r, "The token signature is invalid.");
	claims = json_tokener_parse((const char *)jws.payload);
	if (claims == NULL || !json_object_is_type(claims, json_type_object)) {
		json_object_put(claims);
		return unauthorized(r, "The token payload is not a JSON object.");
	}
	au_api_own(r, claims);
	if ((why = check_claims(claims, master->issuer)) != NULL)
		return unauthorized(r, why);
	if (!has_admin_role(claims)) {
		au_resp_problem(r, 403, "Forbidden",
		    "The token does not carry the admin role.", NULL);
		return AU_EDENIED;
	}
	return AU_OK;
}
