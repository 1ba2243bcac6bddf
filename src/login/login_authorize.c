/* login_authorize.c — the authorization endpoint (see login_authorize.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_seal.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "login/login_authenticate.h"
#include "login/login_authorize.h"
#include "login/login_error.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_id_token_hint.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_scope.h"
#include "store/store_login.h"
#include "store/store_settings.h"
#include "view/view.h"

#define MAX_NONCE 512
#define MAX_STATE 2000

/* ------------------------------------------------------------ helpers */

const char *
au_login_lang(struct au_req *r, const char *ui_locales)
{
	char lang[AU_LANG_MAX + 1];

	if (!au_msg_lang(r->cfg->templates_dir, ui_locales, lang))
		return NULL;
	return au_arena_strdup(r->arena, lang);
}

/* A request parameter: the query for GET, the form body for POST. */
static const char *
param(struct au_req *r, const char *name)
{
	const char *s = strcmp(r->method, "POST") == 0 ? au_req_form(r, name) :
	    au_req_query(r, name);

	return s != NULL && *s != '\0' ? s : NULL;
}

/* RFC 7636 §4.2: 43 to 128 characters of [A-Za-z0-9-._~]. */
static bool
challenge_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 43 || n > 128)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~'))
			return false;
	}
	return true;
}

void
au_login_put_str(struct json_object *o, const char *k, const char *s)
{
	if (s != NULL)
		json_object_object_add(o, k, json_object_new_string(s));
}

const char *
au_login_get_str(struct au_req *r, struct json_object *o, const char *k)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, k, &x) ||
	    !json_object_is_type(x, json_type_string))
		return NULL;
	return au_arena_strdup(r->arena, json_object_get_string(x));
}

/* The associated data binding a sealed form to its realm and purpose. */
static char *
seal_aad(struct au_req *r, const struct au_realm_view *v,
    const char *purpose)
{
	return au_arena_printf(r->arena, "authio-%s:%s", purpose, v->realm.id);
}

char *
au_login_seal(struct au_req *r, const struct au_realm_view *v,
    const char *purpose, struct json_object *o)
{
	const char *text;
	unsigned char *blob;
	size_t n;

	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if (au_seal(r->arena, au_req_ctx(r)->master_key, text, strlen(text),
	    seal_aad(r, v, purpose), &blob, &n) != AU_OK)
		return NULL;
	return au_b64url_encode(r->arena, blob, n);
}

struct json_object *
au_login_unseal(struct au_req *r, const struct au_realm_view *v,
    const char *purpose, const char *blob)
{
	unsigned char *raw, *plain;
	size_t n, pn;

	if (blob == NULL || au_b64url_decode(r->arena, blob, strlen(blob), &raw,
	    &n) != AU_OK || au_unseal(r->arena, au_req_ctx(r)->master_key, raw,
	    n, seal_aad(r, v, purpose), &plain, &pn) != AU_OK)
		return NULL;
	return json_tokener_parse(au_arena_strndup(r->arena, (char *)plain,
	    pn));
}

char *
au_authreq_seal(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q)
{
	struct json_object *o = json_object_new_object();
	char *out;

	au_login_put_str(o, "c", q->client_id);
	au_login_put_str(o, "r", q->redirect_uri);
	au_login_put_str(o, "s", q->scope);
	au_login_put_str(o, "st", q->state);
	au_login_put_str(o, "n", q->nonce);
	au_login_put_str(o, "cc", q->code_challenge);
	au_login_put_str(o, "res", q->resource);
	au_login_put_str(o, "m", q->response_mode);
	au_login_put_str(o, "p", q->prompt);
	au_login_put_str(o, "x", q->csrf);
	au_login_put_str(o, "d", q->device);
	au_login_put_str(o, "l", q->lang);
	au_login_put_str(o, "pu", q->pending_user);
	if (q->remember)
		json_object_object_add(o, "rm", json_object_new_boolean(1));
	json_object_object_add(o, "ma", json_object_new_int64(q->max_age));
	json_object_object_add(o, "e", json_object_new_int64(q->expires_at));
	out = au_login_seal(r, v, "authreq", o);
	json_object_put(o);
	return out;
}

