/* http_url.c — percent-decoding, query strings and URL building.
 *
 * The decoder is shared by the path, the query string and form bodies; it
 * refuses rather than repairs (a truncated "%4" is an error, not a
 * literal), so two parsers can never disagree about what a request
 * meant. */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "http/http_url.h"

#define EXCERPT_MAX 64

int
au_url_decode_why(struct au_arena *a, const char *s, size_t n,
    bool plus_is_space, char **out, size_t *outlen, const char **why)
{
	char *d = au_arena_alloc(a, n + 1);
	size_t i, k = 0;
	const char *bad = NULL;

	for (i = 0; i < n && bad == NULL; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;

		if (c == '%') {
			hi = n - i >= 3 ? au_hex_digit((unsigned char)s[i + 1]) : -1;
			lo = n - i >= 3 ? au_hex_digit((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				bad = "a malformed percent-escape";
				break;
			}
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space)
			c = ' ';
		if (c == '\0')
			bad = "a NUL byte";   /* raw or %00 */
		d[k++] = (char)c;
	}
	if (bad == NULL && !au_utf8_valid(d, k))
		bad = "invalid UTF-8";
	if (bad != NULL) {
		if (why != NULL)
			*why = bad;
		return AU_EINVAL;
	}
	d[k] = '\0';
	*out = d;
	if (outlen != NULL)
		*outlen = k;
	return AU_OK;
}

int
au_url_decode(struct au_arena *a, const char *s, size_t n,
    bool plus_is_space, char **out, size_t *outlen)
{
	return au_url_decode_why(a, s, n, plus_is_space, out, outlen, NULL);
}

const char *
au_url_excerpt(struct au_arena *a, const char *s, size_t n)
{
	size_t len = n, i;
	char *e;

	if (len > EXCERPT_MAX) {
		len = EXCERPT_MAX;
		/* back off continuation bytes so the cut stays valid UTF-8 */
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	e = au_arena_alloc(a, len + 4);
	memcpy(e, s, len);
	for (i = 0; i < len; i++)
		if ((unsigned char)e[i] < 0x20 || e[i] == 0x7f)
			e[i] = '?';
	if (len < n) {
		memcpy(e + len, "...", 3);
		len += 3;
	}
	e[len] = '\0';
	return e;
}

/* Decodes one "name=value" piece and appends it to l. */
static int
query_pair(struct au_arena *a, const char *s, size_t n, size_t max_field,
    const char *what, struct au_kvlist *l, const char **err)
{
	const char *eq = memchr(s, '=', n), *why = NULL;
	size_t rawlen = eq != NULL ? (size_t)(eq - s) : n, nlen, vlen;
	char *name, *value;

	if (au_url_decode_why(a, s, rawlen, true, &name, &nlen, &why) != AU_OK) {
		*err = au_arena_printf(a, "a %s name contains %s", what, why);
		return AU_EINVAL;
	}
	if (nlen > max_field) {
		*err = au_arena_printf(a, "a %s name is longer than %zu bytes",
		    what, max_field);
		return AU_EINVAL;
	}
	if (nlen == 0)
		return AU_OK;   /* "=x": nothing to name it by; ignored */
	if (eq == NULL) {
		value = au_arena_strdup(a, "");
		vlen = 0;
	} else if (au_url_decode_why(a, eq + 1, n - rawlen - 1, true, &value,
	    &vlen, &why) != AU_OK) {
		*err = au_arena_printf(a, "%s '%s' contains %s", what,
		    au_url_excerpt(a, name, nlen), why);
		return AU_EINVAL;
	}
	if (vlen > max_field) {
		*err = au_arena_printf(a, "%s '%s' is longer than %zu bytes",
		    what, au_url_excerpt(a, name, nlen), max_field);
		return AU_EINVAL;
	}
	au_kv_add(a, l, name, value, vlen);
	return AU_OK;
}

int
au_url_parse_query_ex(struct au_arena *a, const char *s, size_t n,
    size_t max_field, const char *what, struct au_kvlist *l,
    const char **err)
{
	const char *end = s + n, *amp, *dummy;
	int rc;

	if (err == NULL)
		err = &dummy;
	while (s < end) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (amp == NULL)
			amp = end;
		if (amp > s) {
			rc = query_pair(a, s, (size_t)(amp - s), max_field,
			    what, l, err);
			if (rc != AU_OK)
				return rc;
		}
		s = amp + 1;
	}
	return AU_OK;
}

int
au_url_parse_query(struct au_arena *a, const char *s, size_t n,
    size_t max_field, struct au_kvlist *l)
{
	return au_url_parse_query_ex(a, s, n, max_field, "query parameter", l,
	    NULL);
}

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static void
encode_into(struct au_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (is_unreserved(*p)) {
			au_buf_addc(b, (char)*p);
		} else {
			au_buf_addc(b, '%');
			au_buf_addc(b, hex[*p >> 4]);
			au_buf_addc(b, hex[*p & 15]);
		}
	}
}

char *
au_url_encode(struct au_arena *a, const char *s)
{
	struct au_buf b;

	if (s == NULL)
		return NULL;
	au_buf_init(&b, a, strlen(s) * 3 + 1);
	encode_into(&b, s);
	return b.p;
}

char *
au_url_build(struct au_arena *a, const char *base, const char *const *pairs)
{
	const unsigned char *p;
	struct au_buf b;
	char sep;
	size_t i;

	if (base == NULL)
		return NULL;
	for (p = (const unsigned char *)base; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '#')
			return NULL;
	au_buf_init(&b, a, strlen(base) + 64);
	au_buf_adds(&b, base);
	if (strchr(base, '?') == NULL)
		sep = '?';
	else if (b.len > 0 && (b.p[b.len - 1] == '?' || b.p[b.len - 1] == '&'))
		sep = '\0';     /* "x?" and "x?a=1&" need no separator */
	else
		sep = '&';
	for (i = 0; pairs != NULL && pairs[i] != NULL; i += 2) {
		if (pairs[i + 1] == NULL)
			continue;
		if (sep != '\0')
			au_buf_addc(&b, sep);
		encode_into(&b, pairs[i]);
		au_buf_addc(&b, '=');
		encode_into(&b, pairs[i + 1]);
		sep = '&';
	}
	return b.p;
}
