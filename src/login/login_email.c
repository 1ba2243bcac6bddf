/* login_email.c — email verification, password reset and
 * self-registration on the hosted pages (see login_email.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_user_fields.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "login/login_authenticate.h"
#include "login/login_authorize.h"
#include "login/login_email.h"
#include "login/login_error.h"
#include "mail/mail.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_realm.h"
#include "store/store_action.h"
#include "store/store_event.h"
#include "store/store_login.h"
#include "store/store_policy.h"
#include "store/store_settings.h"
#include "store/store_user.h"
#include "view/view.h"

#define VERIFY_RESEND_WINDOW 60     /* one verification mail per user */
#define RESET_ACCOUNT_WINDOW 60     /* one reset mail per account */
#define RESET_IP_MAX 10             /* reset requests per address ... */
#define RESET_IP_WINDOW 3600        /* ... per hour */
#define REGISTER_IP_MAX 5           /* registrations per address ... */
#define REGISTER_IP_WINDOW 3600     /* ... per hour */
#define MAX_FIELD 255


/* ------------------------------------------------------------ common */

static int
db_or_unavailable(struct au_req *r, struct au_db **db)
{
	if (au_ctx_db(au_req_ctx(r), db) != AU_OK)
		return au_resp_unavailable(r), AU_EDB;
	return AU_OK;
}

bool
au_login_email_verification_required(struct au_req *r,
    const struct au_realm_view *v)
{
	struct au_mail_settings ms;
	struct au_db *db;

	return au_ctx_db(au_req_ctx(r), &db) == AU_OK &&
	    au_store_settings_mail(db, r->arena, v->realm.id, &ms) == AU_OK &&
	    ms.verify_required;
}

/* Writes an "auth" event (a failure to write it is logged only). */
static void
event(struct au_req *r, const struct au_realm_view *v, struct au_db *db,
    const char *type, const char *user_id, const char *client_id)
{
	struct au_event e;

	memset(&e, 0, sizeof(e));
	e.realm_uuid = v->realm.id;
	e.category = "auth";
	e.type = type;
	e.actor = user_id != NULL ? user_id : "";
	e.resource_type = "user";
	e.resource_id = user_id != NULL ? user_id : "";
	e.client_id = client_id != NULL ? client_id : "";
	e.user_id = user_id;
	e.ip = r->remote_addr;
	e.request_id = r->request_id;
	if (au_store_event_insert(db, r->arena, &e) != AU_OK)
		au_log_warn("event %s not logged", type);
}

/* A hit of subject within its rate limit; a database failure counts as
 * over the limit. */
static bool
within_limit(struct au_req *r, const struct au_realm_view *v,
    struct au_db *db, const char *subject, int window, int max)
{
	bool ok = false;

	if (au_store_action_limit(db, r->arena, v->realm.id, subject,
	    au_time_now(), window, max, &ok) != AU_OK)
		return false;
	return ok;
}

/* A page with a title and a sentence (templates/login/message.cs), both
 * message keys. */
static int
message_page(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, int status, const char *title, const char *text)
{
	struct au_view *view = au_login_view(r, v, client_id, title);

	au_view_set(view, "Message.Title", au_view_msg(view, title));
	au_view_set(view, "Message.Text", au_view_msg(view, text));
	return au_login_send(r, v, view, "login/message.cs", status, NULL,
	    NULL);
}

/* "12 hours", "30 minutes", "90 seconds", in the request's language. */
static const char *
duration(struct au_req *r, const struct au_realm_view *v, int s)
{
	const char *unit = "seconds";
	int n = s;

	if (s % 3600 == 0)
		unit = "hours", n = s / 3600;
	else if (s % 60 == 0)
		unit = "minutes", n = s / 60;
	return au_login_msgf(r, v, unit, n, au_arena_printf(r->arena, "%d", n),
	    NULL);
}

/* scheme://authority of the issuer: what a logo under /static/ is
 * relative to in a mail reader. */
static const char *
origin(struct au_req *r, const struct au_realm_view *v)
{
	const char *cut = strstr(v->issuer, "/realms/");

	return cut != NULL ? au_arena_strndup(r->arena, v->issuer,
	    (size_t)(cut - v->issuer)) : "";
}