int
au_authreq_open(struct au_req *r, const struct au_realm_view *v,
    const char *blob, struct au_authreq *q)
{
	struct json_object *o, *x;
	int rc = AU_EDENIED;

	memset(q, 0, sizeof(*q));
	if ((o = au_login_unseal(r, v, "authreq", blob)) == NULL)
		return AU_EDENIED;
	q->client_id = au_login_get_str(r, o, "c");
	q->redirect_uri = au_login_get_str(r, o, "r");
	q->scope = au_login_get_str(r, o, "s");
	q->state = au_login_get_str(r, o, "st");
	q->nonce = au_login_get_str(r, o, "n");
	q->code_challenge = au_login_get_str(r, o, "cc");
	q->resource = au_login_get_str(r, o, "res");
	q->response_mode = au_login_get_str(r, o, "m");
	q->prompt = au_login_get_str(r, o, "p");
	q->csrf = au_login_get_str(r, o, "x");
	q->device = au_login_get_str(r, o, "d");
	q->lang = au_login_get_str(r, o, "l");
	q->pending_user = au_login_get_str(r, o, "pu");
	q->remember = json_object_object_get_ex(o, "rm", &x) &&
	    json_object_get_boolean(x);
	q->max_age = json_object_object_get_ex(o, "ma", &x) ?
	    json_object_get_int64(x) : -1;
	q->expires_at = json_object_object_get_ex(o, "e", &x) ?
	    json_object_get_int64(x) : 0;
	json_object_put(o);
	/* even an expired form says so in the user's language */
	au_login_set_lang(r, v, q->client_id, q->lang);
	if (q->client_id != NULL && q->redirect_uri != NULL &&
	    q->scope != NULL && q->response_mode != NULL && q->csrf != NULL &&
	    q->expires_at > au_time_now())
		rc = AU_OK;
	return rc;
}

/* ------------------------------------------------------------ responses */

/* The form_post response mode (OAuth 2.0 Form Post Response Mode): a page
 * that posts the pairs to the redirect URI, by itself when scripts run
 * and through its visible button when they don't. */
static int
form_post(struct au_req *r, const char *action, const char *const *pairs)
{
	struct au_view *v = au_view_new(r->arena, r->cfg->templates_dir);
	struct au_buf out;
	char name[64];
	int i, rc;

	au_view_set_lang(v, r->lang);
	au_view_set(v, "Page.Title", au_view_msg(v, "continue"));
	au_view_set(v, "Page.RequestId", r->request_id);
	au_view_set(v, "Post.Action", action);
	for (i = 0; pairs[2 * i] != NULL; i++) {
		if (pairs[2 * i + 1] == NULL)
			continue;
		snprintf(name, sizeof(name), "Post.Fields.%d.Name", i);
		au_view_set(v, name, pairs[2 * i]);
		snprintf(name, sizeof(name), "Post.Fields.%d.Value", i);
		au_view_set(v, name, pairs[2 * i + 1]);
	}
	au_buf_init(&out, r->arena, 2048);
	rc = au_view_render(v, "login/form_post.cs", &out);
	if (rc != AU_OK)
		return rc;
	rc = au_resp_html(r, 200, out.p, out.len);
	/* the page posts to the client's origin; the script is inline */
	au_resp_set_header(r, "Content-Security-Policy", "default-src 'none'; "
	    "script-src 'sha256-8lDeP0UDwCO6/RhblgeH/ctdBzjVpJxrXizsnIk3cEQ='; "
	    "style-src 'self'; frame-ancestors 'none'; base-uri 'none'");
	au_resp_set_header(r, "Cache-Control", "no-store");
	return rc;
}

int
au_authorize_respond(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const char *const *pairs)
{
	const char *all[24];
	char *url;
	int i, n = 0;

	for (i = 0; pairs != NULL && pairs[i] != NULL && n < 16; i += 2) {
		all[n++] = pairs[i];
		all[n++] = pairs[i + 1];
	}
	all[n++] = "state";
	all[n++] = q->state;
	all[n++] = "iss";
	all[n++] = v->issuer;
	all[n] = NULL;
	if (q->response_mode != NULL && strcmp(q->response_mode, "form_post") == 0)
		return form_post(r, q->redirect_uri, all);
	url = au_url_build(r->arena, q->redirect_uri, all);
	if (url == NULL)
		return au_login_error_page(r, 400, "Invalid redirect URI",
		    "The client's redirect URI cannot be used.");
	au_resp_set_header(r, "Cache-Control", "no-store");
	return au_resp_redirect(r, 302, url);
}

