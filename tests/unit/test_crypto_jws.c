/* test_crypto_jws.c — JWS: RFC 7515 / RFC 8037 vectors, round trips for
 * every algorithm, tampering, algorithm confusion, and the seed corpus in
 * tests/corpus/jws (every file must be refused without a crash). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_jwk.h"
#include "crypto/crypto_jws.h"
#include "au_test.h"

void register_jws_tests(void);

/* ---- RFC 7515 Appendix A.2 (RS256) and A.3 (ES256) ---- */

#define RFC7515_PAYLOAD_B64 \
	"eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" \
	"cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
/* the payload bytes, with their CR LF, as the RFC gives them */
static const char rfc7515_payload[] = "{\"iss\":\"joe\",\r\n"
    " \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

static const char rfc7515_a2_n[] =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"
    "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs"
    "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH"
    "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV"
    "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8"
    "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
static const char rfc7515_a2_d[] =
    "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97I"
    "jlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0"
    "BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn"
    "439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYT"
    "CBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLh"
    "BOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
static const char rfc7515_a2_p[] =
    "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdi"
    "YrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPG"
    "BY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
static const char rfc7515_a2_q[] =
    "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxa"
    "ewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA"
    "-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
static const char rfc7515_a2_dp[] =
    "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3Q"
    "CLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb"
    "34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0";
static const char rfc7515_a2_dq[] =
    "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa"
    "7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-ky"
    "NlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU";
static const char rfc7515_a2_qi[] =
    "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2o"
    "y26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLU"
    "W0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U";
static const char rfc7515_a2_jws[] =
    "eyJhbGciOiJSUzI1NiJ9." RFC7515_PAYLOAD_B64 "."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7"
    "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
    "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
    "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
    "p0igcN_IoypGlUPQGe77Rw";

static const char rfc7515_a3_jwk[] =
    "{\"kty\":\"EC\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
static const char rfc7515_a3_jws[] =
    "eyJhbGciOiJFUzI1NiJ9." RFC7515_PAYLOAD_B64 "."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQ"
    "xfKTUJqPP3-Kg6NU1Q";

/* ---- RFC 8037 Appendix A (Ed25519) ---- */

static const char rfc8037_d[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
static const char rfc8037_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
static const char rfc8037_a4_jws[] =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt"
    "9g7sVvpAr_MuM0KAg";

/* A public key from JWK text, or NULL. */
static au_pkey *
jwk_key(const char *text)
{
	struct json_object *o = json_tokener_parse(text);
	au_pkey *k = NULL;

	if (o == NULL)
		return NULL;
	if (au_jwk_import_public(o, &k) != AU_OK)
		k = NULL;
	json_object_put(o);
	return k;
}

static int
push_b64_bn(struct au_arena *a, OSSL_PARAM_BLD *bld, const char *name,
    const char *b64, BIGNUM **bn)
{
	unsigned char *buf;
	size_t len;

	if (au_b64url_decode(a, b64, strlen(b64), &buf, &len) != AU_OK)
		return 0;
	*bn = BN_bin2bn(buf, (int)len, NULL);
	return *bn != NULL && OSSL_PARAM_BLD_push_BN(bld, name, *bn) == 1;
}

/* The RFC 7515 A.2 private key, built from its JWK members. */
static EVP_PKEY *
rfc7515_rsa_private(struct au_arena *a)
{
	static const struct {
		const char *param, *b64;
	} m[] = {
		{ OSSL_PKEY_PARAM_RSA_N, rfc7515_a2_n },
		{ OSSL_PKEY_PARAM_RSA_E, "AQAB" },
		{ OSSL_PKEY_PARAM_RSA_D, rfc7515_a2_d },
		{ OSSL_PKEY_PARAM_RSA_FACTOR1, rfc7515_a2_p },
		{ OSSL_PKEY_PARAM_RSA_FACTOR2, rfc7515_a2_q },
		{ OSSL_PKEY_PARAM_RSA_EXPONENT1, rfc7515_a2_dp },
		{ OSSL_PKEY_PARAM_RSA_EXPONENT2, rfc7515_a2_dq },
		{ OSSL_PKEY_PARAM_RSA_COEFFICIENT1, rfc7515_a2_qi },
	};
	BIGNUM *bn[8] = { NULL };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *k = NULL;
	size_t i;
	int ok = bld != NULL && ctx != NULL;

	for (i = 0; ok && i < 8; i++)
		ok = push_b64_bn(a, bld, m[i].param, m[i].b64, &bn[i]);
	if (ok)
		params = OSSL_PARAM_BLD_to_param(bld);
	if (params == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_KEYPAIR, params) != 1)
		k = NULL;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	for (i = 0; i < 8; i++)
		BN_free(bn[i]);
	return k;
}

