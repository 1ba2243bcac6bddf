/* oauth_keys.h — generating, provisioning and rotating a realm's keys.
 *
 * A new realm gets an active RS256 key and an active ES256 key.  Private
 * parts are sealed under the master key before they reach the database;
 * the kid is the key's RFC 7638 thumbprint.
 *
 * Publish before sign: discovery and the JWKS may be cached by the web
 * server and by relying parties for [server] metadata_max_age seconds, on
 * top of a worker's cache_ttl.  A key generated for a realm that already
 * publishes keys is therefore stored with activated_at = created +
 * metadata_max_age + cache_ttl (au_keys_activation_time): it is in the
 * JWKS at once but the signing-key selection (oauth_realm.c) lets it sign
 * only from then on.  A realm's very first keys sign at once: nothing was
 * published before them. */
#ifndef AU_OAUTH_KEYS_H
#define AU_OAUTH_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/crypto_jwk.h"
#include "crypto/crypto_seal.h"

struct au_arena;
struct au_config;
struct au_db;
struct au_key_row;

/* True when a realm key may be generated for alg and use: "sig" with
 * RS256, PS256, ES256 or EdDSA; "enc" with RSA-OAEP-256 (RSA 2048) or
 * ECDH-ES (P-256).  Encryption keys are published with use=enc and never
 * chosen for signing. */
bool au_keys_alg_valid(const char *alg, const char *use);
/* The use a key of alg has ("sig" or "enc"); NULL for an unknown alg. */
const char *au_keys_use_of(const char *alg);

/* True when k is a key of the type alg needs (RSA for RS256, PS256 and
 * RSA-OAEP-256, P-256 for ES256 and ECDH-ES, Ed25519 for EdDSA). */
bool au_keys_pkey_fits(const char *alg, const au_pkey *k);

/* Generates and seals a new key (no database): row gets kid, alg, use,
 * status "active", public_jwk and the sealed private part, all in a.
 * AU_EINVAL when alg/use is not valid; AU_ECRYPTO. */
int au_keys_make(struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *alg,
    const char *use, struct au_key_row *row);
/* When a key created at now may start signing (see above). */
int64_t au_keys_activation_time(const struct au_config *cfg, int64_t now);

/* Inside the caller's transaction: stores fresh (made by au_keys_make)
 * as the successor of old and makes old passive (rotated_at = now) when
 * its version still equals expected (0 = don't check).  old is updated
 * in place.  AU_OK; AU_ECONFLICT; store errors. */
int au_keys_rotate(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *old, struct au_key_row *fresh,
    long long expected);

/* Generates, seals and stores one key for alg that signs at once. */
int au_keys_create(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid,
    enum au_alg alg);
/* The default set of a new realm: RS256 and ES256, active at once. */
int au_keys_provision_realm(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid);

#endif