/* The language of a mail to u: the user's "locale" attribute (a string,
 * or the first of an array) when authio has it, else the page's. */
static const char *
mail_lang(struct au_req *r, const struct au_realm_view *v,
    const struct au_user *u)
{
	char pick[AU_LANG_MAX + 1];
	struct json_object *attrs, *x = NULL;
	const char *tag = NULL;
	bool mine;

	if (r->lang == NULL)
		au_login_set_lang(r, v, NULL, NULL);
	if (u->attributes == NULL ||
	    (attrs = json_tokener_parse(u->attributes)) == NULL)
		return r->lang;
	if (json_object_object_get_ex(attrs, "locale", &x) &&
	    json_object_is_type(x, json_type_array))
		x = json_object_array_get_idx(x, 0);
	if (x != NULL && json_object_is_type(x, json_type_string))
		tag = json_object_get_string(x);
	mine = tag != NULL && strchr(tag, ' ') == NULL &&
	    au_msg_lang(r->cfg->templates_dir, tag, pick);
	json_object_put(attrs);
	return mine ? au_arena_strdup(r->arena, pick) : r->lang;
}

/* Creates a link of kind for u (to address to) and mails it with the
 * templates mail/<template>.{txt,html}.cs in the user's language
 * (mail_lang), subject a message key.  authreq (may be NULL) is the
 * sealed request the sign-in continues with. */
static int
send_link(struct au_req *r, const struct au_realm_view *v, struct au_db *db,
    const char *client_id, const struct au_user *u, const char *to,
    const char *kind, const char *authreq, const char *path,
    const char *template, const char *subject)
{
	const char *token = au_rand_token(r->arena, 32), *page_lang;
	struct au_mail_settings ms;
	struct au_action t;
	struct au_mail_msg m;
	struct au_view *view;
	struct au_buf text, html;
	int64_t now = au_time_now();
	int rc;

	rc = au_store_settings_mail(db, r->arena, v->realm.id, &ms);
	if (rc != AU_OK)
		return rc;
	memset(&t, 0, sizeof(t));
	t.user_id = u->id;
	t.kind = kind;
	t.email = to;
	t.authreq = authreq;
	t.created_at = now;
	t.expires_at = now + ms.verify_lifetime;
	rc = au_store_action_insert(db, v->realm.id, au_secret_hash(r->arena,
	    token), &t);
	if (rc != AU_OK)
		return rc;
	/* the mail in the user's language; the page goes on in its own */
	page_lang = r->lang;
	r->lang = mail_lang(r, v, u);
	view = au_login_view(r, v, client_id, subject);
	subject = au_view_msg(view, subject);
	au_view_set(view, "Mail.Subject", subject);
	au_view_set(view, "Mail.Username", u->username);
	au_view_set(view, "Mail.Link", au_arena_printf(r->arena,
	    "%s/login-actions/%s?token=%s", v->issuer, path, token));
	au_view_set(view, "Mail.Lifetime", duration(r, v, ms.verify_lifetime));
	au_view_set(view, "Mail.Origin", origin(r, v));
	r->lang = page_lang;
	au_buf_init(&text, r->arena, 0);
	au_buf_init(&html, r->arena, 0);
	if (au_view_render(view, au_arena_printf(r->arena, "mail/%s.txt.cs",
	    template), &text) != AU_OK)
		return AU_EINTERNAL;
	if (au_view_render(view, au_arena_printf(r->arena, "mail/%s.html.cs",
	    template), &html) != AU_OK)
		return AU_EINTERNAL;
	m.to = to;
	m.subject = subject;
	m.text = text.p;
	m.html = html.p;
	ms.ca_file = r->cfg->smtp_ca_file;
	return au_mail_send(r->arena, &ms, au_req_ctx(r)->master_key,
	    v->realm.id, &m);
}

/* CSRF of a link page's form: the form's token equal to the cookie. */
static bool
csrf_ok(struct au_req *r)
{
	const char *form = au_req_form(r, "csrf");
	const char *cookie = au_req_cookie(r, AU_CSRF_COOKIE);

	return form != NULL && cookie != NULL && strlen(cookie) == 43 &&
	    au_ct_streq(form, cookie);
}

