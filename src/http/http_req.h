/* http_req.h — one HTTP request as FastCGI hands it over, and its reply.
 *
 * au_req_init() builds the request from the FastCGI parameter array
 * (envp, "NAME=value" strings) and the already-read body.  Everything is
 * copied into the request's arena, so the request outlives nothing.
 * Routing works on REQUEST_URI (identical under nginx and Apache): the path
 * is split into segments, each percent-decoded; "..", "." and empty
 * segments and an encoded "/" are refused.
 *
 * The body is not interpreted until a handler asks: au_req_form() parses
 * application/x-www-form-urlencoded, au_req_json() parses application/json.
 * Both enforce the configured limits and, on bad input, record a sentence
 * naming the problem in r->error (for the 400 that the caller sends).
 *
 * http knows nothing of OAuth: r->app is an opaque pointer for the
 * application's per-worker context. */
#ifndef AU_HTTP_REQ_H
#define AU_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core_str.h"
#include "http/http_url.h"   /* au_url_decode, au_url_parse_query */

struct au_arena;
struct au_config;
struct json_object;

struct au_kv {
	const char *name;
	const char *value;   /* NUL-terminated; may contain no NUL itself */
	size_t len;          /* strlen(value) */
};

struct au_kvlist {
	struct au_kv *items;
	int n, cap;
};

struct au_resp {
	int status;                  /* 0 until a response is written */
	struct au_kvlist headers;    /* in the order set */
	struct au_buf body;
};

struct au_req {
	struct au_arena *arena;
	const struct au_config *cfg;
	void *app;                   /* the application's worker context */

	const char *method;          /* "GET", "POST", ... (upper case) */
	const char *uri;             /* raw REQUEST_URI */
	const char *path;            /* raw path: REQUEST_URI up to '?' */
	char **segs;                 /* decoded path segments */
	int nsegs;
	const char *query_string;    /* raw, "" when absent */
	struct au_kvlist query;      /* decoded query parameters */
	struct au_kvlist headers;    /* names lower-case with '-', e.g. "content-type" */
	struct au_kvlist cookies;
	struct au_kvlist params;     /* path parameters, filled by the router */
	const char *content_type;    /* media type only, lower case; "" if none */
	const char *body;            /* NUL-terminated copy; "" when none */
	size_t body_len;
	const char *remote_addr;     /* REMOTE_ADDR or "" */
	bool https;                  /* HTTPS=on or REQUEST_SCHEME=https */
	const char *request_id;      /* 16 hex chars, also sent as X-Request-Id */
	const char *lang;            /* the language pages and mails of this
	                                request speak (a message catalogue's
	                                tag), once the login layer chose it */
	const char *actor;           /* who the route guard let in, for audit;
	                                NULL on unguarded routes */
	void *auth;                  /* the guard's own view of the caller */
	const char *field_prefix;    /* prepended to errors[].field, e.g.
	                                "clients[3]" while importing */
	bool importing;              /* a realm import is creating resources
	                                through their handlers' code: no
	                                per-resource audit events (the import
	                                records one for all) */

	/* lazily parsed body */
	bool form_parsed;
	struct au_kvlist form;
	struct json_object *json;    /* owned by the arena (cleanup registered) */

	const char *error;           /* why the last parse failed, for a 400 */
	unsigned route_flags;        /* the matched route's flags */
	struct au_resp resp;
};

/* Builds r from FastCGI parameters. Returns AU_OK; AU_EINVAL with r->error
 * set when the request line itself is unusable (bad path encoding, invalid
 * UTF-8 in the path, a field over cfg->max_field): the caller answers 400.
 * The body must already be checked against cfg->max_body (413).
 * Even on failure r is fit for au_resp_error(): request_id, resp,
 * headers and (when it was valid) method are set.  The request id is
 * also handed to au_log_set_request_id() so every log line carries it. */
int au_req_init(struct au_req *r, struct au_arena *a,
    const struct au_config *cfg, char **envp, const char *body,
    size_t body_len);

/* Header by lower-case name ("authorization"); NULL when absent. */
const char *au_req_header(const struct au_req *r, const char *name);
const char *au_req_query(const struct au_req *r, const char *name);
const char *au_req_cookie(const struct au_req *r, const char *name);
/* Path parameter by name, as bound by the router ("realmId"). */
const char *au_req_param(const struct au_req *r, const char *name);

/* Parses the body as application/x-www-form-urlencoded (once).
 * AU_OK; AU_EINVAL with r->error when the content type is wrong, the
 * encoding is malformed, a value is not UTF-8 or exceeds max_field. */
int au_req_form_parse(struct au_req *r);
/* A form field (after au_req_form_parse); NULL when absent. */
const char *au_req_form(const struct au_req *r, const char *name);
/* Name of the first parameter appearing more than once in the form or the
 * query (RFC 6749 §3.1: "parameters MUST NOT be included more than
 * once"), or NULL when none does. */
const char *au_req_dup_param(const struct au_req *r);

/* Parses the body as a JSON object (once), enforcing cfg->max_json_depth,
 * strict syntax, valid UTF-8 and no trailing data. AU_OK with *out (owned
 * by the arena); AU_EINVAL with r->error when the content type is not
 * application/json or the text is not one JSON object. */
int au_req_json(struct au_req *r, struct json_object **out);
/* As au_req_json for a body that must be one JSON array (lists of
 * references, e.g. role mappings). */
int au_req_json_array(struct au_req *r, struct json_object **out);

/* True when the content type is application/json or
 * application/merge-patch+json (RFC 7396), which au_req_json accepts. */
bool au_req_is_json(const struct au_req *r);

/* HTTP Basic credentials (RFC 7617) from the Authorization header, each
 * part form-urlencoding-decoded as RFC 6749 §2.3.1 requires.  AU_OK with
 * *user and *pass (arena strings, wiped at reset); AU_ENOTFOUND when
 * there is no Authorization header or its scheme is not Basic; AU_EINVAL
 * with r->error when the credentials are malformed. */
int au_req_basic_auth(struct au_req *r, const char **user,
    const char **pass);

/* Lookups on a list (exact, case-sensitive name); NULL when absent. */
const char *au_kv_get(const struct au_kvlist *l, const char *name);
/* Appends a copy of name and of value[0..len) to l. */
void au_kv_add(struct au_arena *a, struct au_kvlist *l, const char *name,
    const char *value, size_t len);

#endif
