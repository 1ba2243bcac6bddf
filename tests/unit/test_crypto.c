/* test_crypto.c — base64url/base64, SHA-256 secrets, JWK export/import and
 * thumbprints, DER, AES-GCM sealing and scrypt password hashes.  The JWS tests are in
 * test_crypto_jws.c, registered from here into the same program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_jwk.h"
#include "crypto/crypto_password.h"
#include "crypto/crypto_seal.h"
#include "au_test.h"

void register_jws_tests(void);
void register_jwe_tests(void);

/* ---- base64url / base64 ---- */

/* Decodes s (url when url != 0) and compares with want; AU_* code. */
static int
dec(struct au_arena *a, int url, const char *s, const char *want,
    size_t wantlen)
{
	unsigned char *out = NULL;
	size_t len = 0;
	int rc = url ? au_b64url_decode(a, s, strlen(s), &out, &len) :
	    au_b64_decode(a, s, strlen(s), &out, &len);

	if (rc != AU_OK)
		return rc;
	CU_ASSERT_EQUAL(out[len], '\0');        /* NUL-terminated */
	if (len != wantlen || memcmp(out, want, len) != 0)
		return -99;
	return AU_OK;
}

static void
test_b64url_rfc4648(void)
{
	/* RFC 4648 §10, without the padding base64url drops */
	static const struct {
		const char *plain, *url, *std;
	} v[] = {
		{ "", "", "" },
		{ "f", "Zg", "Zg==" },
		{ "fo", "Zm8", "Zm8=" },
		{ "foo", "Zm9v", "Zm9v" },
		{ "foob", "Zm9vYg", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
	};
	struct au_arena *a = au_arena_new();
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = strlen(v[i].plain);
		CU_ASSERT_STRING_EQUAL(au_b64url_encode(a, v[i].plain, n),
		    v[i].url);
		CU_ASSERT_EQUAL(dec(a, 1, v[i].url, v[i].plain, n), AU_OK);
		CU_ASSERT_EQUAL(dec(a, 0, v[i].std, v[i].plain, n), AU_OK);
	}
	/* the two alphabet-specific characters */
	CU_ASSERT_STRING_EQUAL(au_b64url_encode(a, "\xfb\xff", 2), "-_8");
	CU_ASSERT_EQUAL(dec(a, 1, "-_8", "\xfb\xff", 2), AU_OK);
	CU_ASSERT_EQUAL(dec(a, 0, "+/8=", "\xfb\xff", 2), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_b64url_encode(a, "\x00\x00\x00", 3), "AAAA");
	au_arena_free(a);
}

static void
test_b64url_invalid(void)
{
	static const char *const bad[] = {
		"Zm9v=", "Zg==", "Zg=", "Zm9vY", "Z", "Zh", "Zm9", "Zm+v",
		"Zm/v", "Zm9 v", "Zm9v\n", " Zm9v", "Zm.v", "Zm9\x80",
		"Zm9\xc3\xa9", "A", "Zm9vA", "AAAAA",
	};
	struct au_arena *a = au_arena_new();
	unsigned char *out = NULL;
	size_t i, len = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dec(a, 1, bad[i], "", 0) != AU_EINVAL)
			fprintf(stderr, "\n  accepted \"%s\"\n", bad[i]);
		CU_ASSERT_EQUAL(dec(a, 1, bad[i], "", 0), AU_EINVAL);
	}
	/* an embedded NUL within the given length */
	CU_ASSERT_EQUAL(au_b64url_decode(a, "Zm\0v", 4, &out, &len), AU_EINVAL);
	CU_ASSERT_EQUAL(au_b64url_decode(a, NULL, 0, &out, &len), AU_EINVAL);
	CU_ASSERT_PTR_NULL(out);
	/* "Zg" is the only encoding of "f": "Zh".."Zv" set unused bits */
	CU_ASSERT_EQUAL(dec(a, 1, "Zg", "f", 1), AU_OK);
	CU_ASSERT_EQUAL(dec(a, 1, "Zm8", "fo", 2), AU_OK);
	CU_ASSERT_EQUAL(dec(a, 1, "Zm9", "fo", 2), AU_EINVAL);
	au_arena_free(a);
}

static void
test_b64_std_invalid(void)
{
	static const char *const bad[] = {
		"Zg", "Zg=", "Zm9vYg", "Zm=vYg==", "Zm9vY===", "====", "=",
		"Zh==", "Zm9=", "-_8=", "Zm9v\n", "Zm 9v", "Z===", "Zm9vYg==Zg==",
	};
	struct au_arena *a = au_arena_new();
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dec(a, 0, bad[i], "", 0) != AU_EINVAL)
			fprintf(stderr, "\n  accepted \"%s\"\n", bad[i]);
		CU_ASSERT_EQUAL(dec(a, 0, bad[i], "", 0), AU_EINVAL);
	}
	/* HTTP Basic: "Aladdin:open sesame" (RFC 7617 §2) */
	CU_ASSERT_EQUAL(dec(a, 0, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
	    "Aladdin:open sesame", 19), AU_OK);
	au_arena_free(a);
}

/* ---- SHA-256 and secrets ---- */

static void
test_sha256(void)
{
	struct au_arena *a = au_arena_new();
	unsigned char md[32];

	au_sha256("abc", 3, md);
	CU_ASSERT_STRING_EQUAL(au_hex(a, md, 32), "ba7816bf8f01cfea414140de5da"
	    "e2223b00361a396177a9cb410ff61f20015ad");
	au_sha256("", 0, md);
	CU_ASSERT_STRING_EQUAL(au_hex(a, md, 32), "e3b0c44298fc1c149afbf4c8996"
	    "fb92427ae41e4649b934ca495991b7852b855");
	au_arena_free(a);
}

