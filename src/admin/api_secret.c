/* api_secret.c — secrets of clients and consumers in the admin API.
 *
 * One implementation for both owners: each route first resolves its owner
 * (the client or the consumer of the path) into a struct owner, and
 * everything after that is the same. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_common.h"
#include "admin/api_consumer.h"
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
#include "store/store_consumer.h"
#include "store/store_realm.h"
#include "store/store_secret.h"
#include "store/store_settings.h"

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

/* The client or consumer whose secrets a route manages. */
struct owner {
	enum au_secret_owner kind;
	struct au_db *db;
	struct au_realm *realm;
	const char *uuid;          /* clients.id / consumers.id */
	const char *name;          /* clientId / consumerId */
	const char *noun;          /* "client" / "consumer", for messages */
	bool public_client;        /* holds no secrets */
};

/* Resolves the path's {clientId} or {consumerId}; answers 404/503. */
static int
owner_or_respond(struct au_req *r, enum au_secret_owner kind,
    struct owner *o)
{
	struct au_consumer *consumer;
	struct au_client *client;

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	if (kind == AU_SECRET_CLIENT) {
		if (au_api_client_or_respond(r, &o->db, &o->realm, &client) !=
		    AU_OK)
			return AU_ENOTFOUND;
		o->uuid = client->id;
		o->name = client->client_id;
		o->noun = "client";
		o->public_client = strcmp(client->type, "confidential") != 0;
		return AU_OK;
	}
	if (au_api_consumer_or_respond(r, &o->db, &o->realm, &consumer) != AU_OK)
		return AU_ENOTFOUND;
	o->uuid = consumer->id;
	o->name = consumer->consumer_id;
	o->noun = "consumer";
	return AU_OK;
}

static int
confidential_or_respond(struct au_req *r, const struct owner *o)
{
	if (!o->public_client)
		return AU_OK;
	au_resp_problem(r, 409, "Conflict", "Public clients have no secrets.",
	    NULL);
	return AU_EINVAL;
}

/* "<clientId or consumerId>/secrets/<id>": the events' resource id. */
static const char *
resource_id(struct au_req *r, const struct owner *o, const char *id)
{
	return au_arena_printf(r->arena, "%s/secrets/%s", o->name, id);
}

struct issue {
	struct au_req *r;
	const struct owner *o;
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
		rc = au_store_secret_insert(db, x->r->arena, x->o->realm->id,
		    x->o->kind, x->o->uuid, x->s);
	if (rc == AU_OK) {
		struct json_object *after = secret_json(x->r, x->s);

		au_api_own(x->r, after);
		rc = au_api_changed(x->r, db, x->o->realm->id,
		    x->expire_id != NULL ? "secret.rotate" : "secret.create",
		    "secret", resource_id(x->r, x->o, x->s->id), NULL, after);
	}
	return rc;
}

/* Creates the secret described by x->s (label, expiry, rotated_from set
 * by the caller), makes workers reload the realm, answers 201 with the
 * value: the only time it is ever shown. */
