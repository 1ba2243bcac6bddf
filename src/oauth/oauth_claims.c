/* oauth_claims.c — the claims about a user that scopes release (see
 * oauth_claims.h).
 *
 * The scopes' mappings come from the realm view (validated and
 * canonical: api_scope.c stores every member), parsed here per granted
 * scope; the user's attributes are parsed once, and only when a mapping
 * reads them; effective roles are read only when a mapping releases
 * roles and the caller has none at hand. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "oauth/oauth_claims.h"
#include "oauth/oauth_realm.h"
#include "store/store_role.h"
#include "store/store_user.h"

const char *const au_profile_attribute_claims[] = { "middle_name",
	"nickname", "profile", "picture", "website", "gender", "birthdate",
	"zoneinfo", "locale", NULL };

/* What one call works with: the user, their attributes and roles, read
 * at most once each. */
struct source {
	struct au_req *r;
	const struct au_user *u;
	struct json_object *attrs;       /* parsed attributes, or NULL */
	bool attrs_read;
	const struct au_role_set *roles; /* NULL until needed */
};

static void
json_put(void *p)
{
	json_object_put(p);
}

/* Parses s (trusted JSON text written by the admin API) into an object
 * owned by the request's arena; NULL when it does not parse. */
static struct json_object *
parse_owned(struct au_req *r, const char *s)
{
	struct json_object *o;

	if (s == NULL || (o = json_tokener_parse(s)) == NULL)
		return NULL;
	au_arena_cleanup(r->arena, json_put, o);
	return o;
}

static const struct au_scope *
find_scope(const struct au_realm_view *v, const char *name)
{
	int i;

	for (i = 0; i < v->nscopes; i++)
		if (strcmp(v->scopes[i].name, name) == 0)
			return &v->scopes[i];
	return NULL;
}

static struct json_object *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? json_object_new_string(s) : NULL;
}

/* The value of a user property (names as the admin API spells them). */
static struct json_object *
property(struct source *s, const char *name)
{
	const struct au_user *u = s->u;
	const char *first = u->first_name != NULL ? u->first_name : "";
	const char *last = u->last_name != NULL ? u->last_name : "";

	if (strcmp(name, "username") == 0)
		return nonempty(u->username);
	if (strcmp(name, "email") == 0)
		return nonempty(u->email);
	if (strcmp(name, "emailVerified") == 0)
		return u->email != NULL && *u->email != '\0' ?
		    json_object_new_boolean(u->email_verified) : NULL;
	if (strcmp(name, "firstName") == 0)
		return nonempty(first);
	if (strcmp(name, "lastName") == 0)
		return nonempty(last);
	if (strcmp(name, "name") == 0)
		return nonempty(au_arena_printf(s->r->arena, "%s%s%s", first,
		    *first != '\0' && *last != '\0' ? " " : "", last));
	if (strcmp(name, "updatedAt") == 0)
		return u->updated_at > 0 ?
		    json_object_new_int64(u->updated_at) : NULL;
	return NULL;
}

/* The attribute name of the user: a string for one value, an array for
 * several; NULL when the user has none. */
static struct json_object *
attribute(struct source *s, const char *claim, const char *name)
{
	struct json_object *val, *one;
	const char *str;
	size_t n;

	if (!s->attrs_read) {
		s->attrs = parse_owned(s->r, s->u->attributes);
		s->attrs_read = true;
	}
	if (s->attrs == NULL ||
	    !json_object_is_type(s->attrs, json_type_object) ||
	    !json_object_object_get_ex(s->attrs, name, &val))
		return NULL;
	one = val;
	if (json_object_is_type(val, json_type_array)) {
		n = json_object_array_length(val);
		if (n == 0)
			return NULL;
		if (n > 1)
			return json_object_get(val);
		one = json_object_array_get_idx(val, 0);
	}
	if (!json_object_is_type(one, json_type_string))
		return NULL;
	str = json_object_get_string(one);
	if (strcmp(claim, "phone_number_verified") == 0 &&
	    (strcmp(str, "true") == 0 || strcmp(str, "false") == 0))
		return json_object_new_boolean(strcmp(str, "true") == 0);
	return nonempty(str);
}

static void
add_names(struct json_object *a, char **names, int n)
{
	int i, j;
	bool seen;

	for (i = 0; i < n; i++) {
		seen = false;
		for (j = 0; !seen && (size_t)j < json_object_array_length(a);
		    j++)
			seen = strcmp(json_object_get_string(
			    json_object_array_get_idx(a, j)), names[i]) == 0;
		if (!seen)
			json_object_array_add(a, json_object_new_string(names[i]));
	}
}

