/* api_user.h — /api/admin/realms/{realmId}/users[/{userId}].
 *
 * Users are addressed by id.  Create, list (exact ?username= / ?email=
 * lookups, ?q= prefix search on username and email), read, replace, patch
 * and delete.  Passwords, lockouts and sessions: api_user_account.h. */
#ifndef AU_API_USER_H
#define AU_API_USER_H

struct au_req;

int au_api_user_create(struct au_req *r);
int au_api_user_list(struct au_req *r);
int au_api_user_get(struct au_req *r);
/* PUT replaces the editable fields, PATCH applies an RFC 7396 merge patch
 * to them; both and DELETE honour If-Match. */
int au_api_user_update(struct au_req *r);
int au_api_user_patch(struct au_req *r);
int au_api_user_delete(struct au_req *r);

#endif
