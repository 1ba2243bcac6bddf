/* api_user_fields.h — what the user handlers share: the representation of
 * a user, the checks of its fields, and finding the user of the path. */
#ifndef AU_API_USER_FIELDS_H
#define AU_API_USER_FIELDS_H

#include <stddef.h>

struct au_arena;
struct au_db;
struct au_realm;
struct au_req;
struct au_user;
struct json_object;

/* The API representation (never the password or its hash).  New object,
 * owned by the caller. */
struct json_object *au_user_json(struct au_req *r, const struct au_user *u);

/* The realm and user named by the path's {realmId} and {userId}; a
 * malformed id is 404 without a query.  AU_OK; otherwise 404 or 503 has
 * been answered. */
int au_api_user_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm, struct au_user **u);

/* Why a username or an email is not acceptable, or NULL when it is.  A
 * username is non-empty without whitespace or invisible characters; an
 * email is an addr-spec in outline: one @, a local part of at most 64
 * and a dotted domain of at most 255 characters, no whitespace. */
const char *au_user_name_problem(const char *s);
const char *au_user_email_problem(const char *s);
/* s with ASCII letters lower-cased, in the arena. */
char *au_user_lower(struct au_arena *a, const char *s);

/* body's "attributes" (string -> string or array of strings, bounded in
 * names, lengths and total size) as canonical JSON text in *text, NULL
 * when absent or empty.  AU_OK, or 400 answered. */
int au_user_attributes_or_respond(struct au_req *r, struct json_object *body,
    char **text);
/* body's "requiredActions" as a space-separated list without duplicates
 * ("" when absent); NULL after answering 400 for an unknown action. */
char *au_user_actions_or_respond(struct au_req *r, struct json_object *body);

/* A problem naming one field: errors:[{field, message}], and the detail
 * "<field> <message>" as au_api_check_or_respond words it.  Returns
 * AU_EINVAL (the caller answers nothing more). */
int au_user_field_error(struct au_req *r, int status, const char *field,
    const char *message);

#endif