int
au_authorize_error(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const char *error, const char *description)
{
	const char *pairs[] = { "error", error, "error_description",
		description, NULL };

	return au_authorize_respond(r, v, q, pairs);
}

/* --------------------------------------------------------- login page */

/* The realm's branding document with the members client_id's branding
 * overrides (client_id may be NULL), parsed (owned by the caller), or
 * NULL. */
static struct json_object *
branding(struct au_req *r, const struct au_realm_view *v,
    const char *client_id)
{
	const struct au_cached_client *cc;
	struct json_object *doc, *over;
	struct au_db *db;
	char *text;
	long long version;

	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_settings_get(db, r->arena, v->realm.id, "branding", &text,
	    &version) != AU_OK || (doc = json_tokener_parse(text)) == NULL)
		return NULL;
	if (client_id == NULL || au_realm_client(r, v, client_id, &cc) != AU_OK ||
	    cc->c.branding == NULL ||
	    (over = json_tokener_parse(cc->c.branding)) == NULL)
		return doc;
	json_object_object_foreach(over, key, val)
		json_object_object_add(doc, key, json_object_get(val));
	json_object_put(over);
	return doc;
}

static const char *
doc_str(struct au_req *r, struct json_object *doc, const char *path)
{
	struct json_object *x = doc != NULL ? au_settings_at(doc, path) : NULL;
	const char *s;

	if (x == NULL || !json_object_is_type(x, json_type_string))
		return NULL;
	s = json_object_get_string(x);
	return *s != '\0' ? au_arena_strdup(r->arena, s) : NULL;
}

static bool
doc_bool(struct json_object *doc, const char *path)
{
	struct json_object *x = doc != NULL ? au_settings_at(doc, path) : NULL;

	return x != NULL && json_object_is_type(x, json_type_boolean) &&
	    json_object_get_boolean(x);
}

/* The CSP source of a redirect URI: scheme://authority, or scheme: for a
 * private-use scheme; "" when it holds anything a source expression may
 * not (then only 'self' is allowed). */
static const char *
origin_of(struct au_req *r, const char *uri)
{
	const char *colon = strchr(uri, ':');
	size_t n, i;

	if (colon == NULL)
		return "";
	if (strncmp(colon, "://", 3) == 0)
		n = (size_t)(colon + 3 - uri) + strcspn(colon + 3, "/?");
	else
		n = (size_t)(colon - uri + 1);
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-+:/[]", uri[i]) == NULL)
			return "";
	return au_arena_strndup(r->arena, uri, n);
}

/* The CSRF cookie for the realm's path. */
static void
set_csrf_cookie(struct au_req *r, const struct au_realm_view *v,
    const char *token)
{
	au_resp_header(r, "Set-Cookie", au_arena_printf(r->arena,
	    "%s=%s; Path=/realms/%s/; HttpOnly; SameSite=Lax%s",
	    AU_CSRF_COOKIE, token, v->realm.realm_id,
	    r->https ? "; Secure" : ""));
}

/* The stylesheet of the branding document's colours and background
 * (the client's when it overrides any of them), or NULL for none. */
static const char *
theme_url(struct au_req *r, const struct au_realm_view *v,
    struct json_object *doc, const char *client_id)
{
	const struct au_cached_client *cc;

	if (doc_str(r, doc, "primaryColor") == NULL &&
	    doc_str(r, doc, "backgroundColor") == NULL &&
	    doc_str(r, doc, "backgroundUrl") == NULL)
		return NULL;
	if (client_id != NULL && au_realm_client(r, v, client_id, &cc) ==
	    AU_OK && cc->c.branding != NULL)
		return au_arena_printf(r->arena,
		    "/realms/%s/login-resources/theme.css?client_id=%s",
		    v->realm.realm_id, au_url_encode(r->arena, client_id));
	return au_arena_printf(r->arena, "/realms/%s/login-resources/theme.css",
	    v->realm.realm_id);
}

