/* api_consumer.h — /api/admin/realms/{realmId}/consumers.
 *
 * Create, list, read, replace, patch and delete consumers, and read their
 * usage (their secrets: api_secret.h).  A consumerId shares the realm's
 * namespace with client ids: either taken is 409 for the other. */
#ifndef AU_API_CONSUMER_H
#define AU_API_CONSUMER_H

struct au_consumer;
struct au_db;
struct au_realm;
struct au_req;

int au_api_consumer_create(struct au_req *r);
int au_api_consumer_list(struct au_req *r);
int au_api_consumer_get(struct au_req *r);
/* PUT replaces the editable fields, PATCH applies an RFC 7396 merge patch
 * to them; both and DELETE honour If-Match. */
int au_api_consumer_update(struct au_req *r);
int au_api_consumer_patch(struct au_req *r);
int au_api_consumer_delete(struct au_req *r);
/* GET .../consumers/{consumerId}/usage: the running totals and tokens per
 * UTC day for the last 30 days, oldest first, zeros included. */
int au_api_consumer_usage(struct au_req *r);

/* The realm and consumer named by the path's {realmId} and {consumerId}.
 * AU_OK; otherwise 404 or 503 has been answered. */
int au_api_consumer_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm, struct au_consumer **c);

struct json_object;

/* POST .../consumers on a parsed body, for the handler and for an import:
 * checks it and stores the consumer with its scopes and the
 * consumer.create event.  AU_OK with *out (in the arena); otherwise
 * answered. */
int au_api_consumer_create_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_consumer **out);
/* The API representation of c; a new object the caller owns. */
struct json_object *au_api_consumer_json(struct au_req *r,
    const struct au_consumer *c);

#endif
