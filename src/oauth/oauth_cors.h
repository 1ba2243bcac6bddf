/* oauth_cors.h — calls from browser apps on other origins (CORS).
 *
 * A single-page app runs the code flow with PKCE in the browser: it
 * navigates to /authorize (no CORS involved) but fetches /token,
 * /userinfo and /revoke from its own origin.  The browser lets the app
 * read an answer only when it names the app's origin:
 *
 *   - a successful answer does so when the Origin header equals one of
 *     the client's webOrigins exactly, or the client lists "+" (as in
 *     Keycloak: the origins of its redirect URIs) and Origin is one of
 *     those; never "*", so a token is never readable by another site;
 *   - an error answer (RFC 6749 §5.2, RFC 6750 §3) names any origin: it
 *     carries nothing secret, and the app needs it to react (refresh
 *     after invalid_token, start over after invalid_grant);
 *   - a preflight (OPTIONS, sent for the Authorization header) is
 *     allowed for any origin: it only lets the browser send the request,
 *     whose answer then follows the rules above.  These endpoints use no
 *     cookies, so nothing is sent on the user's behalf.
 *
 * Discovery and the JWKS are public and carry "*" (oauth_discovery.c). */
#ifndef AU_OAUTH_CORS_H
#define AU_OAUTH_CORS_H

#include <stdbool.h>

struct au_req;
struct au_cached_client;

/* Allows the request's Origin to read the answer when cc (may be NULL)
 * lists it; true when it did. */
bool au_oauth_cors(struct au_req *r, const struct au_cached_client *cc);
/* Allows any origin to read this (error) answer, unless an origin was
 * already allowed. */
void au_oauth_cors_error(struct au_req *r);
/* OPTIONS on /token, /userinfo, /revoke: 204 with the methods and
 * headers a browser app may use. */
int au_oauth_preflight(struct au_req *r);

#endif
