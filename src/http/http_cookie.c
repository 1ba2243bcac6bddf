/* http_cookie.c — Cookie header parsing.
 *
 * Strict about what it keeps and silent about what it drops: a cookie
 * that another application on the same site formats badly must not turn
 * every request into a 400. */
#include <stdbool.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "http/http_cookie.h"
#include "http/http_req.h"
#include "http/http_url.h"

static bool
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
static bool
is_cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* One "name=value" piece, s..e already trimmed. */
static int
cookie_pair(struct au_arena *a, const char *s, const char *e,
    size_t max_field, struct au_kvlist *l, const char **err)
{
	const char *eq = memchr(s, '=', (size_t)(e - s)), *p, *ne, *vs;

	if (eq == NULL || eq == s)
		return AU_OK;
	ne = eq;
	vs = eq + 1;
	trim(&s, &ne);
	trim(&vs, &e);
	for (p = s; p < ne; p++)
		if (!is_tchar((unsigned char)*p))
			return AU_OK;
	if (ne == s)
		return AU_OK;
	if (e - vs >= 2 && *vs == '"' && e[-1] == '"') {
		vs++;
		e--;
	}
	for (p = vs; p < e; p++)
		if (!is_cookie_octet((unsigned char)*p))
			return AU_OK;
	if ((size_t)(e - vs) > max_field) {
		*err = au_arena_printf(a, "cookie '%s' is longer than %zu bytes",
		    au_url_excerpt(a, s, (size_t)(ne - s)), max_field);
		return AU_EINVAL;
	}
	au_kv_add(a, l, au_arena_strndup(a, s, (size_t)(ne - s)), vs,
	    (size_t)(e - vs));
	return AU_OK;
}

int
au_cookie_parse(struct au_arena *a, const char *header, size_t max_field,
    struct au_kvlist *l, const char **err)
{
	const char *s = header, *e, *semi;
	int rc;

	if (header == NULL)
		return AU_OK;
	e = header + strlen(header);
	while (s < e) {
		const char *ps = s, *pe;

		semi = memchr(s, ';', (size_t)(e - s));
		pe = semi != NULL ? semi : e;
		trim(&ps, &pe);
		if (pe > ps) {
			rc = cookie_pair(a, ps, pe, max_field, l, err);
			if (rc != AU_OK)
				return rc;
		}
		s = semi != NULL ? semi + 1 : e;
	}
	return AU_OK;
}
