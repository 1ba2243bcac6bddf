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

/* SQL fragment helpers: escape a LIKE prefix (%, _ and \) into the arena. */
struct au_arena;
char *au_like_prefix(struct au_arena *a, const char *prefix);

#endif