void
au_login_set_lang(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *lang)
{
	char pick[AU_LANG_MAX + 1];
	struct json_object *doc;

	if (lang != NULL && au_msg_lang(r->cfg->templates_dir, lang, pick)) {
		r->lang = au_arena_strdup(r->arena, pick);
		return;
	}
	doc = branding(r, v, client_id);
	r->lang = au_msg_lang(r->cfg->templates_dir, doc_str(r, doc,
	    "locale"), pick) ? au_arena_strdup(r->arena, pick) : "en";
	json_object_put(doc);
}

const char *
au_login_msg(struct au_req *r, const struct au_realm_view *v,
    const char *key)
{
	if (r->lang == NULL)
		au_login_set_lang(r, v, NULL, NULL);
	return au_msg(r->cfg->templates_dir, r->lang, key);
}

char *
au_login_msgf(struct au_req *r, const struct au_realm_view *v,
    const char *key, long n, ...)
{
	const char *args[8];
	va_list ap;
	int i = 0;

	if (r->lang == NULL)
		au_login_set_lang(r, v, NULL, NULL);
	va_start(ap, n);
	while (i < 7 && (args[i] = va_arg(ap, const char *)) != NULL)
		i++;
	va_end(ap);
	args[i] = NULL;
	return au_msg_fmt(r->arena, r->cfg->templates_dir, r->lang, key, n,
	    args);
}

int
au_login_error_msg(struct au_req *r, const struct au_realm_view *v,
    int status, const char *title, const char *detail)
{
	char *keys = au_arena_strdup(r->arena, detail), *k, *save = NULL;
	struct au_buf text;

	au_buf_init(&text, r->arena, 256);
	for (k = strtok_r(keys, " ", &save); k != NULL;
	    k = strtok_r(NULL, " ", &save)) {
		if (text.len > 0)
			au_buf_addc(&text, ' ');
		au_buf_adds(&text, au_login_msg(r, v, k));
	}
	return au_login_error_page(r, status, au_login_msg(r, v, title),
	    text.p);
}

bool
au_login_branding_flag(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *name)
{
	struct json_object *doc = branding(r, v, client_id);
	bool on = doc_bool(doc, name);

	json_object_put(doc);
	return on;
}

struct au_view *
au_login_view(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const char *title)
{
	struct au_view *view = au_view_new(r->arena, r->cfg->templates_dir);
	struct json_object *doc = branding(r, v, client_id);
	const struct au_cached_client *cc;
	const char *brand = doc_str(r, doc, "title");

	if (brand == NULL)
		brand = v->realm.name;
	if (r->lang == NULL)
		au_login_set_lang(r, v, client_id, NULL);
	au_view_set_lang(view, r->lang);
	au_view_set(view, "Page.Title", title != NULL ? au_view_msg(view,
	    title) : brand);
	au_view_set(view, "Page.Realm", v->realm.name);
	au_view_set(view, "Page.RequestId", r->request_id);
	au_view_set(view, "Page.Theme", theme_url(r, v, doc, client_id));
	au_view_set(view, "Brand.Title", brand);
	au_view_set(view, "Brand.Subtitle", doc_str(r, doc, "subtitle"));
	au_view_set(view, "Brand.Logo", doc_str(r, doc, "logoUrl"));
	/* for mail (login_email.c), whose HTML cannot load theme.css */
	au_view_set(view, "Brand.PrimaryColor", doc_str(r, doc, "primaryColor"));
	au_view_set(view, "Brand.BackgroundColor", doc_str(r, doc,
	    "backgroundColor"));
	au_view_set(view, "Brand.RememberMe", doc_bool(doc, "rememberMe") ?
	    "1" : NULL);
	if (client_id != NULL) {
		au_view_set(view, "Client.Name", au_realm_client(r, v, client_id,
		    &cc) == AU_OK && cc->c.name != NULL && *cc->c.name != '\0' ?
		    cc->c.name : client_id);
		au_view_set(view, "Client.Id", client_id);
	}
	json_object_put(doc);
	return view;
}

void
au_login_view_problems(struct au_view *view, const char *const *items, int n)
{
	char name[32];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Problems.%d", i);
		au_view_set(view, name, items[i]);
	}
}

