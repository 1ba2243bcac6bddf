/* oauth_token.c — POST /realms/{realm}/token.
 *
 * Grants: client_credentials, for confidential clients and for consumers;
 * authorization_code (codes from the hosted login, login_authenticate.h)
 * and refresh_token, for confidential clients authenticated as usual and
 * for public clients naming themselves with client_id, with an ID token
 * when openid was granted (on a refresh unless idTokenOnRefresh is off).
 * Refresh tokens rotate on every use and a reused one revokes its family
 * (store_refresh.h); a refresh reads its token, session and user in one
 * query and writes the rotation in one transaction.
 * Access tokens are RFC 9068 JWTs (typ at+jwt) signed with the realm's
 * active RS256 key unless the client asks for another algorithm, living
 * for the realm's tokens document's accessTokenLifetime, carrying
 * roles the way Keycloak shapes them (realm_access.roles,
 * resource_access.{clientId}.roles) so existing resource servers keep
 * working.  A consumer's token names the consumer as sub and client_id,
 * its audience as aud, and counts as its usage.  Effective roles, of
 * clients, consumers and users alike, come from the worker's cache
 * (oauth_realm.h). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/sha.h>

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
#include "oauth/oauth_claims.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_cors.h"
#include "oauth/oauth_device.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_encrypt.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_scope.h"
#include "oauth/oauth_token.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_hash.h"
#include "db/db_conn.h"
#include "store/store_consumer.h"
#include "store/store_device.h"
#include "store/store_event.h"
#include "store/store_login.h"
#include "store/store_refresh.h"
#include "store/store_role.h"
#include "store/store_token.h"
#include "store/store_user.h"

/* Whom an access token is about and for. */
struct subject {
	const char *client_id;     /* client_id and azp; sub unless user */
	char **audience;           /* none: the issuer */
	int naudience;
	const struct au_role_set *roles;  /* effective roles */
	const char *user_id;       /* sub of a user's token, or NULL */
	const char *session_id;    /* sid, or NULL */
	const struct au_token_settings *tokens;  /* lifetimes */
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
		if (!au_strv_has(s->realm, s->nrealm, s->global[i]))
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
	json_object_object_add(o, "sub", json_object_new_string(
	    s->user_id != NULL ? s->user_id : s->client_id));
	if (s->session_id != NULL)
		json_object_object_add(o, "sid",
		    json_object_new_string(s->session_id));
	if (s->naudience == 0 || s->audience == NULL) {
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
	    json_object_new_int64(now + s->tokens->access_token_lifetime));
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
    const char *typ, struct json_object *claims, char **out)
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
	return au_jws_sign(r->arena, k->pkey, alg, k->kid, typ, payload,
	    strlen(payload), out);
}

/* An opaque access token (tokenSettings.accessTokenFormat "opaque"): a
 * random reference, stored as its SHA-256 with the claims a JWT would
 * carry, which introspection answers (au_access_token_check resolves
 * it). */
static int
store_opaque(struct au_req *r, const struct au_realm_view *v,
    struct json_object *claims, int64_t exp, char **out)
{
	char *token = au_rand_token(r->arena, 32);
	const char *text = json_object_to_json_string_ext(claims,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	struct json_object *jti;
	struct au_db *db;
	int rc;

	json_object_object_get_ex(claims, "jti", &jti);
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_opaque_insert(db, v->realm.id,
		    au_secret_hash(r->arena, token),
		    json_object_get_string(jti), text, exp);
	if (rc == AU_OK)
		*out = token;
	return rc;
}

/* What was issued with an access token, for revoking it later. */
struct issued {
	const char *jti;
	int64_t exp;
};

/* Signs the access token of s for scope into *jwt; its jti and expiry
 * go to *out when out is not NULL. */
static int
issue_access_token(struct au_req *r, const struct au_realm_view *v,
    enum au_alg alg, const struct subject *s, const char *scope, char **jwt,
    struct issued *out)
{
	struct json_object *claims, *j;
	int64_t now = au_time_now();
	int rc;

