/* api_auth.h — who may call the admin REST API.
 *
 * A bearer access token issued by the master realm (signature checked
 * against the master realm's published keys, typ at+jwt, issuer, expiry)
 * that was not revoked (RFC 7009, one lookup by jti) and
 * whose master-realm roles allow the route:
 *   admin                    everything
 *   realm-admin:{realmId}    everything under /api/admin/realms/{realmId}
 *                            except deleting that realm (realm-admin:master
 *                            only reads: writing master could grant admin)
 *   realm-viewer:{realmId}   GET under /api/admin/realms/{realmId}
 * and either of the last two may read the global roles and scopes.
 * 401 with a Bearer challenge when the token is missing or invalid; 403
 * when its roles do not allow the route.  On success r->actor names the
 * caller for the audit trail. */
#ifndef AU_API_AUTH_H
#define AU_API_AUTH_H

struct au_req;

/* The router guard for AU_ROUTE_ADMIN routes. */
int au_api_auth_guard(struct au_req *r);

/* True when the guard let r in with the admin role (not a realm role). */
#include <stdbool.h>
bool au_api_auth_is_admin(const struct au_req *r);

#endif
