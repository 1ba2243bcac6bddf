/* test_http_req.c — au_req_init from nginx- and Apache-like FastCGI
 * parameters, path and query decoding, limits, forms, JSON bodies,
 * cookies and Basic credentials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "http/http_cookie.h"
#include "http/http_req.h"
#include "http/http_url.h"
#include "au_test.h"
#include "test_http.h"

void test_http_req_register(void);


/* A request with just method, URI, content type (may be NULL) and body. */
static int
mkreq(struct au_req *r, const char *method, const char *uri,
    const char *ctype, const char *body, size_t len)
{
	char *env[4];
	int n = 0;

	env[n++] = au_arena_printf(au_http_arena, "REQUEST_METHOD=%s", method);
	env[n++] = au_arena_printf(au_http_arena, "REQUEST_URI=%s", uri);
	if (ctype != NULL)
		env[n++] = au_arena_printf(au_http_arena, "CONTENT_TYPE=%s", ctype);
	env[n] = NULL;
	return au_req_init(r, au_http_arena, &au_http_cfg, env, body, len);
}

static int
mkget(struct au_req *r, const char *uri)
{
	return mkreq(r, "GET", uri, NULL, NULL, 0);
}

/* r->error contains needle (printed when it does not). */
static void
assert_error(const struct au_req *r, const char *needle)
{
	const char *e = r->error != NULL ? r->error : "(null)";

	if (strstr(e, needle) == NULL)
		fprintf(stderr, "\nerror \"%s\" lacks \"%s\"\n", e, needle);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, needle));
}

static bool
is_hex16(const char *s)
{
	return s != NULL && strlen(s) == 16 &&
	    strspn(s, "0123456789abcdef") == 16;
}

static void
test_env_nginx(void)
{
	char *env[] = {
		"QUERY_STRING=ignored=1", "REQUEST_METHOD=POST",
		"CONTENT_TYPE=Application/X-WWW-Form-Urlencoded; charset=UTF-8",
		"CONTENT_LENGTH=9", "SCRIPT_NAME=/realms/acme/token",
		"REQUEST_URI=/realms/acme/token?prompt=login",
		"DOCUMENT_URI=/realms/acme/token", "SERVER_PROTOCOL=HTTP/1.1",
		"REQUEST_SCHEME=http", "HTTPS=", "GATEWAY_INTERFACE=CGI/1.1",
		"REMOTE_ADDR=192.0.2.7", "REMOTE_PORT=51234",
		"HTTP_HOST=id.example.com",
		"HTTP_AUTHORIZATION=Basic Y2xpZW50OnNlY3JldA==",
		"HTTP_CONTENT_TYPE=text/plain", "HTTP_CONTENT_LENGTH=9",
		"HTTP_X_FORWARDED_FOR=198.51.100.1", "HTTP_COOKIE=sid=abc",
		NULL
	};
	struct au_req r;
	int i, nctype = 0;

	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, "code=abc1", 9),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(r.method, "POST");
	CU_ASSERT_STRING_EQUAL(r.uri, "/realms/acme/token?prompt=login");
	CU_ASSERT_STRING_EQUAL(r.path, "/realms/acme/token");
	CU_ASSERT_EQUAL_FATAL(r.nsegs, 3);
	CU_ASSERT_STRING_EQUAL(r.segs[0], "realms");
	CU_ASSERT_STRING_EQUAL(r.segs[2], "token");
	CU_ASSERT_STRING_EQUAL(r.query_string, "prompt=login");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "prompt"), "login");
	CU_ASSERT_PTR_NULL(au_req_query(&r, "ignored"));
	CU_ASSERT_STRING_EQUAL(au_req_header(&r, "authorization"),
	    "Basic Y2xpZW50OnNlY3JldA==");
	CU_ASSERT_STRING_EQUAL(au_req_header(&r, "x-forwarded-for"),
	    "198.51.100.1");
	CU_ASSERT_STRING_EQUAL(au_req_header(&r, "host"), "id.example.com");
	CU_ASSERT_STRING_EQUAL(au_req_header(&r, "content-type"),
	    "Application/X-WWW-Form-Urlencoded; charset=UTF-8");
	CU_ASSERT_STRING_EQUAL(au_req_header(&r, "content-length"), "9");
	/* HTTP_CONTENT_* duplicates of CONTENT_* are not headers twice */
	for (i = 0; i < r.headers.n; i++)
		nctype += strcmp(r.headers.items[i].name, "content-type") == 0 ||
		    strcmp(r.headers.items[i].name, "content-length") == 0;
	CU_ASSERT_EQUAL(nctype, 2);
	CU_ASSERT_STRING_EQUAL(r.content_type,
	    "application/x-www-form-urlencoded");
	CU_ASSERT_STRING_EQUAL(r.remote_addr, "192.0.2.7");
	CU_ASSERT_FALSE(r.https);
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "sid"), "abc");
	CU_ASSERT_TRUE(is_hex16(r.request_id));
	CU_ASSERT_STRING_EQUAL(r.body, "code=abc1");
	CU_ASSERT_EQUAL(r.body_len, 9);
	CU_ASSERT_EQUAL(r.resp.status, 0);
	CU_ASSERT_EQUAL(r.resp.headers.n, 0);
	CU_ASSERT_EQUAL(r.resp.body.len, 0);
	CU_ASSERT_PTR_NULL(r.error);
	au_arena_reset(au_http_arena);
}

