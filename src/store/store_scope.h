/* store_scope.h — OAuth scopes and the claims they release.
 *
 * A scope belongs to one realm (realm_uuid set) or is global (realm_uuid
 * NULL, shared by every realm).  A name is unique across owners as seen
 * from any realm: a realm scope may not reuse a global scope's name, nor
 * a new global scope a name some realm already uses.  claims is JSON
 * array text the admin API has validated; the store keeps it verbatim.
 * Deleting a scope removes it from every client (the foreign key
 * cascades) and bumps those clients' versions, since their representation
 * changed. */
#ifndef AU_STORE_SCOPE_H
#define AU_STORE_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_scope {
	char *id;                 /* UUID */
	char *realm_uuid;         /* NULL = global */
	char *name;
	char *description;
	char *claims;             /* JSON array text */
	bool include_in_token;
	long long version;
	int64_t created_at, updated_at;
};

/* Inserts s (id, timestamps and version assigned).  AU_OK; AU_EDUP when
 * the name is taken by the same owner, or across owners (*shadow = true:
 * a global scope of that name exists, or for a global scope some realm's
 * scope has that name). */
int au_store_scope_insert(struct au_db *db, struct au_arena *a,
    struct au_scope *s, bool *shadow);
/* The scope named name of the realm (realm_uuid) or the global one
 * (realm_uuid NULL).  AU_OK with *out; AU_ENOTFOUND. */
int au_store_scope_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, struct au_scope **out);
/* The id of the scope a client or consumer of the realm means by name:
 * the realm's own, else the global one.  AU_OK; AU_ENOTFOUND. */
int au_store_scope_resolve(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, char **id);
/* A page of one owner's scopes whose name starts with prefix, by name. */
int au_store_scope_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_scope **items, int *n, long long *total);
/* Writes description, claims and include_in_token when the version still
 * equals expected_version (0 = don't check); bumps version.  AU_OK;
 * AU_ENOTFOUND; AU_ECONFLICT. */
int au_store_scope_update(struct au_db *db, const struct au_scope *s,
    long long expected_version);
/* Deletes the scope (same version rule).  AU_OK; AU_ENOTFOUND;
 * AU_ECONFLICT. */
int au_store_scope_delete(struct au_db *db, const char *realm_uuid,
    const char *name, long long expected_version);

/* Every scope a realm offers, global ones included, by name (at most
 * 1000: what discovery publishes).  Only name, claims and
 * include_in_token are filled. */
int au_store_scope_published(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_scope **items, int *n);

#endif
