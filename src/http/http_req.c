/* http_req.c — building an au_req from FastCGI parameters, and the body
 * parsers.
 *
 * Everything the request keeps is copied into its arena.  The path is
 * taken from REQUEST_URI only (nginx and Apache agree on it, not on
 * SCRIPT_NAME or PATH_INFO) and decoded here, segment by segment, so an
 * encoded '/' or a "%2e%2e" can never be normalised into something else by
 * the web server first.  Limits (cfg->max_field) apply to every value a
 * client controls, and each refusal leaves a sentence in r->error that
 * the 400 repeats. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "crypto/crypto_b64url.h"
#include "http/http_cookie.h"
#include "http/http_req.h"
#include "http/http_url.h"

#define REQUEST_ID_MAX 64
#define METHOD_MAX 32

void
au_kv_add(struct au_arena *a, struct au_kvlist *l, const char *name,
    const char *value, size_t len)
{
	struct au_kv *kv;

	if (l->n == l->cap) {
		int cap = l->cap > 0 ? l->cap * 2 : 8;
		struct au_kv *items = au_arena_alloc(a, sizeof(*items) *
		    (size_t)cap);

		if (l->n > 0)
			memcpy(items, l->items, sizeof(*items) * (size_t)l->n);
		l->items = items;
		l->cap = cap;
	}
	kv = &l->items[l->n++];
	kv->name = au_arena_strdup(a, name);
	kv->value = au_arena_strndup(a, value, len);
	kv->len = len;
}

const char *
au_kv_get(const struct au_kvlist *l, const char *name)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

const char *
au_req_header(const struct au_req *r, const char *name)
{
	return au_kv_get(&r->headers, name);
}

const char *
au_req_query(const struct au_req *r, const char *name)
{
	return au_kv_get(&r->query, name);
}

const char *
au_req_cookie(const struct au_req *r, const char *name)
{
	return au_kv_get(&r->cookies, name);
}

const char *
au_req_param(const struct au_req *r, const char *name)
{
	return au_kv_get(&r->params, name);
}

const char *
au_req_form(const struct au_req *r, const char *name)
{
	return r->form_parsed ? au_kv_get(&r->form, name) : NULL;
}

/* Records the first failure of au_req_init; later ones are not news. */
static int
init_fail(struct au_req *r, const char *fmt, ...)
{
	va_list ap;

	if (r->error == NULL) {
		va_start(ap, fmt);
		r->error = au_arena_vprintf(r->arena, fmt, ap);
		va_end(ap);
	}
	return AU_EINVAL;
}

/* "HTTP_X_FORWARDED_FOR" -> "x-forwarded-for" */
static char *
header_name(struct au_arena *a, const char *s, size_t n)
{
	char *h = au_arena_strndup(a, s, n), *p;

	for (p = h; *p != '\0'; p++)
		*p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
	return h;
}

