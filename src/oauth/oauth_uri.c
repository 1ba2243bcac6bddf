/* oauth_uri.c — registration checks of client URIs (see oauth_uri.h).
 *
 * One small parser splits scheme, authority (host, port) and the rest;
 * the three checks judge the parts.  Nothing is normalised: what is
 * registered is what must arrive later, byte for byte. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "oauth/oauth_uri.h"

#define MAX_URI 2000

struct parts {
	const char *scheme;
	size_t scheme_len;
	bool authority;          /* "//" follows "scheme:" */
	const char *host;        /* inside the authority; brackets kept */
	size_t host_len;
	bool port;               /* ":<digits>" given */
	long port_value;
	const char *rest;        /* path and query */
};

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_host_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~' || c == '%';
}

/* [v6 literal] or reg-name / IPv4; *c moves past the host. */
static const char *
parse_host(const char **c, const char *end, struct parts *p)
{
	const char *h = *c, *close;

	if (*h == '[') {
		close = memchr(h, ']', (size_t)(end - h));
		if (close == NULL || close == h + 1)
			return "has a malformed IPv6 host";
		for (h++; h < close; h++)
			if (!is_digit(*h) && (*h == '\0' ||
			    strchr("abcdefABCDEF:.", *h) == NULL))
				return "has a malformed IPv6 host";
		p->host = *c;
		p->host_len = (size_t)(close + 1 - *c);
		*c = close + 1;
		return NULL;
	}
	for (; h < end && *h != ':'; h++)
		if (!is_host_char(*h))
			return "has an invalid character in its host";
	p->host = *c;
	p->host_len = (size_t)(h - *c);
	*c = h;
	return NULL;
}

static const char *
parse_port(const char *c, const char *end, struct parts *p)
{
	long v = 0;
	int digits = 0;

	if (c == end)
		return NULL;
	if (*c++ != ':')
		return "has an invalid character in its host";
	for (; c < end; c++, digits++) {
		if (!is_digit(*c) || digits >= 5)
			return "has an invalid port";
		v = v * 10 + (*c - '0');
	}
	if (digits == 0 || v == 0 || v > 65535)
		return "has an invalid port";
	p->port = true;
	p->port_value = v;
	return NULL;
}

/* Checks the characters and splits off the scheme; p->rest is what
 * follows "scheme:". */
static const char *
parse_scheme(const char *s, struct parts *p)
{
	const char *c;

	memset(p, 0, sizeof(*p));
	if (*s == '\0')
		return "must not be empty";
	if (strlen(s) > MAX_URI)
		return "must be at most 2000 characters";
	for (c = s; *c != '\0'; c++)
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
			return "must be printable ASCII without spaces "
			    "(percent-encode the rest)";
	if (strchr(s, '#') != NULL)
		return "must not contain a fragment (#)";
	if (strchr(s, '*') != NULL)
		return "must not contain wildcards (*)";
	for (c = s; is_alpha(*c) || (c > s && (is_digit(*c) || *c == '+' ||
	    *c == '-' || *c == '.')); c++)
		;
	if (c == s || *c != ':')
		return "must be an absolute URI (scheme:...)";
	p->scheme = s;
	p->scheme_len = (size_t)(c - s);
	p->rest = c + 1;
	return NULL;
}

/* Splits "//authority" off p->rest when there is one. */
static const char *
parse_authority(struct parts *p)
{
	const char *c = p->rest, *end, *why;

	p->authority = c[0] == '/' && c[1] == '/';
	if (!p->authority)
		return NULL;
	c += 2;
	end = c + strcspn(c, "/?");
	if (memchr(c, '@', (size_t)(end - c)) != NULL)
		return "must not contain user information (@)";
	if ((why = parse_host(&c, end, p)) != NULL ||
	    (why = parse_port(c, end, p)) != NULL)
		return why;
	p->rest = end;
	return NULL;
}

static const char *
parse(const char *s, struct parts *p)
{
	const char *why = parse_scheme(s, p);

	return why != NULL ? why : parse_authority(p);
}

static bool
scheme_is(const struct parts *p, const char *name)
{
	return p->scheme_len == strlen(name) &&
	    strncasecmp(p->scheme, name, p->scheme_len) == 0;
}

static bool
host_is(const struct parts *p, const char *name)
{
	return p->host_len == strlen(name) &&
	    strncasecmp(p->host, name, p->host_len) == 0;
}

static bool
loopback(const struct parts *p)
{
	return host_is(p, "localhost") || host_is(p, "127.0.0.1") ||
	    host_is(p, "[::1]");
}

/* Schemes whose URIs a browser executes, renders from the URI itself or
 * reads locally: never a place to send an authorization code. */
static bool
dangerous_scheme(const struct parts *p)
{
	static const char *const bad[] = { "javascript", "data", "vbscript",
		"file", "about", "blob", "filesystem", "view-source", NULL };
	int i;

	for (i = 0; bad[i] != NULL; i++)
		if (scheme_is(p, bad[i]))
			return true;
	return false;
}

static const char *const http_loopback_only = "may use http only for a "
    "loopback host (localhost, 127.0.0.1, [::1]); use https";

const char *
au_uri_redirect_problem(const char *uri)
{
	struct parts p;
	const char *why = parse_scheme(uri, &p);

	if (why != NULL)
		return why;
	if (dangerous_scheme(&p))
		return "must not use a scheme the browser runs or reads "
		    "locally (javascript:, data:, file: ...)";
	if ((why = parse_authority(&p)) != NULL)
		return why;
	if (scheme_is(&p, "http") || scheme_is(&p, "https")) {
		if (!p.authority || p.host_len == 0)
			return "must be http(s)://host/path";
		if (scheme_is(&p, "http") && !loopback(&p))
			return http_loopback_only;
		return NULL;
	}
	if (!p.authority && *p.rest == '\0')
		return "must have a path after the scheme "
		    "(com.example.app:/callback)";
	return NULL;
}

const char *
au_uri_origin_problem(const char *origin)
{
	struct parts p;
	const char *why = parse(origin, &p);
	size_t i;

	if (why != NULL)
		return why;
	if (!scheme_is(&p, "http") && !scheme_is(&p, "https"))
		return "must be an http or https origin";
	if (!p.authority || p.host_len == 0)
		return "must be scheme://host[:port]";
	if (*p.rest != '\0')
		return "must be an origin only: scheme://host[:port], without "
		    "path, query or trailing '/'";
	for (i = 0; i < p.scheme_len + 3 + p.host_len; i++)
		if (origin[i] >= 'A' && origin[i] <= 'Z')
			return "must be lowercase, as browsers send it in the "
			    "Origin header";
	if (p.port && p.port_value == (scheme_is(&p, "http") ? 80 : 443))
		return "must not name the default port (browsers omit it)";
	if (scheme_is(&p, "http") && !loopback(&p))
		return http_loopback_only;
	return NULL;
}

const char *
au_uri_https_problem(const char *url)
{
	struct parts p;
	const char *why = parse(url, &p);

	if (why != NULL)
		return why;
	if (!scheme_is(&p, "https") || !p.authority || p.host_len == 0)
		return "must be an https URL (https://host/path)";
	return NULL;
}
