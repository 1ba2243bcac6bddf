/* test_crypto_jwe.c — JWE: the RFC 7518 Appendix C Concat KDF vector,
 * round trips for every key management x content encryption pair,
 * tampering, wrong keys and refusals. */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_jwe.h"
#include "crypto/crypto_jwk.h"
#include "au_test.h"

void register_jwe_tests(void);

static au_pkey *rsa, *ec, *ed;

static int
jwe_suite_init(void)
{
	return au_key_generate(AU_ALG_RS256, &rsa) != AU_OK ||
	    au_key_generate(AU_ALG_ES256, &ec) != AU_OK ||
	    au_key_generate(AU_ALG_EDDSA, &ed) != AU_OK;
}

static int
jwe_suite_clean(void)
{
	au_pkey_free(rsa);
	au_pkey_free(ec);
	au_pkey_free(ed);
	return 0;
}

/* RFC 7518 Appendix C: Z, "A128GCM", apu "Alice", apv "Bob". */
static void
test_concat_kdf_rfc7518_c(void)
{
	static const unsigned char z[] = { 158, 86, 217, 29, 129, 113, 53,
		211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163,
		218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196 };
	struct au_arena *a = au_arena_new();
	unsigned char key[16];

	CU_ASSERT_EQUAL(au_jwe_concat_kdf(z, sizeof(z), "A128GCM", "Alice", 5,
	    "Bob", 3, key, sizeof(key)), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_b64url_encode(a, key, sizeof(key)),
	    "VqqN6vgjbSBcIijNcacQGg");
	CU_ASSERT_EQUAL(au_jwe_concat_kdf(z, sizeof(z), "A128GCM", NULL, 0,
	    NULL, 0, key, 33), AU_EINVAL);
	au_arena_free(a);
}

static void
test_round_trips(void)
{
	static const char *const encs[] = { "A128GCM", "A256GCM",
		"A128CBC-HS256" };
	static const char msg[] = "{\"sub\":\"ada\",\"pad\":\"0123456789\"}";
	struct au_arena *a = au_arena_new();
	unsigned char *pt;
	size_t i, j, n;
	char *jwe;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 3; j++) {
			const char *alg = i == 0 ? "RSA-OAEP-256" : "ECDH-ES";
			au_pkey *k = i == 0 ? rsa : ec;

			CU_ASSERT_EQUAL_FATAL(au_jwe_encrypt(a, k, "kid1", alg,
			    encs[j], "JWT", msg, strlen(msg), &jwe), AU_OK);
			CU_ASSERT_EQUAL(au_jwe_decrypt(a, k, jwe, &pt, &n), AU_OK);
			CU_ASSERT_EQUAL(n, strlen(msg));
			CU_ASSERT_STRING_EQUAL((char *)pt, msg);
			/* ECDH-ES sends no encrypted key */
			CU_ASSERT_EQUAL(strstr(jwe, "..") != NULL, i == 1);
		}
	/* an empty plaintext is fine too */
	CU_ASSERT_EQUAL(au_jwe_encrypt(a, ec, NULL, "ECDH-ES", "A128CBC-HS256",
	    NULL, "", 0, &jwe), AU_OK);
	CU_ASSERT_EQUAL(au_jwe_decrypt(a, ec, jwe, &pt, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 0);
	au_arena_free(a);
}

/* Flips one character of part i (0..4) of a compact JWE. */
static char *
tampered(struct au_arena *a, const char *jwe, int part)
{
	char *t = au_arena_strdup(a, jwe), *p = t;
	int i;

	for (i = 0; i < part; i++)
		p = strchr(p, '.') + 1;
	*p = *p == 'A' ? 'B' : 'A';
	return t;
}

static void
test_tampering_and_wrong_keys(void)
{
	static const char *const encs[] = { "A128GCM", "A256GCM",
		"A128CBC-HS256" };
	struct au_arena *a = au_arena_new();
	au_pkey *other;
	unsigned char *pt;
	size_t j, n;
	char *jwe;
	int part, rc;

	for (j = 0; j < 3; j++) {
		CU_ASSERT_EQUAL_FATAL(au_jwe_encrypt(a, rsa, NULL,
		    "RSA-OAEP-256", encs[j], NULL, "hello", 5, &jwe), AU_OK);
		for (part = 0; part < 5; part++) {
			rc = au_jwe_decrypt(a, rsa, tampered(a, jwe, part), &pt,
			    &n);
			CU_ASSERT_TRUE(rc == AU_EDENIED || rc == AU_EINVAL);
		}
		CU_ASSERT_EQUAL_FATAL(au_jwe_encrypt(a, ec, NULL, "ECDH-ES",
		    encs[j], NULL, "hello", 5, &jwe), AU_OK);
		for (part = 2; part < 5; part++) {
			rc = au_jwe_decrypt(a, ec, tampered(a, jwe, part), &pt,
			    &n);
			CU_ASSERT_TRUE(rc == AU_EDENIED || rc == AU_EINVAL);
		}
	}
	CU_ASSERT_EQUAL_FATAL(au_key_generate(AU_ALG_ES256, &other), AU_OK);
	CU_ASSERT_EQUAL(au_jwe_decrypt(a, other, jwe, &pt, &n), AU_EDENIED);
	CU_ASSERT_EQUAL(au_jwe_decrypt(a, rsa, jwe, &pt, &n), AU_EDENIED);
	au_pkey_free(other);
	au_arena_free(a);
}

static void
test_refusals(void)
{
	struct au_arena *a = au_arena_new();
	unsigned char *pt;
	size_t n;
	char *jwe;

	CU_ASSERT_EQUAL(au_jwe_encrypt(a, rsa, NULL, "RSA1_5", "A128GCM",
	    NULL, "x", 1, &jwe), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jwe_encrypt(a, rsa, NULL, "RSA-OAEP-256",
	    "A192GCM", NULL, "x", 1, &jwe), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jwe_encrypt(a, ec, NULL, "RSA-OAEP-256", "A128GCM",
	    NULL, "x", 1, &jwe), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jwe_encrypt(a, rsa, NULL, "ECDH-ES", "A128GCM",
	    NULL, "x", 1, &jwe), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jwe_encrypt(a, ed, NULL, "ECDH-ES", "A128GCM",
	    NULL, "x", 1, &jwe), AU_EINVAL);
	CU_ASSERT_FALSE(au_jwe_alg_supported("dir"));
	CU_ASSERT_FALSE(au_jwe_enc_supported("A256CBC-HS512"));
	CU_ASSERT_EQUAL(au_jwe_decrypt(a, rsa, "a.b.c.d", &pt, &n), AU_EINVAL);
	CU_ASSERT_EQUAL(au_jwe_decrypt(a, rsa, "a.b.c.d.e.f", &pt, &n),
	    AU_EINVAL);
	/* {"alg":"dir","enc":"A128GCM"} */
	CU_ASSERT_EQUAL(au_jwe_decrypt(a, rsa, "eyJhbGciOiJkaXIiLCJlbmMiOiJB"
	    "MTI4R0NNIn0..AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA", &pt, &n),
	    AU_EINVAL);
	au_arena_free(a);
}

void
register_jwe_tests(void)
{
	AU_ADD_SUITE("jwe", jwe_suite_init, jwe_suite_clean,
	    AU_T(test_concat_kdf_rfc7518_c), AU_T(test_round_trips),
	    AU_T(test_tampering_and_wrong_keys), AU_T(test_refusals));
}
