/* api_auth.c — bearer token check of the admin API. */
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "admin/api_auth.h"
#include "admin/api_common.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_jws.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_token.h"

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

/* The realm roles of the token (realm_access.roles); NULL when none. */
static struct json_object *
token_roles(struct json_object *claims)
{
	struct json_object *access, *roles;

	if (!json_object_object_get_ex(claims, "realm_access", &access) ||
	    !json_object_object_get_ex(access, "roles", &roles) ||
	    !json_object_is_type(roles, json_type_array))
		return NULL;
	return roles;
}

static bool
has_role(struct json_object *roles, const char *prefix, const char *realm_id)
{
	size_t i, plen = strlen(prefix);

	for (i = 0; roles != NULL && i < json_object_array_length(roles); i++) {
		struct json_object *e = json_object_array_get_idx(roles, i);
		const char *s;

		if (!json_object_is_type(e, json_type_string))
			continue;
		s = json_object_get_string(e);
		if (strncmp(s, prefix, plen) != 0)
			continue;
		if (realm_id == NULL ? s[plen] == '\0' :
		    s[plen] == ':' && strcmp(s + plen + 1, realm_id) == 0)
			return true;
	}
	return false;
}

/* Any realm-scoped administrative role at all. */
static bool
has_any_realm_role(struct json_object *roles)
{
	size_t i;

	for (i = 0; roles != NULL && i < json_object_array_length(roles); i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(roles, i));

		if (s != NULL && (strncmp(s, "realm-admin:", 12) == 0 ||
		    strncmp(s, "realm-viewer:", 13) == 0))
			return true;
	}
	return false;
}

/* What the caller's roles allow on this route (see api_auth.h). */
static bool
allowed(struct au_req *r, struct json_object *roles)
{
	const char *realm_id = au_req_param(r, "realmId");
	bool reading = strcmp(r->method, "GET") == 0;

	if (has_role(roles, "admin", NULL))
		return true;
	if (realm_id == NULL)
		/* the realm list, realm creation and import, global roles and
		 * scopes: reading the global definitions is harmless */
		return reading && has_any_realm_role(roles) &&
		    strcmp(r->path, "/api/admin/realms") != 0;
	if (has_role(roles, "realm-admin", realm_id) &&
	    strcmp(realm_id, "master") != 0)
		/* everything in the realm but deleting the realm itself; not in
		 * master, where mapping roles would grant "admin" itself */
		return !(strcmp(r->method, "DELETE") == 0 && r->nsegs == 4);
	if (reading && has_role(roles, "realm-admin", realm_id))
		return true;
	return reading && has_role(roles, "realm-viewer", realm_id);
}

bool
au_api_auth_is_admin(const struct au_req *r)
{
	return r->auth != NULL && has_role(token_roles(r->auth), "admin", NULL);
}

/* The caller's name for the audit trail: a user's username, else the
 * client that holds the token. */
static const char *
actor_of(struct json_object *claims)
{
	static const char *const names[] = { "preferred_username", "client_id",
		"sub" };
	struct json_object *v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (json_object_object_get_ex(claims, names[i], &v) &&
		    json_object_is_type(v, json_type_string))
			return json_object_get_string(v);
	return "";
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

/* A token revoked at /revoke (RFC 7009) is refused: one primary-key
 * lookup by jti.  Our tokens always carry one; a token without it is
 * refused as malformed. */
static int
revoked(struct au_req *r, struct json_object *claims)
{
	struct json_object *jti;
	struct au_db *db;
	bool gone;

	if (!json_object_object_get_ex(claims, "jti", &jti) ||
	    !json_object_is_type(jti, json_type_string))
		return unauthorized(r, "The token is malformed.");
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_token_revoked(db, r->arena, json_object_get_string(jti),
	    &gone) != AU_OK)
		return au_resp_unavailable(r), AU_EDB;
	if (gone)
		return unauthorized(r, "The token has been revoked.");
	return AU_OK;
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
	if ((rc = revoked(r, claims)) != AU_OK)
		return rc;
	r->auth = claims;
	r->actor = actor_of(claims);
	if (!allowed(r, token_roles(claims))) {
		const char *realm_id = au_req_param(r, "realmId");

		au_resp_problem(r, 403, "Forbidden", realm_id == NULL ?
		    "The token does not carry the admin role." :
		    au_arena_printf(r->arena, "The token carries neither the admin "
		    "role nor a role that allows this on realm '%.63s' "
		    "(realm-admin:%.63s, or realm-viewer:%.63s for reading).",
		    realm_id, realm_id, realm_id), NULL);
		return AU_EDENIED;
	}
	return AU_OK;
}
