/* test_http_resp.c — response building and serialisation, header
 * injection, problem+json, error negotiation, URL building. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "http/http_router.h"
#include "au_test.h"
#include "test_http.h"

void test_http_resp_register(void);


/* A request with method, URI and an Accept header (may be NULL). */
static void
mkreq(struct au_req *r, const char *method, const char *accept)
{
	char *env[4];
	int n = 0;

	env[n++] = au_arena_printf(au_http_arena, "REQUEST_METHOD=%s", method);
	env[n++] = "REQUEST_URI=/realms/acme/x";
	if (accept != NULL)
		env[n++] = au_arena_printf(au_http_arena, "HTTP_ACCEPT=%s", accept);
	env[n] = NULL;
	CU_ASSERT_EQUAL_FATAL(au_req_init(r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
}

static char *
serialize(const struct au_req *r)
{
	struct au_buf b;

	au_buf_init(&b, au_http_arena, 256);
	au_resp_serialize(r, &b);
	return b.p;
}

/* The number of times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
test_serialize_json(void)
{
	struct json_object *o = json_object_new_object();
	struct au_req r;
	char *out, *want;

	mkreq(&r, "GET", NULL);
	json_object_object_add(o, "url",
	    json_object_new_string("https://c.example/cb"));
	CU_ASSERT_EQUAL(au_resp_json(&r, 200, o), AU_OK);
	CU_ASSERT_EQUAL(r.resp.status, 200);
	CU_ASSERT_STRING_EQUAL(r.resp.body.p, "{\"url\":\"https://c.example/cb\"}");
	out = serialize(&r);
	CU_ASSERT(strncmp(out, "Status: 200 OK\r\n", 16) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\nContent-Type: application/json\r\n"));
	want = au_arena_printf(au_http_arena, "\r\nX-Request-Id: %s\r\n", r.request_id);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	CU_ASSERT_EQUAL(count(out, "X-Content-Type-Options: nosniff\r\n"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\nContent-Length: 30\r\n\r\n"
	    "{\"url\":\"https://c.example/cb\"}"));
	CU_ASSERT_EQUAL(strlen(strstr(out, "\r\n\r\n")), 4 + 30);
	au_arena_reset(au_http_arena);
}

static void
test_header_injection(void)
{
	struct au_req r;
	char *out;

	mkreq(&r, "GET", NULL);
	au_resp_header(&r, "X-Evil", "a\r\nSet-Cookie: evil=1");
	au_resp_header(&r, "X-Evil2", "a\nb");
	au_resp_set_header(&r, "X-Evil3", "a\rb");
	au_resp_header(&r, "X Bad", "x");
	au_resp_header(&r, "X-Bad:", "x");
	au_resp_header(&r, "X-Null", NULL);
	au_resp_header(&r, "X-Ok", "a\tb c");
	au_resp_header(&r, "Set-Cookie", "a=1");
	au_resp_header(&r, "Set-Cookie", "b=2");
	au_resp_set_header(&r, "X-Once", "1");
	au_resp_set_header(&r, "x-once", "2");
	CU_ASSERT_EQUAL(r.resp.headers.n, 4);
	/* a header slipped straight into the list is still not written */
	au_kv_add(au_http_arena, &r.resp.headers, "X-Direct", "a\r\nb", 4);
	au_resp_text(&r, 200, NULL, "hi", 2);
	out = serialize(&r);
	CU_ASSERT_PTR_NULL(strstr(out, "evil"));
	CU_ASSERT_PTR_NULL(strstr(out, "X-Evil"));
	CU_ASSERT_PTR_NULL(strstr(out, "X Bad"));
	CU_ASSERT_PTR_NULL(strstr(out, "X-Direct"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\nX-Ok: a\tb c\r\n"));
	CU_ASSERT_EQUAL(count(out, "Set-Cookie: "), 2);
	CU_ASSERT_EQUAL(count(out, "X-Once"), 0);
	CU_ASSERT_EQUAL(count(out, "x-once: 2\r\n"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "Content-Type: text/plain; charset=utf-8\r\n"));
	CU_ASSERT_EQUAL(count(out, "\r\n\r\n"), 1);
	au_arena_reset(au_http_arena);
}

static void
test_head_and_bodyless(void)
{
	struct au_req r;
	char *out;

	mkreq(&r, "HEAD", NULL);
	au_resp_text(&r, 200, "text/plain", "hello", 5);
	out = serialize(&r);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Length: 5\r\n"));
	CU_ASSERT_EQUAL(strlen(strstr(out, "\r\n\r\n")), 4);
	CU_ASSERT_PTR_NULL(strstr(out, "hello"));

	mkreq(&r, "GET", NULL);
	au_resp_empty(&r, 204);
	out = serialize(&r);
	CU_ASSERT(strncmp(out, "Status: 204 No Content\r\n", 24) == 0);
	CU_ASSERT_PTR_NULL(strstr(out, "Content-Length"));
	CU_ASSERT_PTR_NULL(strstr(out, "\r\nContent-Type:"));

	mkreq(&r, "GET", NULL);   /* no response written: a 500 */
	out = serialize(&r);
	CU_ASSERT(strncmp(out, "Status: 500 Internal Server Error\r\n", 35) == 0);
	au_arena_reset(au_http_arena);
}

static void
test_html_headers(void)
{
	struct au_req r;
	char *out;

	mkreq(&r, "GET", NULL);
	au_resp_html(&r, 200, "<p>x</p>", 8);
	out = serialize(&r);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Type: text/html; charset=utf-8\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "X-Frame-Options: DENY\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Security-Policy: default-src "
	    "'self'; frame-ancestors 'none'; form-action 'self'; base-uri "
	    "'none'\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Referrer-Policy: no-referrer\r\n"));
	CU_ASSERT_EQUAL(count(out, "X-Content-Type-Options: nosniff\r\n"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\n\r\n<p>x</p>"));
	/* a second response replaces, it does not duplicate */
	au_resp_html(&r, 400, "<p>y</p>", 8);
	out = serialize(&r);
	CU_ASSERT_EQUAL(count(out, "X-Frame-Options"), 1);
	CU_ASSERT_EQUAL(count(out, "\r\nContent-Type:"), 1);
	CU_ASSERT_PTR_NULL(strstr(out, "<p>x</p>"));
	au_arena_reset(au_http_arena);
}

static void
put_json(void *p)
{
	json_object_put(p);
}

/* Parses r's body as JSON (freed at au_http_arena reset). */
static struct json_object *
body_json(struct au_req *r)
{
	struct json_object *o = json_tokener_parse(r->resp.body.p);

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	au_arena_cleanup(au_http_arena, put_json, o);
	return o;
}

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/* A 400 problem with one error naming field, and detail as given. */
static void
problem_with_field(struct au_req *r, const char *field, const char *detail)
{
	struct json_object *errors = json_object_new_array();
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(e, "message", json_object_new_string("x"));
	json_object_array_add(errors, e);
	au_resp_problem(r, 400, "Validation failed", detail, errors);
}

static void
test_problem(void)
{
	struct json_object *o, *errors, *e, *v;
	struct au_req r;

	mkreq(&r, "GET", NULL);
	au_resp_problem(&r, 404, "Not Found", "No such realm", NULL);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "content-type"),
	    "application/problem+json");
	o = body_json(&r);
	CU_ASSERT_STRING_EQUAL(jstr(o, "type"), "about:blank");
	CU_ASSERT_STRING_EQUAL(jstr(o, "title"), "Not Found");
	CU_ASSERT_STRING_EQUAL(jstr(o, "status"), "404");
	CU_ASSERT_STRING_EQUAL(jstr(o, "detail"), "No such realm");
	CU_ASSERT_STRING_EQUAL(jstr(o, "instance"), au_arena_printf(au_http_arena,
	    "urn:authio:request:%s", r.request_id));
	CU_ASSERT_FALSE(json_object_object_get_ex(o, "errors", NULL));

	errors = json_object_new_array();
	e = json_object_new_object();
	json_object_object_add(e, "field", json_object_new_string("name"));
	json_object_object_add(e, "message", json_object_new_string("taken"));
	json_object_array_add(errors, e);
	au_resp_problem(&r, 409, "Realm name already taken!", "x", errors);
	CU_ASSERT_EQUAL(r.resp.status, 409);
	o = body_json(&r);
	CU_ASSERT_STRING_EQUAL(jstr(o, "type"),
	    "urn:authio:problem:realm-name-already-taken");
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "errors", &v));
	CU_ASSERT_EQUAL(json_object_array_length(v), 1);

	au_resp_field_error(&r, 400, "redirect_uris", "must be https");
	o = body_json(&r);
	CU_ASSERT_STRING_EQUAL(jstr(o, "title"), "Bad Request");
	CU_ASSERT_STRING_EQUAL(jstr(o, "detail"), "must be https");
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "errors", &v));
	CU_ASSERT_STRING_EQUAL(jstr(json_object_array_get_idx(v, 0), "field"),
	    "redirect_uris");

	/* inside an import, fields are named from the document's root */
	r.field_prefix = "clients[3]";
	au_resp_field_error(&r, 400, "redirectUris[0]", "must be absolute");
	o = body_json(&r);
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "errors", &v));
	CU_ASSERT_STRING_EQUAL(jstr(json_object_array_get_idx(v, 0), "field"),
	    "clients[3].redirectUris[0]");
	au_resp_field_error(&r, 400, "[2].name", "unknown role");
	o = body_json(&r);
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "errors", &v));
	CU_ASSERT_STRING_EQUAL(jstr(json_object_array_get_idx(v, 0), "field"),
	    "clients[3][2].name");
	/* so does a detail that starts with the first error's field */
	problem_with_field(&r, "name", "name must not be empty");
	o = body_json(&r);
	CU_ASSERT_STRING_EQUAL(jstr(o, "detail"),
	    "clients[3].name must not be empty");
	problem_with_field(&r, "", " must be a JSON object");
	o = body_json(&r);
	CU_ASSERT_STRING_EQUAL(jstr(o, "detail"),
	    "clients[3] must be a JSON object");
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, "errors", &v));
	CU_ASSERT_STRING_EQUAL(jstr(json_object_array_get_idx(v, 0), "field"),
	    "clients[3]");
	problem_with_field(&r, "name", "the name is taken");
	CU_ASSERT_STRING_EQUAL(jstr(body_json(&r), "detail"),
	    "the name is taken");
	r.field_prefix = NULL;
	au_arena_reset(au_http_arena);
}

