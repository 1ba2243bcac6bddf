/* api_settings.c — a realm's settings documents (see api_settings.h). */
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_settings.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_seal.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_settings.h"

/* The document named by the path, or a 404. */
static const char *
name_or_respond(struct au_req *r)
{
	const char *name = au_req_param(r, "name");

	if (au_settings_name_valid(name))
		return name;
	au_resp_problem(r, 404, "Not Found", au_arena_printf(r->arena,
	    "Settings document '%.64s' does not exist (branding, policies, "
	    "tokens).", name), NULL);
	return NULL;
}

static struct json_object *
parse_owned(struct au_req *r, const char *text)
{
	struct json_object *o = text != NULL ? json_tokener_parse(text) : NULL;

	if (o != NULL)
		au_api_own(r, o);
	return o;
}

/* The effective document as the API shows it: secrets masked. */
static struct json_object *
shown(struct au_req *r, const char *name, struct json_object *stored)
{
	struct json_object *o = au_settings_effective(name, stored);

	au_settings_mask(name, o);
	au_api_own(r, o);
	return o;
}

static int
respond_doc(struct au_req *r, struct json_object *doc, long long version,
    int64_t updated_at)
{
	struct json_object *o = json_object_get(doc);

	json_object_object_add(o, "version", json_object_new_int64(version));
	au_api_add_time(r, o, "updatedAt", updated_at);
	au_api_etag(r, version);
	return au_resp_json(r, 200, o);
}

int
au_api_settings_get(struct au_req *r)
{
	struct au_realm *realm;
	const char *name;
	struct au_db *db;
	long long version;
	int64_t updated;
	char *text;
	int rc;

	if ((name = name_or_respond(r)) == NULL ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = au_store_settings_raw(db, r->arena, realm->id, name, false, &text,
	    &version, &updated);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The settings document");
	return respond_doc(r, shown(r, name, parse_owned(r, text)), version,
	    updated);
}

/* A copy of the body without nulls (defaults) and read-only members. */
static struct json_object *
strip(struct json_object *o, bool top)
{
	struct json_object *out = json_object_new_object();

	json_object_object_foreach(o, key, val) {
		if (val == NULL || json_object_is_type(val, json_type_null) ||
		    (top && (strcmp(key, "version") == 0 ||
		    strcmp(key, "updatedAt") == 0)))
			continue;
		json_object_object_add(out, key, json_object_is_type(val,
		    json_type_object) ? strip(val, false) : json_object_get(val));
	}
	return out;
}

struct put_args {
	struct au_req *r;
	const struct au_realm *realm;
	const char *name;
	struct json_object *body;      /* validated */
	long long expected;
	struct json_object *after;     /* shown */
	long long version;
	int64_t updated_at;
	const char *bad_field, *bad_message;
};

/* Seals (or keeps, or clears) each secret of doc in place. */
static int
seal_secrets(struct put_args *x, struct json_object *doc,
    struct json_object *stored)
{
	struct au_arena *a = x->r->arena;
	struct json_object *v, *old, *sealed;
	const char *path, *plain;
	unsigned char *blob;
	size_t len;
	int i, rc;

	for (i = 0; (path = au_settings_secret(x->name, i)) != NULL; i++) {
		if ((v = au_settings_at(doc, path)) == NULL)
			continue;
		plain = json_object_get_string(v);
		if (strcmp(plain, AU_SETTINGS_MASK) == 0) {
			old = au_settings_at(stored, path);
			au_settings_put_at(doc, path, old != NULL &&
			    json_object_is_type(old, json_type_object) ?
			    json_object_get(old) : NULL);
			continue;
		}
		if (*plain == '\0') {
			au_settings_put_at(doc, path, NULL);
			continue;
		}
		rc = au_seal(a, au_req_ctx(x->r)->master_key, plain, strlen(plain),
		    au_settings_secret_aad(a, x->realm->id, x->name, path), &blob,
		    &len);
		if (rc != AU_OK)
			return rc;
		sealed = json_object_new_object();
		json_object_object_add(sealed, "sealed", json_object_new_string(
		    au_b64url_encode(a, blob, len)));
		au_settings_put_at(doc, path, sealed);
	}
	return AU_OK;
}

/* The tokens document's signingAlg must have an active key. */
static int
check_signing_alg(struct au_db *db, struct put_args *x)
{
	struct json_object *v = au_settings_at(x->body, "signingAlg");
	long long count;
	int rc;

	if (strcmp(x->name, "tokens") != 0 || v == NULL ||
	    !json_object_is_type(v, json_type_string))
		return AU_OK;
	rc = au_store_key_count_active(db, x->r->arena, x->realm->id,
	    json_object_get_string(v), NULL, &count);
	if (rc == AU_OK && count == 0) {
		x->bad_field = "signingAlg";
		x->bad_message = "must be an algorithm the realm has an active "
		    "signing key for";
		return AU_EINVAL;
	}
	return rc;
}

static int
put_tx(struct au_db *db, void *arg)
{
	struct put_args *x = arg;
	struct au_arena *a = x->r->arena;
	struct json_object *stored, *doc, *before;
	long long version;
	int64_t updated;
	char *text;
	int rc;

	rc = au_store_settings_raw(db, a, x->realm->id, x->name, true, &text,
	    &version, &updated);
	if (rc != AU_OK)
		return rc;
	if (x->expected != 0 && x->expected != version)
		return AU_ECONFLICT;
	if ((rc = check_signing_alg(db, x)) != AU_OK)
		return rc;
	stored = parse_owned(x->r, text);
	before = shown(x->r, x->name, stored);
	doc = strip(x->body, true);
	au_api_own(x->r, doc);
	if ((rc = seal_secrets(x, doc, stored)) != AU_OK)
		return rc;
	rc = au_store_settings_put(db, a, x->realm->id, x->name,
	    json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), x->expected, &x->version);
	if (rc != AU_OK)
		return rc;
	rc = au_store_settings_raw(db, a, x->realm->id, x->name, false, &text,
	    &version, &x->updated_at);
	if (rc != AU_OK)
		return rc;
	x->after = shown(x->r, x->name, doc);
	return au_api_changed(x->r, db, x->realm->id, "settings.update",
	    "settings", x->name, before, x->after);
}

