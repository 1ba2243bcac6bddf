/* login_authenticate.c — the login form's POST (see login_authenticate.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_password.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "login/login_authenticate.h"
#include "login/login_authorize.h"
#include "login/login_device.h"
#include "login/login_email.h"
#include "login/login_error.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_realm.h"
#include "view/view.h"
#include "store/store_event.h"
#include "store/store_login.h"
#include "store/store_policy.h"
#include "store/store_settings.h"
#include "store/store_user.h"

#define MAX_USERNAME 255
#define MAX_PASSWORD 1024

/* A hash at cost ln verified when there is no user or no password (or
 * the address is blocked), so that an unknown username costs what a
 * wrong password costs at the realm's cost.  One per cost and worker,
 * made on first use. */
static const char *
dummy_hash(int ln)
{
	static char *phc[AU_PASSWORD_MAX_LN + 1];
	struct au_arena *a;

	if (ln < AU_PASSWORD_MIN_LN || ln > AU_PASSWORD_MAX_LN)
		ln = AU_PASSWORD_DEFAULT_LN;
	if (phc[ln] == NULL) {
		char pw[32];

		au_rand_bytes(pw, sizeof(pw) - 1);
		for (size_t i = 0; i < sizeof(pw) - 1; i++)
			pw[i] = (char)('a' + ((unsigned char)pw[i] % 26));
		pw[sizeof(pw) - 1] = '\0';
		a = au_arena_new();
		phc[ln] = strdup(au_password_hash(a, pw, ln));
		au_arena_free(a);
		if (phc[ln] == NULL)
			abort();
	}
	return phc[ln];
}

struct au_session *
au_login_session(struct au_req *r, const struct au_realm_view *v)
{
	const char *token = au_req_cookie(r, AU_SESSION_COOKIE);
	struct au_session *s;
	struct au_user *u;
	struct au_db *db;

	if (token == NULL || strlen(token) != 43 ||
	    au_ctx_db(au_req_ctx(r), &db) != AU_OK)
		return NULL;
	if (au_store_session_find_live(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), au_time_now(),
	    v->tokens.sso_session_idle, &s) != AU_OK)
		return NULL;
	if (au_store_user_find(db, r->arena, v->realm.id, s->user_id, &u) !=
	    AU_OK || !u->enabled)
		return NULL;
	return s;
}

/* True when every scope of want is in have (space-separated lists). */
static bool
covers(struct au_req *r, const char *have, const char *want)
{
	char *copy = au_arena_strdup(r->arena, want), *tok, *save = NULL;
	size_t n;
	const char *p;

	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		bool found = false;

		n = strlen(tok);
		for (p = have; (p = strstr(p, tok)) != NULL; p += n)
			if ((p == have || p[-1] == ' ') &&
			    (p[n] == ' ' || p[n] == '\0')) {
				found = true;
				break;
			}
		if (!found)
			return false;
	}
	return true;
}

static bool
prompt_has(struct au_req *r, const struct au_authreq *q, const char *word)
{
	return q->prompt != NULL && covers(r, q->prompt, word);
}

int
au_login_issue_code(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc,
    const struct au_session *s, bool consented)
{
	const char *code = au_rand_token(r->arena, 32);
	const char *pairs[] = { "code", code, NULL };
	struct au_code c;
	struct au_db *db;
	int64_t now = au_time_now();
	int rc;

	memset(&c, 0, sizeof(c));
	c.client_uuid = cc->c.id;
	c.user_id = s->user_id;
	c.session_id = s->id;
	c.redirect_uri = (char *)q->redirect_uri;
	c.scope = (char *)q->scope;
	c.nonce = (char *)q->nonce;
	c.code_challenge = (char *)q->code_challenge;
	c.code_challenge_method = q->code_challenge != NULL ? "S256" : NULL;
	c.resource = (char *)q->resource;
	c.auth_time = s->auth_time;
	c.created_at = now;
	c.expires_at = now + cc->tokens.auth_code_lifetime;
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK && cc->c.user_access != NULL &&
	    strcmp(cc->c.user_access, "assigned") == 0) {
		bool assigned = false;

		rc = au_store_client_user_assigned(db, r->arena, cc->c.id,
		    s->user_id, &assigned);
		if (rc == AU_OK && !assigned)
			return au_authorize_error(r, v, q, "access_denied",
			    "The user has no access to this application.");
	}
	if (rc == AU_OK && cc->c.consent_required && !consented) {
		char *given = "";

		if (!prompt_has(r, q, "consent"))
			rc = au_store_consent_get(db, r->arena, s->user_id,
			    cc->c.id, &given);
		if (rc == AU_OK && (prompt_has(r, q, "consent") ||
		    !covers(r, given, q->scope))) {
			if (prompt_has(r, q, "none"))
				return au_authorize_error(r, v, q,
				    "consent_required", "The user has not "
				    "consented to this application.");
			return au_consent_page(r, v, q, cc);
		}
	}
	if (rc == AU_OK)
		rc = au_store_code_insert(db, r->arena, v->realm.id,
		    au_secret_hash(r->arena, code), &c);
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return au_authorize_respond(r, v, q, pairs);
}

