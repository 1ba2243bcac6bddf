/* store_token.h — revoked access tokens and spent client assertions.
 *
 * Access tokens are JWTs nobody stores; revoking one (RFC 7009) records
 * its jti until it expires, and every check is one primary-key lookup.
 * private_key_jwt assertions are single use: their jti (hashed, per
 * client) is recorded until the assertion expires. */
#ifndef AU_STORE_TOKEN_H
#define AU_STORE_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

/* Records jti of realm_uuid as revoked until expires_at; revoking twice
 * is no change.  Also drops up to 100 rows of tokens expired since. */
int au_store_token_revoke(struct au_db *db, const char *realm_uuid,
    const char *jti, int64_t expires_at);
/* *revoked tells whether jti was revoked (AU_OK), by primary key. */
int au_store_token_revoked(struct au_db *db, struct au_arena *a,
    const char *jti, bool *revoked);

/* Records the assertion jti (SHA-256 hex) of client_uuid until
 * expires_at.  AU_OK the first time; AU_EDUP when it was seen before.
 * The client's expired jtis are dropped first. */
int au_store_assertion_jti_use(struct au_db *db, const char *client_uuid,
    const char *jti_sha256, int64_t expires_at);

/* Opaque access tokens (tokenSettings.accessTokenFormat "opaque"): the
 * SHA-256 hex of the random token, its claims (JSON text, with jti and
 * exp) and expiry.  Inserting also drops up to 10 expired rows. */
int au_store_opaque_insert(struct au_db *db, const char *realm_uuid,
    const char *token_hash, const char *jti, const char *claims,
    int64_t expires_at);
/* The claims text of the unexpired token with this hash in the realm.
 * AU_OK; AU_ENOTFOUND (unknown or expired); AU_EDB. */
int au_store_opaque_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, char **claims);

#endif
