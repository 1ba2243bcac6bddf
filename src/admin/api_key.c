/* api_key.c — a realm's keys in the admin API (see api_key.h). */
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_key.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "crypto/crypto_jwk.h"
#include "crypto/crypto_seal.h"
#include "oauth/oauth_keys.h"
#include "oauth/oauth_realm.h"
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_settings.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct au_field create_fields[] = {
	{ "alg", AU_F_STRING, true, 32 },
	{ "use", AU_F_STRING, false, 8 },
};

static const struct au_field rotate_fields[] = {
	{ "emergency", AU_F_BOOL, false, 0 },
};

static const struct au_field patch_fields[] = {
	{ "status", AU_F_STRING, true, 16 },
};

static bool
status_valid(const char *s)
{
	return s != NULL && (strcmp(s, "active") == 0 ||
	    strcmp(s, "passive") == 0 || strcmp(s, "retired") == 0);
}

/* The public representation: never the private part. */
static struct json_object *
key_json(struct au_req *r, const struct au_key_row *k)
{
	struct json_object *o = json_object_new_object();
	struct json_object *jwk = json_tokener_parse(k->public_jwk);

	json_object_object_add(o, "kid", json_object_new_string(k->kid));
	json_object_object_add(o, "alg", json_object_new_string(k->alg));
	json_object_object_add(o, "use", json_object_new_string(k->use));
	json_object_object_add(o, "status", json_object_new_string(k->status));
	au_api_add_time(r, o, "createdAt", k->created_at);
	au_api_add_time(r, o, "activatedAt", k->activated_at);
	au_api_add_time(r, o, "rotatedAt", k->rotated_at);
	au_api_add_time(r, o, "retiredAt", k->retired_at);
	json_object_object_add(o, "publicJwk", jwk != NULL ? jwk :
	    json_object_new_object());
	json_object_object_add(o, "version", json_object_new_int64(k->version));
	return o;
}

static int
respond_key(struct au_req *r, int status, const struct au_realm *realm,
    const struct au_key_row *k)
{
	if (status == 201)
		au_resp_set_header(r, "Location", au_arena_printf(r->arena,
		    "%s/api/admin/realms/%s/keys/%s", r->cfg->base_url,
		    realm->realm_id, au_url_encode(r->arena, k->kid)));
	au_api_etag(r, k->version);
	return au_resp_json(r, status, key_json(r, k));
}

/* The key named by the path; answers 404 / 503 itself. */
static int
key_or_respond(struct au_req *r, struct au_db **db, struct au_realm **realm,
    struct au_key_row **k)
{
	const char *kid = au_req_param(r, "kid");
	int rc;

	if (au_api_realm_or_respond(r, db, realm) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_key_find(*db, r->arena, (*realm)->id, kid, false, k);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Key '%.100s'", kid)), rc;
	return AU_OK;
}

int
au_api_key_list(struct au_req *r)
{
	const char *status = au_req_query(r, "status");
	struct au_key_row *items;
	struct au_realm *realm;
	struct json_object *arr;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (status != NULL && !status_valid(status))
		return au_resp_field_error(r, 400, "status",
		    "must be \"active\", \"passive\" or \"retired\"");
	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = au_store_key_list(db, r->arena, realm->id, status,
	    au_req_query(r, "q"), offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The key list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, key_json(r, &items[i]));
	return au_api_list(r, arr, total);
}

int
au_api_key_get(struct au_req *r)
{
	struct au_realm *realm;
	struct au_key_row *k;
	struct au_db *db;

	if (key_or_respond(r, &db, &realm, &k) != AU_OK)
		return AU_OK;
	return respond_key(r, 200, realm, k);
}

/* ------------------------------------------------- create, rotate */

struct change {
	struct au_req *r;
	const struct au_realm *realm;
	const char *kid;             /* the key of the path */
	struct au_key_row *fresh;    /* create, rotate: the new key */
	struct au_key_row *key;      /* rotate, patch: the key after */
	const char *status;          /* patch: the status asked for */
	long long expected;          /* If-Match, 0 = any */
	const char *refusal;         /* 409 detail, when refused */
	bool unchanged;              /* patch: nothing to do */
	bool emergency;              /* rotate: retire the old key at once */
};

static int
create_tx(struct au_db *db, void *arg)
{
	struct change *x = arg;
	struct json_object *after;
	int rc;

	rc = au_store_key_insert(db, x->r->arena, x->realm->id, x->fresh);
	if (rc != AU_OK)
		return rc;
	after = key_json(x->r, x->fresh);
	au_api_own(x->r, after);
	return au_api_changed(x->r, db, x->realm->id, "key.create", "key",
	    x->fresh->kid, NULL, after);
}

/* A new key of alg/use that signs once every cached JWKS can hold it. */
static int
make_key(struct au_req *r, const char *alg, const char *use,
    struct au_key_row **out)
{
	struct au_key_row *k = au_arena_calloc(r->arena, sizeof(*k));
	int64_t now = au_time_now();
	int rc;

