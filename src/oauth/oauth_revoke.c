/* oauth_revoke.c — POST /realms/{realm}/revoke (RFC 7009). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_introspect.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_revoke.h"
#include "store/store_token.h"

/* The name the caller's tokens carry as client_id. */
static const char *
caller_name(const struct au_principal *p)
{
	return p->client != NULL ? p->client->c.client_id :
	    p->consumer->c.consumer_id;
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

	if (au_oauth_token_call_or_respond(r, &v, &p, &token) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Cache-Control", "no-store");
	/* refresh tokens do not exist yet: whatever the hint says, only an
	 * access token of the caller can be revoked */
	if (au_access_token_parse(r, v, token, &claims, &jti, &exp) != AU_OK ||
	    !json_object_object_get_ex(claims, "client_id", &cid) ||
	    !json_object_is_type(cid, json_type_string) ||
	    strcmp(json_object_get_string(cid), caller_name(&p)) != 0)
		return au_resp_empty(r, 200);
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_token_revoke(db, v->realm.id, jti, exp) != AU_OK) {
		au_log_err("token %s: revocation not recorded", jti);
		return au_resp_unavailable(r);
	}
	return au_resp_empty(r, 200);
}
