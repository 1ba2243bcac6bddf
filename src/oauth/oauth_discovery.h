/* oauth_discovery.h — OpenID Provider metadata (OIDC Discovery 1.0,
 * RFC 8414) and the JWKS endpoint.
 *
 * The documents list only what authio actually supports.  Both are
 * cacheable (Cache-Control: public, max-age): keys are published before
 * they sign anything, so a cached JWKS is never missing a signing key. */
#ifndef AU_OAUTH_DISCOVERY_H
#define AU_OAUTH_DISCOVERY_H

struct au_arena;
struct au_req;
struct au_realm_view;

/* The serialised metadata document of the realm, in the arena. */
char *au_discovery_document(struct au_arena *a, const char *issuer,
    const struct au_realm_view *v);

int au_oauth_discovery(struct au_req *r);
int au_oauth_jwks(struct au_req *r);

/* Looks up the {realm} path parameter. On failure answers the request
 * (404 unknown, 403 inactive, 503 database) and returns non-AU_OK.
 * oauth_style: errors as RFC 6749 JSON rather than problem+json. */
int au_oauth_realm_or_respond(struct au_req *r, int oauth_style,
    const struct au_realm_view **out);
/* The start of the form-posting endpoints (/token, /introspect,
 * /revoke, /device_authorization): the realm, the urlencoded form, no
 * parameter given twice (RFC 6749 §3.2).  AU_OK; otherwise the RFC 6749
 * error has been answered. */
int au_oauth_form_or_respond(struct au_req *r,
    const struct au_realm_view **v);

#endif
