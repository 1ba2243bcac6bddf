/* store_consumer.h — consumers: the machine identities of a realm.
 *
 * A consumer id shares one namespace with client ids in its realm
 * (principal_names): insert claims the name in the same transaction and
 * delete frees it.  A consumer's allowed scopes are rows of
 * consumer_scopes (deleting a scope drops it everywhere); its audience is
 * a JSON array of strings on the row.  Usage is counted per UTC day in
 * consumer_usage and as running totals on the row; recording it never
 * touches version or updated_at, which belong to the admin's edits. */
#ifndef AU_STORE_CONSUMER_H
#define AU_STORE_CONSUMER_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_consumer {
	char *id;                 /* UUID */
	char *realm_uuid;
	char *consumer_id;
	char *name;
	char *description;
	bool enabled;
	char **scopes;            /* allowed scope names, sorted */
	int nscopes;
	char **audience;          /* in the order given */
	int naudience;
	long long tokens_issued;
	int64_t last_used_at;     /* 0 = never */
	char *last_ip;            /* NULL = never */
	long long version;
	int64_t created_at, updated_at;
};

struct au_consumer_day {
	char date[11];            /* "YYYY-MM-DD", UTC */
	long long tokens;
};

/* Inserts c (id, timestamps, version assigned; scopes are written by
 * au_store_consumer_set_scopes).  AU_OK; AU_EDUP when the consumer id is
 * taken by a consumer or a client of the realm. */
int au_store_consumer_insert(struct au_db *db, struct au_arena *a,
    struct au_consumer *c);
/* AU_OK with *out (its allowed scopes included); AU_ENOTFOUND. */
int au_store_consumer_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *consumer_id,
    struct au_consumer **out);
/* Page of the realm's consumers whose id starts with prefix (NULL: all),
 * ordered by consumer id, and the total count of matches. */
int au_store_consumer_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_consumer **items, int *n, long long *total);
/* Writes name, description, enabled and audience when the version still
 * equals expected_version (0 = don't check); bumps version.
 * AU_OK; AU_ENOTFOUND; AU_ECONFLICT. */
int au_store_consumer_update(struct au_db *db, struct au_arena *a,
    const struct au_consumer *c, long long expected_version);
/* Deletes a consumer (secrets, roles, scopes and usage cascade) and frees
 * its id in the realm's namespace.  AU_OK; AU_ENOTFOUND. */
int au_store_consumer_delete(struct au_db *db, const char *realm_uuid,
    const char *consumer_id);

/* Replaces the allowed scopes of c with names[0..n) (global scopes or
 * the realm's; a realm scope wins over a global one of the same name).
 * AU_ENOTFOUND names the first unknown one in *missing. */
int au_store_consumer_set_scopes(struct au_db *db, struct au_arena *a,
    const struct au_consumer *c, char **names, int n, const char **missing);

/* Counts one token issued at `now` from ip: the day's row and the
 * running totals (tokens_issued, last_used_at, last_ip). */
int au_store_consumer_record_use(struct au_db *db, const char *consumer_uuid,
    const char *ip, int64_t now);
/* Tokens per UTC day for the ndays days up to and including now's,
 * oldest first, days without tokens included as 0. */
int au_store_consumer_usage(struct au_db *db, struct au_arena *a,
    const char *consumer_uuid, int64_t now, int ndays,
    struct au_consumer_day **days);

#endif
