/* oauth_id_token_hint.h — checking an ID token a relying party hands
 * back to us as id_token_hint (RP-Initiated Logout 1.0 §2, OIDC Core
 * §3.1.2.1).
 *
 * The hint must be an ID token this realm issued: a JWS whose kid names
 * one of the realm's published signing keys (active or passive, so a
 * token signed before a rotation still counts) with the key's algorithm,
 * a valid signature, the realm's issuer as iss, a sub, an aud and an
 * exp.  An expired token is still a good hint (the specifications allow
 * it: the relying party may keep the token long after it expired), so
 * exp is reported, not judged; callers that care compare it with the
 * clock.  Access tokens (typ at+jwt) are refused: they are not ID
 * tokens. */
#ifndef AU_OAUTH_ID_TOKEN_HINT_H
#define AU_OAUTH_ID_TOKEN_HINT_H

#include <stdbool.h>
#include <stdint.h>

struct au_req;
struct au_realm_view;

struct au_id_token_hint {
	const char *sub;
	const char *client_id;   /* azp, else the one aud */
	const char *const *aud;  /* every audience, NULL-terminated */
	const char *sid;         /* the SSO session, or NULL */
	int64_t exp;
	int64_t iat;             /* 0 when absent */
	int64_t auth_time;       /* 0 when absent */
	bool expired;            /* exp has passed */
};

/* Verifies token as an ID token of realm v.  AU_OK with *out (strings in
 * the request's arena); AU_EINVAL when it is not one (malformed, unknown
 * key, bad signature, other issuer, claims missing, several audiences
 * and no azp, an azp that is not an audience). */
int au_id_token_hint_verify(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct au_id_token_hint *out);

#endif
