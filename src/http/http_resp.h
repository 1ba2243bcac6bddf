/* http_resp.h — building the response of an au_req.
 *
 * A handler writes exactly one response through these functions and
 * returns AU_OK; the worker serialises r->resp to FastCGI afterwards.
 * Every response carries X-Request-Id.  Header values containing CR or LF
 * are refused (the header is dropped and an error logged): no response
 * splitting, whatever a caller passes. */
#ifndef AU_HTTP_RESP_H
#define AU_HTTP_RESP_H

#include <stddef.h>

#include "http/http_url.h"   /* au_url_build, au_url_encode */

struct au_req;
struct au_buf;
struct json_object;

/* Adds a header (several with one name are allowed, e.g. Set-Cookie). */
void au_resp_header(struct au_req *r, const char *name, const char *value);
/* Replaces any earlier header of that name. */
void au_resp_set_header(struct au_req *r, const char *name, const char *value);
/* Removes every header of that name (case-insensitive). */
void au_resp_remove_header(struct au_req *r, const char *name);
/* The first header of that name (case-insensitive); NULL when absent. */
const char *au_resp_get_header(const struct au_req *r, const char *name);

/* obj is consumed (json_object_put is called); serialised without
 * escaping '/'. Content-Type: application/json. */
int au_resp_json(struct au_req *r, int status, struct json_object *obj);
/* As au_resp_json with another media type (e.g. application/jwk-set+json). */
int au_resp_json_type(struct au_req *r, int status, const char *ctype,
    struct json_object *obj);
int au_resp_html(struct au_req *r, int status, const char *html, size_t len);
int au_resp_text(struct au_req *r, int status, const char *ctype,
    const char *text, size_t len);
/* 204 or any status without a body. */
int au_resp_empty(struct au_req *r, int status);
/* 302/303 to url; url must already be a complete, encoded URL (see
 * au_url_build). Refused (500) if it contains CR, LF or NUL. */
int au_resp_redirect(struct au_req *r, int status, const char *url);

/* An RFC 9457 problem: application/problem+json with type, title, status,
 * detail (and instance = request id). errors may be NULL or a JSON array
 * of {"field","message"} objects and is consumed. */
int au_resp_problem(struct au_req *r, int status, const char *title,
    const char *detail, struct json_object *errors);
/* Problem with a single field error: errors:[{field, message}]. */
int au_resp_field_error(struct au_req *r, int status, const char *field,
    const char *message);

/* The error a browser or an API caller should see: problem+json for API
 * routes and clients that prefer JSON, else the HTML error page through
 * the renderer installed with au_resp_set_error_page(). */
int au_resp_error(struct au_req *r, int status, const char *title,
    const char *detail);
/* 503 "temporarily unavailable" (the database is down). */
int au_resp_unavailable(struct au_req *r);

/* The application installs how HTML error pages are rendered; it returns
 * AU_OK after writing the response itself, or anything else to fall back
 * to a minimal built-in text page. */
typedef int (*au_error_page_fn)(struct au_req *r, int status,
    const char *title, const char *detail);
void au_resp_set_error_page(au_error_page_fn fn);

/* Writes "Status: ...\r\nHeaders\r\n\r\nbody" for FastCGI into out
 * (appended; out is initialised by the caller).  Adds X-Request-Id,
 * X-Content-Type-Options: nosniff unless set, and Content-Length (not for
 * 1xx, 204 and 304).  For HEAD the body is left out, its length kept.  A
 * request without a response (status 0) is written as a bare 500. */
void au_resp_serialize(const struct au_req *r, struct au_buf *out);

/* Standard reason phrase ("Not Found"); "Unknown" for others. */
const char *au_http_reason(int status);

#endif