static int page_calls;
static int page_result;

static int
fake_page(struct au_req *r, int status, const char *title,
    const char *detail)
{
	char *html = au_arena_printf(r->arena, "<h1>%s</h1>%s", title, detail);

	page_calls++;
	if (page_result != AU_OK)
		return page_result;
	return au_resp_html(r, status, html, strlen(html));
}

static const char *
error_ctype(const char *accept, unsigned flags)
{
	struct au_req r;

	mkreq(&r, "GET", accept);
	r.route_flags = flags;
	au_resp_error(&r, 404, "Not Found", "gone");
	CU_ASSERT_EQUAL(r.resp.status, 404);
	return au_arena_strdup(au_http_arena, au_resp_get_header(&r, "Content-Type"));
}

static void
test_error_negotiation(void)
{
	struct au_req r;

	page_result = AU_OK;
	au_resp_set_error_page(fake_page);
	CU_ASSERT_STRING_EQUAL(error_ctype(NULL, AU_ROUTE_API),
	    "application/problem+json");
	CU_ASSERT_STRING_EQUAL(error_ctype("application/json", AU_ROUTE_HTML),
	    "text/html; charset=utf-8");
	CU_ASSERT_STRING_EQUAL(error_ctype("application/json", 0),
	    "application/problem+json");
	CU_ASSERT_STRING_EQUAL(error_ctype("Application/Problem+JSON", 0),
	    "application/problem+json");
	CU_ASSERT_STRING_EQUAL(error_ctype("text/html,application/json", 0),
	    "text/html; charset=utf-8");
	CU_ASSERT_STRING_EQUAL(error_ctype("application/json, text/html", 0),
	    "application/problem+json");
	CU_ASSERT_STRING_EQUAL(error_ctype("*/*", 0), "text/html; charset=utf-8");
	CU_ASSERT_STRING_EQUAL(error_ctype(NULL, 0), "text/html; charset=utf-8");

	page_calls = 0;
	page_result = AU_EINTERNAL;  /* the renderer fails: plain text */
	mkreq(&r, "GET", NULL);
	au_resp_error(&r, 400, "Bad Request", "the <b>state</b> is missing");
	CU_ASSERT_EQUAL(page_calls, 1);
	CU_ASSERT_EQUAL(r.resp.status, 400);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Content-Type"),
	    "text/plain; charset=utf-8");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.resp.body.p, "400 Bad Request"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.resp.body.p, r.request_id));

	au_resp_set_error_page(NULL);
	CU_ASSERT_STRING_EQUAL(error_ctype(NULL, AU_ROUTE_HTML),
	    "text/plain; charset=utf-8");
	au_arena_reset(au_http_arena);
}

