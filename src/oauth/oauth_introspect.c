/* oauth_introspect.c — POST /realms/{realm}/introspect (RFC 7662). */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_jws.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_cors.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_introspect.h"
#include "oauth/oauth_realm.h"
#include "store/store_login.h"
#include "store/store_refresh.h"
#include "store/store_token.h"

/* Longer than any token we issue by far; refused before any work. */
#define MAX_TOKEN 16384

static void
json_put(void *p)
{
	json_object_put(p);
}

/* Sets *why (when asked for) and answers AU_EINVAL. */
static int
refuse(const char **why, const char *sentence)
{
	if (why != NULL)
		*why = sentence;
	return AU_EINVAL;
}

/* An opaque access token: the claims stored with its hash, while it
 * has not expired. */
static int
opaque_check(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct json_object **claims, const char **jti,
    int64_t *exp, const char **why)
{
	struct json_object *o, *e, *j;
	struct au_db *db;
	char *text;
	int rc;

	if (strlen(token) != 43)
		return refuse(why, "The access token is malformed.");
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_opaque_find(db, r->arena, v->realm.id,
		    au_secret_hash(r->arena, token), &text);
	if (rc == AU_ENOTFOUND)
		return refuse(why, "The access token is unknown or has "
		    "expired.");
	if (rc != AU_OK)
		return refuse(why, "The access token cannot be checked now.");
	o = json_tokener_parse(text);
	if (o == NULL)
		return refuse(why, "The access token is malformed.");
	au_arena_cleanup(r->arena, json_put, o);
	if (!json_object_object_get_ex(o, "exp", &e) ||
	    !json_object_object_get_ex(o, "jti", &j) ||
	    json_object_get_int64(e) <= au_time_now())
		return refuse(why, "The access token has expired.");
	*claims = o;
	*jti = json_object_get_string(j);
	*exp = json_object_get_int64(e);
	return AU_OK;
}

int
au_access_token_check(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct json_object **claims, const char **jti,
    int64_t *exp, const char **why)
{
	const struct au_signing_key *key;
	struct json_object *o, *iss, *e, *j;
	struct au_jws jws;

	if (token != NULL && strchr(token, '.') == NULL)
		return opaque_check(r, v, token, claims, jti, exp, why);
	if (token == NULL || strlen(token) > MAX_TOKEN ||
	    au_jws_parse(r->arena, token, &jws) != AU_OK || jws.kid == NULL)
		return refuse(why, "The access token is malformed.");
	if (jws.typ == NULL || (strcasecmp(jws.typ, "at+jwt") != 0 &&
	    strcasecmp(jws.typ, "application/at+jwt") != 0))
		return refuse(why, "The token is not an access token.");
	key = au_realm_key(v, jws.kid);
	if (key == NULL || key->alg != jws.alg ||
	    au_jws_verify(&jws, key->pkey) != AU_OK)
		return refuse(why, "The access token signature does not verify "
		    "with the keys of this realm.");
	o = json_tokener_parse((const char *)jws.payload);
	if (o == NULL)
		return refuse(why, "The access token is malformed.");
	au_arena_cleanup(r->arena, json_put, o);
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "iss", &iss) ||
	    !json_object_is_type(iss, json_type_string) ||
	    strcmp(json_object_get_string(iss), v->issuer) != 0)
		return refuse(why, "The access token was not issued by this "
		    "realm.");
	if (!json_object_object_get_ex(o, "exp", &e) ||
	    !json_object_is_type(e, json_type_int) ||
	    !json_object_object_get_ex(o, "jti", &j) ||
	    !json_object_is_type(j, json_type_string))
		return refuse(why, "The access token is malformed.");
	if (json_object_get_int64(e) <= au_time_now())
		return refuse(why, "The access token has expired.");
	*claims = o;
	*jti = json_object_get_string(j);
	*exp = json_object_get_int64(e);
	return AU_OK;
}

int
au_access_token_parse(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct json_object **claims, const char **jti,
    int64_t *exp)
{
	return au_access_token_check(r, v, token, claims, jti, exp, NULL);
}

/* The common start of /introspect and /revoke: realm, form, caller, a
 * token.  AU_OK; otherwise the response has been written. */