	claims = access_claims(r, v, s, scope, now);
	if (s->tokens->opaque)
		rc = store_opaque(r, v, claims,
		    now + s->tokens->access_token_lifetime, jwt);
	else
		rc = sign_claims(r, v, alg, "at+jwt", claims, jwt);
	if (rc == AU_OK && out != NULL) {
		json_object_object_get_ex(claims, "jti", &j);
		out->jti = au_arena_strdup(r->arena, json_object_get_string(j));
		out->exp = now + s->tokens->access_token_lifetime;
	}
	json_object_put(claims);
	return rc;
}

/* The RFC 6749 §5.1 response (expires_in from t); id_token and refresh
 * may be NULL. */
static int
token_response_all(struct au_req *r, const struct au_token_settings *t,
    const char *jwt, const char *scope, const char *id_token,
    const char *refresh);

/* Without a refresh token (client credentials: RFC 6749 §4.4.3). */
static int
token_response(struct au_req *r, const struct au_token_settings *t,
    const char *jwt, const char *scope)
{
	return token_response_all(r, t, jwt, scope, NULL, NULL);
}

static int
token_response_all(struct au_req *r, const struct au_token_settings *t,
    const char *jwt, const char *scope, const char *id_token,
    const char *refresh)
{
	struct json_object *resp = json_object_new_object();

	json_object_object_add(resp, "access_token", json_object_new_string(jwt));
	json_object_object_add(resp, "token_type",
	    json_object_new_string("Bearer"));
	json_object_object_add(resp, "expires_in",
	    json_object_new_int(t->access_token_lifetime));
	json_object_object_add(resp, "scope", json_object_new_string(scope));
	if (refresh != NULL)
		json_object_object_add(resp, "refresh_token",
		    json_object_new_string(refresh));
	if (id_token != NULL)
		json_object_object_add(resp, "id_token",
		    json_object_new_string(id_token));
	return au_resp_json(r, 200, resp);
}

/* The audience of a client's access token (s->audience): the issuer and
 * the client's extra audiences (tokenSettings.audience); or, when a
 * resource indicator is requested (RFC 8707 §2: the request's
 * "resource", else granted's, the one of the authorization request, if
 * any), that resource alone -- one of the client's audiences, and
 * granted's when both are given.  AU_OK; otherwise invalid_target is
 * written. */
static int
audience_or_respond(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, const char *granted,
    struct subject *s)
{
	const char *want = au_req_form(r, "resource");
	char **aud;
	int i;

	if (granted != NULL && *granted == '\0')
		granted = NULL;
	if (want == NULL || *want == '\0')
		want = granted;
	if (want != NULL) {
		if (!au_strv_has(cc->audience, cc->naudience, want) ||
		    (granted != NULL && strcmp(want, granted) != 0))
			return au_oauth_error(r, 400, "invalid_target",
			    au_arena_printf(r->arena, "Resource '%.200s' is "
			    "not an audience of this client%s.", want,
			    granted != NULL ? " granted by the authorization "
			    "request" : "")), AU_EINVAL;
		aud = au_arena_calloc(r->arena, sizeof(char *));
		aud[0] = au_arena_strdup(r->arena, want);
		s->audience = aud;
		s->naudience = 1;
		return AU_OK;
	}
	if (cc->naudience == 0)
		return AU_OK;
	aud = au_arena_calloc(r->arena, (size_t)(cc->naudience + 1) *
	    sizeof(char *));
	aud[0] = v->issuer;
	for (i = 0; i < cc->naudience; i++)
		aud[i + 1] = cc->audience[i];
	s->audience = aud;
	s->naudience = cc->naudience + 1;
	return AU_OK;
}

static int
client_credentials(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc)
{
	struct subject s = { cc->c.client_id, NULL, 0, &cc->roles, NULL,
		NULL, &cc->tokens };
	const char *bad = NULL, *scope;
	char *jwt;
	int rc;

	if (!au_str_has_word(cc->c.grant_types, "client_credentials"))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the client_credentials grant.");
	scope = au_scope_grant(r, cc, au_req_form(r, "scope"), &bad);
	if (scope == NULL)
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' is not allowed for "
		    "this client.", bad));
	if (audience_or_respond(r, v, cc, NULL, &s) != AU_OK)
		return AU_OK;
	rc = issue_access_token(r, v, cc->signing_alg, &s, scope, &jwt, NULL);
	if (rc != AU_OK)
		return rc;
	return token_response(r, &cc->tokens, jwt, scope);
}

