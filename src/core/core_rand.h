/* core_rand.h — the CSPRNG (OpenSSL's RAND_bytes) and random identifiers.
 *
 * Failure of the CSPRNG is not survivable for an identity provider: these
 * functions abort rather than hand out a predictable value. */
#ifndef AU_CORE_RAND_H
#define AU_CORE_RAND_H

#include <stddef.h>

struct au_arena;

void au_rand_bytes(void *buf, size_t n);
/* A random UUID (version 4) as 36 lower-case characters, in the arena. */
char *au_rand_uuid(struct au_arena *a);
/* n random bytes encoded base64url without padding: an opaque token. */
char *au_rand_token(struct au_arena *a, size_t nbytes);

#endif