int
au_login_send(struct au_req *r, const struct au_realm_view *v,
    struct au_view *view, const char *template, int status, const char *csrf,
    const char *redirect_uri)
{
	const char *origin;
	struct au_buf out;
	int rc;

	au_buf_init(&out, r->arena, 4096);
	rc = au_view_render(view, template, &out);
	if (rc != AU_OK)
		return rc;
	if (csrf != NULL)
		set_csrf_cookie(r, v, csrf);
	rc = au_resp_html(r, status, out.p, out.len);
	/* forms post here, and the answer may redirect to the client:
	 * browsers apply form-action to that redirect as well */
	origin = redirect_uri != NULL ? origin_of(r, redirect_uri) : "";
	au_resp_set_header(r, "Content-Security-Policy", au_arena_printf(
	    r->arena, "default-src 'self'; img-src 'self' https:; "
	    "frame-ancestors 'none'; form-action 'self'%s%s; base-uri 'none'",
	    *origin != '\0' ? " " : "", origin));
	au_resp_set_header(r, "Cache-Control", "no-store");
	return rc;
}

int
au_login_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, int status, const char *message,
    const char *username)
{
	const char *sealed = au_authreq_seal(r, v, q);
	struct au_view *view;

	if (sealed == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, q->client_id, NULL);
	au_view_set(view, "Login.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/authenticate", v->realm.realm_id));
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	au_view_set(view, "Login.Username", username);
	au_view_set(view, "Login.Message", message);
	/* the links to login_email.c's pages, by the branding's behaviour */
	if (q->device == NULL && au_login_branding_flag(r, v, q->client_id,
	    "forgotPassword"))
		au_view_set(view, "Login.ForgotAction", au_arena_printf(r->arena,
		    "/realms/%s/login-actions/reset-credentials",
		    v->realm.realm_id));
	if (q->device == NULL && au_login_branding_flag(r, v, q->client_id,
	    "registrationAllowed"))
		au_view_set(view, "Login.RegisterAction", au_arena_printf(
		    r->arena, "/realms/%s/login-actions/registration",
		    v->realm.realm_id));
	return au_login_send(r, v, view, "login/login.cs", status, q->csrf,
	    q->redirect_uri);
}

int
au_consent_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc)
{
	const char *sealed = au_authreq_seal(r, v, q);
	char *copy, *tok, *save = NULL, name[48];
	struct au_view *view;
	int i = 0;

	if (sealed == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, cc->c.client_id, "allowAccessTitle");
	au_view_set(view, "Consent.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/consent", v->realm.realm_id));
	copy = au_arena_strdup(r->arena, q->scope);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		snprintf(name, sizeof(name), "Consent.Scopes.%d", i++);
		au_view_set(view, name, tok);
	}
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	return au_login_send(r, v, view, "login/consent.cs", 200, q->csrf,
	    q->redirect_uri);
}

/* #rgb or #rrggbb, as the branding document's check enforces; anything
 * else is left out rather than written into a stylesheet. */
static bool
colour_ok(const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if ((n != 4 && n != 7) || s[0] != '#')
		return false;
	for (i = 1; i < n; i++)
		if (au_hex_digit((unsigned char)s[i]) < 0)
			return false;
	return true;
}

/* A URL the branding check let through (https: or /static/) that is
 * also safe inside a quoted CSS url(): nothing that could end it. */
