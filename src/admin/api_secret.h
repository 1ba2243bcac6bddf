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

#include <stdbool.h>

#include "store/store_secret.h"

struct au_db;
struct au_realm;
struct json_object;

/* A secret as an export carries it: {label, createdAt, expiresAt,
 * status, secretHash} (the hash as stored: it is not the secret).  A new
 * object the caller owns. */
struct json_object *au_api_secret_export_json(struct au_req *r,
    const struct au_secret *s);
/* Stores such an object as a secret of the owner (kind, UUID, and its
 * clientId / consumerId for the event), with the secret.create event.
 * Errors name the members ("secretHash"); a public client is refused
 * (field "").  AU_OK; otherwise answered. */
int au_api_secret_restore_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, enum au_secret_owner kind,
    const char *owner_uuid, const char *owner_name, bool public_client,
    struct json_object *o);

#endif
