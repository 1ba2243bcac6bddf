/* http_resp.c — building and serialising the response of an au_req.
 *
 * Headers are checked when they are set (a value with CR or LF is
 * dropped and logged: no response splitting) and again when they are
 * written.  Errors pick their form here: problem+json (RFC 9457) for
 * API callers, an HTML page for browsers through the renderer the
 * application installs, and plain text when that renderer fails: C
 * itself never writes HTML. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "http/http_router.h"

#define CT_JSON "application/json"
#define CT_PROBLEM "application/problem+json"
#define CT_HTML "text/html; charset=utf-8"
#define CT_TEXT "text/plain; charset=utf-8"

static au_error_page_fn error_page;

const char *
au_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Unknown";
	}
}

static bool
header_name_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("!#$%&'*+-.^_`|~", *s) == NULL)
			return false;
	return true;
}

/* Any control character but HTAB is refused, CR and LF above all. */
static bool
header_value_ok(const char *s)
{
	if (s == NULL)
		return false;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return false;
	return true;
}

void
au_resp_remove_header(struct au_req *r, const char *name)
{
	struct au_kvlist *l = &r->resp.headers;
	int i, k = 0;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->items[i].name, name) != 0)
			l->items[k++] = l->items[i];
	l->n = k;
}

const char *
au_resp_get_header(const struct au_req *r, const char *name)
{
	const struct au_kvlist *l = &r->resp.headers;
	int i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

void
au_resp_header(struct au_req *r, const char *name, const char *value)
{
	if (!header_name_ok(name)) {
		au_log_err("dropping a response header with an invalid name");
		return;
	}
	if (!header_value_ok(value)) {
		au_log_err("dropping response header %s: its value is missing "
		    "or contains CR, LF or another control character", name);
		return;
	}
	au_kv_add(r->arena, &r->resp.headers, name, value, strlen(value));
}

void
au_resp_set_header(struct au_req *r, const char *name, const char *value)
{
	if (!header_name_ok(name) || !header_value_ok(value)) {
		au_resp_header(r, name, value);   /* logs the refusal */
		return;
	}
	au_resp_remove_header(r, name);
	au_resp_header(r, name, value);
}

/* Starts a response: status, Content-Type (none when ctype is NULL) and
 * an empty body.  Headers set earlier (cookies, no-store) are kept. */
static void
resp_begin(struct au_req *r, int status, const char *ctype)
{
	r->resp.status = status;
	r->resp.body.len = 0;
	r->resp.body.p[0] = '\0';
	if (ctype != NULL)
		au_resp_set_header(r, "Content-Type", ctype);
	else
		au_resp_remove_header(r, "Content-Type");
}

int
au_resp_json_type(struct au_req *r, int status, const char *ctype,
    struct json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	resp_begin(r, status, ctype);
	au_buf_adds(&r->resp.body, s);
	json_object_put(obj);
	return AU_OK;
}

int
au_resp_json(struct au_req *r, int status, struct json_object *obj)
{
	return au_resp_json_type(r, status, CT_JSON, obj);
}

int
au_resp_html(struct au_req *r, int status, const char *html, size_t len)
{
	resp_begin(r, status, CT_HTML);
	au_resp_set_header(r, "X-Frame-Options", "DENY");
	au_resp_set_header(r, "Content-Security-Policy", "default-src 'self'; "
	    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
	au_resp_set_header(r, "Referrer-Policy", "no-referrer");
	au_resp_set_header(r, "X-Content-Type-Options", "nosniff");
	au_buf_add(&r->resp.body, html, len);
	return AU_OK;
}

int
au_resp_text(struct au_req *r, int status, const char *ctype,
    const char *text, size_t len)
{
	resp_begin(r, status, ctype != NULL ? ctype : CT_TEXT);
	au_buf_add(&r->resp.body, text, len);
	return AU_OK;
}

int
au_resp_empty(struct au_req *r, int status)
{
	resp_begin(r, status, NULL);
	return AU_OK;
}

int
au_resp_redirect(struct au_req *r, int status, const char *url)
{
	if (url == NULL || *url == '\0' || !header_value_ok(url) ||
	    strchr(url, '\t') != NULL) {
		au_log_err("refusing a redirect to an empty URL or one with "
		    "control characters");
		return au_resp_error(r, 500, "Internal Server Error",
		    "The redirect target is invalid.");
	}
	resp_begin(r, status, NULL);
	au_resp_set_header(r, "Location", url);
	return AU_OK;
}

void
au_resp_set_error_page(au_error_page_fn fn)
{
	error_page = fn;
}

/* "Invalid Realm name!" -> "invalid-realm-name" */
static char *
slug(struct au_arena *a, const char *title)
{
	char *s = au_arena_alloc(a, strlen(title) + 1), *p = s;

	for (; *title != '\0'; title++) {
		if (isalnum((unsigned char)*title))
			*p++ = (char)tolower((unsigned char)*title);
		else if (p > s && p[-1] != '-')
			*p++ = '-';
	}
	while (p > s && p[-1] == '-')
		p--;
	*p = '\0';
	return s;
}

/* Errors about a document nested in a larger one (an import) name the
 * field from the outer document's root: r->field_prefix + field.  A
 * detail that starts with the first error's field ("name must not be
 * empty") names it the same way; the new detail is returned. */
static const char *
prefix_fields(struct au_req *r, struct json_object *errors,
    const char *detail)
{
	struct json_object *e, *f;
	const char *first = NULL;
	size_t i, n;

	if (r->field_prefix == NULL || *r->field_prefix == '\0')
		return detail;
	if (json_object_array_length(errors) > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(errors, 0),
	    "field", &f) && json_object_is_type(f, json_type_string))
		first = au_arena_strdup(r->arena, json_object_get_string(f));
	for (i = 0; i < json_object_array_length(errors); i++) {
		e = json_object_array_get_idx(errors, i);
		if (!json_object_object_get_ex(e, "field", &f) ||
		    !json_object_is_type(f, json_type_string))
			continue;
		/* "" names the nested document itself */
		json_object_object_add(e, "field", json_object_new_string(
		    au_arena_printf(r->arena, "%s%s%s", r->field_prefix,
		    *json_object_get_string(f) == '[' ||
		    *json_object_get_string(f) == '\0' ? "" : ".",
		    json_object_get_string(f))));
	}
	if (first == NULL || detail == NULL)
		return detail;
	n = strlen(first);
	if (strncmp(detail, first, n) != 0 || (n > 0 && detail[n] != ' '))
		return detail;
	json_object_object_get_ex(json_object_array_get_idx(errors, 0), "field",
	    &f);
	return au_arena_printf(r->arena, "%s%s", json_object_get_string(f),
	    detail + n);
}

int
au_resp_problem(struct au_req *r, int status, const char *title,
    const char *detail, struct json_object *errors)
{
	struct json_object *o = json_object_new_object();
	const char *type = "about:blank";

	if (title == NULL)
		title = au_http_reason(status);
	/* RFC 9457 §4.2.1: about:blank means "just the status" and then the
	 * title is the reason phrase; anything else gets its own type. */
	if (strcmp(title, au_http_reason(status)) != 0 &&
	    *slug(r->arena, title) != '\0')
		type = au_arena_printf(r->arena, "urn:authio:problem:%s",
		    slug(r->arena, title));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "title", json_object_new_string(title));
	json_object_object_add(o, "status", json_object_new_int(status));
	if (errors != NULL && json_object_is_type(errors, json_type_array))
		detail = prefix_fields(r, errors, detail);
	if (detail != NULL)
		json_object_object_add(o, "detail",
		    json_object_new_string(detail));
	json_object_object_add(o, "instance", json_object_new_string(
	    au_arena_printf(r->arena, "urn:authio:request:%s",
	    r->request_id != NULL ? r->request_id : "")));
	if (errors != NULL && json_object_is_type(errors, json_type_array))
		json_object_object_add(o, "errors", errors);
	else
		json_object_put(errors);
	return au_resp_json_type(r, status, CT_PROBLEM, o);
}

