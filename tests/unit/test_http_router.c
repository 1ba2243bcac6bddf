/* test_http_router.c — matching, parameters, 404/405/OPTIONS/HEAD,
 * guards, flags and the mapping of handler errors to responses. */
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

void test_http_router_register(void);

static const char *last_handler;
static int handler_calls, guard_calls;

static int
suite_clean(void)
{
	au_router_set_guard(AU_ROUTE_ADMIN, NULL);
	return au_http_suite_clean();
}

/* Answers 200 with "<name> realm=<realm> id=<id>" as text. */
static int
answer(struct au_req *r, const char *name)
{
	const char *realm = au_req_param(r, "realm"), *id = au_req_param(r, "id");
	char *s = au_arena_printf(r->arena, "%s realm=%s id=%s", name,
	    realm != NULL ? realm : "-", id != NULL ? id : "-");

	last_handler = name;
	handler_calls++;
	return au_resp_text(r, 200, NULL, s, strlen(s));
}

static int h_item(struct au_req *r) { return answer(r, "item"); }
static int h_item_post(struct au_req *r) { return answer(r, "item_post"); }
static int h_admin_item(struct au_req *r) { return answer(r, "admin_item"); }
static int h_root(struct au_req *r) { return answer(r, "root"); }
static int h_token(struct au_req *r) { return answer(r, "token"); }
static int h_admin(struct au_req *r) { return answer(r, "admin"); }

static int
h_fail(struct au_req *r)
{
	const char *what = au_req_param(r, "what");

	handler_calls++;
	if (strcmp(what, "db") == 0)
		return AU_EDB;
	if (strcmp(what, "notfound") == 0)
		return AU_ENOTFOUND;
	if (strcmp(what, "inval") == 0) {
		r->error = "redirect_uri is not registered";
		return AU_EINVAL;
	}
	if (strcmp(what, "inval-bare") == 0)
		return AU_EINVAL;
	if (strcmp(what, "limit") == 0)
		return AU_ELIMIT;
	if (strcmp(what, "silent") == 0)
		return AU_OK;   /* forgot to respond */
	if (strcmp(what, "wrote") == 0) {
		au_resp_text(r, 409, NULL, "conflict", 8);
		return AU_ECONFLICT;
	}
	return AU_ECRYPTO;
}

static int
g_refuse(struct au_req *r)
{
	guard_calls++;
	au_resp_header(r, "WWW-Authenticate", "Bearer");
	au_resp_error(r, 401, "Unauthorized", "a bearer token is required");
	return AU_EDENIED;
}

static int
g_allow(struct au_req *r)
{
	(void)r;
	guard_calls++;
	return AU_OK;
}