static void
test_env_apache(void)
{
	char *env[] = {
		"HTTP_HOST=127.0.0.1:18081", "HTTP_ACCEPT=*/*",
		"SERVER_SOFTWARE=Apache/2.4.62", "HTTPS=on",
		"REQUEST_SCHEME=https", "REMOTE_ADDR=127.0.0.1",
		"SCRIPT_FILENAME=proxy:fcgi://localhost/realms/acme/x y/echo",
		"REQUEST_METHOD=GET", "QUERY_STRING=a=1&b=%2F+x",
		"REQUEST_URI=/realms/acme/x%20y/echo?a=1&b=%2F+x",
		"SCRIPT_NAME=/realms/acme/x y/echo", NULL
	};
	struct au_req r;

	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(r.nsegs, 4);
	CU_ASSERT_STRING_EQUAL(r.segs[2], "x y");
	CU_ASSERT_PTR_NULL(r.segs[4]);
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "b"), "/ x");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "a"), "1");
	CU_ASSERT_PTR_NULL(au_req_header(&r, "authorization"));
	CU_ASSERT_PTR_NULL(au_req_header(&r, "content-length"));
	CU_ASSERT_STRING_EQUAL(au_req_header(&r, "host"), "127.0.0.1:18081");
	CU_ASSERT_STRING_EQUAL(r.content_type, "");
	CU_ASSERT_STRING_EQUAL(r.body, "");
	CU_ASSERT_EQUAL(r.body_len, 0);
	CU_ASSERT_TRUE(r.https);
	au_arena_reset(au_http_arena);
}

static void
test_env_https_and_lengths(void)
{
	char *on[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTPS=ON", NULL };
	char *scheme[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
		"REQUEST_SCHEME=https", NULL };
	char *off[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTPS=off",
		"REQUEST_SCHEME=http", "CONTENT_LENGTH=", NULL };
	struct au_req r;

	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, on, NULL, 0), AU_OK);
	CU_ASSERT_TRUE(r.https);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, scheme, NULL, 0), AU_OK);
	CU_ASSERT_TRUE(r.https);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, off, NULL, 0), AU_OK);
	CU_ASSERT_FALSE(r.https);
	CU_ASSERT_EQUAL(r.nsegs, 0);
	/* nginx sends CONTENT_LENGTH="" on GET: no header */
	CU_ASSERT_PTR_NULL(au_req_header(&r, "content-length"));
	au_arena_reset(au_http_arena);
}

