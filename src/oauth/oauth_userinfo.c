/* oauth_userinfo.c — GET and POST /realms/{realm}/userinfo (see
 * oauth_userinfo.h).
 *
 * A token that is not a user's (client credentials of a client or a
 * consumer: sub = client_id) is invalid_token, not insufficient_scope:
 * RFC 6750 §3.1 keeps insufficient_scope for a token that would do with
 * more scope, and no scope a client may ask for makes a
 * client-credentials token describe an end-user; OIDC Core §5.3.3 sends
 * UserInfo errors the RFC 6750 way.  The checks that need no query come
 * first; then revocation, the user and the session: three primary-key
 * lookups.  The client comes from the worker's cache. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_claims.h"
#include "oauth/oauth_cors.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_encrypt.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_introspect.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_userinfo.h"
#include "store/store_login.h"
#include "store/store_token.h"
#include "store/store_user.h"

/* An RFC 6750 §3 error: the challenge, then the JSON body.  error NULL:
 * the request carried no bearer token, so the challenge names only the
 * realm and there is no body (§3: no error information). */
static int
bearer_error(struct au_req *r, const struct au_realm_view *v, int status,
    const char *error, const char *why)
{
	const char *realm = v->realm.realm_id;

	if (error == NULL) {
		au_resp_set_header(r, "WWW-Authenticate", au_arena_printf(
		    r->arena, "Bearer realm=\"%s\"", realm));
		au_oauth_cors_error(r);
		return au_resp_empty(r, status);
	}
	au_resp_set_header(r, "WWW-Authenticate", au_arena_printf(r->arena,
	    "Bearer realm=\"%s\", error=\"%s\", error_description=\"%s\"%s",
	    realm, error, why, strcmp(error, "insufficient_scope") == 0 ?
	    ", scope=\"openid\"" : ""));
	return au_oauth_error(r, status, error, why);
}

static int
invalid_request(struct au_req *r, const struct au_realm_view *v,
    const char *why)
{
	return bearer_error(r, v, 400, "invalid_request", why);
}

static int
invalid_token(struct au_req *r, const struct au_realm_view *v,
    const char *why)
{
	return bearer_error(r, v, 401, "invalid_token", why);
}

/* RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
 * "+" / "/" ) *"=" */
static bool
b64token(const char *s)
{
	const char *p = s;

	for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	    (*p >= '0' && *p <= '9') || (*p != '\0' &&
	    strchr("-._~+/", *p) != NULL); p++)
		;
	if (p == s)
		return false;
	while (*p == '=')
		p++;
	return *p == '\0';
}

/* The bearer token of the Authorization header: AU_OK with *token (NULL
 * when the header is absent or of another scheme); AU_EINVAL with *why
 * when it says Bearer but its credentials are malformed. */
