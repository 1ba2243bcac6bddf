/* crypto_jwk.c — signing keys: generation, JWK export and import, DER.
 *
 * Three key types exist: RSA (at least 2048 bits) for RS256 and PS256,
 * EC P-256 for ES256, and Ed25519 for EdDSA.  Everything goes through the
 * OpenSSL 3 provider API (EVP_PKEY params, OSSL_PARAM_BLD, OSSL_ENCODER);
 * the deprecated RSA_* and EC_KEY_* functions are not used.
 *
 * A JWK is first reduced to its list of required members (kty, crv and the
 * base64url key values); export and the RFC 7638 thumbprint are both built
 * from that one list, so the kid always matches what /jwks publishes. */
#include <assert.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_jwk.h"

#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 16384      /* bounds the cost of a hostile JWK */
#define EC_COORD_LEN 32
#define ED25519_LEN 32

/* The required members of a public JWK: kty first, then the rest in the
 * order we publish them.  Values live in the arena passed to jwk_parts. */
struct jwk_member {
	const char *name, *value;
};

struct jwk_parts {
	struct jwk_member m[4];
	size_t n;
};

static const char *const alg_names[] = {
	[AU_ALG_RS256] = "RS256",
	[AU_ALG_PS256] = "PS256",
	[AU_ALG_ES256] = "ES256",
	[AU_ALG_EDDSA] = "EdDSA",
};

const char *
au_alg_name(enum au_alg alg)
{
	if (alg <= AU_ALG_UNKNOWN || alg > AU_ALG_EDDSA)
		return NULL;
	return alg_names[alg];
}

enum au_alg
au_alg_parse(const char *name)
{
	int alg;

	if (name == NULL)
		return AU_ALG_UNKNOWN;
	for (alg = AU_ALG_RS256; alg <= AU_ALG_EDDSA; alg++)
		if (strcmp(name, alg_names[alg]) == 0)
			return (enum au_alg)alg;
	return AU_ALG_UNKNOWN;
}

int
au_key_generate(enum au_alg alg, au_pkey **out)
{
	EVP_PKEY *k;

	switch (alg) {
	case AU_ALG_RS256:
	case AU_ALG_PS256:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)RSA_MIN_BITS);
		break;
	case AU_ALG_ES256:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case AU_ALG_EDDSA:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	default:
		return AU_EINVAL;
	}
	if (k == NULL) {
		ERR_clear_error();
		return AU_ECRYPTO;
	}
	*out = k;
	return AU_OK;
}

void
au_pkey_free(au_pkey *k)
{
	EVP_PKEY_free(k);
}

/* True for an EC key on the named curve P-256 (OpenSSL's prime256v1). */
static bool
is_p256(const EVP_PKEY *k)
{
	char name[64];
	size_t len = 0;

	if (!EVP_PKEY_is_a(k, "EC"))
		return false;
	if (EVP_PKEY_get_group_name(k, name, sizeof(name), &len) != 1) {
		ERR_clear_error();
		return false;
	}
	return strcmp(name, "prime256v1") == 0 || strcmp(name, "P-256") == 0;
}

int
au_key_fits_alg(const au_pkey *k, enum au_alg alg)
{
	if (k == NULL)
		return 0;
	switch (alg) {
	case AU_ALG_RS256:
	case AU_ALG_PS256:
		return EVP_PKEY_is_a(k, "RSA") &&
		    EVP_PKEY_get_bits(k) >= RSA_MIN_BITS;
	case AU_ALG_ES256:
		return is_p256(k);
	case AU_ALG_EDDSA:
		return EVP_PKEY_is_a(k, "ED25519");
	default:
		return 0;
	}
}

/* The big-endian bytes of a BIGNUM key parameter as base64url: minimal
 * length when pad is 0, else exactly pad bytes (EC coordinates must keep
 * their leading zeros).  NULL when the parameter is missing or too big. */
