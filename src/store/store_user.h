/* store_user.h — users of a realm, their passwords, lockout state and
 * SSO sessions.
 *
 * Users are addressed by id (a UUID); username and email are each unique
 * in the realm, compared case-insensitively by the columns' collation.
 * Usernames are stored lower-cased by the caller.  The password hash never
 * leaves this file in a struct au_user: readers see only password_set. */
#ifndef AU_STORE_USER_H
#define AU_STORE_USER_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_user {
	char *id;                 /* UUID */
	char *realm_uuid;
	char *username;
	char *email;              /* NULL: none */
	bool email_verified;
	char *first_name;
	char *last_name;
	bool enabled;
	char *attributes;         /* JSON object text, or NULL */
	char *required_actions;   /* space-separated, "" for none */
	bool password_set;
	int64_t password_changed_at;  /* 0: never */
	long long failed_logins;
	int64_t locked_until;     /* 0: not temporarily locked */
	bool locked_permanently;
	long long version;
	int64_t created_at, updated_at;
};

/* The columns of a user row, each prefixed with t ("" or "u." in a
 * join), in the order au_store_user_from_row reads them. */
#define AU_USER_COLS(t) t "id, " t "realm_id, " t "username, " t "email, " \
	t "email_verified, " t "first_name, " t "last_name, " t "enabled, " \
	t "attributes, " t "required_actions, " t "password_hash IS NOT NULL, " \
	t "password_changed_at, " t "failed_logins, " t "locked_until, " \
	t "locked_permanently, " t "version, " t "created_at, " t "updated_at"
#define AU_USER_NCOLS 18

/* Fills u from the AU_USER_NCOLS columns of AU_USER_COLS at row (strings
 * stay the row's). */
void au_store_user_from_row(struct au_user *u, char **row);

/* True when u is locked out at time now (temporarily or for good). */
bool au_user_locked(const struct au_user *u, int64_t now);

/* Inserts u (id, timestamps and version are assigned and written back).
 * AU_OK; AU_EDUP with *dup_field "username" or "email" naming the value
 * another user of the realm already holds. */
int au_store_user_insert(struct au_db *db, struct au_arena *a,
    struct au_user *u, const char **dup_field);
/* As au_store_user_insert with the password hash phc set in the same
 * transaction (self-registration: never a user without its password). */
int au_store_user_insert_with_password(struct au_db *db, struct au_arena *a,
    struct au_user *u, const char *phc, const char **dup_field);

/* Lookups; AU_OK with *out, AU_ENOTFOUND.  A malformed id is not found
 * without a query. */
int au_store_user_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *id, struct au_user **out);
/* As au_store_user_find, with a locking read: inside a transaction the
 * row stays as read until the commit (read-modify-write). */
int au_store_user_lock(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *id, struct au_user **out);
int au_store_user_find_by_username(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *username, struct au_user **out);
int au_store_user_find_by_email(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *email, struct au_user **out);

/* Page of users whose username or email starts with prefix (NULL or "":
 * all), ordered by username, and the total count of matches. */
int au_store_user_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_user **items, int *n, long long *total);

/* The next page of the realm's users, by username, after the username
 * after (NULL or "": from the start): how an export walks a realm of any
 * size without OFFSET. */
int au_store_user_list_after(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *after, int limit,
    struct au_user **items, int *n);

/* Writes the editable fields of u (username, email, email_verified,
 * names, enabled, attributes, required_actions) when its version still
 * equals expected_version (0 = don't check); bumps version.  AU_OK;
 * AU_ENOTFOUND; AU_ECONFLICT; AU_EDUP with *dup_field as for insert. */
int au_store_user_update(struct au_db *db, struct au_arena *a,
    const struct au_user *u, long long expected_version,
    const char **dup_field);

/* Deletes a user (sessions, tokens, role mappings and history cascade)
 * when its version equals expected_version (0 = any).  AU_OK;
 * AU_ENOTFOUND; AU_ECONFLICT. */
int au_store_user_delete(struct au_db *db, const char *realm_uuid,
    const char *id, long long expected_version);

/* Stores a new password hash (a PHC string) and the user's new
 * required_actions, bumps version, and appends the hash to
 * user_password_history.  AU_OK; AU_ENOTFOUND. */
int au_store_user_set_password(struct au_db *db, const char *realm_uuid,
    const char *id, const char *phc, const char *required_actions);

/* The user's last n password hashes (PHC strings), newest first, into
 * (*out)[0..*count) (user_password_history, which holds the current one
 * too). */
int au_store_user_password_history(struct au_db *db, struct au_arena *a,
    const char *user_id, int n, char ***out, int *count);

/* Replaces the password hash old_phc by new_phc, the same password at
 * another cost: no history row, no version bump, password_changed_at
 * kept.  A hash changed meanwhile is left alone (AU_OK either way). */
int au_store_user_rehash(struct au_db *db, const char *realm_uuid,
    const char *id, const char *old_phc, const char *new_phc);

/* The password hashes (PHC strings, NULL: no password) of users[0..n),
 * a page of a realm's users, into (*out)[0..n): only for an export that
 * carries secrets. */
int au_store_user_password_hashes(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const struct au_user *users, int n, char ***out);

/* Clears the lockout state (failed logins, lockout count, locked_until,
 * locked_permanently) and bumps version.  AU_OK; AU_ENOTFOUND. */
int au_store_user_unlock(struct au_db *db, const char *realm_uuid,
    const char *id);

struct au_user_session {
	char *id;
	char *ip;
	char *user_agent;
	bool remember_me;
	int64_t created_at, last_seen_at, expires_at;
};

/* The user's live sessions (not ended, not expired at now), newest
 * first, one page, and their total. */
int au_store_user_sessions(struct au_db *db, struct au_arena *a,
    const char *user_id, int64_t now, int offset, int limit,
    struct au_user_session **items, int *n, long long *total);

/* Ends every live session of the user at now and revokes the refresh
 * tokens bound to them (offline tokens survive, store_refresh.h).  AU_OK with *ended (may be NULL) = how many. */
int au_store_user_end_sessions(struct au_db *db, const char *user_id,
    int64_t now, long long *ended);

#endif
