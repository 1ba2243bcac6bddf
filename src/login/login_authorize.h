/* login_authorize.h — /realms/{realm}/authorize and the hosted login page.
 *
 * The authorization request is checked in two stages (RFC 6749 §4.1.2.1):
 * first client_id and redirect_uri — an unknown client or a redirect URI
 * that is not registered byte for byte gets an HTML error page and never a
 * redirect; then every other problem is sent back to the redirect URI with
 * error, error_description, state and iss (RFC 9207).
 *
 * A valid request is carried through the login form as an opaque blob:
 * the request's parameters sealed (AES-256-GCM under the master key, the
 * realm's UUID as associated data) with an expiry and the CSRF token, so
 * the browser can neither read nor alter it.  The CSRF token is also set
 * as a cookie limited to the realm's path (double submit, bound by the
 * seal). */
#ifndef AU_LOGIN_AUTHORIZE_H
#define AU_LOGIN_AUTHORIZE_H

#include <stdint.h>

struct au_req;
struct au_realm_view;

/* An authorization request that passed every check. */
struct au_authreq {
	const char *client_id;
	const char *redirect_uri;
	const char *scope;          /* granted */
	const char *state;          /* may be NULL */
	const char *nonce;          /* may be NULL */
	const char *code_challenge; /* S256 or NULL */
	const char *resource;       /* RFC 8707, or NULL */
	const char *response_mode;  /* "query" | "form_post" */
	const char *prompt;         /* may be NULL */
	const char *csrf;
	const char *lang;           /* from ui_locales (au_login_lang), or NULL */
	const char *device;         /* the user code of a device
	                               authorization being verified
	                               (login_device.h), or NULL */
	const char *pending_user;   /* signed in, but must set a new
	                               password first (its id), or NULL */
	bool remember;              /* with pending_user: asked to be
	                               remembered */
	long long max_age;          /* -1 = absent */
	int64_t expires_at;
};

/* How long a login form stays usable. */
#define AU_AUTHREQ_LIFETIME 1800

/* GET and POST /realms/{realm}/authorize. */
int au_login_authorize(struct au_req *r);

/* GET /realms/{realm}/login-resources/theme.css: the branding
 * document's colours as CSS variables (the pages' CSP allows no inline
 * style). */
int au_login_theme_css(struct au_req *r);

/* The pages speak the language of templates/messages/ (view.h) that the
 * user asked for with ui_locales, else the realm's branding "locale"
 * (the client's, when its branding overrides it), else English.
 *
 * au_login_lang: the first tag of ui_locales with a catalogue (itself or
 * its primary subtag), NULL when none has.  au_login_set_lang chooses
 * r->lang from lang (a tag au_login_lang chose, or NULL) and the
 * branding; opening a sealed request does it for the request's client.
 * au_login_msg is key's text in r->lang (chosen from the realm's
 * branding first if nothing chose yet); au_login_msgf fills in its
 * placeholders from the NULL-terminated strings after n, the count that
 * picks the singular form. */
const char *au_login_lang(struct au_req *r, const char *ui_locales);
void au_login_set_lang(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *lang);
const char *au_login_msg(struct au_req *r, const struct au_realm_view *v,
    const char *key);
char *au_login_msgf(struct au_req *r, const struct au_realm_view *v,
    const char *key, long n, ...);
/* The error page (login_error.h) with the texts of message keys: title,
 * and detail, one key or several separated by spaces ("formExpired
 * startAgain"), their texts joined by spaces. */
int au_login_error_msg(struct au_req *r, const struct au_realm_view *v,
    int status, const char *title, const char *detail);

/* Forms carry what they need sealed (AES-256-GCM under the master key)
 * as opaque base64url text: au_login_seal seals the JSON object o for
 * the realm and a purpose ("authreq", "logout"; a blob sealed for one
 * purpose or realm never opens for another); au_login_unseal opens a
 * blob into a new object (the caller puts it), NULL when it was altered
 * or made for another realm or purpose.  put/get read and write string
 * members (get: a copy in the arena, NULL when absent or not a string). */
struct json_object;
char *au_login_seal(struct au_req *r, const struct au_realm_view *v,
    const char *purpose, struct json_object *o);
struct json_object *au_login_unseal(struct au_req *r,
    const struct au_realm_view *v, const char *purpose, const char *blob);
void au_login_put_str(struct json_object *o, const char *k, const char *s);
const char *au_login_get_str(struct au_req *r, struct json_object *o,
    const char *k);

/* Seals q for the realm into an opaque base64url string. */
char *au_authreq_seal(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q);
/* Opens a sealed request. AU_OK; AU_EDENIED when it was altered, made
 * for another realm, or has expired. */
int au_authreq_open(struct au_req *r, const struct au_realm_view *v,
    const char *blob, struct au_authreq *q);

/* Name of the realm's CSRF cookie. */
#define AU_CSRF_COOKIE "AUTHIO_CSRF"

/* Sends the authorization response (success: code pairs; or an error)
 * to q's redirect URI by q's response mode.  pairs is NULL-terminated
 * name, value, ...; state and iss are added here. */
int au_authorize_respond(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const char *const *pairs);
/* An error redirected to the client (error, error_description). */
int au_authorize_error(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const char *error, const char *description);

/* The hosted pages (templates/login/) share a layout: au_login_view
 * starts a view with the realm's branding — the client's overrides
 * included when client_id is not NULL — as Page.* (Title: title, a
 * message key, or the brand's), Brand.*, Client.Name/Id, and r->lang's
 * messages as Msg.*; the caller adds its own values
 * and au_login_send renders template and sends it with status, no-store,
 * the pages' CSP (forms may post to 'self' and to redirect_uri's origin,
 * which may be NULL) and, when csrf is not NULL, the CSRF cookie. */
struct au_view;
struct au_view *au_login_view(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *title);
int au_login_send(struct au_req *r, const struct au_realm_view *v,
    struct au_view *view, const char *template, int status, const char *csrf,
    const char *redirect_uri);

/* Problems.0 .. Problems.<n-1> of view: what is wrong with a form, one
 * item each (templates/login/problems.cs). */
void au_login_view_problems(struct au_view *view, const char *const *items,
    int n);

/* A boolean member of the branding document as client_id sees it. */
bool au_login_branding_flag(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *name);

/* Renders the login page for q, with an error message (may be NULL) and a
 * username to prefill (may be NULL); status is 200 or 4xx. */
int au_login_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, int status, const char *message,
    const char *username);

/* The consent page for q (client cc): its scopes, Allow and Deny. */
struct au_cached_client;
int au_consent_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc);

/* The browser's CSRF token (its cookie, when it looks like ours) or a
 * fresh one, for a page that sends it with au_login_send(). */
const char *au_login_csrf_token(struct au_req *r);

#endif
