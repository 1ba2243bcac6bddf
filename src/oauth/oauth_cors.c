/* oauth_cors.c — CORS for browser apps (see oauth_cors.h). */
#include <stdbool.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_cors.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_uri.h"
#include "store/store_client.h"

/* How long a browser may keep a preflight's answer. */
#define PREFLIGHT_MAX_AGE "600"

/* The request's Origin when it is a well-formed web origin, else NULL
 * (a "null" origin, a path, anything odd is never echoed back). */
static const char *
request_origin(struct au_req *r)
{
	const char *o = au_req_header(r, "origin");

	return o != NULL && au_uri_origin_problem(o) == NULL ? o : NULL;
}

/* Whether redirect URI uri is on origin: scheme://authority followed by
 * the path (or nothing). */
static bool
uri_on_origin(const char *uri, const char *origin)
{
	size_t n = strlen(origin);

	return strncmp(uri, origin, n) == 0 &&
	    (uri[n] == '/' || uri[n] == '?' || uri[n] == '\0');
}

static bool
allowed(const struct au_cached_client *cc, const char *origin)
{
	char *const *web = cc->c.lists[AU_CL_WEB_ORIGIN];
	char *const *redirect = cc->c.lists[AU_CL_REDIRECT];
	int i, j;

	for (i = 0; i < cc->c.nlists[AU_CL_WEB_ORIGIN]; i++) {
		if (strcmp(web[i], origin) == 0)
			return true;
		if (strcmp(web[i], "+") != 0)
			continue;
		for (j = 0; j < cc->c.nlists[AU_CL_REDIRECT]; j++)
			if (uri_on_origin(redirect[j], origin))
				return true;
	}
	return false;
}

static void
allow(struct au_req *r, const char *origin)
{
	au_resp_set_header(r, "Access-Control-Allow-Origin", origin);
	au_resp_set_header(r, "Access-Control-Expose-Headers",
	    "WWW-Authenticate");
}

bool
au_oauth_cors(struct au_req *r, const struct au_cached_client *cc)
{
	const char *origin = request_origin(r);

	/* the answer depends on Origin: caches must keep them apart */
	au_resp_set_header(r, "Vary", "Origin");
	if (origin == NULL || cc == NULL || !allowed(cc, origin))
		return false;
	allow(r, origin);
	return true;
}

void
au_oauth_cors_error(struct au_req *r)
{
	const char *origin = request_origin(r);

	if (origin == NULL || au_resp_get_header(r,
	    "Access-Control-Allow-Origin") != NULL)
		return;
	au_resp_set_header(r, "Vary", "Origin");
	allow(r, origin);
}

int
au_oauth_preflight(struct au_req *r)
{
	const char *origin = request_origin(r);

	au_resp_set_header(r, "Vary", "Origin");
	if (origin != NULL) {
		au_resp_set_header(r, "Access-Control-Allow-Origin", origin);
		au_resp_set_header(r, "Access-Control-Allow-Methods",
		    "GET, POST, OPTIONS");
		au_resp_set_header(r, "Access-Control-Allow-Headers",
		    "Authorization, Content-Type");
		au_resp_set_header(r, "Access-Control-Max-Age",
		    PREFLIGHT_MAX_AGE);
	}
	au_resp_set_header(r, "Allow", "GET, POST, OPTIONS");
	return au_resp_empty(r, 204);
}