	rc = au_keys_make(r->arena, au_req_ctx(r)->master_key, alg, use, k);
	if (rc != AU_OK)
		return rc;
	k->created_at = now;
	k->activated_at = au_keys_activation_time(r->cfg, now);
	*out = k;
	return AU_OK;
}

int
au_api_key_create(struct au_req *r)
{
	struct change x = { 0 };
	struct json_object *body;
	struct au_realm *realm;
	const char *alg, *use;
	struct au_db *db;
	int rc;

	if (au_api_body_or_respond(r, create_fields, COUNT(create_fields),
	    &body) != AU_OK)
		return AU_OK;
	alg = au_api_str(body, "alg");
	use = au_api_str(body, "use");
	if (au_keys_use_of(alg) == NULL)
		return au_resp_field_error(r, 400, "alg", "must be RS256, PS256, "
		    "ES256 or EdDSA (use \"sig\"), or RSA-OAEP-256 or ECDH-ES "
		    "(use \"enc\")");
	if (use == NULL)
		use = au_keys_use_of(alg);
	if (!au_keys_alg_valid(alg, use))
		return au_resp_field_error(r, 400, "use", au_arena_printf(r->arena,
		    "must be \"%s\" for %s", au_keys_use_of(alg), alg));
	if (au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = make_key(r, alg, use, &x.fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The key");
	x.r = r;
	x.realm = realm;
	rc = au_db_tx(db, create_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "A key with this kid");
	au_realm_forget(r, realm->realm_id);
	return respond_key(r, 201, realm, x.fresh);
}

static int
rotate_tx(struct au_db *db, void *arg)
{
	struct change *x = arg;
	struct json_object *before, *after;
	int rc;

	rc = au_store_key_find(db, x->r->arena, x->realm->id, x->kid, true,
	    &x->key);
	if (rc != AU_OK)
		return rc;
	if (strcmp(x->key->status, "retired") == 0) {
		x->refusal = "A retired key cannot be rotated; activate it first "
		    "or generate a new key.";
		return AU_EDENIED;
	}
	before = key_json(x->r, x->key);
	au_api_own(x->r, before);
	rc = au_keys_rotate(db, x->r->arena, x->realm->id, x->key, x->fresh,
	    x->expected);
	if (rc == AU_OK && x->emergency) {
		/* compromised: unpublished now, its tokens stop verifying */
		x->key->status = "retired";
		x->key->retired_at = x->fresh->created_at;
		rc = au_store_key_update(db, x->r->arena, x->realm->id, x->key,
		    x->key->version);
	}
	if (rc != AU_OK)
		return rc;
	after = key_json(x->r, x->fresh);
	au_api_own(x->r, after);
	return au_api_changed(x->r, db, x->realm->id, "key.rotate", "key",
	    x->kid, before, after);
}

int
au_api_key_rotate(struct au_req *r)
{
	struct change x = { 0 };
	struct json_object *body;
	struct au_realm *realm;
	struct au_key_row *old;
	struct au_db *db;
	int rc;

	/* no body, an empty object, or {"emergency": true} */
	body = NULL;
	if (au_api_if_match_or_respond(r, &x.expected) != AU_OK ||
	    (r->body_len > 0 && au_api_body_or_respond(r, rotate_fields,
	    COUNT(rotate_fields), &body) != AU_OK) ||
	    key_or_respond(r, &db, &realm, &old) != AU_OK)
		return AU_OK;
	x.emergency = body != NULL && au_api_bool(body, "emergency", false);
	if (strcmp(old->status, "retired") == 0)
		return au_resp_problem(r, 409, "Conflict", "A retired key cannot "
		    "be rotated; activate it first or generate a new key.", NULL);
	rc = make_key(r, old->alg, old->use, &x.fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The key");
	if (x.emergency)    /* the old key must not sign while we wait */
		x.fresh->activated_at = x.fresh->created_at;
	x.r = r;
	x.realm = realm;
	x.kid = old->kid;
	rc = au_db_tx(db, rotate_tx, &x);
	if (rc == AU_EDENIED)
		return au_resp_problem(r, 409, "Conflict", x.refusal, NULL);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Key '%.100s'", old->kid));
	au_realm_forget(r, realm->realm_id);
	return respond_key(r, 201, realm, x.fresh);
}

/* -------------------------------------------------- status changes */

/* When the key k of alg stops being active: does the realm still have an
 * active key of alg where it needs one?  x->refusal says why not. */
static int
check_leaving_active(struct au_db *db, struct change *x,
    const struct au_key_row *k)
{
	struct au_arena *a = x->r->arena;
	char *tokens, *client;
	struct json_object *doc;
	long long others, version;
	const char *alg;
	int rc;

	if (strcmp(k->use, "sig") != 0)
		return AU_OK;
	rc = au_store_key_count_active(db, a, x->realm->id, k->alg, k->kid,
	    &others);
	if (rc != AU_OK || others > 0)
		return rc;
	if (strcmp(k->alg, "RS256") == 0) {
		x->refusal = "This is the realm's last active RS256 key: RS256 "
		    "signs tokens by default, so the realm must keep one. "
		    "Generate or rotate to a new RS256 key first.";
		return AU_EDENIED;
	}
	rc = au_store_settings_get(db, a, x->realm->id, "tokens", &tokens,
	    &version);
	if (rc != AU_OK)
		return rc;
	doc = json_tokener_parse(tokens);
	alg = au_arena_strdup(a, json_object_get_string(au_settings_at(doc,
	    "signingAlg")));
	json_object_put(doc);
	if (strcmp(alg, k->alg) == 0) {
		x->refusal = au_arena_printf(a, "This is the realm's last active "
		    "%s key and the realm's tokens settings name %s as "
		    "signingAlg.", k->alg, k->alg);
		return AU_EDENIED;
	}
	rc = au_store_key_client_using(db, a, x->realm->id, k->alg, &client);
	if (rc == AU_ENOTFOUND)
		return AU_OK;
	if (rc == AU_OK) {
		x->refusal = au_arena_printf(a, "This is the realm's last active "
		    "%s key and client '%.255s' signs its tokens with %s "
		    "(tokenSettings.signingAlg).", k->alg, client, k->alg);
		rc = AU_EDENIED;
	}
	return rc;
}

/* The timestamps of k moving to x->status (publish before sign). */
static void
apply_status(struct change *x, struct au_key_row *k)
{
	int64_t now = au_time_now();
	int64_t settled = au_keys_activation_time(x->r->cfg, k->created_at);

	if (strcmp(x->status, "active") == 0)
		/* a passive key has been published since its creation; a
		 * retired one is published again only now */
		k->activated_at = strcmp(k->status, "retired") == 0 ?
		    au_keys_activation_time(x->r->cfg, now) :
		    (settled > now ? settled : now);
	k->retired_at = strcmp(x->status, "retired") == 0 ? now : 0;
	k->status = (char *)x->status;
}

static int
patch_tx(struct au_db *db, void *arg)
{
	struct change *x = arg;
	struct json_object *before, *after;
	struct au_key_row *k;
	int rc;

	rc = au_store_key_find(db, x->r->arena, x->realm->id, x->kid, true, &k);
	if (rc != AU_OK)
		return rc;
	if (x->expected != 0 && x->expected != k->version)
		return AU_ECONFLICT;
	x->key = k;
	x->unchanged = strcmp(k->status, x->status) == 0;
	if (x->unchanged)
		return AU_OK;
	if (strcmp(k->status, "active") == 0 &&
	    (rc = check_leaving_active(db, x, k)) != AU_OK)
		return rc;
	before = key_json(x->r, k);
	au_api_own(x->r, before);
	apply_status(x, k);
	rc = au_store_key_update(db, x->r->arena, x->realm->id, k, k->version);
	if (rc != AU_OK)
		return rc;
	after = key_json(x->r, k);
	au_api_own(x->r, after);
	return au_api_changed(x->r, db, x->realm->id, "key.update", "key",
	    k->kid, before, after);
}

int
au_api_key_patch(struct au_req *r)
{
	struct json_object *patch, *merged;
	struct change x = { 0 };
	struct au_realm *realm;
	struct au_key_row *k;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &x.expected) != AU_OK)
		return AU_OK;
	if (au_req_json(r, &patch) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL);
	if (key_or_respond(r, &db, &realm, &k) != AU_OK)
		return AU_OK;
	/* RFC 7396 over the editable representation: only status */
	merged = json_object_new_object();
	au_api_own(r, merged);
	json_object_object_add(merged, "status", json_object_new_string(
	    k->status));
	au_api_merge_patch(merged, patch);
	if (au_api_check_or_respond(r, patch_fields, COUNT(patch_fields),
	    merged) != AU_OK)
		return AU_OK;
	x.status = au_api_str(merged, "status");
	if (!status_valid(x.status))
		return au_resp_field_error(r, 400, "status",
		    "must be \"active\", \"passive\" or \"retired\"");
	x.r = r;
	x.realm = realm;
	x.kid = k->kid;
	rc = au_db_tx(db, patch_tx, &x);
	if (rc == AU_EDENIED)
		return au_resp_field_error(r, 409, "status", x.refusal);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Key '%.100s'", k->kid));
	if (!x.unchanged)
		au_realm_forget(r, realm->realm_id);
	return respond_key(r, 200, realm, x.key);
}

static int
delete_tx(struct au_db *db, void *arg)
{
	struct change *x = arg;
	struct json_object *before = key_json(x->r, x->key);
	int rc;

	au_api_own(x->r, before);
	rc = au_store_key_delete(db, x->realm->id, x->kid, x->key->version);
	if (rc == AU_ENOTFOUND)
		rc = AU_ECONFLICT;   /* re-activated or deleted meanwhile */
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->realm->id, "key.delete", "key",
		    x->kid, before, NULL);
	return rc;
}

int
au_api_key_delete(struct au_req *r)
{
	struct change x = { 0 };
	struct au_realm *realm;
	struct au_key_row *k;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &x.expected) != AU_OK ||
	    key_or_respond(r, &db, &realm, &k) != AU_OK)
		return AU_OK;
	if (x.expected != 0 && x.expected != k->version)
		return au_api_store_error(r, AU_ECONFLICT, "The key");
	if (strcmp(k->status, "retired") != 0)
		return au_resp_problem(r, 409, "Conflict", au_arena_printf(
		    r->arena, "Key '%.100s' is %s: only retired keys can be "
		    "deleted (PATCH its status to \"retired\" first).", k->kid,
		    k->status), NULL);
	x.r = r;
	x.realm = realm;
	x.kid = k->kid;
	x.key = k;
	rc = au_db_tx(db, delete_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The key");
	return au_resp_empty(r, 204);
}