/* The realm's identity policies and lockout rules (effective). */
static int
realm_policies(struct au_req *r, struct au_db *db,
    const struct au_realm_view *v, struct au_policies *p,
    struct au_lockout *lock)
{
	return au_store_settings_policies(db, r->arena, v->realm.id, p, lock);
}

/* Records that a failure locked u: an "auth" event with the lock's end
 * (or that it is permanent). */
static void
log_lock(struct au_req *r, struct au_db *db, const struct au_realm_view *v,
    const struct au_user *u)
{
	struct json_object *d = json_object_new_object();
	struct au_user *now;
	struct au_event e;

	if (au_store_user_find(db, r->arena, v->realm.id, u->id, &now) ==
	    AU_OK) {
		json_object_object_add(d, "permanent",
		    json_object_new_boolean(now->locked_permanently));
		json_object_object_add(d, "lockedUntil",
		    json_object_new_int64(now->locked_until));
	}
	memset(&e, 0, sizeof(e));
	e.realm_uuid = v->realm.id;
	e.category = "auth";
	e.type = "user.locked";
	e.actor = "";
	e.resource_type = "user";
	e.resource_id = u->id;
	e.user_id = u->id;
	e.ip = r->remote_addr;
	e.request_id = r->request_id;
	e.details = au_arena_strdup(r->arena, json_object_to_json_string_ext(
	    d, JSON_C_TO_STRING_PLAIN));
	json_object_put(d);
	if (au_store_event_insert(db, r->arena, &e) != AU_OK)
		au_log_warn("user %s: lockout not logged", u->id);
}

/* Counts a failed sign-in from this address and, for a known user not
 * already locked, against u (a failure to count is logged only). */
static void
count_failure(struct au_req *r, struct au_db *db,
    const struct au_realm_view *v, const struct au_lockout *lock,
    const struct au_user *u, int64_t now)
{
	bool locked = false;

	if (lock->enabled && lock->per_ip_max_failures > 0 &&
	    r->remote_addr != NULL && au_store_ip_failed(db, v->realm.id,
	    r->remote_addr, now, lock->failure_reset) != AU_OK)
		au_log_warn("%s: failed sign-in not counted", r->remote_addr);
	if (u == NULL || au_user_locked(u, now))
		return;
	if (au_store_user_login_failed(db, u->id, now, lock, &locked) != AU_OK)
		au_log_warn("user %s: failed sign-in not counted", u->id);
	else if (locked)
		log_lock(r, db, v, u);
}

/* Whether this address has used up its failures in the realm. */
static int
ip_blocked(struct au_req *r, struct au_db *db, const struct au_realm_view *v,
    const struct au_lockout *lock, int64_t now, bool *blocked)
{
	*blocked = false;
	if (!lock->enabled || r->remote_addr == NULL)
		return AU_OK;
	return au_store_ip_blocked(db, r->arena, v->realm.id, r->remote_addr,
	    now, lock->failure_reset, lock->per_ip_max_failures, blocked);
}

/* Whether u must set a new password before a session: a temporary one
 * (UPDATE_PASSWORD) or one older than password.maxAgeDays. */
