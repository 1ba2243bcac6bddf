/* api_user_fields.c — the user representation and the checks of its
 * fields.  Bodies reach these functions after au_api_check_or_respond(),
 * so types, lengths in bytes, control characters and UTF-8 validity are
 * already settled; what is left is the meaning of each value. */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_user_fields.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "store/store_realm.h"
#include "store/store_user.h"
#include "store/store_util.h"

#define MAX_ATTRIBUTES 100
#define MAX_ATTRIBUTE_NAME 255
#define MAX_ATTRIBUTE_VALUE 2000
#define MAX_ATTRIBUTE_VALUES 100
#define MAX_ATTRIBUTES_TEXT 60000     /* the column is a TEXT (64 KiB) */

static const char *const known_actions[] = { "UPDATE_PASSWORD",
	"VERIFY_EMAIL", "UPDATE_PROFILE", "CONFIGURE_TOTP", NULL };

/* The next code point of valid UTF-8 at *p; advances *p. */
static unsigned long
next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long c = *s++;
	int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (extra > 0)
		c &= 0x3fu >> extra;
	while (extra-- > 0 && (*s & 0xc0) == 0x80)
		c = c << 6 | (*s++ & 0x3f);
	*p = s;
	return c;
}

/* Space, C1 controls, no-break and typographic spaces, zero-width and
 * direction marks, line/paragraph separators, BOM: nothing a username or
 * an email may hide. */
static bool
is_blank(unsigned long c)
{
	return c == ' ' || (c >= 0x80 && c <= 0xa0) || c == 0xad ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200f) ||
	    (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f) ||
	    c == 0x3000 || c == 0xfeff;
}

static bool
has_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0')
		if (is_blank(next_cp(&p)))
			return true;
	return false;
}

int
au_user_field_error(struct au_req *r, int status, const char *field,
    const char *message)
{
	struct json_object *errors = json_object_new_array();
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_array_add(errors, e);
	au_resp_problem(r, status, au_http_reason(status), au_arena_printf(
	    r->arena, "%s %s", field, message), errors);
	return AU_EINVAL;
}

const char *
au_user_name_problem(const char *s)
{
	if (*s == '\0')
		return "must not be empty";
	if (has_blank(s))
		return "must not contain whitespace or invisible characters";
	return NULL;
}

const char *
au_user_email_problem(const char *s)
{
	const char *at = strchr(s, '@'), *domain;

	if (at == NULL || strchr(at + 1, '@') != NULL)
		return "must be an address like name@example.com with one @";
	domain = at + 1;
	if (at == s || *domain == '\0')
		return "needs a name before the @ and a domain after it";
	if (at - s > 64 || strlen(domain) > 255)
		return "has a part that is too long (64 before the @, 255 "
		    "after)";
	if (has_blank(s) || strpbrk(s, "()<>[]\\,;:\"") != NULL)
		return "must not contain whitespace or any of ()<>[]\\,;:\"";
	if (*domain == '.' || domain[strlen(domain) - 1] == '.' ||
	    strstr(domain, "..") != NULL)
		return "has a malformed domain";
	return NULL;
}

char *
au_user_lower(struct au_arena *a, const char *s)
{
	char *out = au_arena_strdup(a, s), *p;

	for (p = out; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

/* Why one attribute value is not acceptable, or NULL. */
static const char *
value_problem(struct json_object *v)
{
	const char *s;

	if (!json_object_is_type(v, json_type_string))
		return "must be a string or an array of strings";
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v) ||
	    !au_str_printable(s))
		return "must not contain control characters";
	if (au_utf8_chars(s) > MAX_ATTRIBUTE_VALUE)
		return "values must be at most 2000 characters";
	return NULL;
}

static const char *
attribute_problem(const char *name, struct json_object *v)
{
	const char *why = NULL;
	size_t i, n;

	if (*name == '\0' || au_utf8_chars(name) > MAX_ATTRIBUTE_NAME ||
	    !au_str_printable(name))
		return "names must be 1 to 255 characters without control "
		    "characters";
	if (!json_object_is_type(v, json_type_array))
		return value_problem(v);
	n = json_object_array_length(v);
	if (n > MAX_ATTRIBUTE_VALUES)
		return "may have at most 100 values";
	for (i = 0; why == NULL && i < n; i++)
		why = value_problem(json_object_array_get_idx(v, i));
	return why;
}