static void
test_redirect_and_unavailable(void)
{
	struct au_req r;
	char *out;

	mkreq(&r, "GET", NULL);
	CU_ASSERT_EQUAL(au_resp_redirect(&r, 302, "https://c.example/cb?code=1"),
	    AU_OK);
	out = serialize(&r);
	CU_ASSERT(strncmp(out, "Status: 302 Found\r\n", 19) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "\r\nLocation: https://c.example/cb?code=1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Length: 0\r\n"));

	mkreq(&r, "GET", NULL);
	au_resp_redirect(&r, 303, "https://c.example/\r\nSet-Cookie: x=1");
	CU_ASSERT_EQUAL(r.resp.status, 500);
	CU_ASSERT_PTR_NULL(au_resp_get_header(&r, "Location"));
	out = serialize(&r);
	CU_ASSERT_PTR_NULL(strstr(out, "Set-Cookie"));

	mkreq(&r, "GET", "application/json");
	au_resp_unavailable(&r);
	CU_ASSERT_EQUAL(r.resp.status, 503);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Retry-After"), "5");
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "content-type"),
	    "application/problem+json");
	au_arena_reset(au_http_arena);
}

static void
test_url_build(void)
{
	const char *pairs[] = { "code", "a b/c", "state", NULL, "x", "\xc3\xa9",
		"e&=", "?#", NULL };
	const char *one[] = { "error", "access_denied", NULL };

	CU_ASSERT_STRING_EQUAL(au_url_build(au_http_arena, "https://c.example/cb", pairs),
	    "https://c.example/cb?code=a%20b%2Fc&x=%C3%A9&e%26%3D=%3F%23");
	CU_ASSERT_STRING_EQUAL(au_url_build(au_http_arena, "https://c.example/cb?foo=1",
	    one), "https://c.example/cb?foo=1&error=access_denied");
	CU_ASSERT_STRING_EQUAL(au_url_build(au_http_arena, "https://c.example/cb?", one),
	    "https://c.example/cb?error=access_denied");
	CU_ASSERT_STRING_EQUAL(au_url_build(au_http_arena, "https://c.example/cb?a=1&",
	    one), "https://c.example/cb?a=1&error=access_denied");
	CU_ASSERT_STRING_EQUAL(au_url_build(au_http_arena, "https://c.example/cb", NULL),
	    "https://c.example/cb");
	CU_ASSERT_PTR_NULL(au_url_build(au_http_arena, "https://c.example/\r\nX: y", one));
	CU_ASSERT_PTR_NULL(au_url_build(au_http_arena, "https://c.example/\n", one));
	CU_ASSERT_PTR_NULL(au_url_build(au_http_arena, "https://c.example/cb#frag", one));
	CU_ASSERT_PTR_NULL(au_url_build(au_http_arena, NULL, one));
	CU_ASSERT_STRING_EQUAL(au_url_encode(au_http_arena, "AZaz09-._~ !*'()/?%+\x01"),
	    "AZaz09-._~%20%21%2A%27%28%29%2F%3F%25%2B%01");
	CU_ASSERT_PTR_NULL(au_url_encode(au_http_arena, NULL));
	au_arena_reset(au_http_arena);
}

static void
test_reason(void)
{
	CU_ASSERT_STRING_EQUAL(au_http_reason(200), "OK");
	CU_ASSERT_STRING_EQUAL(au_http_reason(404), "Not Found");
	CU_ASSERT_STRING_EQUAL(au_http_reason(503), "Service Unavailable");
	CU_ASSERT_STRING_EQUAL(au_http_reason(299), "Unknown");
}

void
test_http_resp_register(void)
{
	AU_ADD_SUITE("http_resp", au_http_suite_init, au_http_suite_clean,
	    AU_T(test_serialize_json), AU_T(test_header_injection),
	    AU_T(test_head_and_bodyless), AU_T(test_html_headers),
	    AU_T(test_problem), AU_T(test_error_negotiation),
	    AU_T(test_redirect_and_unavailable), AU_T(test_url_build),
	    AU_T(test_reason));
}