static bool
must_change_password(const struct au_user *u, const struct au_policies *p,
    int64_t now)
{
	int64_t age = (int64_t)p->password.max_age_days * 86400;

	return au_str_has_word(u->required_actions, "UPDATE_PASSWORD") ||
	    (age > 0 && u->password_changed_at > 0 &&
	    now - u->password_changed_at >= age);
}

/* After a good password: a hash made at another cost is made again at
 * the realm's (a failure only delays the upgrade to the next sign-in). */
static void
upgrade_hash(struct au_req *r, struct au_db *db,
    const struct au_realm_view *v, const struct au_user *u,
    const struct au_policies *p, const char *password, const char *phc)
{
	char *fresh;

	if (!au_password_needs_rehash(phc, p->hashing_cost))
		return;
	fresh = au_password_hash(r->arena, password, p->hashing_cost);
	if (fresh == NULL || au_store_user_rehash(db, v->realm.id, u->id, phc,
	    fresh) != AU_OK)
		au_log_warn("user %s: password hash not upgraded", u->id);
}

/* Creates the SSO session of u and sets its cookie: a browser-session
 * cookie, or one that lasts as long as the session when the user asked
 * to be remembered. */
int
au_login_start_session(struct au_req *r, const struct au_realm_view *v,
    struct au_db *db, const struct au_user *u, bool remember,
    struct au_session *s)
{
	const char *token = au_rand_token(r->arena, 32);
	const char *ua = au_req_header(r, "user-agent");
	int64_t now = au_time_now();
	int rc;

	memset(s, 0, sizeof(*s));
	s->user_id = u->id;
	s->auth_time = s->created_at = s->last_seen_at = now;
	s->expires_at = now + v->tokens.sso_session_max;
	s->amr = "pwd";
	s->acr = "1";
	s->remember_me = remember;
	rc = au_store_session_insert(db, r->arena, v->realm.id,
	    au_secret_hash(r->arena, token), r->remote_addr,
	    ua != NULL && au_utf8_valid(ua, strlen(ua)) ? ua : "", s);
	if (rc != AU_OK)
		return rc;
	au_resp_header(r, "Set-Cookie", au_arena_printf(r->arena,
	    "%s=%s; Path=/realms/%s/; HttpOnly; SameSite=Lax%s%s",
	    AU_SESSION_COOKIE, token, v->realm.realm_id,
	    r->https ? "; Secure" : "", remember ? au_arena_printf(r->arena,
	    "; Max-Age=%d", v->tokens.sso_session_max) : ""));
	return AU_OK;
}

/* The user named by username (or email), with its password hash; NULL
 * user when there is none. */
static int
find_user(struct au_req *r, struct au_db *db, const struct au_realm_view *v,
    const char *username, struct au_user **u, const char **phc)
{
	char **hashes;
	int rc;

	*u = NULL;
	*phc = NULL;
	rc = au_store_user_find_by_username(db, r->arena, v->realm.id,
	    username, u);
	if (rc == AU_ENOTFOUND && strchr(username, '@') != NULL)
		rc = au_store_user_find_by_email(db, r->arena, v->realm.id,
		    username, u);
	if (rc == AU_ENOTFOUND) {
		*u = NULL;
		return AU_OK;
	}
	if (rc != AU_OK)
		return rc;
	rc = au_store_user_password_hashes(db, r->arena, v->realm.id, *u, 1,
	    &hashes);
	if (rc == AU_OK)
		*phc = hashes[0];
	return rc;
}

