/* api_scope.c — realm and global scopes of the admin API (api_scope.h).
 *
 * A scope's claims say where each released claim comes from:
 *   {claim, source, value, inIdToken, inAccessToken, inUserinfo}
 * source "attribute" (value: a user attribute name), "property" (one of
 * the user's own fields), "roles" ("realm" or "client:<clientId>") or
 * "static" (value: the literal).  They are checked here and stored as
 * canonical JSON with every member present, so readers (discovery, the
 * token endpoint) never guess defaults. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_event.h"
#include "admin/api_scope.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "http/http_url.h"
#include "oauth/oauth_realm.h"
#include "store/store_realm.h"
#include "store/store_scope.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_CLAIMS 100
#define MAX_STATIC_VALUE 1000

static const struct au_field scope_fields[] = {
	{ "name", AU_F_STRING, true, 255 },
	{ "description", AU_F_STRING, false, 1000 },
	{ "includeInToken", AU_F_BOOL, false, 0 },
	{ "claims", AU_F_ARRAY, false, MAX_CLAIMS },
};

static const char *const builtin_scopes[] = { "openid", "profile", "email",
	"address", "phone", "offline_access", NULL };

static const char *const claim_sources[] = { "attribute", "property",
	"roles", "static", NULL };

static const char *const user_properties[] = { "username", "email",
	"emailVerified", "firstName", "lastName", "name", "updatedAt", NULL };

static const char *const claim_flags[] = { "inIdToken", "inAccessToken",
	"inUserinfo", NULL };

/* Claims the token endpoint sets itself: a scope (or, through an
 * attribute, a user) must never be able to supply them. */
static const char *const reserved_claims[] = { "iss", "sub", "aud", "exp",
	"nbf", "iat", "jti", "azp", "nonce", "auth_time", "at_hash", "c_hash",
	"s_hash", "acr", "amr", "sid", "scope", "client_id", "cnf", "act",
	"may_act", "typ", "realm_access", "resource_access", NULL };

static bool
one_of(const char *v, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

static int
bad(struct au_req *r, const char *field, const char *message)
{
	return au_api_field_error(r, field, message);
}

/* RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ).  The name is
 * also a path segment of this API, which never decodes "%2F": no '/'. */
static const char *
name_problem(const char *s)
{
	const unsigned char *c;

	if (*s == '\0')
		return "must not be empty";
	for (c = (const unsigned char *)s; *c != '\0'; c++)
		if (*c < 0x21 || *c > 0x7e || *c == '"' || *c == '\\')
			return "may hold only the characters of an OAuth scope "
			    "token: printable ASCII except space, '\"' and '\\'";
	if (strchr(s, '/') != NULL)
		return "must not contain '/' (the name is a path segment of the "
		    "admin API)";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "must not be \".\" or \"..\"";
	return NULL;
}

/* A claim name that needs no escaping anywhere it goes (JSON, headers,
 * logs): 1..255 printable ASCII characters but '"' and '\'. */
static const char *
claim_name_problem(const char *s)
{
	const unsigned char *c;

	if (*s == '\0' || strlen(s) > 255)
		return "must be 1 to 255 characters";
	for (c = (const unsigned char *)s; *c != '\0'; c++)
		if (*c < 0x21 || *c > 0x7e || *c == '"' || *c == '\\')
			return "may hold only printable ASCII characters except "
			    "space, '\"' and '\\'";
	if (one_of(s, reserved_claims))
		return "is set by the token endpoint itself and cannot come "
		    "from a scope";
	return NULL;
}

/* A string without NUL or control characters, at most max bytes. */
static const char *
text_problem(struct json_object *v, size_t min, size_t max)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);

	if (strlen(s) != len || !au_str_printable(s))
		return "must not contain control characters";
	if (len < min || len > max)
		return min > 0 ? "must be 1 to 255 characters" :
		    "must be at most 1000 characters";
	return NULL;
}