static void
test_rfc7515_a2_rs256_verify(void)
{
	struct au_arena *a = au_arena_new();
	char *text = au_arena_printf(a,
	    "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\"}", rfc7515_a2_n);
	au_pkey *pub = jwk_key(text);
	struct au_jws jws;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pub);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, rfc7515_a2_jws, &jws), AU_OK);
	CU_ASSERT_EQUAL(jws.alg, AU_ALG_RS256);
	CU_ASSERT_PTR_NULL(jws.kid);
	CU_ASSERT_PTR_NULL(jws.typ);
	CU_ASSERT_EQUAL(jws.payload_len, strlen(rfc7515_payload));
	CU_ASSERT_STRING_EQUAL((char *)jws.payload, rfc7515_payload);
	CU_ASSERT_EQUAL(jws.sig_len, 256);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, pub), AU_OK);
	/* the same signature does not verify under PS256 */
	jws.alg = AU_ALG_PS256;
	CU_ASSERT_EQUAL(au_jws_verify(&jws, pub), AU_EDENIED);
	au_pkey_free(pub);
	au_arena_free(a);
}

static void
test_rfc7515_a2_rs256_sign(void)
{
	struct au_arena *a = au_arena_new();
	EVP_PKEY *priv = rfc7515_rsa_private(a);
	char *out = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
	/* PKCS#1 v1.5 is deterministic: header {"alg":"RS256"} and the RFC
	 * payload must give the RFC's compact JWS byte for byte */
	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, priv, AU_ALG_RS256, NULL, NULL,
	    rfc7515_payload, strlen(rfc7515_payload), &out), AU_OK);
	CU_ASSERT_STRING_EQUAL(out, rfc7515_a2_jws);
	au_pkey_free(priv);
	au_arena_free(a);
}

static void
test_rfc7515_a3_es256_verify(void)
{
	struct au_arena *a = au_arena_new();
	au_pkey *pub = jwk_key(rfc7515_a3_jwk);
	struct au_jws jws;
	unsigned char save;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pub);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, rfc7515_a3_jws, &jws), AU_OK);
	CU_ASSERT_EQUAL(jws.alg, AU_ALG_ES256);
	CU_ASSERT_EQUAL(jws.sig_len, 64);
	CU_ASSERT_STRING_EQUAL((char *)jws.payload, rfc7515_payload);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, pub), AU_OK);
	save = jws.sig[10];
	jws.sig[10] ^= 1;
	CU_ASSERT_EQUAL(au_jws_verify(&jws, pub), AU_EDENIED);
	jws.sig[10] = save;
	jws.sig_len = 63;
	CU_ASSERT_EQUAL(au_jws_verify(&jws, pub), AU_EDENIED);
	au_pkey_free(pub);
	au_arena_free(a);
}