static void
test_env_missing(void)
{
	char *nouri[] = { "REQUEST_METHOD=GET", "SCRIPT_NAME=/x",
		"PATH_INFO=/y", NULL };
	char *nomethod[] = { "REQUEST_URI=/x", NULL };
	char *relative[] = { "REQUEST_METHOD=GET", "REQUEST_URI=x/y", NULL };
	char *lower[] = { "REQUEST_METHOD=get", "REQUEST_URI=/x", NULL };
	char *twice[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/first",
		"REQUEST_URI=/second", NULL };
	struct au_req r;

	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, nouri, NULL, 0),
	    AU_EINVAL);
	assert_error(&r, "REQUEST_URI");
	CU_ASSERT_TRUE(is_hex16(r.request_id));   /* the 400 still has one */
	CU_ASSERT_STRING_EQUAL(r.method, "GET");
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, nomethod, NULL, 0),
	    AU_EINVAL);
	assert_error(&r, "method");
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, relative, NULL, 0),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, lower, NULL, 0),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, NULL, NULL, 0), AU_EINVAL);
	/* the first of a repeated param wins, as with FCGX_GetParam */
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, twice, NULL, 0), AU_OK);
	CU_ASSERT_STRING_EQUAL(r.path, "/first");
	au_arena_reset(au_http_arena);
}

static void
test_request_id(void)
{
	char *good[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
		"HTTP_X_REQUEST_ID=abc-123_X.y", NULL };
	char *bad[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
		"HTTP_X_REQUEST_ID=abc 123", NULL };
	char *empty[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
		"HTTP_X_REQUEST_ID=", NULL };
	char *longid[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL, NULL };
	struct au_req r;
	char *first;

	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, good, NULL, 0), AU_OK);
	CU_ASSERT_STRING_EQUAL(r.request_id, "abc-123_X.y");
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, bad, NULL, 0), AU_OK);
	CU_ASSERT_TRUE(is_hex16(r.request_id));
	first = au_arena_strdup(au_http_arena, r.request_id);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, empty, NULL, 0), AU_OK);
	CU_ASSERT_TRUE(is_hex16(r.request_id));
	CU_ASSERT(strcmp(first, r.request_id) != 0);
	longid[2] = au_arena_printf(au_http_arena, "HTTP_X_REQUEST_ID=%065d", 7);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, longid, NULL, 0), AU_OK);
	CU_ASSERT_TRUE(is_hex16(r.request_id));
	longid[2] = au_arena_printf(au_http_arena, "HTTP_X_REQUEST_ID=%064d", 7);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, longid, NULL, 0), AU_OK);
	CU_ASSERT_EQUAL(strlen(r.request_id), 64);
	au_arena_reset(au_http_arena);
}

static void
expect_path(const char *uri, int rc, const char *needle)
{
	struct au_req r;

	CU_ASSERT_EQUAL(mkget(&r, uri), rc);
	if (needle != NULL)
		assert_error(&r, needle);
	au_arena_reset(au_http_arena);
}