/* A consumer's token: sub and client_id are the consumer, aud its
 * audience, scope within its allowed scopes (all of them when none is
 * requested), its effective roles, and the use is counted. */
static int
consumer_credentials(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_consumer *cc)
{
	struct subject s = { cc->c.consumer_id, cc->c.audience,
		cc->c.naudience, &cc->roles, NULL, NULL, &v->tokens };
	const char *bad = NULL, *scope;
	struct au_db *db;
	char *jwt;
	int rc;

	scope = au_scope_grant_from(r, cc->c.scopes, cc->c.nscopes, NULL, 0,
	    au_req_form(r, "scope"), &bad);
	if (scope == NULL)
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' is not allowed for "
		    "this consumer.", bad));
	rc = issue_access_token(r, v, AU_ALG_RS256, &s, scope, &jwt, NULL);
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
	return token_response(r, &v->tokens, jwt, scope);
}

/* at_hash (OIDC Core §3.1.3.6): the left half of the hash of the access
 * token, base64url; the hash is SHA-256 for the *256 algorithms and
 * SHA-512 for EdDSA with Ed25519 (as OpenID Foundation libraries do). */
static char *
at_hash(struct au_req *r, enum au_alg alg, const char *jwt)
{
	unsigned char h[64];

	if (alg == AU_ALG_EDDSA) {
		SHA512((const unsigned char *)jwt, strlen(jwt), h);
		return au_b64url_encode(r->arena, h, 32);
	}
	au_sha256(jwt, strlen(jwt), h);
	return au_b64url_encode(r->arena, h, 16);
}

static void
add_str(struct json_object *o, const char *k, const char *v)
{
	if (v != NULL && *v != '\0')
		json_object_object_add(o, k, json_object_new_string(v));
}

/* The ID token of an authorization code exchange, with the user's
 * claims its scope releases (oauth_claims.h). */
static int
issue_id_token(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, const struct au_code *code,
    const struct au_user *u, const struct au_role_set *roles,
    const char *access_token, char **out)
{
	struct json_object *o = json_object_new_object(), *amr;
	int64_t now = au_time_now();
	int rc;

	add_str(o, "iss", v->issuer);
	add_str(o, "sub", u->id);
	add_str(o, "aud", cc->c.client_id);
	json_object_object_add(o, "exp", json_object_new_int64(now +
	    cc->tokens.id_token_lifetime));
	json_object_object_add(o, "iat", json_object_new_int64(now));
	json_object_object_add(o, "auth_time",
	    json_object_new_int64(code->auth_time));
	add_str(o, "nonce", code->nonce);
	add_str(o, "azp", cc->c.client_id);
	add_str(o, "sid", code->session_id);
	add_str(o, "at_hash", at_hash(r, cc->signing_alg, access_token));
	add_str(o, "acr", "1");
	amr = json_object_new_array();
	json_object_array_add(amr, json_object_new_string("pwd"));
	json_object_object_add(o, "amr", amr);
	rc = au_oauth_user_claims(r, v, u, code->scope, AU_CLAIMS_ID_TOKEN,
	    roles, o);
	if (rc == AU_OK)
		rc = sign_claims(r, v, cc->signing_alg, "JWT", o, out);
	json_object_put(o);
	/* OIDC Core §10.2: signed, then encrypted (a nested JWT) */
	if (rc == AU_OK && cc->tokens.id_token_enc_alg[0] != '\0') {
		rc = au_oauth_encrypt_for(r->arena, cc,
		    cc->tokens.id_token_enc_alg, cc->tokens.id_token_enc_enc,
		    "JWT", *out, out);
		if (rc != AU_OK) {
			au_log_err("client %s: ID token not encrypted (%d)",
			    cc->c.client_id, rc);
			rc = AU_ECRYPTO;
		}
	}
	return rc;
}

