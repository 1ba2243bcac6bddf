/* login_logout.c — RP-initiated logout (see login_logout.h). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "login/login_authenticate.h"
#include "login/login_authorize.h"
#include "login/login_error.h"
#include "login/login_logout.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_id_token_hint.h"
#include "oauth/oauth_realm.h"
#include "store/store_event.h"
#include "store/store_login.h"
#include "view/view.h"

#define MAX_STATE 2000

/* A logout request that passed every check; sealed into the
 * confirmation form. */
struct logout_req {
	const char *client_id;     /* the client, or NULL */
	const char *client_name;   /* for the pages, or NULL */
	const char *redirect_uri;  /* a registered post-logout URI, or NULL */
	const char *state;         /* may be NULL */
	const char *lang;          /* from ui_locales, or NULL */
	bool uri_refused;          /* one was asked for and is not registered */
	const char *csrf;
	int64_t expires_at;
};

/* ------------------------------------------------------------ helpers */

/* A request parameter: the query for GET, the form body for POST. */
static const char *
param(struct au_req *r, const char *name)
{
	const char *s = strcmp(r->method, "POST") == 0 ? au_req_form(r, name) :
	    au_req_query(r, name);

	return s != NULL && *s != '\0' ? s : NULL;
}

/* q sealed for the realm (its own associated data: a sealed logout can
 * never pass for a sealed authorization request), or NULL. */
static char *
seal(struct au_req *r, const struct au_realm_view *v,
    const struct logout_req *q)
{
	struct json_object *o = json_object_new_object();
	char *out;

	au_login_put_str(o, "c", q->client_id);
	au_login_put_str(o, "cn", q->client_name);
	au_login_put_str(o, "r", q->redirect_uri);
	au_login_put_str(o, "st", q->state);
	au_login_put_str(o, "l", q->lang);
	au_login_put_str(o, "x", q->csrf);
	json_object_object_add(o, "u", json_object_new_boolean(q->uri_refused));
	json_object_object_add(o, "e", json_object_new_int64(q->expires_at));
	out = au_login_seal(r, v, "logout", o);
	json_object_put(o);
	return out;
}

/* AU_OK; AU_EDENIED when blob was altered, sealed for another realm or
 * purpose, or has expired. */
static int
unseal(struct au_req *r, const struct au_realm_view *v, const char *blob,
    struct logout_req *q)
{
	struct json_object *o, *x;

	memset(q, 0, sizeof(*q));
	if ((o = au_login_unseal(r, v, "logout", blob)) == NULL)
		return AU_EDENIED;
	q->client_id = au_login_get_str(r, o, "c");
	q->client_name = au_login_get_str(r, o, "cn");
	q->redirect_uri = au_login_get_str(r, o, "r");
	q->state = au_login_get_str(r, o, "st");
	q->lang = au_login_get_str(r, o, "l");
	q->csrf = au_login_get_str(r, o, "x");
	q->uri_refused = json_object_object_get_ex(o, "u", &x) &&
	    json_object_get_boolean(x);
	q->expires_at = json_object_object_get_ex(o, "e", &x) ?
	    json_object_get_int64(x) : 0;
	json_object_put(o);
	au_login_set_lang(r, v, q->client_id, q->lang);
	return q->csrf != NULL && q->expires_at > au_time_now() ? AU_OK :
	    AU_EDENIED;
}

/* ------------------------------------------------------------ pages */

/* The confirmation page (confirm) or the signed-out page. */
static int
logout_page(struct au_req *r, const struct au_realm_view *v,
    const struct logout_req *q, bool confirm, int status)
{
	const char *sealed = NULL;
	struct au_view *view;

	if (confirm && (sealed = seal(r, v, q)) == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, q->client_id, confirm ? "signOutTitle" :
	    "signedOutTitle");
	au_view_set(view, "Client.Name", q->client_name);
	if (confirm) {
		au_view_set_int(view, "Logout.Confirm", 1);
		au_view_set(view, "Logout.Action", au_arena_printf(r->arena,
		    "/realms/%s/login-actions/logout", v->realm.realm_id));
		au_view_set(view, "Logout.Request", sealed);
		au_view_set(view, "Logout.Csrf", q->csrf);
	} else if (q->uri_refused)
		au_view_set(view, "Logout.Notice", au_view_msg(view,
		    "logoutNoReturn"));
	return au_login_send(r, v, view, "login/logout.cs", status,
	    confirm ? q->csrf : NULL, confirm ? q->redirect_uri : NULL);
}

