/* oauth_userinfo.h — the UserInfo endpoint (OIDC Core §5.3).
 *
 * GET or POST /realms/{realm}/userinfo (alias
 * .../protocol/openid-connect/userinfo).  The access token comes as an
 * RFC 6750 bearer credential: in the Authorization header (§2.1), or,
 * for POST only, as access_token in a form-encoded body (§2.2); never in
 * the query (§2.3 is not supported).  It must be an access token of the
 * realm (signature, iss, typ at+jwt, unexpired: oauth_introspect.h), not
 * revoked, issued to a user who still exists and is enabled, through a
 * client that still exists and is enabled, whose session (sid), when the
 * token names one, is still live; its scope must hold openid.
 *
 * Answers (RFC 6750 §3):
 *   200  {"sub", the claims its scope releases (oauth_claims.h)}
 *   400  invalid_request: a malformed Authorization header or form, the
 *        token sent two ways, or in the query
 *   401  WWW-Authenticate: Bearer realm="<realm>" when no bearer token
 *        came at all; with error="invalid_token" and an
 *        error_description when the token is bad, expired, revoked, not
 *        a user's, or its user, client or session is gone
 *   403  insufficient_scope (scope="openid") without openid
 * Every answer is Cache-Control: no-store. */
#ifndef AU_OAUTH_USERINFO_H
#define AU_OAUTH_USERINFO_H

struct au_req;

int au_oauth_userinfo(struct au_req *r);

#endif
