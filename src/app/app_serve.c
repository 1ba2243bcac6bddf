/* app_serve.c — request pipeline: parse, route, serialise, log. */
#include <mysql.h>

#include "admin/api_auth.h"
#include "app/app_ctx.h"
#include "app/app_serve.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "http/http_router.h"
#include "app/app_routes.h"
#include "login/login_error.h"
#include "view/view.h"

void
au_app_global_init(void)
{
	mysql_library_init(0, NULL, NULL);
	au_view_global_init();
	au_resp_set_error_page(au_login_error_page);
	au_router_set_guard(AU_ROUTE_ADMIN, au_api_auth_guard);
}

void
au_app_serve(struct au_ctx *c, struct au_arena *a, char **envp,
    const char *body, size_t len, bool body_too_large, struct au_buf *out)
{
	struct au_req req;
	int64_t t0 = au_time_mono_ms();
	int rc;

	rc = au_req_init(&req, a, c->cfg, envp, body_too_large ? "" : body,
	    body_too_large ? 0 : len);
	req.app = c;
	au_log_set_request_id(req.request_id);
	if (body_too_large) {
		if (req.path != NULL && au_str_has_prefix(req.path, "/api/"))
			req.route_flags |= AU_ROUTE_API;
		au_resp_error(&req, 413, "Content Too Large", au_arena_printf(a,
		    "The request body is larger than %zu bytes.",
		    c->cfg->max_body));
	} else if (rc != AU_OK) {
		/* no route matched yet: API paths still get problem+json */
		if (req.path != NULL && au_str_has_prefix(req.path, "/api/"))
			req.route_flags |= AU_ROUTE_API;
		au_resp_error(&req, 400, "Bad Request", req.error != NULL ?
		    req.error : "The request could not be parsed.");
	} else {
		au_router_dispatch(&req, au_routes, au_routes_count);
	}
	au_resp_serialize(&req, out);
	c->requests++;
	au_log_debug("%s %s -> %d (%lld ms)", req.method ? req.method : "-",
	    req.path ? req.path : "-", req.resp.status,
	    (long long)(au_time_mono_ms() - t0));
	au_log_set_request_id(NULL);
}
