/* api_consumer.c — consumer resources of the admin API: the machine
 * identities of a realm (their secrets: api_secret.c). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_consumer.h"
#include "admin/api_event.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_consumer.h"
#include "store/store_realm.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define AUDIENCE_MAX_LEN 255
#define USAGE_DAYS 30

static const struct au_field consumer_fields[] = {
	{ "consumerId", AU_F_STRING, true, 255 },
	{ "name", AU_F_STRING, false, 255 },
	{ "description", AU_F_STRING, false, 1000 },
	{ "enabled", AU_F_BOOL, false, 0 },
	{ "allowedScopes", AU_F_STRING_ARRAY, false, 64 },
	{ "audience", AU_F_STRING_ARRAY, false, 32 },
};

static struct json_object *
strings_json(char **v, int n)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *
consumer_json(struct au_req *r, const struct au_consumer *c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "consumerId",
	    json_object_new_string(c->consumer_id));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "description",
	    json_object_new_string(c->description));
	json_object_object_add(o, "enabled", json_object_new_boolean(c->enabled));
	json_object_object_add(o, "allowedScopes",
	    strings_json(c->scopes, c->nscopes));
	json_object_object_add(o, "audience",
	    strings_json(c->audience, c->naudience));
	json_object_object_add(o, "tokensIssued",
	    json_object_new_int64(c->tokens_issued));
	au_api_add_time(r, o, "lastUsedAt", c->last_used_at);
	json_object_object_add(o, "version", json_object_new_int64(c->version));
	au_api_add_time(r, o, "createdAt", c->created_at);
	au_api_add_time(r, o, "updatedAt", c->updated_at);
	return o;
}

struct json_object *
au_api_consumer_json(struct au_req *r, const struct au_consumer *c)
{
	return consumer_json(r, c);
}

/* The audience of a body: each entry 1..255 characters, duplicates
 * dropped (the first one stays). */
static int
audience_or_respond(struct au_req *r, struct json_object *body,
    struct au_consumer *c)
{
	char **v = au_api_strings(r, body, "audience", &c->naudience);
	int i, k, n = 0;

	for (i = 0; i < c->naudience; i++) {
		size_t len = strlen(v[i]);

		if (len == 0 || len > AUDIENCE_MAX_LEN)
			return au_resp_field_error(r, 400, "audience",
			    "entries must be 1 to 255 characters"), AU_EINVAL;
		for (k = 0; k < n && strcmp(v[k], v[i]) != 0; k++)
			;
		if (k == n)
			v[n++] = v[i];
	}
	c->audience = v;
	c->naudience = n;
	return AU_OK;
}

/* Fills c's editable fields from a validated body (PUT, POST, or PATCH
 * after merging); answers 400 itself. */
static int
check_consumer_values(struct au_req *r, struct json_object *body,
    struct au_consumer *c)
{
	c->consumer_id = (char *)au_api_str(body, "consumerId");
	c->name = (char *)au_api_str(body, "name");
	c->description = (char *)au_api_str(body, "description");
	if (c->name == NULL)
		c->name = "";
	if (c->description == NULL)
		c->description = "";
	if (*c->consumer_id == '\0')
		return au_resp_field_error(r, 400, "consumerId",
		    "must not be empty"), AU_EINVAL;
	if (strchr(c->consumer_id, '/') != NULL)
		/* it names the consumer in URLs, where %2F is refused */
		return au_resp_field_error(r, 400, "consumerId",
		    "must not contain '/'"), AU_EINVAL;
	c->enabled = au_api_bool(body, "enabled", true);
	c->scopes = au_api_strings(r, body, "allowedScopes", &c->nscopes);
	return audience_or_respond(r, body, c);
}

struct save_args {
	struct au_req *r;
	struct au_consumer *c;
	struct json_object *body;
	bool insert;                 /* else update */
	long long expected;          /* update: If-Match version, 0 = any */
	struct json_object *before;  /* update: the old representation */
	const char *missing;         /* an allowed scope that does not exist */
};

/* The consumer row, its scopes, the event and the realm's version bump,
 * together or not at all. */