static void
test_path_decoding(void)
{
	struct au_req r;

	CU_ASSERT_EQUAL(mkget(&r, "/"), AU_OK);
	CU_ASSERT_EQUAL(r.nsegs, 0);
	CU_ASSERT_EQUAL(mkget(&r, "/realms/x/"), AU_OK);
	CU_ASSERT_EQUAL_FATAL(r.nsegs, 2);
	CU_ASSERT_STRING_EQUAL(r.segs[1], "x");
	CU_ASSERT_EQUAL(mkget(&r, "/a/x%20y/b+c/caf%C3%A9/.../%41"), AU_OK);
	CU_ASSERT_EQUAL_FATAL(r.nsegs, 6);
	CU_ASSERT_STRING_EQUAL(r.segs[1], "x y");
	CU_ASSERT_STRING_EQUAL(r.segs[2], "b+c");   /* '+' is not a space here */
	CU_ASSERT_STRING_EQUAL(r.segs[3], "caf\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(r.segs[4], "...");
	CU_ASSERT_STRING_EQUAL(r.segs[5], "A");
	au_arena_reset(au_http_arena);

	expect_path("/a/x%2Fy", AU_EINVAL, "encoded '/'");
	expect_path("/a/x%2fy", AU_EINVAL, "encoded '/'");
	expect_path("/a/../b", AU_EINVAL, "'..'");
	expect_path("/a/%2e%2e/b", AU_EINVAL, "'..'");
	expect_path("/a/%2E", AU_EINVAL, "'.'");
	expect_path("/a/./b", AU_EINVAL, "'.'");
	expect_path("//", AU_EINVAL, "empty segment");
	expect_path("//a", AU_EINVAL, "empty segment");
	expect_path("/a//b", AU_EINVAL, "empty segment");
	expect_path("/a//", AU_EINVAL, "empty segment");
	expect_path("/a/%ff", AU_EINVAL, "invalid UTF-8");
	expect_path("/a/%C0%AF", AU_EINVAL, "invalid UTF-8");   /* overlong '/' */
	expect_path("/a/%ED%A0%80", AU_EINVAL, "invalid UTF-8"); /* surrogate */
	expect_path("/a/\xff", AU_EINVAL, "invalid UTF-8");
	expect_path("/a/%00", AU_EINVAL, "NUL");
	expect_path("/a/%0a", AU_EINVAL, "control character");
	expect_path("/a/%7F", AU_EINVAL, "control character");
	expect_path("/a/%4", AU_EINVAL, "percent-escape");
	expect_path("/a/%zz", AU_EINVAL, "percent-escape");
	expect_path("/a/%", AU_EINVAL, "percent-escape");
}

static void
test_path_limit(void)
{
	struct au_req r;
	char *seg = au_arena_alloc(au_http_arena, au_http_cfg.max_field + 2);

	memset(seg, 'a', au_http_cfg.max_field);
	seg[au_http_cfg.max_field] = '\0';
	CU_ASSERT_EQUAL(mkget(&r, au_arena_printf(au_http_arena, "/x/%s", seg)), AU_OK);
	CU_ASSERT_EQUAL(strlen(r.segs[1]), au_http_cfg.max_field);
	seg = au_arena_alloc(au_http_arena, au_http_cfg.max_field + 2);
	memset(seg, 'a', au_http_cfg.max_field + 1);
	seg[au_http_cfg.max_field + 1] = '\0';
	CU_ASSERT_EQUAL(mkget(&r, au_arena_printf(au_http_arena, "/x/%s", seg)),
	    AU_EINVAL);
	assert_error(&r, "longer than 8192 bytes");
	au_arena_reset(au_http_arena);
}

static void
test_query(void)
{
	struct au_req r;

	CU_ASSERT_EQUAL_FATAL(mkget(&r, "/q?a=1&b=x+y&c=%2B&d&e=&&f=%20&"
	    "g=%E2%82%AC&h=a=b&=skipped&ctl=%01"), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "a"), "1");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "b"), "x y");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "c"), "+");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "d"), "");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "e"), "");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "f"), " ");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "g"), "\xe2\x82\xac");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "h"), "a=b");
	CU_ASSERT_STRING_EQUAL(au_req_query(&r, "ctl"), "\x01");
	CU_ASSERT_EQUAL(r.query.n, 9);
	CU_ASSERT_PTR_NULL(au_req_query(&r, "zzz"));
	CU_ASSERT_PTR_NULL(au_req_dup_param(&r));
	CU_ASSERT_EQUAL(mkget(&r, "/q?"), AU_OK);
	CU_ASSERT_EQUAL(r.query.n, 0);
	CU_ASSERT_STRING_EQUAL(r.query_string, "");
	au_arena_reset(au_http_arena);

	CU_ASSERT_EQUAL(mkget(&r, "/q?state=%00"), AU_EINVAL);
	assert_error(&r, "query parameter 'state' contains a NUL byte");
	CU_ASSERT_EQUAL(mkget(&r, "/q?state=%ff"), AU_EINVAL);
	assert_error(&r, "query parameter 'state' contains invalid UTF-8");
	CU_ASSERT_EQUAL(mkget(&r, "/q?state=%4"), AU_EINVAL);
	assert_error(&r, "malformed percent-escape");
	CU_ASSERT_EQUAL(mkget(&r, "/q?%ff=1"), AU_EINVAL);
	assert_error(&r, "a query parameter name contains invalid UTF-8");
	au_arena_reset(au_http_arena);
}

