/* core_rand.c — random bytes, UUIDs and opaque tokens. */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/rand.h>

#include "core/core_arena.h"
#include "core/core_rand.h"

void
au_rand_bytes(void *buf, size_t n)
{
	if (n > 0 && RAND_bytes(buf, (int)n) != 1) {
		fputs("authio: CSPRNG failure\n", stderr);
		abort();
	}
}

char *
au_rand_uuid(struct au_arena *a)
{
	unsigned char b[16];

	au_rand_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	return au_arena_printf(a,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
}

char *
au_rand_token(struct au_arena *a, size_t nbytes)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char *b = au_arena_alloc(a, nbytes);
	size_t outlen = (nbytes * 8 + 5) / 6, i, bit = 0;
	char *s = au_arena_alloc(a, outlen + 1);

	au_rand_bytes(b, nbytes);
	/* base64url by bit position: 6 bits per output character */
	for (i = 0; i < outlen; i++, bit += 6) {
		size_t byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)b[byte] << 8;

		if (byte + 1 < nbytes)
			v |= b[byte + 1];
		s[i] = alphabet[(v >> (10 - shift)) & 63];
	}
	s[outlen] = '\0';
	return s;
}
