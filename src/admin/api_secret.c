/* api_secret.c — client secrets of the admin API. */
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_secret.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_client.h"
#include "store/store_realm.h"
#include "store/store_secret.h"

#define SECRET_BYTES 32
#define MAX_GRACE_SECONDS (30 * 24 * 3600)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct au_field create_fields[] = {
	{ "label", AU_F_STRING, false, 255 },
	{ "expiresAt", AU_F_STRING, false, 32 },
};

static const struct au_field rotate_fields[] = {
	{ "gracePeriodSeconds", AU_F_INT, true, 0 },
	{ "label", AU_F_STRING, false, 255 },
	{ "expiresAt", AU_F_STRING, false, 32 },
};

static const char *
secret_status(const struct au_secret *s, int64_t now)
{
	if (s->revoked_at != 0)
		return "revoked";
	if (s->expires_at != 0 && s->expires_at <= now)
		return "expired";
	return "active";
}

/* Metadata of a secret: never its value or hash. */
static struct json_object *
secret_json(struct au_req *r, const struct au_secret *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "label", json_object_new_string(s->label));
	au_api_add_time(r, o, "createdAt", s->created_at);
	au_api_add_time(r, o, "expiresAt", s->expires_at);
	au_api_add_time(r, o, "lastUsedAt", s->last_used_at);
	json_object_object_add(o, "status",
	    json_object_new_string(secret_status(s, au_time_now())));
	json_object_object_add(o, "rotatedFrom", s->rotated_from != NULL ?
	    json_object_new_string(s->rotated_from) : NULL);
	return o;
}

/* The optional expiresAt of a body; answers 400 when it is not a future
 * RFC 3339 time. */
static int
expiry_or_respond(struct au_req *r, struct json_object *body, int64_t *out)
{
	const char *v = body != NULL ? au_api_str(body, "expiresAt") : NULL;

	*out = 0;
	if (v == NULL)
		return AU_OK;
	*out = au_api_parse_time(v);
	if (*out <= au_time_now())
		return au_resp_field_error(r, 400, "expiresAt", "must be a future "
		    "time like 2030-01-31T00:00:00Z"), AU_EINVAL;
	return AU_OK;
}

struct issue {
	struct au_req *r;
	const struct au_realm *realm;
	const struct au_client *c;
	struct au_secret *s;
	const char *expire_id;   /* rotation: the predecessor, or NULL */
	int64_t expire_at;
};

/* Rotation is one transaction: the predecessor's new expiry, the new
 * secret and the realm's version bump land together or not at all. */
static int
issue_tx(struct au_db *db, void *arg)
{
	struct issue *x = arg;
	int rc = AU_OK;

	if (x->expire_id != NULL)
		rc = au_store_secret_expire_by(db, x->expire_id, x->expire_at);
	if (rc == AU_OK)
		rc = au_store_secret_insert(db, x->r->arena, x->realm->id,
		    x->c->id, NULL, x->s);
	if (rc == AU_OK) {
		struct json_object *after = secret_json(x->r, x->s);

		au_api_own(x->r, after);
		rc = au_api_changed(x->r, db, x->realm->id, x->expire_id != NULL ?
		    "secret.rotate" : "secret.create", "secret",
		    au_arena_printf(x->r->arena, "%s/secrets/%s", x->c->client_id,
		    x->s->id), NULL, after);
	}
	return rc;
}

/* Creates the secret described by x->s (label, expiry, rotated_from set
 * by the caller), makes workers reload the realm, answers 201 with the
 * value: the only time it is ever shown. */