static void
test_secret_hash(void)
{
	struct au_arena *a = au_arena_new();
	char *h = au_secret_hash(a, "abc"), *upper, *bad;

	CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a3961"
	    "77a9cb410ff61f20015ad");
	CU_ASSERT_TRUE(au_secret_verify("abc", h));
	CU_ASSERT_FALSE(au_secret_verify("abd", h));
	CU_ASSERT_FALSE(au_secret_verify("", h));
	CU_ASSERT_FALSE(au_secret_verify("abc", h + 1));        /* 63 chars */
	CU_ASSERT_FALSE(au_secret_verify("abc",
	    au_arena_printf(a, "%s0", h)));                     /* 65 chars */
	CU_ASSERT_FALSE(au_secret_verify("abc", ""));
	CU_ASSERT_FALSE(au_secret_verify("abc", NULL));
	CU_ASSERT_FALSE(au_secret_verify(NULL, h));
	bad = au_arena_strdup(a, h);
	bad[10] = 'g';
	CU_ASSERT_FALSE(au_secret_verify("abc", bad));
	/* a difference in the very last digit counts */
	bad = au_arena_strdup(a, h);
	bad[63] = bad[63] == '0' ? '1' : '0';
	CU_ASSERT_FALSE(au_secret_verify("abc", bad));
	/* we store lower case; anything else is not ours */
	upper = au_arena_strdup(a, h);
	upper[0] = 'B';
	CU_ASSERT_FALSE(au_secret_verify("abc", upper));
	CU_ASSERT_STRING_EQUAL(au_secret_hash(a, ""), "e3b0c44298fc1c149afbf4c"
	    "8996fb92427ae41e4649b934ca495991b7852b855");
	au_arena_free(a);
}

/* ---- JWK ---- */

/* RFC 7638 §3.1 */
static const char rfc7638_n[] =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPF"
    "FxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93"
    "lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZ"
    "Hzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3X"
    "PksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
