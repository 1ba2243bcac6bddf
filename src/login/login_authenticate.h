/* login_authenticate.h — POST /realms/{realm}/login-actions/authenticate,
 * the SSO session cookie and the issue of authorization codes.
 *
 * The form carries the sealed authorization request (login_authorize.h)
 * and a CSRF token that must equal both the realm's CSRF cookie and the
 * token sealed in the request.  Unknown user and wrong password give one
 * message, and both cost a password verification (a dummy hash stands in
 * for a user without one).  On success an SSO session is created (the
 * cookie AUTHIO_SESSION, path-limited to the realm, holds a random value;
 * the database only its SHA-256) and a code is issued. */
#ifndef AU_LOGIN_AUTHENTICATE_H
#define AU_LOGIN_AUTHENTICATE_H

#include <stdbool.h>

struct au_req;
struct au_realm_view;
struct au_authreq;
struct au_cached_client;
struct au_session;

#define AU_SESSION_COOKIE "AUTHIO_SESSION"

int au_login_authenticate(struct au_req *r);

/* POST /realms/{realm}/login-actions/update-password: the new password
 * of a user whose required actions hold UPDATE_PASSWORD (a temporary
 * password set by an administrator).  The sign-in form sends such a
 * user here (the user sealed into the request) instead of starting a
 * session, and so is a user whose password is older than the policy's
 * password.maxAgeDays; the new password (typed twice, judged by the
 * realm's policy) is stored, the action cleared, an "auth" event
 * written, and the sign-in goes on.  A locked user, an unknown user and
 * a wrong password get one message (and one password verification); so
 * does every attempt from an address past lockout.perIpMaxFailures. */
int au_login_update_password(struct au_req *r);

/* Why pw (typed again as again) cannot be u's new password on the
 * hosted pages: given, typed twice alike, valid UTF-8 of at most 1024
 * characters, then every rule of the realm's password policy it breaks
 * (store_policy.h; u may be NULL for a user not yet created: no
 * username, email or history rules).  *problems gets a message per
 * problem (arena, in the request's language); returns how many, 0 when
 * pw will do. */
struct au_user;
int au_login_new_password_problems(struct au_req *r,
    const struct au_realm_view *v, const struct au_user *u, const char *pw,
    const char *again, const char ***problems);
/* A broken policy rule (store_policy.h) as the page says it, in the
 * request's language: the message <prefix><Rule> ("pw" for password
 * rules: pwMinLength; "un" for username rules) with the rule's count. */
struct au_violation;
const char *au_login_violation(struct au_req *r,
    const struct au_realm_view *v, const char *prefix,
    const struct au_violation *x);
/* pw hashed at the realm's cost (policies hashing.cost). */
char *au_login_password_hash(struct au_req *r, const struct au_realm_view *v,
    const char *pw);

/* What a login-actions form carries: a sign-in, a consent, a device
 * approval, a new password (a sealed request naming its user). */
enum au_form_kind {
	AU_FORM_SIGN_IN,
	AU_FORM_CONSENT,
	AU_FORM_DEVICE,
	AU_FORM_NEW_PASSWORD
};

/* The start of every login-actions handler: the realm (into *v), the
 * form, its sealed request (into *q) of the kind expected, and its CSRF
 * token equal to both the form's and the cookie's.  AU_OK; otherwise
 * the error page has been written. */
int au_login_form_or_respond(struct au_req *r, enum au_form_kind kind,
    const struct au_realm_view **v, struct au_authreq *q);

/* After a sign-in: the device approval page when q verifies a device,
 * else the code for q. */
int au_login_continue(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc,
    const struct au_session *s);

/* The browser's live SSO session in the realm (whose user is still
 * enabled), or NULL. */
struct au_session *au_login_session(struct au_req *r,
    const struct au_realm_view *v);

/* Issues a code for q to the session's user and answers the
 * authorization request with it.  A client with consentRequired first
 * shows the consent page unless the user consented to every scope of q
 * before (and prompt does not ask for consent) or consented just now. */
int au_login_issue_code(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc,
    const struct au_session *s, bool consented);

/* Creates the SSO session of u (into *s) and sets its cookie: a
 * browser-session cookie, or one that lasts as long as the session when
 * remember.  For pages that sign a user in (login_email.c). */
struct au_db;
int au_login_start_session(struct au_req *r, const struct au_realm_view *v,
    struct au_db *db, const struct au_user *u, bool remember,
    struct au_session *s);

/* POST /realms/{realm}/login-actions/consent. */
int au_login_consent(struct au_req *r);

#endif