/* "Application/JSON; charset=UTF-8" -> "application/json" */
static const char *
media_type(struct au_arena *a, const char *v)
{
	const char *s = v, *e = v + strcspn(v, ";");
	char *m, *p;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	m = au_arena_strndup(a, s, (size_t)(e - s));
	for (p = m; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return m;
}

/* The FastCGI parameters taken by name; the first occurrence wins, as
 * with FCGX_GetParam (nginx sends a param twice when it is overridden). */
struct env_params {
	const char *method, *uri, *ctype, *clen, *remote, *https, *scheme;
};

static void
env_take(struct env_params *ep, const char *name, size_t n, const char *v)
{
	static const struct {
		const char *name;
		size_t off;
	} known[] = {
		{ "REQUEST_METHOD", offsetof(struct env_params, method) },
		{ "REQUEST_URI", offsetof(struct env_params, uri) },
		{ "CONTENT_TYPE", offsetof(struct env_params, ctype) },
		{ "CONTENT_LENGTH", offsetof(struct env_params, clen) },
		{ "REMOTE_ADDR", offsetof(struct env_params, remote) },
		{ "HTTPS", offsetof(struct env_params, https) },
		{ "REQUEST_SCHEME", offsetof(struct env_params, scheme) },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const char **slot = (const char **)((char *)ep + known[i].off);

		if (strlen(known[i].name) == n &&
		    memcmp(known[i].name, name, n) == 0 && *slot == NULL)
			*slot = v;
	}
}

/* Copies HTTP_* params into r->headers and picks out the others. */
static int
env_scan(struct au_req *r, char **envp, struct env_params *ep)
{
	size_t max = r->cfg->max_field;
	int rc = AU_OK, i;

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		const char *e = envp[i], *eq = strchr(e, '=');
		size_t vlen;
		char *name;

		if (eq == NULL)
			continue;
		if (strncmp(e, "HTTP_", 5) != 0) {
			env_take(ep, e, (size_t)(eq - e), eq + 1);
			continue;
		}
		name = header_name(r->arena, e + 5, (size_t)(eq - e - 5));
		/* CONTENT_TYPE and CONTENT_LENGTH are authoritative */
		if (*name == '\0' || strcmp(name, "content-type") == 0 ||
		    strcmp(name, "content-length") == 0)
			continue;
		vlen = strlen(eq + 1);
		if (vlen > max) {
			rc = init_fail(r, "header '%s' is longer than %zu bytes",
			    au_url_excerpt(r->arena, name, strlen(name)), max);
			continue;
		}
		au_kv_add(r->arena, &r->headers, name, eq + 1, vlen);
		/* credentials; au_arena_wipe() must not get a length of 0 */
		if (vlen > 0 && strcmp(name, "authorization") == 0)
			au_arena_wipe(r->arena,
			    (void *)r->headers.items[r->headers.n - 1].value,
			    vlen);
	}
	return rc;
}

/* Method, content headers, client address and scheme from ep. */
static int
env_apply(struct au_req *r, const struct env_params *ep)
{
	int rc = AU_OK;

	if (ep->method == NULL || *ep->method == '\0' ||
	    strlen(ep->method) > METHOD_MAX ||
	    strspn(ep->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
	    strlen(ep->method))
		rc = init_fail(r, "the request method is missing or invalid");
	else
		r->method = au_arena_strdup(r->arena, ep->method);
	if (ep->ctype != NULL && *ep->ctype != '\0') {
		if (strlen(ep->ctype) > r->cfg->max_field)
			rc = init_fail(r, "header 'content-type' is longer "
			    "than %zu bytes", r->cfg->max_field);
		else {
			au_kv_add(r->arena, &r->headers, "content-type",
			    ep->ctype, strlen(ep->ctype));
			r->content_type = media_type(r->arena, ep->ctype);
		}
	}
	if (ep->clen != NULL && *ep->clen != '\0')
		au_kv_add(r->arena, &r->headers, "content-length", ep->clen,
		    strlen(ep->clen));
	if (ep->remote != NULL)
		r->remote_addr = au_arena_strdup(r->arena, ep->remote);
	r->https = (ep->https != NULL && strcasecmp(ep->https, "on") == 0) ||
	    (ep->scheme != NULL && strcasecmp(ep->scheme, "https") == 0);
	return rc;
}

/* X-Request-Id from the web server when it is sane, else a random one. */
static void
set_request_id(struct au_req *r)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-";
	const char *id = au_req_header(r, "x-request-id");
	unsigned char rnd[8];
	size_t n;

	if (id != NULL) {
		n = strlen(id);
		if (n >= 1 && n <= REQUEST_ID_MAX && strspn(id, ok) == n) {
			r->request_id = id;
			return;
		}
	}
	au_rand_bytes(rnd, sizeof(rnd));
	r->request_id = au_hex(r->arena, rnd, sizeof(rnd));
}

/* Decodes and checks one path segment s[0..n). */
static int
path_segment(struct au_req *r, const char *s, size_t n, char **out)
{
	const char *why = NULL;
	size_t len;
	char *d;

	if (n == 0)
		return init_fail(r, "the request path contains an empty "
		    "segment");
	if (au_url_decode_why(r->arena, s, n, false, &d, &len, &why) != AU_OK)
		return init_fail(r, "the request path contains %s", why);
	if (len > r->cfg->max_field)
		return init_fail(r, "a request path segment is longer than %zu "
		    "bytes", r->cfg->max_field);
	if (strchr(d, '/') != NULL)
		return init_fail(r, "the request path contains an encoded '/'");
	if (strcmp(d, ".") == 0 || strcmp(d, "..") == 0)
		return init_fail(r, "the request path contains a '.' or '..' "
		    "segment");
	if (!au_str_printable(d))
		return init_fail(r, "the request path contains a control "
		    "character");
	*out = d;
	return AU_OK;
}