static void
test_rfc8037_a4_eddsa(void)
{
	struct au_arena *a = au_arena_new();
	unsigned char *d, pub[32];
	size_t dlen, publen = sizeof(pub);
	EVP_PKEY *priv;
	au_pkey *verifier;
	struct au_jws jws;
	char *text, *out = NULL;

	CU_ASSERT_EQUAL_FATAL(au_b64url_decode(a, rfc8037_d, strlen(rfc8037_d),
	    &d, &dlen), AU_OK);
	priv = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, d, dlen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
	/* A.1/A.2: d derives the published x */
	CU_ASSERT_EQUAL(EVP_PKEY_get_raw_public_key(priv, pub, &publen), 1);
	CU_ASSERT_STRING_EQUAL(au_b64url_encode(a, pub, publen), rfc8037_x);
	/* A.4: Ed25519 is deterministic, so the JWS is the RFC's exactly */
	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, priv, AU_ALG_EDDSA, NULL, NULL,
	    "Example of Ed25519 signing", 26, &out), AU_OK);
	CU_ASSERT_STRING_EQUAL(out, rfc8037_a4_jws);
	/* A.5: verification with the public JWK */
	text = au_arena_printf(a, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"%s\"}", rfc8037_x);
	verifier = jwk_key(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(verifier);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, rfc8037_a4_jws, &jws), AU_OK);
	CU_ASSERT_EQUAL(jws.alg, AU_ALG_EDDSA);
	CU_ASSERT_STRING_EQUAL((char *)jws.payload, "Example of Ed25519 signing");
	CU_ASSERT_EQUAL(au_jws_verify(&jws, verifier), AU_OK);
	au_pkey_free(verifier);
	EVP_PKEY_free(priv);
	au_arena_free(a);
}

/* ---- round trips with generated keys ---- */

enum { K_RSA, K_EC, K_EC2, K_ED, K_ED2, K_COUNT };
static au_pkey *keys[K_COUNT];

static int
jws_suite_init(void)
{
	static const enum au_alg algs[K_COUNT] = {
		AU_ALG_RS256, AU_ALG_ES256, AU_ALG_ES256, AU_ALG_EDDSA,
		AU_ALG_EDDSA
	};
	int i;

	for (i = 0; i < K_COUNT; i++)
		if (au_key_generate(algs[i], &keys[i]) != AU_OK)
			return 1;
	return 0;
}

static int
jws_suite_clean(void)
{
	int i;

	for (i = 0; i < K_COUNT; i++) {
		au_pkey_free(keys[i]);
		keys[i] = NULL;
	}
	return 0;
}

static const char test_payload[] =
    "{\"iss\":\"https://id.example.com\",\"sub\":\"alice\",\"exp\":4102444800}";

/* base64url of a C string */
static char *
b64s(struct au_arena *a, const char *s)
{
	return au_b64url_encode(a, s, strlen(s));
}

/* Parses and verifies tok with key: the first failure code, or AU_OK. */
static int
check_token(struct au_arena *a, const char *tok, const au_pkey *key)
{
	struct au_jws jws;
	int rc = au_jws_parse(a, tok, &jws);

	return rc != AU_OK ? rc : au_jws_verify(&jws, key);
}

/* tok with the character at pos replaced by another base64url one. */
static char *
flip_at(struct au_arena *a, const char *tok, size_t pos)
{
	char *t = au_arena_strdup(a, tok);

	t[pos] = t[pos] == 'A' ? 'B' : 'A';
	return t;
}

static void
expect_refused(struct au_arena *a, const char *tok, const au_pkey *key)
{
	int rc = check_token(a, tok, key);

	CU_ASSERT(rc == AU_EDENIED || rc == AU_EINVAL);
}

static void
tamper_checks(struct au_arena *a, const char *tok, const au_pkey *key)
{
	const char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
	size_t h = (size_t)(d1 - tok), p = (size_t)(d2 - tok);
	char *t;

	expect_refused(a, flip_at(a, tok, h + 3), key);         /* payload */
	expect_refused(a, flip_at(a, tok, p + 5), key);         /* signature */
	expect_refused(a, flip_at(a, tok, p + (strlen(d2) / 2)), key);
	/* a different, valid header of the same alg */
	t = au_arena_printf(a, "%s%s",
	    b64s(a, "{\"alg\":\"ES256\",\"typ\":\"JWT\"}"), d1);
	expect_refused(a, t, key);
	/* the signature cut short by one 3-byte group */
	t = au_arena_strndup(a, tok, strlen(tok) - 4);
	expect_refused(a, t, key);
	/* the signature of one token on the payload of another */
	t = au_arena_printf(a, "%.*s.%s%s", (int)h, tok,
	    b64s(a, "{\"sub\":\"mallory\"}"), d2);
	expect_refused(a, t, key);
}