static const char *
bn_param_b64(struct au_arena *a, const EVP_PKEY *k, const char *param,
    int pad)
{
	BIGNUM *bn = NULL;
	unsigned char *buf;
	const char *s = NULL;
	int len;

	if (EVP_PKEY_get_bn_param(k, param, &bn) != 1) {
		ERR_clear_error();
		return NULL;
	}
	len = pad > 0 ? pad : BN_num_bytes(bn);
	if (len > 0 && len <= RSA_MAX_BITS / 8) {
		buf = au_arena_alloc(a, (size_t)len);
		if (BN_bn2binpad(bn, buf, len) == len)
			s = au_b64url_encode(a, buf, (size_t)len);
	}
	BN_free(bn);
	return s;
}

static void
part_add(struct jwk_parts *p, const char *name, const char *value)
{
	assert(p->n < sizeof(p->m) / sizeof(p->m[0]));
	p->m[p->n].name = name;
	p->m[p->n].value = value;
	p->n++;
}

/* Reduces k to its required public JWK members.  AU_EINVAL for a key type
 * or curve we do not support, AU_ECRYPTO when OpenSSL cannot give the
 * public values. */
static int
jwk_parts(struct au_arena *a, const EVP_PKEY *k, struct jwk_parts *p)
{
	const char *v1, *v2 = NULL;
	unsigned char raw[ED25519_LEN];
	size_t rawlen = sizeof(raw);

	p->n = 0;
	if (k == NULL)
		return AU_EINVAL;
	if (EVP_PKEY_is_a(k, "RSA")) {
		part_add(p, "kty", "RSA");
		v1 = bn_param_b64(a, k, OSSL_PKEY_PARAM_RSA_N, 0);
		v2 = bn_param_b64(a, k, OSSL_PKEY_PARAM_RSA_E, 0);
		part_add(p, "n", v1);
		part_add(p, "e", v2);
	} else if (is_p256(k)) {
		part_add(p, "kty", "EC");
		part_add(p, "crv", "P-256");
		v1 = bn_param_b64(a, k, OSSL_PKEY_PARAM_EC_PUB_X, EC_COORD_LEN);
		v2 = bn_param_b64(a, k, OSSL_PKEY_PARAM_EC_PUB_Y, EC_COORD_LEN);
		part_add(p, "x", v1);
		part_add(p, "y", v2);
	} else if (EVP_PKEY_is_a(k, "ED25519")) {
		part_add(p, "kty", "OKP");
		part_add(p, "crv", "Ed25519");
		if (EVP_PKEY_get_raw_public_key(k, raw, &rawlen) != 1 ||
		    rawlen != ED25519_LEN) {
			ERR_clear_error();
			return AU_ECRYPTO;
		}
		v1 = v2 = au_b64url_encode(a, raw, rawlen);
		part_add(p, "x", v1);
	} else {
		return AU_EINVAL;
	}
	return v1 != NULL && v2 != NULL ? AU_OK : AU_ECRYPTO;
}

static void
add_string(struct json_object *o, const char *name, const char *value)
{
	json_object_object_add(o, name, json_object_new_string(value));
}

int
au_jwk_export_public(const au_pkey *k, const char *kid, const char *alg,
    const char *use, struct json_object **out)
{
	struct au_arena *a = au_arena_new();
	struct jwk_parts p;
	struct json_object *o;
	size_t i;
	int rc;

	rc = jwk_parts(a, k, &p);
	if (rc == AU_OK) {
		o = json_object_new_object();
		add_string(o, p.m[0].name, p.m[0].value);      /* kty */
		if (use != NULL)
			add_string(o, "use", use);
		if (alg != NULL)
			add_string(o, "alg", alg);
		if (kid != NULL)
			add_string(o, "kid", kid);
		for (i = 1; i < p.n; i++)
			add_string(o, p.m[i].name, p.m[i].value);
		*out = o;
	}
	au_arena_free(a);
	return rc;
}

static int
member_cmp(const void *x, const void *y)
{
	return strcmp(((const struct jwk_member *)x)->name,
	    ((const struct jwk_member *)y)->name);
}

