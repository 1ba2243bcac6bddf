/* api_common.c — validation, paging, ETags and errors of the admin API. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "store/store_realm.h"

static void
field_error(struct json_object *errors, const char *field, const char *msg)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_array_add(errors, e);
}

static const struct au_field *
find_field(const struct au_field *fields, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* Checks one string value; returns a complaint or NULL. */
static const char *
check_string(struct au_req *r, struct json_object *v, size_t max_len)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);

	if (strlen(s) != len || !au_str_printable(s))
		return "must not contain control characters";
	if (max_len > 0 && len > max_len)
		return au_arena_printf(r->arena, "must be at most %zu characters",
		    max_len);
	return NULL;
}

static const char *
check_value(struct au_req *r, const struct au_field *f, struct json_object *v)
{
	size_t i, len;

	switch (f->type) {
	case AU_F_STRING:
		if (!json_object_is_type(v, json_type_string))
			return "must be a string";
		return check_string(r, v, f->max_len);
	case AU_F_BOOL:
		return json_object_is_type(v, json_type_boolean) ? NULL :
		    "must be true or false";
	case AU_F_INT:
		return json_object_is_type(v, json_type_int) ? NULL :
		    "must be a whole number";
	case AU_F_OBJECT:
		return json_object_is_type(v, json_type_object) ? NULL :
		    "must be a JSON object";
	case AU_F_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return "must be an array";
		len = json_object_array_length(v);
		return f->max_len > 0 && len > f->max_len ? au_arena_printf(
		    r->arena, "must have at most %zu entries", f->max_len) : NULL;
	case AU_F_STRING_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return "must be an array of strings";
		len = json_object_array_length(v);
		if (f->max_len > 0 && len > f->max_len)
			return au_arena_printf(r->arena, "must have at most %zu "
			    "entries", f->max_len);
		for (i = 0; i < len; i++) {
			struct json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string))
				return "must be an array of strings";
			if (check_string(r, e, 2000) != NULL)
				return "has an invalid entry";
		}
		return NULL;
	}
	return "has an unsupported type";
}

int
au_api_body_or_respond(struct au_req *r, const struct au_field *fields,
    size_t n, struct json_object **body)
{
	struct json_object *o;

	if (au_req_json(r, &o) != AU_OK) {
		au_resp_problem(r, 400, "Invalid request body", r->error, NULL);
		return AU_EINVAL;
	}
	if (au_api_check_or_respond(r, fields, n, o) != AU_OK)
		return AU_EINVAL;
	*body = o;
	return AU_OK;
}

int
au_api_check_or_respond(struct au_req *r, const struct au_field *fields,
    size_t n, struct json_object *o)
{
	struct json_object *errors;
	size_t i;

	errors = json_object_new_array();
	json_object_object_foreach(o, key, val) {
		const struct au_field *f = find_field(fields, n, key);
		const char *why;

		if (f == NULL) {
			field_error(errors, key, "is not a known field");
			continue;
		}
		if (json_object_is_type(val, json_type_null) && !f->required)
			continue;
		if ((why = check_value(r, f, val)) != NULL)
			field_error(errors, key, why);
	}
	for (i = 0; i < n; i++) {
		struct json_object *v;

		if (fields[i].required && (!json_object_object_get_ex(o,
		    fields[i].name, &v) || json_object_is_type(v, json_type_null)))
			field_error(errors, fields[i].name, "is required");
	}
	if (json_object_array_length(errors) > 0) {
		struct json_object *first = json_object_array_get_idx(errors, 0);
		struct json_object *f, *m;

		json_object_object_get_ex(first, "field", &f);
		json_object_object_get_ex(first, "message", &m);
		au_resp_problem(r, 400, "Validation failed",
		    au_arena_printf(r->arena, "%s %s", json_object_get_string(f),
		    json_object_get_string(m)), errors);
		return AU_EINVAL;
	}
	json_object_put(errors);
	return AU_OK;
}

void
au_api_merge_patch(struct json_object *target, struct json_object *patch)
{
	json_object_object_foreach(patch, key, val) {
		struct json_object *cur;

		if (val == NULL || json_object_is_type(val, json_type_null)) {
			json_object_object_del(target, key);
		} else if (json_object_is_type(val, json_type_object)) {
			if (!json_object_object_get_ex(target, key, &cur) ||
			    !json_object_is_type(cur, json_type_object)) {
				cur = json_object_new_object();
				json_object_object_add(target, key, cur);
			}
			au_api_merge_patch(cur, val);
		} else {
			json_object_object_add(target, key, json_object_get(val));
		}
	}
}

static void
json_put(void *p)
{
	json_object_put(p);
}

void
au_api_own(struct au_req *r, struct json_object *o)
{
	au_arena_cleanup(r->arena, json_put, o);
}

