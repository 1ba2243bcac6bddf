/* crypto_jwe.c — JWE compact: RSA-OAEP-256 and ECDH-ES key management,
 * AES-GCM and AES-CBC-HMAC content encryption (see crypto_jwe.h). */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_jwe.h"

#define MAX_PT (1024 * 1024)

/* Content encryption: key length, IV length, cipher. */
struct enc {
	const char *name;
	size_t keylen, ivlen;
	bool cbc;            /* A128CBC-HS256 */
};

static const struct enc encs[] = {
	{ "A128GCM", 16, 12, false },
	{ "A256GCM", 32, 12, false },
	{ "A128CBC-HS256", 32, 16, true },
};

static const struct enc *
enc_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(encs) / sizeof(encs[0]); i++)
		if (strcmp(encs[i].name, name) == 0)
			return &encs[i];
	return NULL;
}

bool
au_jwe_alg_supported(const char *alg)
{
	return alg != NULL && (strcmp(alg, "RSA-OAEP-256") == 0 ||
	    strcmp(alg, "ECDH-ES") == 0);
}

bool
au_jwe_enc_supported(const char *enc)
{
	return enc_find(enc) != NULL;
}

bool
au_jwe_key_fits(const au_pkey *key, const char *alg)
{
	char group[32];
	size_t len;

	if (key == NULL || alg == NULL)
		return false;
	if (strcmp(alg, "RSA-OAEP-256") == 0)
		return EVP_PKEY_is_a(key, "RSA") &&
		    EVP_PKEY_get_bits(key) >= 2048;
	if (strcmp(alg, "ECDH-ES") == 0)
		return EVP_PKEY_is_a(key, "EC") &&
		    EVP_PKEY_get_utf8_string_param(key,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &len) &&
		    strcmp(group, "prime256v1") == 0;
	return false;
}

/* ------------------------------------------------------- Concat KDF */

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Feeds a 32-bit big-endian length and the bytes (Datalen || Data). */
static int
digest_field(EVP_MD_CTX *md, const void *p, size_t n)
{
	unsigned char len[4];

	put32(len, (uint32_t)n);
	return EVP_DigestUpdate(md, len, 4) &&
	    (n == 0 || EVP_DigestUpdate(md, p, n));
}

int
au_jwe_concat_kdf(const unsigned char *z, size_t zlen, const char *alg_id,
    const void *apu, size_t apulen, const void *apv, size_t apvlen,
    unsigned char *key, size_t keylen)
{
	unsigned char counter[4], bits[4], h[32];
	EVP_MD_CTX *md;
	int ok;

	if (keylen == 0 || keylen > sizeof(h))
		return AU_EINVAL;
	if ((md = EVP_MD_CTX_new()) == NULL)
		return AU_ECRYPTO;
	put32(counter, 1);    /* one round: keydatalen <= 256 bits */
	put32(bits, (uint32_t)(keylen * 8));
	ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(md, counter, 4) &&
	    EVP_DigestUpdate(md, z, zlen) &&
	    digest_field(md, alg_id, strlen(alg_id)) &&
	    digest_field(md, apu, apu != NULL ? apulen : 0) &&
	    digest_field(md, apv, apv != NULL ? apvlen : 0) &&
	    EVP_DigestUpdate(md, bits, 4) &&
	    EVP_DigestFinal_ex(md, h, NULL);
	EVP_MD_CTX_free(md);
	if (ok)
		memcpy(key, h, keylen);
	OPENSSL_cleanse(h, sizeof(h));
	return ok ? AU_OK : AU_ECRYPTO;
}

/* Z of ECDH between own (private) and peer (public). */
static int
ecdh(const au_pkey *own, const au_pkey *peer, unsigned char *z,
    size_t *zlen)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new((EVP_PKEY *)own, NULL)) == NULL)
		return AU_ECRYPTO;
	ok = EVP_PKEY_derive_init(ctx) > 0 &&
	    EVP_PKEY_derive_set_peer(ctx, (EVP_PKEY *)peer) > 0 &&
	    EVP_PKEY_derive(ctx, z, zlen) > 0;
	EVP_PKEY_CTX_free(ctx);
	return ok ? AU_OK : AU_ECRYPTO;
}

/* ---------------------------------------------------- RSA-OAEP-256 */

