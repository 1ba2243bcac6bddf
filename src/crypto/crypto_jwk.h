/* crypto_jwk.h — signing keys: generation, JWK export and import, DER.
 *
 * Keys are OpenSSL EVP_PKEY objects; this header keeps OpenSSL types out
 * of callers' sight through the opaque typedef. */
#ifndef AU_CRYPTO_JWK_H
#define AU_CRYPTO_JWK_H

#include <stddef.h>

struct au_arena;
struct json_object;
typedef struct evp_pkey_st au_pkey;   /* == EVP_PKEY */

enum au_alg {
	AU_ALG_UNKNOWN = 0,
	AU_ALG_RS256,
	AU_ALG_PS256,
	AU_ALG_ES256,
	AU_ALG_EDDSA
};

/* "RS256" etc.; NULL for AU_ALG_UNKNOWN. */
const char *au_alg_name(enum au_alg alg);
/* AU_ALG_UNKNOWN for anything not supported, including "none". */
enum au_alg au_alg_parse(const char *name);

/* New key for alg: RSA-2048 for RS256/PS256, P-256, Ed25519.
 * The caller frees it with au_pkey_free(). */
int au_key_generate(enum au_alg alg, au_pkey **out);
void au_pkey_free(au_pkey *k);
/* True when key can sign/verify alg (RSA for RS/PS, P-256 for ES256...). */
int au_key_fits_alg(const au_pkey *k, enum au_alg alg);

/* The public JWK: kty and its members, plus kid, alg, use ("sig") when
 * not NULL.  A new json object the caller owns. */
int au_jwk_export_public(const au_pkey *k, const char *kid, const char *alg,
    const char *use, struct json_object **out);
/* RFC 7638 thumbprint (SHA-256, base64url) of the public key: the kid. */
int au_jwk_thumbprint(struct au_arena *a, const au_pkey *k, char **out);
/* Imports a public JWK (RSA, EC P-256, OKP Ed25519). AU_EINVAL when
 * malformed or unsupported. */
int au_jwk_import_public(struct json_object *jwk, au_pkey **out);

/* The private JWK of k (the public JWK of au_jwk_export_public plus d,
 * and for RSA p, q, dp, dq, qi): for a realm export that carries
 * secrets, and back.  Import checks that the halves belong together (an
 * Ed25519 d must derive the x given).  AU_EINVAL when malformed or
 * unsupported; AU_ECRYPTO. */
int au_jwk_export_private(const au_pkey *k, const char *kid, const char *alg,
    const char *use, struct json_object **out);
int au_jwk_import_private(struct json_object *jwk, au_pkey **out);

/* Private key as DER (PKCS#8) in the arena, wiped at reset; and back. */
int au_key_to_der(struct au_arena *a, const au_pkey *k, unsigned char **der,
    size_t *len);
int au_key_from_der(const unsigned char *der, size_t len, au_pkey **out);

#endif