static void
round_trip(enum au_alg alg, au_pkey *key, au_pkey *same_type_other)
{
	struct au_arena *a = au_arena_new();
	struct au_jws jws;
	char *tok = NULL, *want;
	unsigned char *hdr;
	size_t hlen;
	int i;

	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, key, alg, "kid-1", "at+jwt",
	    test_payload, strlen(test_payload), &tok), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, tok, &jws), AU_OK);
	CU_ASSERT_EQUAL(jws.alg, alg);
	CU_ASSERT_STRING_EQUAL(jws.kid, "kid-1");
	CU_ASSERT_STRING_EQUAL(jws.typ, "at+jwt");
	CU_ASSERT_EQUAL(jws.payload_len, strlen(test_payload));
	CU_ASSERT_STRING_EQUAL((char *)jws.payload, test_payload);
	CU_ASSERT_EQUAL(jws.signing_input_len, strlen(jws.signing_input));
	CU_ASSERT(strncmp(tok, jws.signing_input, jws.signing_input_len) == 0);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, key), AU_OK);
	/* header members in the order alg, typ, kid, no whitespace */
	CU_ASSERT_EQUAL(au_b64url_decode(a, tok, jws.signing_input_len -
	    strlen(strchr(jws.signing_input, '.')), &hdr, &hlen), AU_OK);
	want = au_arena_printf(a, "{\"alg\":\"%s\",\"typ\":\"at+jwt\","
	    "\"kid\":\"kid-1\"}", au_alg_name(alg));
	CU_ASSERT_STRING_EQUAL((char *)hdr, want);
	if (alg == AU_ALG_ES256 || alg == AU_ALG_EDDSA)
		CU_ASSERT_EQUAL(jws.sig_len, 64);
	/* another key of the same type, and every key of another type */
	if (same_type_other != NULL)
		CU_ASSERT_EQUAL(au_jws_verify(&jws, same_type_other), AU_EDENIED);
	for (i = 0; i < K_COUNT; i++)
		if (!au_key_fits_alg(keys[i], alg))
			CU_ASSERT_EQUAL(au_jws_verify(&jws, keys[i]), AU_EDENIED);
	tamper_checks(a, tok, key);
	/* kid and typ are optional */
	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, key, alg, NULL, NULL, "{}", 2,
	    &tok), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, tok, &jws), AU_OK);
	CU_ASSERT_PTR_NULL(jws.kid);
	CU_ASSERT_PTR_NULL(jws.typ);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, key), AU_OK);
	au_arena_free(a);
}

static void
test_round_trip_rs256(void)
{
	round_trip(AU_ALG_RS256, keys[K_RSA], NULL);
}

static void
test_round_trip_ps256(void)
{
	round_trip(AU_ALG_PS256, keys[K_RSA], NULL);
}

static void
test_round_trip_es256(void)
{
	round_trip(AU_ALG_ES256, keys[K_EC], keys[K_EC2]);
}

static void
test_round_trip_eddsa(void)
{
	round_trip(AU_ALG_EDDSA, keys[K_ED], keys[K_ED2]);
}

/* Verifies a PS256 signature with OpenSSL directly at a given salt
 * length: 1 good, anything else bad. */
static int
pss_verify(EVP_PKEY *key, const struct au_jws *jws, int saltlen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int r = -99;

	if (EVP_DigestVerifyInit_ex(ctx, &pctx, "SHA256", NULL, NULL, key,
	    NULL) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) == 1)
		r = EVP_DigestVerify(ctx, jws->sig, jws->sig_len,
		    (const unsigned char *)jws->signing_input,
		    jws->signing_input_len);
	EVP_MD_CTX_free(ctx);
	return r;
}