static int
save_tx(struct au_db *db, void *arg)
{
	struct save_args *x = arg;
	struct au_arena *a = x->r->arena;
	int rc;

	x->missing = NULL;
	rc = x->insert ? au_store_consumer_insert(db, a, x->c) :
	    au_store_consumer_update(db, a, x->c, x->expected);
	if (rc == AU_OK)
		rc = au_store_consumer_set_scopes(db, a, x->c, x->c->scopes,
		    x->c->nscopes, &x->missing);
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->c->realm_uuid, x->insert ?
		    "consumer.create" : "consumer.update", "consumer",
		    x->c->consumer_id, x->before, x->body);
	return rc;
}

/* Runs save_tx and answers its failure; AU_OK when saved. */
static int
save_or_respond(struct au_db *db, struct save_args *x)
{
	int rc = au_db_tx(db, save_tx, x);

	if (rc == AU_ENOTFOUND && x->missing != NULL)
		return au_resp_field_error(x->r, 400, "allowedScopes",
		    au_arena_printf(x->r->arena, "scope '%.100s' does not exist",
		    x->missing)), rc;
	if (rc == AU_EDUP)
		return au_resp_problem(x->r, 409, "Conflict", au_arena_printf(
		    x->r->arena, "'%.255s' is already the id of a client or a "
		    "consumer of this realm.", x->c->consumer_id), NULL), rc;
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, au_arena_printf(x->r->arena,
		    "Consumer '%.255s'", x->c->consumer_id)), rc;
	return AU_OK;
}

int
au_api_consumer_create_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_consumer **out)
{
	struct au_consumer *c = au_arena_calloc(r->arena, sizeof(*c));
	struct save_args args = { r, c, body, true, 0, NULL, NULL };
	int rc;

	if (au_api_check_or_respond(r, consumer_fields, COUNT(consumer_fields),
	    body) != AU_OK || check_consumer_values(r, body, c) != AU_OK)
		return AU_EINVAL;
	c->realm_uuid = realm->id;
	rc = save_or_respond(db, &args);
	if (rc == AU_OK)
		*out = c;
	return rc;
}

int
au_api_consumer_create(struct au_req *r)
{
	struct json_object *body;
	struct au_consumer *c, *fresh;
	struct au_realm *realm;
	struct au_db *db;

	if (au_api_body_or_respond(r, consumer_fields, COUNT(consumer_fields),
	    &body) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK ||
	    au_api_consumer_create_from(r, db, realm, body, &c) != AU_OK)
		return AU_OK;
	au_realm_forget(r, realm->realm_id);
	/* the sorted scope names as stored */
	if (au_store_consumer_find(db, r->arena, realm->id, c->consumer_id,
	    &fresh) != AU_OK)
		fresh = c;
	au_resp_set_header(r, "Location", au_arena_printf(r->arena,
	    "%s/api/admin/realms/%s/consumers/%s", r->cfg->base_url,
	    realm->realm_id, au_url_encode(r->arena, c->consumer_id)));
	au_api_etag(r, fresh->version);
	return au_resp_json(r, 201, consumer_json(r, fresh));
}

int
au_api_consumer_list(struct au_req *r)
{
	struct au_consumer *items;
	struct au_realm *realm;
	struct json_object *arr;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = au_store_consumer_list(db, r->arena, realm->id,
	    au_req_query(r, "q"), offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The consumer list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, consumer_json(r, &items[i]));
	return au_api_list(r, arr, total);
}

