/* api_role.h — roles in the admin API.
 *
 * Three owners share one set of handlers, told apart by the path:
 *   /api/admin/realms/{realmId}/roles[/{roleName}]                 realm roles
 *   /api/admin/realms/{realmId}/clients/{clientId}/roles[/...]     client roles
 *   /api/admin/roles[/{roleName}]                                  global roles
 * Each has create, list (?q= prefix, paging), read, PUT, PATCH (RFC 7396)
 * and DELETE with If-Match, and /composites (GET, POST and DELETE with an
 * array of references).  Realm and client roles also have /members.
 * Global roles are shared by every realm; their changes are recorded in
 * the master realm's events and bump every realm's configuration version,
 * since tokens of any realm may carry them.
 *
 * Role mappings (api_role_map.c) — GET (direct), POST (add), DELETE
 * (remove) and GET .../effective (composites expanded) of:
 *   /realms/{realmId}/users/{userId}/roles
 *   /realms/{realmId}/consumers/{consumerId}/roles
 *   /realms/{realmId}/clients/{clientId}/service-roles
 * A reference is {"name"} (a realm role of the realm), {"name",
 * "clientId"} (a client role of the realm) or {"name", "global": true}. */
#ifndef AU_API_ROLE_H
#define AU_API_ROLE_H

struct au_client;
struct au_db;
struct au_realm;
struct au_req;
struct au_role;
struct json_object;

int au_api_role_create(struct au_req *r);
int au_api_role_list(struct au_req *r);
int au_api_role_get(struct au_req *r);
int au_api_role_update(struct au_req *r);
int au_api_role_patch(struct au_req *r);
int au_api_role_delete(struct au_req *r);
/* GET /roles/{roleName}/members: users and consumers holding the role
 * directly or through composite roles. */
int au_api_role_members(struct au_req *r);

int au_api_role_composites_get(struct au_req *r);
int au_api_role_composites_add(struct au_req *r);
int au_api_role_composites_remove(struct au_req *r);

int au_api_role_mappings_get(struct au_req *r);
int au_api_role_mappings_effective(struct au_req *r);
int au_api_role_mappings_add(struct au_req *r);
int au_api_role_mappings_remove(struct au_req *r);

/* Whose roles the path addresses (shared by api_role.c and
 * api_role_map.c). */
struct au_api_role_scope {
	struct au_db *db;
	struct au_realm *realm;      /* NULL for the global roles */
	struct au_client *client;    /* client roles */
	const char *owner_key;
	const char *event_realm;     /* the realm UUID recording changes */
};

/* Resolves the scope of the path; AU_OK, or 404/503 has been answered. */
int au_api_role_scope_or_respond(struct au_req *r,
    struct au_api_role_scope *s);
/* The scope and the role named by {roleName}; AU_OK, or answered. */
int au_api_role_or_respond(struct au_req *r, struct au_api_role_scope *s,
    struct au_role **role);
/* The role's representation (a new object). */
struct json_object *au_api_role_json(struct au_req *r,
    const struct au_role *role);
/* The role's resource id in events: "name", "clientId/roles/name" or
 * "global/name" (names never hold '/', so these cannot collide). */
const char *au_api_role_resource(struct au_req *r, const struct au_role *role);
/* Inside a change's transaction: when the role is global, bumps every
 * realm's configuration version (their tokens may carry it). */
int au_api_role_global_touch(struct au_db *db, const struct au_role *role);

/* POST .../roles on a parsed body, for the handler and for an import: a
 * role of the realm, or with client of that client, with its role.create
 * event.  AU_OK with *out (in the arena); otherwise answered. */
int au_api_role_create_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, struct au_client *client,
    struct json_object *body, struct au_role **out);

/* Role references (the body of POST .../composites and of role mapping
 * changes) already parsed, for the handlers and for an import; errors
 * name the entries "[i].name" (r->field_prefix says where refs sits).
 * Adds the references as composites of parent / grants them to the
 * principal (kind "user", "consumer" or "client", its UUID and its key
 * for the event), with the change's event.  AU_OK; otherwise answered. */
int au_api_role_composites_add_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, const struct au_role *parent,
    struct json_object *refs);
int au_api_role_map_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, const char *kind, const char *uuid,
    const char *key, struct json_object *refs);
/* The roles rv[0..n) as references sorted as the lists show them:
 * {"name"}, {"name","clientId"}, {"name","global":true}.  A new array. */
struct json_object *au_api_role_refs_json(const struct au_role *rv, int n);

#endif
