/* login_device.c — the device verification pages (see login_device.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "login/login_authenticate.h"
#include "login/login_authorize.h"
#include "login/login_device.h"
#include "login/login_error.h"
#include "oauth/oauth_device.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_realm.h"
#include "store/store_device.h"
#include "store/store_login.h"
#include "view/view.h"

/* Wrong codes allowed per realm and address within GUESS_WINDOW s. */
#define MAX_GUESSES 10
#define GUESS_WINDOW 900
#define MAX_TYPED 64


/* A device page (mode: entry, approve, approved, denied) branded for
 * client_id (may be NULL). */
static struct au_view *
new_view(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *title, const char *mode)
{
	struct au_view *view = au_login_view(r, v, client_id, title);

	au_view_set(view, "Device.Mode", mode);
	return view;
}

/* The code entry form, with a message (may be NULL) and the code typed
 * so far (may be NULL). */
static int
entry_page(struct au_req *r, const struct au_realm_view *v, int status,
    const char *message, const char *typed)
{
	struct au_view *view = new_view(r, v, NULL, "deviceTitle", "entry");
	const char *csrf = au_login_csrf_token(r);

	if (typed != NULL && strlen(typed) > MAX_TYPED)
		typed = NULL;
	au_view_set(view, "Device.Action", au_arena_printf(r->arena,
	    "/realms/%s/device", v->realm.realm_id));
	au_view_set(view, "Device.Csrf", csrf);
	au_view_set(view, "Device.UserCode", typed);
	au_view_set(view, "Device.Message", message);
	return au_login_send(r, v, view, "login/device.cs", status, csrf, NULL);
}

/* The last page: approved, or denied with an optional reason. */
static int
result_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, bool approved, const char *why)
{
	struct au_view *view = new_view(r, v, cc != NULL ? cc->c.client_id :
	    NULL, approved ? "deviceConnectedTitle" : "accessDeniedTitle",
	    approved ? "approved" : "denied");

	au_view_set(view, "Device.Message", why);
	return au_login_send(r, v, view, "login/device.cs", 200, NULL, NULL);
}

int
au_device_approval_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc)
{
	struct au_view *view = new_view(r, v, cc->c.client_id,
	    "deviceTitle", "approve");
	char *copy, *tok, *save = NULL, name[48];
	const char *sealed = au_authreq_seal(r, v, q);
	int i = 0;

	if (sealed == NULL)
		return AU_ECRYPTO;
	au_view_set(view, "Device.UserCode",
	    au_user_code_display(r->arena, q->device));
	au_view_set(view, "Device.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/device", v->realm.realm_id));
	copy = au_arena_strdup(r->arena, q->scope);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		snprintf(name, sizeof(name), "Device.Scopes.%d", i++);
		au_view_set(view, name, tok);
	}
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	return au_login_send(r, v, view, "login/device.cs", 200, q->csrf, NULL);
}

/* The pending, unexpired authorization of a normalized user code.
 * AU_OK; AU_ENOTFOUND (also when decided or expired); AU_EDB. */
static int
pending(struct au_req *r, struct au_db *db, const struct au_realm_view *v,
    const char *code, struct au_device **d)
{
	int rc;

	if (code == NULL)
		return AU_ENOTFOUND;
	rc = au_store_device_find_user_code(db, r->arena, v->realm.id, code, d);
	if (rc == AU_OK && (strcmp((*d)->status, "pending") != 0 ||
	    (*d)->expires_at <= au_time_now()))
		rc = AU_ENOTFOUND;
	return rc;
}