/* RFC 7636 §4.6: BASE64URL(SHA256(verifier)) == challenge. */
static bool
pkce_ok(struct au_req *r, const char *verifier, const char *challenge)
{
	unsigned char h[32];
	size_t i, n;

	if (verifier == NULL)
		return false;
	n = strlen(verifier);
	if (n < 43 || n > 128)
		return false;
	for (i = 0; i < n; i++) {
		char c = verifier[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~'))
			return false;
	}
	au_sha256(verifier, n, h);
	return au_ct_streq(au_b64url_encode(r->arena, h, sizeof(h)),
	    challenge);
}

/* Records an auth event (category "auth") of the realm; a failure to
 * write it is logged, never the caller's problem. */
static void
auth_event(struct au_req *r, struct au_db *db, const struct au_realm_view *v,
    const char *type, const char *client_id, const char *user_id,
    const char *details)
{
	struct au_event e;

	memset(&e, 0, sizeof(e));
	e.realm_uuid = v->realm.id;
	e.category = "auth";
	e.type = type;
	e.actor = user_id != NULL ? user_id : "";
	e.client_id = client_id;
	e.user_id = user_id;
	e.ip = r->remote_addr;
	e.request_id = r->request_id;
	e.details = details;
	if (au_store_event_insert(db, r->arena, &e) != AU_OK)
		au_log_err("realm %s: %s event not recorded", v->realm.realm_id,
		    type);
}

/* Issues the next refresh token of t's family (t->parent_id names the
 * one it replaces, NULL for a new family; spent with it when spend)
 * alongside access token at: idle lifetime refreshTokenIdle, never past
 * the family's end.  The token goes to *out.  AU_EDENIED when the
 * parent was spent meanwhile. */
static int
issue_refresh_token(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, struct au_db *db, struct au_refresh *t,
    const struct issued *at, bool spend, char **out)
{
	char *token = au_rand_token(r->arena, 32);
	int64_t now = au_time_now();
	int rc;

	t->created_at = now;
	t->expires_at = now + cc->tokens.refresh_token_idle;
	if (t->expires_at > t->family_expires_at)
		t->expires_at = t->family_expires_at;
	rc = au_store_refresh_insert(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), t, at->jti, at->exp, spend);
	if (rc == AU_OK)
		*out = token;
	return rc;
}

/* User u (NULL: gone, rc its lookup's status) of a grant, enabled, with
 * its effective roles (cached with the realm view, oauth_realm.h).
 * AU_OK; otherwise the error response is written. */
static int
user_roles_or_respond(struct au_req *r, const struct au_realm_view *v,
    int rc, const struct au_user *u, const struct au_role_set **roles)
{
	if (rc == AU_ENOTFOUND || (rc == AU_OK && !u->enabled))
		return au_oauth_error(r, 400, "invalid_grant",
		    "The user can no longer sign in."), AU_EDENIED;
	if (rc == AU_OK)
		rc = au_realm_user_roles(r, v, u->id, roles);
	if (rc != AU_OK)
		return au_resp_unavailable(r), rc;
	return AU_OK;
}

/* The user a grant names, read now, as user_roles_or_respond. */
static int
user_or_respond(struct au_req *r, const struct au_realm_view *v,
    struct au_db *db, const char *user_id, struct au_user **u,
    const struct au_role_set **roles)
{
	int rc;

	*u = NULL;
	rc = au_store_user_find(db, r->arena, v->realm.id, user_id, u);
	return user_roles_or_respond(r, v, rc, *u, roles);
}