/* What value means for source; NULL when it is acceptable. */
static const char *
value_problem(const char *source, struct json_object *v)
{
	const char *s = json_object_get_string(v), *why;

	if ((why = text_problem(v, strcmp(source, "static") == 0 ? 0 : 1,
	    strcmp(source, "static") == 0 ? MAX_STATIC_VALUE : 255)) != NULL)
		return why;
	if (strcmp(source, "property") == 0 && !one_of(s, user_properties))
		return "must be a user property: username, email, emailVerified, "
		    "firstName, lastName, name or updatedAt";
	if (strcmp(source, "roles") == 0 && strcmp(s, "realm") != 0 &&
	    !(strncmp(s, "client:", 7) == 0 && s[7] != '\0'))
		return "must be \"realm\" or \"client:<clientId>\"";
	return NULL;
}

/* Checks claims[i] and appends its canonical form to out. */
static int
claim_or_respond(struct au_req *r, struct json_object *e, size_t i,
    struct json_object *out)
{
	const char *at = au_arena_printf(r->arena, "claims[%zu]", i);
	struct json_object *c, *claim, *source, *value, *flag;
	const char *why;
	int k;

	if (!json_object_is_type(e, json_type_object))
		return bad(r, at, "must be an object {claim, source, value, "
		    "inIdToken, inAccessToken, inUserinfo}");
	json_object_object_foreach(e, key, val) {
		(void)val;
		if (strcmp(key, "claim") != 0 && strcmp(key, "source") != 0 &&
		    strcmp(key, "value") != 0 && !one_of(key, claim_flags))
			return bad(r, au_arena_printf(r->arena, "%s.%.100s", at,
			    key), "is not a known field");
	}
	if (!json_object_object_get_ex(e, "claim", &claim) ||
	    !json_object_is_type(claim, json_type_string))
		return bad(r, au_arena_printf(r->arena, "%s.claim", at),
		    "is required: the claim's name in tokens");
	if ((why = text_problem(claim, 1, 255)) != NULL ||
	    (why = claim_name_problem(json_object_get_string(claim))) != NULL)
		return bad(r, au_arena_printf(r->arena, "%s.claim", at), why);
	if (!json_object_object_get_ex(e, "source", &source) ||
	    !json_object_is_type(source, json_type_string) ||
	    !one_of(json_object_get_string(source), claim_sources))
		return bad(r, au_arena_printf(r->arena, "%s.source", at),
		    "must be \"attribute\", \"property\", \"roles\" or \"static\"");
	if (!json_object_object_get_ex(e, "value", &value) ||
	    !json_object_is_type(value, json_type_string))
		return bad(r, au_arena_printf(r->arena, "%s.value", at),
		    "is required (a string)");
	if ((why = value_problem(json_object_get_string(source), value)) != NULL)
		return bad(r, au_arena_printf(r->arena, "%s.value", at), why);
	c = json_object_new_object();
	json_object_array_add(out, c);
	json_object_object_add(c, "claim", json_object_get(claim));
	json_object_object_add(c, "source", json_object_get(source));
	json_object_object_add(c, "value", json_object_get(value));
	for (k = 0; claim_flags[k] != NULL; k++) {
		if (json_object_object_get_ex(e, claim_flags[k], &flag) &&
		    !json_object_is_type(flag, json_type_boolean))
			return bad(r, au_arena_printf(r->arena, "%s.%s", at,
			    claim_flags[k]), "must be true or false");
		json_object_object_add(c, claim_flags[k],
		    json_object_new_boolean(au_api_bool(e, claim_flags[k], true)));
	}
	return AU_OK;
}

