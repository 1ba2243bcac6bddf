/* oauth_keys.h — provisioning a realm's signing keys.
 *
 * A new realm gets an active RS256 key and an active ES256 key.  Private
 * parts are sealed under the master key before they reach the database;
 * the kid is the key's RFC 7638 thumbprint. */
#ifndef AU_OAUTH_KEYS_H
#define AU_OAUTH_KEYS_H

#include "crypto/crypto_jwk.h"
#include "crypto/crypto_seal.h"

struct au_arena;
struct au_db;

/* Generates, seals and stores one active key for alg. */
int au_keys_create(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid,
    enum au_alg alg);
/* The default set of a new realm: RS256 and ES256. */
int au_keys_provision_realm(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid);

#endif
