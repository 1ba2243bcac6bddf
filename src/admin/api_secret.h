/* api_secret.h — secrets of clients and consumers:
 *   /api/admin/realms/{realmId}/clients/{clientId}/secrets
 *   /api/admin/realms/{realmId}/consumers/{consumerId}/secrets
 *
 * A secret is 256 random bits, returned once by create and rotate and
 * stored only as its SHA-256.  The list shows metadata (never the value or
 * the hash); DELETE revokes; rotate creates a successor and makes the old
 * secret expire after a grace period, so deployments can roll over
 * without downtime.  Both route sets behave and answer alike (public
 * clients alone hold no secrets).  Changes reach every worker within
 * cache_ttl. */
#ifndef AU_API_SECRET_H
#define AU_API_SECRET_H

struct au_req;

int au_api_client_secret_create(struct au_req *r);
int au_api_client_secret_list(struct au_req *r);
int au_api_client_secret_revoke(struct au_req *r);
int au_api_client_secret_rotate(struct au_req *r);

int au_api_consumer_secret_create(struct au_req *r);
int au_api_consumer_secret_list(struct au_req *r);
int au_api_consumer_secret_revoke(struct au_req *r);
int au_api_consumer_secret_rotate(struct au_req *r);

#endif
