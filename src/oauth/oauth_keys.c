/* oauth_keys.c — key generation, sealing and storage for a realm. */
#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "oauth/oauth_keys.h"
#include "store/store_key.h"

int
au_keys_create(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid,
    enum au_alg alg)
{
	struct au_key_row row = { 0 };
	struct json_object *jwk = NULL;
	au_pkey *k = NULL;
	int rc;

	rc = au_key_generate(alg, &k);
	if (rc == AU_OK)
		rc = au_jwk_thumbprint(a, k, &row.kid);
	if (rc == AU_OK)
		rc = au_jwk_export_public(k, row.kid, au_alg_name(alg), "sig",
		    &jwk);
	if (rc == AU_OK)
		rc = au_seal_pkey(a, master, k, row.kid, &row.sealed,
		    &row.sealed_len);
	if (rc == AU_OK) {
		row.alg = (char *)au_alg_name(alg);
		row.status = "active";
		row.public_jwk = au_arena_strdup(a,
		    json_object_to_json_string_ext(jwk, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		rc = au_store_key_insert(db, a, realm_uuid, &row);
	}
	json_object_put(jwk);
	au_pkey_free(k);
	return rc;
}

int
au_keys_provision_realm(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid)
{
	int rc = au_keys_create(db, a, master, realm_uuid, AU_ALG_RS256);

	if (rc == AU_OK)
		rc = au_keys_create(db, a, master, realm_uuid, AU_ALG_ES256);
	return rc;
}