/* The claims array: every element checked, no claim named twice. */
static int
claims_or_respond(struct au_req *r, struct json_object *body, char **out)
{
	struct json_object *arr, *canon;
	size_t i, j, n;
	int rc = AU_OK;

	*out = "[]";
	if (!json_object_object_get_ex(body, "claims", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return AU_OK;
	canon = json_object_new_array();
	au_api_own(r, canon);
	n = json_object_array_length(arr);
	for (i = 0; i < n && rc == AU_OK; i++)
		rc = claim_or_respond(r, json_object_array_get_idx(arr, i), i,
		    canon);
	for (i = 0; i < n && rc == AU_OK; i++) {
		const char *a = au_api_str(json_object_array_get_idx(canon, i),
		    "claim");

		for (j = 0; j < i && rc == AU_OK; j++)
			if (strcmp(a, au_api_str(json_object_array_get_idx(canon,
			    j), "claim")) == 0)
				rc = bad(r, au_arena_printf(r->arena,
				    "claims[%zu].claim", i), au_arena_printf(r->arena,
				    "duplicates claims[%zu]", j));
	}
	if (rc == AU_OK)
		*out = au_arena_strdup(r->arena, json_object_to_json_string_ext(
		    canon, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return rc;
}

static int
check_scope_values(struct au_req *r, struct json_object *body,
    struct au_scope *s)
{
	const char *why;

	s->name = (char *)au_api_str(body, "name");
	if ((why = name_problem(s->name)) != NULL)
		return bad(r, "name", why);
	s->description = (char *)au_api_str(body, "description");
	if (s->description == NULL)
		s->description = "";
	s->include_in_token = au_api_bool(body, "includeInToken", true);
	return claims_or_respond(r, body, &s->claims);
}

static struct json_object *
scope_json(struct au_req *r, const struct au_scope *s)
{
	struct json_object *o = json_object_new_object(), *claims;

	claims = json_tokener_parse(s->claims);
	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "description",
	    json_object_new_string(s->description));
	json_object_object_add(o, "includeInToken",
	    json_object_new_boolean(s->include_in_token));
	json_object_object_add(o, "claims", claims != NULL ? claims :
	    json_object_new_array());
	json_object_object_add(o, "global",
	    json_object_new_boolean(s->realm_uuid == NULL));
	json_object_object_add(o, "version", json_object_new_int64(s->version));
	au_api_add_time(r, o, "createdAt", s->created_at);
	au_api_add_time(r, o, "updatedAt", s->updated_at);
	return o;
}

struct json_object *
au_api_scope_json(struct au_req *r, const struct au_scope *s)
{
	return scope_json(r, s);
}

/* Whose scopes the path names. */
struct owner {
	struct au_db *db;
	struct au_realm *realm;    /* NULL: global scopes */
	const char *realm_uuid;    /* NULL: global scopes */
	const char *event_realm;   /* where changes are recorded */
};

/* The realm of the path, or for global scopes the master realm (which
 * records their events).  Answers 404 / 503 itself. */
static int
owner_or_respond(struct au_req *r, struct owner *o)
{
	struct au_realm *master;
	int rc;

	memset(o, 0, sizeof(*o));
	if (au_req_param(r, "realmId") != NULL) {
		if (au_api_realm_or_respond(r, &o->db, &o->realm) != AU_OK)
			return AU_ENOTFOUND;
		o->realm_uuid = o->event_realm = o->realm->id;
		return AU_OK;
	}
	if (au_ctx_db(au_req_ctx(r), &o->db) != AU_OK)
		return au_resp_unavailable(r), AU_EDB;
	rc = au_store_realm_find(o->db, r->arena, "master", &master);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The master realm"), rc;
	o->event_realm = master->id;
	return AU_OK;
}

static const char *
what(struct au_req *r, const struct owner *o, const char *name)
{
	return au_arena_printf(r->arena, "%s scope '%.255s'", o->realm != NULL ?
	    "Realm" : "Global", name);
}

/* The scope named by the path; answers 404 / 503 itself. */
static int
scope_or_respond(struct au_req *r, struct owner *o, struct au_scope **s)
{
	const char *name = au_req_param(r, "scopeName");
	int rc;

	if (owner_or_respond(r, o) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_scope_find(o->db, r->arena, o->realm_uuid, name, s);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, what(r, o, name)), rc;
	return AU_OK;
}

/* After a change every worker must notice: au_api_changed bumps the
 * realm that records it, which covers a realm's own scopes; global
 * scopes are part of every realm's configuration (discovery, tokens). */
static int
touch(struct au_db *db, const struct owner *o)
{
	return o->realm != NULL ? AU_OK : au_store_realm_touch_all(db);
}

/* Answers with the scope as stored now. */
static int
respond_fresh(struct au_req *r, const struct owner *o, const char *name,
    int status)
{
	struct au_scope *s;
	int rc;

	if (o->realm != NULL)
		au_realm_forget(r, o->realm->realm_id);
	rc = au_store_scope_find(o->db, r->arena, o->realm_uuid, name, &s);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, what(r, o, name));
	au_api_etag(r, s->version);
	return au_resp_json(r, status, scope_json(r, s));
}

struct change {
	struct au_req *r;
	const struct owner *o;
	struct au_scope *s;
	const char *type;          /* scope.create / update / delete */
	long long expected;
	struct json_object *before;
	bool shadow;               /* create: the name is taken elsewhere */
};

/* One change, the version bumps and its event, in one transaction. */
static int
change_tx(struct au_db *db, void *arg)
{
	struct change *x = arg;
	struct json_object *after = NULL;
	int rc;

	if (strcmp(x->type, "scope.create") == 0)
		rc = au_store_scope_insert(db, x->r->arena, x->s, &x->shadow);
	else if (strcmp(x->type, "scope.update") == 0)
		rc = au_store_scope_update(db, x->s, x->expected);
	else
		rc = au_store_scope_delete(db, x->o->realm_uuid, x->s->name,
		    x->expected);
	if (rc == AU_OK)
		rc = touch(db, x->o);
	if (rc == AU_OK && strcmp(x->type, "scope.delete") != 0) {
		after = scope_json(x->r, x->s);
		au_api_own(x->r, after);
	}
	if (rc == AU_OK)
		rc = au_api_changed(x->r, db, x->o->event_realm, x->type, "scope",
		    x->s->name, x->before, after);
	return rc;
}

static int
change_or_respond(struct change *x)
{
	int rc = au_db_tx(x->o->db, change_tx, x);

	if (rc == AU_EDUP && x->shadow)
		return au_resp_problem(x->r, 409, "Conflict", au_arena_printf(
		    x->r->arena, x->o->realm != NULL ? "A global scope named "
		    "'%.255s' exists; a realm scope cannot shadow it." : "A realm "
		    "scope named '%.255s' exists; a global scope cannot shadow "
		    "it.", x->s->name), NULL), rc;
	if (rc != AU_OK)
		return au_api_store_error(x->r, rc, what(x->r, x->o,
		    x->s->name)), rc;
	return AU_OK;
}

/* Checks a create body and stores the scope for owner o; AU_OK, or the
 * error has been answered. */
static int
create_in(struct au_req *r, const struct owner *o, struct json_object *body,
    struct au_scope *s)
{
	struct change x = { 0 };

	if (au_api_check_or_respond(r, scope_fields, COUNT(scope_fields),
	    body) != AU_OK || check_scope_values(r, body, s) != AU_OK)
		return AU_EINVAL;
	s->realm_uuid = (char *)o->realm_uuid;
	x.r = r;
	x.o = o;
	x.s = s;
	x.type = "scope.create";
	return change_or_respond(&x);
}

int
au_api_scope_create_from(struct au_req *r, struct au_db *db,
    struct au_realm *realm, struct json_object *body)
{
	struct au_scope s = { 0 };
	struct owner o = { db, realm, realm->id, realm->id };

	return create_in(r, &o, body, &s);
}

int
au_api_scope_create(struct au_req *r)
{
	struct au_scope s = { 0 };
	struct json_object *body;
	struct owner o;

	if (au_api_body_or_respond(r, scope_fields, COUNT(scope_fields),
	    &body) != AU_OK || owner_or_respond(r, &o) != AU_OK ||
	    create_in(r, &o, body, &s) != AU_OK)
		return AU_OK;
	au_resp_set_header(r, "Location", o.realm != NULL ?
	    au_arena_printf(r->arena, "%s/api/admin/realms/%s/scopes/%s",
	    r->cfg->base_url, o.realm->realm_id, au_url_encode(r->arena,
	    s.name)) : au_arena_printf(r->arena, "%s/api/admin/scopes/%s",
	    r->cfg->base_url, au_url_encode(r->arena, s.name)));
	return respond_fresh(r, &o, s.name, 201);
}

int
au_api_scope_list(struct au_req *r)
{
	struct au_scope *items;
	struct json_object *arr;
	struct owner o;
	long long total;
	int offset, limit, n, i, rc;

	if (au_api_paging_or_respond(r, &offset, &limit) != AU_OK ||
	    owner_or_respond(r, &o) != AU_OK)
		return AU_OK;
	rc = au_store_scope_list(o.db, r->arena, o.realm_uuid,
	    au_req_query(r, "q"), offset, limit, &items, &n, &total);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The scope list");
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, scope_json(r, &items[i]));
	return au_api_list(r, arr, total);
}

int
au_api_scope_get(struct au_req *r)
{
	struct au_scope *s;
	struct owner o;

	if (scope_or_respond(r, &o, &s) != AU_OK)
		return AU_OK;
	au_api_etag(r, s->version);
	return au_resp_json(r, 200, scope_json(r, s));
}

/* PUT, and PATCH after merging: old's editable fields from body. */
static int
replace_scope(struct au_req *r, struct owner *o, const struct au_scope *old,
    struct json_object *body, long long expected)
{
	struct au_scope s = { 0 };
	struct change x = { 0 };

	if (check_scope_values(r, body, &s) != AU_OK)
		return AU_OK;
	if (strcmp(s.name, old->name) != 0)
		return bad(r, "name", "cannot be changed (it must match the URL)"),
		    AU_OK;
	s.id = old->id;
	s.realm_uuid = old->realm_uuid;
	s.version = old->version + 1;
	s.created_at = old->created_at;
	s.updated_at = au_time_now();
	x.r = r;
	x.o = o;
	x.s = &s;
	x.type = "scope.update";
	x.expected = expected;
	x.before = scope_json(r, old);
	au_api_own(r, x.before);
	if (change_or_respond(&x) != AU_OK)
		return AU_OK;
	return respond_fresh(r, o, s.name, 200);
}

int
au_api_scope_update(struct au_req *r)
{
	struct json_object *body;
	struct au_scope *old;
	long long expected;
	struct owner o;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_body_or_respond(r, scope_fields, COUNT(scope_fields),
	    &body) != AU_OK || scope_or_respond(r, &o, &old) != AU_OK)
		return AU_OK;
	return replace_scope(r, &o, old, body, expected);
}

