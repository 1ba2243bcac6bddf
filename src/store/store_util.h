/* store_util.h — small conversions shared by the store files. */
#ifndef AU_STORE_UTIL_H
#define AU_STORE_UTIL_H

#include <stdint.h>

/* Column text to integer; 0 when NULL or malformed. */
long long au_col_ll(const char *s);
/* DATETIME column to epoch seconds; 0 when NULL. */
int64_t au_col_time(const char *s);

/* True when s has the shape of our ids (36 characters of hex and '-'):
 * lookups by anything else are "not found" without asking the database. */
#include <stdbool.h>
bool au_uuid_valid(const char *s);

/* One page of a list: count_sql with args gives the total, page_sql with
 * args followed by limit and offset gives the rows (its last two
 * placeholders).  AU_OK with *res and *total. */
struct au_db;
struct au_dbval;
struct au_dbres;
int au_store_page(struct au_db *db, struct au_arena *a, const char *count_sql,
    const char *page_sql, const struct au_dbval *args, int nargs, int offset,
    int limit, struct au_dbres *res, long long *total);

/* Client ids and consumer ids share one namespace per realm: both are the
 * client_id presented at the token endpoint (table principal_names).
 * kind is AU_PRINCIPAL_CLIENT or AU_PRINCIPAL_CONSUMER. */
enum au_principal_kind { AU_PRINCIPAL_CLIENT, AU_PRINCIPAL_CONSUMER };
/* Claims name for owner_uuid; call inside the owner's insert transaction.
 * AU_EDUP when a client or consumer of the realm already has it. */
int au_store_principal_claim(struct au_db *db, enum au_principal_kind kind,
    const char *realm_uuid, const char *name, const char *owner_uuid);
/* Deletes the client or consumer named name (its rows cascade) and frees
 * the name, in one transaction.  AU_OK; AU_ENOTFOUND. */
int au_store_principal_delete(struct au_db *db, enum au_principal_kind kind,
    const char *realm_uuid, const char *name);

/* SQL fragment helpers: escape a LIKE prefix (%, _ and \) into the arena. */
struct au_arena;
char *au_like_prefix(struct au_arena *a, const char *prefix);

/* ids[0..n) as a JSON array of strings, for JSON_TABLE: a set of ids in
 * one bound parameter keeps the SQL text constant.  Only UUIDs go in (no
 * escaping needed); NULL when one is not a UUID. */
char *au_uuid_json_array(struct au_arena *a, char *const *ids, int n);

#endif