int
au_login_form_or_respond(struct au_req *r, enum au_form_kind kind,
    const struct au_realm_view **v, struct au_authreq *q)
{
	const char *csrf, *cookie, *again;
	bool fits;

	if (au_oauth_realm_or_respond(r, 0, v) != AU_OK)
		return AU_EDENIED;
	if (au_req_form_parse(r) != AU_OK)
		return au_login_error_page(r, 400, au_login_msg(r, *v,
		    "invalidRequestTitle"), r->error), AU_EINVAL;
	fits = au_authreq_open(r, *v, au_req_form(r, "authreq"), q) == AU_OK;
	again = fits && q->device != NULL ? "enterDeviceCodeAgain" :
	    "startAgain";
	switch (kind) {
	case AU_FORM_SIGN_IN:
		fits = fits && q->pending_user == NULL;
		break;
	case AU_FORM_CONSENT:
		fits = fits && q->pending_user == NULL && q->device == NULL;
		break;
	case AU_FORM_DEVICE:
		fits = fits && q->pending_user == NULL && q->device != NULL;
		break;
	case AU_FORM_NEW_PASSWORD:
		fits = fits && q->pending_user != NULL;
		break;
	}
	if (!fits)
		return au_login_error_msg(r, *v, 400, "formExpiredTitle",
		    au_arena_printf(r->arena, "formExpired %s", again)),
		    AU_EINVAL;
	csrf = au_req_form(r, "csrf");
	cookie = au_req_cookie(r, AU_CSRF_COOKIE);
	if (csrf == NULL || cookie == NULL || !au_ct_streq(csrf, q->csrf) ||
	    !au_ct_streq(cookie, q->csrf))
		return au_login_error_msg(r, *v, 403, "requestRefusedTitle",
		    au_arena_printf(r->arena, "formNotVerified %s", again)),
		    AU_EDENIED;
	return AU_OK;
}

/* The request's client, still enabled.  AU_OK; otherwise the error page
 * has been written. */
static int
client_or_respond(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client **cc)
{
	int rc = au_realm_client(r, v, q->client_id, cc);

	if (rc == AU_EDB)
		return au_resp_unavailable(r), rc;
	if (rc != AU_OK || !(*cc)->c.enabled)
		return au_login_error_msg(r, v, 400, "unknownClientTitle",
		    "unknownClient"), AU_EDENIED;
	return AU_OK;
}

int
au_login_continue(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc,
    const struct au_session *s)
{
	if (q->device != NULL)   /* signed in to approve a device */
		return au_device_approval_page(r, v, q, cc);
	return au_login_issue_code(r, v, q, cc, s, false);
}

/* The page asking a user who must change the password for a new one
 * (q carries the user, sealed), with a message (may be NULL) and the
 * problems of the password just typed (n of them, one per line). */
static int
new_password_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, int status, const char *message,
    const char *const *problems, int n)
{
	const char *sealed = au_authreq_seal(r, v, q);
	struct au_view *view;

	if (sealed == NULL)
		return AU_ECRYPTO;
	view = au_login_view(r, v, q->client_id, "updatePasswordTitle");
	au_view_set(view, "Password.Action", au_arena_printf(r->arena,
	    "/realms/%s/login-actions/update-password", v->realm.realm_id));
	au_view_set(view, "Login.Request", sealed);
	au_view_set(view, "Login.Csrf", q->csrf);
	au_view_set(view, "Password.Message", message);
	au_login_view_problems(view, problems, n);
	return au_login_send(r, v, view, "login/update_password.cs", status,
	    q->csrf, q->redirect_uri);
}