/* "realm": realm and global roles; "client:<clientId>": that client's. */
static int
role_claim(struct source *s, const char *which, struct json_object **out)
{
	const struct au_role_set *rs;
	struct au_role_set *loaded;
	struct json_object *a;
	struct au_db *db;
	int i, rc;

	if (s->roles == NULL) {
		loaded = au_arena_calloc(s->r->arena, sizeof(*loaded));
		rc = au_ctx_db(au_req_ctx(s->r), &db);
		if (rc == AU_OK)
			rc = au_store_role_effective(db, s->r->arena, "user",
			    s->u->id, loaded);
		if (rc != AU_OK)
			return AU_EDB;
		s->roles = loaded;
	}
	rs = s->roles;
	a = json_object_new_array();
	if (strcmp(which, "realm") == 0) {
		add_names(a, rs->realm, rs->nrealm);
		add_names(a, rs->global, rs->nglobal);
	} else if (strncmp(which, "client:", 7) == 0) {
		for (i = 0; i < rs->nclients; i++)
			if (strcmp(rs->clients[i].client_id, which + 7) == 0)
				add_names(a, rs->clients[i].names,
				    rs->clients[i].n);
	}
	if (json_object_array_length(a) == 0) {
		json_object_put(a);
		a = NULL;
	}
	*out = a;
	return AU_OK;
}

static bool
flag(struct json_object *m, enum au_claims_dest dest)
{
	struct json_object *f;

	if (!json_object_object_get_ex(m, dest == AU_CLAIMS_ID_TOKEN ?
	    "inIdToken" : "inUserinfo", &f))
		return true;       /* the admin API's default */
	return json_object_get_boolean(f);
}

static const char *
member(struct json_object *m, const char *name)
{
	struct json_object *f;

	if (!json_object_object_get_ex(m, name, &f) ||
	    !json_object_is_type(f, json_type_string))
		return NULL;
	return json_object_get_string(f);
}

/* Adds the claim one mapping m releases, unless o has it already. */
static int
map_claim(struct source *s, struct json_object *m, struct json_object *o)
{
	const char *claim = member(m, "claim"), *src = member(m, "source");
	const char *value = member(m, "value");
	struct json_object *val = NULL;
	int rc = AU_OK;

	if (claim == NULL || src == NULL || value == NULL ||
	    json_object_object_get_ex(o, claim, NULL))
		return AU_OK;
	if (strcmp(src, "property") == 0)
		val = property(s, value);
	else if (strcmp(src, "attribute") == 0)
		val = attribute(s, claim, value);
	else if (strcmp(src, "roles") == 0)
		rc = role_claim(s, value, &val);
	else if (strcmp(src, "static") == 0)
		val = json_object_new_string(value);
	if (val != NULL)
		json_object_object_add(o, claim, val);
	return rc;
}

static int
scope_claims(struct source *s, const struct au_scope *sc,
    enum au_claims_dest dest, struct json_object *o)
{
	struct json_object *list, *m, *val;
	size_t i;
	int rc;

	list = parse_owned(s->r, sc->claims);
	for (i = 0; list != NULL && json_object_is_type(list,
	    json_type_array) && i < json_object_array_length(list); i++) {
		m = json_object_array_get_idx(list, i);
		if (!json_object_is_type(m, json_type_object) || !flag(m, dest))
			continue;
		if ((rc = map_claim(s, m, o)) != AU_OK)
			return rc;
	}
	/* names are unique across owners: this is the global scope */
	if (strcmp(sc->name, "profile") != 0)
		return AU_OK;
	for (i = 0; au_profile_attribute_claims[i] != NULL; i++)
		if (!json_object_object_get_ex(o, au_profile_attribute_claims[i], NULL) &&
		    (val = attribute(s, au_profile_attribute_claims[i],
		    au_profile_attribute_claims[i])) != NULL)
			json_object_object_add(o, au_profile_attribute_claims[i], val);
	return AU_OK;
}

int
au_oauth_user_claims(struct au_req *r, const struct au_realm_view *v,
    const struct au_user *u, const char *scope, enum au_claims_dest dest,
    const struct au_role_set *roles, struct json_object *o)
{
	struct source s = { r, u, NULL, false, roles };
	const struct au_scope *sc;
	char *copy, *tok, *save = NULL;
	int rc;

	if (scope == NULL)
		return AU_OK;
	copy = au_arena_strdup(r->arena, scope);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if ((sc = find_scope(v, tok)) == NULL)
			continue;
		if ((rc = scope_claims(&s, sc, dest, o)) != AU_OK)
			return rc;
	}
	return AU_OK;
}
