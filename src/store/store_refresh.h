/* store_refresh.h — refresh tokens: rotation, families, revocation.
 *
 * A refresh token is a 256-bit random value the client holds; the table
 * keeps its SHA-256 (crypto_hash.h).  Every use spends the token and
 * issues a child in the same family (family_id; parent_id names the
 * token it replaced), so a family is one chain of rotations.  Spending
 * is one UPDATE ... WHERE used_at IS NULL: of two concurrent refreshes
 * exactly one spends the token, the other sees a spent one.
 *
 * Presenting a spent token is reuse (RFC 9700 §4.14.2): the family is
 * revoked, and with it the access tokens issued alongside its members
 * (their jti goes to revoked_tokens until they expire).  A replayed
 * authorization code (RFC 9700 §4.5) revokes the same way everything
 * issued from the code.
 *
 * A session-bound token (offline = false) names its SSO session and
 * lives only as long as that session; an offline token (scope
 * offline_access) survives it. */
#ifndef AU_STORE_REFRESH_H
#define AU_STORE_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;
struct au_user;

struct au_refresh {
	char *id;
	char *family_id;
	char *parent_id;          /* NULL for the first of a family */
	char *client_uuid;
	char *user_id;
	char *session_id;         /* the session it was issued in, or NULL */
	char *auth_code_id;       /* the code the family came from, or NULL */
	char *scope;
	bool offline;
	int64_t auth_time;
	int64_t created_at;
	int64_t expires_at;       /* idle expiry, never past family_expires_at */
	int64_t family_expires_at;
	int64_t used_at;          /* 0: unspent */
	int64_t revoked_at;       /* 0: live */
};

/* Inserts t (t->id assigned; t->family_id assigned when NULL) with the
 * access token issued alongside it (jti and expiry), in one transaction
 * with spending t->parent_id at t->created_at when spend_parent (a
 * rotation): AU_EDENIED, and nothing written, when the parent was
 * spent or revoked meanwhile.  Now and then, after the commit, also
 * drops rows of the realm's families that expired a day ago or more. */
int au_store_refresh_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, struct au_refresh *t,
    const char *access_jti, int64_t access_expires_at, bool spend_parent);

/* The token with this hash in the realm.  AU_OK; AU_ENOTFOUND. */
int au_store_refresh_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, struct au_refresh **out);

/* A refresh's one read: the token, its user and its session's state. */
struct au_refresh_use {
	struct au_refresh *t;
	struct au_user *user;     /* NULL: the user is gone */
	bool session_live;        /* t's session is live (never for offline
	                             tokens without one) */
	int64_t session_seen_at;  /* its last_seen_at, when live */
};

/* The token with this hash in the realm, joined in the same query to its
 * user and to its session, live at now by store_login.h's rule (not
 * ended, unexpired, seen within session_idle seconds; the caller marks it
 * seen with au_store_session_seen).  AU_OK; AU_ENOTFOUND. */
int au_store_refresh_find_use(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, int64_t now,
    int session_idle, struct au_refresh_use *out);

/* Revokes every token of the family and the unexpired access tokens
 * issued with them.  Revoking twice is no change. */
int au_store_refresh_revoke_family(struct au_db *db, const char *family_id,
    int64_t now);

/* A replayed code: revokes the access token issued with it and every
 * family that came from it, with their access tokens. */
int au_store_code_revoke_issued(struct au_db *db, const char *code_id,
    int64_t now);

/* Records the access token issued with code_id (for the above). */
int au_store_code_set_access(struct au_db *db, const char *code_id,
    const char *access_jti, int64_t access_expires_at);

#endif
