/* api_event.c — recording admin changes and listing a realm's events. */
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "store/store_event.h"
#include "store/store_realm.h"

int
au_api_event(struct au_req *r, struct au_db *db, const char *realm_uuid,
    const char *type, const char *resource_type, const char *resource_id,
    struct json_object *details)
{
	struct au_event e = { 0 };

	e.realm_uuid = realm_uuid;
	e.category = "admin";
	e.type = type;
	e.actor = r->actor;
	e.resource_type = resource_type;
	e.resource_id = resource_id;
	e.ip = r->remote_addr;
	e.request_id = r->request_id;
	e.details = details == NULL ? NULL : au_arena_strdup(r->arena,
	    json_object_to_json_string_ext(details, JSON_C_TO_STRING_PLAIN));
	return au_store_event_insert(db, r->arena, &e);
}

int
au_api_changed(struct au_req *r, struct au_db *db, const char *realm_uuid,
    const char *type, const char *resource_type, const char *resource_id,
    struct json_object *before, struct json_object *after)
{
	struct json_object *d;
	int rc;

	if (r->importing)
		return AU_OK;
	rc = au_store_realm_touch(db, realm_uuid);
	if (rc != AU_OK)
		return rc;
	d = json_object_new_object();
	if (before != NULL)
		json_object_object_add(d, "before", json_object_get(before));
	if (after != NULL)
		json_object_object_add(d, "after", json_object_get(after));
	rc = au_api_event(r, db, realm_uuid, type, resource_type, resource_id,
	    d);
	json_object_put(d);
	return rc;
}

static struct json_object *
event_json(struct au_req *r, const struct au_event *e)
{
	struct json_object *o = json_object_new_object(), *d;

	json_object_object_add(o, "id", json_object_new_string(e->id));
	json_object_object_add(o, "category", json_object_new_string(e->category));
	json_object_object_add(o, "type", json_object_new_string(e->type));
	json_object_object_add(o, "actor", json_object_new_string(e->actor));
	json_object_object_add(o, "resourceType",
	    json_object_new_string(e->resource_type));
	json_object_object_add(o, "resourceId",
	    json_object_new_string(e->resource_id));
	if (*e->client_id != '\0')
		json_object_object_add(o, "clientId",
		    json_object_new_string(e->client_id));
	if (e->user_id != NULL)
		json_object_object_add(o, "userId",
		    json_object_new_string(e->user_id));
	json_object_object_add(o, "ip", json_object_new_string(e->ip));
	json_object_object_add(o, "requestId",
	    json_object_new_string(e->request_id));
	d = e->details != NULL ? json_tokener_parse(e->details) : NULL;
	json_object_object_add(o, "details", d != NULL ? d :
	    json_object_new_object());
	json_object_object_add(o, "time", json_object_new_string(au_arena_printf(
	    r->arena, "%.19s.%03dZ", au_time_rfc3339(r->arena,
	    e->created_ms / 1000), (int)(e->created_ms % 1000))));
	return o;
}

/* ?from= / ?to=: RFC 3339 UTC; AU_OK with 0 when absent. */
static int
time_param_or_respond(struct au_req *r, const char *name, int64_t *out)
{
	const char *v = au_req_query(r, name);

	*out = 0;
	if (v == NULL || *v == '\0')
		return AU_OK;
	*out = au_api_parse_time(v);
	if (*out <= 0)
		return au_resp_field_error(r, 400, name, "must be an RFC 3339 UTC "
		    "time such as 2026-01-31T12:00:00Z"), AU_EINVAL;
	return AU_OK;
}

int
au_api_event_list(struct au_req *r)
{
	struct au_event_filter f = { 0 };
	struct au_event *items;
	struct au_realm *realm;
	struct json_object *arr;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	f.category = au_req_query(r, "category");
	f.type = au_req_query(r, "type");
	f.resource_type = au_req_query(r, "resourceType");
	f.resource_id = au_req_query(r, "resourceId");
	f.actor = au_req_query(r, "actor");
	if (f.category != NULL && strcmp(f.category, "admin") != 0 &&
	    strcmp(f.category, "auth") != 0)
		return au_resp_field_error(r, 400, "category",
		    "must be \"admin\" or \"auth\"");
	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    time_param_or_respond(r, "from", &f.from) != AU_OK ||
	    time_param_or_respond(r, "to", &f.to) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	rc = au_store_event_list(db, r->arena, realm->id, &f, offset, limit,
	    &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The event list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, event_json(r, &items[i]));
	return au_api_list(r, arr, total);
}
