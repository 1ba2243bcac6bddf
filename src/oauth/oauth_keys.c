/* oauth_keys.c — key generation, sealing, storage and rotation. */
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "oauth/oauth_keys.h"
#include "store/store_key.h"

/* Every algorithm a realm key can have, the use it serves and the
 * signature algorithm whose key type it shares (for generation). */
static const struct {
	const char *alg, *use;
	enum au_alg keytype;
} kinds[] = {
	{ "RS256", "sig", AU_ALG_RS256 },
	{ "PS256", "sig", AU_ALG_PS256 },
	{ "ES256", "sig", AU_ALG_ES256 },
	{ "EdDSA", "sig", AU_ALG_EDDSA },
	{ "RSA-OAEP-256", "enc", AU_ALG_RS256 },
	{ "ECDH-ES", "enc", AU_ALG_ES256 },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const char *
au_keys_use_of(const char *alg)
{
	size_t i;

	for (i = 0; alg != NULL && i < NKINDS; i++)
		if (strcmp(kinds[i].alg, alg) == 0)
			return kinds[i].use;
	return NULL;
}

bool
au_keys_alg_valid(const char *alg, const char *use)
{
	const char *u = au_keys_use_of(alg);

	return u != NULL && use != NULL && strcmp(u, use) == 0;
}

static enum au_alg
keytype_of(const char *alg)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].alg, alg) == 0)
			return kinds[i].keytype;
	return AU_ALG_UNKNOWN;
}

bool
au_keys_pkey_fits(const char *alg, const au_pkey *k)
{
	enum au_alg t = alg != NULL ? keytype_of(alg) : AU_ALG_UNKNOWN;

	return t != AU_ALG_UNKNOWN && au_key_fits_alg(k, t);
}

int
au_keys_make(struct au_arena *a, const unsigned char master[AU_MASTER_KEY_LEN],
    const char *alg, const char *use, struct au_key_row *row)
{
	struct json_object *jwk = NULL;
	au_pkey *k = NULL;
	int rc;

	if (!au_keys_alg_valid(alg, use))
		return AU_EINVAL;
	memset(row, 0, sizeof(*row));
	rc = au_key_generate(keytype_of(alg), &k);
	if (rc == AU_OK)
		rc = au_jwk_thumbprint(a, k, &row->kid);
	if (rc == AU_OK)
		rc = au_jwk_export_public(k, row->kid, alg, use, &jwk);
	if (rc == AU_OK)
		rc = au_seal_pkey(a, master, k, row->kid, &row->sealed,
		    &row->sealed_len);
	if (rc == AU_OK) {
		row->alg = au_arena_strdup(a, alg);
		row->use = au_arena_strdup(a, use);
		row->status = "active";
		row->public_jwk = au_arena_strdup(a,
		    json_object_to_json_string_ext(jwk, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(jwk);
	au_pkey_free(k);
	return rc;
}

int64_t
au_keys_activation_time(const struct au_config *cfg, int64_t now)
{
	/* a worker may serve a JWKS up to cache_ttl old, and that copy may
	 * then be cached for metadata_max_age: both bound the wait */
	return now + cfg->metadata_max_age + cfg->cache_ttl;
}

int
au_keys_rotate(struct au_db *db, struct au_arena *a, const char *realm_uuid,
    struct au_key_row *old, struct au_key_row *fresh, long long expected)
{
	int rc;

	if (expected != 0 && expected != old->version)
		return AU_ECONFLICT;
	rc = au_store_key_insert(db, a, realm_uuid, fresh);
	if (rc != AU_OK)
		return rc;
	old->status = "passive";
	old->rotated_at = fresh->created_at;
	return au_store_key_update(db, a, realm_uuid, old, old->version);
}

int
au_keys_create(struct au_db *db, struct au_arena *a,
    const unsigned char master[AU_MASTER_KEY_LEN], const char *realm_uuid,
    enum au_alg alg)
{
	struct au_key_row row;
	int rc;

	rc = au_keys_make(a, master, au_alg_name(alg), "sig", &row);
	if (rc != AU_OK)
		return rc;
	row.created_at = row.activated_at = au_time_now();
	return au_store_key_insert(db, a, realm_uuid, &row);
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
