/* api_scope.h — scopes of the admin API:
 *   /api/admin/realms/{realmId}/scopes[/{scopeName}]   a realm's own scopes
 *   /api/admin/scopes[/{scopeName}]                    global scopes
 *
 * The same handlers serve both: the path's {realmId}, when present, names
 * the owner.  Global scopes are shared by every realm, so changing one
 * bumps every realm's configuration version and records the event in the
 * master realm; only the admin role writes them (api_auth.c).  The six
 * built-in global scopes (openid profile email address phone
 * offline_access) can be edited but not deleted. */
#ifndef AU_API_SCOPE_H
#define AU_API_SCOPE_H

struct au_req;

int au_api_scope_create(struct au_req *r);
int au_api_scope_list(struct au_req *r);
int au_api_scope_get(struct au_req *r);
/* PUT replaces description, includeInToken and claims (name is the
 * URL's); PATCH merge-patches them; both and DELETE honour If-Match. */
int au_api_scope_update(struct au_req *r);
int au_api_scope_patch(struct au_req *r);
int au_api_scope_delete(struct au_req *r);

struct au_db;
struct au_realm;
struct au_scope;
struct json_object;

/* POST /realms/{realmId}/scopes on a parsed body, for the handler and for
 * an import: checks it and stores the realm scope with its scope.create
 * event.  AU_OK; otherwise the error has been answered. */
int au_api_scope_create_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, struct json_object *body);
/* The API representation of s; a new object the caller owns. */
struct json_object *au_api_scope_json(struct au_req *r,
    const struct au_scope *s);

#endif
