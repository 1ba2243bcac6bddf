/* crypto_jws.h — JWS compact serialisation: sign and verify.
 *
 * Algorithms: RS256, PS256 (salt length = digest length), ES256 (raw
 * 64-byte r||s, not DER) and EdDSA (Ed25519).  "none" and every other
 * algorithm are refused.  Verification checks that the header's alg is the
 * one the caller expects for the key, so no algorithm confusion. */
#ifndef AU_CRYPTO_JWS_H
#define AU_CRYPTO_JWS_H

#include <stddef.h>

#include "crypto/crypto_jwk.h"

struct au_arena;
struct json_object;

/* Signs payload (JSON text) with header {"alg","typ","kid"} (typ, kid
 * omitted when NULL).  *out: "h.p.s" in the arena. */
int au_jws_sign(struct au_arena *a, const au_pkey *key, enum au_alg alg,
    const char *kid, const char *typ, const char *payload, size_t len,
    char **out);

struct au_jws {
	struct json_object *header;  /* owned by the arena */
	enum au_alg alg;             /* from the header; UNKNOWN refused */
	const char *kid;             /* NULL when absent */
	const char *typ;             /* NULL when absent */
	unsigned char *payload;      /* decoded, NUL-terminated */
	size_t payload_len;
	const char *signing_input;   /* "h.p" */
	size_t signing_input_len;
	unsigned char *sig;
	size_t sig_len;
};

/* Splits and decodes a compact JWS without verifying it. AU_EINVAL when it
 * is not three base64url parts, the header is not a JSON object, or alg is
 * missing or unsupported (including "none"). */
int au_jws_parse(struct au_arena *a, const char *compact, struct au_jws *out);
/* Verifies the signature with key. AU_OK, or AU_EDENIED when it does not
 * verify or the key does not fit jws->alg. */
int au_jws_verify(const struct au_jws *jws, const au_pkey *key);

#endif
