/* crypto_b64url.c — base64url (JOSE) and standard base64 (HTTP Basic).
 *
 * Both decoders are strict, because every JWS part and every Basic
 * credential is attacker input: one encoding of a value is accepted and no
 * other.  Characters outside the alphabet, whitespace, misplaced padding
 * and non-zero unused trailing bits all give AU_EINVAL.  The table-driven
 * decoder is hand-written rather than EVP_DecodeBlock() because the latter
 * skips whitespace and cannot report unused bits; it also never has to
 * subtract padding from a length rounded up to a multiple of three. */
#include <stdint.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "crypto/crypto_b64url.h"

static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value of c in the alphabet (url: '-' '_', std: '+' '/'), or -1. */
static int
sextet(unsigned char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

char *
au_b64url_encode(struct au_arena *a, const void *p, size_t n)
{
	const unsigned char *in = p;
	size_t full = n / 3, rest = n % 3, i, o = 0;
	char *s = au_arena_alloc(a, full * 4 + (rest ? rest + 1 : 0) + 1);
	uint32_t v;

	for (i = 0; i < full * 3; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		s[o++] = url_alphabet[v >> 18];
		s[o++] = url_alphabet[(v >> 12) & 63];
		s[o++] = url_alphabet[(v >> 6) & 63];
		s[o++] = url_alphabet[v & 63];
	}
	if (rest > 0) {
		v = (uint32_t)in[i] << 16;
		if (rest == 2)
			v |= (uint32_t)in[i + 1] << 8;
		s[o++] = url_alphabet[v >> 18];
		s[o++] = url_alphabet[(v >> 12) & 63];
		if (rest == 2)
			s[o++] = url_alphabet[(v >> 6) & 63];
	}
	s[o] = '\0';
	return s;
}

/* Decodes n alphabet characters (no padding) into out, which has room for
 * n * 3 / 4 bytes.  AU_EINVAL on a foreign character, n % 4 == 1, or
 * non-zero unused bits in the last character. */
static int
decode_sextets(const char *s, size_t n, int url, unsigned char *out,
    size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0, v;

	if (n % 4 == 1)
		return AU_EINVAL;
	for (i = 0; i < n; i++) {
		v = sextet((unsigned char)s[i], url);
		if (v < 0)
			return AU_EINVAL;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* 2 or 4 bits left over: they must be zero (RFC 4648 §3.5) */
	if (acc != 0)
		return AU_EINVAL;
	*outlen = o;
	return AU_OK;
}

int
au_b64url_decode(struct au_arena *a, const char *s, size_t n,
    unsigned char **out, size_t *outlen)
{
	unsigned char *buf;
	size_t len;

	if (s == NULL)
		return AU_EINVAL;
	buf = au_arena_alloc(a, n / 4 * 3 + 3);
	if (decode_sextets(s, n, 1, buf, &len) != AU_OK)
		return AU_EINVAL;
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return AU_OK;
}

int
au_b64_decode(struct au_arena *a, const char *s, size_t n,
    unsigned char **out, size_t *outlen)
{
	unsigned char *buf;
	size_t len, data = n;

	if (s == NULL || n % 4 != 0)
		return AU_EINVAL;
	/* at most two '=', only at the very end */
	if (data > 0 && s[data - 1] == '=')
		data--;
	if (data > 0 && s[data - 1] == '=')
		data--;
	if (data % 4 == 1)
		return AU_EINVAL;       /* "x===" */
	buf = au_arena_alloc(a, n / 4 * 3 + 1);
	if (decode_sextets(s, data, 0, buf, &len) != AU_OK)
		return AU_EINVAL;
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return AU_OK;
}
