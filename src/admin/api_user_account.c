/* api_user_account.c — setting a user's password, clearing a lockout,
 * listing and ending SSO sessions.
 *
 * The password is hashed before any transaction starts (scrypt takes
 * about 0.1 s and 32 MiB: no row lock is held meanwhile); its plain text
 * in the parsed body and in the raw request body is zeroed as soon as the
 * hash exists or the request is refused. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_user_account.h"
#include "admin/api_user_fields.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_password.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "app/app_ctx.h"
#include "store/store_policy.h"
#include "store/store_realm.h"
#include "store/store_settings.h"
#include "store/store_user.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct au_field password_fields[] = {
	/* 4 bytes per character at most; the character count is checked
	 * separately */
	{ "password", AU_F_STRING, true, AU_PASSWORD_MAX_CHARS * 4 },
	{ "temporary", AU_F_BOOL, false, 0 },
};

/* Zeroes the password wherever this request holds it. */
static void
forget_password(struct au_req *r, struct json_object *pw)
{
	if (pw != NULL)
		explicit_bzero((char *)json_object_get_string(pw),
		    (size_t)json_object_get_string_len(pw));
	if (r->body_len > 0)
		explicit_bzero((char *)r->body, r->body_len);
}

struct password_args {
	struct au_req *r;
	const struct au_user *u;
	const char *phc;
	bool temporary;
};

/* Reads the required actions under a row lock, so a concurrent update
 * cannot be lost, then writes hash and actions and the event. */
static int
password_tx(struct au_db *db, void *arg)
{
	struct password_args *x = arg;
	struct json_object *after;
	struct au_user *now;
	char *actions;
	int rc;

	rc = au_store_user_lock(db, x->r->arena, x->u->realm_uuid, x->u->id,
	    &now);
	if (rc != AU_OK)
		return rc;
	actions = x->temporary ?
	    au_str_words_with(x->r->arena, now->required_actions,
	    "UPDATE_PASSWORD") :
	    au_str_words_without(x->r->arena, now->required_actions,
	    "UPDATE_PASSWORD");
	rc = au_store_user_set_password(db, x->u->realm_uuid, x->u->id, x->phc,
	    actions);
	if (rc != AU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "passwordSet",
	    json_object_new_boolean(1));
	json_object_object_add(after, "temporary",
	    json_object_new_boolean(x->temporary));
	rc = au_api_changed(x->r, db, x->u->realm_uuid, "user.password", "user",
	    x->u->id, NULL, after);
	json_object_put(after);
	return rc;
}

int
au_api_violations(struct au_req *r, const char *field,
    const struct au_violation *v, int n)
{
	struct json_object *errors = json_object_new_array(), *e;
	int i;

	for (i = 0; i < n; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "field", json_object_new_string(field));
		json_object_object_add(e, "rule",
		    json_object_new_string(v[i].rule));
		json_object_object_add(e, "message",
		    json_object_new_string(v[i].message));
		json_object_array_add(errors, e);
	}
	au_resp_problem(r, 400, "Bad Request", au_arena_printf(r->arena,
	    "%s breaks %d rule%s of the realm's policy (%s%s)", field, n,
	    n == 1 ? "" : "s", v[0].rule, n > 1 ? ", ..." : ""), errors);
	return AU_EINVAL;
}

/* The password against the realm's policy; answers 400 listing every
 * rule it breaks.  *ln gets the realm's hashing cost. */
static int
policy_or_respond(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const struct au_user *u, const char *pw,
    int *ln)
{
	struct au_violation *viol;
	struct au_policies pol;
	char **hist = NULL;
	int n, nhist = 0, rc;

	rc = au_store_settings_policies(db, r->arena, realm->id, &pol, NULL);
	if (rc == AU_OK && pol.password.history > 0)
		rc = au_store_user_password_history(db, r->arena, u->id,
		    pol.password.history, &hist, &nhist);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm's policy"), rc;
	*ln = pol.hashing_cost;
	n = au_policy_password_check(r->arena, &pol.password,
	    au_req_ctx(r)->denylist, u->username, u->email, pw, hist, nhist,
	    &viol);
	if (n > 0)
		return au_api_violations(r, "password", viol, n);
	return AU_OK;
}