int
au_oauth_token_call_or_respond(struct au_req *r, bool public_ok,
    const struct au_realm_view **v, struct au_principal *p,
    const char **token)
{
	if (au_oauth_form_or_respond(r, v) != AU_OK)
		return AU_EDENIED;
	if ((public_ok ? au_principal_or_public_or_respond(r, *v, p) :
	    au_principal_authenticate_or_respond(r, *v, p)) != AU_OK)
		return AU_EDENIED;
	(void)au_oauth_cors(r, p->client);
	*token = au_req_form(r, "token");
	if (*token == NULL || **token == '\0')
		return au_oauth_error(r, 400, "invalid_request",
		    "token is required."), AU_EDENIED;
	return AU_OK;
}

static int
inactive(struct au_req *r)
{
	struct json_object *out = json_object_new_object();

	json_object_object_add(out, "active", json_object_new_boolean(0));
	return au_resp_json(r, 200, out);
}

/* A refresh token is active to the client it was issued to while it is
 * unspent, unrevoked, unexpired and (session-bound) its session lives.
 * AU_OK with *out (NULL: inactive); AU_EDB. */
static int
refresh_claims(struct au_req *r, const struct au_realm_view *v,
    const struct au_principal *p, struct au_db *db, const char *token,
    struct json_object **out)
{
	int64_t now = au_time_now();
	struct au_session *sess;
	struct json_object *o;
	struct au_refresh *t;
	int rc;

	*out = NULL;
	if (p->client == NULL)
		return AU_OK;
	rc = au_store_refresh_find(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), &t);
	if (rc == AU_ENOTFOUND)
		return AU_OK;
	if (rc != AU_OK)
		return rc;
	if (strcmp(t->client_uuid, p->client->c.id) != 0 || t->used_at != 0 ||
	    t->revoked_at != 0 || t->expires_at <= now ||
	    t->family_expires_at <= now)
		return AU_OK;
	if (!t->offline) {
		rc = au_store_session_live_by_id(db, r->arena, v->realm.id,
		    t->session_id != NULL ? t->session_id : "", now,
		    p->client->tokens.sso_session_idle, &sess);
		if (rc == AU_ENOTFOUND)
			return AU_OK;
		if (rc != AU_OK)
			return rc;
	}
	o = json_object_new_object();
	json_object_object_add(o, "active", json_object_new_boolean(1));
	json_object_object_add(o, "iss", json_object_new_string(v->issuer));
	json_object_object_add(o, "sub", json_object_new_string(t->user_id));
	json_object_object_add(o, "client_id",
	    json_object_new_string(p->client->c.client_id));
	json_object_object_add(o, "scope", json_object_new_string(t->scope));
	json_object_object_add(o, "iat", json_object_new_int64(t->created_at));
	json_object_object_add(o, "exp", json_object_new_int64(t->expires_at));
	if (!t->offline && t->session_id != NULL)
		json_object_object_add(o, "sid",
		    json_object_new_string(t->session_id));
	json_object_object_add(o, "offline", json_object_new_boolean(t->offline));
	*out = o;
	return AU_OK;
}

int
au_oauth_introspect(struct au_req *r)
{
	const struct au_realm_view *v;
	struct json_object *claims, *out;
	struct au_principal p;
	const char *token, *jti;
	struct au_db *db;
	bool revoked = true;
	int64_t exp;

	if (au_oauth_token_call_or_respond(r, false, &v, &p, &token) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Cache-Control", "no-store");
	au_resp_set_header(r, "Pragma", "no-cache");
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK)
		return au_resp_unavailable(r);
	if (au_access_token_parse(r, v, token, &claims, &jti, &exp) != AU_OK) {
		/* not an access token: perhaps one of the caller's refresh
		 * tokens (token_type_hint only orders the search, §2.1) */
		if (refresh_claims(r, v, &p, db, token, &out) != AU_OK)
			return au_resp_unavailable(r);
		return out != NULL ? au_resp_json(r, 200, out) : inactive(r);
	}
	if (au_store_token_revoked(db, r->arena, jti, &revoked) != AU_OK)
		return au_resp_unavailable(r);
	if (revoked)
		return inactive(r);
	/* active first, then every claim of the token as issued */
	out = json_object_new_object();
	json_object_object_add(out, "active", json_object_new_boolean(1));
	json_object_object_foreach(claims, name, val)
		json_object_object_add(out, name, json_object_get(val));
	json_object_object_add(out, "token_type",
	    json_object_new_string("Bearer"));
	return au_resp_json(r, 200, out);
}
