/* api_auth.h — who may call the admin REST API.
 *
 * A bearer access token issued by the master realm (signature checked
 * against the master realm's published keys, typ at+jwt, issuer, expiry)
 * that carries the realm role "admin".  401 with a Bearer challenge when
 * the token is missing or invalid; 403 when it lacks the role. */
#ifndef AU_API_AUTH_H
#define AU_API_AUTH_H

struct au_req;

/* The router guard for AU_ROUTE_ADMIN routes. */
int au_api_auth_guard(struct au_req *r);

#endif