/* After a link did its work: the login page of the request it started
 * from (when still valid) saying done, else a page with title and
 * message (all three message keys). */
static int
continue_or_message(struct au_req *r, const struct au_realm_view *v,
    const char *authreq, const struct au_user *u, const char *done,
    const char *title, const char *message)
{
	struct au_authreq q;

	if (authreq != NULL && au_authreq_open(r, v, authreq, &q) == AU_OK) {
		q.csrf = au_login_csrf_token(r);
		q.pending_user = NULL;
		return au_login_page(r, v, &q, 200, au_login_msg(r, v, done),
		    u->username);
	}
	return message_page(r, v, NULL, 200, title, message);
}

/* The start of a page opened by a link of the login page (GET, the
 * sealed request in the query): the realm and the request, whose CSRF
 * token becomes the browser's.  AU_OK; otherwise the error page has been
 * written. */
static int
link_request_or_respond(struct au_req *r, const struct au_realm_view **v,
    struct au_authreq *q)
{
	if (au_oauth_realm_or_respond(r, 0, v) != AU_OK)
		return AU_EDENIED;
	if (au_authreq_open(r, *v, au_req_query(r, "authreq"), q) != AU_OK ||
	    q->pending_user != NULL)
		return au_login_error_msg(r, *v, 400, "formExpiredTitle",
		    "formExpired startAgain"), AU_EINVAL;
	q->csrf = au_login_csrf_token(r);
	return AU_OK;
}

/* A login-actions page opened by a link (GET) or posting its form. */
static int
request_or_respond(struct au_req *r, const struct au_realm_view **v,
    struct au_authreq *q)
{
	if (strcmp(r->method, "GET") == 0)
		return link_request_or_respond(r, v, q);
	return au_login_form_or_respond(r, AU_FORM_SIGN_IN, v, q);
}

/* ------------------------------------------------- email verification */

int
au_login_verify_email_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_user *u, bool send)
{
	const char *sealed = au_authreq_seal(r, v, q), *message = NULL;
	struct json_object *o;
	struct au_view *view;
	struct au_db *db;
	char *pending;
	int status = 200;

	if (sealed == NULL)
		return AU_ECRYPTO;
	if (u->email == NULL || *u->email == '\0')
		return au_login_page(r, v, q, 403, au_login_msg(r, v,
		    "noEmailToVerify"), u->username);
	if (db_or_unavailable(r, &db) != AU_OK)
		return AU_OK;
	if (send) {
		if (!within_limit(r, v, db, au_arena_printf(r->arena,
		    "verify:%s", u->id), VERIFY_RESEND_WINDOW, 1)) {
			message = au_login_msg(r, v, "resendTooSoon");
			status = 429;
		} else if (send_link(r, v, db, q->client_id, u, u->email,
		    "verify", sealed, "verify-email", "verify_email",
		    "mailVerifySubject") != AU_OK)
			message = au_login_msg(r, v, "mailNotSent");
		else
			event(r, v, db, "email.verify.sent", u->id,
			    q->client_id);
	}
	o = json_object_new_object();
	au_login_put_str(o, "u", u->id);
	json_object_object_add(o, "e", json_object_new_int64(q->expires_at));
	pending = au_login_seal(r, v, "verify-pending", o);
	json_object_put(o);
	if (pending == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, q->client_id, "checkInboxTitle");
	au_view_set(view, "Verify.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/verify-email-resend", v->realm.realm_id));
	au_view_set(view, "Verify.Email", u->email);
	au_view_set(view, "Verify.Pending", pending);
	au_view_set(view, "Verify.Message", message);
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	return au_login_send(r, v, view, "login/verify_email.cs",
	    status, q->csrf, q->redirect_uri);
}