/* Splits r->path into decoded segments; one trailing '/' is ignored. */
static int
parse_path(struct au_req *r)
{
	const char *p = r->path + 1, *end = r->path + strlen(r->path), *slash;
	char **segs;
	int n = 0, rc;

	segs = au_arena_alloc(r->arena, sizeof(*segs) *
	    ((size_t)(end - p) / 2 + 2));
	while (p < end) {
		slash = memchr(p, '/', (size_t)(end - p));
		if (slash == NULL)
			slash = end;
		rc = path_segment(r, p, (size_t)(slash - p), &segs[n]);
		if (rc != AU_OK)
			return rc;
		n++;
		p = slash + 1;  /* past end when there is no trailing '/' */
	}
	segs[n] = NULL;
	r->segs = segs;
	r->nsegs = n;
	return AU_OK;
}

/* Path, segments and query from REQUEST_URI. */
static int
parse_target(struct au_req *r, const char *uri)
{
	const char *q, *err = NULL;
	int rc;

	if (uri == NULL || *uri != '/')
		return init_fail(r, "REQUEST_URI is missing or does not start "
		    "with '/'");
	r->uri = au_arena_strdup(r->arena, uri);
	q = strchr(r->uri, '?');
	r->path = q != NULL ? au_arena_strndup(r->arena, r->uri,
	    (size_t)(q - r->uri)) : r->uri;
	r->query_string = q != NULL ? q + 1 : "";
	rc = parse_path(r);
	if (rc != AU_OK)
		return rc;
	rc = au_url_parse_query_ex(r->arena, r->query_string,
	    strlen(r->query_string), r->cfg->max_field, "query parameter",
	    &r->query, &err);
	if (rc != AU_OK)
		return init_fail(r, "%s", err);
	return AU_OK;
}

int
au_req_init(struct au_req *r, struct au_arena *a,
    const struct au_config *cfg, char **envp, const char *body,
    size_t body_len)
{
	struct env_params ep = { 0 };
	const char *err = NULL;
	int rc, rc2;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	r->method = r->uri = r->path = r->query_string = "";
	r->content_type = r->remote_addr = "";
	au_buf_init(&r->resp.body, a, 0);
	r->body = body != NULL ? au_arena_strndup(a, body, body_len) : "";
	r->body_len = body != NULL ? body_len : 0;

	rc = env_scan(r, envp, &ep);
	rc2 = env_apply(r, &ep);
	if (rc == AU_OK)
		rc = rc2;
	set_request_id(r);
	au_log_set_request_id(r->request_id);
	rc2 = parse_target(r, ep.uri);
	if (rc == AU_OK)
		rc = rc2;
	if (rc == AU_OK && au_cookie_parse(a, au_req_header(r, "cookie"),
	    cfg->max_field, &r->cookies, &err) != AU_OK)
		rc = init_fail(r, "%s", err);
	return rc;
}

int
au_req_form_parse(struct au_req *r)
{
	struct au_kvlist form = { 0 };
	const char *err = NULL;

	if (r->form_parsed)
		return AU_OK;
	if (strcmp(r->content_type, "application/x-www-form-urlencoded") != 0) {
		r->error = "Content-Type must be "
		    "application/x-www-form-urlencoded";
		return AU_EINVAL;
	}
	if (au_url_parse_query_ex(r->arena, r->body, r->body_len,
	    r->cfg->max_field, "form parameter", &form, &err) != AU_OK) {
		r->error = err;
		return AU_EINVAL;
	}
	r->form = form;
	r->form_parsed = true;
	return AU_OK;
}

struct name_pos {
	const char *name;
	int pos;
};

static int
name_pos_cmp(const void *a, const void *b)
{
	const struct name_pos *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : x->pos - y->pos;
}

/* The repeated name whose second occurrence comes first in l, or NULL.
 * Sorting keeps this O(n log n): a 1 MiB body of "a&a&a..." is 500k
 * parameters. */