static int
issue_secret(struct issue *x)
{
	struct au_req *r = x->r;
	struct json_object *o;
	char *secret;
	int rc;

	secret = au_rand_token(r->arena, SECRET_BYTES);
	au_arena_wipe(r->arena, secret, strlen(secret));
	x->s->hash = au_secret_hash(r->arena, secret);
	rc = au_db_tx(x->o->db, issue_tx, x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The secret");
	au_realm_forget(r, x->o->realm->realm_id);
	o = secret_json(r, x->s);
	json_object_object_add(o, "secret", json_object_new_string(secret));
	au_resp_set_header(r, "Cache-Control", "no-store");
	return au_resp_json(r, 201, o);
}

/* A new secret without an explicit expiresAt lives for the realm's
 * settings/tokens secretLifetimeDays (0 = for ever); answers 503 itself. */
static int
default_expiry(struct au_req *r, const struct owner *o, int64_t *expires_at)
{
	struct au_token_settings ts;
	int rc;

	if (*expires_at != 0)
		return AU_OK;
	rc = au_store_settings_tokens(o->db, r->arena, o->realm->id, &ts);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm's tokens settings"), rc;
	if (ts.secret_lifetime_days > 0)
		*expires_at = au_time_now() +
		    (int64_t)ts.secret_lifetime_days * 86400;
	return AU_OK;
}

static int
secret_create(struct au_req *r, enum au_secret_owner kind)
{
	struct au_secret s = { 0 };
	struct json_object *body = NULL;
	struct owner o;
	struct issue x;

	if (r->body_len > 0 && au_api_body_or_respond(r, create_fields,
	    COUNT(create_fields), &body) != AU_OK)
		return AU_OK;
	if (expiry_or_respond(r, body, &s.expires_at) != AU_OK ||
	    owner_or_respond(r, kind, &o) != AU_OK ||
	    confidential_or_respond(r, &o) != AU_OK ||
	    default_expiry(r, &o, &s.expires_at) != AU_OK)
		return AU_OK;
	s.label = (char *)(body != NULL && au_api_str(body, "label") != NULL ?
	    au_api_str(body, "label") : "");
	x = (struct issue){ r, &o, &s, NULL, 0 };
	return issue_secret(&x);
}

static int
secret_list(struct au_req *r, enum au_secret_owner kind)
{
	struct json_object *arr;
	struct au_secret *items;
	struct owner o;
	int n, i, rc;

	if (owner_or_respond(r, kind, &o) != AU_OK)
		return AU_OK;
	rc = au_store_secret_list(o.db, r->arena, kind, o.uuid, &items, &n);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The secret list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, secret_json(r, &items[i]));
	return au_api_list(r, arr, n);
}

struct revoke {
	struct au_req *r;
	const struct owner *o;
	const char *id;
};

/* The revocation and its event, together. */
static int
revoke_tx(struct au_db *db, void *arg)
{
	struct revoke *x = arg;
	int rc;

	rc = au_store_secret_revoke(db, x->o->kind, x->o->uuid, x->id);
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->o->realm->id, "secret.revoke",
		    "secret", resource_id(x->r, x->o, x->id), NULL, NULL);
	return rc;
}

static int
secret_revoke(struct au_req *r, enum au_secret_owner kind)
{
	struct owner o;
	struct revoke x = { r, &o, au_req_param(r, "secretId") };
	int rc;

	if (owner_or_respond(r, kind, &o) != AU_OK)
		return AU_OK;
	rc = au_db_tx(o.db, revoke_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "A live secret '%.64s' of this %s", x.id, o.noun));
	au_realm_forget(r, o.realm->realm_id);
	return au_resp_empty(r, 204);
}

static int
secret_rotate(struct au_req *r, enum au_secret_owner kind)
{
	const char *id = au_req_param(r, "secretId");
	struct au_secret fresh = { 0 }, *old;
	struct json_object *body, *grace;
	struct owner o;
	struct issue x;
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
	if (owner_or_respond(r, kind, &o) != AU_OK ||
	    confidential_or_respond(r, &o) != AU_OK ||
	    default_expiry(r, &o, &fresh.expires_at) != AU_OK)
		return AU_OK;
	rc = au_store_secret_find(o.db, r->arena, kind, o.uuid, id, &old);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Secret '%.64s' of this %s", id, o.noun));
	if (strcmp(secret_status(old, now), "active") != 0)
		return au_resp_problem(r, 409, "Conflict", au_arena_printf(
		    r->arena, "Secret '%s' is %s and cannot be rotated.", old->id,
		    secret_status(old, now)), NULL);
	fresh.label = (char *)(au_api_str(body, "label") != NULL ?
	    au_api_str(body, "label") : old->label);
	fresh.rotated_from = old->id;
	x = (struct issue){ r, &o, &fresh, old->id, now + seconds };
	return issue_secret(&x);
}

/* ---------------------------------------------------- export, import */

static const struct au_field restore_fields[] = {
	{ "label", AU_F_STRING, false, 255 },
	{ "createdAt", AU_F_STRING, true, 32 },
	{ "expiresAt", AU_F_STRING, false, 32 },
	{ "status", AU_F_STRING, true, 16 },
	{ "secretHash", AU_F_STRING, true, 64 },
};

struct json_object *
au_api_secret_export_json(struct au_req *r, const struct au_secret *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "label", json_object_new_string(s->label));
	au_api_add_time(r, o, "createdAt", s->created_at);
	au_api_add_time(r, o, "expiresAt", s->expires_at);
	json_object_object_add(o, "status",
	    json_object_new_string(secret_status(s, au_time_now())));
	json_object_object_add(o, "secretHash", json_object_new_string(s->hash));
	return o;
}