int
au_login_authenticate(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *username, *password, *phc = NULL;
	struct au_policies pol;
	struct au_lockout lock;
	struct au_authreq q;
	struct au_session s;
	struct au_user *u = NULL;
	struct au_db *db;
	bool ok, remember, blocked = false;
	int64_t now;
	int rc;

	if (au_login_form_or_respond(r, AU_FORM_SIGN_IN, &v, &q) != AU_OK ||
	    client_or_respond(r, v, &q, &cc) != AU_OK)
		return AU_OK;
	username = au_req_form(r, "username");
	password = au_req_form(r, "password");
	if (username == NULL || *username == '\0' || password == NULL ||
	    *password == '\0')
		return au_login_page(r, v, &q, 400,
		    au_login_msg(r, v, "enterCredentials"), username);
	if (strlen(username) > MAX_USERNAME || strlen(password) > MAX_PASSWORD)
		return au_login_page(r, v, &q, 401, au_login_msg(r, v,
		    "badCredentials"), NULL);
	now = au_time_now();
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = realm_policies(r, db, v, &pol, &lock);
	if (rc == AU_OK)
		rc = ip_blocked(r, db, v, &lock, now, &blocked);
	if (rc == AU_OK && !blocked)
		rc = find_user(r, db, v, username, &u, &phc);
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	/* every refusal below costs one verification and says the same, so
	 * neither the answer nor its time tells an unknown user, a wrong
	 * password, a locked account or a blocked address apart */
	ok = au_password_verify(password, phc != NULL ? phc :
	    dummy_hash(pol.hashing_cost));
	if (blocked)
		return au_login_page(r, v, &q, 401, au_login_msg(r, v,
		    "badCredentials"), username);
	if (!ok || u == NULL || phc == NULL) {
		count_failure(r, db, v, &lock, u, now);
		return au_login_page(r, v, &q, 401, au_login_msg(r, v,
		    "badCredentials"), username);
	}
	if (!u->enabled)
		return au_login_page(r, v, &q, 403, au_login_msg(r, v,
		    "accountDisabled"), username);
	if (au_user_locked(u, now))
		return au_login_page(r, v, &q, 401, au_login_msg(r, v,
		    "badCredentials"), username);
	if (u->failed_logins > 0 && au_store_user_login_ok(db, u->id) != AU_OK)
		au_log_warn("user %s: failure count not cleared", u->id);
	upgrade_hash(r, db, v, u, &pol, password, phc);
	remember = au_req_form(r, "rememberMe") != NULL &&
	    au_login_branding_flag(r, v, q.client_id, "rememberMe");
	if (!u->email_verified && au_login_email_verification_required(r, v))
		return au_login_verify_email_page(r, v, &q, u, true);
	if (must_change_password(u, &pol, now)) {
		/* no session until a new password is set */
		q.pending_user = u->id;
		q.remember = remember;
		return new_password_page(r, v, &q, 200, au_login_msg(r, v,
		    au_str_has_word(u->required_actions, "UPDATE_PASSWORD") ?
		    "mustChangePassword" : "passwordExpired"), NULL, 0);
	}
	rc = au_login_start_session(r, v, db, u, remember, &s);
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return au_login_continue(r, v, &q, cc, &s);
}

const char *
au_login_violation(struct au_req *r, const struct au_realm_view *v,
    const char *prefix, const struct au_violation *x)
{
	char *key = au_arena_printf(r->arena, "%s%s", prefix, x->rule);

	key[strlen(prefix)] = (char)toupper((unsigned char)key[strlen(prefix)]);
	return au_login_msgf(r, v, key, x->count, au_arena_printf(r->arena,
	    "%d", x->count), NULL);
}

int
au_login_new_password_problems(struct au_req *r,
    const struct au_realm_view *v, const struct au_user *u, const char *pw,
    const char *again, const char ***problems)
{
	struct au_violation *viol;
	struct au_policies pol;
	char **hist = NULL;
	struct au_db *db;
	int n, nhist = 0, i, rc;

	*problems = au_arena_calloc(r->arena, sizeof(**problems) * 17);
	if (pw == NULL || *pw == '\0')
		return (*problems)[0] = au_login_msg(r, v, "enterNewPassword"), 1;
	if (again == NULL || strcmp(pw, again) != 0)
		return (*problems)[0] = au_login_msg(r, v, "passwordsDiffer"), 1;
	if (!au_utf8_valid(pw, strlen(pw)) ||
	    au_utf8_chars(pw) > AU_PASSWORD_MAX_CHARS)
		return (*problems)[0] = au_login_msgf(r, v, "pwMaxLength",
		    AU_PASSWORD_MAX_CHARS, au_arena_printf(r->arena, "%d",
		    AU_PASSWORD_MAX_CHARS), NULL), 1;
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = realm_policies(r, db, v, &pol, NULL);
	if (rc == AU_OK && u != NULL && pol.password.history > 0)
		rc = au_store_user_password_history(db, r->arena, u->id,
		    pol.password.history, &hist, &nhist);
	if (rc != AU_OK)
		return (*problems)[0] = au_login_msg(r, v, "passwordNotChecked"),
		    1;
	n = au_policy_password_check(r->arena, &pol.password,
	    au_req_ctx(r)->denylist, u != NULL ? u->username : NULL,
	    u != NULL ? u->email : NULL, pw, hist, nhist, &viol);
	for (i = 0; i < n && i < 16; i++)
		(*problems)[i] = au_login_violation(r, v, "pw", &viol[i]);
	return n;
}

