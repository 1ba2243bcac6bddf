/* api_client.h — /api/admin/realms/{realmId}/clients.
 *
 * Create, list, read, replace, patch and delete clients (their secrets:
 * api_secret.h). */
#ifndef AU_API_CLIENT_H
#define AU_API_CLIENT_H

struct au_client;
struct au_db;
struct au_realm;
struct au_req;

int au_api_client_create(struct au_req *r);
int au_api_client_list(struct au_req *r);
int au_api_client_get(struct au_req *r);
/* PUT replaces the editable fields, PATCH applies an RFC 7396 merge patch
 * to them; both and DELETE honour If-Match. */
int au_api_client_update(struct au_req *r);
int au_api_client_patch(struct au_req *r);
int au_api_client_delete(struct au_req *r);

/* The realm and client named by the path's {realmId} and {clientId}.
 * AU_OK; otherwise 404 or 503 has been answered. */
int au_api_client_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm, struct au_client **c);

struct json_object;

/* POST .../clients on a parsed body, for the handler and for an import:
 * checks every field, then stores the client with its scopes and URIs
 * and the client.create event (in the caller's transaction when one is
 * open).  AU_OK with *out (in the arena); otherwise the error has been
 * answered. */
int au_api_client_create_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_client **out);

/* The API representation of c, whose lists are loaded
 * (au_store_client_load_lists).  A new object the caller owns. */
struct json_object *au_api_client_json(struct au_req *r,
    const struct au_client *c);

#endif