/* The tokens of a sign-in the user completed (c: an authorization code,
 * or what a device authorization holds in its shape; c->id NULL then):
 * the access token, an ID token when openid was granted, and a refresh
 * token starting a family when the client may refresh — bound to the
 * SSO session, or offline when offline_access was granted.  The access
 * token is recorded on the code so a replay can revoke it.  Answers
 * the token response. */
static int
user_tokens(struct au_req *r, const struct au_realm_view *v,
    struct au_db *db, const struct au_cached_client *cc,
    const struct au_code *c)
{
	struct subject s = { cc->c.client_id, NULL, 0, NULL, NULL, NULL,
		&cc->tokens };
	char *jwt, *id_token = NULL, *refresh = NULL;
	const struct au_role_set *roles;
	struct au_refresh t;
	struct au_user *u;
	struct issued at;
	int rc;

	if (user_or_respond(r, v, db, c->user_id, &u, &roles) != AU_OK)
		return AU_OK;
	s.roles = roles;
	s.user_id = u->id;
	s.session_id = c->session_id;
	if (audience_or_respond(r, v, cc, c->resource, &s) != AU_OK)
		return AU_OK;
	rc = issue_access_token(r, v, cc->signing_alg, &s, c->scope, &jwt,
	    &at);
	if (rc == AU_OK && au_str_has_word(c->scope, "openid"))
		rc = issue_id_token(r, v, cc, c, u, roles, jwt, &id_token);
	if (rc != AU_OK)
		return rc;
	if (c->id != NULL)
		rc = au_store_code_set_access(db, c->id, at.jti, at.exp);
	if (rc == AU_OK && au_str_has_word(cc->c.grant_types, "refresh_token")) {
		memset(&t, 0, sizeof(t));
		t.client_uuid = cc->c.id;
		t.user_id = u->id;
		t.session_id = c->session_id;
		t.auth_code_id = c->id;
		t.scope = c->scope;
		t.offline = au_str_has_word(c->scope, "offline_access");
		t.auth_time = c->auth_time;
		t.family_expires_at = au_time_now() +
		    cc->tokens.refresh_token_max;
		rc = issue_refresh_token(r, v, cc, db, &t, &at, false,
		    &refresh);
	}
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return token_response_all(r, &cc->tokens, jwt, c->scope, id_token,
	    refresh);
}

/* RFC 6749 §4.1.3.  A replayed code is invalid_grant and revokes every
 * token issued from it (RFC 9700 §4.5).  A client allowed the
 * refresh_token grant gets a refresh token: bound to the SSO session,
 * or offline (surviving it) when offline_access was granted. */
static int
authorization_code(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc)
{
	const char *code = au_req_form(r, "code");
	const char *uri = au_req_form(r, "redirect_uri");
	struct au_code *c;
	struct au_db *db;
	int64_t now = au_time_now();
	int rc;

	if (!au_str_has_word(cc->c.grant_types, "authorization_code"))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the authorization_code grant.");
	if (code == NULL || *code == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "code is required.");
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_code_spend(db, r->arena, v->realm.id,
		    au_secret_hash(r->arena, code), now, &c);
	if (rc == AU_ECONFLICT) {
		au_log_warn("authorization code %s replayed: revoking what "
		    "was issued from it", c->id);
		if (au_store_code_revoke_issued(db, c->id, now) != AU_OK)
			return au_resp_unavailable(r), AU_OK;
		auth_event(r, db, v, "code.replay", cc->c.client_id,
		    c->user_id, NULL);
	}
	if (rc == AU_ENOTFOUND || rc == AU_ECONFLICT)
		return au_oauth_error(r, 400, "invalid_grant",
		    "The authorization code is invalid, expired or used.");
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	if (strcmp(c->client_uuid, cc->c.id) != 0 || c->expires_at <= now)
		return au_oauth_error(r, 400, "invalid_grant",
		    "The authorization code is invalid, expired or used.");
	if (uri != NULL && strcmp(uri, c->redirect_uri) != 0)
		return au_oauth_error(r, 400, "invalid_grant",
		    "redirect_uri does not match the authorization request.");
	if (c->code_challenge != NULL ? !pkce_ok(r, au_req_form(r,
	    "code_verifier"), c->code_challenge) :
	    au_req_form(r, "code_verifier") != NULL)
		return au_oauth_error(r, 400, "invalid_grant",
		    "PKCE verification failed.");
	return user_tokens(r, v, db, cc, c);
}