static EVP_PKEY_CTX *
oaep_ctx(const au_pkey *key, bool encrypt)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new((EVP_PKEY *)key, NULL);

	if (ctx == NULL)
		return NULL;
	if ((encrypt ? EVP_PKEY_encrypt_init(ctx) :
	    EVP_PKEY_decrypt_init(ctx)) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* ------------------------------------------------ content encryption */

/* AL of RFC 7518 §5.2.2.1: the AAD length in bits, 64-bit big-endian. */
static void
aad_bits(unsigned char al[8], size_t aadlen)
{
	uint64_t b = (uint64_t)aadlen * 8;
	int i;

	for (i = 7; i >= 0; i--, b >>= 8)
		al[i] = (unsigned char)b;
}

/* HMAC-SHA-256 tag (first 16 bytes) of AAD || IV || C || AL. */
static int
cbc_tag(const unsigned char *mackey, const char *aad, size_t aadlen,
    const unsigned char *iv, const unsigned char *c, size_t clen,
    unsigned char tag[16])
{
	unsigned char al[8], m[32];
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2];
	size_t outl = 0;
	int ok;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	aad_bits(al, aadlen);
	ok = ctx != NULL && EVP_MAC_init(ctx, mackey, 16, params) &&
	    EVP_MAC_update(ctx, (const unsigned char *)aad, aadlen) &&
	    EVP_MAC_update(ctx, iv, 16) && EVP_MAC_update(ctx, c, clen) &&
	    EVP_MAC_update(ctx, al, 8) &&
	    EVP_MAC_final(ctx, m, &outl, sizeof(m)) && outl == 32;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	if (ok)
		memcpy(tag, m, 16);
	return ok ? AU_OK : AU_ECRYPTO;
}

/* Encrypts pt under cek into c (room for n + 16 bytes), *clen, tag. */
static int
content_encrypt(const struct enc *e, const unsigned char *cek,
    const unsigned char *iv, const char *aad, const unsigned char *pt,
    size_t n, unsigned char *c, size_t *clen, unsigned char tag[16])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *cipher;
	int l1 = 0, l2 = 0, ok;

	if (ctx == NULL)
		return AU_ECRYPTO;
	if (e->cbc) {
		ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, cek + 16,
		    iv) &&
		    EVP_EncryptUpdate(ctx, c, &l1, pt, (int)n) &&
		    EVP_EncryptFinal_ex(ctx, c + l1, &l2);
		EVP_CIPHER_CTX_free(ctx);
		if (!ok)
			return AU_ECRYPTO;
		*clen = (size_t)(l1 + l2);
		return cbc_tag(cek, aad, strlen(aad), iv, c, *clen, tag);
	}
	cipher = e->keylen == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
	ok = EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int)e->ivlen,
	    NULL) &&
	    EVP_EncryptInit_ex(ctx, NULL, NULL, cek, iv) &&
	    EVP_EncryptUpdate(ctx, NULL, &l1, (const unsigned char *)aad,
	    (int)strlen(aad)) &&
	    EVP_EncryptUpdate(ctx, c, &l1, pt, (int)n) &&
	    EVP_EncryptFinal_ex(ctx, c + l1, &l2) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(ctx);
	*clen = (size_t)(l1 + l2);
	return ok ? AU_OK : AU_ECRYPTO;
}

static int
content_decrypt(const struct enc *e, const unsigned char *cek,
    const unsigned char *iv, const char *aad, const unsigned char *c,
    size_t clen, const unsigned char *tag, unsigned char *pt, size_t *n)
{
	EVP_CIPHER_CTX *ctx;
	unsigned char want[16];
	int l1 = 0, l2 = 0, ok;

	if (e->cbc) {
		if (cbc_tag(cek, aad, strlen(aad), iv, c, clen, want) != AU_OK)
			return AU_ECRYPTO;
		if (CRYPTO_memcmp(want, tag, 16) != 0)
			return AU_EDENIED;
	}
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return AU_ECRYPTO;
	if (e->cbc)
		ok = EVP_DecryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, cek + 16,
		    iv) &&
		    EVP_DecryptUpdate(ctx, pt, &l1, c, (int)clen) &&
		    EVP_DecryptFinal_ex(ctx, pt + l1, &l2);
	else
		ok = EVP_DecryptInit_ex(ctx, e->keylen == 16 ?
		    EVP_aes_128_gcm() : EVP_aes_256_gcm(), NULL, NULL, NULL) &&
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
		    (int)e->ivlen, NULL) &&
		    EVP_DecryptInit_ex(ctx, NULL, NULL, cek, iv) &&
		    EVP_DecryptUpdate(ctx, NULL, &l1,
		    (const unsigned char *)aad, (int)strlen(aad)) &&
		    EVP_DecryptUpdate(ctx, pt, &l1, c, (int)clen) &&
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
		    (void *)tag) &&
		    EVP_DecryptFinal_ex(ctx, pt + l1, &l2) > 0;
	EVP_CIPHER_CTX_free(ctx);
	*n = (size_t)(l1 + l2);
	return ok ? AU_OK : AU_EDENIED;
}