int
au_user_attributes_or_respond(struct au_req *r, struct json_object *body,
    char **text)
{
	struct json_object *o;
	const char *s;

	*text = NULL;
	if (!json_object_object_get_ex(body, "attributes", &o) ||
	    !json_object_is_type(o, json_type_object))
		return AU_OK;
	if (json_object_object_length(o) > MAX_ATTRIBUTES)
		return au_user_field_error(r, 400, "attributes",
		    "may have at most 100 names");
	json_object_object_foreach(o, name, val) {
		const char *why = attribute_problem(name, val);

		if (why == NULL)
			continue;
		/* quote the name only when it is short and printable */
		return au_user_field_error(r, 400, "attributes",
		    strlen(name) <= 64 && au_str_printable(name) ?
		    au_arena_printf(r->arena, "'%s': %s", name, why) : why);
	}
	if (json_object_object_length(o) == 0)
		return AU_OK;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (strlen(s) > MAX_ATTRIBUTES_TEXT)
		return au_user_field_error(r, 400, "attributes", "are too large "
		    "altogether (at most 60000 bytes as JSON)");
	*text = au_arena_strdup(r->arena, s);
	return AU_OK;
}

char *
au_user_actions_or_respond(struct au_req *r, struct json_object *body)
{
	char *list = "", **v;
	int n, i, k;

	v = au_api_strings(r, body, "requiredActions", &n);
	for (i = 0; i < n; i++) {
		for (k = 0; known_actions[k] != NULL; k++)
			if (strcmp(v[i], known_actions[k]) == 0)
				break;
		if (known_actions[k] == NULL) {
			au_user_field_error(r, 400, "requiredActions",
			    "must hold only UPDATE_PASSWORD, VERIFY_EMAIL, "
			    "UPDATE_PROFILE or CONFIGURE_TOTP");
			return NULL;
		}
		list = au_str_words_with(r->arena, list, v[i]);
	}
	return list;
}

static struct json_object *
words_json(struct au_arena *a, const char *list)
{
	struct json_object *arr = json_object_new_array();
	char *copy = au_arena_strdup(a, list != NULL ? list : ""), *tok, *save;

	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		json_object_array_add(arr, json_object_new_string(tok));
	return arr;
}

struct json_object *
au_user_json(struct au_req *r, const struct au_user *u)
{
	struct json_object *o = json_object_new_object(), *attrs = NULL;

	if (u->attributes != NULL)
		attrs = json_tokener_parse(u->attributes);
	if (attrs != NULL && !json_object_is_type(attrs, json_type_object)) {
		json_object_put(attrs);
		attrs = NULL;
	}
	json_object_object_add(o, "id", json_object_new_string(u->id));
	json_object_object_add(o, "username",
	    json_object_new_string(u->username));
	json_object_object_add(o, "email", u->email != NULL ?
	    json_object_new_string(u->email) : NULL);
	json_object_object_add(o, "emailVerified",
	    json_object_new_boolean(u->email_verified));
	json_object_object_add(o, "firstName",
	    json_object_new_string(u->first_name));
	json_object_object_add(o, "lastName",
	    json_object_new_string(u->last_name));
	json_object_object_add(o, "enabled",
	    json_object_new_boolean(u->enabled));
	json_object_object_add(o, "attributes", attrs != NULL ? attrs :
	    json_object_new_object());
	json_object_object_add(o, "requiredActions",
	    words_json(r->arena, u->required_actions));
	json_object_object_add(o, "locked",
	    json_object_new_boolean(au_user_locked(u, au_time_now())));
	json_object_object_add(o, "passwordSet",
	    json_object_new_boolean(u->password_set));
	json_object_object_add(o, "version", json_object_new_int64(u->version));
	au_api_add_time(r, o, "createdAt", u->created_at);
	au_api_add_time(r, o, "updatedAt", u->updated_at);
	return o;
}

int
au_api_user_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm, struct au_user **u)
{
	const char *id = au_req_param(r, "userId");
	int rc;

	if (id == NULL || !au_uuid_valid(id))
		return au_api_store_error(r, AU_ENOTFOUND, "The user"),
		    AU_ENOTFOUND;
	if (au_api_realm_or_respond(r, db, realm) != AU_OK)
		return AU_ENOTFOUND;
	rc = au_store_user_find(*db, r->arena, (*realm)->id, id, u);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, au_arena_printf(r->arena,
		    "User '%s'", id)), rc;
	return AU_OK;
}
