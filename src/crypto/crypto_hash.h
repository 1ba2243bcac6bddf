/* crypto_hash.h — SHA-256 and high-entropy secret hashing.
 *
 * Client secrets, refresh tokens, codes and session ids are 256-bit random
 * values: a plain SHA-256 is the right at-rest form for them (no KDF is
 * needed against brute force of 2^256).  Stored as 64 lower-case hex
 * characters.  User passwords use a slow KDF instead (crypto_password). */
#ifndef AU_CRYPTO_HASH_H
#define AU_CRYPTO_HASH_H

#include <stdbool.h>
#include <stddef.h>

struct au_arena;

void au_sha256(const void *p, size_t n, unsigned char out[32]);
/* Hex SHA-256 of the secret, in the arena. */
char *au_secret_hash(struct au_arena *a, const char *secret);
/* Constant-time comparison of the secret's hash with stored (hex). */
bool au_secret_verify(const char *secret, const char *stored);

#endif