static const char *
first_dup(struct au_arena *a, const struct au_kvlist *l)
{
	struct name_pos *v;
	const char *best = NULL;
	int i, best_pos = INT32_MAX;

	if (l->n < 2)
		return NULL;
	v = au_arena_alloc(a, sizeof(*v) * (size_t)l->n);
	for (i = 0; i < l->n; i++) {
		v[i].name = l->items[i].name;
		v[i].pos = i;
	}
	qsort(v, (size_t)l->n, sizeof(*v), name_pos_cmp);
	for (i = 1; i < l->n; i++)
		if (strcmp(v[i].name, v[i - 1].name) == 0 &&
		    v[i].pos < best_pos) {
			best_pos = v[i].pos;
			best = v[i].name;
		}
	return best;
}

const char *
au_req_dup_param(const struct au_req *r)
{
	const char *d = NULL;

	if (r->form_parsed)
		d = first_dup(r->arena, &r->form);
	return d != NULL ? d : first_dup(r->arena, &r->query);
}

bool
au_req_is_json(const struct au_req *r)
{
	return strcmp(r->content_type, "application/json") == 0 ||
	    strcmp(r->content_type, "application/merge-patch+json") == 0;
}

static void
json_put_cleanup(void *p)
{
	json_object_put(p);
}

/* Container nesting of o: 0 for a scalar, 1 for {} or [1], ...; sets
 * *nul when a string holds an escaped NUL ("\u0000"), which C code
 * reading it with json_object_get_string() would silently cut. */
static int
json_scan(struct json_object *o, bool *nul)
{
	int d = 0, k;
	size_t i, n;

	if (json_object_is_type(o, json_type_string)) {
		if (strlen(json_object_get_string(o)) !=
		    (size_t)json_object_get_string_len(o))
			*nul = true;
		return 0;
	}
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val) {
			(void)key;
			k = json_scan(val, nul);
			d = k > d ? k : d;
		}
		return d + 1;
	}
	if (json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			k = json_scan(json_object_array_get_idx(o, i), nul);
			d = k > d ? k : d;
		}
		return d + 1;
	}
	return 0;
}

/* Runs json-c over the body; o or NULL with r->error set. */
static struct json_object *
json_tokenize(struct au_req *r, int max_depth)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error e;
	size_t end;

	/* json-c counts a scalar inside a container as a level; the exact
	 * container depth is checked on the result. */
	tok = json_tokener_new_ex(max_depth + 1);
	if (tok == NULL) {
		r->error = "out of memory parsing JSON";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	/* len + 1 takes in the NUL, so a bare "123" ends instead of
	 * waiting for more digits */
	o = json_tokener_parse_ex(tok, r->body, (int)r->body_len + 1);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o != NULL) {
		au_arena_cleanup(r->arena, json_put_cleanup, o);
		while (end < r->body_len && r->body[end] != '\0' &&
		    strchr(" \t\r\n", r->body[end]) != NULL)
			end++;
		if (end < r->body_len) {
			r->error = au_arena_printf(r->arena, "request body is "
			    "not valid JSON: unexpected data after the value "
			    "at offset %zu", end);
			return NULL;
		}
		return o;
	}
	if (e == json_tokener_success)
		r->error = "request body must be a JSON object";  /* "null" */
	else if (e == json_tokener_error_depth)
		r->error = au_arena_printf(r->arena, "JSON nesting is deeper "
		    "than %d levels", max_depth);
	else if (e == json_tokener_continue || e == json_tokener_error_parse_eof)
		r->error = "request body is not valid JSON: unexpected end of "
		    "input";
	else
		r->error = au_arena_printf(r->arena, "request body is not valid "
		    "JSON: %s at offset %zu", json_tokener_error_desc(e), end);
	return NULL;
}

/* The body as one JSON value of type want (what: its name in errors). */
static int
req_json_of(struct au_req *r, enum json_type want, const char *what,
    struct json_object **out)
{
	int max_depth = r->cfg->max_json_depth;
	struct json_object *o;
	bool nul = false;