static void
test_ps256_salt_is_digest_length(void)
{
	struct au_arena *a = au_arena_new();
	struct au_jws jws;
	char *tok;

	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, keys[K_RSA], AU_ALG_PS256, NULL,
	    NULL, test_payload, strlen(test_payload), &tok), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, tok, &jws), AU_OK);
	/* RFC 7518 §3.5: salt = 32 bytes for SHA-256; not OpenSSL's max */
	CU_ASSERT_EQUAL(pss_verify(keys[K_RSA], &jws, 32), 1);
	CU_ASSERT_NOT_EQUAL(pss_verify(keys[K_RSA], &jws, 256 - 32 - 2), 1);
	au_arena_free(a);
}

static void
test_alg_confusion(void)
{
	struct au_arena *a = au_arena_new();
	struct au_jws jws;
	char *tok, *dot, *forged;

	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, keys[K_RSA], AU_ALG_RS256, "k",
	    NULL, test_payload, strlen(test_payload), &tok), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, tok, &jws), AU_OK);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, keys[K_EC]), AU_EDENIED);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, keys[K_ED]), AU_EDENIED);
	/* the header rewritten to PS256 or ES256 over the RS256 signature */
	dot = strchr(tok, '.');
	forged = au_arena_printf(a, "%s%s", b64s(a,
	    "{\"alg\":\"PS256\",\"kid\":\"k\"}"), dot);
	CU_ASSERT_EQUAL(check_token(a, forged, keys[K_RSA]), AU_EDENIED);
	forged = au_arena_printf(a, "%s%s", b64s(a,
	    "{\"alg\":\"ES256\",\"kid\":\"k\"}"), dot);
	CU_ASSERT_EQUAL(check_token(a, forged, keys[K_RSA]), AU_EDENIED);
	CU_ASSERT_EQUAL(check_token(a, forged, keys[K_EC]), AU_EDENIED);
	/* a struct whose alg does not match the key is refused up front */
	jws.alg = AU_ALG_EDDSA;
	CU_ASSERT_EQUAL(au_jws_verify(&jws, keys[K_RSA]), AU_EDENIED);
	jws.alg = AU_ALG_UNKNOWN;
	CU_ASSERT_EQUAL(au_jws_verify(&jws, keys[K_RSA]), AU_EDENIED);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, NULL), AU_EDENIED);
	au_arena_free(a);
}

static void
test_es256_der_signature_refused(void)
{
	struct au_arena *a = au_arena_new();
	struct au_jws jws;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	unsigned char der[80], *p = der;
	char *tok, *forged;
	int len;

	CU_ASSERT_EQUAL_FATAL(au_jws_sign(a, keys[K_EC], AU_ALG_ES256, NULL,
	    NULL, test_payload, strlen(test_payload), &tok), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jws_parse(a, tok, &jws), AU_OK);
	CU_ASSERT_EQUAL_FATAL(jws.sig_len, 64);
	/* the same r and s, DER-encoded as OpenSSL would emit them */
	ECDSA_SIG_set0(sig, BN_bin2bn(jws.sig, 32, NULL),
	    BN_bin2bn(jws.sig + 32, 32, NULL));
	len = i2d_ECDSA_SIG(sig, &p);
	ECDSA_SIG_free(sig);
	CU_ASSERT_FATAL(len > 0 && len <= (int)sizeof(der));
	forged = au_arena_printf(a, "%.*s.%s", (int)jws.signing_input_len,
	    jws.signing_input, au_b64url_encode(a, der, (size_t)len));
	CU_ASSERT_EQUAL(check_token(a, forged, keys[K_EC]), AU_EDENIED);
	CU_ASSERT_EQUAL(check_token(a, tok, keys[K_EC]), AU_OK);
	au_arena_free(a);
}

