/* login_logout.h — OpenID Connect RP-Initiated Logout 1.0.
 *
 * GET and POST /realms/{realm}/logout (alias .../protocol/openid-connect
 * /logout) with id_token_hint, client_id, post_logout_redirect_uri,
 * state, ui_locales and logout_hint (accepted; a browser has one SSO
 * session per realm, so there is nothing to choose between).
 *
 * - An id_token_hint must be an ID token of the realm (expired is fine,
 *   oauth_id_token_hint.h); a bad one is an error page (400), never a
 *   redirect.  client_id, when given with a hint, must be the hint's
 *   client (its azp or aud), else an error page.
 * - post_logout_redirect_uri is followed only when it equals, byte for
 *   byte, one of the client's registered post-logout URIs; otherwise the
 *   user stays on the "signed out" page (status 400 with a note saying
 *   why there was no way back).  state is appended to it.
 * - A hint whose sid (and sub) is the browser's session logs out at once.
 *   Without a hint, or when the browser's session is another one, the
 *   user confirms on a page whose form (CSRF token, double submit like
 *   the login form, request sealed under the master key) posts to
 *   /realms/{realm}/login-actions/logout.  A cross-site POST carries no
 *   SameSite=Lax session cookie: then the hint's own session (sid and
 *   sub) is ended, or, without a hint, the user confirms.
 * - Logging out ends the session row (sessions.ended_at), revokes its
 *   session-bound refresh tokens, records an "auth" event "logout" and
 *   clears the AUTHIO_SESSION cookie.  No session: nothing to end, the
 *   answer is the same (logging out is idempotent).
 * - The answer: 302 (GET) or 303 (POST) to the post-logout URI, or the
 *   signed-out page. */
#ifndef AU_LOGIN_LOGOUT_H
#define AU_LOGIN_LOGOUT_H

struct au_req;

/* GET and POST /realms/{realm}/logout. */
int au_login_logout(struct au_req *r);
/* POST /realms/{realm}/login-actions/logout: the confirmation form. */
int au_login_logout_confirm(struct au_req *r);

#endif