static bool
css_url_ok(const char *s)
{
	if (s == NULL)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '\\' ||
		    *s == '\'' || *s == '(' || *s == ')' || *s == '<' ||
		    (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

int
au_login_theme_css(struct au_req *r)
{
	const struct au_realm_view *v;
	struct json_object *doc;
	const char *primary, *bg, *image;
	struct au_buf out;

	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	doc = branding(r, v, au_req_query(r, "client_id"));
	primary = doc_str(r, doc, "primaryColor");
	bg = doc_str(r, doc, "backgroundColor");
	image = doc_str(r, doc, "backgroundUrl");
	json_object_put(doc);
	au_buf_init(&out, r->arena, 128);
	au_buf_adds(&out, ":root {");
	if (colour_ok(primary))
		au_buf_printf(&out, " --brand: %s;", primary);
	if (colour_ok(bg))
		au_buf_printf(&out, " --bg: %s;", bg);
	au_buf_adds(&out, " }\n");
	if (css_url_ok(image))
		au_buf_printf(&out, "body { background-image: url(\"%s\"); "
		    "background-size: cover; background-position: center; }\n",
		    image);
	au_resp_set_header(r, "Cache-Control", au_arena_printf(r->arena,
	    "public, max-age=%d", r->cfg->metadata_max_age));
	return au_resp_text(r, 200, "text/css; charset=utf-8", out.p, out.len);
}

/* --------------------------------------------------------- /authorize */

/* Stage one: the client and where to send the answer.  AU_OK with *cc
 * and q->redirect_uri; otherwise the error page has been written. */
static int
client_and_redirect(struct au_req *r, const struct au_realm_view *v,
    struct au_authreq *q, const struct au_cached_client **cc)
{
	const char *client_id = param(r, "client_id");
	const char *uri = param(r, "redirect_uri");
	char **uris;
	int i, n, rc;

	if (client_id == NULL)
		return au_login_error_page(r, 400, "Invalid request",
		    "The request names no client (client_id)."), AU_EINVAL;
	rc = au_realm_client(r, v, client_id, cc);
	if (rc == AU_EDB)
		return au_resp_unavailable(r), rc;
	if (rc != AU_OK || !(*cc)->c.enabled)
		return au_login_error_page(r, 400, "Unknown client",
		    "The application that sent you here is not known to this "
		    "realm."), AU_EINVAL;
	uris = (*cc)->c.lists[AU_CL_REDIRECT];
	n = (*cc)->c.nlists[AU_CL_REDIRECT];
	if (uri == NULL) {
		if (n != 1)
			return au_login_error_page(r, 400, "Invalid request",
			    "The request names no redirect_uri."), AU_EINVAL;
		uri = uris[0];
	} else {
		for (i = 0; i < n; i++)
			if (strcmp(uris[i], uri) == 0)
				break;
		if (i == n)
			return au_login_error_page(r, 400,
			    "Invalid redirect URI", "The redirect_uri is not "
			    "registered for this application."), AU_EINVAL;
	}
	q->client_id = (*cc)->c.client_id;
	q->redirect_uri = uri;
	return AU_OK;
}

/* Stage two: everything else; on failure *error and *why are set. */
static int
check_request(struct au_req *r, const struct au_cached_client *cc,
    struct au_authreq *q, const char **error, const char **why)
{
	const char *rt = param(r, "response_type");
	const char *mode = param(r, "response_mode");
	const char *challenge = param(r, "code_challenge");
	const char *method = param(r, "code_challenge_method");
	const char *max_age = param(r, "max_age");
	const char *bad = NULL;

	*error = "invalid_request";
	if (param(r, "request") != NULL) {
		*error = "request_not_supported";
		*why = "Request objects are not supported.";
		return AU_EINVAL;
	}
	if (param(r, "request_uri") != NULL) {
		*error = "request_uri_not_supported";
		*why = "request_uri is not supported.";
		return AU_EINVAL;
	}
	if (mode != NULL && strcmp(mode, "query") != 0 &&
	    strcmp(mode, "form_post") != 0) {
		*why = "response_mode must be query or form_post.";
		return AU_EINVAL;
	}
	q->response_mode = mode != NULL ? mode : "query";
	if (rt == NULL) {
		*why = "response_type is required.";
		return AU_EINVAL;
	}
	if (strcmp(rt, "code") != 0) {
		*error = "unsupported_response_type";
		*why = "Only response_type=code is supported.";
		return AU_EINVAL;
	}
	if (!au_str_has_word(cc->c.grant_types, "authorization_code")) {
		*error = "unauthorized_client";
		*why = "This client may not use the authorization code flow.";
		return AU_EINVAL;
	}
	if (q->state != NULL && strlen(q->state) > MAX_STATE) {
		*why = "state is too long.";
		q->state = NULL;
		return AU_EINVAL;
	}
	q->nonce = param(r, "nonce");
	if (q->nonce != NULL && strlen(q->nonce) > MAX_NONCE) {
		*why = "nonce is too long.";
		return AU_EINVAL;
	}
	if (method != NULL && strcmp(method, "S256") != 0) {
		*why = "code_challenge_method must be S256.";
		return AU_EINVAL;
	}
	if (challenge != NULL) {
		if (method == NULL) {
			*why = "code_challenge_method must be S256.";
			return AU_EINVAL;
		}
		if (!challenge_valid(challenge)) {
			*why = "code_challenge is malformed.";
			return AU_EINVAL;
		}
	} else if (method != NULL || cc->c.pkce_required ||
	    strcmp(cc->c.type, "public") == 0) {
		*why = "code_challenge (PKCE, S256) is required.";
		return AU_EINVAL;
	}
	q->code_challenge = challenge;
	/* RFC 8707 §2: one of the client's audiences (tokenSettings) */
	q->resource = param(r, "resource");
	if (q->resource != NULL && !au_strv_has(cc->audience, cc->naudience,
	    q->resource)) {
		*error = "invalid_target";
		*why = "resource is not an audience of this client.";
		q->resource = NULL;
		return AU_EINVAL;
	}
	q->scope = au_scope_grant(r, cc, param(r, "scope"), &bad);
	if (q->scope == NULL) {
		*error = "invalid_scope";
		*why = au_arena_printf(r->arena, "Scope '%.100s' is not allowed "
		    "for this client.", bad);
		return AU_EINVAL;
	}
	q->max_age = -1;
	if (max_age != NULL && au_str_to_ll(max_age, 0, 1LL << 40,
	    &q->max_age) != AU_OK) {
		*why = "max_age must be a non-negative integer.";
		return AU_EINVAL;
	}
	q->prompt = param(r, "prompt");
	if (q->prompt != NULL) {
		const char *p = q->prompt;

		if (au_str_has_word(p, "none") && strcmp(p, "none") != 0) {
			*why = "prompt=none cannot be combined.";
			return AU_EINVAL;
		}
		if (!au_str_has_word(p, "none") && !au_str_has_word(p, "login") &&
		    !au_str_has_word(p, "consent") && !au_str_has_word(p, "select_account")) {
			*why = "prompt is not one of none, login, consent.";
			return AU_EINVAL;
		}
	}
	return AU_OK;
}

const char *
au_login_csrf_token(struct au_req *r)
{
	const char *c = au_req_cookie(r, AU_CSRF_COOKIE);

	if (c != NULL && strlen(c) == 43)
		return c;
	return au_rand_token(r->arena, 32);
}

int
au_login_authorize(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	struct au_id_token_hint h;
	struct au_authreq q;
	const char *error, *why, *dup, *hint;

	memset(&q, 0, sizeof(q));
	if (au_oauth_realm_or_respond(r, 0, &v) != AU_OK)
		return AU_OK;
	if (strcmp(r->method, "POST") == 0 && au_req_form_parse(r) != AU_OK)
		return au_login_error_page(r, 400, "Invalid request", r->error);
	if ((dup = au_req_dup_param(r)) != NULL)
		return au_login_error_page(r, 400, "Invalid request",
		    au_arena_printf(r->arena, "Parameter '%.100s' is repeated.",
		    dup));
	if (client_and_redirect(r, v, &q, &cc) != AU_OK)
		return AU_OK;
	q.state = param(r, "state");
	q.response_mode = "query";
	if (check_request(r, cc, &q, &error, &why) != AU_OK)
		return au_authorize_error(r, v, &q, error, why);
	q.csrf = au_login_csrf_token(r);
	q.expires_at = au_time_now() + AU_AUTHREQ_LIFETIME;
	q.lang = au_login_lang(r, param(r, "ui_locales"));
	au_login_set_lang(r, v, q.client_id, q.lang);
	if ((hint = param(r, "id_token_hint")) != NULL &&
	    au_id_token_hint_verify(r, v, hint, &h) != AU_OK)
		return au_authorize_error(r, v, &q, "invalid_request",
		    "id_token_hint is not an ID token of this realm.");
	if (q.prompt == NULL || !au_str_has_word(q.prompt, "login")) {
		struct au_session *s = au_login_session(r, v);

		/* OIDC Core §3.1.2.1: a hint naming another user than the
		 * signed-in one asks for that user's sign-in */
		if (s != NULL && (q.max_age < 0 ||
		    au_time_now() - s->auth_time <= q.max_age) &&
		    (hint == NULL || strcmp(h.sub, s->user_id) == 0))
			return au_login_issue_code(r, v, &q, cc, s, false);
	}
	if (q.prompt != NULL && strcmp(q.prompt, "none") == 0)
		return au_authorize_error(r, v, &q, "login_required",
		    "The user is not signed in.");
	return au_login_page(r, v, &q, 200, NULL, param(r, "login_hint"));
}