static const char ec_x[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
static const char ec_y[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
static const char ed_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

/* au_jwk_import_public on JWK text: the status; *k set on success. */
static int
import_text(const char *text, au_pkey **k)
{
	struct json_object *o = json_tokener_parse(text);
	int rc;

	if (o == NULL)
		return -99;
	rc = au_jwk_import_public(o, k);
	json_object_put(o);
	return rc;
}

static void
test_alg_names(void)
{
	CU_ASSERT_EQUAL(au_alg_parse("RS256"), AU_ALG_RS256);
	CU_ASSERT_EQUAL(au_alg_parse("PS256"), AU_ALG_PS256);
	CU_ASSERT_EQUAL(au_alg_parse("ES256"), AU_ALG_ES256);
	CU_ASSERT_EQUAL(au_alg_parse("EdDSA"), AU_ALG_EDDSA);
	CU_ASSERT_EQUAL(au_alg_parse("none"), AU_ALG_UNKNOWN);
	CU_ASSERT_EQUAL(au_alg_parse("HS256"), AU_ALG_UNKNOWN);
	CU_ASSERT_EQUAL(au_alg_parse("rs256"), AU_ALG_UNKNOWN);
	CU_ASSERT_EQUAL(au_alg_parse("EDDSA"), AU_ALG_UNKNOWN);
	CU_ASSERT_EQUAL(au_alg_parse(""), AU_ALG_UNKNOWN);
	CU_ASSERT_EQUAL(au_alg_parse(NULL), AU_ALG_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(au_alg_name(AU_ALG_EDDSA), "EdDSA");
	CU_ASSERT_STRING_EQUAL(au_alg_name(AU_ALG_PS256), "PS256");
	CU_ASSERT_PTR_NULL(au_alg_name(AU_ALG_UNKNOWN));
	CU_ASSERT_PTR_NULL(au_alg_name((enum au_alg)99));
}

static void
test_jwk_thumbprint_rfc7638(void)
{
	struct au_arena *a = au_arena_new();
	au_pkey *k = NULL;
	char *tp = NULL;

	CU_ASSERT_EQUAL_FATAL(import_text(au_arena_printf(a,
	    "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\",\"alg\":\"RS256\","
	    "\"kid\":\"2011-04-29\"}", rfc7638_n), &k), AU_OK);
	CU_ASSERT_EQUAL(au_jwk_thumbprint(a, k, &tp), AU_OK);
	CU_ASSERT_STRING_EQUAL(tp, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
	au_pkey_free(k);
	/* RFC 8037 A.3 */
	CU_ASSERT_EQUAL_FATAL(import_text(au_arena_printf(a,
	    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\"}", ed_x), &k),
	    AU_OK);
	CU_ASSERT_EQUAL(au_jwk_thumbprint(a, k, &tp), AU_OK);
	CU_ASSERT_STRING_EQUAL(tp, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
	au_pkey_free(k);
	CU_ASSERT_EQUAL(au_jwk_thumbprint(a, NULL, &tp), AU_EINVAL);
	au_arena_free(a);
}

/* Checks that the decoded member name of o is len bytes long. */
static void
expect_member_len(struct au_arena *a, struct json_object *o,
    const char *name, size_t len)
{
	struct json_object *v;
	unsigned char *buf;
	size_t n = 0;

	CU_ASSERT_FATAL(json_object_object_get_ex(o, name, &v));
	CU_ASSERT_EQUAL(au_b64url_decode(a, json_object_get_string(v),
	    strlen(json_object_get_string(v)), &buf, &n), AU_OK);
	CU_ASSERT_EQUAL(n, len);
}

static void
export_import(enum au_alg alg, const char *want_prefix)
{
	struct au_arena *a = au_arena_new();
	au_pkey *k = NULL, *back = NULL;
	struct json_object *jwk = NULL;
	const char *s;
	char *tp1, *tp2;

	CU_ASSERT_EQUAL_FATAL(au_key_generate(alg, &k), AU_OK);
	CU_ASSERT_TRUE(au_key_fits_alg(k, alg));
	CU_ASSERT_EQUAL_FATAL(au_jwk_export_public(k, "k1", au_alg_name(alg),
	    "sig", &jwk), AU_OK);
	s = json_object_to_json_string_ext(jwk, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (strncmp(s, want_prefix, strlen(want_prefix)) != 0)
		fprintf(stderr, "\n  %s\n", s);
	CU_ASSERT(strncmp(s, want_prefix, strlen(want_prefix)) == 0);
	CU_ASSERT_PTR_NULL(strstr(s, "\"d\""));         /* public only */
	if (alg == AU_ALG_ES256) {
		expect_member_len(a, jwk, "x", 32);
		expect_member_len(a, jwk, "y", 32);
	} else if (alg == AU_ALG_EDDSA) {
		expect_member_len(a, jwk, "x", 32);
	} else {
		expect_member_len(a, jwk, "n", 256);
		expect_member_len(a, jwk, "e", 3);
	}
	CU_ASSERT_EQUAL_FATAL(au_jwk_import_public(jwk, &back), AU_OK);
	CU_ASSERT_EQUAL(EVP_PKEY_eq(k, back), 1);
	CU_ASSERT_EQUAL(au_jwk_thumbprint(a, k, &tp1), AU_OK);
	CU_ASSERT_EQUAL(au_jwk_thumbprint(a, back, &tp2), AU_OK);
	CU_ASSERT_STRING_EQUAL(tp1, tp2);
	CU_ASSERT_EQUAL(strlen(tp1), 43);
	json_object_put(jwk);
	au_pkey_free(back);
	au_pkey_free(k);
	au_arena_free(a);
}

static void
test_jwk_export_import(void)
{
	export_import(AU_ALG_RS256, "{\"kty\":\"RSA\",\"use\":\"sig\","
	    "\"alg\":\"RS256\",\"kid\":\"k1\",\"n\":\"");
	export_import(AU_ALG_ES256, "{\"kty\":\"EC\",\"use\":\"sig\","
	    "\"alg\":\"ES256\",\"kid\":\"k1\",\"crv\":\"P-256\",\"x\":\"");
	export_import(AU_ALG_EDDSA, "{\"kty\":\"OKP\",\"use\":\"sig\","
	    "\"alg\":\"EdDSA\",\"kid\":\"k1\",\"crv\":\"Ed25519\",\"x\":\"");
}

/* A private JWK carries the whole key: back from it, the same key pair;
 * and it is refused when its halves do not belong together. */
static void
private_round_trip(enum au_alg alg, const char *const *members)
{
	au_pkey *k = NULL, *other = NULL, *back = NULL;
	struct json_object *jwk = NULL, *mixed = NULL, *v;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(au_key_generate(alg, &k), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_key_generate(alg, &other), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jwk_export_private(k, "k1", au_alg_name(alg),
	    "sig", &jwk), AU_OK);
	for (i = 0; members[i] != NULL; i++)
		CU_ASSERT_TRUE(json_object_object_get_ex(jwk, members[i], NULL));
	/* a private JWK is never mistaken for a public one */
	CU_ASSERT_EQUAL(au_jwk_import_public(jwk, &back), AU_EINVAL);
	CU_ASSERT_EQUAL_FATAL(au_jwk_import_private(jwk, &back), AU_OK);
	CU_ASSERT_EQUAL(EVP_PKEY_eq(k, back), 1);
	au_pkey_free(back);
	back = NULL;
	/* d of another key under this public half */
	CU_ASSERT_EQUAL_FATAL(au_jwk_export_private(other, NULL, NULL, NULL,
	    &mixed), AU_OK);
	json_object_object_get_ex(mixed, "d", &v);
	json_object_object_add(jwk, "d", json_object_get(v));
	CU_ASSERT_EQUAL(au_jwk_import_private(jwk, &back), AU_EINVAL);
	CU_ASSERT_PTR_NULL(back);
	json_object_object_del(jwk, "d");
	CU_ASSERT_EQUAL(au_jwk_import_private(jwk, &back), AU_EINVAL);
	json_object_put(mixed);
	json_object_put(jwk);
	au_pkey_free(other);
	au_pkey_free(k);
}

static void
test_jwk_private_round_trip(void)
{
	static const char *const rsa[] = { "n", "e", "d", "p", "q", "dp", "dq",
		"qi", NULL };
	static const char *const ec[] = { "crv", "x", "y", "d", NULL };
	static const char *const okp[] = { "crv", "x", "d", NULL };

	private_round_trip(AU_ALG_RS256, rsa);
	private_round_trip(AU_ALG_ES256, ec);
	private_round_trip(AU_ALG_EDDSA, okp);
	CU_ASSERT_EQUAL(au_jwk_import_private(NULL, NULL), AU_EINVAL);
}

static void
test_jwk_export_minimal(void)
{
	au_pkey *k = NULL;
	struct json_object *jwk = NULL;

	CU_ASSERT_EQUAL_FATAL(import_text("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}", &k), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jwk_export_public(k, NULL, NULL, NULL, &jwk),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(jwk,
	    JSON_C_TO_STRING_PLAIN), "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	json_object_put(jwk);
	au_pkey_free(k);
}

/* True when coordinate param of k is shorter than 32 bytes as a BIGNUM. */
static int
short_coord(const au_pkey *k, const char *param)
{
	BIGNUM *bn = NULL;
	int n;

	if (EVP_PKEY_get_bn_param(k, param, &bn) != 1)
		return 0;
	n = BN_num_bytes(bn);
	BN_free(bn);
	return n < 32;
}

static void
test_jwk_ec_coordinates_padded(void)
{
	au_pkey *k = NULL, *back = NULL;
	struct json_object *jwk = NULL;
	struct au_arena *a = au_arena_new();
	int i;

	/* about one P-256 key in 128 has x or y with a leading zero byte */
	for (i = 0; i < 5000; i++) {
		CU_ASSERT_EQUAL_FATAL(au_key_generate(AU_ALG_ES256, &k), AU_OK);
		if (short_coord(k, OSSL_PKEY_PARAM_EC_PUB_X) ||
		    short_coord(k, OSSL_PKEY_PARAM_EC_PUB_Y))
			break;
		au_pkey_free(k);
		k = NULL;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL_FATAL(au_jwk_export_public(k, NULL, NULL, NULL, &jwk),
	    AU_OK);
	expect_member_len(a, jwk, "x", 32);
	expect_member_len(a, jwk, "y", 32);
	CU_ASSERT_EQUAL(au_jwk_import_public(jwk, &back), AU_OK);
	CU_ASSERT_EQUAL(EVP_PKEY_eq(k, back), 1);
	json_object_put(jwk);
	au_pkey_free(back);
	au_pkey_free(k);
	au_arena_free(a);
}

static void
expect_import_refused(struct au_arena *a, const char *fmt, const char *v)
{
	const char *text = au_arena_printf(a, fmt, v);
	au_pkey *k = NULL;
	int rc = import_text(text, &k);

	if (rc != AU_EINVAL)
		fprintf(stderr, "\n  import rc %d: %s\n", rc, text);
	CU_ASSERT_EQUAL(rc, AU_EINVAL);
	CU_ASSERT_PTR_NULL(k);
	au_pkey_free(k);
}

static void
test_jwk_import_refused(void)
{
	struct au_arena *a = au_arena_new();
	/* 88 characters: a well-formed 528-bit modulus, refused for size */
	char *n528 = au_arena_strndup(a, rfc7638_n, 88);
	char *y_off = au_arena_strdup(a, ec_y);
	const char *zero32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	const char *zero31 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	au_pkey *k = NULL;

	y_off[42] = '4';        /* one bit of y flipped: off the curve */
	/* the good forms first, so the refusals below mean something */
	CU_ASSERT_EQUAL(import_text(au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}", ec_x, ec_y), &k),
	    AU_OK);
	au_pkey_free(k);
	expect_import_refused(a, "%s", "\"RSA\"");
	expect_import_refused(a, "%s", "[{\"kty\":\"RSA\"}]");
	expect_import_refused(a, "{\"kty\":1,\"n\":\"%s\",\"e\":\"AQAB\"}",
	    rfc7638_n);
	expect_import_refused(a, "{\"n\":\"%s\",\"e\":\"AQAB\"}", rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"oct\",\"k\":\"%s\"}", zero32);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\"}",
	    n528);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAA\"}",
	    rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQ\"}",
	    rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"\"}",
	    rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\","
	    "\"e\":\"AQAAAAE\"}", rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\"}", rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"e\":\"AQAB\"%s}", "");
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s=\",\"e\":\"AQAB\"}",
	    rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\","
	    "\"d\":\"AQAB\"}", rfc7638_n);
	expect_import_refused(a, "{\"kty\":\"RSA\",\"n\":[\"%s\"],"
	    "\"e\":\"AQAB\"}", rfc7638_n);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-384\",\"x\":\"%s\",\"y\":\"%%s\"}", ec_x), ec_y);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"x\":\"%s\",\"y\":\"%%s\"}", ec_x), ec_y);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%%s\"}", ec_x), y_off);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%%s\"}", ec_x), zero32);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%%s\"}", zero32), zero32);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%%s\"}", zero31), ec_y);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s=\",\"y\":\"%%s\"}", ec_x), ec_y);
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\"}", ec_x), "");
	expect_import_refused(a, au_arena_printf(a, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%%s\",\"d\":\"AA\"}", ec_x),
	    ec_y);
	expect_import_refused(a, "{\"kty\":\"OKP\",\"crv\":\"Ed448\","
	    "\"x\":\"%s\"}", ed_x);
	expect_import_refused(a, "{\"kty\":\"OKP\",\"x\":\"%s\"}", ed_x);
	expect_import_refused(a, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"%s\"}", zero31);
	expect_import_refused(a, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"y\":\"%s\"}", ed_x);
	expect_import_refused(a, "{\"kty\":\"OKP\",\"crv\":\"X25519\","
	    "\"x\":\"%s\"}", ed_x);
	expect_import_refused(a, "{\"kty\":\"EC\",\"crv\":\"Ed25519\","
	    "\"x\":\"%s\"}", ed_x);
	CU_ASSERT_EQUAL(au_jwk_import_public(NULL, &k), AU_EINVAL);
	au_arena_free(a);
}

