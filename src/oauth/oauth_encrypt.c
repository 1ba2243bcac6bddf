/* oauth_encrypt.c — encrypting to a client's registered key (see
 * oauth_encrypt.h). */
#include <string.h>

#include <json-c/json.h>

#include "core/core_err.h"
#include "crypto/crypto_jwe.h"
#include "oauth/oauth_encrypt.h"
#include "oauth/oauth_realm.h"

static const char *
member(struct json_object *o, const char *name)
{
	struct json_object *v;

	return json_object_object_get_ex(o, name, &v) &&
	    json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/* The first key of keys that fits alg with use "enc" (want_enc) or no
 * use and a matching or absent alg. */
static int
pick(struct json_object *keys, const char *alg, int want_enc, au_pkey **key,
    const char **kid)
{
	size_t i, n = json_object_array_length(keys);
	struct json_object *k;
	const char *use, *kalg;
	au_pkey *p;

	for (i = 0; i < n; i++) {
		k = json_object_array_get_idx(keys, i);
		use = member(k, "use");
		kalg = member(k, "alg");
		if (want_enc ? use == NULL || strcmp(use, "enc") != 0 :
		    use != NULL)
			continue;
		if (kalg != NULL && strcmp(kalg, alg) != 0)
			continue;
		if (au_jwk_import_public(k, &p) != AU_OK)
			continue;
		if (au_jwe_key_fits(p, alg)) {
			*key = p;
			*kid = member(k, "kid");
			return AU_OK;
		}
		au_pkey_free(p);
	}
	return AU_ENOTFOUND;
}

int
au_client_enc_key(struct json_object *jwks, const char *alg, au_pkey **key,
    const char **kid)
{
	struct json_object *keys;

	if (jwks == NULL || !json_object_object_get_ex(jwks, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array))
		return AU_ENOTFOUND;
	if (pick(keys, alg, 1, key, kid) == AU_OK)
		return AU_OK;
	return pick(keys, alg, 0, key, kid);
}

int
au_oauth_encrypt_for(struct au_arena *a, const struct au_cached_client *cc,
    const char *alg, const char *enc, const char *cty, const char *payload,
    char **out)
{
	struct json_object *jwks;
	const char *kid;
	au_pkey *key;
	int rc;

	jwks = cc->c.jwks != NULL ? json_tokener_parse(cc->c.jwks) : NULL;
	rc = au_client_enc_key(jwks, alg, &key, &kid);
	if (rc == AU_OK) {
		rc = au_jwe_encrypt(a, key, kid, alg, enc, cty, payload,
		    strlen(payload), out);
		au_pkey_free(key);
		if (rc == AU_EINVAL)
			rc = AU_ECRYPTO;
	}
	json_object_put(jwks);
	return rc;
}