/* Whether every word of want is in have. */
static bool
scope_within(const char *have, const char *want, const char **bad,
    struct au_req *r)
{
	char *copy = au_arena_strdup(r->arena, want), *tok, *save = NULL;

	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		if (!au_str_has_word(have, tok)) {
			*bad = tok;
			return false;
		}
	return true;
}

/* The refresh token of a refresh request, checked: this client's, live,
 * unexpired, its session (when session-bound) still live and marked seen.
 * One query reads the token, its user and its session (store_refresh.h).
 * A spent one outside the grace window revokes its family (RFC 9700
 * §4.14.2).  AU_OK with *out (the token and its user, checked by the
 * caller) and *grace (true: spent within the grace window, to be answered
 * without spending it again); otherwise the error is written. */
static int
refresh_token_or_respond(struct au_req *r, const struct au_realm_view *v,
    struct au_db *db, const struct au_cached_client *cc, int64_t now,
    struct au_refresh_use *out, bool *grace)
{
	const char *token = au_req_form(r, "refresh_token");
	struct au_refresh_use use;
	struct au_refresh *t;
	int rc;

	*grace = false;
	if (token == NULL || *token == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "refresh_token is required."), AU_EINVAL;
	rc = au_store_refresh_find_use(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), now, cc->tokens.sso_session_idle,
	    &use);
	if (rc == AU_ENOTFOUND || (rc == AU_OK &&
	    strcmp(use.t->client_uuid, cc->c.id) != 0))
		return au_oauth_error(r, 400, "invalid_grant",
		    "The refresh token is invalid or was not issued to this "
		    "client."), AU_EINVAL;
	if (rc != AU_OK)
		return au_resp_unavailable(r), rc;
	t = use.t;
	if (t->revoked_at != 0)
		return au_oauth_error(r, 400, "invalid_grant",
		    "The refresh token has been revoked."), AU_EINVAL;
	if (t->used_at != 0) {
		if (cc->tokens.refresh_reuse_grace_seconds > 0 &&
		    now - t->used_at <= cc->tokens.refresh_reuse_grace_seconds) {
			*grace = true;
		} else {
			au_log_warn("refresh token %s of family %s reused: "
			    "revoking the family", t->id, t->family_id);
			if (au_store_refresh_revoke_family(db, t->family_id,
			    now) != AU_OK)
				return au_resp_unavailable(r), AU_EDB;
			auth_event(r, db, v, "refresh_token.reuse",
			    cc->c.client_id, t->user_id, NULL);
			return au_oauth_error(r, 400, "invalid_grant",
			    "The refresh token was already used; every token "
			    "issued from it has been revoked."), AU_EINVAL;
		}
	}
	if (t->expires_at <= now || t->family_expires_at <= now)
		return au_oauth_error(r, 400, "invalid_grant",
		    "The refresh token has expired."), AU_EINVAL;
	if (!t->offline) {
		if (!use.session_live)
			return au_oauth_error(r, 400, "invalid_grant",
			    "The session of the refresh token has ended."),
			    AU_EINVAL;
		/* a refresh is activity of its session */
		rc = au_store_session_seen(db, t->session_id,
		    use.session_seen_at, now, cc->tokens.sso_session_idle);
		if (rc != AU_OK)
			return au_resp_unavailable(r), rc;
	}
	*out = use;
	return AU_OK;
}

/* RFC 6749 §6 with rotation: the presented token is spent and a new
 * one of the same family and scope is issued; a narrower scope may be
 * asked for the access token. */