int
au_api_user_password(struct au_req *r)
{
	struct password_args x = { r, NULL, NULL, false };
	struct json_object *body, *pw = NULL;
	struct au_realm *realm;
	struct au_user *u;
	struct au_db *db;
	size_t chars;
	int rc, ln = AU_PASSWORD_DEFAULT_LN;

	if (au_api_body_or_respond(r, password_fields, COUNT(password_fields),
	    &body) != AU_OK)
		return forget_password(r, NULL), AU_OK;
	json_object_object_get_ex(body, "password", &pw);
	chars = au_utf8_chars(json_object_get_string(pw));
	if (chars == 0 || chars > AU_PASSWORD_MAX_CHARS) {
		forget_password(r, pw);
		au_user_field_error(r, 400, "password",
		    "must be 1 to 1024 characters long");
		return AU_OK;
	}
	if (au_api_user_or_respond(r, &db, &realm, &u) != AU_OK ||
	    policy_or_respond(r, db, realm, u, json_object_get_string(pw),
	    &ln) != AU_OK)
		return forget_password(r, pw), AU_OK;
	x.u = u;
	x.temporary = au_api_bool(body, "temporary", false);
	x.phc = au_password_hash(r->arena, json_object_get_string(pw), ln);
	forget_password(r, pw);
	if (x.phc == NULL)
		return au_resp_problem(r, 500, "Internal Server Error",
		    "The password could not be hashed.", NULL);
	rc = au_db_tx(db, password_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user");
	return au_resp_empty(r, 204);
}

struct hash_args {
	struct au_req *r;
	const struct au_user *u;
	const char *phc;
};

static int
hash_tx(struct au_db *db, void *arg)
{
	struct hash_args *x = arg;
	struct json_object *after;
	int rc;

	rc = au_store_user_set_password(db, x->u->realm_uuid, x->u->id, x->phc,
	    x->u->required_actions);
	if (rc != AU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "passwordSet", json_object_new_boolean(1));
	rc = au_api_changed(x->r, db, x->u->realm_uuid, "user.password", "user",
	    x->u->id, NULL, after);
	json_object_put(after);
	return rc;
}

int
au_api_user_password_hash_from(struct au_req *r, struct au_db *db,
    const struct au_user *u, struct json_object *phc)
{
	struct hash_args x = { r, u, NULL };
	int rc;

	if (!json_object_is_type(phc, json_type_string) ||
	    !au_password_hash_valid(json_object_get_string(phc)))
		return au_user_field_error(r, 400, "passwordHash", "must be a "
		    "password hash as authio stores it "
		    "($scrypt$ln=..,r=..,p=..$<salt>$<hash>)");
	x.phc = json_object_get_string(phc);
	rc = au_db_tx(db, hash_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user"), rc;
	return AU_OK;
}

struct state_args {
	struct au_req *r;
	const struct au_user *u;
	long long ended;           /* sessions ended */
};

static int
unlock_tx(struct au_db *db, void *arg)
{
	struct state_args *x = arg;
	struct json_object *before, *after;
	int rc;

	rc = au_store_user_unlock(db, x->u->realm_uuid, x->u->id);
	if (rc != AU_OK)
		return rc;
	before = json_object_new_object();
	json_object_object_add(before, "locked", json_object_new_boolean(
	    au_user_locked(x->u, au_time_now())));
	json_object_object_add(before, "failedLogins",
	    json_object_new_int64(x->u->failed_logins));
	after = json_object_new_object();
	json_object_object_add(after, "locked", json_object_new_boolean(0));
	json_object_object_add(after, "failedLogins", json_object_new_int64(0));
	rc = au_api_changed(x->r, db, x->u->realm_uuid, "user.unlock", "user",
	    x->u->id, before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

int
au_api_user_unlock(struct au_req *r)
{
	struct state_args x = { r, NULL, 0 };
	struct au_realm *realm;
	struct au_user *u;
	struct au_db *db;
	int rc;

	if (au_api_user_or_respond(r, &db, &realm, &u) != AU_OK)
		return AU_OK;
	x.u = u;
	rc = au_db_tx(db, unlock_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user");
	return au_resp_empty(r, 204);
}

static struct json_object *
session_json(struct au_req *r, const struct au_user_session *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "ip", json_object_new_string(s->ip));
	json_object_object_add(o, "userAgent",
	    json_object_new_string(s->user_agent));
	au_api_add_time(r, o, "startedAt", s->created_at);
	au_api_add_time(r, o, "lastSeenAt", s->last_seen_at);
	au_api_add_time(r, o, "expiresAt", s->expires_at);
	json_object_object_add(o, "rememberMe",
	    json_object_new_boolean(s->remember_me));
	return o;
}

int
au_api_user_sessions(struct au_req *r)
{
	struct au_user_session *items;
	struct au_realm *realm;
	struct json_object *arr;
	struct au_user *u;
	struct au_db *db;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    au_api_user_or_respond(r, &db, &realm, &u) != AU_OK)
		return AU_OK;
	rc = au_store_user_sessions(db, r->arena, u->id, au_time_now(), offset,
	    limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The session list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, session_json(r, &items[i]));
	return au_api_list(r, arr, total);
}

static int
end_tx(struct au_db *db, void *arg)
{
	struct state_args *x = arg;
	struct json_object *after;
	int rc;

	rc = au_store_user_end_sessions(db, x->u->id, au_time_now(), &x->ended);
	if (rc != AU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "sessionsEnded",
	    json_object_new_int64(x->ended));
	rc = au_api_changed(x->r, db, x->u->realm_uuid, "user.sessions.end",
	    "user", x->u->id, NULL, after);
	json_object_put(after);
	return rc;
}

int
au_api_user_sessions_end(struct au_req *r)
{
	struct state_args x = { r, NULL, 0 };
	struct au_realm *realm;
	struct au_user *u;
	struct au_db *db;
	int rc;

	if (au_api_user_or_respond(r, &db, &realm, &u) != AU_OK)
		return AU_OK;
	x.u = u;
	rc = au_db_tx(db, end_tx, &x);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The user");
	return au_resp_empty(r, 204);
}
