/* http_cookie.h — the request's Cookie header (RFC 6265 §4.2).
 *
 * "name=value; name2=value2": values are taken as sent (not percent-
 * decoded), a double-quoted value is unquoted, and malformed pairs (no
 * '=', a name that is not a token, a value with characters outside
 * cookie-octet) are ignored: they belong to someone else on the domain. */
#ifndef AU_HTTP_COOKIE_H
#define AU_HTTP_COOKIE_H

#include <stddef.h>

struct au_arena;
struct au_kvlist;

/* Appends the cookies of header (may be NULL) to l, in order.  AU_OK;
 * AU_EINVAL with *err (an arena sentence naming the cookie) when a value
 * is longer than max_field. */
int au_cookie_parse(struct au_arena *a, const char *header, size_t max_field,
    struct au_kvlist *l, const char **err);

#endif