int
au_api_scope_patch(struct au_req *r)
{
	static const char *const computed[] = { "id", "global", "version",
		"createdAt", "updatedAt", NULL };
	struct json_object *patch, *merged;
	struct au_scope *old;
	long long expected;
	struct owner o;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    au_api_patch_body_or_respond(r, &patch) != AU_OK ||
	    scope_or_respond(r, &o, &old) != AU_OK ||
	    au_api_patched_or_respond(r, scope_json(r, old), computed, patch,
	    scope_fields, COUNT(scope_fields), &merged) != AU_OK)
		return AU_OK;
	return replace_scope(r, &o, old, merged, expected);
}

int
au_api_scope_delete(struct au_req *r)
{
	struct change x = { 0 };
	struct au_scope *s;
	long long expected;
	struct owner o;

	if (au_api_if_match_or_respond(r, &expected) != AU_OK ||
	    scope_or_respond(r, &o, &s) != AU_OK)
		return AU_OK;
	if (o.realm == NULL && one_of(s->name, builtin_scopes))
		return au_resp_problem(r, 409, "Conflict", au_arena_printf(
		    r->arena, "'%s' is a built-in global scope: it can be edited "
		    "but not deleted.", s->name), NULL);
	x.r = r;
	x.o = &o;
	x.s = s;
	x.type = "scope.delete";
	x.expected = expected;
	x.before = scope_json(r, s);
	au_api_own(r, x.before);
	if (change_or_respond(&x) != AU_OK)
		return AU_OK;
	if (o.realm != NULL)
		au_realm_forget(r, o.realm->realm_id);
	return au_resp_empty(r, 204);
}
