/* oauth_token.c — POST /realms/{realm}/token.
 *
 * Grants: client_credentials, for confidential clients and for consumers.
 * Access tokens are RFC 9068 JWTs (typ at+jwt) signed with the realm's
 * active RS256 key unless the client asks for another algorithm, living
 * for the realm's tokens document's accessTokenLifetime, carrying
 * roles the way Keycloak shapes them (realm_access.roles,
 * resource_access.{clientId}.roles) so existing resource servers keep
 * working.  A consumer's token names the consumer as sub and client_id,
 * its audience as aud, and counts as its usage.  Effective roles come
 * from the worker's cache (oauth_realm.h): no query here. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
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
#include "store/store_consumer.h"

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

/* The granted scope string, or NULL with *bad naming a scope the caller
 * may not have: a requested scope must be one of defaults or optionals;
 * none requested grants the defaults. */
static char *
granted_scope(struct au_req *r, char **defaults, int ndefault,
    char **optionals, int noptional, const char *requested, const char **bad)
{
	struct au_buf out;
	char *copy, *tok, *save = NULL;
	int i, count = 0;

	au_buf_init(&out, r->arena, 64);
	if (requested == NULL) {
		for (i = 0; i < ndefault; i++) {
			if (i > 0)
				au_buf_addc(&out, ' ');
			au_buf_adds(&out, defaults[i]);
		}
		return out.p;
	}
	copy = au_arena_strdup(r->arena, requested);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (++count > MAX_SCOPES ||
		    (!in_list(defaults, ndefault, tok) &&
		    !in_list(optionals, noptional, tok))) {
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

/* Whom an access token is about and for. */
struct subject {
	const char *client_id;     /* sub, client_id and azp */
	char **audience;           /* none: the issuer */
	int naudience;
	const struct au_role_set *roles;  /* effective roles */
};

static struct json_object *
strings_array(char **v, int n)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* realm_access.roles: the realm roles and the global roles (a name held
 * both ways appears once); resource_access.{clientId}.roles: client roles,
 * present only when there are some (as Keycloak shapes them). */
static void
add_roles(struct json_object *o, const struct au_role_set *s)
{
	struct json_object *access, *roles, *res, *one;
	int i;

	access = json_object_new_object();
	roles = strings_array(s->realm, s->nrealm);
	for (i = 0; i < s->nglobal; i++)
		if (!in_list(s->realm, s->nrealm, s->global[i]))
			json_object_array_add(roles,
			    json_object_new_string(s->global[i]));
	json_object_object_add(access, "roles", roles);
	json_object_object_add(o, "realm_access", access);
	if (s->nclients == 0)
		return;
	res = json_object_new_object();
	for (i = 0; i < s->nclients; i++) {
		one = json_object_new_object();
		json_object_object_add(one, "roles", strings_array(
		    s->clients[i].names, s->clients[i].n));
		json_object_object_add(res, s->clients[i].client_id, one);
	}
	json_object_object_add(o, "resource_access", res);
}

static struct json_object *
access_claims(struct au_req *r, const struct au_realm_view *v,
    const struct subject *s, const char *scope, int64_t now)
{
	struct json_object *o = json_object_new_object();
	struct json_object *aud;
	int i;

	json_object_object_add(o, "iss", json_object_new_string(v->issuer));
	json_object_object_add(o, "sub", json_object_new_string(s->client_id));
	if (s->naudience == 0) {
		aud = json_object_new_string(v->issuer);
	} else if (s->naudience == 1) {
		aud = json_object_new_string(s->audience[0]);
	} else {
		aud = json_object_new_array();
		for (i = 0; i < s->naudience; i++)
			json_object_array_add(aud,
			    json_object_new_string(s->audience[i]));
	}
	json_object_object_add(o, "aud", aud);
	json_object_object_add(o, "exp",
	    json_object_new_int64(now + v->tokens.access_token_lifetime));
	json_object_object_add(o, "iat", json_object_new_int64(now));
	json_object_object_add(o, "jti",
	    json_object_new_string(au_rand_uuid(r->arena)));
	json_object_object_add(o, "client_id",
	    json_object_new_string(s->client_id));
	json_object_object_add(o, "azp", json_object_new_string(s->client_id));
	json_object_object_add(o, "scope", json_object_new_string(scope));
	add_roles(o, s->roles);
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

/* Signs the access token of s for scope into *jwt. */
static int
issue_access_token(struct au_req *r, const struct au_realm_view *v,
    enum au_alg alg, const struct subject *s, const char *scope, char **jwt)
{
	struct json_object *claims;
	int rc;

	claims = access_claims(r, v, s, scope, au_time_now());
	rc = sign_claims(r, v, alg, claims, jwt);
	json_object_put(claims);
	return rc;
}

/* The RFC 6749 §5.1 response (no refresh token: §4.4.3). */
static int
token_response(struct au_req *r, const struct au_realm_view *v, const char *jwt,
    const char *scope)
{
	struct json_object *resp = json_object_new_object();

	json_object_object_add(resp, "access_token", json_object_new_string(jwt));
	json_object_object_add(resp, "token_type",
	    json_object_new_string("Bearer"));
	json_object_object_add(resp, "expires_in",
	    json_object_new_int(v->tokens.access_token_lifetime));
	json_object_object_add(resp, "scope", json_object_new_string(scope));
	return au_resp_json(r, 200, resp);
}

static int
client_credentials(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc)
{
	struct subject s = { cc->c.client_id, NULL, 0, &cc->roles };
	const char *bad = NULL, *scope;
	char *jwt;
	int rc;

	if (!has_word(cc->c.grant_types, "client_credentials"))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the client_credentials grant.");
	scope = granted_scope(r, cc->default_scopes, cc->ndefault,
	    cc->optional_scopes, cc->noptional, au_req_form(r, "scope"), &bad);
	if (scope == NULL)
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' is not allowed for "
		    "this client.", bad));
	rc = issue_access_token(r, v, cc->signing_alg, &s, scope, &jwt);
	if (rc != AU_OK)
		return rc;
	return token_response(r, v, jwt, scope);
}

/* A consumer's token: sub and client_id are the consumer, aud its
 * audience, scope within its allowed scopes (all of them when none is
 * requested), its effective roles, and the use is counted. */
static int
consumer_credentials(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_consumer *cc)
{
	struct subject s = { cc->c.consumer_id, cc->c.audience,
		cc->c.naudience, &cc->roles };
	const char *bad = NULL, *scope;
	struct au_db *db;
	char *jwt;
	int rc;

	scope = granted_scope(r, cc->c.scopes, cc->c.nscopes, NULL, 0,
	    au_req_form(r, "scope"), &bad);
	if (scope == NULL)
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' is not allowed for "
		    "this consumer.", bad));
	rc = issue_access_token(r, v, AU_ALG_RS256, &s, scope, &jwt);
	if (rc != AU_OK)
		return rc;
	/* a counter that cannot be written does not withhold the token */
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_consumer_record_use(db, cc->c.id, r->remote_addr,
		    au_time_now());
	if (rc != AU_OK)
		au_log_err("consumer %s: usage not recorded (%d)",
		    cc->c.consumer_id, rc);
	return token_response(r, v, jwt, scope);
}

int
au_oauth_token(struct au_req *r)
{
	const struct au_realm_view *v;
	struct au_principal p;
	const char *grant, *dup;

	if (au_oauth_realm_or_respond(r, 1, &v) != AU_OK)
		return AU_OK;
	if (au_req_form_parse(r) != AU_OK)
		return au_oauth_error(r, 400, "invalid_request", r->error);
	if ((dup = au_req_dup_param(r)) != NULL)
		return au_oauth_error(r, 400, "invalid_request",
		    au_arena_printf(r->arena, "Parameter '%.100s' is repeated.",
		    dup));
	if (au_principal_authenticate_or_respond(r, v, &p) != AU_OK)
		return AU_OK;
	grant = au_req_form(r, "grant_type");
	if (grant == NULL || *grant == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "grant_type is required.");
	if (strcmp(grant, "client_credentials") == 0)
		return p.consumer != NULL ? consumer_credentials(r, v, p.consumer) :
		    client_credentials(r, v, p.client);
	return au_oauth_error(r, 400, "unsupported_grant_type",
	    au_arena_printf(r->arena, "Grant type '%.100s' is not supported.",
	    grant));
}