/* -------------------------------------------------- export, import */

static const struct au_field restore_fields[] = {
	{ "kid", AU_F_STRING, true, 100 },
	{ "alg", AU_F_STRING, true, 32 },
	{ "use", AU_F_STRING, true, 8 },
	{ "status", AU_F_STRING, true, 16 },
	{ "createdAt", AU_F_STRING, true, 32 },
	{ "activatedAt", AU_F_STRING, false, 32 },
	{ "rotatedAt", AU_F_STRING, false, 32 },
	{ "retiredAt", AU_F_STRING, false, 32 },
	{ "publicJwk", AU_F_OBJECT, true, 0 },
	{ "privateJwk", AU_F_OBJECT, false, 0 },
};

struct json_object *
au_api_key_export_json(struct au_req *r, const struct au_key_row *k,
    bool secrets, int *rc)
{
	struct json_object *o = key_json(r, k), *jwk;
	au_pkey *pkey;

	*rc = AU_OK;
	json_object_object_del(o, "version");
	if (!secrets)
		return o;
	*rc = au_unseal_pkey(r->arena, au_req_ctx(r)->master_key, k->sealed,
	    k->sealed_len, k->kid, &pkey);
	if (*rc == AU_OK) {
		*rc = au_jwk_export_private(pkey, k->kid, k->alg, k->use, &jwk);
		au_pkey_free(pkey);
	}
	if (*rc != AU_OK) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "privateJwk", jwk);
	return o;
}