int
au_login_verify_email_resend(struct au_req *r)
{
	const struct au_realm_view *v;
	struct json_object *o, *x;
	const char *user_id = NULL;
	struct au_authreq q;
	struct au_user *u;
	struct au_db *db;
	int64_t exp = 0;

	if (au_login_form_or_respond(r, AU_FORM_SIGN_IN, &v, &q) != AU_OK)
		return AU_OK;
	o = au_login_unseal(r, v, "verify-pending", au_req_form(r, "pending"));
	if (o != NULL) {
		user_id = au_login_get_str(r, o, "u");
		exp = json_object_object_get_ex(o, "e", &x) ?
		    json_object_get_int64(x) : 0;
		json_object_put(o);
	}
	if (user_id == NULL || exp <= au_time_now())
		return au_login_error_msg(r, v, 400, "formExpiredTitle",
		    "formExpired startAgain");
	if (db_or_unavailable(r, &db) != AU_OK)
		return AU_OK;
	if (au_store_user_find(db, r->arena, v->realm.id, user_id, &u) != AU_OK ||
	    !u->enabled)
		return au_login_error_msg(r, v, 400, "formExpiredTitle",
		    "formExpired startAgain");
	if (u->email_verified)
		return au_login_page(r, v, &q, 200, au_login_msg(r, v,
		    "emailVerifiedSignIn"), u->username);
	return au_login_verify_email_page(r, v, &q, u, true);
}

/* The start of a mailed link's page: the realm, the link's token (the
 * query on GET; the form's on POST, with its CSRF token checked) and the
 * database.  AU_OK; otherwise the answer has been written. */
static int
link_or_respond(struct au_req *r, const struct au_realm_view **v,
    const char **token, struct au_db **db)
{
	if (au_oauth_realm_or_respond(r, 0, v) != AU_OK)
		return AU_EDENIED;
	if (strcmp(r->method, "POST") == 0) {
		if (au_req_form_parse(r) != AU_OK)
			return au_login_error_page(r, 400, au_login_msg(r, *v,
			    "invalidRequestTitle"), r->error), AU_EINVAL;
		if (!csrf_ok(r))
			return au_login_error_msg(r, *v, 403,
			    "requestRefusedTitle",
			    "formNotVerified followLinkAgain"), AU_EDENIED;
		*token = au_req_form(r, "token");
	} else
		*token = au_req_query(r, "token");
	if (*token == NULL || strlen(*token) != 43)
		return au_login_error_msg(r, *v, 400, "invalidLinkTitle",
		    "linkInvalid"), AU_EINVAL;
	if (db_or_unavailable(r, db) != AU_OK)
		return AU_EDB;
	return AU_OK;
}

int
au_login_verify_email(struct au_req *r)
{
	const struct au_realm_view *v;
	const char *token, *csrf;
	struct au_action *t;
	struct au_view *view;
	struct au_user *u;
	struct au_db *db;
	int rc;

	if (link_or_respond(r, &v, &token, &db) != AU_OK)
		return AU_OK;
	if (strcmp(r->method, "POST") != 0) {
		/* GET: ask first (mail scanners follow links) */
		rc = au_store_action_find(db, r->arena, v->realm.id,
		    au_secret_hash(r->arena, token), "verify", au_time_now(),
		    &t);
		if (rc == AU_ENOTFOUND)
			return au_login_error_msg(r, v, 400,
			    "invalidLinkTitle", "linkInvalid");
		if (rc != AU_OK)
			return au_resp_unavailable(r), AU_OK;
		csrf = au_login_csrf_token(r);
		view = au_login_view(r, v, NULL, "confirmEmailTitle");
		au_view_set(view, "Verify.Email", t->email);
		au_view_set(view, "Verify.Action", au_arena_printf(r->arena,
		    "/realms/%s/login-actions/verify-email", v->realm.realm_id));
		au_view_set(view, "Verify.Token", token);
		au_view_set(view, "Login.Csrf", csrf);
		return au_login_send(r, v, view, "login/email_action.cs", 200,
		    csrf, NULL);
	}
	rc = au_store_action_take(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), "verify", au_time_now(), &t);
	if (rc == AU_OK)
		rc = au_store_user_find(db, r->arena, v->realm.id, t->user_id,
		    &u);
	if (rc == AU_OK && (u->email == NULL || t->email == NULL ||
	    strcmp(u->email, t->email) != 0))
		rc = AU_ENOTFOUND;  /* the address changed since */
	if (rc == AU_ENOTFOUND)
		return au_login_error_msg(r, v, 400, "invalidLinkTitle",
		    "linkInvalid");
	if (rc == AU_OK && !u->email_verified) {
		u->email_verified = true;
		rc = au_store_action_email_verified(db, v->realm.id, u->id,
		    t->email, au_time_now());
		if (rc == AU_OK)
			event(r, v, db, "email.verified", u->id, NULL);
	}
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return continue_or_message(r, v, t->authreq, u, "emailVerifiedSignIn",
	    "emailVerifiedTitle", "emailVerifiedReturn");
}

