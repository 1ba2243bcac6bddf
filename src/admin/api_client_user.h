/* api_client_user.h — /api/admin/realms/{realmId}/clients/{clientId}/users
 *
 * "Users are scoped within a realm's client": a client whose userAccess
 * is "assigned" admits only the users assigned here.  GET pages the
 * assigned users ({id, username}); POST assigns and DELETE unassigns the
 * users of a body [{"id": "<userId>"}, ...] (204; assigning twice or
 * unassigning an unassigned user changes nothing). */
#ifndef AU_API_CLIENT_USER_H
#define AU_API_CLIENT_USER_H

struct au_req;

int au_api_client_user_list(struct au_req *r);
int au_api_client_user_add(struct au_req *r);
int au_api_client_user_remove(struct au_req *r);

#endif