/* An optional time member: RFC 3339 UTC or null/absent (0). */
static int
restore_time(struct au_req *r, struct json_object *o, const char *name,
    int64_t *out)
{
	const char *v = au_api_str(o, name);

	*out = 0;
	if (v == NULL)
		return AU_OK;
	*out = au_api_parse_time(v);
	if (*out <= 0)
		return au_api_field_error(r, name, "must be an RFC 3339 UTC time "
		    "such as 2030-01-31T00:00:00Z");
	return AU_OK;
}

int
au_api_key_check_from(struct au_req *r, struct json_object *o,
    struct au_key_row *k)
{
	memset(k, 0, sizeof(*k));
	if (!json_object_is_type(o, json_type_object))
		return au_api_field_error(r, "", "must be an object {kid, alg, "
		    "use, status, createdAt, activatedAt, publicJwk, ...}");
	if (au_api_check_or_respond(r, restore_fields, COUNT(restore_fields),
	    o) != AU_OK)
		return AU_EINVAL;
	k->kid = (char *)au_api_str(o, "kid");
	k->alg = (char *)au_api_str(o, "alg");
	k->use = (char *)au_api_str(o, "use");
	k->status = (char *)au_api_str(o, "status");
	if (au_keys_use_of(k->alg) == NULL)
		return au_api_field_error(r, "alg", "must be RS256, PS256, ES256, "
		    "EdDSA, RSA-OAEP-256 or ECDH-ES");
	if (!au_keys_alg_valid(k->alg, k->use))
		return au_api_field_error(r, "use", au_arena_printf(r->arena,
		    "must be \"%s\" for %s", au_keys_use_of(k->alg), k->alg));
	if (!status_valid(k->status))
		return au_api_field_error(r, "status",
		    "must be \"active\", \"passive\" or \"retired\"");
	if (restore_time(r, o, "createdAt", &k->created_at) != AU_OK ||
	    restore_time(r, o, "activatedAt", &k->activated_at) != AU_OK ||
	    restore_time(r, o, "rotatedAt", &k->rotated_at) != AU_OK ||
	    restore_time(r, o, "retiredAt", &k->retired_at) != AU_OK)
		return AU_EINVAL;
	return AU_OK;
}

