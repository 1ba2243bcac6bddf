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

#endif
