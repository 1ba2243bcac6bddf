/* crypto_password.c — scrypt password hashes in PHC string format.
 *
 * Parsing is strict: one spelling of every number (no sign, no leading
 * zero), only the B64 alphabet without padding, zero unused bits, and
 * nothing after the hash.  Whatever fails to parse verifies as false.
 * The cost parameters come from the stored string, so they are bounded
 * (memory at most MAX_MEM) before the KDF runs. */
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "core/core_arena.h"
#include "core/core_rand.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_password.h"

#define SALT_LEN 16
#define HASH_LEN 32
#define DEFAULT_R 8
#define DEFAULT_P 1
#define MAX_BYTES 64          /* longest salt or hash we accept */
#define MAX_MEM ((uint64_t)256 << 20)

struct phc {
	unsigned ln, r, p;
	unsigned char salt[MAX_BYTES], hash[MAX_BYTES];
	size_t salt_len, hash_len;
};

/* scrypt's working memory: B (128 r p) and V (128 r N) plus XY (256 r). */
static uint64_t
scrypt_mem(unsigned ln, unsigned r, unsigned p)
{
	return (uint64_t)128 * r * ((1ULL << ln) + p + 2);
}

static int
derive(const char *password, const unsigned char *salt, size_t salt_len,
    unsigned ln, unsigned r, unsigned p, unsigned char *out, size_t out_len)
{
	uint64_t n = 1ULL << ln, maxmem = scrypt_mem(ln, r, p) + (1 << 20);
	uint32_t r32 = r, p32 = p;
	OSSL_PARAM params[7];
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf;
	int ok = 0;

	kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
	if (kdf == NULL)
		return 0;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return 0;
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	    (void *)password, strlen(password));
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)salt, salt_len);
	params[2] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	params[3] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r32);
	params[4] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p32);
	params[5] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM,
	    &maxmem);
	params[6] = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
	EVP_KDF_CTX_free(ctx);
	return ok;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes s[0..n) (B64, no padding) into out (room for MAX_BYTES).
 * 0 on a foreign character, a bad length or non-zero unused bits. */
static int
b64_decode(const char *s, size_t n, unsigned char *out, size_t *out_len)
{
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0, v;

	if (n % 4 == 1 || n * 3 / 4 > MAX_BYTES)
		return 0;
	for (i = 0; i < n; i++) {
		if ((v = b64_value((unsigned char)s[i])) < 0)
			return 0;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)
		return 0;
	*out_len = o;
	return 1;
}

/* B64 without padding: base64url with the two characters mapped back. */
static char *
b64_encode(struct au_arena *a, const unsigned char *p, size_t n)
{
	char *s = au_b64url_encode(a, p, n), *c;

	for (c = s; *c != '\0'; c++) {
		if (*c == '-')
			*c = '+';
		else if (*c == '_')
			*c = '/';
	}
	return s;
}

/* "name=<decimal>" at *s, one spelling only; advances *s. */
static int
parse_param(const char **s, const char *name, unsigned max, unsigned *out)
{
	size_t len = strlen(name);
	const char *p = *s;
	unsigned v = 0;

	if (strncmp(p, name, len) != 0 || p[len] != '=')
		return 0;
	p += len + 1;
	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (v > max)
			return 0;
	}
	*out = v;
	*s = p;
	return 1;
}

static int
parse(const char *s, struct phc *h)
{
	const char *dollar;

	if (s == NULL || strncmp(s, "$scrypt$", 8) != 0)
		return 0;
	s += 8;
	if (!parse_param(&s, "ln", AU_PASSWORD_MAX_LN, &h->ln) || *s++ != ',' ||
	    !parse_param(&s, "r", 64, &h->r) || *s++ != ',' ||
	    !parse_param(&s, "p", 16, &h->p) || *s++ != '$')
		return 0;
	if (h->ln < 1 || h->r < 1 || h->p < 1 ||
	    scrypt_mem(h->ln, h->r, h->p) > MAX_MEM)
		return 0;
	if ((dollar = strchr(s, '$')) == NULL ||
	    !b64_decode(s, (size_t)(dollar - s), h->salt, &h->salt_len) ||
	    !b64_decode(dollar + 1, strlen(dollar + 1), h->hash, &h->hash_len))
		return 0;
	/* short salts or keys are not ours and not safe */
	return h->salt_len >= 8 && h->hash_len >= 16;
}

char *
au_password_hash(struct au_arena *a, const char *password, int ln)
{
	unsigned char salt[SALT_LEN], key[HASH_LEN];
	char *out = NULL;

	if (password == NULL || ln < AU_PASSWORD_MIN_LN ||
	    ln > AU_PASSWORD_MAX_LN)
		return NULL;
	au_rand_bytes(salt, sizeof(salt));
	if (derive(password, salt, sizeof(salt), (unsigned)ln, DEFAULT_R,
	    DEFAULT_P, key, sizeof(key)))
		out = au_arena_printf(a, "$scrypt$ln=%d,r=%d,p=%d$%s$%s", ln,
		    DEFAULT_R, DEFAULT_P, b64_encode(a, salt, sizeof(salt)),
		    b64_encode(a, key, sizeof(key)));
	OPENSSL_cleanse(key, sizeof(key));
	return out;
}

bool
au_password_verify(const char *password, const char *phc)
{
	unsigned char key[MAX_BYTES];
	struct phc h;
	bool ok;

	if (password == NULL || !parse(phc, &h))
		return false;
	if (!derive(password, h.salt, h.salt_len, h.ln, h.r, h.p, key,
	    h.hash_len))
		return false;
	ok = CRYPTO_memcmp(key, h.hash, h.hash_len) == 0;
	OPENSSL_cleanse(key, sizeof(key));
	return ok;
}

bool
au_password_hash_valid(const char *phc)
{
	struct phc h;

	return parse(phc, &h) != 0;
}

bool
au_password_needs_rehash(const char *phc, int ln)
{
	struct phc h;

	if (!parse(phc, &h))
		return true;
	return (int)h.ln != ln || h.r != DEFAULT_R || h.p != DEFAULT_P ||
	    h.salt_len != SALT_LEN || h.hash_len != HASH_LEN;
}
