/* crypto_hash.c — SHA-256 and the at-rest form of high-entropy secrets.
 *
 * A stored secret is the lower-case hex SHA-256 of the secret.  Checking a
 * candidate hashes it and compares the 32 digest bytes with CRYPTO_memcmp,
 * so the time taken does not depend on where the two differ. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/core_arena.h"
#include "core/core_str.h"
#include "crypto/crypto_hash.h"

void
au_sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	/* SHA-256 from the default provider cannot fail short of memory
	 * exhaustion or a broken installation: neither is survivable. */
	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 || len != 32) {
		fputs("authio: SHA-256 failed\n", stderr);
		abort();
	}
}

char *
au_secret_hash(struct au_arena *a, const char *secret)
{
	unsigned char md[32];

	assert(secret != NULL);
	au_sha256(secret, strlen(secret), md);
	return au_hex(a, md, sizeof(md));
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool
au_secret_verify(const char *secret, const char *stored)
{
	unsigned char want[32], got[32];
	size_t i;
	int hi, lo;
	bool ok;

	if (secret == NULL || stored == NULL || strlen(stored) != 64)
		return false;
	for (i = 0; i < 32; i++) {
		hi = hexval((unsigned char)stored[2 * i]);
		lo = hexval((unsigned char)stored[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		want[i] = (unsigned char)(hi << 4 | lo);
	}
	au_sha256(secret, strlen(secret), got);
	ok = CRYPTO_memcmp(want, got, sizeof(got)) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return ok;
}
