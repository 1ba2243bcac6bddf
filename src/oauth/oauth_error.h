/* oauth_error.h — OAuth 2.0 error responses (RFC 6749 §5.2).
 *
 * {"error": code, "error_description": sentence}, never internals, always
 * with Cache-Control: no-store.  invalid_client is a 401 carrying a
 * WWW-Authenticate challenge. */
#ifndef AU_OAUTH_ERROR_H
#define AU_OAUTH_ERROR_H

struct au_req;

int au_oauth_error(struct au_req *r, int status, const char *error,
    const char *description);
/* 401 invalid_client with WWW-Authenticate: Basic realm="<issuer>". */
int au_oauth_invalid_client(struct au_req *r, const char *description);

#endif