char *
au_login_password_hash(struct au_req *r, const struct au_realm_view *v,
    const char *pw)
{
	struct au_policies pol;
	struct au_db *db;
	int ln = AU_PASSWORD_DEFAULT_LN;

	if (au_ctx_db(au_req_ctx(r), &db) == AU_OK &&
	    realm_policies(r, db, v, &pol, NULL) == AU_OK)
		ln = pol.hashing_cost;
	return au_password_hash(r->arena, pw, ln);
}

int
au_login_update_password(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *pw, *again, *phc, **problems;
	struct au_policies pol;
	struct au_authreq q;
	struct au_session s;
	struct au_event e;
	struct au_user *u;
	struct au_db *db;
	int rc, n;

	if (au_login_form_or_respond(r, AU_FORM_NEW_PASSWORD, &v, &q) != AU_OK ||
	    client_or_respond(r, v, &q, &cc) != AU_OK)
		return AU_OK;
	pw = au_req_form(r, "password-new");
	again = au_req_form(r, "password-confirm");
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = realm_policies(r, db, v, &pol, NULL);
	if (rc == AU_OK)
		rc = au_store_user_find(db, r->arena, v->realm.id,
		    q.pending_user, &u);
	if (rc == AU_ENOTFOUND || (rc == AU_OK && (!u->enabled ||
	    au_user_locked(u, au_time_now()) ||
	    !must_change_password(u, &pol, au_time_now()))))
		return au_login_error_msg(r, v, 400, "formExpiredTitle",
		    "formExpired startAgain");
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	if ((n = au_login_new_password_problems(r, v, u, pw, again,
	    &problems)) > 0)
		return new_password_page(r, v, &q, 400, NULL, problems, n);
	if ((phc = au_login_password_hash(r, v, pw)) == NULL)
		return au_login_error_msg(r, v, 500, "internalErrorTitle",
		    "passwordNotStored");
	rc = au_store_user_set_password(db, v->realm.id, u->id, phc,
	    au_str_words_without(r->arena, u->required_actions,
	    "UPDATE_PASSWORD"));
	if (rc == AU_OK) {
		memset(&e, 0, sizeof(e));
		e.realm_uuid = v->realm.id;
		e.category = "auth";
		e.type = "password.update";
		e.actor = u->id;
		e.resource_type = "user";
		e.resource_id = u->id;
		e.client_id = cc->c.client_id;
		e.user_id = u->id;
		e.ip = r->remote_addr;
		e.request_id = r->request_id;
		if (au_store_event_insert(db, r->arena, &e) != AU_OK)
			au_log_warn("user %s: password update not logged", u->id);
		rc = au_login_start_session(r, v, db, u, q.remember, &s);
	}
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	q.pending_user = NULL;
	return au_login_continue(r, v, &q, cc, &s);
}

int
au_login_consent(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *decision;
	char *given = NULL;
	struct au_authreq q;
	struct au_session *s;
	struct au_db *db;
	int rc;

	if (au_login_form_or_respond(r, AU_FORM_CONSENT, &v, &q) != AU_OK)
		return AU_OK;
	if ((s = au_login_session(r, v)) == NULL)
		return au_login_error_msg(r, v, 400, "signInExpiredTitle",
		    "notSignedIn");
	if (client_or_respond(r, v, &q, &cc) != AU_OK)
		return AU_OK;
	decision = au_req_form(r, "decision");
	if (decision == NULL || strcmp(decision, "approve") != 0)
		return au_authorize_error(r, v, &q, "access_denied",
		    "The user denied access.");
	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc == AU_OK)
		rc = au_store_consent_get(db, r->arena, s->user_id, cc->c.id,
		    &given);
	if (rc == AU_OK) {
		/* remembered: what was given before and what is given now */
		char *copy = au_arena_strdup(r->arena, q.scope), *tok;
		char *save = NULL;
		struct au_buf all;

		au_buf_init(&all, r->arena, 128);
		au_buf_adds(&all, given);
		for (tok = strtok_r(copy, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save)) {
			if (covers(r, all.p, tok))
				continue;
			if (all.len > 0)
				au_buf_addc(&all, ' ');
			au_buf_adds(&all, tok);
		}
		rc = au_store_consent_put(db, s->user_id, cc->c.id, all.p,
		    au_time_now());
	}
	if (rc != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return au_login_issue_code(r, v, &q, cc, s, true);
}
