/* oauth_token.c — POST /realms/{realm}/token.
 *
 * Grants: client_credentials.  Access tokens are RFC 9068 JWTs
 * (typ at+jwt) signed with the realm's active RS256 key unless the client
 * asks for another algorithm, living for the realm's tokens document's
 * accessTokenLifetime, carrying roles the way Keycloak shapes them
 * (realm_access.roles) so existing resource servers keep working. */
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_jws.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_token.h"

#define MAX_SCOPES 64

static bool
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static bool
in_list(char **names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* The granted scope string, or NULL with *bad naming a scope the client
 * may not have.  No scope requested: the client's default scopes. */
static char *
granted_scope(struct au_req *r, const struct au_cached_client *cc,
    const char *requested, const char **bad)
{
	struct au_buf out;
	char *copy, *tok, *save = NULL;
	int i, count = 0;

	au_buf_init(&out, r->arena, 64);
	if (requested == NULL) {
		for (i = 0; i < cc->ndefault; i++) {
			if (i > 0)
				au_buf_addc(&out, ' ');
			au_buf_adds(&out, cc->default_scopes[i]);
		}
		return out.p;
	}
	copy = au_arena_strdup(r->arena, requested);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (++count > MAX_SCOPES ||
		    (!in_list(cc->default_scopes, cc->ndefault, tok) &&
		    !in_list(cc->optional_scopes, cc->noptional, tok))) {
			*bad = tok;
			return NULL;
		}
		if (has_word(out.p, tok))
			continue;
		if (out.len > 0)
			au_buf_addc(&out, ' ');
		au_buf_adds(&out, tok);
	}
	return out.p;
}

static struct json_object *
access_claims(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, const char *scope, int64_t now)
{
	struct json_object *o = json_object_new_object();
	struct json_object *access, *roles;
	int i;

	json_object_object_add(o, "iss", json_object_new_string(v->issuer));
	json_object_object_add(o, "sub",
	    json_object_new_string(cc->c.client_id));
	json_object_object_add(o, "aud", json_object_new_string(v->issuer));
	json_object_object_add(o, "exp", json_object_new_int64(now +
	    v->tokens.access_token_lifetime));
	json_object_object_add(o, "iat", json_object_new_int64(now));
	json_object_object_add(o, "jti",
	    json_object_new_string(au_rand_uuid(r->arena)));
	json_object_object_add(o, "client_id",
	    json_object_new_string(cc->c.client_id));
	json_object_object_add(o, "azp", json_object_new_string(cc->c.client_id));
	json_object_object_add(o, "scope", json_object_new_string(scope));
	access = json_object_new_object();
	roles = json_object_new_array();
	for (i = 0; i < cc->nroles; i++)
		json_object_array_add(roles, json_object_new_string(cc->roles[i]));
	json_object_object_add(access, "roles", roles);
	json_object_object_add(o, "realm_access", access);
	return o;
}

/* Signs claims with the realm's active key for alg; AU_ECRYPTO if none. */
static int
sign_claims(struct au_req *r, const struct au_realm_view *v, enum au_alg alg,
    struct json_object *claims, char **out)
{
	const struct au_signing_key *k = au_realm_signing_key(v, alg);
	const char *payload;

	if (k == NULL) {
		au_log_err("realm %s has no active %s key", v->realm.realm_id,
		    au_alg_name(alg));
		return AU_ECRYPTO;
	}
	payload = json_object_to_json_string_ext(claims,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	return au_jws_sign(r->arena, k->pkey, alg, k->kid, "at+jwt", payload,
	    strlen(payload), out);
}

static int
client_credentials(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc)
{
	const char *bad = NULL, *scope;
	struct json_object *claims, *resp;
	int64_t now = au_time_now();
	char *jwt;
	int rc;

	if (!has_word(cc->c.grant_types, "client_credentials"))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the client_credentials grant.");
	scope = granted_scope(r, cc, au_req_form(r, "scope"), &bad);
	if (scope == NULL)
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' is not allowed for "
		    "this client.", bad));
	claims = access_claims(r, v, cc, scope, now);
	rc = sign_claims(r, v, cc->signing_alg, claims, &jwt);
	json_object_put(claims);
	if (rc != AU_OK)
		return rc;
	resp = json_object_new_object();
	json_object_object_add(resp, "access_token", json_object_new_string(jwt));
	json_object_object_add(resp, "token_type",
	    json_object_new_string("Bearer"));
	json_object_object_add(resp, "expires_in",
	    json_object_new_int(v->tokens.access_token_lifetime));
	json_object_object_add(resp, "scope", json_object_new_string(scope));
	return au_resp_json(r, 200, resp);
}

int
au_oauth_token(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *grant, *dup;

	if (au_oauth_realm_or_respond(r, 1, &v) != AU_OK)
		return AU_OK;
	if (au_req_form_parse(r) != AU_OK)
		return au_oauth_error(r, 400, "invalid_request", r->error);
	if ((dup = au_req_dup_param(r)) != NULL)
		return au_oauth_error(r, 400, "invalid_request",
		    au_arena_printf(r->arena, "Parameter '%.100s' is repeated.",
		    dup));
	if (au_client_authenticate_or_respond(r, v, &cc) != AU_OK)
		return AU_OK;
	grant = au_req_form(r, "grant_type");
	if (grant == NULL || *grant == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "grant_type is required.");
	if (strcmp(grant, "client_credentials") == 0)
		return client_credentials(r, v, cc);
	return au_oauth_error(r, 400, "unsupported_grant_type",
	    au_arena_printf(r->arena, "Grant type '%.100s' is not supported.",
	    grant));
}
