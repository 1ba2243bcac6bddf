/* http_url.h — percent-decoding, query strings and URL building.
 *
 * Decoding is strict: a '%' must be followed by two hex digits, and the
 * decoded bytes must be well-formed UTF-8 without NUL, so every string
 * handed to the rest of authio is a clean C string.  Encoding keeps only
 * RFC 3986 unreserved characters; au_url_build() is the one place that
 * makes Location URLs, and it refuses a base that could split a header.
 * All results live in the arena. */
#ifndef AU_HTTP_URL_H
#define AU_HTTP_URL_H

#include <stdbool.h>
#include <stddef.h>

struct au_arena;
struct au_kvlist;

/* Decodes %XX (and '+' as space when plus_is_space) from s[0..n) into an
 * arena string. AU_EINVAL on a bad escape, an embedded NUL or invalid
 * UTF-8. */
int au_url_decode(struct au_arena *a, const char *s, size_t n,
    bool plus_is_space, char **out, size_t *outlen);
/* As au_url_decode; on failure *why (when why is not NULL) is a static
 * phrase naming the problem: "a malformed percent-escape", "a
 * NUL byte" or "invalid UTF-8". */
int au_url_decode_why(struct au_arena *a, const char *s, size_t n,
    bool plus_is_space, char **out, size_t *outlen, const char **why);

/* Parses "a=1&b=2" into l (decoded, '+' is a space). Empty pieces are
 * skipped; a piece without '=' is a name with an empty value. */
int au_url_parse_query(struct au_arena *a, const char *s, size_t n,
    size_t max_field, struct au_kvlist *l);
/* As au_url_parse_query; on failure *err (when err is not NULL) is an
 * arena sentence naming the parameter, what being its noun ("query
 * parameter", "form parameter"):
 * "query parameter 'x' is longer than 8192 bytes". l is left partly
 * filled on failure. */
int au_url_parse_query_ex(struct au_arena *a, const char *s, size_t n,
    size_t max_field, const char *what, struct au_kvlist *l,
    const char **err);

/* Builds base + "?" + encoded query pairs (names and values are percent-
 * encoded; NULL values skipped). pairs is NULL-terminated: name, value,
 * name, value, ..., NULL (pairs itself may be NULL).  If base already has
 * a query, appends with '&'. Returns NULL if base is NULL, contains a
 * control character (CR, LF, ...) or a fragment ('#'). */
char *au_url_build(struct au_arena *a, const char *base,
    const char *const *pairs);
/* Percent-encodes everything except unreserved characters (RFC 3986),
 * with upper-case hex. NULL gives NULL. */
char *au_url_encode(struct au_arena *a, const char *s);

/* s[0..n) as a short, printable excerpt for an error sentence: at most
 * 64 bytes cut on a UTF-8 boundary, control characters replaced by '?',
 * "..." appended when cut. s must be valid UTF-8. */
const char *au_url_excerpt(struct au_arena *a, const char *s, size_t n);

#endif
