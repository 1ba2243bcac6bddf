/* crypto_b64url.h — base64url without padding (RFC 7515 §2, RFC 4648 §5). */
#ifndef AU_CRYPTO_B64URL_H
#define AU_CRYPTO_B64URL_H

#include <stddef.h>

struct au_arena;

char *au_b64url_encode(struct au_arena *a, const void *p, size_t n);
/* Strict decoding: only [A-Za-z0-9_-], no padding, no whitespace, length
 * mod 4 != 1, and unused trailing bits zero.  The output is NUL-terminated
 * (not counted in *outlen).  AU_OK or AU_EINVAL. */
int au_b64url_decode(struct au_arena *a, const char *s, size_t n,
    unsigned char **out, size_t *outlen);
/* Standard base64 (with padding), for HTTP Basic. Same contract. */
int au_b64_decode(struct au_arena *a, const char *s, size_t n,
    unsigned char **out, size_t *outlen);

#endif
