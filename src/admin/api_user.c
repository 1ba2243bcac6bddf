/* api_user.c — user resources of the admin API: create, list and look up,
 * read, replace, patch, delete.  Passwords, lockouts and sessions are in
 * api_user_account.c.
 *
 * Usernames are stored lower-cased (ASCII letters; the column's collation
 * compares the rest case-insensitively), as Keycloak does, so "Alice" and
 * "alice" are one user.  Emails keep their spelling and are unique per
 * realm, compared case-insensitively. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_user.h"
#include "admin/api_user_account.h"
#include "admin/api_user_fields.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "store/store_policy.h"
#include "store/store_realm.h"
#include "store/store_settings.h"
#include "store/store_user.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct au_field user_fields[] = {
	{ "username", AU_F_STRING, true, 255 },
	{ "email", AU_F_STRING, false, 320 },
	{ "emailVerified", AU_F_BOOL, false, 0 },
	{ "firstName", AU_F_STRING, false, 255 },
	{ "lastName", AU_F_STRING, false, 255 },
	{ "enabled", AU_F_BOOL, false, 0 },
	{ "attributes", AU_F_OBJECT, false, 0 },
	{ "requiredActions", AU_F_STRING_ARRAY, false, 16 },
};

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcasecmp(a, b) == 0);
}

/* The realm's username rules (policies username.*); 400 listing every
 * rule u's username breaks.  An update that keeps the username and the
 * email (old, NULL for a new user) is not judged again: rules tightened
 * later do not make existing users uneditable. */
static int
username_policy_or_respond(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const struct au_user *u,
    const struct au_user *old)
{
	struct au_violation *viol;
	struct au_policies pol;
	int rc, n;

	if (old != NULL && same_str(old->username, u->username) &&
	    same_str(old->email, u->email))
		return AU_OK;

	rc = au_store_settings_policies(db, r->arena, realm->id, &pol, NULL);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm's policy"), rc;
	n = au_policy_username_check(r->arena, &pol.username, u->username,
	    u->email, &viol);
	return n > 0 ? au_api_violations(r, "username", viol, n) : AU_OK;
}

/* Fills u's editable fields from a body checked against user_fields;
 * answers 400 naming the field when a value is not acceptable (the
 * realm's username rules included). */
static int
check_user_values(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_user *u, const struct au_user *old)
{
	const char *why;

	u->username = (char *)au_api_str(body, "username");
	if ((why = au_user_name_problem(u->username)) != NULL)
		return au_user_field_error(r, 400, "username", why);
	u->username = au_user_lower(r->arena, u->username);
	u->email = (char *)au_api_str(body, "email");
	if (u->email != NULL && (why = au_user_email_problem(u->email)) != NULL)
		return au_user_field_error(r, 400, "email", why);
	u->email_verified = au_api_bool(body, "emailVerified", false);
	u->first_name = (char *)au_api_str(body, "firstName");
	u->last_name = (char *)au_api_str(body, "lastName");
	if (u->first_name == NULL)
		u->first_name = "";
	if (u->last_name == NULL)
		u->last_name = "";
	u->enabled = au_api_bool(body, "enabled", true);
	if (au_user_attributes_or_respond(r, body, &u->attributes) != AU_OK)
		return AU_EINVAL;
	u->required_actions = au_user_actions_or_respond(r, body);
	if (u->required_actions == NULL)
		return AU_EINVAL;
	return username_policy_or_respond(r, db, realm, u, old);
}

struct save_args {
	struct au_req *r;
	struct au_user *u;
	bool insert;               /* else update */
	long long expected;        /* update: If-Match version, 0 = any */
	struct json_object *before;  /* update: the old representation */
	const char *dup_field;
};

/* The user row and its audit event, together. */
static int
save_tx(struct au_db *db, void *arg)
{
	struct save_args *x = arg;
	struct json_object *after;
	int rc;

	rc = x->insert ?
	    au_store_user_insert(db, x->r->arena, x->u, &x->dup_field) :
	    au_store_user_update(db, x->r->arena, x->u, x->expected,
	    &x->dup_field);
	if (rc != AU_OK)
		return rc;
	after = au_user_json(x->r, x->u);
	rc = au_api_changed(x->r, db, x->u->realm_uuid, x->insert ?
	    "user.create" : "user.update", "user", x->u->id, x->before, after);
	json_object_put(after);
	return rc;
}

static int
save_or_respond(struct au_db *db, struct save_args *x)
{
	int rc = au_db_tx(db, save_tx, x);

	if (rc == AU_EDUP && x->dup_field != NULL)
		return au_user_field_error(x->r, 409, x->dup_field, "is already "
		    "used by another user of the realm"), rc;
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, "The user"), rc;
	return AU_OK;
}

int
au_api_user_create_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *body,
    struct au_user **out)
{
	struct au_user *u = au_arena_calloc(r->arena, sizeof(*u));
	struct save_args x = { r, u, true, 0, NULL, NULL };
	int rc;

	if (au_api_check_or_respond(r, user_fields, COUNT(user_fields),
	    body) != AU_OK || check_user_values(r, db, realm, body, u, NULL) != AU_OK)
		return AU_EINVAL;
	u->realm_uuid = realm->id;
	rc = save_or_respond(db, &x);
	if (rc == AU_OK)
		*out = u;
	return rc;
}

int
au_api_user_create(struct au_req *r)
{
	struct json_object *body;
	struct au_realm *realm;
	struct au_user *u;
	struct au_db *db;

	if (au_api_body_or_respond(r, user_fields, COUNT(user_fields),
	    &body) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK ||
	    au_api_user_create_from(r, db, realm, body, &u) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Location", au_arena_printf(r->arena,
	    "%s/api/admin/realms/%s/users/%s", r->cfg->base_url,
	    realm->realm_id, u->id));
	au_api_etag(r, u->version);
	return au_resp_json(r, 201, au_user_json(r, u));
}