int
au_jwk_thumbprint(struct au_arena *a, const au_pkey *k, char **out)
{
	struct jwk_parts p;
	struct json_object *o;
	const char *canon;
	unsigned char md[32];
	size_t i;
	int rc;

	rc = jwk_parts(a, k, &p);
	if (rc != AU_OK)
		return rc;
	/* RFC 7638 §3.2: required members only, sorted, no whitespace */
	qsort(p.m, p.n, sizeof(p.m[0]), member_cmp);
	o = json_object_new_object();
	for (i = 0; i < p.n; i++)
		add_string(o, p.m[i].name, p.m[i].value);
	canon = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	au_sha256(canon, strlen(canon), md);
	json_object_put(o);
	*out = au_b64url_encode(a, md, sizeof(md));
	return AU_OK;
}

/* ---- import ---- */

/* The string member name of jwk, or NULL when absent or not a string. */
static const char *
member_str(struct json_object *jwk, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(jwk, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Decodes the base64url member name; AU_EINVAL when absent or invalid. */
static int
member_b64(struct au_arena *a, struct json_object *jwk, const char *name,
    unsigned char **buf, size_t *len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(jwk, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return AU_EINVAL;
	return au_b64url_decode(a, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), buf, len);
}

/* A "public" JWK that carries private members is a leaked key or a
 * mistake; either way it is not something to trust. */
static bool
has_private_member(struct json_object *jwk)
{
	static const char *const priv[] = {
		"d", "p", "q", "dp", "dq", "qi", "oth", "k"
	};
	size_t i;

	for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
		if (json_object_object_get_ex(jwk, priv[i], NULL))
			return true;
	return false;
}

/* Builds a public key of type from the parameters in bld (consumed). */
static int
pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;
	int rc = AU_EINVAL;

	if (bld == NULL)
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (params == NULL || ctx == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	*out = k;
	rc = AU_OK;
out:
	if (rc != AU_OK)
		ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

static int
import_rsa(struct au_arena *a, struct json_object *jwk, EVP_PKEY **out)
{
	unsigned char *nb, *eb;
	size_t nlen, elen;
	BIGNUM *n = NULL, *e = NULL;
	OSSL_PARAM_BLD *bld;
	int rc = AU_EINVAL;

	if (member_b64(a, jwk, "n", &nb, &nlen) != AU_OK ||
	    member_b64(a, jwk, "e", &eb, &elen) != AU_OK ||
	    nlen > RSA_MAX_BITS / 8 || elen == 0 || elen > 4)
		return AU_EINVAL;
	n = BN_bin2bn(nb, (int)nlen, NULL);
	e = BN_bin2bn(eb, (int)elen, NULL);
	if (n == NULL || e == NULL)
		goto out;
	/* a public exponent is odd and at least 3 */
	if (BN_num_bits(n) < RSA_MIN_BITS || !BN_is_odd(e) || BN_is_one(e))
		goto out;
	bld = OSSL_PARAM_BLD_new();
	if (bld != NULL &&
	    (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1)) {
		OSSL_PARAM_BLD_free(bld);
		goto out;
	}
	rc = pkey_fromdata("RSA", bld, out);
out:
	BN_free(n);
	BN_free(e);
	return rc;
}

/* Makes OpenSSL check the point itself (on the curve, not at infinity),
 * in addition to what EVP_PKEY_fromdata already refuses. */
static int
ec_public_check(EVP_PKEY *k)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	int ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;

	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		ERR_clear_error();
	return ok ? AU_OK : AU_EINVAL;
}

static int
import_ec(struct au_arena *a, struct json_object *jwk, EVP_PKEY **out)
{
	unsigned char *x, *y, point[1 + 2 * EC_COORD_LEN];
	size_t xlen, ylen;
	const char *crv = member_str(jwk, "crv");
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *k = NULL;

	if (crv == NULL || strcmp(crv, "P-256") != 0 ||
	    member_b64(a, jwk, "x", &x, &xlen) != AU_OK ||
	    member_b64(a, jwk, "y", &y, &ylen) != AU_OK ||
	    xlen != EC_COORD_LEN || ylen != EC_COORD_LEN)
		return AU_EINVAL;
	point[0] = 0x04;        /* uncompressed SEC 1 point */
	memcpy(point + 1, x, EC_COORD_LEN);
	memcpy(point + 1 + EC_COORD_LEN, y, EC_COORD_LEN);
	bld = OSSL_PARAM_BLD_new();
	if (bld != NULL &&
	    (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, sizeof(point)) != 1)) {
		OSSL_PARAM_BLD_free(bld);
		return AU_EINVAL;
	}
	if (pkey_fromdata("EC", bld, &k) != AU_OK)
		return AU_EINVAL;
	if (ec_public_check(k) != AU_OK) {
		EVP_PKEY_free(k);
		return AU_EINVAL;
	}
	*out = k;
	return AU_OK;
}

static int
import_okp(struct au_arena *a, struct json_object *jwk, EVP_PKEY **out)
{
	unsigned char *x;
	size_t xlen;
	const char *crv = member_str(jwk, "crv");
	EVP_PKEY *k;

	if (crv == NULL || strcmp(crv, "Ed25519") != 0 ||
	    member_b64(a, jwk, "x", &x, &xlen) != AU_OK ||
	    xlen != ED25519_LEN)
		return AU_EINVAL;
	k = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, x, xlen);
	if (k == NULL) {
		ERR_clear_error();
		return AU_EINVAL;
	}
	*out = k;
	return AU_OK;
}