/* --------------------------------------------------------- encrypt */

/* The content encryption key and what goes into the header and the
 * encrypted key part, by key management algorithm. */
static int
wrap_key(struct au_arena *a, const au_pkey *pub, const char *alg,
    const struct enc *e, struct json_object *hdr, unsigned char *cek,
    char **ek)
{
	unsigned char z[64], *w;
	struct json_object *epk;
	EVP_PKEY_CTX *ctx;
	au_pkey *eph = NULL;
	size_t zlen = sizeof(z), wlen = 0;
	int rc;

	if (strcmp(alg, "RSA-OAEP-256") == 0) {
		au_rand_bytes(cek, e->keylen);
		if ((ctx = oaep_ctx(pub, true)) == NULL)
			return AU_ECRYPTO;
		rc = EVP_PKEY_encrypt(ctx, NULL, &wlen, cek, e->keylen) > 0 ?
		    AU_OK : AU_ECRYPTO;
		w = rc == AU_OK ? au_arena_alloc(a, wlen) : NULL;
		if (rc == AU_OK && EVP_PKEY_encrypt(ctx, w, &wlen, cek,
		    e->keylen) <= 0)
			rc = AU_ECRYPTO;
		EVP_PKEY_CTX_free(ctx);
		if (rc == AU_OK)
			*ek = au_b64url_encode(a, w, wlen);
		return rc;
	}
	/* ECDH-ES: the derived key is the CEK, the encrypted key empty */
	rc = au_key_generate(AU_ALG_ES256, &eph);
	if (rc == AU_OK)
		rc = ecdh(eph, pub, z, &zlen);
	if (rc == AU_OK)
		rc = au_jwe_concat_kdf(z, zlen, e->name, NULL, 0, NULL, 0, cek,
		    e->keylen);
	if (rc == AU_OK)
		rc = au_jwk_export_public(eph, NULL, NULL, NULL, &epk);
	au_pkey_free(eph);
	OPENSSL_cleanse(z, sizeof(z));
	if (rc != AU_OK)
		return rc;
	json_object_object_add(hdr, "epk", epk);
	*ek = "";
	return AU_OK;
}

