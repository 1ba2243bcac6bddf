/* oauth_encrypt.h — encrypting to a client (ID tokens, userinfo) with
 * the keys of its registered JWK Set (tokenSettings idTokenEncryption,
 * userinfoEncryption; crypto_jwe.h).
 *
 * The key is chosen from the client's "jwks" (a jwksUri is not fetched):
 * the first key whose "use" is "enc" and that fits the algorithm, else
 * the first without "use" that fits and whose "alg", when present, is
 * the algorithm.  Keys marked "use": "sig" are never chosen. */
#ifndef AU_OAUTH_ENCRYPT_H
#define AU_OAUTH_ENCRYPT_H

#include "crypto/crypto_jwk.h"

struct au_arena;
struct au_cached_client;
struct json_object;

/* The key of jwks (a parsed JWK Set) for alg: AU_OK with *key (the
 * caller frees it) and *kid (borrowed from jwks, NULL when the JWK has
 * none); AU_ENOTFOUND. */
int au_client_enc_key(struct json_object *jwks, const char *alg,
    au_pkey **key, const char **kid);

/* Encrypts payload (text) to the client's key for alg/enc with content
 * type cty (may be NULL).  *out in the arena.  AU_ENOTFOUND when the
 * client has no such key any more; AU_ECRYPTO. */
int au_oauth_encrypt_for(struct au_arena *a, const struct au_cached_client *cc,
    const char *alg, const char *enc, const char *cty, const char *payload,
    char **out);

#endif
