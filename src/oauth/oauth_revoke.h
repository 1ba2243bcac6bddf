/* oauth_revoke.h — token revocation (RFC 7009).
 *
 * POST /realms/{realm}/revoke (alias /protocol/openid-connect/revoke):
 * the caller authenticates; an access token of the realm issued to that
 * same caller (its client_id claim) is revoked by jti until it expires,
 * so introspection shows it inactive and the admin API refuses it.  A
 * token of another caller, or one that is invalid, expired or unknown,
 * is left alone and the answer is still 200 (§2.2: the client cannot
 * act on the difference).  token_type_hint is only a hint and ignored. */
#ifndef AU_OAUTH_REVOKE_H
#define AU_OAUTH_REVOKE_H

struct au_req;

int au_oauth_revoke(struct au_req *r);

#endif
