/* oauth_revoke.c — POST /realms/{realm}/revoke (RFC 7009).
 *
 * The caller — a confidential client, a consumer, or a public client
 * naming itself — revokes its own tokens: an access token by its jti
 * until it expires; a refresh token with its whole family. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_introspect.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_revoke.h"
#include "store/store_refresh.h"
#include "store/store_token.h"

/* The name the caller's tokens carry as client_id. */
static const char *
caller_name(const struct au_principal *p)
{
	return p->client != NULL ? p->client->c.client_id :
	    p->consumer->c.consumer_id;
}

/* A refresh token of the caller revokes its whole family (the access
 * tokens issued with it included); another client's or an unknown one
 * is no change (RFC 7009 §2.2: the answer is 200 either way). */
static int
revoke_refresh(struct au_req *r, const struct au_realm_view *v,
    const struct au_principal *p, struct au_db *db, const char *token)
{
	struct au_refresh *t;
	int rc;

	if (p->client == NULL)
		return AU_OK;
	rc = au_store_refresh_find(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), &t);
	if (rc == AU_ENOTFOUND || (rc == AU_OK &&
	    strcmp(t->client_uuid, p->client->c.id) != 0))
		return AU_OK;
	if (rc == AU_OK)
		rc = au_store_refresh_revoke_family(db, t->family_id,
		    au_time_now());
	return rc;
}

int
au_oauth_revoke(struct au_req *r)
{
	const struct au_realm_view *v;
	struct json_object *claims, *cid;
	struct au_principal p;
	const char *token, *jti;
	struct au_db *db;
	int64_t exp;

	if (au_oauth_token_call_or_respond(r, true, &v, &p, &token) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Cache-Control", "no-store");
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK)
		return au_resp_unavailable(r);
	/* token_type_hint only speeds up a search (§2.1): both kinds are
	 * looked for whatever it says */
	if (au_access_token_parse(r, v, token, &claims, &jti, &exp) != AU_OK) {
		if (revoke_refresh(r, v, &p, db, token) != AU_OK) {
			au_log_err("refresh token: revocation not recorded");
			return au_resp_unavailable(r);
		}
		return au_resp_empty(r, 200);
	}
	if (!json_object_object_get_ex(claims, "client_id", &cid) ||
	    !json_object_is_type(cid, json_type_string) ||
	    strcmp(json_object_get_string(cid), caller_name(&p)) != 0)
		return au_resp_empty(r, 200);
	if (au_store_token_revoke(db, v->realm.id, jti, exp) != AU_OK) {
		au_log_err("token %s: revocation not recorded", jti);
		return au_resp_unavailable(r);
	}
	return au_resp_empty(r, 200);
}