/* 64 lower-case hex characters: the SHA-256 crypto_hash stores. */
static bool
hash_valid(const char *h)
{
	size_t i;

	for (i = 0; h[i] != '\0'; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return i == 64;
}

/* A time member of a restored secret: RFC 3339 UTC, or null/absent when
 * optional (0). */
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

struct restore {
	struct au_req *r;
	const struct au_realm *realm;
	struct owner *o;
	struct au_secret *s;
};

static int
restore_tx(struct au_db *db, void *arg)
{
	struct restore *x = arg;
	struct json_object *after;
	int rc;

	rc = au_store_secret_restore(db, x->r->arena, x->realm->id, x->o->kind,
	    x->o->uuid, x->s);
	if (rc != AU_OK)
		return rc;
	after = secret_json(x->r, x->s);
	au_api_own(x->r, after);
	return au_api_changed(x->r, db, x->realm->id, "secret.create", "secret",
	    resource_id(x->r, x->o, x->s->id), NULL, after);
}

int
au_api_secret_restore_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, enum au_secret_owner kind,
    const char *owner_uuid, const char *owner_name, bool public_client,
    struct json_object *o)
{
	struct au_secret *s = au_arena_calloc(r->arena, sizeof(*s));
	struct owner own = { kind, db, NULL, owner_uuid, owner_name,
		kind == AU_SECRET_CLIENT ? "client" : "consumer", public_client };
	struct restore x = { r, realm, &own, s };
	const char *status;
	int rc;

	if (public_client)
		return au_api_field_error(r, "", "public clients have no "
		    "secrets");
	if (!json_object_is_type(o, json_type_object))
		return au_api_field_error(r, "", "must be an object {label, "
		    "createdAt, expiresAt, status, secretHash}");
	if (au_api_check_or_respond(r, restore_fields, COUNT(restore_fields),
	    o) != AU_OK || restore_time(r, o, "createdAt", &s->created_at) !=
	    AU_OK || restore_time(r, o, "expiresAt", &s->expires_at) != AU_OK)
		return AU_EINVAL;
	status = au_api_str(o, "status");
	if (strcmp(status, "active") != 0 && strcmp(status, "expired") != 0 &&
	    strcmp(status, "revoked") != 0)
		return au_api_field_error(r, "status", "must be \"active\", "
		    "\"expired\" or \"revoked\"");
	s->hash = (char *)au_api_str(o, "secretHash");
	if (!hash_valid(s->hash))
		return au_api_field_error(r, "secretHash", "must be the SHA-256 of "
		    "the secret as authio stores it (64 lower-case hex digits)");
	s->label = (char *)(au_api_str(o, "label") != NULL ?
	    au_api_str(o, "label") : "");
	/* the export says only that it was revoked, not when: from now on */
	if (strcmp(status, "revoked") == 0)
		s->revoked_at = au_time_now();
	rc = au_db_tx(db, restore_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The secret"), rc;
	return AU_OK;
}

int
au_api_client_secret_create(struct au_req *r)
{
	return secret_create(r, AU_SECRET_CLIENT);
}

int
au_api_client_secret_list(struct au_req *r)
{
	return secret_list(r, AU_SECRET_CLIENT);
}

int
au_api_client_secret_revoke(struct au_req *r)
{
	return secret_revoke(r, AU_SECRET_CLIENT);
}

int
au_api_client_secret_rotate(struct au_req *r)
{
	return secret_rotate(r, AU_SECRET_CLIENT);
}

int
au_api_consumer_secret_create(struct au_req *r)
{
	return secret_create(r, AU_SECRET_CONSUMER);
}

int
au_api_consumer_secret_list(struct au_req *r)
{
	return secret_list(r, AU_SECRET_CONSUMER);
}

int
au_api_consumer_secret_revoke(struct au_req *r)
{
	return secret_revoke(r, AU_SECRET_CONSUMER);
}

int
au_api_consumer_secret_rotate(struct au_req *r)
{
	return secret_rotate(r, AU_SECRET_CONSUMER);
}