int
au_jwk_import_public(struct json_object *jwk, au_pkey **out)
{
	struct au_arena *a;
	const char *kty;
	EVP_PKEY *k = NULL;
	int rc;

	if (jwk == NULL || !json_object_is_type(jwk, json_type_object))
		return AU_EINVAL;
	kty = member_str(jwk, "kty");
	if (kty == NULL || has_private_member(jwk))
		return AU_EINVAL;
	a = au_arena_new();     /* scratch for the decoded members */
	if (strcmp(kty, "RSA") == 0)
		rc = import_rsa(a, jwk, &k);
	else if (strcmp(kty, "EC") == 0)
		rc = import_ec(a, jwk, &k);
	else if (strcmp(kty, "OKP") == 0)
		rc = import_okp(a, jwk, &k);
	else
		rc = AU_EINVAL;
	au_arena_free(a);
	if (rc == AU_OK)
		*out = k;
	return rc;
}

/* ---- private JWKs (export files of a realm) ---- */

/* The private members of k by key type, base64url in a (wiped at reset). */
static const struct {
	const char *member, *param;
} rsa_private[] = {
	{ "d", OSSL_PKEY_PARAM_RSA_D },
	{ "p", OSSL_PKEY_PARAM_RSA_FACTOR1 },
	{ "q", OSSL_PKEY_PARAM_RSA_FACTOR2 },
	{ "dp", OSSL_PKEY_PARAM_RSA_EXPONENT1 },
	{ "dq", OSSL_PKEY_PARAM_RSA_EXPONENT2 },
	{ "qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1 },
};
#define NRSA_PRIVATE (sizeof(rsa_private) / sizeof(rsa_private[0]))

static void
add_secret(struct au_arena *a, struct json_object *o, const char *name,
    const char *value)
{
	au_arena_wipe(a, (char *)value, strlen(value));
	add_string(o, name, value);
}

int
au_jwk_export_private(const au_pkey *k, const char *kid, const char *alg,
    const char *use, struct json_object **out)
{
	struct au_arena *a;
	struct json_object *o;
	unsigned char raw[ED25519_LEN];
	size_t rawlen = sizeof(raw), i;
	const char *v;
	int rc;

	rc = au_jwk_export_public(k, kid, alg, use, &o);
	if (rc != AU_OK)
		return rc;
	a = au_arena_new();
	if (EVP_PKEY_is_a(k, "RSA")) {
		for (i = 0; rc == AU_OK && i < NRSA_PRIVATE; i++) {
			v = bn_param_b64(a, k, rsa_private[i].param, 0);
			if (v == NULL)
				rc = AU_ECRYPTO;
			else
				add_secret(a, o, rsa_private[i].member, v);
		}
	} else if (is_p256(k)) {
		v = bn_param_b64(a, k, OSSL_PKEY_PARAM_PRIV_KEY, EC_COORD_LEN);
		if (v == NULL)
			rc = AU_ECRYPTO;
		else
			add_secret(a, o, "d", v);
	} else if (EVP_PKEY_get_raw_private_key(k, raw, &rawlen) == 1 &&
	    rawlen == ED25519_LEN) {
		add_secret(a, o, "d", au_b64url_encode(a, raw, rawlen));
	} else {
		ERR_clear_error();
		rc = AU_ECRYPTO;
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	au_arena_free(a);
	if (rc != AU_OK) {
		json_object_put(o);
		return rc;
	}
	*out = o;
	return AU_OK;
}

/* A BIGNUM from the base64url member name, or NULL (freed with
 * BN_clear_free by the caller). */
static BIGNUM *
member_bn(struct au_arena *a, struct json_object *jwk, const char *name)
{
	unsigned char *buf;
	size_t len;

	if (member_b64(a, jwk, name, &buf, &len) != AU_OK || len == 0 ||
	    len > RSA_MAX_BITS / 8)
		return NULL;
	au_arena_wipe(a, buf, len);
	return BN_bin2bn(buf, (int)len, NULL);
}

/* Builds a key pair of type from the parameters in bld (consumed) and
 * checks that its private and public halves belong together. */
static int
keypair_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *k = NULL;
	int rc = AU_EINVAL;

	if (bld == NULL)
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (params == NULL || ctx == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_KEYPAIR, params) != 1)
		goto out;
	check = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	if (check == NULL || EVP_PKEY_pairwise_check(check) != 1)
		goto out;
	*out = k;
	k = NULL;
	rc = AU_OK;
out:
	if (rc != AU_OK)
		ERR_clear_error();
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);   /* 3.0 has no clear_free: the BNs are cleared by the caller */
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

