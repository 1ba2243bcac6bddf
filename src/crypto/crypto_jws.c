/* crypto_jws.c — JWS compact serialisation (RFC 7515) for RS256, PS256,
 * ES256 and EdDSA.
 *
 * Parsing is deliberately narrow: exactly three non-empty parts, a strict
 * JSON object header no deeper than 8 levels, a supported alg, no "crit",
 * and at most AU_JWS_MAX_LEN bytes in all.  Verification refuses a key
 * that does not fit the header's alg before any cryptography runs, so an
 * RS256 token is never checked with an EC key or the other way round.
 *
 * Signing is on the token hot path: apart from the small json-c object
 * that serialises the header, everything is built in the arena and the
 * signature goes through a stack buffer; OpenSSL gets one EVP_MD_CTX per
 * call. */
#include <string.h>

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_jws.h"

#define AU_JWS_MAX_LEN (16 * 1024)
#define JWS_MAX_DEPTH 8
#define SIG_MAX 1024            /* RSA up to 8192 bits; ES256 DER is 72 */
#define ES256_COORD 32
#define RAW_SIG_LEN 64          /* ES256 r||s and Ed25519 */

static void
json_put(void *o)
{
	json_object_put(o);
}

/* Sets up ctx to sign (verify == 0) or verify with key for alg: the digest
 * name (none for EdDSA), and PSS with salt length = digest length for
 * PS256, which is what RFC 7518 §3.5 and every other JOSE library use. */
static int
md_init(EVP_MD_CTX *ctx, const EVP_PKEY *key, enum au_alg alg, int verify)
{
	const char *md = alg == AU_ALG_EDDSA ? NULL : "SHA256";
	EVP_PKEY_CTX *pctx = NULL;
	/* OpenSSL takes a reference on the key and never modifies it */
	EVP_PKEY *k = (EVP_PKEY *)key;
	int ok;

	if (verify)
		ok = EVP_DigestVerifyInit_ex(ctx, &pctx, md, NULL, NULL, k,
		    NULL) == 1;
	else
		ok = EVP_DigestSignInit_ex(ctx, &pctx, md, NULL, NULL, k,
		    NULL) == 1;
	if (ok && alg == AU_ALG_PS256)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
		    RSA_PSS_SALTLEN_DIGEST) == 1;
	return ok ? AU_OK : AU_ECRYPTO;
}

/* DER ECDSA-Sig-Value -> the fixed 64-byte r||s of RFC 7518 §3.4. */
static int
es256_der_to_raw(const unsigned char *der, size_t len,
    unsigned char raw[RAW_SIG_LEN])
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	int ok;

	if (sig == NULL)
		return AU_ECRYPTO;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, raw, ES256_COORD) == ES256_COORD &&
	    BN_bn2binpad(s, raw + ES256_COORD, ES256_COORD) == ES256_COORD;
	ECDSA_SIG_free(sig);
	return ok ? AU_OK : AU_ECRYPTO;
}

/* 64-byte r||s -> DER, into der (room for SIG_MAX bytes). */
static int
es256_raw_to_der(const unsigned char raw[RAW_SIG_LEN], unsigned char *der,
    size_t *len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, ES256_COORD, NULL);
	BIGNUM *s = BN_bin2bn(raw + ES256_COORD, ES256_COORD, NULL);
	unsigned char *p = der;
	int n = -1;

	if (sig == NULL || r == NULL || s == NULL ||
	    ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return AU_ECRYPTO;
	}
	/* r and s now belong to sig */
	if (i2d_ECDSA_SIG(sig, NULL) <= SIG_MAX)
		n = i2d_ECDSA_SIG(sig, &p);
	ECDSA_SIG_free(sig);
	if (n <= 0)
		return AU_ECRYPTO;
	*len = (size_t)n;
	return AU_OK;
}

