/* oauth_client_auth.h — authenticating clients and consumers at the
 * token endpoint.
 *
 * client_secret_basic (RFC 6749 §2.3.1: id and secret are form-urlencoded
 * inside the Basic credentials, then base64) and client_secret_post.  A
 * request using both is refused; secrets are compared in constant time
 * against every live secret of the caller, so rotation works.  The id
 * presented as client_id names a confidential client or a consumer (they
 * share one namespace per realm).  Whether the caller is disabled is told
 * only after it authenticated. */
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

#endif
