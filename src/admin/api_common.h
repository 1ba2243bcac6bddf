/* api_common.h — what every admin REST handler shares: reading and
 * validating JSON bodies, paging, ETags, and mapping store results to
 * problem responses.
 *
 * Functions named *_or_respond write the error response themselves and
 * return non-AU_OK; the handler then just returns AU_OK. */
#ifndef AU_API_COMMON_H
#define AU_API_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct au_req;
struct json_object;

/* AU_F_ARRAY: any array of at most max_len elements; the handler checks
 * the elements (and names them field[i] in its errors). */
enum au_field_type { AU_F_STRING, AU_F_BOOL, AU_F_STRING_ARRAY, AU_F_INT,
	AU_F_OBJECT, AU_F_ARRAY };

struct au_field {
	const char *name;
	enum au_field_type type;
	bool required;
	size_t max_len;       /* strings: bytes; arrays: elements */
};

/* Parses the JSON body and checks it against fields[0..n): unknown
 * members, missing required ones, wrong types, over-long strings and
 * control characters are all reported at once in errors[]. */
int au_api_body_or_respond(struct au_req *r, const struct au_field *fields,
    size_t n, struct json_object **body);

/* Checks an object already parsed (e.g. a merged PATCH) the same way. */
int au_api_check_or_respond(struct au_req *r, const struct au_field *fields,
    size_t n, struct json_object *o);
/* Applies an RFC 7396 JSON merge patch to target in place: members whose
 * patch value is null are removed, objects merge recursively, anything
 * else replaces. */
void au_api_merge_patch(struct json_object *target, struct json_object *patch);

/* PATCH, in two steps around the handler's own lookup (so a bad body is a
 * 400 before an unknown resource is a 404):
 * the merge-patch body (400 unless it is a JSON object), then the patched
 * representation: current (taken over; NULL = already answered) without
 * its computed members (computed[], NULL-terminated), with patch merged in
 * per RFC 7396, validated against fields like a PUT body. */
int au_api_patch_body_or_respond(struct au_req *r, struct json_object **patch);
int au_api_patched_or_respond(struct au_req *r, struct json_object *current,
    const char *const *computed, struct json_object *patch,
    const struct au_field *fields, size_t n, struct json_object **merged);

/* Hands a json-c object to the request: it is released at arena reset. */
void au_api_own(struct au_req *r, struct json_object *o);

/* Member accessors on a validated body (NULL / def when absent). */
const char *au_api_str(struct json_object *body, const char *name);
bool au_api_bool(struct json_object *body, const char *name, bool def);
/* Array of strings into the arena; *n = 0 when absent. */
char **au_api_strings(struct au_req *r, struct json_object *body,
    const char *name, int *n);

/* ?offset=&limit= (defaults 0 and 50, limit 1..500). */
int au_api_paging_or_respond(struct au_req *r, int *offset, int *limit);

/* If-Match: AU_OK with *expected (0 when absent or "*"); 400 when it is
 * not a quoted version. */
int au_api_if_match_or_respond(struct au_req *r, long long *expected);
/* ETag: "<version>". */
void au_api_etag(struct au_req *r, long long version);

/* 400 with errors:[{field, message}] and detail "<field> <message>" (as
 * au_api_check_or_respond words it).  Returns AU_EINVAL, for the caller
 * to pass up. */
int au_api_field_error(struct au_req *r, const char *field,
    const char *message);

/* Answers a failed store call: AU_ENOTFOUND 404 (what), AU_EDUP 409,
 * AU_ECONFLICT 412, AU_EINVAL 400, AU_EDB 503, else 500. */
int au_api_store_error(struct au_req *r, int rc, const char *what);

/* {"items":[...],"total":N} (items consumed). */
int au_api_list(struct au_req *r, struct json_object *items, long long total);

/* "YYYY-MM-DDTHH:MM:SSZ" to epoch seconds; -1 when malformed. */
int64_t au_api_parse_time(const char *s);
/* RFC 3339 helpers for representations. */
void au_api_add_time(struct au_req *r, struct json_object *o,
    const char *name, int64_t t);

/* Looks up the {realmId} of the path and the worker's database; answers
 * 404 / 503 itself. */
struct au_db;
struct au_realm;
int au_api_realm_or_respond(struct au_req *r, struct au_db **db,
    struct au_realm **realm);

#endif
