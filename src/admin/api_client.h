/* api_client.h — /api/admin/realms/{realmId}/clients and their secrets.
 *
 * Create, list and read clients; create a client secret, returned once
 * and stored only as its hash. */
#ifndef AU_API_CLIENT_H
#define AU_API_CLIENT_H

struct au_req;

int au_api_client_create(struct au_req *r);
int au_api_client_list(struct au_req *r);
int au_api_client_get(struct au_req *r);
int au_api_client_secret_create(struct au_req *r);

#endif