/* The private JWK of o as a key of k's alg whose public half is o's
 * publicJwk and whose thumbprint is k's kid; sealed into k. */
static int
restore_pkey(struct au_req *r, struct json_object *o, struct au_key_row *k)
{
	struct json_object *priv = NULL, *pub = NULL, *mine = NULL;
	char *thumb = NULL;
	au_pkey *pkey;
	int rc;

	json_object_object_get_ex(o, "privateJwk", &priv);
	json_object_object_get_ex(o, "publicJwk", &pub);
	pkey = NULL;
	if (priv == NULL || au_jwk_import_private(priv, &pkey) != AU_OK ||
	    !au_keys_pkey_fits(k->alg, pkey)) {
		au_pkey_free(pkey);
		return au_api_field_error(r, "privateJwk", au_arena_printf(
		    r->arena, "must be a complete private JWK of a %s key",
		    k->alg));
	}
	rc = au_jwk_thumbprint(r->arena, pkey, &thumb);
	if (rc == AU_OK)
		rc = au_jwk_export_public(pkey, k->kid, k->alg, k->use, &mine);
	if (rc == AU_OK && strcmp(thumb, k->kid) != 0)
		rc = au_api_field_error(r, "kid", "must be the key's RFC 7638 "
		    "thumbprint, as authio names its keys");
	else if (rc == AU_OK && !json_object_equal(mine, pub))
		rc = au_api_field_error(r, "publicJwk", "must be the public half "
		    "of privateJwk");
	else if (rc == AU_OK)
		rc = au_seal_pkey(r->arena, au_req_ctx(r)->master_key, pkey,
		    k->kid, &k->sealed, &k->sealed_len);
	if (rc == AU_OK)
		k->public_jwk = au_arena_strdup(r->arena,
		    json_object_to_json_string_ext(mine, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(mine);
	au_pkey_free(pkey);
	return rc;
}

struct restore {
	struct au_req *r;
	const struct au_realm *realm;
	struct au_key_row *k;
};

static int
restore_tx(struct au_db *db, void *arg)
{
	struct restore *x = arg;
	struct json_object *after;
	int rc;

	rc = au_store_key_insert(db, x->r->arena, x->realm->id, x->k);
	/* what insert does not write: the key's later life */
	if (rc == AU_OK && (x->k->rotated_at != 0 || x->k->retired_at != 0))
		rc = au_store_key_update(db, x->r->arena, x->realm->id, x->k,
		    x->k->version);
	if (rc != AU_OK)
		return rc;
	after = key_json(x->r, x->k);
	au_api_own(x->r, after);
	return au_api_changed(x->r, db, x->realm->id, "key.create", "key",
	    x->k->kid, NULL, after);
}

int
au_api_key_restore_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *o)
{
	struct au_key_row *k = au_arena_calloc(r->arena, sizeof(*k));
	struct restore x = { r, realm, k };
	int rc;

	if (au_api_key_check_from(r, o, k) != AU_OK ||
	    restore_pkey(r, o, k) != AU_OK)
		return AU_EINVAL;
	rc = au_db_tx(db, restore_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Key '%.100s'", k->kid)), rc;
	return AU_OK;
}