/* Signs in[0..n) into sig (SIG_MAX bytes) in the JOSE format of alg. */
static int
sign_raw(const EVP_PKEY *key, enum au_alg alg, const char *in, size_t n,
    unsigned char *sig, size_t *siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[SIG_MAX];
	size_t len = sizeof(der);
	int rc = AU_ECRYPTO;

	if (ctx == NULL || md_init(ctx, key, alg, 0) != AU_OK)
		goto out;
	/* one-shot: the only form Ed25519 supports */
	if (EVP_DigestSign(ctx, der, &len, (const unsigned char *)in, n) != 1)
		goto out;
	if (alg == AU_ALG_ES256) {
		if (es256_der_to_raw(der, len, sig) != AU_OK)
			goto out;
		*siglen = RAW_SIG_LEN;
	} else {
		memcpy(sig, der, len);
		*siglen = len;
	}
	rc = AU_OK;
out:
	if (rc != AU_OK)
		ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* base64url of the protected header {"alg","typ","kid"}, in that order. */
static char *
header_b64(struct au_arena *a, enum au_alg alg, const char *kid,
    const char *typ)
{
	struct json_object *h = json_object_new_object();
	const char *s;
	char *b64;

	json_object_object_add(h, "alg",
	    json_object_new_string(au_alg_name(alg)));
	if (typ != NULL)
		json_object_object_add(h, "typ", json_object_new_string(typ));
	if (kid != NULL)
		json_object_object_add(h, "kid", json_object_new_string(kid));
	s = json_object_to_json_string_ext(h,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	b64 = au_b64url_encode(a, s, strlen(s));
	json_object_put(h);
	return b64;
}

int
au_jws_sign(struct au_arena *a, const au_pkey *key, enum au_alg alg,
    const char *kid, const char *typ, const char *payload, size_t len,
    char **out)
{
	unsigned char sig[SIG_MAX];
	size_t siglen, hlen, plen, slen;
	char *h, *p, *s, *buf;
	int rc;

	if (au_alg_name(alg) == NULL || !au_key_fits_alg(key, alg) ||
	    payload == NULL || len == 0)
		return AU_EINVAL;
	h = header_b64(a, alg, kid, typ);
	p = au_b64url_encode(a, payload, len);
	hlen = strlen(h);
	plen = strlen(p);
	/* "h.p" is the signing input and the start of the output */
	buf = au_arena_alloc(a, hlen + 1 + plen + 1 + (SIG_MAX + 2) / 3 * 4 + 1);
	memcpy(buf, h, hlen);
	buf[hlen] = '.';
	memcpy(buf + hlen + 1, p, plen);
	rc = sign_raw(key, alg, buf, hlen + 1 + plen, sig, &siglen);
	if (rc != AU_OK)
		return rc;
	s = au_b64url_encode(a, sig, siglen);
	slen = strlen(s);
	buf[hlen + 1 + plen] = '.';
	memcpy(buf + hlen + 1 + plen + 1, s, slen + 1);
	*out = buf;
	return AU_OK;
}

/* Parses the decoded header: a strict JSON object (valid UTF-8, depth
 * limit, nothing after it but whitespace) registered with the arena. */
static int
parse_header(struct au_arena *a, const unsigned char *buf, size_t len,
    struct json_object **out)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	/* json-c would stop at an embedded NUL and ignore the rest, and its
	 * UTF-8 check lets overlong forms such as C0 AF through */
	if (memchr(buf, '\0', len) != NULL ||
	    !au_utf8_valid((const char *)buf, len))
		return AU_EINVAL;
	tok = json_tokener_new_ex(JWS_MAX_DEPTH);
	if (tok == NULL)
		return AU_ECRYPTO;
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	/* len + 1 takes in the decoder's terminating NUL, so that a bare
	 * scalar ends instead of waiting for more digits */
	o = json_tokener_parse_ex(tok, (const char *)buf, (int)len + 1);
	end = o != NULL ? json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	if (o == NULL)
		return AU_EINVAL;
	au_arena_cleanup(a, json_put, o);
	while (end < len && strchr(" \t\r\n", buf[end]) != NULL)
		end++;
	if (end != len || !json_object_is_type(o, json_type_object))
		return AU_EINVAL;
	*out = o;
	return AU_OK;
}

/* Optional string member: AU_OK with *v NULL when absent, AU_EINVAL when
 * present with another type or with an escaped NUL ("RS256\u0000x" must
 * not read as "RS256" once it is a C string). */
static int
header_str(struct json_object *h, const char *name, const char **v)
{
	struct json_object *m;
	const char *s;

	*v = NULL;
	if (!json_object_object_get_ex(h, name, &m))
		return AU_OK;
	if (!json_object_is_type(m, json_type_string))
		return AU_EINVAL;
	s = json_object_get_string(m);
	if (strlen(s) != (size_t)json_object_get_string_len(m))
		return AU_EINVAL;
	*v = s;
	return AU_OK;
}

/* Reads the header members we act on into jws. */
static int
check_header(struct json_object *h, struct au_jws *jws)
{
	const char *alg;

	/* RFC 7515 §4.1.11: we understand no extension, so crit is fatal */
	if (json_object_object_get_ex(h, "crit", NULL))
		return AU_EINVAL;
	if (header_str(h, "alg", &alg) != AU_OK || alg == NULL ||
	    header_str(h, "kid", &jws->kid) != AU_OK ||
	    header_str(h, "typ", &jws->typ) != AU_OK)
		return AU_EINVAL;
	jws->alg = au_alg_parse(alg);
	return jws->alg == AU_ALG_UNKNOWN ? AU_EINVAL : AU_OK;
}

int
au_jws_parse(struct au_arena *a, const char *compact, struct au_jws *out)
{
	struct au_jws jws;
	const char *d1, *d2, *end;
	unsigned char *hbuf;
	size_t n, hlen;
	int rc;

	if (compact == NULL)
		return AU_EINVAL;
	n = strnlen(compact, AU_JWS_MAX_LEN + 1);
	if (n > AU_JWS_MAX_LEN)
		return AU_ELIMIT;
	end = compact + n;
	d1 = memchr(compact, '.', n);
	d2 = d1 != NULL ? memchr(d1 + 1, '.', (size_t)(end - d1 - 1)) : NULL;
	/* three parts, none empty: "h.p.s" and not "h.p", "h.p.s.x", "h..s" */
	if (d2 == NULL || memchr(d2 + 1, '.', (size_t)(end - d2 - 1)) != NULL ||
	    d1 == compact || d2 == d1 + 1 || d2 + 1 == end)
		return AU_EINVAL;
	memset(&jws, 0, sizeof(jws));
	if (au_b64url_decode(a, compact, (size_t)(d1 - compact), &hbuf,
	    &hlen) != AU_OK)
		return AU_EINVAL;
	rc = parse_header(a, hbuf, hlen, &jws.header);
	if (rc != AU_OK)
		return rc;
	if (check_header(jws.header, &jws) != AU_OK ||
	    au_b64url_decode(a, d1 + 1, (size_t)(d2 - d1 - 1), &jws.payload,
	    &jws.payload_len) != AU_OK ||
	    au_b64url_decode(a, d2 + 1, (size_t)(end - d2 - 1), &jws.sig,
	    &jws.sig_len) != AU_OK)
		return AU_EINVAL;
	jws.signing_input_len = (size_t)(d2 - compact);
	jws.signing_input = au_arena_strndup(a, compact,
	    jws.signing_input_len);
	*out = jws;
	return AU_OK;
}

int
au_jws_verify(const struct au_jws *jws, const au_pkey *key)
{
	EVP_MD_CTX *ctx;
	unsigned char der[SIG_MAX];
	const unsigned char *sig;
	size_t siglen;
	int ok;

	if (jws == NULL || jws->sig == NULL || jws->signing_input == NULL ||
	    !au_key_fits_alg(key, jws->alg))
		return AU_EDENIED;
	sig = jws->sig;
	siglen = jws->sig_len;
	switch (jws->alg) {
	case AU_ALG_ES256:
		if (siglen != RAW_SIG_LEN ||
		    es256_raw_to_der(jws->sig, der, &siglen) != AU_OK)
			return AU_EDENIED;
		sig = der;
		break;
	case AU_ALG_EDDSA:
		if (siglen != RAW_SIG_LEN)
			return AU_EDENIED;
		break;
	default:
		/* RSA: exactly the modulus length, no shorter encodings */
		if (siglen != (size_t)EVP_PKEY_get_size(key))
			return AU_EDENIED;
		break;
	}
	ctx = EVP_MD_CTX_new();
	/* 1 is a good signature; 0 a bad one and -1 a malformed one */
	ok = ctx != NULL && md_init(ctx, key, jws->alg, 1) == AU_OK &&
	    EVP_DigestVerify(ctx, sig, siglen,
	    (const unsigned char *)jws->signing_input,
	    jws->signing_input_len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		ERR_clear_error();
	return ok ? AU_OK : AU_EDENIED;
}
