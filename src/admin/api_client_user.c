/* api_client_user.c — the users assigned to a client (api_client_user.h). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_client.h"
#include "admin/api_client_user.h"
#include "admin/api_common.h"
#include "admin/api_event.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_realm.h"
#include "store/store_client.h"
#include "store/store_realm.h"
#include "store/store_util.h"

#define MAX_REFS 100

static int
bad(struct au_req *r, const char *field, const char *message)
{
	return au_api_field_error(r, field, message);
}

/* The body [{"id": "<userId>"}, ...] into ids[0..n); 400 naming [i].id. */
static int
refs_or_respond(struct au_req *r, char ***ids, int *n)
{
	struct json_object *arr, *id;
	size_t i, len;

	if (au_req_json_array(r, &arr) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL), AU_EINVAL;
	len = json_object_array_length(arr);
	if (len == 0)
		return bad(r, "[0]", "is required: list the users as "
		    "[{\"id\": \"<userId>\"}, ...]");
	if (len > MAX_REFS)
		return bad(r, au_arena_printf(r->arena, "[%d]", MAX_REFS),
		    au_arena_printf(r->arena, "is one too many: at most %d users "
		    "per request", MAX_REFS));
	*ids = au_arena_calloc(r->arena, sizeof(char *) * (len + 1));
	for (i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_object))
			return bad(r, au_arena_printf(r->arena, "[%zu]", i),
			    "must be an object {\"id\": \"<userId>\"}");
		json_object_object_foreach(e, key, val) {
			(void)val;
			if (strcmp(key, "id") != 0)
				return bad(r, au_arena_printf(r->arena, "[%zu].%.100s",
				    i, key), "is not a known field");
		}
		if (!json_object_object_get_ex(e, "id", &id) ||
		    !json_object_is_type(id, json_type_string) ||
		    !au_uuid_valid(json_object_get_string(id)))
			return bad(r, au_arena_printf(r->arena, "[%zu].id", i),
			    "must be a user id (a UUID as the users API shows it)");
		(*ids)[i] = au_arena_strdup(r->arena, json_object_get_string(id));
	}
	*n = (int)len;
	return AU_OK;
}

int
au_api_client_user_list(struct au_req *r)
{
	struct au_client_user *items;
	struct json_object *arr, *o;
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	rc = au_store_client_user_list(db, r->arena, c->id, au_req_query(r, "q"),
	    offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client's user list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(items[i].id));
		json_object_object_add(o, "username",
		    json_object_new_string(items[i].username));
		json_object_array_add(arr, o);
	}
	return au_api_list(r, arr, total);
}

struct change {
	struct au_req *r;
	const struct au_realm *realm;
	const struct au_client *c;
	bool add;
	char **ids;
	int n;
	int missing;
};

static int
change_tx(struct au_db *db, void *arg)
{
	struct change *x = arg;
	struct json_object *after, *users, *u;
	int rc, i;

	rc = au_store_client_users_change(db, x->r->arena, x->realm->id,
	    x->c->id, x->add, x->ids, x->n, &x->missing);
	if (rc != AU_OK)
		return rc;
	after = json_object_new_object();
	au_api_own(x->r, after);
	users = json_object_new_array();
	json_object_object_add(after, "users", users);
	for (i = 0; i < x->n; i++) {
		u = json_object_new_object();
		json_object_object_add(u, "id", json_object_new_string(x->ids[i]));
		json_object_array_add(users, u);
	}
	return au_api_changed(x->r, db, x->realm->id, x->add ?
	    "client.users.add" : "client.users.remove", "client",
	    x->c->client_id, NULL, after);
}

static int
change(struct au_req *r, bool add)
{
	struct change x = { 0 };
	struct au_realm *realm;
	struct au_client *c;
	struct au_db *db;
	int rc;

	x.r = r;
	x.add = add;
	x.missing = -1;
	if (refs_or_respond(r, &x.ids, &x.n) != AU_OK ||
	    au_api_client_or_respond(r, &db, &realm, &c) != AU_OK)
		return AU_OK;
	x.realm = realm;
	x.c = c;
	rc = au_db_tx(db, change_tx, &x);
	if (rc == AU_ENOTFOUND && x.missing >= 0)
		return bad(r, au_arena_printf(r->arena, "[%d].id", x.missing),
		    au_arena_printf(r->arena, "is not a user of realm '%s'",
		    realm->realm_id)), AU_OK;
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The client's users");
	au_realm_forget(r, realm->realm_id);
	return au_resp_empty(r, 204);
}

int
au_api_client_user_add(struct au_req *r)
{
	return change(r, true);
}

int
au_api_client_user_remove(struct au_req *r)
{
	return change(r, false);
}
