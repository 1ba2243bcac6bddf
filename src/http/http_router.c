/* http_router.c — matching a request against the route table and
 * running the matched route's flags, guards and handler.
 *
 * Patterns are parsed on every match: tables are short and the patterns
 * are a few bytes, so there is nothing worth caching.  When several
 * patterns match one path the most specific wins (a literal segment
 * beats a {parameter} at the first position where they differ), so
 * "/realms/{realm}/x" and "/realms/admin/x" may sit in either order;
 * table order decides only between routes with the same pattern. */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "http/http_router.h"

#define MAX_GUARDS 32
#define SCORE_BITS 63

static au_guard_fn guards[MAX_GUARDS];

void
au_router_set_guard(unsigned flag, au_guard_fn fn)
{
	int bit = 0;

	assert(flag != 0 && (flag & (flag - 1)) == 0);
	while ((flag >> bit) != 1)
		bit++;
	guards[bit] = fn;
}

/* The next pattern segment at *p: its start and length; *p moves past
 * it. False at the end of the pattern. */
static bool
pattern_next(const char **p, const char **seg, size_t *len)
{
	const char *s = *p, *e;

	if (*s == '/')
		s++;
	if (*s == '\0')
		return false;
	e = strchr(s, '/');
	if (e == NULL)
		e = s + strlen(s);
	*seg = s;
	*len = (size_t)(e - s);
	*p = e;
	return true;
}

static bool
is_param(const char *seg, size_t len)
{
	return len >= 2 && seg[0] == '{' && seg[len - 1] == '}';
}

/* Does pattern match r's segments?  *score has a bit per literal
 * segment, the first segment weighing most. */
static bool
route_match(const char *pattern, const struct au_req *r, uint64_t *score)
{
	const char *p = pattern, *seg;
	uint64_t s = 0;
	size_t len;
	int i = 0;

	while (pattern_next(&p, &seg, &len)) {
		if (i >= r->nsegs)
			return false;
		if (!is_param(seg, len)) {
			if (strlen(r->segs[i]) != len ||
			    memcmp(r->segs[i], seg, len) != 0)
				return false;
			if (i < SCORE_BITS)
				s |= (uint64_t)1 << (SCORE_BITS - 1 - i);
		}
		i++;
	}
	if (i != r->nsegs)
		return false;
	*score = s;
	return true;
}

/* Binds the {name} segments of a matching pattern into r->params. */
static void
bind_params(struct au_req *r, const char *pattern)
{
	const char *p = pattern, *seg;
	size_t len;
	int i = 0;

	memset(&r->params, 0, sizeof(r->params));
	while (pattern_next(&p, &seg, &len)) {
		if (is_param(seg, len))
			au_kv_add(r->arena, &r->params,
			    au_arena_strndup(r->arena, seg + 1, len - 2),
			    r->segs[i], strlen(r->segs[i]));
		i++;
	}
}

static bool
method_ok(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	    (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

static bool
list_has(const char **v, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* "GET, HEAD, POST, OPTIONS": the methods of every route matching the
 * path, in table order, HEAD right after GET, OPTIONS last. */
static char *
allow_header(struct au_req *r, const struct au_route *table, size_t n)
{
	const char **v = au_arena_alloc(r->arena, sizeof(*v) * (2 * n + 1));
	struct au_buf b;
	uint64_t score;
	int k = 0, i;
	size_t j;

	for (j = 0; j < n; j++) {
		if (!route_match(table[j].pattern, r, &score) ||
		    list_has(v, k, table[j].method))
			continue;
		v[k++] = table[j].method;
		if (strcmp(table[j].method, "GET") == 0 &&
		    !list_has(v, k, "HEAD"))
			v[k++] = "HEAD";
	}
	if (!list_has(v, k, "OPTIONS"))
		v[k++] = "OPTIONS";
	au_buf_init(&b, r->arena, 64);
	for (i = 0; i < k; i++) {
		if (i > 0)
			au_buf_adds(&b, ", ");
		au_buf_adds(&b, v[i]);
	}
	return b.p;
}

/* Answers for a handler or guard that returned rc; see http_router.h. */
static void
answer_status(struct au_req *r, const struct au_route *rt, int rc,
    const char *who)
{
	if (rc == AU_OK && r->resp.status != 0)
		return;
	if (r->resp.status != 0) {
		au_log_debug("%s for %s %s returned %s after responding", who,
		    rt->method, rt->pattern, au_strerror(rc));
		return;
	}
	switch (rc) {
	case AU_EDB:
		au_resp_unavailable(r);
		return;
	case AU_ENOTFOUND:
		au_resp_error(r, 404, "Not Found",
		    "The requested resource does not exist.");
		return;
	case AU_EINVAL:
		au_resp_error(r, 400, "Bad Request",
		    r->error != NULL ? r->error : "Bad request");
		return;
	case AU_ELIMIT:
		au_resp_error(r, 413, "Content Too Large",
		    r->error != NULL ? r->error : "The request is too large.");
		return;
	}
	if (rc == AU_OK)
		au_log_err("%s for %s %s returned without a response", who,
		    rt->method, rt->pattern);
	else
		au_log_err("%s for %s %s failed: %s", who, rt->method,
		    rt->pattern, au_strerror(rc));
	au_resp_error(r, 500, "Internal Server Error", au_arena_printf(
	    r->arena, "The request could not be completed (request id %s)",
	    r->request_id));
}

/* Flags, guards, handler. */
static void
run_route(struct au_req *r, const struct au_route *rt)
{
	unsigned bit;
	int rc;

	r->route_flags = rt->flags;
	bind_params(r, rt->pattern);
	if (rt->flags & AU_ROUTE_NOSTORE) {
		au_resp_set_header(r, "Cache-Control", "no-store");
		au_resp_set_header(r, "Pragma", "no-cache");
	}
	for (bit = 0; bit < MAX_GUARDS; bit++) {
		if (!(rt->flags & (1u << bit)) || guards[bit] == NULL)
			continue;
		rc = guards[bit](r);
		if (rc != AU_OK) {
			answer_status(r, rt, rc, "guard");
			return;
		}
	}
	rc = rt->fn(r);
	answer_status(r, rt, rc, "handler");
}

void
au_router_dispatch(struct au_req *r, const struct au_route *table, size_t n)
{
	const struct au_route *best = NULL;
	uint64_t score, best_score = 0;
	bool path_found = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!route_match(table[i].pattern, r, &score))
			continue;
		path_found = true;
		if (!method_ok(table[i].method, r->method))
			continue;
		if (best == NULL || score > best_score) {
			best = &table[i];
			best_score = score;
		}
	}
	if (best != NULL) {
		run_route(r, best);
		return;
	}
	r->route_flags = au_str_has_prefix(r->path, "/api/") ||
	    strcmp(r->path, "/api") == 0 ? AU_ROUTE_API : 0;
	if (!path_found) {
		au_resp_error(r, 404, "Not Found", au_arena_printf(r->arena,
		    "No route for %s", r->path));
		return;
	}
	au_resp_set_header(r, "Allow", allow_header(r, table, n));
	if (strcmp(r->method, "OPTIONS") == 0) {
		au_resp_empty(r, 204);
		return;
	}
	au_resp_error(r, 405, "Method Not Allowed", au_arena_printf(r->arena,
	    "%s is not allowed for %s", r->method, r->path));
}
