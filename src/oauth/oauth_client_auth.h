/* oauth_client_auth.h — authenticating clients and consumers at /token,
 * /introspect and /revoke.
 *
 * client_secret_basic (RFC 6749 §2.3.1: id and secret are form-urlencoded
 * inside the Basic credentials, then base64) and client_secret_post.  A
 * request using both is refused; secrets are compared in constant time
 * against every live secret of the caller, so rotation works.  The id
 * presented as client_id names a confidential client or a consumer (they
 * share one namespace per realm).  Whether the caller is disabled is told
 * only after it authenticated.
 *
 * private_key_jwt (RFC 7523 §2.2, OIDC Core §9): client_assertion_type
 * jwt-bearer and a client_assertion signed (RS256, PS256, ES256, EdDSA;
 * never none or HS*) by a key of the client's registered jwks (a
 * jwksUri is not fetched yet: such clients are refused, saying so);
 * iss = sub = client_id, aud naming the issuer or the token endpoint, exp
 * in the future and at most 10 minutes ahead, a jti never seen before
 * (client_assertion_jtis; a replay is refused).
 *
 * The registered tokenEndpointAuthMethod is enforced: client_secret_basic
 * and client_secret_post clients may use either secret method (as
 * Keycloak's "client secret" clients do), private_key_jwt clients only
 * assertions, public clients (none) cannot authenticate here; consumers
 * use either secret method.  Another method is a 401 invalid_client
 * naming the registered one. */
#ifndef AU_OAUTH_CLIENT_AUTH_H
#define AU_OAUTH_CLIENT_AUTH_H

struct au_req;
struct au_realm_view;
struct au_cached_client;
struct au_cached_consumer;

/* Who authenticated: exactly one member is set. */
struct au_principal {
	const struct au_cached_client *client;
	const struct au_cached_consumer *consumer;
};

/* AU_OK with *out; otherwise the error response has been written. */
int au_principal_authenticate_or_respond(struct au_req *r,
    const struct au_realm_view *v, struct au_principal *out);

/* As au_principal_authenticate_or_respond, except that a public client
 * names itself with client_id alone (no client_secret, Authorization
 * header or client_assertion): for what public clients may use, the
 * authorization_code and device_code grants and the device authorization
 * endpoint.  A disabled public client is invalid_client. */
int au_principal_or_public_or_respond(struct au_req *r,
    const struct au_realm_view *v, struct au_principal *out);

#endif