static void
test_query_limit(void)
{
	struct au_req r;
	char *v = au_arena_alloc(au_http_arena, au_http_cfg.max_field + 2);

	memset(v, 'v', au_http_cfg.max_field + 1);
	v[au_http_cfg.max_field + 1] = '\0';
	CU_ASSERT_EQUAL(mkget(&r, au_arena_printf(au_http_arena, "/q?x=%s", v)),
	    AU_EINVAL);
	assert_error(&r, "query parameter 'x' is longer than 8192 bytes");
	v[au_http_cfg.max_field] = '\0';
	CU_ASSERT_EQUAL(mkget(&r, au_arena_printf(au_http_arena, "/q?x=%s", v)), AU_OK);
	/* 8192 encoded bytes decoding to 2731 are fine */
	CU_ASSERT_EQUAL(mkget(&r, au_arena_printf(au_http_arena, "/q?x=%s",
	    "%41%41%41")), AU_OK);
	au_arena_reset(au_http_arena);
}

static void
test_dup_param(void)
{
	struct au_req r;
	const char *form = "x=1&y=1&y=2";

	CU_ASSERT_EQUAL(mkget(&r, "/q?a=1&b=2&a=3"), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_dup_param(&r), "a");
	/* the name repeated first, not the first name that repeats */
	CU_ASSERT_EQUAL(mkget(&r, "/q?b=1&a=1&a=2&b=2"), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_dup_param(&r), "a");
	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/t?z=1",
	    "application/x-www-form-urlencoded", form, strlen(form)), AU_OK);
	CU_ASSERT_PTR_NULL(au_req_dup_param(&r));   /* form not parsed yet */
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_dup_param(&r), "y");
	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/t?z=1&z=2",
	    "application/x-www-form-urlencoded", "a=1", 3), AU_OK);
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_dup_param(&r), "z");
	au_arena_reset(au_http_arena);
}

static void
test_form(void)
{
	struct au_req r;
	const char *body = "grant_type=authorization_code&code=a%2Bb+c&"
	    "redirect_uri=https%3A%2F%2Fc.example%2Fcb&flag";

	CU_ASSERT_EQUAL_FATAL(mkreq(&r, "POST", "/t",
	    "application/x-www-form-urlencoded; charset=UTF-8", body,
	    strlen(body)), AU_OK);
	CU_ASSERT_PTR_NULL(au_req_form(&r, "code"));   /* not parsed yet */
	CU_ASSERT_EQUAL_FATAL(au_req_form_parse(&r), AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_form(&r, "grant_type"),
	    "authorization_code");
	CU_ASSERT_STRING_EQUAL(au_req_form(&r, "code"), "a+b c");
	CU_ASSERT_STRING_EQUAL(au_req_form(&r, "redirect_uri"),
	    "https://c.example/cb");
	CU_ASSERT_STRING_EQUAL(au_req_form(&r, "flag"), "");
	CU_ASSERT_PTR_NULL(au_req_form(&r, "missing"));
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_OK);   /* once */
	CU_ASSERT_EQUAL(r.form.n, 4);

	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/t", NULL, body, strlen(body)),
	    AU_OK);
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_EINVAL);
	CU_ASSERT_STRING_EQUAL(r.error, "Content-Type must be "
	    "application/x-www-form-urlencoded");
	CU_ASSERT_FALSE(r.form_parsed);
	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/t", "text/plain", body,
	    strlen(body)), AU_OK);
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_EINVAL);
	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/t",
	    "application/x-www-form-urlencoded", "", 0), AU_OK);
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_OK);
	CU_ASSERT_EQUAL(r.form.n, 0);
	au_arena_reset(au_http_arena);
}

static void
expect_form_error(const char *body, size_t len, const char *needle)
{
	struct au_req r;

	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/t",
	    "application/x-www-form-urlencoded", body, len), AU_OK);
	CU_ASSERT_EQUAL(au_req_form_parse(&r), AU_EINVAL);
	assert_error(&r, needle);
	CU_ASSERT_PTR_NULL(au_req_form(&r, "a"));
	au_arena_reset(au_http_arena);
}

