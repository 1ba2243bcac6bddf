/* login_email.h — the hosted pages that send mail: email verification,
 * password reset ("forgot password") and self-registration.
 *
 * Mailed links carry a random token (32 bytes, base64url) stored only as
 * its SHA-256 (store_action.h): single use, bound to one realm, one user
 * and (verification) the address it was sent to, expiring after the
 * policies document's emailVerification.linkLifetimeSeconds.  A link
 * opens a page with a form (GET never spends it: mail scanners fetch
 * links); its POST spends it.  Afterwards the sign-in goes on when the
 * authorization request it started from is still valid (the login page
 * is shown again), otherwise the page says to return to the application.
 *
 * Rate limits (fixed windows, action_limits): verification mail, 1 per
 * user per 60 s (the message sent at sign-in counts); reset mail, 1 per
 * account per 60 s (silently: the page never differs) and 10 requests
 * per client address per hour (429); registration, 5 well-formed
 * attempts per client address per hour (429). */
#ifndef AU_LOGIN_EMAIL_H
#define AU_LOGIN_EMAIL_H

#include <stdbool.h>

struct au_req;
struct au_realm_view;
struct au_authreq;
struct au_user;

/* The realm's policies say emailVerification.required. */
bool au_login_email_verification_required(struct au_req *r,
    const struct au_realm_view *v);

/* The "check your inbox" page for u, who signed in for q but has no
 * verified address; with send, the verification mail is sent first
 * (within the rate limit). */
int au_login_verify_email_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_user *u, bool send);

/* POST /realms/{realm}/login-actions/verify-email-resend. */
int au_login_verify_email_resend(struct au_req *r);
/* GET and POST /realms/{realm}/login-actions/verify-email (the link). */
int au_login_verify_email(struct au_req *r);
/* GET and POST /realms/{realm}/login-actions/reset-credentials: the
 * form asking for a username or email (GET, from the login page's link
 * with the sealed request as authreq=, or POST without username), and
 * its answer. */
int au_login_reset_credentials(struct au_req *r);
/* GET and POST /realms/{realm}/login-actions/reset-password (the link). */
int au_login_reset_password(struct au_req *r);
/* GET (the login page's link, as above) and POST
 * /realms/{realm}/login-actions/registration. */
int au_login_registration(struct au_req *r);

#endif
