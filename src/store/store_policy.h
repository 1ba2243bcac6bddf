/* store_policy.h — the one rules engine of a realm's identity policies.
 *
 * Given the effective policies (store_settings.h), who the user is and a
 * candidate, it returns every rule the candidate breaks, each as
 * {rule, message}: the admin API answers them all in one 400, the hosted
 * pages show a message per rule.  Nothing here touches the database or
 * HTTP: the caller passes the password history (PHC strings) it read.
 *
 * Character classes are ASCII (digits, a-z, A-Z); a "special" character
 * is any other character, non-ASCII ones included.  Lengths count
 * characters (UTF-8 code points).  Regular expressions are POSIX
 * extended, searched (anchor them with ^...$ to match the whole value).
 *
 * The denylist of common passwords is a hash set loaded once per worker
 * from a text file (one password per line, '#' comments); lookups are
 * case-insensitive (ASCII) and O(1). */
#ifndef AU_STORE_POLICY_H
#define AU_STORE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

struct au_arena;
struct au_password_policy;
struct au_username_policy;

struct au_violation {
	const char *rule;     /* the member's name: "minLength", "denylist" */
	const char *message;  /* a sentence for the user, in English */
	int count;            /* the rule's number (minLength's length,
	                         history's passwords...), 0 when it has none:
	                         what a translated message says */
};

struct au_denylist;

/* Reads path into a new set.  NULL with a message in err when the file
 * cannot be read. */
struct au_denylist *au_denylist_load(const char *path, char *err,
    size_t errlen);
void au_denylist_free(struct au_denylist *d);
/* True when pw (any case) is on the list; false for a NULL list. */
bool au_denylist_has(const struct au_denylist *d, const char *pw);
/* Number of entries. */
size_t au_denylist_size(const struct au_denylist *d);

/* Every rule of p that pw breaks for the user (username and email may be
 * NULL), into *out (arena) in the document's order; history holds the
 * user's last password hashes, newest first (nhistory of them; only the
 * first p->history are checked).  deny may be NULL (no list loaded: the
 * denylist rule is skipped).  Returns the number of violations. */
int au_policy_password_check(struct au_arena *a,
    const struct au_password_policy *p, const struct au_denylist *deny,
    const char *username, const char *email, const char *pw,
    char *const *history, int nhistory, struct au_violation **out);

/* Every rule of p that username breaks (email may be NULL), as above. */
int au_policy_username_check(struct au_arena *a,
    const struct au_username_policy *p, const char *username,
    const char *email, struct au_violation **out);

#endif