int
au_api_settings_check_or_respond(struct au_req *r, const char *name,
    struct json_object *body, const char *prefix)
{
	struct json_object *errors = json_object_new_array(), *e, *f, *m;
	size_t i;

	if ((strcmp(name, "client") == 0 ?
	    au_settings_validate_client(body, errors) :
	    au_settings_validate(name, body, errors)) == 0) {
		json_object_put(errors);
		return AU_OK;
	}
	for (i = 0; prefix != NULL && i < json_object_array_length(errors);
	    i++) {
		e = json_object_array_get_idx(errors, i);
		json_object_object_get_ex(e, "field", &f);
		json_object_object_add(e, "field", json_object_new_string(
		    au_arena_printf(r->arena, "%s%s", prefix,
		    json_object_get_string(f))));
	}
	e = json_object_array_get_idx(errors, 0);
	json_object_object_get_ex(e, "field", &f);
	json_object_object_get_ex(e, "message", &m);
	au_resp_problem(r, 400, "Validation failed", au_arena_printf(r->arena,
	    "%s %s", json_object_get_string(f), json_object_get_string(m)),
	    errors);
	return AU_EINVAL;
}

/* Validates body and writes it as document name (If-Match expected, 0 =
 * any); AU_OK with x->after, x->version and x->updated_at, otherwise
 * answered. */
static int
put_or_respond(struct au_db *db, struct put_args *x)
{
	struct au_req *r = x->r;
	int rc;

	if (au_api_settings_check_or_respond(r, x->name, x->body, NULL) != AU_OK)
		return AU_EINVAL;
	rc = au_db_tx(db, put_tx, x);
	if (rc == AU_EINVAL && x->bad_field != NULL)
		return au_resp_field_error(r, 400, x->bad_field, x->bad_message),
		    rc;
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "The %s settings document", x->name)), rc;
	return AU_OK;
}

int
au_api_settings_put_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const char *name, struct json_object *body)
{
	struct put_args x = { 0 };

	x.r = r;
	x.realm = realm;
	x.name = name;
	x.body = body;
	if (!au_settings_name_valid(name))
		return au_resp_field_error(r, 400, name, "is not a settings "
		    "document (branding, policies, tokens)"), AU_EINVAL;
	if (!json_object_is_type(body, json_type_object))
		return au_resp_field_error(r, 400, name, "must be a JSON object"),
		    AU_EINVAL;
	return put_or_respond(db, &x);
}

int
au_api_settings_put(struct au_req *r)
{
	struct put_args x = { 0 };
	struct au_realm *realm;
	struct au_db *db;

	x.r = r;
	if (au_api_if_match_or_respond(r, &x.expected) != AU_OK ||
	    (x.name = name_or_respond(r)) == NULL)
		return AU_OK;
	if (au_req_json(r, &x.body) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL);
	if (au_api_settings_check_or_respond(r, x.name, x.body, NULL) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	x.realm = realm;
	if (put_or_respond(db, &x) != AU_OK)
		return AU_OK;
	au_realm_forget(r, realm->realm_id);
	return respond_doc(r, x.after, x.version, x.updated_at);
}

struct json_object *
au_api_settings_export(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const char *name, bool secrets, int *rc)
{
	struct json_object *stored, *doc, *v, *sealed;
	unsigned char *blob, *plain;
	size_t len, plen;
	const char *path;
	long long version;
	int64_t updated;
	char *text;
	int i;

	*rc = au_store_settings_raw(db, r->arena, realm->id, name, false, &text,
	    &version, &updated);
	if (*rc != AU_OK)
		return NULL;
	stored = parse_owned(r, text);
	doc = au_settings_effective(name, stored);
	au_api_own(r, doc);
	if (!secrets) {
		au_settings_mask(name, doc);
		return json_object_get(doc);
	}
	/* unsealed: the importing installation seals them under its own key
	 * and realm */
	for (i = 0; (path = au_settings_secret(name, i)) != NULL; i++) {
		v = au_settings_at(doc, path);
		if (v == NULL || !json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, "sealed", &sealed))
			continue;
		*rc = au_b64url_decode(r->arena, json_object_get_string(sealed),
		    (size_t)json_object_get_string_len(sealed), &blob, &len);
		if (*rc == AU_OK)
			*rc = au_unseal(r->arena, au_req_ctx(r)->master_key, blob, len,
			    au_settings_secret_aad(r->arena, realm->id, name, path),
			    &plain, &plen);
		if (*rc != AU_OK)
			return NULL;
		au_settings_put_at(doc, path, json_object_new_string_len(
		    (const char *)plain, (int)plen));
	}
	return json_object_get(doc);
}
