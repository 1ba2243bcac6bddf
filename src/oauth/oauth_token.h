/* oauth_token.h — the token endpoint (RFC 6749 §3.2) and JWT access
 * tokens (RFC 9068). */
#ifndef AU_OAUTH_TOKEN_H
#define AU_OAUTH_TOKEN_H

struct au_req;

int au_oauth_token(struct au_req *r);

#endif
