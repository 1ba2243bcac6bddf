/* store_role.h — roles and the role mappings of clients.
 *
 * owner_key is "realm:<uuid>", "client:<uuid>" or "global"; it makes role
 * names unique per owner. */
#ifndef AU_STORE_ROLE_H
#define AU_STORE_ROLE_H

struct au_arena;
struct au_db;

/* Finds or creates the realm role name; *id gets its UUID. */
int au_store_role_ensure_realm(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, const char *description,
    char **id);
/* Grants a role to a client's own identity (client-credentials tokens);
 * granting twice is not an error. */
int au_store_role_grant_client(struct au_db *db, const char *client_uuid,
    const char *role_id);
/* Names of the realm roles a client holds: its direct roles and the
 * children of those that are composite (one level; deeper composites
 * come with the roles API). */
int au_store_role_client_realm_roles(struct au_db *db, struct au_arena *a,
    const char *client_uuid, char ***names, int *n);

#endif
