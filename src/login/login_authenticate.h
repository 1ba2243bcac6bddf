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

/* POST /realms/{realm}/login-actions/consent. */
int au_login_consent(struct au_req *r);

#endif