int
au_api_consumer_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm, struct au_consumer **c)
{
	const char *id = au_req_param(r, "consumerId");
	int rc;

	if (au_api_realm_or_respond(r, db, realm) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_consumer_find(*db, r->arena, (*realm)->id, id, c);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Consumer '%.255s'", id)), rc;
	return AU_OK;
}

int
au_api_consumer_get(struct au_req *r)
{
	struct au_consumer *c;
	struct au_realm *realm;
	struct au_db *db;

	if (au_api_consumer_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	au_api_etag(r, c->version);
	return au_resp_json(r, 200, consumer_json(r, c));
}

/* Replaces old's editable fields with the validated body (PUT, and PATCH
 * after merging) and answers with the new representation. */
static int
replace_consumer(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const struct au_consumer *old,
    struct json_object *body, long long expected)
{
	struct au_consumer c = { 0 }, *fresh;
	struct save_args args = { r, &c, body, false, expected, NULL, NULL };
	int rc;

	if (check_consumer_values(r, body, &c) != AU_OK)
		return AU_OK;
	if (strcmp(c.consumer_id, old->consumer_id) != 0)
		return au_resp_field_error(r, 400, "consumerId",
		    "cannot be changed (it must match the URL)");
	c.id = old->id;
	c.realm_uuid = realm->id;
	args.before = consumer_json(r, old);
	au_api_own(r, args.before);
	if (save_or_respond(db, &args) != AU_OK)
		return AU_OK;
	au_realm_forget(r, realm->realm_id);
	rc = au_store_consumer_find(db, r->arena, realm->id, old->consumer_id,
	    &fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The consumer");
	au_api_etag(r, fresh->version);
	return au_resp_json(r, 200, consumer_json(r, fresh));
}

int
au_api_consumer_update(struct au_req *r)
{
	struct json_object *body;
	struct au_consumer *old;
	struct au_realm *realm;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, consumer_fields, COUNT(consumer_fields),
	    &body) != AU_OK ||
	    au_api_consumer_or_respond(r, &db, &realm, &old) != AU_OK)
		return AU_OK;
	return replace_consumer(r, db, realm, old, body, expected);
}

int
au_api_consumer_patch(struct au_req *r)
{
	static const char *const computed[] = { "id", "version", "createdAt",
		"updatedAt", "tokensIssued", "lastUsedAt", NULL };
	struct json_object *patch, *merged;
	struct au_consumer *old;
	struct au_realm *realm;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_patch_body_or_respond(r, &patch) != AU_OK ||
	    au_api_consumer_or_respond(r, &db, &realm, &old) != AU_OK ||
	    au_api_patched_or_respond(r, consumer_json(r, old), computed, patch,
	    consumer_fields, COUNT(consumer_fields), &merged) != AU_OK)
		return AU_OK;
	return replace_consumer(r, db, realm, old, merged, expected);
}

struct delete_args {
	struct au_req *r;
	const struct au_consumer *c;
	struct json_object *before;
};

static int
delete_tx(struct au_db *db, void *arg)
{
	struct delete_args *x = arg;
	int rc;

	rc = au_store_consumer_delete(db, x->c->realm_uuid, x->c->consumer_id);
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->c->realm_uuid, "consumer.delete",
		    "consumer", x->c->consumer_id, x->before, NULL);
	return rc;
}

int
au_api_consumer_delete(struct au_req *r)
{
	struct delete_args x = { r, NULL, NULL };
	struct au_consumer *c;
	struct au_realm *realm;
	long long expected;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_consumer_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	if (expected != 0 && expected != c->version)
		return au_api_store_error(r, AU_ECONFLICT, "The consumer");
	x.c = c;
	x.before = consumer_json(r, c);
	au_api_own(r, x.before);
	rc = au_db_tx(db, delete_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The consumer");
	au_realm_forget(r, realm->realm_id);
	return au_resp_empty(r, 204);
}

int
au_api_consumer_usage(struct au_req *r)
{
	struct json_object *o, *days, *d;
	struct au_consumer_day *v;
	struct au_consumer *c;
	struct au_realm *realm;
	struct au_db *db;
	int rc, i;

	if (au_api_consumer_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	rc = au_store_consumer_usage(db, r->arena, c->id, au_time_now(),
	    USAGE_DAYS, &v);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The consumer's usage");
	o = json_object_new_object();
	json_object_object_add(o, "tokensIssued",
	    json_object_new_int64(c->tokens_issued));
	au_api_add_time(r, o, "lastUsedAt", c->last_used_at);
	json_object_object_add(o, "lastIp", c->last_ip != NULL ?
	    json_object_new_string(c->last_ip) : NULL);
	days = json_object_new_array();
	for (i = 0; i < USAGE_DAYS; i++) {
		d = json_object_new_object();
		json_object_object_add(d, "date", json_object_new_string(v[i].date));
		json_object_object_add(d, "tokens",
		    json_object_new_int64(v[i].tokens));
		json_object_array_add(days, d);
	}
	json_object_object_add(o, "days", days);
	return au_resp_json(r, 200, o);
}
