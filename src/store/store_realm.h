/* store_realm.h — realms: the tenant boundary.
 *
 * Realms are addressed by realm_id (the slug); id is the internal UUID
 * every realm-scoped row refers to.  Deleting a realm cascades to every
 * row in it (the schema's foreign keys). */
#ifndef AU_STORE_REALM_H
#define AU_STORE_REALM_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_realm {
	char *id;            /* UUID */
	char *realm_id;      /* slug */
	char *name;
	char *description;
	char *status;        /* "active" | "inactive" */
	long long config_version;
	long long version;
	int64_t created_at, updated_at;
};

/* True when s is a well-formed realm id: [a-z0-9][a-z0-9-]{1,62}.  Lookups
 * of anything else are "not found" without asking the database. */
bool au_store_realm_id_valid(const char *s);

/* Inserts r (id, timestamps and versions are assigned and written back).
 * AU_OK; AU_EDUP when realm_id is taken. */
int au_store_realm_insert(struct au_db *db, struct au_arena *a,
    struct au_realm *r);
/* AU_OK with *out; AU_ENOTFOUND. */
int au_store_realm_find(struct au_db *db, struct au_arena *a,
    const char *realm_id, struct au_realm **out);
/* Lightweight: only the configuration version (for cache validation). */
int au_store_realm_config_version(struct au_db *db, struct au_arena *a,
    const char *realm_id, long long *config_version);
/* Page of realms whose realm_id starts with prefix (NULL: all), ordered
 * by realm_id, and the total count of matches. */
int au_store_realm_list(struct au_db *db, struct au_arena *a,
    const char *prefix, int offset, int limit, struct au_realm **items,
    int *n, long long *total);
/* Writes name, description and status when version still equals
 * expected_version (0 = don't check); bumps version and config_version.
 * AU_OK; AU_ENOTFOUND; AU_ECONFLICT when the version moved. */
int au_store_realm_update(struct au_db *db, const struct au_realm *r,
    long long expected_version);
/* AU_OK; AU_ENOTFOUND. */
int au_store_realm_delete(struct au_db *db, const char *realm_id);
/* Bumps config_version so worker caches reload (every admin change). */
int au_store_realm_touch(struct au_db *db, const char *id);
/* Bumps every realm's config_version, for changes to what all realms
 * share (global roles and scopes) that any realm's tokens or discovery
 * may carry.  One statement; AU_OK. */
int au_store_realm_touch_all(struct au_db *db);
/* Totals shown as the realm's statistics. */
int au_store_realm_stats(struct au_db *db, struct au_arena *a, const char *id,
    long long *clients, long long *users);

#endif