static void
test_key_fits_alg(void)
{
	au_pkey *rsa = NULL, *ec = NULL, *ed = NULL;
	EVP_PKEY *p384, *ed448, *rsa1024;

	CU_ASSERT_EQUAL_FATAL(au_key_generate(AU_ALG_PS256, &rsa), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_key_generate(AU_ALG_ES256, &ec), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_key_generate(AU_ALG_EDDSA, &ed), AU_OK);
	CU_ASSERT_EQUAL(au_key_generate(AU_ALG_UNKNOWN, &ed), AU_EINVAL);
	CU_ASSERT_TRUE(au_key_fits_alg(rsa, AU_ALG_RS256));
	CU_ASSERT_TRUE(au_key_fits_alg(rsa, AU_ALG_PS256));
	CU_ASSERT_FALSE(au_key_fits_alg(rsa, AU_ALG_ES256));
	CU_ASSERT_FALSE(au_key_fits_alg(rsa, AU_ALG_EDDSA));
	CU_ASSERT_TRUE(au_key_fits_alg(ec, AU_ALG_ES256));
	CU_ASSERT_FALSE(au_key_fits_alg(ec, AU_ALG_RS256));
	CU_ASSERT_FALSE(au_key_fits_alg(ec, AU_ALG_EDDSA));
	CU_ASSERT_TRUE(au_key_fits_alg(ed, AU_ALG_EDDSA));
	CU_ASSERT_FALSE(au_key_fits_alg(ed, AU_ALG_ES256));
	CU_ASSERT_FALSE(au_key_fits_alg(ed, AU_ALG_PS256));
	CU_ASSERT_FALSE(au_key_fits_alg(ed, AU_ALG_UNKNOWN));
	CU_ASSERT_FALSE(au_key_fits_alg(NULL, AU_ALG_RS256));
	/* near misses: another curve, Ed448, a short RSA modulus */
	p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	ed448 = EVP_PKEY_Q_keygen(NULL, NULL, "ED448");
	rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	CU_ASSERT_FALSE(au_key_fits_alg(p384, AU_ALG_ES256));
	CU_ASSERT_FALSE(au_key_fits_alg(ed448, AU_ALG_EDDSA));
	CU_ASSERT_FALSE(au_key_fits_alg(rsa1024, AU_ALG_RS256));
	CU_ASSERT_FALSE(au_key_fits_alg(rsa1024, AU_ALG_PS256));
	EVP_PKEY_free(p384);
	EVP_PKEY_free(ed448);
	EVP_PKEY_free(rsa1024);
	au_pkey_free(rsa);
	au_pkey_free(ec);
	au_pkey_free(ed);
}