static int
import_rsa_private(struct au_arena *a, struct json_object *jwk,
    EVP_PKEY **out)
{
	static const char *const pub[] = { "n", "e" };
	static const char *const pub_param[] = { OSSL_PKEY_PARAM_RSA_N,
		OSSL_PKEY_PARAM_RSA_E };
	BIGNUM *bn[2 + NRSA_PRIVATE] = { NULL };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	size_t i;
	int rc = AU_EINVAL, ok = bld != NULL;

	for (i = 0; ok && i < 2 + NRSA_PRIVATE; i++) {
		bn[i] = member_bn(a, jwk, i < 2 ? pub[i] :
		    rsa_private[i - 2].member);
		ok = bn[i] != NULL && OSSL_PARAM_BLD_push_BN(bld, i < 2 ?
		    pub_param[i] : rsa_private[i - 2].param, bn[i]) == 1;
	}
	if (ok && BN_num_bits(bn[0]) >= RSA_MIN_BITS && BN_is_odd(bn[1]) &&
	    !BN_is_one(bn[1])) {
		rc = keypair_fromdata("RSA", bld, out);
		bld = NULL;
	}
	OSSL_PARAM_BLD_free(bld);
	for (i = 0; i < 2 + NRSA_PRIVATE; i++)
		BN_clear_free(bn[i]);
	return rc;
}

static int
import_ec_private(struct au_arena *a, struct json_object *jwk,
    EVP_PKEY **out)
{
	unsigned char *x, *y, point[1 + 2 * EC_COORD_LEN];
	size_t xlen, ylen;
	const char *crv = member_str(jwk, "crv");
	OSSL_PARAM_BLD *bld;
	BIGNUM *d;
	int rc = AU_EINVAL;

	if (crv == NULL || strcmp(crv, "P-256") != 0 ||
	    member_b64(a, jwk, "x", &x, &xlen) != AU_OK ||
	    member_b64(a, jwk, "y", &y, &ylen) != AU_OK ||
	    xlen != EC_COORD_LEN || ylen != EC_COORD_LEN)
		return AU_EINVAL;
	if ((d = member_bn(a, jwk, "d")) == NULL)
		return AU_EINVAL;
	point[0] = 0x04;
	memcpy(point + 1, x, EC_COORD_LEN);
	memcpy(point + 1 + EC_COORD_LEN, y, EC_COORD_LEN);
	bld = OSSL_PARAM_BLD_new();
	if (bld != NULL &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) == 1 &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, sizeof(point)) == 1 &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1) {
		rc = keypair_fromdata("EC", bld, out);
		bld = NULL;
	}
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return rc;
}