/* A code submitted on the entry form. */
static int
submit_code(struct au_req *r, const struct au_realm_view *v)
{
	const char *typed = au_req_form(r, "user_code");
	const char *csrf = au_req_form(r, "csrf");
	const char *cookie = au_req_cookie(r, AU_CSRF_COOKIE);
	const struct au_cached_client *cc;
	int64_t now = au_time_now();
	struct au_device *d;
	struct au_authreq q;
	struct au_db *db;
	char *code;
	int rc, guesses = 0;

	if (csrf == NULL || cookie == NULL || !au_ct_streq(csrf, cookie))
		return entry_page(r, v, 403, au_login_msg(r, v,
		    "deviceNotVerified"), typed);
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_device_guesses(db, r->arena, v->realm.id,
		    r->remote_addr, now, GUESS_WINDOW, &guesses);
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	if (guesses >= MAX_GUESSES)
		return entry_page(r, v, 429, au_login_msg(r, v,
		    "deviceTooManyCodes"), NULL);
	code = au_user_code_normalize(r->arena, typed);
	rc = pending(r, db, v, code, &d);
	if (rc == AU_ENOTFOUND) {
		if (au_store_device_guess_failed(db, v->realm.id,
		    r->remote_addr, now, GUESS_WINDOW) != AU_OK)
			au_log_warn("realm %s: wrong user code not counted",
			    v->realm.realm_id);
		return entry_page(r, v, 400, au_login_msg(r, v,
		    "deviceWrongCode"), typed);
	}
	if (rc == AU_OK)
		rc = au_realm_client(r, v, d->client_id, &cc);
	if (rc == AU_EDB)
		return au_resp_unavailable(r), AU_OK;
	if (rc != AU_OK || !cc->c.enabled)
		return entry_page(r, v, 400, au_login_msg(r, v,
		    "deviceUnknownClient"), typed);
	memset(&q, 0, sizeof(q));
	q.client_id = cc->c.client_id;
	q.redirect_uri = au_arena_printf(r->arena, "%s/device", v->issuer);
	q.scope = d->scope;
	q.response_mode = "query";
	q.csrf = cookie;
	q.device = code;
	q.max_age = -1;
	q.expires_at = now + AU_AUTHREQ_LIFETIME < d->expires_at ?
	    now + AU_AUTHREQ_LIFETIME : d->expires_at;
	if (au_login_session(r, v) == NULL)
		return au_login_page(r, v, &q, 200, NULL, NULL);
	return au_device_approval_page(r, v, &q, cc);
}

int
au_login_device(struct au_req *r)
{
	const struct au_realm_view *v;

	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	if (strcmp(r->method, "POST") != 0)
		return entry_page(r, v, 200, NULL, au_req_query(r, "user_code"));
	if (au_req_form_parse(r) != AU_OK)
		return au_login_error_page(r, 400, "Invalid request", r->error);
	return submit_code(r, v);
}

int
au_login_device_decide(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *decision;
	struct au_authreq q;
	struct au_session *s;
	struct au_device *d;
	struct au_db *db;
	bool approve, assigned = true;
	int rc;

	if (au_login_form_or_respond(r, AU_FORM_DEVICE, &v, &q) != AU_OK)
		return AU_OK;
	if ((s = au_login_session(r, v)) == NULL)
		return au_login_error_page(r, 400, "Sign-in expired", "You are "
		    "no longer signed in. Enter the code from your device again.");
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = pending(r, db, v, q.device, &d);
	if (rc == AU_ENOTFOUND || (rc == AU_OK &&
	    strcmp(d->client_id, q.client_id) != 0))
		return au_login_error_msg(r, v, 400, "codeExpiredTitle",
		    "deviceWrongCode");
	if (rc == AU_OK)
		rc = au_realm_client(r, v, q.client_id, &cc);
	if (rc == AU_EDB)
		return au_resp_unavailable(r), AU_OK;
	if (rc != AU_OK || !cc->c.enabled)
		return au_login_error_msg(r, v, 400, "unknownClientTitle",
		    "deviceUnknownClient");
	decision = au_req_form(r, "decision");
	approve = decision != NULL && strcmp(decision, "approve") == 0;
	if (approve && cc->c.user_access != NULL &&
	    strcmp(cc->c.user_access, "assigned") == 0)
		rc = au_store_client_user_assigned(db, r->arena, cc->c.id,
		    s->user_id, &assigned);
	if (rc == AU_OK)
		rc = au_store_device_decide(db, d->id, approve && assigned,
		    s->user_id, s->id, s->auth_time, au_time_now());
	if (rc == AU_ECONFLICT)
		return au_login_error_msg(r, v, 400, "codeExpiredTitle",
		    "deviceWrongCode");
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return result_page(r, v, cc, approve && assigned, assigned ? NULL :
	    au_login_msg(r, v, "deviceNoAccess"));
}