int
au_jwe_encrypt(struct au_arena *a, const au_pkey *pub, const char *kid,
    const char *alg, const char *enc, const char *cty, const void *pt,
    size_t n, char **out)
{
	const struct enc *e = enc_find(enc);
	unsigned char cek[32], iv[16], tag[16], *c;
	struct json_object *hdr;
	const char *hjson;
	char *ek = NULL, *h;
	size_t clen = 0;
	int rc;

	if (e == NULL || !au_jwe_alg_supported(alg) ||
	    !au_jwe_key_fits(pub, alg) || n > MAX_PT)
		return AU_EINVAL;
	hdr = json_object_new_object();
	json_object_object_add(hdr, "alg", json_object_new_string(alg));
	json_object_object_add(hdr, "enc", json_object_new_string(enc));
	if (kid != NULL)
		json_object_object_add(hdr, "kid", json_object_new_string(kid));
	if (cty != NULL)
		json_object_object_add(hdr, "cty", json_object_new_string(cty));
	rc = wrap_key(a, pub, alg, e, hdr, cek, &ek);
	if (rc == AU_OK) {
		hjson = json_object_to_json_string_ext(hdr,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		h = au_b64url_encode(a, hjson, strlen(hjson));
		au_rand_bytes(iv, e->ivlen);
		c = au_arena_alloc(a, n + 16);
		rc = content_encrypt(e, cek, iv, h, pt, n, c, &clen, tag);
	}
	json_object_put(hdr);
	OPENSSL_cleanse(cek, sizeof(cek));
	if (rc != AU_OK)
		return rc;
	*out = au_arena_printf(a, "%s.%s.%s.%s.%s", h, ek,
	    au_b64url_encode(a, iv, e->ivlen), au_b64url_encode(a, c, clen),
	    au_b64url_encode(a, tag, 16));
	return AU_OK;
}

/* --------------------------------------------------------- decrypt */

/* The i-th of the five parts, decoded. */
static int
part(struct au_arena *a, const char *const p[5], const size_t len[5], int i,
    unsigned char **out, size_t *n)
{
	return au_b64url_decode(a, p[i], len[i], out, n);
}

static int
unwrap_key(const au_pkey *priv, const char *alg,
    const struct enc *e, struct json_object *hdr, const unsigned char *ek,
    size_t eklen, unsigned char *cek)
{
	unsigned char z[64], buf[512];
	struct json_object *epk;
	EVP_PKEY_CTX *ctx;
	au_pkey *peer = NULL;
	size_t zlen = sizeof(z), outl = sizeof(buf);
	int rc;

	if (!au_jwe_key_fits(priv, alg))
		return AU_EDENIED;
	if (strcmp(alg, "RSA-OAEP-256") == 0) {
		if ((ctx = oaep_ctx(priv, false)) == NULL)
			return AU_ECRYPTO;
		rc = EVP_PKEY_decrypt(ctx, buf, &outl, ek, eklen) > 0 &&
		    outl == e->keylen ? AU_OK : AU_EDENIED;
		EVP_PKEY_CTX_free(ctx);
		if (rc == AU_OK)
			memcpy(cek, buf, e->keylen);
		OPENSSL_cleanse(buf, sizeof(buf));
		return rc;
	}
	if (eklen != 0 || !json_object_object_get_ex(hdr, "epk", &epk) ||
	    au_jwk_import_public(epk, &peer) != AU_OK)
		return AU_EINVAL;
	rc = au_jwe_key_fits(peer, "ECDH-ES") ? ecdh(priv, peer, z, &zlen) :
	    AU_EINVAL;
	au_pkey_free(peer);
	if (rc == AU_OK)
		rc = au_jwe_concat_kdf(z, zlen, e->name, NULL, 0, NULL, 0, cek,
		    e->keylen);
	OPENSSL_cleanse(z, sizeof(z));
	return rc == AU_ECRYPTO ? AU_EDENIED : rc;
}

int
au_jwe_decrypt(struct au_arena *a, const au_pkey *priv, const char *compact,
    unsigned char **pt, size_t *n)
{
	const char *p[5], *dot;
	size_t len[5], hl, ekl, ivl, cl, tl;
	unsigned char *hb, *ek, *iv, *c, *tag, cek[32];
	struct json_object *hdr, *alg, *enc;
	const struct enc *e;
	char *aad;
	int i, rc;

	p[0] = compact;
	for (i = 0; i < 5; i++) {
		dot = strchr(p[i], '.');
		if ((dot == NULL) != (i == 4))
			return AU_EINVAL;
		len[i] = dot != NULL ? (size_t)(dot - p[i]) : strlen(p[i]);
		if (i < 4)
			p[i + 1] = dot + 1;
	}
	if (part(a, p, len, 0, &hb, &hl) != AU_OK ||
	    part(a, p, len, 1, &ek, &ekl) != AU_OK ||
	    part(a, p, len, 2, &iv, &ivl) != AU_OK ||
	    part(a, p, len, 3, &c, &cl) != AU_OK ||
	    part(a, p, len, 4, &tag, &tl) != AU_OK || tl != 16)
		return AU_EINVAL;
	hdr = json_tokener_parse((const char *)hb);
	if (hdr == NULL || !json_object_is_type(hdr, json_type_object) ||
	    !json_object_object_get_ex(hdr, "alg", &alg) ||
	    !json_object_object_get_ex(hdr, "enc", &enc) ||
	    !au_jwe_alg_supported(json_object_get_string(alg)) ||
	    (e = enc_find(json_object_get_string(enc))) == NULL ||
	    ivl != e->ivlen) {
		json_object_put(hdr);
		return AU_EINVAL;
	}
	aad = au_arena_strndup(a, p[0], len[0]);
	rc = unwrap_key(priv, json_object_get_string(alg), e, hdr, ek, ekl,
	    cek);
	json_object_put(hdr);
	if (rc == AU_OK) {
		*pt = au_arena_alloc(a, cl + 17);
		rc = content_decrypt(e, cek, iv, aad, c, cl, tag, *pt, n);
		if (rc == AU_OK)
			(*pt)[*n] = '\0';
	}
	OPENSSL_cleanse(cek, sizeof(cek));
	return rc;
}
