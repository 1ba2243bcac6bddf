/* store_login.h — SSO sessions and authorization codes.
 *
 * Both are found by the SHA-256 of a 256-bit random value the browser or
 * client holds (crypto_hash.h); the value itself is never stored.  A code
 * is spent by one UPDATE ... WHERE used_at IS NULL, so of two concurrent
 * exchanges exactly one wins. */
#ifndef AU_STORE_LOGIN_H
#define AU_STORE_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_session {
	char *id;
	char *user_id;
	int64_t auth_time;
	int64_t created_at;
	int64_t last_seen_at;
	int64_t expires_at;
	char *amr;
	char *acr;
	bool remember_me;         /* the cookie outlives the browser */
};

/* Inserts a session (s->id assigned, timestamps as given). */
int au_store_session_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_hash, const char *ip,
    const char *user_agent, struct au_session *s);
/* The live session with this hash: not ended, not past expires_at and
 * seen within idle seconds.  Marks it seen now (when its last use is
 * older than a tenth of idle, at most a minute).  AU_OK; AU_ENOTFOUND. */
int au_store_session_find_live(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_hash, int64_t now,
    int idle, struct au_session **out);
/* As au_store_session_find_live, for the session with this id (a token
 * names its session by id), marked seen now: a refresh is activity. */
int au_store_session_live_by_id(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_id, int64_t now, int idle,
    struct au_session **out);
/* Marks the live session id, last seen at last_seen_at, seen now when
 * that is older than a tenth of idle (at most a minute): the rule of
 * the two above, for a caller that read the session itself (a refresh
 * reads it joined to its token). */
int au_store_session_seen(struct au_db *db, const char *id,
    int64_t last_seen_at, int64_t now, int idle);
/* Whether the session id of the realm is live at now by the same rule
 * (not ended, not expired, seen within idle seconds), without marking it
 * seen: for a token that names its session (sid).  AU_OK with *live. */
int au_store_session_live(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *id, int64_t now, int idle,
    bool *live);

struct au_event;

/* Ends the session id of the realm (RP-initiated logout): in one
 * transaction marks it ended at now and revokes its session-bound
 * refresh tokens (offline ones survive the session).  With user_id the
 * session must also be that user's.  When this call ended it, *ended is
 * set (may be NULL) and ev (may be NULL) is recorded in the same
 * transaction.  A session that does not exist or had already ended is
 * AU_OK with *ended false: logging out twice is no error. */
int au_store_session_end(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_id, const char *user_id,
    int64_t now, struct au_event *ev, bool *ended);

/* Whether the user is assigned to the client (client_users; clients with
 * userAccess "assigned" admit only those).  AU_OK with *out. */
int au_store_client_user_assigned(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *user_id, bool *out);

/* The policies document's lockout members (store_settings.h fills them). */
struct au_lockout {
	bool enabled;
	int max_failures;
	int wait_increment;
	int max_wait;
	int failure_reset;
	int permanent_after;     /* 0 = never */
	int per_ip_max_failures; /* 0 = no per-IP limit */
};

/* Counts a failed password of the user: failures older than
 * failure_reset seconds start the count again; reaching max_failures
 * locks the user for wait_increment x (lockouts so far + 1) seconds, at
 * most max_wait, and for good once permanent_after temporary lockouts
 * came before.  *locked (may be NULL) tells whether this failure locked
 * the user.  The row's version is not bumped (an administrator's
 * If-Match stays valid). */
int au_store_user_login_failed(struct au_db *db, const char *user_id,
    int64_t now, const struct au_lockout *p, bool *locked);
/* Clears the failure and lockout counts after a successful sign-in. */
int au_store_user_login_ok(struct au_db *db, const char *user_id);

/* Failed sign-ins from one address in a realm, across accounts (password
 * spraying): au_store_ip_failed counts one (the count starts again when
 * the previous failure is older than reset seconds; a few rows of the
 * realm quiet for longer are deleted);
 * au_store_ip_blocked tells whether max failures were counted within the
 * last reset seconds.  max 0 disables both. */
int au_store_ip_failed(struct au_db *db, const char *realm_uuid,
    const char *ip, int64_t now, int reset);
int au_store_ip_blocked(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *ip, int64_t now, int reset, int max,
    bool *blocked);

/* The scopes (space-separated) the user consented to for the client;
 * "" when never. */
int au_store_consent_get(struct au_db *db, struct au_arena *a,
    const char *user_id, const char *client_uuid, char **scopes);
/* Records (replaces) the user's consent for the client. */
int au_store_consent_put(struct au_db *db, const char *user_id,
    const char *client_uuid, const char *scopes, int64_t now);

struct au_code {
	char *id;
	char *client_uuid;
	char *user_id;
	char *session_id;         /* or NULL */
	char *redirect_uri;
	char *scope;
	char *nonce;              /* or NULL */
	char *code_challenge;     /* or NULL */
	char *code_challenge_method;
	char *resource;           /* RFC 8707 resource, or NULL */
	int64_t auth_time;
	int64_t created_at;
	int64_t expires_at;
	int64_t used_at;          /* 0: unused */
};

int au_store_code_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *code_hash, struct au_code *c);
/* Spends the code with this hash: AU_OK with *out when this call spent
 * it; AU_ECONFLICT with *out when it was already spent (a replay);
 * AU_ENOTFOUND.  Expiry is the caller's to judge. */
int au_store_code_spend(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *code_hash, int64_t now,
    struct au_code **out);

#endif
