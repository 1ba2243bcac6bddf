/* oauth_client_assertion.h — private_key_jwt client authentication, the
 * part of oauth_client_auth.h's contract that verifies client assertions
 * (called by it when the form carries client_assertion or
 * client_assertion_type). */
#ifndef AU_OAUTH_CLIENT_ASSERTION_H
#define AU_OAUTH_CLIENT_ASSERTION_H

struct au_req;
struct au_realm_view;
struct au_principal;

/* AU_OK with out->client; otherwise the error response (400
 * invalid_request or 401 invalid_client) has been written. */
int au_client_assertion_or_respond(struct au_req *r,
    const struct au_realm_view *v, struct au_principal *out);

#endif
