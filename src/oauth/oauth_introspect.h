/* oauth_introspect.h — token introspection (RFC 7662) and the check of
 * this realm's access tokens it shares with revocation.
 *
 * POST /realms/{realm}/introspect (alias .../token/introspect): the
 * caller authenticates as a client or consumer (oauth_client_auth.h);
 * an access token of this realm whose signature verifies against one of
 * the realm's published keys (active or passive), with the realm as iss,
 * typ at+jwt, not expired and not revoked is {"active":true, its claims,
 * "token_type":"Bearer"}; any authenticated caller of the realm may
 * introspect those (as in Keycloak).  An opaque access token (a
 * client's tokenSettings.accessTokenFormat "opaque": no '.') is resolved
 * by its hash to the claims stored with it, and is then treated alike
 * (userinfo and revocation included).  A refresh token is active only to
 * the client it was issued to, while unspent, unrevoked, unexpired and
 * its session (unless offline) lives: {"active":true, iss, sub,
 * client_id, scope, iat, exp, sid, offline}.  Anything else is
 * {"active":false}. */
#ifndef AU_OAUTH_INTROSPECT_H
#define AU_OAUTH_INTROSPECT_H

#include <stdbool.h>
#include <stdint.h>

struct au_req;
struct au_realm_view;
struct json_object;
struct au_principal;

/* The checks of an access token of realm v, revocation excepted.
 * AU_OK with *claims (owned by the request's arena), *jti and *exp;
 * AU_EINVAL when it is not a valid, unexpired token of the realm. */
int au_access_token_parse(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct json_object **claims, const char **jti,
    int64_t *exp);
/* As au_access_token_parse; on AU_EINVAL, *why (when why is not NULL)
 * is a sentence saying what is wrong, fit for an RFC 6750
 * error_description (no '"' or backslash). */
int au_access_token_check(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct json_object **claims, const char **jti,
    int64_t *exp, const char **why);

/* The common start of /introspect and /revoke: the realm, the form (no
 * repeated parameter), the caller's authentication (public_ok: or a
 * public client naming itself with client_id, as at /token — a browser
 * app revokes its own tokens), the caller's web origin allowed (CORS,
 * oauth_cors.h) and a non-empty token.  AU_OK; otherwise the error
 * response has been written. */
int au_oauth_token_call_or_respond(struct au_req *r, bool public_ok,
    const struct au_realm_view **v, struct au_principal *p,
    const char **token);

int au_oauth_introspect(struct au_req *r);

#endif