static void
test_sign_refusals(void)
{
	struct au_arena *a = au_arena_new();
	char *tok = NULL;

	CU_ASSERT_EQUAL(au_jws_sign(a, keys[K_EC], AU_ALG_RS256, NULL, NULL,
	    "{}", 2, &tok), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jws_sign(a, keys[K_RSA], AU_ALG_EDDSA, NULL, NULL,
	    "{}", 2, &tok), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jws_sign(a, keys[K_ED], AU_ALG_ES256, NULL, NULL,
	    "{}", 2, &tok), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jws_sign(a, keys[K_RSA], AU_ALG_UNKNOWN, NULL, NULL,
	    "{}", 2, &tok), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jws_sign(a, NULL, AU_ALG_RS256, NULL, NULL,
	    "{}", 2, &tok), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jws_sign(a, keys[K_ED], AU_ALG_EDDSA, NULL, NULL,
	    "", 0, &tok), AU_EINVAL);
	CU_ASSERT_PTR_NULL(tok);
	au_arena_free(a);
}

static void
test_parse_limits(void)
{
	struct au_arena *a = au_arena_new();
	struct au_jws jws;
	const char *h = "eyJhbGciOiJFZERTQSJ9";     /* {"alg":"EdDSA"} */
	size_t n = 16 * 1024 + 1, hl = strlen(h);
	char *big = au_arena_alloc(a, n + 1);

	/* 16 KiB is the cap, whatever the content */
	memcpy(big, h, hl);
	big[hl] = '.';
	memset(big + hl + 1, 'A', n - hl - 1);
	big[n - 4] = '.';
	big[n] = '\0';
	CU_ASSERT_EQUAL(au_jws_parse(a, big, &jws), AU_ELIMIT);
	big[n - 1] = '\0';      /* exactly 16 KiB: parsed */
	CU_ASSERT_EQUAL(au_jws_parse(a, big, &jws), AU_OK);
	CU_ASSERT_EQUAL(au_jws_parse(a, NULL, &jws), AU_EINVAL);
	/* depth 8 is allowed, 9 is not */
	CU_ASSERT_EQUAL(au_jws_parse(a, au_arena_printf(a, "%s.e30.AAAA",
	    b64s(a, "{\"alg\":\"EdDSA\",\"x\":[[[[[[[]]]]]]]}")),
	    &jws), AU_OK);
	CU_ASSERT_EQUAL(au_jws_parse(a, au_arena_printf(a, "%s.e30.AAAA",
	    b64s(a, "{\"alg\":\"EdDSA\",\"x\":[[[[[[[[]]]]]]]]}")),
	    &jws), AU_EINVAL);
	au_arena_free(a);
}

/* Parses "<b64url(header)>.e30.AAAA": the status. */
static int
parse_header_text(struct au_arena *a, const char *header, size_t len)
{
	struct au_jws jws;

	return au_jws_parse(a, au_arena_printf(a, "%s.e30.AAAA",
	    au_b64url_encode(a, header, len)), &jws);
}

static void
test_parse_header_strict(void)
{
	struct au_arena *a = au_arena_new();
	static const char *const bad[] = {
		"{\"alg\":\"RS256\\u0000\"}",
		"{\"alg\":\"ES256\",\"kid\":\"a\\u0000b\"}",
		"{\"alg\":\"ES256\",\"kid\":\"\xc0\xaf\"}",
		"{\"alg\":\"ES256\",\"kid\":\"\xed\xa0\x80\"}",
		"{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":false}",
		"{\"alg\":\"ES256\"}x",
		"{\"alg\":\"ES256\"} {}",
		"{\"alg\":\"none\"}",
		"{\"alg\":\"HS256\"}",
		"{\"alg\":\"ES256\",\"typ\":7}",
		"{\"alg\":\"ES256\",\"x\":TRUE}",
		"{\"alg\":\"ES256\",}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_header_text(a, bad[i], strlen(bad[i])) != AU_EINVAL)
			fprintf(stderr, "\n  accepted %s\n", bad[i]);
		CU_ASSERT_EQUAL(parse_header_text(a, bad[i], strlen(bad[i])),
		    AU_EINVAL);
	}
	CU_ASSERT_EQUAL(parse_header_text(a, "{\"alg\":\"ES256\"}\0", 16),
	    AU_EINVAL);
	/* JSON whitespace around the object is still the same object */
	CU_ASSERT_EQUAL(parse_header_text(a, " {\"alg\" : \"ES256\"}\r\n",
	    strlen(" {\"alg\" : \"ES256\"}\r\n")), AU_OK);
	CU_ASSERT_EQUAL(parse_header_text(a, "{\"alg\":\"E\\u0053256\"}",
	    strlen("{\"alg\":\"E\\u0053256\"}")), AU_OK);
	au_arena_free(a);
}