static const struct au_route table[] = {
	{ "GET", "/realms/{realm}/items/{id}", h_item, AU_ROUTE_API },
	{ "POST", "/realms/{realm}/items/{id}", h_item_post, AU_ROUTE_API },
	{ "GET", "/realms/admin/items/{id}", h_admin_item, AU_ROUTE_HTML },
	{ "PUT", "/realms/{realm}/items/{id}", h_item, AU_ROUTE_API },
	{ "POST", "/realms/{realm}/token", h_token,
	    AU_ROUTE_API | AU_ROUTE_NOSTORE },
	{ "GET", "/api/fail/{what}", h_fail, AU_ROUTE_API },
	{ "GET", "/page/fail/{what}", h_fail, AU_ROUTE_HTML },
	{ "GET", "/admin/x", h_admin, AU_ROUTE_API | AU_ROUTE_ADMIN },
	{ "GET", "/", h_root, 0 },
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

/* Dispatches method uri (with an optional Accept) through table. */
static void
run(struct au_req *r, const char *method, const char *uri, const char *accept)
{
	char *env[4];
	int n = 0;

	env[n++] = au_arena_printf(au_http_arena, "REQUEST_METHOD=%s", method);
	env[n++] = au_arena_printf(au_http_arena, "REQUEST_URI=%s", uri);
	if (accept != NULL)
		env[n++] = au_arena_printf(au_http_arena, "HTTP_ACCEPT=%s", accept);
	env[n] = NULL;
	CU_ASSERT_EQUAL_FATAL(au_req_init(r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	last_handler = NULL;
	handler_calls = 0;
	au_router_dispatch(r, table, NTABLE);
	CU_ASSERT_NOT_EQUAL(r->resp.status, 0);
}

static char *
serialize(const struct au_req *r)
{
	struct au_buf b;

	au_buf_init(&b, au_http_arena, 256);
	au_resp_serialize(r, &b);
	return b.p;
}

static void
test_params(void)
{
	struct au_req r;

	run(&r, "GET", "/realms/acme/items/42?x=1", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 200);
	CU_ASSERT_STRING_EQUAL(r.resp.body.p, "item realm=acme id=42");
	CU_ASSERT_EQUAL(r.route_flags, AU_ROUTE_API);
	CU_ASSERT_EQUAL(r.params.n, 2);
	run(&r, "GET", "/realms/a%20b/items/%C3%A9/", NULL);
	CU_ASSERT_STRING_EQUAL(r.resp.body.p, "item realm=a b id=\xc3\xa9");
	run(&r, "GET", "/", NULL);
	CU_ASSERT_STRING_EQUAL(last_handler, "root");
	CU_ASSERT_EQUAL(r.params.n, 0);
	au_arena_reset(au_http_arena);
}

static void
test_specific_beats_param(void)
{
	struct au_req r;

	run(&r, "GET", "/realms/admin/items/7", NULL);
	CU_ASSERT_STRING_EQUAL(last_handler, "admin_item");
	CU_ASSERT_EQUAL(r.route_flags, AU_ROUTE_HTML);
	/* no POST on the literal pattern: the parameter route serves it */
	run(&r, "POST", "/realms/admin/items/7", NULL);
	CU_ASSERT_STRING_EQUAL(last_handler, "item_post");
	CU_ASSERT_STRING_EQUAL(au_req_param(&r, "realm"), "admin");
	au_arena_reset(au_http_arena);
}

static int h_first(struct au_req *r) { return answer(r, "first"); }
static int h_second(struct au_req *r) { return answer(r, "second"); }

/* Specificity does not depend on table order; between routes with the
 * same pattern and method the first one wins. */
static void
test_route_order(void)
{
	static const struct au_route order[] = {
		{ "GET", "/r/admin/{id}", h_admin_item, 0 },
		{ "GET", "/r/{realm}/{id}", h_item, 0 },
		{ "GET", "/r/{realm}/x", h_token, 0 },
		{ "GET", "/dup", h_first, 0 },
		{ "GET", "/dup", h_second, 0 },
	};
	char *env[] = { "REQUEST_METHOD=GET", NULL, NULL };
	struct au_req r;

	env[1] = "REQUEST_URI=/r/admin/1";
	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	au_router_dispatch(&r, order, 5);
	CU_ASSERT_STRING_EQUAL(last_handler, "admin_item");
	/* the earlier literal decides: /r/admin/x is admin's, not {realm}/x */
	env[1] = "REQUEST_URI=/r/admin/x";
	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	au_router_dispatch(&r, order, 5);
	CU_ASSERT_STRING_EQUAL(last_handler, "admin_item");
	env[1] = "REQUEST_URI=/r/acme/x";
	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	au_router_dispatch(&r, order, 5);
	CU_ASSERT_STRING_EQUAL(last_handler, "token");
	env[1] = "REQUEST_URI=/r/acme/7";
	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	au_router_dispatch(&r, order, 5);
	CU_ASSERT_STRING_EQUAL(last_handler, "item");
	env[1] = "REQUEST_URI=/dup";
	CU_ASSERT_EQUAL_FATAL(au_req_init(&r, au_http_arena, &au_http_cfg, env, NULL, 0), AU_OK);
	au_router_dispatch(&r, order, 5);
	CU_ASSERT_STRING_EQUAL(last_handler, "first");
	au_arena_reset(au_http_arena);
}

static void
test_not_found(void)
{
	struct au_req r;

	run(&r, "GET", "/nope", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 404);
	CU_ASSERT_EQUAL(r.route_flags, 0);
	CU_ASSERT_EQUAL(handler_calls, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.resp.body.p, "No route for /nope"));
	run(&r, "GET", "/api/nope", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 404);
	CU_ASSERT_EQUAL(r.route_flags, AU_ROUTE_API);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Content-Type"),
	    "application/problem+json");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.resp.body.p, "No route for /api/nope"));
	run(&r, "GET", "/Realms/acme/items/1", NULL);   /* case-sensitive */
	CU_ASSERT_EQUAL(r.resp.status, 404);
	run(&r, "GET", "/realms/acme/items", NULL);      /* too short */
	CU_ASSERT_EQUAL(r.resp.status, 404);
	run(&r, "GET", "/realms/acme/items/1/more", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 404);
	au_arena_reset(au_http_arena);
}

static void
test_method_not_allowed(void)
{
	struct au_req r;

	run(&r, "DELETE", "/realms/acme/items/1", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 405);
	CU_ASSERT_EQUAL(handler_calls, 0);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Allow"),
	    "GET, HEAD, POST, PUT, OPTIONS");
	/* the literal pattern's routes count too */
	run(&r, "DELETE", "/realms/admin/items/1", NULL);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Allow"),
	    "GET, HEAD, POST, PUT, OPTIONS");
	run(&r, "GET", "/realms/acme/token", "application/json");
	CU_ASSERT_EQUAL(r.resp.status, 405);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Allow"),
	    "POST, OPTIONS");
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Content-Type"),
	    "application/problem+json");
	au_arena_reset(au_http_arena);
}

