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

struct au_db;
struct au_realm;
struct au_user;
struct json_object;

/* POST .../users on a parsed body, for the handler and for an import:
 * checks it and stores the user with the user.create event.  AU_OK with
 * *out (in the arena); otherwise answered. */
int au_api_user_create_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_user **out);

#endif