static int
issue_secret(struct au_db *db, struct issue *x)
{
	struct au_req *r = x->r;
	struct json_object *o;
	char *secret;
	int rc;

	secret = au_rand_token(r->arena, SECRET_BYTES);
	au_arena_wipe(r->arena, secret, strlen(secret));
	x->s->hash = au_secret_hash(r->arena, secret);
	rc = au_db_tx(db, issue_tx, x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The secret");
	au_realm_forget(r, x->realm->realm_id);
	o = secret_json(r, x->s);
	json_object_object_add(o, "secret", json_object_new_string(secret));
	au_resp_set_header(r, "Cache-Control", "no-store");
	return au_resp_json(r, 201, o);
}

static int
confidential_or_respond(struct au_req *r, const struct au_client *c)
{
	if (strcmp(c->type, "confidential") == 0)
		return AU_OK;
	au_resp_problem(r, 409, "Conflict", "Public clients have no secrets.",
	    NULL);
	return AU_EINVAL;
}

int
au_api_client_secret_create(struct au_req *r)
{
	struct au_secret s = { 0 };
	struct json_object *body = NULL;
	struct issue x;
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;

	if (r->body_len > 0 && au_api_body_or_respond(r, create_fields,
	    COUNT(create_fields), &body) != AU_OK)
		return AU_OK;
	if (expiry_or_respond(r, body, &s.expires_at) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &c) != AU_OK ||
	    confidential_or_respond(r, c) != AU_OK)
		return AU_OK;
	s.label = (char *)(body != NULL && au_api_str(body, "label") != NULL ?
	    au_api_str(body, "label") : "");
	x = (struct issue){ r, realm, c, &s, NULL, 0 };
	return issue_secret(db, &x);
}

int
au_api_client_secret_list(struct au_req *r)
{
	struct json_object *arr;
	struct au_secret *items;
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;
	int n, i, rc;

	if (au_api_client_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	rc = au_store_secret_list_for_client(db, r->arena, c->id, &items, &n);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The secret list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, secret_json(r, &items[i]));
	return au_api_list(r, arr, n);
}

int
au_api_client_secret_revoke(struct au_req *r)
{
	const char *id = au_req_param(r, "secretId");
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;
	int rc;

	if (au_api_client_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	rc = au_store_secret_revoke(db, c->id, id);
	if (rc == AU_OK)
		rc = au_api_changed(r, db, realm->id, "secret.revoke", "secret",
		    au_arena_printf(r->arena, "%s/secrets/%s", c->client_id, id),
		    NULL, NULL);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "A live secret '%.64s' of this client", id));
	au_realm_forget(r, realm->realm_id);
	return au_resp_empty(r, 204);
}

int
au_api_client_secret_rotate(struct au_req *r)
{
	const char *id = au_req_param(r, "secretId");
	struct au_secret fresh = { 0 }, *old;
	struct json_object *body, *grace;
	struct issue x;
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;
	int64_t seconds, now = au_time_now();
	int rc;

	if (au_api_body_or_respond(r, rotate_fields, COUNT(rotate_fields),
	    &body) != AU_OK || expiry_or_respond(r, body, &fresh.expires_at) !=
	    AU_OK)
		return AU_OK;
	json_object_object_get_ex(body, "gracePeriodSeconds", &grace);
	seconds = json_object_get_int64(grace);
	if (seconds < 0 || seconds > MAX_GRACE_SECONDS)
		return au_resp_field_error(r, 400, "gracePeriodSeconds",
		    "must be from 0 to 2592000 (30 days)");
	if (au_api_client_or_respond(r, &db, &realm, &c) != AU_OK ||
	    confidential_or_respond(r, c) != AU_OK)
		return AU_OK;
	rc = au_store_secret_find(db, r->arena, c->id, id, &old);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Secret '%.64s' of this client", id));
	if (strcmp(secret_status(old, now), "active") != 0)
		return au_resp_problem(r, 409, "Conflict", au_arena_printf(
		    r->arena, "Secret '%s' is %s and cannot be rotated.", old->id,
		    secret_status(old, now)), NULL);
	fresh.label = (char *)(au_api_str(body, "label") != NULL ?
	    au_api_str(body, "label") : old->label);
	fresh.rotated_from = old->id;
	x = (struct issue){ r, realm, c, &fresh, old->id, now + seconds };
	return issue_secret(db, &x);
}