/* ---------------------------------------------------- password reset */

static int
forgot_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, int status, bool sent, const char *message)
{
	const char *sealed = au_authreq_seal(r, v, q);
	struct au_view *view;

	if (sealed == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, q->client_id, "forgotTitle");
	au_view_set(view, "Forgot.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/reset-credentials", v->realm.realm_id));
	au_view_set(view, "Forgot.Sent", sent ? "1" : NULL);
	au_view_set(view, "Forgot.Message", message);
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	return au_login_send(r, v, view, "login/forgot_password.cs", status,
	    q->csrf, q->redirect_uri);
}

int
au_login_reset_credentials(struct au_req *r)
{
	const struct au_realm_view *v;
	const char *name;
	struct au_authreq q;
	struct au_user *u = NULL;
	struct au_db *db;
	int rc;

	if (request_or_respond(r, &v, &q) != AU_OK)
		return AU_OK;
	if (q.device != NULL ||
	    !au_login_branding_flag(r, v, q.client_id, "forgotPassword"))
		return au_login_error_msg(r, v, 404, "notFoundTitle",
		    "resetUnavailable");
	name = au_req_form(r, "username");
	if (name == NULL || strcmp(r->method, "GET") == 0)
		return forgot_page(r, v, &q, 200, false, NULL);
	if (*name == '\0' || strlen(name) > MAX_FIELD)
		return forgot_page(r, v, &q, 400, false, au_login_msg(r, v,
		    "forgotEnterName"));
	if (db_or_unavailable(r, &db) != AU_OK)
		return AU_OK;
	if (!within_limit(r, v, db, au_arena_printf(r->arena, "reset-ip:%s",
	    r->remote_addr), RESET_IP_WINDOW, RESET_IP_MAX))
		return forgot_page(r, v, &q, 429, false, au_login_msg(r, v,
		    "forgotTooMany"));
	/* From here on the answer is the same whether or not an account
	 * matches: only the mail differs. */
	name = au_user_lower(r->arena, name);
	rc = au_store_user_find_by_username(db, r->arena, v->realm.id, name,
	    &u);
	if (rc == AU_ENOTFOUND && strchr(name, '@') != NULL)
		rc = au_store_user_find_by_email(db, r->arena, v->realm.id,
		    name, &u);
	if (rc == AU_OK && u->enabled && !u->locked_permanently &&
	    u->email != NULL && *u->email != '\0' && within_limit(r, v, db,
	    au_arena_printf(r->arena, "reset:%s", u->id),
	    RESET_ACCOUNT_WINDOW, 1)) {
		if (send_link(r, v, db, q.client_id, u, u->email, "reset",
		    au_authreq_seal(r, v, &q), "reset-password",
		    "reset_password", "mailResetSubject") == AU_OK)
			event(r, v, db, "password.reset.sent", u->id,
			    q.client_id);
		else
			au_log_warn("user %s: reset mail not sent", u->id);
	} else if (rc != AU_OK && rc != AU_ENOTFOUND)
		au_log_warn("reset: user lookup failed");
	return forgot_page(r, v, &q, 200, true, NULL);
}

/* The page choosing a new password, with what was wrong with the last
 * one (n problems). */
static int
reset_page(struct au_req *r, const struct au_realm_view *v,
    const char *token, int status, const char *const *problems, int n)
{
	const char *csrf = au_login_csrf_token(r);
	struct au_view *view = au_login_view(r, v, NULL,
	    "chooseNewPasswordTitle");

	au_view_set(view, "Password.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/reset-password", v->realm.realm_id));
	au_view_set(view, "Password.Token", token);
	au_login_view_problems(view, problems, n);
	au_view_set(view, "Login.Csrf", csrf);
	return au_login_send(r, v, view, "login/reset_password.cs", status,
	    csrf, NULL);
}