static void
test_head_and_options(void)
{
	struct au_req r;
	char *out;

	run(&r, "HEAD", "/realms/acme/items/1", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 200);
	CU_ASSERT_STRING_EQUAL(last_handler, "item");
	out = serialize(&r);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Length: 20\r\n"));
	CU_ASSERT_EQUAL(strlen(strstr(out, "\r\n\r\n")), 4);

	run(&r, "OPTIONS", "/realms/acme/items/1", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 204);
	CU_ASSERT_EQUAL(handler_calls, 0);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Allow"),
	    "GET, HEAD, POST, PUT, OPTIONS");
	run(&r, "OPTIONS", "/nope", NULL);
	CU_ASSERT_EQUAL(r.resp.status, 404);
	run(&r, "HEAD", "/realms/acme/token", NULL);  /* no GET route */
	CU_ASSERT_EQUAL(r.resp.status, 405);
	au_arena_reset(au_http_arena);
}

static void
test_guards(void)
{
	struct au_req r;

	au_router_set_guard(AU_ROUTE_ADMIN, g_refuse);
	guard_calls = 0;
	run(&r, "GET", "/admin/x", NULL);
	CU_ASSERT_EQUAL(guard_calls, 1);
	CU_ASSERT_EQUAL(handler_calls, 0);
	CU_ASSERT_EQUAL(r.resp.status, 401);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "WWW-Authenticate"),
	    "Bearer");
	/* routes without the flag do not run the guard */
	run(&r, "GET", "/realms/acme/items/1", NULL);
	CU_ASSERT_EQUAL(guard_calls, 1);
	CU_ASSERT_EQUAL(r.resp.status, 200);

	au_router_set_guard(AU_ROUTE_ADMIN, g_allow);
	run(&r, "GET", "/admin/x", NULL);
	CU_ASSERT_EQUAL(guard_calls, 2);
	CU_ASSERT_STRING_EQUAL(last_handler, "admin");
	CU_ASSERT_EQUAL(r.resp.status, 200);
	au_router_set_guard(AU_ROUTE_ADMIN, NULL);
	au_arena_reset(au_http_arena);
}

static void
test_nostore(void)
{
	struct au_req r;
	char *out;

	run(&r, "POST", "/realms/acme/token", NULL);
	CU_ASSERT_STRING_EQUAL(last_handler, "token");
	out = serialize(&r);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\nCache-Control: no-store\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\nPragma: no-cache\r\n"));
	run(&r, "GET", "/realms/acme/items/1", NULL);
	CU_ASSERT_PTR_NULL(au_resp_get_header(&r, "Cache-Control"));
	au_arena_reset(au_http_arena);
}

/* Status and body after GET /api/fail/<what>. */
static int
fail_status(const char *what, const char *detail_needle)
{
	struct au_req r;

	run(&r, "GET", au_arena_printf(au_http_arena, "/api/fail/%s", what), NULL);
	CU_ASSERT_EQUAL(handler_calls, 1);
	if (detail_needle != NULL) {
		if (strstr(r.resp.body.p, detail_needle) == NULL)
			fprintf(stderr, "\n%s: body %s lacks %s\n", what,
			    r.resp.body.p, detail_needle);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.resp.body.p, detail_needle));
	}
	return r.resp.status;
}

static void
test_error_mapping(void)
{
	struct au_req r;

	CU_ASSERT_EQUAL(fail_status("db", "\"status\":503"), 503);
	CU_ASSERT_EQUAL(fail_status("notfound", "\"status\":404"), 404);
	CU_ASSERT_EQUAL(fail_status("inval",
	    "\"detail\":\"redirect_uri is not registered\""), 400);
	CU_ASSERT_EQUAL(fail_status("inval-bare", "\"detail\":\"Bad request\""),
	    400);
	CU_ASSERT_EQUAL(fail_status("limit", NULL), 413);
	CU_ASSERT_EQUAL(fail_status("crypto", "\"title\":\"Internal Server "
	    "Error\""), 500);
	CU_ASSERT_EQUAL(fail_status("silent", NULL), 500);
	CU_ASSERT_EQUAL(fail_status("wrote", "conflict"), 409);

	run(&r, "GET", "/api/fail/crypto", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.resp.body.p, au_arena_printf(au_http_arena,
	    "The request could not be completed (request id %s)",
	    r.request_id)));
	/* internals stay in the log */
	CU_ASSERT_PTR_NULL(strstr(r.resp.body.p, "crypto"));
	/* an HTML route without a renderer: plain text */
	run(&r, "GET", "/page/fail/db", "application/json");
	CU_ASSERT_EQUAL(r.resp.status, 503);
	CU_ASSERT_STRING_EQUAL(au_resp_get_header(&r, "Content-Type"),
	    "text/plain; charset=utf-8");
	au_arena_reset(au_http_arena);
}

void
test_http_router_register(void)
{
	AU_ADD_SUITE("http_router", au_http_suite_init, suite_clean,
	    AU_T(test_params), AU_T(test_specific_beats_param),
	    AU_T(test_route_order),
	    AU_T(test_not_found), AU_T(test_method_not_allowed),
	    AU_T(test_head_and_options), AU_T(test_guards),
	    AU_T(test_nostore), AU_T(test_error_mapping));
}