static int
refresh_grant(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc)
{
	struct subject s = { cc->c.client_id, NULL, 0, NULL, NULL, NULL,
		&cc->tokens };
	const char *scope = au_req_form(r, "scope"), *bad = NULL;
	char *jwt, *id_token = NULL, *refresh = NULL;
	const struct au_role_set *roles;
	struct au_refresh_use use;
	struct au_refresh *t, next;
	struct au_code idc;
	struct au_user *u;
	struct au_db *db;
	struct issued at;
	int64_t now = au_time_now();
	bool grace;
	int rc;

	if (!au_str_has_word(cc->c.grant_types, "refresh_token"))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the refresh_token grant.");
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	if (refresh_token_or_respond(r, v, db, cc, now, &use, &grace) != AU_OK)
		return AU_OK;
	t = use.t;
	u = use.user;
	if (scope == NULL || *scope == '\0')
		scope = t->scope;
	else if (!scope_within(t->scope, scope, &bad, r))
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' was not granted "
		    "to the refresh token.", bad));
	if (user_roles_or_respond(r, v, u != NULL ? AU_OK : AU_ENOTFOUND, u,
	    &roles) != AU_OK)
		return AU_OK;
	s.roles = roles;
	s.user_id = u->id;
	s.session_id = t->offline ? NULL : t->session_id;
	if (audience_or_respond(r, v, cc, NULL, &s) != AU_OK)
		return AU_OK;
	rc = issue_access_token(r, v, cc->signing_alg, &s, scope, &jwt, &at);
	if (rc == AU_OK && au_str_has_word(scope, "openid") &&
	    cc->tokens.id_token_on_refresh) {
		/* OIDC Core §12.2: about the same sign-in, without a nonce;
		 * "might not contain an id_token", which saves a client that
		 * does not read it a signature per refresh */
		memset(&idc, 0, sizeof(idc));
		idc.session_id = t->session_id;
		idc.scope = (char *)scope;
		idc.auth_time = t->auth_time;
		rc = issue_id_token(r, v, cc, &idc, u, roles, jwt,
		    &id_token);
	}
	if (rc != AU_OK)
		return rc;
	next = *t;
	next.parent_id = t->id;
	next.used_at = next.revoked_at = 0;
	rc = issue_refresh_token(r, v, cc, db, &next, &at, !grace, &refresh);
	if (rc == AU_EDENIED) {
		/* a concurrent refresh spent it first: a reuse, unless
		 * within the grace window */
		if (cc->tokens.refresh_reuse_grace_seconds > 0) {
			rc = issue_refresh_token(r, v, cc, db, &next, &at, false,
			    &refresh);
		} else {
			if (au_store_refresh_revoke_family(db, t->family_id,
			    now) != AU_OK)
				return au_resp_unavailable(r), AU_OK;
			return au_oauth_error(r, 400, "invalid_grant",
			    "The refresh token was already used; every token "
			    "issued from it has been revoked.");
		}
	}
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return token_response_all(r, &cc->tokens, jwt, scope, id_token,
	    refresh);
}

/* RFC 8628 §3.4, §3.5: a device polls with its device code.  Until the
 * user decides: authorization_pending, or slow_down when it polls sooner
 * than its interval after its previous poll (the interval grows by 5 s
 * each time); then access_denied, or the tokens of the approval exactly
 * once (afterwards invalid_grant, as for an unknown code or another
 * client's); expired_token once it expired.  Issuing a refresh token
 * here is left to the refresh token grant's work. */