/* {"method": how} as JSON text in the arena. */
static const char *
event_details(struct au_req *r, const char *how)
{
	struct json_object *o = json_object_new_object();
	const char *text;

	json_object_object_add(o, "method", json_object_new_string(how));
	text = au_arena_strdup(r->arena, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return text;
}

/* Ends the session (when there is one), clears the cookie and answers:
 * the post-logout redirect or the signed-out page. */
static int
log_out(struct au_req *r, const struct au_realm_view *v,
    const struct logout_req *q, const char *session_id, const char *user_id,
    const char *how)
{
	const char *pairs[] = { "state", q->state, NULL };
	struct au_event ev = { 0 };
	struct au_db *db;
	char *url;
	int rc;

	if (session_id != NULL) {
		ev.realm_uuid = v->realm.id;
		ev.category = "auth";
		ev.type = "logout";
		ev.resource_type = "session";
		ev.resource_id = session_id;
		ev.client_id = q->client_id;
		ev.user_id = user_id;
		ev.ip = r->remote_addr;
		ev.request_id = r->request_id;
		ev.details = event_details(r, how);
		rc = au_ctx_db(au_req_ctx(r), &db);
		if (rc == AU_OK)
			rc = au_store_session_end(db, r->arena, v->realm.id,
			    session_id, user_id, au_time_now(), &ev, NULL);
		if (rc != AU_OK)
			return au_resp_unavailable(r);
	}
	if (q->redirect_uri != NULL) {
		url = au_url_build(r->arena, q->redirect_uri, pairs);
		if (url == NULL)
			return au_login_error_page(r, 400, "Invalid redirect URI",
			    "The application's post-logout redirect URI cannot "
			    "be used.");
		rc = au_resp_redirect(r, strcmp(r->method, "POST") == 0 ?
		    303 : 302, url);
		au_resp_set_header(r, "Cache-Control", "no-store");
	} else
		rc = logout_page(r, v, q, false, q->uri_refused ? 400 : 200);
	if (rc != AU_OK)
		return rc;
	au_resp_header(r, "Set-Cookie", au_arena_printf(r->arena,
	    "%s=; Path=/realms/%s/; Max-Age=0; HttpOnly; SameSite=Lax%s",
	    AU_SESSION_COOKIE, v->realm.realm_id,
	    r->https ? "; Secure" : ""));
	return AU_OK;
}

/* ------------------------------------------------------------ /logout */

/* The client (from client_id or the hint) and the post-logout URI.
 * AU_OK; otherwise the error page has been written. */
static int
client_and_uri(struct au_req *r, const struct au_realm_view *v,
    const struct au_id_token_hint *h, struct logout_req *q)
{
	const struct au_cached_client *cc = NULL;
	const char *client_id = param(r, "client_id");
	const char *uri = param(r, "post_logout_redirect_uri");
	char **uris;
	int i, n, rc;

	if (h != NULL && client_id != NULL && strcmp(client_id,
	    h->client_id) != 0)
		return au_login_error_page(r, 400, "Invalid logout request",
		    "client_id is not the client the id_token_hint was "
		    "issued to."), AU_EINVAL;
	if (h != NULL)
		client_id = h->client_id;
	if (client_id != NULL) {
		rc = au_realm_client(r, v, client_id, &cc);
		if (rc == AU_EDB)
			return au_resp_unavailable(r), rc;
		if (rc != AU_OK || !cc->c.enabled)
			return au_login_error_msg(r, v, 400,
			    "unknownClientTitle", "unknownClient"), AU_EINVAL;
		q->client_id = cc->c.client_id;
		q->client_name = cc->c.name != NULL && *cc->c.name != '\0' ?
		    cc->c.name : cc->c.client_id;
	}
	if (uri == NULL)
		return AU_OK;
	q->uri_refused = true;
	if (cc == NULL)
		return AU_OK;
	uris = cc->c.lists[AU_CL_POST_LOGOUT];
	n = cc->c.nlists[AU_CL_POST_LOGOUT];
	for (i = 0; i < n; i++)
		if (strcmp(uris[i], uri) == 0) {
			q->redirect_uri = uri;
			q->uri_refused = false;
		}
	return AU_OK;
}

/* Whether the hint names session s: its sid (and sub) when it has one,
 * else its sub. */
static bool
hint_is_session(const struct au_id_token_hint *h, const struct au_session *s)
{
	if (strcmp(h->sub, s->user_id) != 0)
		return false;
	return h->sid == NULL || strcmp(h->sid, s->id) == 0;
}

int
au_login_logout(struct au_req *r)
{
	const struct au_realm_view *v;
	struct au_id_token_hint hint, *h = NULL;
	struct au_session *s;
	struct logout_req q;
	const char *dup, *token;
	bool post = strcmp(r->method, "POST") == 0;

	memset(&q, 0, sizeof(q));
	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	if (post && au_req_form_parse(r) != AU_OK)
		return au_login_error_page(r, 400, "Invalid request", r->error);
	if ((dup = au_req_dup_param(r)) != NULL)
		return au_login_error_page(r, 400, "Invalid request",
		    au_arena_printf(r->arena, "Parameter '%.100s' is repeated.",
		    dup));
	if ((token = param(r, "id_token_hint")) != NULL) {
		if (au_id_token_hint_verify(r, v, token, &hint) != AU_OK)
			return au_login_error_page(r, 400,
			    "Invalid logout request", "The id_token_hint is not "
			    "an ID token issued by this realm.");
		h = &hint;
	}
	q.state = param(r, "state");
	if (q.state != NULL && strlen(q.state) > MAX_STATE)
		return au_login_error_page(r, 400, "Invalid logout request",
		    "state is too long.");
	q.lang = au_login_lang(r, param(r, "ui_locales"));
	if (q.lang != NULL)
		au_login_set_lang(r, v, NULL, q.lang);
	if (client_and_uri(r, v, h, &q) != AU_OK)
		return AU_OK;
	au_login_set_lang(r, v, q.client_id, q.lang);
	s = au_login_session(r, v);
	if (h != NULL && s != NULL && hint_is_session(h, s))
		return log_out(r, v, &q, s->id, s->user_id, "id_token_hint");
	/* a cross-site POST carries no SameSite=Lax cookie: the hint's own
	 * session is the one to end */
	if (h != NULL && s == NULL && h->sid != NULL)
		return log_out(r, v, &q, h->sid, h->sub, "id_token_hint");
	if (s == NULL && (!post || au_req_cookie(r, AU_SESSION_COOKIE) != NULL))
		return log_out(r, v, &q, NULL, NULL, NULL);
	q.csrf = au_login_csrf_token(r);
	q.expires_at = au_time_now() + AU_AUTHREQ_LIFETIME;
	return logout_page(r, v, &q, true, 200);
}

int
au_login_logout_confirm(struct au_req *r)
{
	const struct au_realm_view *v;
	const char *csrf, *cookie;
	struct au_session *s;
	struct logout_req q;

	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	if (au_req_form_parse(r) != AU_OK)
		return au_login_error_page(r, 400, "Invalid request", r->error);
	if (unseal(r, v, au_req_form(r, "logoutreq"), &q) != AU_OK)
		return au_login_error_msg(r, v, 400, "signOutExpiredTitle",
		    "logoutFormExpired");
	csrf = au_req_form(r, "csrf");
	cookie = au_req_cookie(r, AU_CSRF_COOKIE);
	if (csrf == NULL || cookie == NULL || !au_ct_streq(csrf, q.csrf) ||
	    !au_ct_streq(cookie, q.csrf))
		return au_login_error_msg(r, v, 403, "requestRefusedTitle",
		    "logoutNotVerified");
	s = au_login_session(r, v);
	return log_out(r, v, &q, s != NULL ? s->id : NULL,
	    s != NULL ? s->user_id : NULL, "confirmed");
}
