/* crypto_jwe.h — JWE compact serialisation (RFC 7516) to a recipient's
 * public key, and back (for tests and for symmetry).
 *
 * Key management (RFC 7518 §4): "RSA-OAEP-256" (RSA OAEP with SHA-256 and
 * MGF1-SHA-256, a random content encryption key) and "ECDH-ES" (direct
 * key agreement on P-256 with an ephemeral key sent as "epk", the key
 * derived by the Concat KDF of §4.6 with empty apu/apv).  Content
 * encryption (§5): "A128GCM", "A256GCM" and "A128CBC-HS256".  Every
 * other algorithm is refused.  The protected header is {"alg", "enc",
 * "kid" (when not NULL), "cty" (when not NULL), "epk" (ECDH-ES)}, and is
 * the additional authenticated data as its base64url text. */
#ifndef AU_CRYPTO_JWE_H
#define AU_CRYPTO_JWE_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/crypto_jwk.h"

struct au_arena;

/* True when alg / enc is one of those above. */
bool au_jwe_alg_supported(const char *alg);
bool au_jwe_enc_supported(const char *enc);
/* True when key can receive alg (RSA for RSA-OAEP-256, an EC P-256 key
 * for ECDH-ES). */
bool au_jwe_key_fits(const au_pkey *key, const char *alg);

/* Encrypts pt (n bytes) to the public key pub.  *out: the compact JWE,
 * five base64url parts, in the arena.  AU_EINVAL for an unsupported
 * alg/enc or a key that does not fit; AU_ECRYPTO. */
int au_jwe_encrypt(struct au_arena *a, const au_pkey *pub, const char *kid,
    const char *alg, const char *enc, const char *cty, const void *pt,
    size_t n, char **out);

/* Decrypts a compact JWE with the private key priv: *pt (NUL-terminated,
 * not counted in *n) in the arena, and the protected header's alg and
 * enc must be supported.  AU_EINVAL when malformed; AU_EDENIED when it
 * does not decrypt or authenticate. */
int au_jwe_decrypt(struct au_arena *a, const au_pkey *priv,
    const char *compact, unsigned char **pt, size_t *n);

/* The Concat KDF of RFC 7518 §4.6.2 with SHA-256: keylen bytes (at most
 * 32) from the shared secret z for algorithm id alg_id and the party
 * infos apu, apv (empty when NULL).  Exposed for the RFC 7518 Appendix C
 * test vector. */
int au_jwe_concat_kdf(const unsigned char *z, size_t zlen,
    const char *alg_id, const void *apu, size_t apulen, const void *apv,
    size_t apvlen, unsigned char *key, size_t keylen);

#endif