static void
der_round_trip(enum au_alg alg)
{
	struct au_arena *a = au_arena_new();
	au_pkey *k = NULL, *back = NULL, *pub = NULL;
	struct json_object *jwk = NULL;
	unsigned char *der = NULL, *longer;
	size_t len = 0;

	CU_ASSERT_EQUAL_FATAL(au_key_generate(alg, &k), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_key_to_der(a, k, &der, &len), AU_OK);
	CU_ASSERT(len > 32);
	CU_ASSERT_EQUAL(der[0], 0x30);                  /* a SEQUENCE */
	CU_ASSERT_EQUAL_FATAL(au_key_from_der(der, len, &back), AU_OK);
	CU_ASSERT_EQUAL(EVP_PKEY_eq(k, back), 1);
	au_pkey_free(back);
	back = NULL;
	/* truncated, or followed by garbage: refused */
	CU_ASSERT_EQUAL(au_key_from_der(der, len - 1, &back), AU_EINVAL);
	longer = au_arena_alloc(a, len + 1);
	memcpy(longer, der, len);
	longer[len] = 0;
	CU_ASSERT_EQUAL(au_key_from_der(longer, len + 1, &back), AU_EINVAL);
	CU_ASSERT_PTR_NULL(back);
	/* a public key has no private DER */
	CU_ASSERT_EQUAL_FATAL(au_jwk_export_public(k, NULL, NULL, NULL, &jwk),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_jwk_import_public(jwk, &pub), AU_OK);
	CU_ASSERT_NOT_EQUAL(au_key_to_der(a, pub, &der, &len), AU_OK);
	json_object_put(jwk);
	au_pkey_free(pub);
	au_pkey_free(k);
	au_arena_free(a);
}

static void
test_key_der(void)
{
	au_pkey *k = NULL;

	der_round_trip(AU_ALG_RS256);
	der_round_trip(AU_ALG_ES256);
	der_round_trip(AU_ALG_EDDSA);
	CU_ASSERT_EQUAL(au_key_from_der((const unsigned char *)"\x30\x03\x02"
	    "\x01\x00", 5, &k), AU_EINVAL);
	CU_ASSERT_EQUAL(au_key_from_der((const unsigned char *)"x", 0, &k),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_key_from_der(NULL, 10, &k), AU_EINVAL);
	CU_ASSERT_PTR_NULL(k);
}

/* ---- sealing ---- */

static const unsigned char master[AU_MASTER_KEY_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0xff,
};

