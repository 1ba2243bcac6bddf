/* store_action.h — single-use links sent by mail and the rate limits of
 * the pages that send them (tables action_tokens, action_limits of
 * migration 0011).
 *
 * A link's token is random; only its SHA-256 (hex) reaches the store.  A
 * link is found only in its own realm and for its own kind, and works
 * once: au_store_action_take claims it with one UPDATE. */
#ifndef AU_STORE_ACTION_H
#define AU_STORE_ACTION_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_action {
	const char *user_id;
	const char *kind;       /* "verify" | "reset" */
	const char *email;      /* "verify": the address sent to; or NULL */
	const char *authreq;    /* sealed request to continue, or NULL */
	int64_t created_at, expires_at;
};

int au_store_action_insert(struct au_db *db, const char *realm_uuid,
    const char *token_hash, const struct au_action *t);

/* Claims the unused, unexpired link of kind with that hash in the realm
 * (marks it used at now) and reads it into *out.  AU_OK; AU_ENOTFOUND
 * when there is none (unknown, used, expired, other realm or kind). */
int au_store_action_take(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, const char *kind,
    int64_t now, struct au_action **out);

/* As au_store_action_take without spending the link. */
int au_store_action_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, const char *kind,
    int64_t now, struct au_action **out);

/* Marks every unused link of kind of the user used (a password reset
 * spends the other reset links). */
int au_store_action_spend_all(struct au_db *db, const char *user_id,
    const char *kind, int64_t now);

/* Marks the user's address verified while it still is email (a
 * verification link names the address it was sent to). */
int au_store_action_email_verified(struct au_db *db, const char *realm_uuid,
    const char *user_id, const char *email, int64_t now);

/* Counts a hit of subject in the realm in a fixed window of window
 * seconds and sets *allowed when it is at most the max-th hit of the
 * window. */
int au_store_action_limit(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *subject, int64_t now, int window,
    int max, bool *allowed);

#endif