static int
device_code(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc)
{
	const char *code = au_req_form(r, "device_code");
	int64_t now = au_time_now();
	struct au_device *d;
	struct au_code c;
	struct au_db *db;
	bool slow;
	int rc;

	if (!au_str_has_word(cc->c.grant_types, AU_GRANT_DEVICE_CODE))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the device_code grant.");
	if (code == NULL || *code == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "device_code is required.");
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_device_find(db, r->arena, v->realm.id,
		    au_secret_hash(r->arena, code), &d);
	if (rc == AU_ENOTFOUND || (rc == AU_OK &&
	    (strcmp(d->client_uuid, cc->c.id) != 0 ||
	    strcmp(d->status, "consumed") == 0)))
		return au_oauth_error(r, 400, "invalid_grant",
		    "The device code is invalid or was used.");
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	if (d->expires_at <= now)
		return au_oauth_error(r, 400, "expired_token",
		    "The device code has expired.");
	if (strcmp(d->status, "denied") == 0)
		return au_oauth_error(r, 400, "access_denied",
		    "The user denied the authorization.");
	if (strcmp(d->status, "pending") == 0) {
		slow = d->last_polled_at != 0 &&
		    now - d->last_polled_at < d->poll_interval;
		if (au_store_device_polled(db, d->id, now, slow) != AU_OK)
			return au_resp_unavailable(r), AU_OK;
		if (slow)
			return au_oauth_error(r, 400, "slow_down",
			    au_arena_printf(r->arena, "Polling too fast: wait "
			    "%d seconds between requests.", d->poll_interval + 5));
		return au_oauth_error(r, 400, "authorization_pending",
		    "The user has not decided yet.");
	}
	rc = au_store_device_consume(db, d->id, now);
	if (rc == AU_ECONFLICT)
		return au_oauth_error(r, 400, "invalid_grant",
		    "The device code is invalid or was used.");
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	memset(&c, 0, sizeof(c));     /* a sign-in, in the shape of a code */
	c.user_id = d->user_id;
	c.scope = d->scope;
	c.session_id = d->session_id;
	c.auth_time = d->auth_time;
	return user_tokens(r, v, db, cc, &c);
}

/* Public clients name themselves with client_id alone for the grants
 * they may use; anything else authenticates as a confidential client or
 * consumer.  AU_OK with *p; otherwise the error response is written. */
static int
authenticate_or_respond(struct au_req *r, const struct au_realm_view *v,
    const char *grant, struct au_principal *p)
{
	if (strcmp(grant, "authorization_code") == 0 ||
	    strcmp(grant, "refresh_token") == 0 ||
	    strcmp(grant, AU_GRANT_DEVICE_CODE) == 0)
		return au_principal_or_public_or_respond(r, v, p);
	return au_principal_authenticate_or_respond(r, v, p);
}

int
au_oauth_token(struct au_req *r)
{
	const struct au_realm_view *v;
	struct au_principal p;
	const char *grant;

	if (au_oauth_form_or_respond(r, &v) != AU_OK)
		return AU_OK;
	grant = au_req_form(r, "grant_type");
	if (grant == NULL || *grant == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "grant_type is required.");
	if (authenticate_or_respond(r, v, grant, &p) != AU_OK)
		return AU_OK;
	(void)au_oauth_cors(r, p.client);
	if (strcmp(grant, "authorization_code") == 0)
		return p.client != NULL ? authorization_code(r, v, p.client) :
		    au_oauth_error(r, 400, "unauthorized_client",
		    "Consumers may only use client_credentials.");
	if (strcmp(grant, "refresh_token") == 0)
		return p.client != NULL ? refresh_grant(r, v, p.client) :
		    au_oauth_error(r, 400, "unauthorized_client",
		    "Consumers may only use client_credentials.");
	if (strcmp(grant, "client_credentials") == 0)
		return p.consumer != NULL ? consumer_credentials(r, v, p.consumer) :
		    client_credentials(r, v, p.client);
	if (strcmp(grant, AU_GRANT_DEVICE_CODE) == 0)
		return p.client != NULL ? device_code(r, v, p.client) :
		    au_oauth_error(r, 400, "unauthorized_client",
		    "Consumers may only use client_credentials.");
	return au_oauth_error(r, 400, "unsupported_grant_type",
	    au_arena_printf(r->arena, "Grant type '%.100s' is not supported.",
	    grant));
}