static void
test_seal_round_trip(void)
{
	struct au_arena *a = au_arena_new();
	static const char secret[] = "the private key bytes";
	unsigned char *blob, *blob2, *plain;
	size_t n, n2, plen, i;

	CU_ASSERT_EQUAL_FATAL(au_seal(a, master, secret, sizeof(secret) - 1,
	    "kid-1", &blob, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 1 + 12 + (sizeof(secret) - 1) + 16);
	CU_ASSERT_EQUAL(blob[0], 0x01);
	for (i = 0; i + 7 <= n; i++)                    /* not in clear */
		CU_ASSERT(memcmp(blob + i, "private", 7) != 0);
	CU_ASSERT_EQUAL_FATAL(au_unseal(a, master, blob, n, "kid-1", &plain,
	    &plen), AU_OK);
	CU_ASSERT_EQUAL(plen, sizeof(secret) - 1);
	CU_ASSERT_STRING_EQUAL((char *)plain, secret);
	/* a fresh IV each time: the same input never seals the same way */
	CU_ASSERT_EQUAL(au_seal(a, master, secret, sizeof(secret) - 1, "kid-1",
	    &blob2, &n2), AU_OK);
	CU_ASSERT(n2 == n && memcmp(blob + 1, blob2 + 1, 12) != 0);
	/* empty plaintext */
	CU_ASSERT_EQUAL_FATAL(au_seal(a, master, "", 0, "x", &blob, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 29);
	CU_ASSERT_EQUAL(au_unseal(a, master, blob, n, "x", &plain, &plen), AU_OK);
	CU_ASSERT_EQUAL(plen, 0);
	au_arena_free(a);
}

/* Unseals a copy of blob with byte i xor-ed with 1. */
static int
unseal_flipped(struct au_arena *a, const unsigned char *blob, size_t n,
    size_t i)
{
	unsigned char *copy = au_arena_memdup(a, blob, n), *plain;
	size_t plen;

	copy[i] ^= 1;
	return au_unseal(a, master, copy, n, "kid-1", &plain, &plen);
}

static void
test_seal_tampered(void)
{
	struct au_arena *a = au_arena_new();
	unsigned char *blob, *plain, other[AU_MASTER_KEY_LEN];
	size_t n, plen, i;

	CU_ASSERT_EQUAL_FATAL(au_seal(a, master, "0123456789", 10, "kid-1",
	    &blob, &n), AU_OK);
	/* every byte after the version: IV, ciphertext, tag */
	for (i = 1; i < n; i++)
		CU_ASSERT_EQUAL(unseal_flipped(a, blob, n, i), AU_EDENIED);
	CU_ASSERT_EQUAL(unseal_flipped(a, blob, n, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_unseal(a, master, blob, n, "kid-2", &plain, &plen),
	    AU_EDENIED);
	CU_ASSERT_EQUAL(au_unseal(a, master, blob, n, "kid-1 ", &plain, &plen),
	    AU_EDENIED);
	CU_ASSERT_EQUAL(au_unseal(a, master, blob, n, "", &plain, &plen),
	    AU_EDENIED);
	memcpy(other, master, sizeof(other));
	other[31] ^= 0x80;
	CU_ASSERT_EQUAL(au_unseal(a, other, blob, n, "kid-1", &plain, &plen),
	    AU_EDENIED);
	/* cut short, or too short to hold IV and tag */
	CU_ASSERT_EQUAL(au_unseal(a, master, blob, n - 1, "kid-1", &plain,
	    &plen), AU_EDENIED);
	CU_ASSERT_EQUAL(au_unseal(a, master, blob, 28, "kid-1", &plain, &plen),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_unseal(a, master, NULL, 0, "kid-1", &plain, &plen),
	    AU_EINVAL);
	au_arena_free(a);
}

static void
test_seal_pkey(void)
{
	static const enum au_alg algs[] = {
		AU_ALG_RS256, AU_ALG_ES256, AU_ALG_EDDSA
	};
	struct au_arena *a = au_arena_new();
	au_pkey *k = NULL, *back = NULL;
	unsigned char *blob;
	size_t n, i;

	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(au_key_generate(algs[i], &k), AU_OK);
		CU_ASSERT_EQUAL_FATAL(au_seal_pkey(a, master, k, "kid-9", &blob,
		    &n), AU_OK);
		CU_ASSERT_EQUAL_FATAL(au_unseal_pkey(a, master, blob, n,
		    "kid-9", &back), AU_OK);
		CU_ASSERT_EQUAL(EVP_PKEY_eq(k, back), 1);
		au_pkey_free(back);
		back = NULL;
		/* moved onto another kid's row: refused */
		CU_ASSERT_EQUAL(au_unseal_pkey(a, master, blob, n, "kid-8",
		    &back), AU_EDENIED);
		CU_ASSERT_EQUAL(au_seal_pkey(a, master, k, NULL, &blob, &n),
		    AU_EINVAL);
		CU_ASSERT_PTR_NULL(back);
		au_pkey_free(k);
		au_arena_reset(a);
	}
	au_arena_free(a);
}

/* Writes text to a new temporary file with mode; its path, in a. */
static char *
key_file(struct au_arena *a, const char *text, mode_t mode)
{
	char *path = au_arena_strdup(a, "/tmp/au_test_masterXXXXXX");
	int fd = mkstemp(path);
	size_t n = strlen(text);

	if (fd < 0)
		return NULL;
	if (write(fd, text, n) != (ssize_t)n || fchmod(fd, mode) != 0) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* au_seal_load_master on a file holding text with mode: the status, and
 * the message in err. */
static int
load_master(struct au_arena *a, const char *text, mode_t mode,
    unsigned char key[AU_MASTER_KEY_LEN], char *err, size_t errlen,
    char **pathp)
{
	char *path = key_file(a, text, mode);
	int rc;

	if (path == NULL)
		return -99;
	err[0] = '\0';
	rc = au_seal_load_master(path, key, err, errlen);
	unlink(path);
	*pathp = path;
	return rc;
}

static const char master_hex[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1eff";

static void
test_seal_master_file(void)
{
	struct au_arena *a = au_arena_new();
	unsigned char key[AU_MASTER_KEY_LEN];
	char err[512], *path, *text;

	memset(key, 0xaa, sizeof(key));
	CU_ASSERT_EQUAL(load_master(a, au_arena_printf(a, "%s\n", master_hex),
	    0600, key, err, sizeof(err), &path), AU_OK);
	CU_ASSERT(memcmp(key, master, sizeof(key)) == 0);
	memset(key, 0xaa, sizeof(key));
	CU_ASSERT_EQUAL(load_master(a, master_hex, 0400, key, err, sizeof(err),
	    &path), AU_OK);
	CU_ASSERT(memcmp(key, master, sizeof(key)) == 0);
	/* readable by others or the group: refused, naming path and reason */
	memset(key, 0xaa, sizeof(key));
	CU_ASSERT_EQUAL(load_master(a, master_hex, 0644, key, err, sizeof(err),
	    &path), AU_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "0644"));
	CU_ASSERT_EQUAL(key[0], 0xaa);                  /* untouched */
	CU_ASSERT_EQUAL(load_master(a, master_hex, 0640, key, err, sizeof(err),
	    &path), AU_EINVAL);
	CU_ASSERT_EQUAL(load_master(a, master_hex, 0602, key, err, sizeof(err),
	    &path), AU_EINVAL);
	/* wrong length, not hex, extra lines */
	CU_ASSERT_EQUAL(load_master(a, "00112233\n", 0600, key, err,
	    sizeof(err), &path), AU_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "length"));
	CU_ASSERT_EQUAL(load_master(a, "", 0600, key, err, sizeof(err), &path),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(load_master(a, au_arena_printf(a, "%s\n\n", master_hex),
	    0600, key, err, sizeof(err), &path), AU_EINVAL);
	CU_ASSERT_EQUAL(load_master(a, au_arena_printf(a, "%s00", master_hex),
	    0600, key, err, sizeof(err), &path), AU_EINVAL);
	text = au_arena_strdup(a, master_hex);
	text[63] = 'g';
	CU_ASSERT_EQUAL(load_master(a, text, 0600, key, err, sizeof(err),
	    &path), AU_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "hex"));
	CU_ASSERT_EQUAL(key[0], 0xaa);
	/* missing file */
	CU_ASSERT_EQUAL(au_seal_load_master("/nonexistent/authio.key", key,
	    err, sizeof(err)), AU_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/authio.key"));
	au_arena_free(a);
}

/* ---- passwords (scrypt, PHC strings); ln=10 keeps each hash ~1 MiB ---- */

#define TEST_LN 10

/* Known answer computed independently (Python's hashlib.scrypt, N=1024,
 * r=8, p=1, salt 00..0f, 32 bytes): proves the KDF and the B64 spelling. */
static const char kat_phc[] = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw"
    "$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU";
static const char kat_utf8_phc[] = "$scrypt$ln=10,r=8,p=1"
    "$AAECAwQFBgcICQoLDA0ODw$eFOfxH9W97aT9tFGUTt/RmIVdrXe7XCS/ejEommn918";

static void
test_password_round_trip(void)
{
	struct au_arena *a = au_arena_new();
	char *h1 = au_password_hash(a, "correct horse", TEST_LN);
	char *h2 = au_password_hash(a, "correct horse", TEST_LN);
	char *empty = au_password_hash(a, "", TEST_LN);

	CU_ASSERT_PTR_NOT_NULL_FATAL(h1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h2);
	CU_ASSERT_NSTRING_EQUAL(h1, "$scrypt$ln=10,r=8,p=1$", 22);
	/* 16-byte salt and 32-byte key: 22 and 43 B64 characters */
	CU_ASSERT_EQUAL(strlen(h1), 22 + 22 + 1 + 43);
	CU_ASSERT_STRING_NOT_EQUAL(h1, h2);          /* fresh salt each time */
	CU_ASSERT_TRUE(au_password_verify("correct horse", h1));
	CU_ASSERT_TRUE(au_password_verify("correct horse", h2));
	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	CU_ASSERT_TRUE(au_password_verify("", empty));
	CU_ASSERT_FALSE(au_password_verify("x", empty));
	CU_ASSERT_TRUE(au_password_verify("correct horse battery staple",
	    kat_phc));
	CU_ASSERT_TRUE(au_password_verify("p\xc3\xa4ssw\xc3\xb6rd \xe2\x9c\x93",
	    kat_utf8_phc));
	/* the cost is bounded both ways */
	CU_ASSERT_PTR_NULL(au_password_hash(a, "x", AU_PASSWORD_MIN_LN - 1));
	CU_ASSERT_PTR_NULL(au_password_hash(a, "x", AU_PASSWORD_MAX_LN + 1));
	CU_ASSERT_PTR_NULL(au_password_hash(a, NULL, TEST_LN));
	au_arena_free(a);
}

static void
test_password_wrong(void)
{
	struct au_arena *a = au_arena_new();
	char *h = au_password_hash(a, "s3cret-Passw0rd", TEST_LN);

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_FALSE(au_password_verify("s3cret-passw0rd", h));
	CU_ASSERT_FALSE(au_password_verify("s3cret-Passw0rd ", h));
	CU_ASSERT_FALSE(au_password_verify("s3cret-Passw0r", h));
	CU_ASSERT_FALSE(au_password_verify("", h));
	CU_ASSERT_FALSE(au_password_verify(NULL, h));
	CU_ASSERT_FALSE(au_password_verify("correct horse battery stapler",
	    kat_phc));
	au_arena_free(a);
}

static void
test_password_malformed(void)
{
	static const char *const bad[] = {
		"", "$", "$scrypt$", "scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		/* other algorithm, wrong parameter names, order or spelling */
		"$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$n=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$r=8,ln=10,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=010,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=+10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=8,p=1,x=2$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		/* zero or excessive costs: never run */
		"$scrypt$ln=0,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=0,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=8,p=0$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=30,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=17,r=64,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=99999999999,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		/* B64: padding, url alphabet, whitespace, bad length, bits */
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S_AXJlRU",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU ",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODwA$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODx$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		/* missing or short parts, extra parts */
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$",
		"$scrypt$ln=10,r=8,p=1$$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=8,p=1$AAECAw$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGh",
		"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$"
		    "mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU$x",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_FALSE(au_password_verify("correct horse battery staple",
		    bad[i]));
		CU_ASSERT_TRUE(au_password_needs_rehash(bad[i], TEST_LN));
	}
	CU_ASSERT_FALSE(au_password_verify("x", NULL));
	CU_ASSERT_TRUE(au_password_needs_rehash(NULL, TEST_LN));
}

/* One changed character of the salt or the key breaks verification. */
static void
test_password_tampered(void)
{
	char phc[sizeof(kat_phc)];
	char *salt = strchr(kat_phc + 9, '$') + 1 - kat_phc + phc;
	char *key = strrchr(kat_phc, '$') + 1 - kat_phc + phc;

	memcpy(phc, kat_phc, sizeof(phc));
	CU_ASSERT_TRUE(au_password_verify("correct horse battery staple", phc));
	salt[3] = salt[3] == 'B' ? 'C' : 'B';
	CU_ASSERT_FALSE(au_password_verify("correct horse battery staple", phc));
	memcpy(phc, kat_phc, sizeof(phc));
	key[5] = key[5] == 'B' ? 'C' : 'B';
	CU_ASSERT_FALSE(au_password_verify("correct horse battery staple", phc));
	memcpy(phc, kat_phc, sizeof(phc));
	/* the cost is part of what is verified: ln=11 derives another key */
	phc[11] = '1';
	phc[12] = '1';
	CU_ASSERT_NSTRING_EQUAL(phc, "$scrypt$ln=11,", 14);
	CU_ASSERT_FALSE(au_password_verify("correct horse battery staple", phc));
}

static void
test_password_hash_valid(void)
{
	struct au_arena *a = au_arena_new();

	CU_ASSERT_TRUE(au_password_hash_valid(au_password_hash(a, "pw",
	    TEST_LN)));
	CU_ASSERT_TRUE(au_password_hash_valid(kat_phc));
	CU_ASSERT_FALSE(au_password_hash_valid(NULL));
	CU_ASSERT_FALSE(au_password_hash_valid(""));
	CU_ASSERT_FALSE(au_password_hash_valid("$2b$10$abcdefghijklmnopqrstuv"));
	CU_ASSERT_FALSE(au_password_hash_valid("$scrypt$ln=30,r=8,p=1"
	    "$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU"));
	au_arena_free(a);
}

static void
test_password_needs_rehash(void)
{
	struct au_arena *a = au_arena_new();
	char *h = au_password_hash(a, "pw", TEST_LN);

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_FALSE(au_password_needs_rehash(h, TEST_LN));
	CU_ASSERT_TRUE(au_password_needs_rehash(h, TEST_LN + 1));
	CU_ASSERT_TRUE(au_password_needs_rehash(h, AU_PASSWORD_DEFAULT_LN));
	CU_ASSERT_FALSE(au_password_needs_rehash(kat_phc, TEST_LN));
	/* other r or p, or a shorter key, are not today's parameters */
	CU_ASSERT_TRUE(au_password_needs_rehash("$scrypt$ln=10,r=4,p=1"
	    "$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
	    TEST_LN));
	CU_ASSERT_TRUE(au_password_needs_rehash("$scrypt$ln=10,r=8,p=2"
	    "$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU",
	    TEST_LN));
	CU_ASSERT_TRUE(au_password_needs_rehash("$scrypt$ln=10,r=8,p=1"
	    "$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGhjEv4WArVH4", TEST_LN));
	au_arena_free(a);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("b64url", NULL, NULL, AU_T(test_b64url_rfc4648),
	    AU_T(test_b64url_invalid), AU_T(test_b64_std_invalid));
	AU_ADD_SUITE("hash", NULL, NULL, AU_T(test_sha256),
	    AU_T(test_secret_hash));
	AU_ADD_SUITE("jwk", NULL, NULL, AU_T(test_alg_names),
	    AU_T(test_jwk_thumbprint_rfc7638), AU_T(test_jwk_export_import),
	    AU_T(test_jwk_export_minimal), AU_T(test_jwk_ec_coordinates_padded),
	    AU_T(test_jwk_import_refused), AU_T(test_key_fits_alg),
	    AU_T(test_key_der), AU_T(test_jwk_private_round_trip));
	AU_ADD_SUITE("seal", NULL, NULL, AU_T(test_seal_round_trip),
	    AU_T(test_seal_tampered), AU_T(test_seal_pkey),
	    AU_T(test_seal_master_file));
	AU_ADD_SUITE("password", NULL, NULL, AU_T(test_password_round_trip),
	    AU_T(test_password_wrong), AU_T(test_password_malformed),
	    AU_T(test_password_tampered), AU_T(test_password_needs_rehash),
	    AU_T(test_password_hash_valid));
	register_jws_tests();
	register_jwe_tests();
}

AU_TEST_MAIN(register_tests)
