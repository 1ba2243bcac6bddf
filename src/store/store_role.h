/* store_role.h — roles, composite roles and the role mappings of users,
 * consumers and clients.
 *
 * A role belongs to one owner: a realm (realm role), a client of a realm
 * (client role) or nobody (global role, shared by every realm).  owner_key
 * is "realm:<uuid>", "client:<uuid>" or "global"; role names are unique
 * per owner.  Composite roles hold other roles; every walk over the
 * composite graph is one recursive query whose UNION stops at a fixpoint
 * (at most one row per role, and the server's max_recursive_iterations
 * bounds the depth), so even a cycle that slipped in cannot loop.
 * Principals ("user", "consumer", "client") hold roles directly; their
 * effective roles add every role reachable through composites. */
#ifndef AU_STORE_ROLE_H
#define AU_STORE_ROLE_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_role {
	char *id;                 /* UUID */
	char *realm_uuid;         /* NULL for a global role */
	char *client_uuid;        /* client roles only */
	char *client_id;          /* client roles: the client's clientId */
	char *owner_key;
	char *name;
	char *description;
	bool composite;           /* holds other roles */
	long long version;
	int64_t created_at, updated_at;
};

/* Effective roles of a principal, by kind, names sorted. */
struct au_client_roles {
	char *client_id;          /* clientId of the client owning the roles */
	char **names;
	int n;
};

struct au_role_set {
	char **realm;             /* realm roles */
	int nrealm;
	char **global;            /* global roles */
	int nglobal;
	struct au_client_roles *clients;   /* by clientId, sorted */
	int nclients;
};

struct au_role_member {
	const char *type;         /* "user" | "consumer" */
	char *id;                 /* UUID */
	char *name;               /* username | consumer id */
};

/* The owner key of a client's roles (client_uuid set), a realm's roles
 * (realm_uuid set) or the global roles (both NULL). */
char *au_store_role_owner_key(struct au_arena *a, const char *realm_uuid,
    const char *client_uuid);

/* Inserts r (id, owner key, version and timestamps are assigned from
 * realm_uuid and client_uuid).  AU_OK; AU_EDUP when the owner already has
 * a role of that name. */
int au_store_role_insert(struct au_db *db, struct au_arena *a,
    struct au_role *r);
/* A role by owner key and name. AU_OK with *out; AU_ENOTFOUND. */
int au_store_role_find(struct au_db *db, struct au_arena *a,
    const char *owner_key, const char *name, struct au_role **out);
/* A client role by the clientId of a client of the realm. */
int au_store_role_find_client(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_id, const char *name,
    struct au_role **out);
/* Page of an owner's roles whose name starts with prefix (NULL: all). */
int au_store_role_list(struct au_db *db, struct au_arena *a,
    const char *owner_key, const char *prefix, int offset, int limit,
    struct au_role **items, int *n, long long *total);
/* Writes name and description of role id when its version still equals
 * expected (0 = don't check); bumps version.  AU_OK; AU_ENOTFOUND;
 * AU_ECONFLICT; AU_EDUP when renamed onto a taken name. */
int au_store_role_update(struct au_db *db, const struct au_role *r,
    long long expected);
/* Deletes role id (its mappings and composite links cascade) when its
 * version still equals expected (0 = don't check).  AU_OK; AU_ENOTFOUND;
 * AU_ECONFLICT. */
int au_store_role_delete(struct au_db *db, const char *id, long long expected);

/* Serialises changes of the composite graph of one scope (a realm, or
 * the master realm for the global roles) by locking that realm's row
 * until the transaction ends, so that two concurrent additions cannot
 * each pass the cycle check and close a cycle together.  Call it first
 * inside the transaction. */
int au_store_role_lock(struct au_db *db, struct au_arena *a,
    const char *realm_uuid);
/* The roles parent_id includes directly, sorted (realm, client, global). */
int au_store_role_children(struct au_db *db, struct au_arena *a,
    const char *parent_id, struct au_role **items, int *n);
/* Makes child_id a part of parent_id; adding it twice is not an error.
 * AU_EINVAL when that would make a cycle (child is parent or already
 * includes it, transitively). */
int au_store_role_composite_add(struct au_db *db, struct au_arena *a,
    const char *parent_id, const char *child_id);
/* Removes the link; a missing link is not an error. */
int au_store_role_composite_remove(struct au_db *db, const char *parent_id,
    const char *child_id);

/* Page of the users and consumers of realm_uuid that hold role_id
 * directly or through composite roles (users first, by name). */
int au_store_role_members(struct au_db *db, struct au_arena *a,
    const char *role_id, const char *realm_uuid, int offset, int limit,
    struct au_role_member **items, int *n, long long *total);

/* kind is "user", "consumer" or "client" below; anything else is
 * AU_EINVAL. */

/* The UUID of a principal of the realm: a user by id, a consumer by
 * consumer id, a client by client id.  AU_OK; AU_ENOTFOUND. */
int au_store_role_principal(struct au_db *db, struct au_arena *a,
    const char *kind, const char *realm_uuid, const char *key, char **uuid);
/* The roles a principal holds: directly, or with effective also every
 * role reachable through composites.  Sorted by owner then name. */
int au_store_role_mapped(struct au_db *db, struct au_arena *a,
    const char *kind, const char *principal_uuid, bool effective,
    struct au_role **items, int *n);
/* The direct roles of the principals uuids[0..n) of one kind, in one
 * query (a page of an export): (*items)[j] is held by uuids[(*owner)[j]];
 * by principal in the order given, then sorted as au_store_role_mapped
 * sorts.  AU_EINVAL when an id is not a UUID. */
int au_store_role_mapped_many(struct au_db *db, struct au_arena *a,
    const char *kind, char *const *uuids, int n, struct au_role **items,
    int **owner, int *count);
/* Grants role_id (granting twice is not an error) / takes it back (a
 * missing mapping is not an error). */
int au_store_role_map(struct au_db *db, const char *kind,
    const char *principal_uuid, const char *role_id);
int au_store_role_unmap(struct au_db *db, const char *kind,
    const char *principal_uuid, const char *role_id);
/* The effective role names of a principal, by kind of role, in one
 * query: what access tokens carry (realm_access.roles = realm + global,
 * resource_access.{clientId}.roles). */
int au_store_role_effective(struct au_db *db, struct au_arena *a,
    const char *kind, const char *principal_uuid, struct au_role_set *out);

/* Finds or creates the realm role name; *id gets its UUID (bootstrap). */
int au_store_role_ensure_realm(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, const char *description,
    char **id);
/* Grants a role to a client's own identity (client-credentials tokens);
 * granting twice is not an error. */
int au_store_role_grant_client(struct au_db *db, const char *client_uuid,
    const char *role_id);

#endif
