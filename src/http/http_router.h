/* http_router.h — the route table and its dispatcher.
 *
 * Routes are data: {method, pattern, handler, flags}.  Patterns are
 * literal segments and {name} parameters ("/realms/{realm}/token"); a
 * parameter matches one non-empty decoded segment.  The dispatcher finds
 * every route whose pattern matches the path: none gives 404, some but no
 * matching method gives 405 with Allow.  HEAD is served by GET routes
 * (body dropped), OPTIONS answered with Allow.
 *
 * Flags are enforced before the handler runs: AU_ROUTE_NOSTORE adds
 * Cache-Control: no-store and Pragma: no-cache; guards registered for a
 * flag (e.g. the admin bearer check) run in flag order, and the handler
 * runs only if each returns AU_OK (a guard that refuses has already
 * written its response).
 *
 * A handler returns AU_OK once it wrote a response.  If it returns an
 * error without one, the dispatcher answers: AU_EDB → 503, AU_ENOTFOUND →
 * 404, AU_EINVAL → 400 (with r->error), anything else → 500 (logged). */
#ifndef AU_HTTP_ROUTER_H
#define AU_HTTP_ROUTER_H

#include <stddef.h>

struct au_req;

typedef int (*au_handler_fn)(struct au_req *r);

enum au_route_flag {
	AU_ROUTE_NOSTORE = 1u << 0, /* token-like responses */
	AU_ROUTE_API = 1u << 1,     /* errors as problem+json */
	AU_ROUTE_HTML = 1u << 2,    /* errors as HTML pages */
	AU_ROUTE_ADMIN = 1u << 3    /* admin bearer token required (guard) */
};

struct au_route {
	const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *pattern;
	au_handler_fn fn;
	unsigned flags;
};

typedef int (*au_guard_fn)(struct au_req *r);
/* Installs the guard run for routes carrying flag. */
void au_router_set_guard(unsigned flag, au_guard_fn fn);

/* Routes r through table[0..n). Always leaves a response in r->resp. */
void au_router_dispatch(struct au_req *r, const struct au_route *table,
    size_t n);

#endif
