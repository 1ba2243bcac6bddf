/* crypto_password.h — user passwords at rest.
 *
 * A password is stored as a self-describing PHC-style string, so the
 * algorithm and its cost can change while old hashes keep verifying:
 *
 *     $scrypt$ln=15,r=8,p=1$<salt>$<hash>
 *
 * scrypt (RFC 7914) through OpenSSL 3's EVP_KDF "SCRYPT", N = 2^ln, with a
 * 16-byte random salt and a 32-byte derived key, both in standard base64
 * without padding (the PHC string format's B64).  ln=15 costs 32 MiB and
 * roughly 0.1 s of CPU per hash. */
#ifndef AU_CRYPTO_PASSWORD_H
#define AU_CRYPTO_PASSWORD_H

#include <stdbool.h>

struct au_arena;

#define AU_PASSWORD_DEFAULT_LN 15
/* Work factors au_password_hash accepts: N = 2^10 (1 MiB, for tests) up to
 * 2^17 (128 MiB per worker).  Verify also bounds what a stored string may
 * ask for (ln <= 17, at most 256 MiB), so no row can make a worker
 * allocate without limit. */
#define AU_PASSWORD_MIN_LN 10
#define AU_PASSWORD_MAX_LN 17

/* How long (in characters) a new password may be, wherever it is set
 * (the admin API, the hosted pages). */
#define AU_PASSWORD_MIN_CHARS 8
#define AU_PASSWORD_MAX_CHARS 1024

/* The PHC string of password hashed with N = 2^ln, r=8, p=1 and a fresh
 * salt, in the arena; NULL when ln is out of range or the KDF fails. */
char *au_password_hash(struct au_arena *a, const char *password, int ln);

/* True only when phc is a well-formed scrypt string within the accepted
 * limits and password derives the same key (compared in constant time).
 * False for anything malformed, NULL included. */
bool au_password_verify(const char *password, const char *phc);

/* True when phc is a string au_password_verify can check: well-formed
 * scrypt within the accepted limits (an import carries hashes as
 * stored). */
bool au_password_hash_valid(const char *phc);

/* True when phc was not made by au_password_hash(.., ln) today: malformed,
 * another algorithm, other parameters or sizes.  Login rehashes then. */
bool au_password_needs_rehash(const char *phc, int ln);

#endif
