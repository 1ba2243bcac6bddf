/* login_device.h — the verification page of the device authorization
 * grant (RFC 8628 §3.3): GET and POST /realms/{realm}/device, POST
 * /realms/{realm}/login-actions/device.
 *
 * The user types the code shown on the device (prefilled from
 * verification_uri_complete's ?user_code=), with or without its dash,
 * in any case.  An unknown, expired or already decided code is told on
 * the page and counted per realm and client address: after 10 wrong
 * codes within 15 minutes every code is refused (429) until the window
 * ends, which keeps guessing a user code (20^8) hopeless.  A valid code
 * of an enabled client leads to the approval page — through the hosted
 * login page first when the browser has no SSO session: the sealed
 * request (login_authorize.h) carries the user code through the login
 * form, and login_authenticate.c continues here instead of issuing an
 * authorization code.  The approval page shows the code, the client's
 * name and the scopes with Approve and Deny; the decision needs the SSO
 * session (a disabled user has none), the CSRF token (double submit,
 * sealed with the code) and an enabled client, and records approved
 * (with the user and the session) or denied, which the polling device
 * then learns (oauth_token.c). */
#ifndef AU_LOGIN_DEVICE_H
#define AU_LOGIN_DEVICE_H

struct au_req;
struct au_realm_view;
struct au_authreq;
struct au_cached_client;

/* GET: the code entry form; POST: a code submitted. */
int au_login_device(struct au_req *r);
/* POST /realms/{realm}/login-actions/device: Approve or Deny. */
int au_login_device_decide(struct au_req *r);
/* The approval page of q (q->device set) for client cc. */
int au_device_approval_page(struct au_req *r, const struct au_realm_view *v,
    const struct au_authreq *q, const struct au_cached_client *cc);

#endif