static void
test_form_errors(void)
{
	char *big;

	expect_form_error("a=1&state=%ff", 13, "form parameter 'state' "
	    "contains invalid UTF-8");
	expect_form_error("a=1&state=%C0%80", 16, "invalid UTF-8");
	expect_form_error("a=1&state=%zz", 13, "form parameter 'state' "
	    "contains a malformed percent-escape");
	expect_form_error("a=1&state=%4", 12, "malformed percent-escape");
	expect_form_error("a=1&x=%00", 9, "form parameter 'x' contains a NUL");
	expect_form_error("a=1&x=y\0z", 9, "form parameter 'x' contains a NUL");
	big = au_arena_printf(au_http_arena, "a=1&code=%08193d", 0);
	expect_form_error(big, strlen(big), "form parameter 'code' is longer "
	    "than 8192 bytes");
	big = au_arena_printf(au_http_arena, "%08193d=1", 0);
	expect_form_error(big, strlen(big), "a form parameter name is longer");
	/* a long name is cut in the message */
	big = au_arena_printf(au_http_arena, "%0100d=%%ff", 0);
	expect_form_error(big, strlen(big), "0000000000...' contains invalid");
}

static void
test_header_limit(void)
{
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL, NULL };
	struct au_req r;

	env[2] = au_arena_printf(au_http_arena, "HTTP_X_BIG=%08193d", 1);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_EINVAL);
	assert_error(&r, "header 'x-big' is longer than 8192 bytes");
	env[2] = au_arena_printf(au_http_arena, "HTTP_X_BIG=%08192d", 1);
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	au_arena_reset(au_http_arena);
}

/* au_req_json on body with content type ctype; returns the status and
 * checks r->error against needle. */
static int
json_case(const char *ctype, const char *body, size_t len,
    const char *needle)
{
	struct json_object *o = NULL;
	struct au_req r;
	int rc;

	CU_ASSERT_EQUAL(mkreq(&r, "POST", "/api/x", ctype, body, len), AU_OK);
	rc = au_req_json(&r, &o);
	if (needle != NULL) {
		CU_ASSERT_EQUAL(rc, AU_EINVAL);
		assert_error(&r, needle);
	} else {
		CU_ASSERT_EQUAL(rc, AU_OK);
		CU_ASSERT_PTR_NOT_NULL(o);
	}
	au_arena_reset(au_http_arena);  /* runs the json_object_put cleanup */
	return rc;
}

static char *
nested(int depth, bool scalar)
{
	struct au_buf b;
	int i;

	au_buf_init(&b, au_http_arena, 64);
	for (i = 0; i < depth; i++)
		au_buf_adds(&b, i + 1 < depth || scalar ? "{\"a\":" : "{");
	if (scalar)
		au_buf_adds(&b, "1");
	for (i = 0; i < depth; i++)
		au_buf_addc(&b, '}');
	return b.p;
}

static void
test_json(void)
{
	struct json_object *o = NULL, *o2 = NULL, *v;
	const char *body = "{\"name\":\"acme\",\"n\":[1,2,{\"x\":null}]}";
	struct au_req r;

	CU_ASSERT_EQUAL_FATAL(mkreq(&r, "POST", "/api/x",
	    "application/json; charset=utf-8", body, strlen(body)), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_req_json(&r, &o), AU_OK);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "name", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "acme");
	CU_ASSERT_EQUAL(au_req_json(&r, &o2), AU_OK);
	CU_ASSERT_PTR_EQUAL(o, o2);
	au_arena_reset(au_http_arena);
	json_case("application/merge-patch+json", "{\"a\":null}", 10, NULL);
	json_case("application/json", "  {\"a\":1}\r\n ", 12, NULL);
	/* duplicate keys: json-c keeps the last; nothing to refuse here */
	json_case("application/json", "{\"a\":1,\"a\":2}", 13, NULL);
}

/* Bodies that are lists of references: one JSON array, nothing else. */
static void
test_json_array(void)
{
	const char *list = "[{\"id\":\"a\"},{\"id\":\"b\"}]";
	struct json_object *o = NULL;
	struct au_req r;

	CU_ASSERT_EQUAL_FATAL(mkreq(&r, "DELETE", "/api/x", "application/json",
	    list, strlen(list)), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_req_json_array(&r, &o), AU_OK);
	CU_ASSERT_EQUAL(json_object_array_length(o), 2);
	/* the object reader still wants an object */
	CU_ASSERT_EQUAL(au_req_json(&r, &o), AU_EINVAL);
	assert_error(&r, "must be a JSON object");
	au_arena_reset(au_http_arena);
	CU_ASSERT_EQUAL_FATAL(mkreq(&r, "POST", "/api/x", "application/json",
	    "{\"id\":1}", 8), AU_OK);
	CU_ASSERT_EQUAL(au_req_json_array(&r, &o), AU_EINVAL);
	assert_error(&r, "must be a JSON array");
	au_arena_reset(au_http_arena);
	CU_ASSERT_EQUAL_FATAL(mkreq(&r, "POST", "/api/x", "application/json",
	    "[1,", 3), AU_OK);
	CU_ASSERT_EQUAL(au_req_json_array(&r, &o), AU_EINVAL);
	au_arena_reset(au_http_arena);
}