	if (r->json != NULL && json_object_is_type(r->json, want)) {
		*out = r->json;
		return AU_OK;
	}
	if (!au_req_is_json(r)) {
		r->error = "Content-Type must be application/json";
		return AU_EINVAL;
	}
	if (r->body_len == strspn(r->body, " \t\r\n")) {
		r->error = "request body is empty";
		return AU_EINVAL;
	}
	if (r->body_len >= INT32_MAX) {
		r->error = "request body is too large";
		return AU_ELIMIT;
	}
	/* json-c's own check lets overlong forms such as C0 AF through */
	if (!au_utf8_valid(r->body, r->body_len)) {
		r->error = "request body is not valid JSON: invalid UTF-8";
		return AU_EINVAL;
	}
	o = json_tokenize(r, max_depth);
	if (o == NULL)
		return AU_EINVAL;
	if (!json_object_is_type(o, want)) {
		r->error = au_arena_printf(r->arena, "request body must be %s",
		    what);
		return AU_EINVAL;
	}
	if (json_scan(o, &nul) > max_depth) {
		r->error = au_arena_printf(r->arena, "JSON nesting is deeper "
		    "than %d levels", max_depth);
		return AU_EINVAL;
	}
	if (nul) {
		r->error = "request body has a NUL character in a JSON string";
		return AU_EINVAL;
	}
	r->json = o;
	*out = o;
	return AU_OK;
}

int
au_req_json(struct au_req *r, struct json_object **out)
{
	return req_json_of(r, json_type_object, "a JSON object", out);
}

int
au_req_json_array(struct au_req *r, struct json_object **out)
{
	return req_json_of(r, json_type_array, "a JSON array", out);
}

/* Decodes one part of Basic credentials (form-urlencoded, RFC 6749
 * §2.3.1) into *out, registering a wipe for it. */
static int
basic_part(struct au_req *r, const char *s, size_t n, const char *what,
    const char **out)
{
	const char *why = NULL;
	char *d;
	size_t len;

	if (au_url_decode_why(r->arena, s, n, true, &d, &len, &why) != AU_OK) {
		r->error = au_arena_printf(r->arena, "the Basic %s contains %s",
		    what, why);
		return AU_EINVAL;
	}
	if (len > 0)
		au_arena_wipe(r->arena, d, len);
	if (len > r->cfg->max_field) {
		r->error = au_arena_printf(r->arena, "the Basic %s is longer "
		    "than %zu bytes", what, r->cfg->max_field);
		return AU_EINVAL;
	}
	if (!au_str_printable(d)) {
		r->error = au_arena_printf(r->arena, "the Basic %s contains a "
		    "control character", what);
		return AU_EINVAL;
	}
	*out = d;
	return AU_OK;
}

int
au_req_basic_auth(struct au_req *r, const char **user, const char **pass)
{
	const char *h = au_req_header(r, "authorization"), *u, *p;
	unsigned char *raw, *colon;
	size_t n, rawlen;

	if (h == NULL || strncasecmp(h, "Basic", 5) != 0 ||
	    (h[5] != '\0' && h[5] != ' ' && h[5] != '\t'))
		return AU_ENOTFOUND;
	h += 5;
	h += strspn(h, " \t");
	n = strlen(h);
	while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (n == 0) {
		r->error = "the Basic credentials are empty";
		return AU_EINVAL;
	}
	if (au_b64_decode(r->arena, h, n, &raw, &rawlen) != AU_OK) {
		r->error = "the Basic credentials are not valid base64";
		return AU_EINVAL;
	}
	if (rawlen > 0)
		au_arena_wipe(r->arena, raw, rawlen);
	colon = memchr(raw, ':', rawlen);
	if (colon == NULL) {
		r->error = "the Basic credentials have no ':' separator";
		return AU_EINVAL;
	}
	if (colon == raw) {
		r->error = "the Basic user name is empty";
		return AU_EINVAL;
	}
	if (basic_part(r, (const char *)raw, (size_t)(colon - raw),
	    "user name", &u) != AU_OK ||
	    basic_part(r, (const char *)colon + 1,
	    rawlen - (size_t)(colon - raw) - 1, "password", &p) != AU_OK)
		return AU_EINVAL;
	*user = u;
	*pass = p;
	return AU_OK;
}