int
au_login_reset_password(struct au_req *r)
{
	const struct au_realm_view *v;
	const char *token, *pw, *again, *phc, *hash, **problems;
	struct au_action *t;
	struct au_user *u;
	struct au_db *db;
	int64_t now = au_time_now();
	int rc, n;

	if (link_or_respond(r, &v, &token, &db) != AU_OK)
		return AU_OK;
	hash = au_secret_hash(r->arena, token);
	/* look first, spend only with an acceptable password */
	rc = au_store_action_find(db, r->arena, v->realm.id, hash, "reset",
	    now, &t);
	if (rc == AU_OK)
		rc = au_store_user_find(db, r->arena, v->realm.id, t->user_id,
		    &u);
	if (rc == AU_OK && (!u->enabled || u->locked_permanently))
		rc = AU_ENOTFOUND;
	if (rc == AU_ENOTFOUND)
		return au_login_error_msg(r, v, 400, "invalidLinkTitle",
		    "linkInvalid");
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	if (strcmp(r->method, "POST") != 0)
		return reset_page(r, v, token, 200, NULL, 0);
	pw = au_req_form(r, "password-new");
	again = au_req_form(r, "password-confirm");
	if ((n = au_login_new_password_problems(r, v, u, pw, again,
	    &problems)) > 0)
		return reset_page(r, v, token, 400, problems, n);
	if ((phc = au_login_password_hash(r, v, pw)) == NULL)
		return au_login_error_msg(r, v, 500, "internalErrorTitle",
		    "passwordNotStored");
	rc = au_store_action_take(db, r->arena, v->realm.id, hash, "reset",
	    now, &t);
	if (rc == AU_ENOTFOUND)
		return au_login_error_msg(r, v, 400, "invalidLinkTitle",
		    "linkInvalid");
	if (rc == AU_OK)
		rc = au_store_user_set_password(db, v->realm.id, u->id, phc,
		    au_str_words_without(r->arena, u->required_actions,
		    "UPDATE_PASSWORD"));
	if (rc == AU_OK)
		rc = au_store_user_end_sessions(db, u->id, now, NULL);
	if (rc == AU_OK && au_store_action_spend_all(db, u->id, "reset",
	    now) != AU_OK)
		au_log_warn("user %s: other reset links not spent", u->id);
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	event(r, v, db, "password.reset", u->id, NULL);
	return continue_or_message(r, v, t->authreq, u, "passwordChangedSignIn",
	    "passwordChangedTitle", "passwordChangedReturn");
}

/* ---------------------------------------------------- registration */

/* The registration form, with a message (may be NULL), the rules the
 * last attempt broke (n of them) and the fields to prefill (may be
 * NULL). */
static int
register_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, int status, const char *message,
    const char *const *problems, int n, const char *username,
    const char *email)
{
	const char *sealed = au_authreq_seal(r, v, q);
	struct au_view *view;

	if (sealed == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, q->client_id, "registerTitle");
	au_view_set(view, "Register.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/registration", v->realm.realm_id));
	au_view_set(view, "Register.Message", message);
	au_login_view_problems(view, problems, n);
	au_view_set(view, "Register.Username", username);
	au_view_set(view, "Register.Email", email);
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	return au_login_send(r, v, view, "login/register.cs", status, q->csrf,
	    q->redirect_uri);
}

/* The account the registration form describes, into *u, or the form
 * again with what is wrong (then not AU_OK). */