static void
test_json_errors(void)
{
	char *s;

	json_case("text/plain", "{}", 2, "Content-Type must be application/json");
	json_case(NULL, "{}", 2, "Content-Type must be application/json");
	json_case("application/json", "", 0, "request body is empty");
	json_case("application/json", " \n\t", 3, "request body is empty");
	json_case("application/json", "{\"name\":\"x\",}", 13,
	    "request body is not valid JSON: unexpected character at offset 12");
	json_case("application/json", "{\"name\":\"x\"", 11,
	    "request body is not valid JSON: unexpected end of input");
	json_case("application/json", "{\"a\":01}", 8, "number expected");
	json_case("application/json", "{\"a\":TRUE}", 10, "boolean expected");
	json_case("application/json", "{\"a\":\"\xff\"}", 9,
	    "request body is not valid JSON: invalid UTF-8");
	json_case("application/json", "{\"a\":\"\xc0\xaf\"}", 10,
	    "request body is not valid JSON: invalid UTF-8");
	json_case("application/json", "{\"a\":\"x\\u0000y\"}", 16,
	    "NUL character");
	json_case("application/json", "[1,2]", 5,
	    "request body must be a JSON object");
	json_case("application/json", "123", 3,
	    "request body must be a JSON object");
	json_case("application/json", "\"javascript:alert(1)\"", 21,
	    "request body must be a JSON object");
	json_case("application/json", "null", 4,
	    "request body must be a JSON object");
	json_case("application/json", "{\"a\":1} x", 9,
	    "request body is not valid JSON");
	json_case("application/json", "{\"a\":1}{}", 9,
	    "request body is not valid JSON");
	json_case("application/json", "{\"a\":1}\0x", 9,
	    "unexpected data after the value at offset 7");
	s = nested(16, true);
	json_case("application/json", s, strlen(s), NULL);
	s = nested(16, false);
	json_case("application/json", s, strlen(s), NULL);
	s = nested(17, true);
	json_case("application/json", s, strlen(s),
	    "JSON nesting is deeper than 16 levels");
	s = nested(17, false);
	json_case("application/json", s, strlen(s),
	    "JSON nesting is deeper than 16 levels");
	s = nested(5000, true);
	json_case("application/json", s, strlen(s),
	    "JSON nesting is deeper than 16 levels");
}

static void
test_cookies(void)
{
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
		"HTTP_COOKIE=a=1;b=\"quoted\";  bad ; =x; c=v=w; d=x y; "
		"e=%41; f g=1; h=\"half; i=; a=second; j=\x01; k\t=\t2",
		NULL };
	struct au_kvlist l = { 0 };
	const char *err = NULL;
	struct au_req r;

	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "a"), "1");   /* first wins */
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "b"), "quoted");
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "c"), "v=w");
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "e"), "%41");  /* as sent */
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "i"), "");
	CU_ASSERT_STRING_EQUAL(au_req_cookie(&r, "k"), "2");
	CU_ASSERT_PTR_NULL(au_req_cookie(&r, "bad"));
	CU_ASSERT_PTR_NULL(au_req_cookie(&r, "d"));
	CU_ASSERT_PTR_NULL(au_req_cookie(&r, "f g"));
	CU_ASSERT_PTR_NULL(au_req_cookie(&r, "h"));
	CU_ASSERT_PTR_NULL(au_req_cookie(&r, "j"));
	CU_ASSERT_PTR_NULL(au_req_cookie(&r, ""));
	CU_ASSERT_EQUAL(r.cookies.n, 7);

	CU_ASSERT_EQUAL(au_cookie_parse(au_http_arena, "s=0123456789; t=1", 8, &l,
	    &err), AU_EINVAL);
	CU_ASSERT_STRING_EQUAL(err, "cookie 's' is longer than 8 bytes");
	CU_ASSERT_EQUAL(au_cookie_parse(au_http_arena, NULL, 8, &l, &err), AU_OK);
	au_arena_reset(au_http_arena);
}

