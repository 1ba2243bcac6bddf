/* crypto_seal.h — AES-256-GCM sealing of private keys under the master key.
 *
 * The master key is 32 random bytes kept in a file outside the database
 * (64 hex characters, optional trailing newline).  A sealed blob is
 * version(1)=0x01 || iv(12) || ciphertext || tag(16); the associated data
 * binds it to its key id, so a blob copied onto another row fails. */
#ifndef AU_CRYPTO_SEAL_H
#define AU_CRYPTO_SEAL_H

#include <stddef.h>

#include "crypto/crypto_jwk.h"

struct au_arena;

#define AU_MASTER_KEY_LEN 32

/* Reads the master key file. AU_OK; AU_EIO / AU_EINVAL with a message in
 * err (missing, wrong length, not hex, readable by group or others). */
int au_seal_load_master(const char *path, unsigned char key[AU_MASTER_KEY_LEN],
    char *err, size_t errlen);

int au_seal(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const void *plain, size_t n, const char *aad, unsigned char **out,
    size_t *outlen);
/* AU_EDENIED when the tag does not verify (tampered or wrong key/aad).
 * The plaintext is wiped when the arena resets. */
int au_unseal(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const unsigned char *blob, size_t n, const char *aad, unsigned char **out,
    size_t *outlen);

/* A private key sealed with its kid as associated data, and back. */
int au_seal_pkey(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const au_pkey *k, const char *kid, unsigned char **out, size_t *outlen);
int au_unseal_pkey(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const unsigned char *blob, size_t n, const char *kid, au_pkey **out);

#endif