/* ---- the seed corpus ---- */

/* Seeds that are well-formed enough to parse; verification must refuse
 * them.  Every other seed must already be refused by the parser. */
static const char *const parse_ok_seeds[] = {
	"alg_escaped_unicode.jws", "eddsa_sig_short.jws", "eddsa_sig_zero.jws",
	"es256_sig_63_bytes.jws", "es256_sig_65_bytes.jws",
	"es256_sig_der.jws", "es256_sig_zero.jws", "header_duplicate_alg.jws",
	"header_embedded_jwk.jws", "ps256_sig_random.jws",
	"rs256_sig_short.jws", "rs256_sig_zero.jws",
};

static int
seed_parses(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(parse_ok_seeds) / sizeof(parse_ok_seeds[0]); i++)
		if (strcmp(name, parse_ok_seeds[i]) == 0)
			return 1;
	return 0;
}

/* The whole file as a NUL-terminated string in the arena, or NULL. */
static char *
slurp(struct au_arena *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 256 * 1024, n;
	char *buf;

	if (f == NULL)
		return NULL;
	buf = au_arena_alloc(a, cap + 1);
	n = fread(buf, 1, cap, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void
check_seed(struct au_arena *a, const char *dir, const char *name)
{
	struct au_jws jws;
	char *text = slurp(a, au_arena_printf(a, "%s/%s", dir, name));
	int rc, i, refused = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	rc = au_jws_parse(a, text, &jws);
	if (rc == AU_OK) {
		for (i = 0; i < K_COUNT; i++)
			if (au_jws_verify(&jws, keys[i]) != AU_EDENIED)
				refused = 0;
	} else {
		refused = rc == AU_EINVAL || rc == AU_ELIMIT;
	}
	if (!refused || (rc == AU_OK) != seed_parses(name))
		fprintf(stderr, "\n  seed %s: parse rc %d\n", name, rc);
	CU_ASSERT(refused);
	CU_ASSERT_EQUAL(rc == AU_OK, seed_parses(name));
}

static void
test_corpus_refused(void)
{
	const char *root = getenv("AU_TEST_CORPUS");
	struct au_arena *a = au_arena_new();
	struct dirent *e;
	char *dir;
	DIR *d;
	size_t len;
	int seeds = 0;

	if (root == NULL)
		fprintf(stderr, "\n  AU_TEST_CORPUS is not set\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	dir = au_arena_printf(a, "%s/jws", root);
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".jws") != 0)
			continue;
		check_seed(a, dir, e->d_name);
		au_arena_reset(a);
		dir = au_arena_printf(a, "%s/jws", root);
		seeds++;
	}
	closedir(d);
	CU_ASSERT(seeds >= 60);
	au_arena_free(a);
}

void
register_jws_tests(void)
{
	AU_ADD_SUITE("jws-rfc", NULL, NULL,
	    AU_T(test_rfc7515_a2_rs256_verify), AU_T(test_rfc7515_a2_rs256_sign),
	    AU_T(test_rfc7515_a3_es256_verify), AU_T(test_rfc8037_a4_eddsa));
	AU_ADD_SUITE("jws", jws_suite_init, jws_suite_clean,
	    AU_T(test_round_trip_rs256), AU_T(test_round_trip_ps256),
	    AU_T(test_round_trip_es256), AU_T(test_round_trip_eddsa),
	    AU_T(test_ps256_salt_is_digest_length), AU_T(test_alg_confusion),
	    AU_T(test_es256_der_signature_refused), AU_T(test_sign_refusals),
	    AU_T(test_parse_limits), AU_T(test_parse_header_strict),
	    AU_T(test_corpus_refused));
}
