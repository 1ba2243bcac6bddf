/* test_oauth_uri.c — what clients may register as redirect URIs, web
 * origins and JWKS URLs, including the nasty ones. */
#include <string.h>

#include "oauth/oauth_uri.h"
#include "au_test.h"

struct ucase {
	const char *in;
	const char *why;       /* NULL = accepted; else a word of the complaint */
};

static void
run(const char *(*check)(const char *), const struct ucase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *got = check(c[i].in);

		if (c[i].why == NULL) {
			if (got != NULL)
				fprintf(stderr, "\n  %s refused: %s\n", c[i].in, got);
			CU_ASSERT_PTR_NULL(got);
		} else {
			if (got == NULL || strstr(got, c[i].why) == NULL)
				fprintf(stderr, "\n  %s: want '%s', got '%s'\n", c[i].in,
				    c[i].why, got != NULL ? got : "(accepted)");
			CU_ASSERT(got != NULL && strstr(got, c[i].why) != NULL);
		}
	}
}

#define RUN(check, cases) run(check, cases, sizeof(cases) / sizeof(cases[0]))

static void
test_redirect_accepted(void)
{
	static const struct ucase c[] = {
		{ "https://app.example.com/callback", NULL },
		{ "https://app.example.com:8443/cb?x=1&y=2", NULL },
		{ "https://APP.example.com/Callback", NULL },
		{ "https://app.example.com", NULL },
		{ "http://localhost:3000/callback", NULL },
		{ "http://LOCALHOST/cb", NULL },
		{ "http://127.0.0.1:8080/cb", NULL },
		{ "http://[::1]:8080/cb", NULL },
		{ "https://[2001:db8::1]/cb", NULL },
		{ "https://10.0.0.1/cb", NULL },
		{ "com.example.app:/callback", NULL },
		{ "com.example.app:/oauth2redirect/example-provider", NULL },
		{ "myapp://callback", NULL },
		{ "https://app.example.com/cb%20x", NULL },
	};

	RUN(au_uri_redirect_problem, c);
}

static void
test_redirect_refused(void)
{
	static char longest[2100];
	static const struct ucase c[] = {
		{ "", "empty" },
		{ "/callback", "absolute" },
		{ "//evil.example/cb", "absolute" },
		{ "app.example.com/cb", "absolute" },
		{ "1http://x/cb", "absolute" },
		{ "https://app.example.com/cb#frag", "fragment" },
		{ "https://app.example.com/cb#", "fragment" },
		{ "https://*.example.com/cb", "wildcard" },
		{ "https://app.example.com/*", "wildcard" },
		{ "http://app.example.com/cb", "loopback" },
		{ "http://127.0.0.2/cb", "loopback" },
		{ "http://localhost.evil.com/cb", "loopback" },
		{ "http://[::2]/cb", "loopback" },
		{ "https://user:pw@app.example.com/cb", "user information" },
		{ "https://app.example.com@evil.com/cb", "user information" },
		{ "https://app.example.com\\@evil.com/", "user information" },
		{ "https://app.example.com\\.evil.com/", "host" },
		{ "https:///cb", "host" },
		{ "https:/app.example.com/cb", "http(s)://host" },
		{ "https://app.example.com:0/cb", "port" },
		{ "https://app.example.com:65536/cb", "port" },
		{ "https://app.example.com:80a/cb", "port" },
		{ "https://app.example.com:/cb", "port" },
		{ "https://[::1/cb", "IPv6" },
		{ "https://[]/cb", "IPv6" },
		{ "https://app.example.com/c b", "printable" },
		{ "https://app.example.com/cb\r\nX: y", "printable" },
		{ "https://app.example.com/\xc3\xa9", "printable" },
		{ "javascript:alert(1)", "scheme" },
		{ "JavaScript://%0aalert(1)", "scheme" },
		{ "data:text/html,<script>", "scheme" },
		{ "vbscript:msgbox", "scheme" },
		{ "file:///etc/passwd", "scheme" },
		{ "com.example.app:", "path" },
		{ longest, "2000" },
	};

	memset(longest, 'a', sizeof(longest) - 1);
	memcpy(longest, "https://x/", 10);
	RUN(au_uri_redirect_problem, c);
}

static void
test_origins(void)
{
	static const struct ucase c[] = {
		{ "https://app.example.com", NULL },
		{ "https://app.example.com:8443", NULL },
		{ "http://localhost:3000", NULL },
		{ "http://127.0.0.1", NULL },
		{ "http://[::1]:5173", NULL },
		{ "https://app.example.com/", "origin only" },
		{ "https://app.example.com/path", "origin only" },
		{ "https://app.example.com?x", "origin only" },
		{ "https://App.example.com", "lowercase" },
		{ "HTTPS://app.example.com", "lowercase" },
		{ "https://app.example.com:443", "default port" },
		{ "http://localhost:80", "default port" },
		{ "http://app.example.com", "loopback" },
		{ "https://*.example.com", "wildcard" },
		{ "*", "wildcard" },
		{ "null", "absolute" },
		{ "com.example.app://x", "http or https" },
		{ "https://", "scheme://host" },
		{ "https://a@b.example", "user information" },
	};

	RUN(au_uri_origin_problem, c);
}

static void
test_https_urls(void)
{
	static const struct ucase c[] = {
		{ "https://app.example.com/.well-known/jwks.json", NULL },
		{ "https://app.example.com:8443/jwks?v=2", NULL },
		{ "http://app.example.com/jwks", "https" },
		{ "http://localhost/jwks", "https" },
		{ "ftp://app.example.com/jwks", "https" },
		{ "https:jwks", "https" },
		{ "https://app.example.com/jwks#x", "fragment" },
	};

	RUN(au_uri_https_problem, c);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("oauth_uri", NULL, NULL,
	    AU_T(test_redirect_accepted),
	    AU_T(test_redirect_refused),
	    AU_T(test_origins),
	    AU_T(test_https_urls));
}

AU_TEST_MAIN(register_tests)