/* A request whose Authorization header is value. */
static int
basic_case(const char *value, const char **u, const char **p)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/t", NULL, NULL };
	struct au_req r;

	env[2] = value != NULL ? au_arena_printf(au_http_arena,
	    "HTTP_AUTHORIZATION=%s", value) : NULL;
	CU_ASSERT_EQUAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	return au_req_basic_auth(&r, u, p);
}

static void
test_basic_auth(void)
{
	const char *u = NULL, *p = NULL;

	/* "client%3A1:s3cr%2Bet+x" */
	CU_ASSERT_EQUAL(basic_case("Basic Y2xpZW50JTNBMTpzM2NyJTJCZXQreA==",
	    &u, &p), AU_OK);
	CU_ASSERT_STRING_EQUAL(u, "client:1");
	CU_ASSERT_STRING_EQUAL(p, "s3cr+et x");
	CU_ASSERT_EQUAL(basic_case("basic   Y2xpZW50OnNlY3JldA==  ", &u, &p),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(u, "client");
	CU_ASSERT_STRING_EQUAL(p, "secret");
	CU_ASSERT_EQUAL(basic_case("Basic Y2xpZW50Og==", &u, &p), AU_OK);
	CU_ASSERT_STRING_EQUAL(p, "");   /* "client:" */
	CU_ASSERT_EQUAL(basic_case(NULL, &u, &p), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(basic_case("Bearer abc", &u, &p), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(basic_case("Basicabc", &u, &p), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(basic_case("Basic", &u, &p), AU_EINVAL);
	CU_ASSERT_EQUAL(basic_case("Basic !!!!", &u, &p), AU_EINVAL);
	CU_ASSERT_EQUAL(basic_case("Basic Y2xpZW50", &u, &p), AU_EINVAL);
	CU_ASSERT_EQUAL(basic_case("Basic OnNlY3JldA==", &u, &p), AU_EINVAL);
	/* "a%ff:b" and "a\0b:c" */
	CU_ASSERT_EQUAL(basic_case("Basic YSVmZjpi", &u, &p), AU_EINVAL);
	CU_ASSERT_EQUAL(basic_case("Basic YQBiOmM=", &u, &p), AU_EINVAL);
	au_arena_reset(au_http_arena);
}

static void
test_url_decode(void)
{
	char *out;
	size_t len;
	const char *why;

	CU_ASSERT_EQUAL(au_url_decode(au_http_arena, "a%41+%2b", 8, true, &out, &len),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(out, "aA +");
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(au_url_decode(au_http_arena, "a+b", 3, false, &out, &len),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(out, "a+b");
	CU_ASSERT_EQUAL(au_url_decode(au_http_arena, "%4", 2, false, &out, &len),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_url_decode_why(au_http_arena, "%4g", 3, false, &out, &len,
	    &why), AU_EINVAL);
	CU_ASSERT_STRING_EQUAL(why, "a malformed percent-escape");
	CU_ASSERT_EQUAL(au_url_decode(au_http_arena, "", 0, false, &out, &len), AU_OK);
	CU_ASSERT_STRING_EQUAL(out, "");
	au_arena_reset(au_http_arena);
}

void
test_http_req_register(void)
{
	AU_ADD_SUITE("http_req", au_http_suite_init, au_http_suite_clean,
	    AU_T(test_env_nginx), AU_T(test_env_apache),
	    AU_T(test_env_https_and_lengths), AU_T(test_env_missing),
	    AU_T(test_request_id), AU_T(test_path_decoding),
	    AU_T(test_path_limit), AU_T(test_query), AU_T(test_query_limit),
	    AU_T(test_dup_param), AU_T(test_form), AU_T(test_form_errors),
	    AU_T(test_header_limit), AU_T(test_json), AU_T(test_json_array),
	    AU_T(test_json_errors),
	    AU_T(test_cookies), AU_T(test_basic_auth), AU_T(test_url_decode));
}