static int
import_okp_private(struct au_arena *a, struct json_object *jwk,
    EVP_PKEY **out)
{
	unsigned char *x, *d, raw[ED25519_LEN];
	size_t xlen, dlen, rawlen = sizeof(raw);
	const char *crv = member_str(jwk, "crv");
	EVP_PKEY *k;
	bool same;

	if (crv == NULL || strcmp(crv, "Ed25519") != 0 ||
	    member_b64(a, jwk, "x", &x, &xlen) != AU_OK ||
	    member_b64(a, jwk, "d", &d, &dlen) != AU_OK ||
	    xlen != ED25519_LEN || dlen != ED25519_LEN)
		return AU_EINVAL;
	au_arena_wipe(a, d, dlen);
	k = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, d, dlen);
	if (k == NULL) {
		ERR_clear_error();
		return AU_EINVAL;
	}
	/* the public half is derived from d: it must be the x given */
	same = EVP_PKEY_get_raw_public_key(k, raw, &rawlen) == 1 &&
	    rawlen == ED25519_LEN && CRYPTO_memcmp(raw, x, ED25519_LEN) == 0;
	if (!same) {
		ERR_clear_error();
		EVP_PKEY_free(k);
		return AU_EINVAL;
	}
	*out = k;
	return AU_OK;
}

int
au_jwk_import_private(struct json_object *jwk, au_pkey **out)
{
	struct au_arena *a;
	const char *kty;
	EVP_PKEY *k = NULL;
	int rc;

	if (jwk == NULL || !json_object_is_type(jwk, json_type_object))
		return AU_EINVAL;
	kty = member_str(jwk, "kty");
	if (kty == NULL)
		return AU_EINVAL;
	a = au_arena_new();     /* scratch, wiped at free */
	if (strcmp(kty, "RSA") == 0)
		rc = import_rsa_private(a, jwk, &k);
	else if (strcmp(kty, "EC") == 0)
		rc = import_ec_private(a, jwk, &k);
	else if (strcmp(kty, "OKP") == 0)
		rc = import_okp_private(a, jwk, &k);
	else
		rc = AU_EINVAL;
	au_arena_free(a);
	if (rc == AU_OK)
		*out = k;
	return rc;
}

/* ---- DER ---- */

int
au_key_to_der(struct au_arena *a, const au_pkey *k, unsigned char **der,
    size_t *len)
{
	OSSL_ENCODER_CTX *ectx = NULL;
	unsigned char *data = NULL, *copy;
	size_t dlen = 0;
	int rc = AU_ECRYPTO;

	if (k == NULL)
		return AU_EINVAL;
	ectx = OSSL_ENCODER_CTX_new_for_pkey(k, EVP_PKEY_KEYPAIR, "DER",
	    "PrivateKeyInfo", NULL);
	if (ectx == NULL || OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0 ||
	    OSSL_ENCODER_to_data(ectx, &data, &dlen) != 1 || dlen == 0)
		goto out;
	/* the arena copy is wiped at reset; OpenSSL's is wiped right now */
	copy = au_arena_memdup(a, data, dlen);
	au_arena_wipe(a, copy, dlen);
	*der = copy;
	*len = dlen;
	rc = AU_OK;
out:
	if (rc != AU_OK)
		ERR_clear_error();
	if (data != NULL)
		OPENSSL_clear_free(data, dlen);
	OSSL_ENCODER_CTX_free(ectx);
	return rc;
}

int
au_key_from_der(const unsigned char *der, size_t len, au_pkey **out)
{
	const unsigned char *p = der;
	EVP_PKEY *k;

	if (der == NULL || len == 0 || len > LONG_MAX)
		return AU_EINVAL;
	k = d2i_AutoPrivateKey(NULL, &p, (long)len);
	if (k == NULL) {
		ERR_clear_error();
		return AU_EINVAL;
	}
	/* one whole key of a type we sign with, and nothing after it */
	if (p != der + len || !(au_key_fits_alg(k, AU_ALG_RS256) ||
	    au_key_fits_alg(k, AU_ALG_ES256) ||
	    au_key_fits_alg(k, AU_ALG_EDDSA))) {
		EVP_PKEY_free(k);
		return AU_EINVAL;
	}
	*out = k;
	return AU_OK;
}