const char *
au_api_str(struct json_object *body, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(body, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

bool
au_api_bool(struct json_object *body, const char *name, bool def)
{
	struct json_object *v;

	if (!json_object_object_get_ex(body, name, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return def;
	return json_object_get_boolean(v);
}

char **
au_api_strings(struct au_req *r, struct json_object *body, const char *name,
    int *n)
{
	struct json_object *v;
	char **out;
	size_t i, len;

	*n = 0;
	if (!json_object_object_get_ex(body, name, &v) ||
	    !json_object_is_type(v, json_type_array))
		return au_arena_calloc(r->arena, sizeof(char *));
	len = json_object_array_length(v);
	out = au_arena_calloc(r->arena, sizeof(char *) * (len + 1));
	for (i = 0; i < len; i++)
		out[i] = au_arena_strdup(r->arena, json_object_get_string(
		    json_object_array_get_idx(v, i)));
	*n = (int)len;
	return out;
}

static int
query_int_or_respond(struct au_req *r, const char *name, long long min,
    long long max, long long def, int *out)
{
	const char *s = au_req_query(r, name);
	long long v = def;

	if (s != NULL && au_str_to_ll(s, min, max, &v) != AU_OK) {
		au_resp_field_error(r, 400, name, au_arena_printf(r->arena,
		    "must be a whole number from %lld to %lld", min, max));
		return AU_EINVAL;
	}
	*out = (int)v;
	return AU_OK;
}

int
au_api_paging_or_respond(struct au_req *r, int *offset, int *limit)
{
	if (query_int_or_respond(r, "offset", 0, 1000000000, 0, offset) != AU_OK)
		return AU_EINVAL;
	return query_int_or_respond(r, "limit", 1, 500, 50, limit);
}

int
au_api_if_match_or_respond(struct au_req *r, long long *expected)
{
	const char *h = au_req_header(r, "if-match");
	char digits[24];
	size_t len;

	*expected = 0;
	if (h == NULL || strcmp(h, "*") == 0)
		return AU_OK;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	len = strlen(h);
	if (len >= 3 && len < sizeof(digits) + 2 && h[0] == '"' &&
	    h[len - 1] == '"') {
		memcpy(digits, h + 1, len - 2);
		digits[len - 2] = '\0';
		if (au_str_to_ll(digits, 1, 1LL << 40, expected) == AU_OK)
			return AU_OK;
	}
	au_resp_field_error(r, 400, "If-Match",
	    "must be the quoted version from the ETag header");
	return AU_EINVAL;
}

void
au_api_etag(struct au_req *r, long long version)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "\"%lld\"", version);
	au_resp_set_header(r, "ETag", buf);
}

int
au_api_field_error(struct au_req *r, const char *field, const char *message)
{
	struct json_object *errors = json_object_new_array();

	field_error(errors, field, message);
	au_resp_problem(r, 400, "Validation failed", au_arena_printf(r->arena,
	    "%s %s", field, message), errors);
	return AU_EINVAL;
}

int
au_api_store_error(struct au_req *r, int rc, const char *what)
{
	switch (rc) {
	case AU_ENOTFOUND:
		return au_resp_problem(r, 404, "Not Found", au_arena_printf(
		    r->arena, "%s does not exist.", what), NULL);
	case AU_EDUP:
		return au_resp_problem(r, 409, "Conflict", au_arena_printf(
		    r->arena, "%s already exists.", what), NULL);
	case AU_ECONFLICT:
		return au_resp_problem(r, 412, "Precondition Failed",
		    au_arena_printf(r->arena, "%s was changed by someone else; "
		    "read it again and retry.", what), NULL);
	case AU_EINVAL:
		return au_resp_problem(r, 400, "Bad Request", au_arena_printf(
		    r->arena, "The database refused a value of %s.", what), NULL);
	case AU_EDB:
		return au_resp_unavailable(r);
	}
	return rc;
}

int
au_api_list(struct au_req *r, struct json_object *items, long long total)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "items", items);
	json_object_object_add(o, "total", json_object_new_int64(total));
	return au_resp_json(r, 200, o);
}

int64_t
au_api_parse_time(const char *s)
{
	char buf[32];

	if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
		return -1;
	int64_t t;
	char back[32];
	time_t tt;
	struct tm tm;

	memcpy(buf, s, 19);
	buf[10] = ' ';
	buf[19] = '\0';
	t = au_time_parse_sql(buf);
	if (t < 0)
		return -1;
	/* a date that does not exist (month 13, 31 April) normalises to
	 * another one: only a round trip proves it valid */
	tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(back, sizeof(back), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strcmp(back, s) == 0 ? t : -1;
}

void
au_api_add_time(struct au_req *r, struct json_object *o, const char *name,
    int64_t t)
{
	json_object_object_add(o, name, t > 0 ?
	    json_object_new_string(au_time_rfc3339(r->arena, t)) : NULL);
}

/* Looks up the {realmId} of the path; answers 404/503 itself. */
int
au_api_realm_or_respond(struct au_req *r, struct au_db **db, struct au_realm **realm)
{
	const char *slug = au_req_param(r, "realmId");
	int rc;

	if (au_ctx_db(au_req_ctx(r), db) != AU_OK)
		return au_resp_unavailable(r), AU_EDB;
	rc = au_store_realm_find(*db, r->arena, slug, realm);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "Realm '%s'", slug)), rc;
	return AU_OK;
}

int
au_api_patch_body_or_respond(struct au_req *r, struct json_object **patch)
{
	if (au_req_json(r, patch) != AU_OK)
		return au_resp_problem(r, 400, "Invalid request body", r->error,
		    NULL), AU_EINVAL;
	return AU_OK;
}

int
au_api_patched_or_respond(struct au_req *r, struct json_object *current,
    const char *const *computed, struct json_object *patch,
    const struct au_field *fields, size_t n, struct json_object **merged)
{
	if (current == NULL)
		return AU_EINVAL;
	au_api_own(r, current);
	for (; *computed != NULL; computed++)
		json_object_object_del(current, *computed);
	au_api_merge_patch(current, patch);
	if (au_api_check_or_respond(r, fields, n, current) != AU_OK)
		return AU_EINVAL;
	*merged = current;
	return AU_OK;
}