static bool
has_prefix_ci(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* ?username= or ?email=: an exact lookup (at most one user), the other
 * filters applied to what it found. */
static int
lookup_list(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    int offset)
{
	const char *username = au_req_query(r, "username");
	const char *email = au_req_query(r, "email");
	const char *q = au_req_query(r, "q");
	struct json_object *items;
	struct au_user *u = NULL;
	bool match;
	int rc;

	rc = username != NULL && *username != '\0' ?
	    au_store_user_find_by_username(db, r->arena, realm->id,
	    au_user_lower(r->arena, username), &u) :
	    au_store_user_find_by_email(db, r->arena, realm->id, email, &u);
	if (rc != AU_OK && rc != AU_ENOTFOUND)
		return au_api_store_error(r, rc, "The user list");
	match = rc == AU_OK && (email == NULL || *email == '\0' ||
	    (u->email != NULL && strcasecmp(u->email, email) == 0)) &&
	    (q == NULL || has_prefix_ci(u->username, q) ||
	    has_prefix_ci(u->email, q));
	items = json_object_new_array();
	if (match && offset == 0)
		json_object_array_add(items, au_user_json(r, u));
	return au_api_list(r, items, match ? 1 : 0);
}

int
au_api_user_list(struct au_req *r)
{
	const char *username = au_req_query(r, "username");
	const char *email = au_req_query(r, "email");
	struct au_realm *realm;
	struct json_object *arr;
	struct au_user *items;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_realm_or_respond(r, &db, &realm) != AU_OK)
		return AU_OK;
	if ((username != NULL && *username != '\0') ||
	    (email != NULL && *email != '\0'))
		return lookup_list(r, db, realm, offset);
	rc = au_store_user_list(db, r->arena, realm->id, au_req_query(r, "q"),
	    offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, au_user_json(r, &items[i]));
	return au_api_list(r, arr, total);
}

int
au_api_user_get(struct au_req *r)
{
	struct au_realm *realm;
	struct au_user *u;
	struct au_db *db;

	if (au_api_user_or_respond(r, &db, &realm, &u) != AU_OK)
		return AU_OK;
	au_api_etag(r, u->version);
	return au_resp_json(r, 200, au_user_json(r, u));
}

/* Replaces old's editable fields with the validated body (PUT, and PATCH
 * after merging) and answers with the new representation. */
static int
replace_user(struct au_req *r, struct au_db *db, const struct au_realm *realm,
    const struct au_user *old, struct json_object *body, long long expected)
{
	struct au_user u = *old, *fresh;
	struct save_args x = { r, &u, false, expected, NULL, NULL };
	int rc;

	if (check_user_values(r, db, realm, body, &u, old) != AU_OK)
		return AU_OK;
	x.before = au_user_json(r, old);
	au_api_own(r, x.before);
	u.version = old->version + 1;     /* as the event's "after" shows it */
	u.updated_at = au_time_now();
	if (save_or_respond(db, &x) != AU_OK)
		return AU_OK;
	rc = au_store_user_find(db, r->arena, realm->id, old->id, &fresh);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user");
	au_api_etag(r, fresh->version);
	return au_resp_json(r, 200, au_user_json(r, fresh));
}

int
au_api_user_update(struct au_req *r)
{
	struct json_object *body;
	struct au_realm *realm;
	struct au_user *old;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, user_fields, COUNT(user_fields),
	    &body) != AU_OK ||
	    au_api_user_or_respond(r, &db, &realm, &old) != AU_OK)
		return AU_OK;
	return replace_user(r, db, realm, old, body, expected);
}

int
au_api_user_patch(struct au_req *r)
{
	static const char *const computed[] = { "id", "version", "createdAt",
		"updatedAt", "locked", "passwordSet", NULL };
	struct json_object *patch, *merged;
	struct au_realm *realm;
	struct au_user *old;
	long long expected;
	struct au_db *db;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_patch_body_or_respond(r, &patch) != AU_OK ||
	    au_api_user_or_respond(r, &db, &realm, &old) != AU_OK ||
	    au_api_patched_or_respond(r, au_user_json(r, old), computed, patch,
	    user_fields, COUNT(user_fields), &merged) != AU_OK)
		return AU_OK;
	return replace_user(r, db, realm, old, merged, expected);
}

struct delete_args {
	struct au_req *r;
	const struct au_user *u;
	long long expected;
	struct json_object *before;
};

static int
delete_tx(struct au_db *db, void *arg)
{
	struct delete_args *d = arg;
	int rc;

	rc = au_store_user_delete(db, d->u->realm_uuid, d->u->id, d->expected);
	if (rc == AU_OK)
		rc = au_api_changed(d->r, db, d->u->realm_uuid, "user.delete",
		    "user", d->u->id, d->before, NULL);
	return rc;
}

int
au_api_user_delete(struct au_req *r)
{
	struct delete_args d = { r, NULL, 0, NULL };
	struct au_realm *realm;
	struct au_user *u;
	struct au_db *db;
	int rc;

	if (au_api_if_match_or_respond(r, &d.expected) != AU_OK ||
	    au_api_user_or_respond(r, &db, &realm, &u) != AU_OK)
		return AU_OK;
	if (d.expected != 0 && d.expected != u->version)
		return au_api_store_error(r, AU_ECONFLICT, "The user");
	d.u = u;
	d.before = au_user_json(r, u);
	au_api_own(r, d.before);
	rc = au_db_tx(db, delete_tx, &d);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user");
	return au_resp_empty(r, 204);
}