int
au_resp_field_error(struct au_req *r, int status, const char *field,
    const char *message)
{
	struct json_object *errors = json_object_new_array();
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_array_add(errors, e);
	return au_resp_problem(r, status, au_http_reason(status), message,
	    errors);
}

/* Case-insensitive strstr (strcasestr is a GNU extension). */
static const char *
find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* True when Accept names a JSON type before (or without) text/html. */
static bool
accept_prefers_json(const struct au_req *r)
{
	const char *accept = au_req_header(r, "accept"), *j, *p, *h;

	if (accept == NULL)
		return false;
	j = find_ci(accept, "application/json");
	p = find_ci(accept, "application/problem+json");
	if (j == NULL || (p != NULL && p < j))
		j = p;
	if (j == NULL)
		return false;
	h = find_ci(accept, "text/html");
	return h == NULL || j < h;
}

/* The built-in page when no renderer is installed or it failed. */
static int
error_text(struct au_req *r, int status, const char *title,
    const char *detail)
{
	char *text = au_arena_printf(r->arena, "%d %s\n\n%s%sRequest id: %s\n",
	    status, title, detail != NULL ? detail : "",
	    detail != NULL ? "\n\n" : "", r->request_id);

	return au_resp_text(r, status, CT_TEXT, text, strlen(text));
}