static int
new_account(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const char *username, const char *email,
    const char *pw, struct au_user *u)
{
	const char **problems, **pwp;
	struct au_violation *viol;
	struct au_policies pol;
	struct au_db *db;
	int i, n, npw;

	if (username == NULL || email == NULL)
		return register_page(r, v, q, 400, au_login_msg(r, v,
		    "registerEnterAll"), NULL, 0, username, email), AU_EINVAL;
	if (strlen(username) > MAX_FIELD || !au_utf8_valid(username,
	    strlen(username)) || au_user_name_problem(username) != NULL)
		return register_page(r, v, q, 400, au_login_msg(r, v,
		    "registerBadUsername"), NULL, 0, NULL, email), AU_EINVAL;
	if (strlen(email) > 320 || au_user_email_problem(email) != NULL)
		return register_page(r, v, q, 400, au_login_msg(r, v,
		    "registerBadEmail"), NULL, 0, username, NULL), AU_EINVAL;
	memset(u, 0, sizeof(*u));
	u->realm_uuid = v->realm.id;
	u->username = au_user_lower(r->arena, username);
	u->email = au_user_lower(r->arena, email);
	u->first_name = u->last_name = u->required_actions = "";
	u->enabled = true;
	/* the realm's username rules, as the admin API applies them */
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_settings_policies(db, r->arena, v->realm.id, &pol,
	    NULL) != AU_OK)
		return au_resp_unavailable(r), AU_EDB;
	/* every rule broken, the username's and the password's, at once */
	n = au_policy_username_check(r->arena, &pol.username, u->username,
	    u->email, &viol);
	npw = au_login_new_password_problems(r, v, u, pw,
	    au_req_form(r, "password-confirm"), &pwp);
	if (n + npw == 0)
		return AU_OK;
	problems = au_arena_calloc(r->arena, sizeof(*problems) *
	    (size_t)(n + npw));
	for (i = 0; i < n; i++)
		problems[i] = au_login_violation(r, v, "un", &viol[i]);
	for (i = 0; i < npw; i++)
		problems[n + i] = pwp[i];
	return register_page(r, v, q, 400, NULL, problems, n + npw,
	    n > 0 ? NULL : username, email), AU_EINVAL;
}

int
au_login_registration(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *username, *email, *pw, *phc, *dup = NULL;
	struct au_authreq q;
	struct au_session s;
	struct au_user u;
	struct au_db *db;
	int rc;

	if (request_or_respond(r, &v, &q) != AU_OK)
		return AU_OK;
	if (q.device != NULL ||
	    !au_login_branding_flag(r, v, q.client_id, "registrationAllowed"))
		return au_login_error_msg(r, v, 404, "notFoundTitle",
		    "registrationUnavailable");
	if (strcmp(r->method, "GET") == 0 ||
	    au_req_form(r, "submitted") == NULL)
		return register_page(r, v, &q, 200, NULL, NULL, 0, NULL, NULL);
	username = au_req_form(r, "username");
	email = au_req_form(r, "email");
	pw = au_req_form(r, "password-new");
	if (new_account(r, v, &q, username, email, pw, &u) != AU_OK)
		return AU_OK;
	if (db_or_unavailable(r, &db) != AU_OK)
		return AU_OK;
	if (au_realm_client(r, v, q.client_id, &cc) != AU_OK ||
	    !cc->c.enabled)
		return au_login_error_msg(r, v, 400, "unknownClientTitle",
		    "unknownClient");
	if (!within_limit(r, v, db, au_arena_printf(r->arena, "register:%s",
	    r->remote_addr), REGISTER_IP_WINDOW, REGISTER_IP_MAX))
		return register_page(r, v, &q, 429, au_login_msg(r, v,
		    "registerTooMany"), NULL, 0, username, email);
	if ((phc = au_login_password_hash(r, v, pw)) == NULL)
		return au_login_error_msg(r, v, 500, "internalErrorTitle",
		    "passwordNotStored");
	rc = au_store_user_insert_with_password(db, r->arena, &u, phc, &dup);
	if (rc == AU_EDUP)
		return register_page(r, v, &q, 409, au_login_msg(r, v,
		    dup != NULL && strcmp(dup, "email") == 0 ?
		    "registerEmailTaken" : "registerUsernameTaken"), NULL, 0,
		    dup != NULL && strcmp(dup, "email") == 0 ? username : NULL,
		    email);
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	event(r, v, db, "user.register", u.id, q.client_id);
	if (au_login_email_verification_required(r, v))
		return au_login_verify_email_page(r, v, &q, &u, true);
	if (au_login_start_session(r, v, db, &u, false, &s) != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return au_login_continue(r, v, &q, cc, &s);
}
