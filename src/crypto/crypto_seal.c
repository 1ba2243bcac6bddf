/* crypto_seal.c — AES-256-GCM sealing of private keys under the master key.
 *
 * Blob layout: version 0x01 || 12-byte random IV || ciphertext || 16-byte
 * tag.  The associated data is the caller's string (the kid for keys), so
 * a blob moved onto another row no longer opens.  Every plaintext buffer
 * is wiped: the arena ones at reset, the temporary ones before return. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_rand.h"
#include "crypto/crypto_seal.h"

#define SEAL_VERSION 0x01
#define SEAL_IV_LEN 12
#define SEAL_TAG_LEN 16
#define SEAL_OVERHEAD (1 + SEAL_IV_LEN + SEAL_TAG_LEN)
#define SEAL_MAX_PLAIN (INT_MAX - 64)   /* EVP lengths are int */
#define MASTER_HEX_LEN (2 * AU_MASTER_KEY_LEN)

static int
fail(int rc, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes the message into err (when there is room for one); returns rc. */
static int
fail(int rc, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Reads at most cap bytes of fd; the count, or -1 with errno set. */
static ssize_t
read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t r;

	while (got < cap) {
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Checks the text of the key file and decodes it into key. */
static int
decode_master(const char *path, char *text, size_t n,
    unsigned char key[AU_MASTER_KEY_LEN], char *err, size_t errlen)
{
	unsigned char tmp[AU_MASTER_KEY_LEN];
	size_t i;
	int hi, lo;

	if (n == MASTER_HEX_LEN + 1 && text[MASTER_HEX_LEN] == '\n')
		n--;
	if (n != MASTER_HEX_LEN)
		return fail(AU_EINVAL, err, errlen, "%s: wrong length: expected"
		    " %d hex characters and an optional newline", path,
		    MASTER_HEX_LEN);
	for (i = 0; i < AU_MASTER_KEY_LEN; i++) {
		hi = au_hex_digit((unsigned char)text[2 * i]);
		lo = au_hex_digit((unsigned char)text[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			OPENSSL_cleanse(tmp, sizeof(tmp));
			return fail(AU_EINVAL, err, errlen, "%s: not hex: "
			    "expected %d hex characters", path, MASTER_HEX_LEN);
		}
		tmp[i] = (unsigned char)(hi << 4 | lo);
	}
	memcpy(key, tmp, AU_MASTER_KEY_LEN);
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return AU_OK;
}

int
au_seal_load_master(const char *path, unsigned char key[AU_MASTER_KEY_LEN],
    char *err, size_t errlen)
{
	char text[MASTER_HEX_LEN + 2];  /* one more than we accept */
	struct stat st;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(AU_EIO, err, errlen, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = fail(AU_EIO, err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fail(AU_EINVAL, err, errlen, "%s: not a regular file",
		    path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		rc = fail(AU_EINVAL, err, errlen, "%s: mode %04o gives group "
		    "or others access to the master key; chmod 600 it", path,
		    (unsigned)(st.st_mode & 07777));
		goto out;
	}
	n = read_all(fd, text, sizeof(text));
	if (n < 0)
		rc = fail(AU_EIO, err, errlen, "%s: %s", path, strerror(errno));
	else
		rc = decode_master(path, text, (size_t)n, key, err, errlen);
out:
	OPENSSL_cleanse(text, sizeof(text));
	close(fd);
	return rc;
}

int
au_seal(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const void *plain, size_t n, const char *aad, unsigned char **out,
    size_t *outlen)
{
	EVP_CIPHER_CTX *c;
	unsigned char *blob, *iv, *ct;
	int len, ok;

	if (n > SEAL_MAX_PLAIN || (plain == NULL && n > 0))
		return AU_EINVAL;
	blob = au_arena_alloc(a, n + SEAL_OVERHEAD);
	blob[0] = SEAL_VERSION;
	iv = blob + 1;
	ct = iv + SEAL_IV_LEN;
	au_rand_bytes(iv, SEAL_IV_LEN);         /* fresh IV every time */
	c = EVP_CIPHER_CTX_new();
	ok = c != NULL &&
	    EVP_EncryptInit_ex2(c, EVP_aes_256_gcm(), key, iv, NULL) == 1;
	if (ok && aad != NULL)
		ok = EVP_EncryptUpdate(c, NULL, &len,
		    (const unsigned char *)aad, (int)strlen(aad)) == 1;
	if (ok && n > 0)
		ok = EVP_EncryptUpdate(c, ct, &len, plain, (int)n) == 1 &&
		    (size_t)len == n;
	/* GCM emits nothing at Final; the tag is read afterwards */
	ok = ok && EVP_EncryptFinal_ex(c, ct + n, &len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN,
	    ct + n) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		ERR_clear_error();
		return AU_ECRYPTO;
	}
	*out = blob;
	*outlen = n + SEAL_OVERHEAD;
	return AU_OK;
}

int
au_unseal(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const unsigned char *blob, size_t n, const char *aad, unsigned char **out,
    size_t *outlen)
{
	EVP_CIPHER_CTX *c;
	const unsigned char *iv, *ct, *tag;
	unsigned char *plain;
	size_t ctlen;
	int len, ok, rc;

	if (blob == NULL || n < SEAL_OVERHEAD || blob[0] != SEAL_VERSION ||
	    n - SEAL_OVERHEAD > SEAL_MAX_PLAIN)
		return AU_EINVAL;
	iv = blob + 1;
	ct = iv + SEAL_IV_LEN;
	ctlen = n - SEAL_OVERHEAD;
	tag = ct + ctlen;
	plain = au_arena_alloc(a, ctlen + 1);
	au_arena_wipe(a, plain, ctlen + 1);
	c = EVP_CIPHER_CTX_new();
	ok = c != NULL &&
	    EVP_DecryptInit_ex2(c, EVP_aes_256_gcm(), key, iv, NULL) == 1;
	if (ok && aad != NULL)
		ok = EVP_DecryptUpdate(c, NULL, &len,
		    (const unsigned char *)aad, (int)strlen(aad)) == 1;
	if (ok && ctlen > 0)
		ok = EVP_DecryptUpdate(c, plain, &len, ct, (int)ctlen) == 1;
	/* the tag goes in before Final, which checks it: 0 means tampered */
	ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN,
	    (void *)tag) == 1;
	rc = ok ? AU_EDENIED : AU_ECRYPTO;
	if (ok && EVP_DecryptFinal_ex(c, plain + ctlen, &len) == 1)
		rc = AU_OK;
	EVP_CIPHER_CTX_free(c);
	if (rc != AU_OK) {
		OPENSSL_cleanse(plain, ctlen + 1);
		ERR_clear_error();
		return rc;
	}
	plain[ctlen] = '\0';
	*out = plain;
	*outlen = ctlen;
	return AU_OK;
}

int
au_seal_pkey(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const au_pkey *k, const char *kid, unsigned char **out, size_t *outlen)
{
	unsigned char *der;
	size_t len;
	int rc;

	if (kid == NULL)
		return AU_EINVAL;
	rc = au_key_to_der(a, k, &der, &len);
	if (rc != AU_OK)
		return rc;
	return au_seal(a, key, der, len, kid, out, outlen);
}

int
au_unseal_pkey(struct au_arena *a, const unsigned char key[AU_MASTER_KEY_LEN],
    const unsigned char *blob, size_t n, const char *kid, au_pkey **out)
{
	unsigned char *der;
	size_t len;
	int rc;

	if (kid == NULL)
		return AU_EINVAL;
	rc = au_unseal(a, key, blob, n, kid, &der, &len);
	if (rc != AU_OK)
		return rc;
	return au_key_from_der(der, len, out);
}