static int
header_token(struct au_req *r, const char **token, const char **why)
{
	const char *h = au_req_header(r, "authorization");
	char *t;
	size_t n;

	*token = NULL;
	if (h == NULL || strncasecmp(h, "Bearer", 6) != 0 ||
	    (h[6] != ' ' && h[6] != '\0'))
		return AU_OK;
	for (h += 6; *h == ' '; h++)
		;
	t = au_arena_strdup(r->arena, h);
	for (n = strlen(t); n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'); n--)
		t[n - 1] = '\0';
	if (!b64token(t)) {
		*why = *t == '\0' ? "The Authorization header names Bearer "
		    "but carries no token." : "The bearer token in the "
		    "Authorization header is malformed.";
		return AU_EINVAL;
	}
	*token = t;
	return AU_OK;
}

/* The one bearer token of the request (RFC 6750 §2): AU_OK with *token,
 * NULL when there is none; otherwise the 400 has been written. */
static int
request_token_or_respond(struct au_req *r, const struct au_realm_view *v,
    const char **token)
{
	const char *why, *body = NULL, *dup;

	if (au_req_query(r, "access_token") != NULL)
		return invalid_request(r, v, "An access token in the query "
		    "string is not accepted: send it in the Authorization "
		    "header."), AU_EINVAL;
	if (header_token(r, token, &why) != AU_OK)
		return invalid_request(r, v, why), AU_EINVAL;
	if (strcmp(r->method, "POST") == 0 &&
	    strcmp(r->content_type, "application/x-www-form-urlencoded") == 0) {
		if (au_req_form_parse(r) != AU_OK)
			return invalid_request(r, v, "The request body is not a "
			    "valid form."), AU_EINVAL;
		if ((dup = au_req_dup_param(r)) != NULL)
			return invalid_request(r, v, b64token(dup) ?
			    au_arena_printf(r->arena, "Parameter '%.40s' is "
			    "repeated.", dup) : "A form parameter is repeated."),
			    AU_EINVAL;
		body = au_req_form(r, "access_token");
	}
	if (body != NULL && *token != NULL)
		return invalid_request(r, v, "The access token was sent both in "
		    "the Authorization header and in the body: use one."),
		    AU_EINVAL;
	if (body != NULL && !b64token(body))
		return invalid_request(r, v, "The access_token in the body is "
		    "malformed."), AU_EINVAL;
	if (body != NULL)
		*token = body;
	return AU_OK;
}

static const char *
claim_str(struct json_object *claims, const char *name)
{
	struct json_object *c;

	if (!json_object_object_get_ex(claims, name, &c) ||
	    !json_object_is_type(c, json_type_string))
		return NULL;
	return json_object_get_string(c);
}

/* The checks that need no query.  NULL when the token may go on; else
 * why it may not, and *status and *error say how to answer. */
static const char *
token_shape(struct json_object *claims, int *status, const char **error)
{
	const char *sub = claim_str(claims, "sub");
	const char *cid = claim_str(claims, "client_id");
	const char *scope = claim_str(claims, "scope");

	*status = 401;
	*error = "invalid_token";
	if (sub == NULL || cid == NULL)
		return "The access token is malformed.";
	if (strcmp(sub, cid) == 0)
		return "The access token was issued to a client, not to a user: "
		    "there is no user to describe.";
	if (json_object_object_get_ex(claims, "sid", NULL) &&
	    claim_str(claims, "sid") == NULL)
		return "The access token is malformed.";
	if (scope == NULL || !au_str_has_word(scope, "openid")) {
		*status = 403;
		*error = "insufficient_scope";
		return "The access token was not granted the openid scope.";
	}
	return NULL;
}

/* Revocation, the client, the user and the session.  AU_OK with *u;
 * AU_EDENIED with *why; AU_EDB. */
static int
token_live(struct au_req *r, const struct au_realm_view *v,
    struct json_object *claims, const char *jti, struct au_user **u,
    const char **why)
{
	const struct au_cached_client *cc;
	const char *sid = claim_str(claims, "sid");
	struct au_db *db;
	bool revoked, live = true;
	int rc;

	if ((rc = au_ctx_db(au_req_ctx(r), &db)) != AU_OK ||
	    (rc = au_store_token_revoked(db, r->arena, jti, &revoked)) != AU_OK)
		return rc;
	if (revoked)
		return *why = "The access token has been revoked.", AU_EDENIED;
	rc = au_realm_client(r, v, claim_str(claims, "client_id"), &cc);
	if (rc == AU_ENOTFOUND || (rc == AU_OK && !cc->c.enabled))
		return *why = "The client of the access token no longer exists "
		    "or is disabled.", AU_EDENIED;
	if (rc != AU_OK)
		return rc;
	rc = au_store_user_find(db, r->arena, v->realm.id,
	    claim_str(claims, "sub"), u);
	if (rc == AU_ENOTFOUND || (rc == AU_OK && !(*u)->enabled))
		return *why = "The user of the access token no longer exists or "
		    "is disabled.", AU_EDENIED;
	if (rc == AU_OK && sid != NULL)
		rc = au_store_session_live(db, r->arena, v->realm.id, sid,
		    au_time_now(), cc->tokens.sso_session_idle, &live);
	if (rc != AU_OK)
		return rc;
	if (!live)
		return *why = "The session of the access token has ended.",
		    AU_EDENIED;
	return AU_OK;
}

/* OIDC Core §5.3.2: the claims as an encrypted JWT (application/jwt)
 * for a client that asks (tokenSettings.userinfoEncryption).  Not
 * signed: the claims are encrypted JSON, with iss and aud added so the
 * client can tell whom they come from and are for.  Consumes out. */
static int
encrypted(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, struct json_object *out)
{
	char *jwe;
	int rc;

	json_object_object_add(out, "iss", json_object_new_string(v->issuer));
	json_object_object_add(out, "aud",
	    json_object_new_string(cc->c.client_id));
	rc = au_oauth_encrypt_for(r->arena, cc, cc->tokens.userinfo_enc_alg,
	    cc->tokens.userinfo_enc_enc, NULL, json_object_to_json_string_ext(
	    out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), &jwe);
	json_object_put(out);
	if (rc != AU_OK) {
		au_log_err("client %s: userinfo not encrypted (%d)",
		    cc->c.client_id, rc);
		return au_resp_unavailable(r);
	}
	return au_resp_text(r, 200, "application/jwt", jwe, strlen(jwe));
}

int
au_oauth_userinfo(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	struct json_object *claims, *out;
	const char *token, *jti, *why, *error;
	struct au_user *u;
	int64_t exp;
	int status, rc;

	if (au_oauth_realm_or_respond(r, 1, &v) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Cache-Control", "no-store");
	au_resp_set_header(r, "Pragma", "no-cache");
	if (request_token_or_respond(r, v, &token) != AU_OK)
		return AU_OK;
	if (token == NULL)
		return bearer_error(r, v, 401, NULL, NULL);
	if (au_access_token_check(r, v, token, &claims, &jti, &exp,
	    &why) != AU_OK)
		return invalid_token(r, v, why);
	if ((why = token_shape(claims, &status, &error)) != NULL)
		return bearer_error(r, v, status, error, why);
	rc = token_live(r, v, claims, jti, &u, &why);
	if (rc == AU_EDENIED)
		return invalid_token(r, v, why);
	if (rc != AU_OK)
		return au_resp_unavailable(r);
	if (au_realm_client(r, v, claim_str(claims, "client_id"), &cc) !=
	    AU_OK)
		cc = NULL;
	else
		(void)au_oauth_cors(r, cc);
	out = json_object_new_object();
	json_object_object_add(out, "sub", json_object_new_string(u->id));
	if (au_oauth_user_claims(r, v, u, claim_str(claims, "scope"),
	    AU_CLAIMS_USERINFO, NULL, out) != AU_OK) {
		json_object_put(out);
		return au_resp_unavailable(r);
	}
	if (cc != NULL && cc->tokens.userinfo_enc_alg[0] != '\0')
		return encrypted(r, v, cc, out);
	return au_resp_json(r, 200, out);
}