int
au_resp_error(struct au_req *r, int status, const char *title,
    const char *detail)
{
	bool json;

	if (title == NULL)
		title = au_http_reason(status);
	if (r->route_flags & AU_ROUTE_API)
		json = true;
	else if (r->route_flags & AU_ROUTE_HTML)
		json = false;
	else
		json = accept_prefers_json(r);
	if (json)
		return au_resp_problem(r, status, title, detail, NULL);
	if (error_page != NULL && error_page(r, status, title, detail) == AU_OK
	    && r->resp.status != 0)
		return AU_OK;
	return error_text(r, status, title, detail);
}

int
au_resp_unavailable(struct au_req *r)
{
	au_resp_set_header(r, "Retry-After", "5");
	return au_resp_error(r, 503, "Service Unavailable", "The service is "
	    "temporarily unavailable; please try again shortly.");
}

/* Headers the serialiser writes itself, whatever the list says. */
static bool
header_reserved(const char *name)
{
	return strcasecmp(name, "Status") == 0 ||
	    strcasecmp(name, "Content-Length") == 0 ||
	    strcasecmp(name, "X-Request-Id") == 0;
}

void
au_resp_serialize(const struct au_req *r, struct au_buf *out)
{
	const struct au_kvlist *l = &r->resp.headers;
	int status = r->resp.status != 0 ? r->resp.status : 500;
	bool bodyless = status < 200 || status == 204 || status == 304;
	bool head = r->method != NULL && strcmp(r->method, "HEAD") == 0;
	int i;

	if (r->resp.status == 0)
		au_log_err("serialising a request that has no response");
	au_buf_printf(out, "Status: %d %s\r\n", status, au_http_reason(status));
	for (i = 0; i < l->n; i++) {
		const struct au_kv *h = &l->items[i];

		/* checked when set; checked again in case the list was
		 * written to directly */
		if (header_reserved(h->name) || !header_name_ok(h->name) ||
		    !header_value_ok(h->value))
			continue;
		au_buf_printf(out, "%s: %s\r\n", h->name, h->value);
	}
	if (r->request_id != NULL && header_value_ok(r->request_id))
		au_buf_printf(out, "X-Request-Id: %s\r\n", r->request_id);
	if (au_resp_get_header(r, "X-Content-Type-Options") == NULL)
		au_buf_adds(out, "X-Content-Type-Options: nosniff\r\n");
	if (!bodyless)
		au_buf_printf(out, "Content-Length: %zu\r\n", r->resp.body.len);
	au_buf_adds(out, "\r\n");
	if (!bodyless && !head)
		au_buf_add(out, r->resp.body.p, r->resp.body.len);
}
