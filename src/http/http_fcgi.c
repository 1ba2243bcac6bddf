/* http_fcgi.c — FastCGI records in and out (the specification's
 * responder role, protocol version 1), without any I/O.
 *
 * Records are taken only when complete; a header asking for more than is
 * buffered makes room for it and waits.  Anything that cannot be a
 * well-behaved web server (another version, a second BEGIN_REQUEST for
 * the active id, STDIN before the parameters ended, a parameter block
 * over AU_FCGI_MAX_PARAMS, a name-value length past its record) ends
 * the connection; records for request ids that are not active are
 * ignored, as the specification asks. */
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "http/http_fcgi.h"

enum {
	T_BEGIN_REQUEST = 1, T_ABORT_REQUEST = 2, T_END_REQUEST = 3,
	T_PARAMS = 4, T_STDIN = 5, T_STDOUT = 6, T_STDERR = 7, T_DATA = 8,
	T_GET_VALUES = 9, T_GET_VALUES_RESULT = 10, T_UNKNOWN_TYPE = 11
};
enum { ROLE_RESPONDER = 1, FLAG_KEEP_CONN = 1 };
enum { ST_COMPLETE = 0, ST_CANT_MPX_CONN = 1, ST_UNKNOWN_ROLE = 3 };

#define HEADER_LEN 8
#define MAX_CONTENT 65535
/* STDOUT chunks: the largest multiple of 8 a record can carry */
#define OUT_CHUNK 65528
/* buffers kept between requests; larger ones are given back */
#define KEEP_CAP (16 * 1024)

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL)
		abort(); /* as the arena: a worker without memory is replaced */
	return q;
}

void
au_fcgi_conn_init(struct au_fcgi_conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
}

void
au_fcgi_conn_free(struct au_fcgi_conn *c)
{
	free(c->in);
	free(c->out);
	c->in = c->out = NULL;
	c->in_len = c->in_cap = c->out_len = c->out_off = c->out_cap = 0;
}

void
au_fcgi_conn_reserve(struct au_fcgi_conn *c, size_t n)
{
	size_t cap = c->in_cap ? c->in_cap : 4096;

	if (c->in_cap - c->in_len >= n)
		return;
	while (cap - c->in_len < n)
		cap *= 2;
	c->in = xrealloc(c->in, cap);
	c->in_cap = cap;
}

void
au_fcgi_conn_trim(struct au_fcgi_conn *c)
{
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len == 0 && c->out_cap > KEEP_CAP) {
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	if (c->in_cap > KEEP_CAP && c->in_len <= KEEP_CAP / 2) {
		c->in = xrealloc(c->in, KEEP_CAP);
		c->in_cap = KEEP_CAP;
	}
}

static void
out_add(struct au_fcgi_conn *c, const void *p, size_t n)
{
	if (c->out_cap - c->out_len < n) {
		size_t cap = c->out_cap ? c->out_cap : 4096;

		while (cap - c->out_len < n)
			cap *= 2;
		c->out = xrealloc(c->out, cap);
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

static void
out_record(struct au_fcgi_conn *c, int type, unsigned id, const void *p,
    size_t n)
{
	unsigned char h[HEADER_LEN] = { 1, (unsigned char)type,
	    (unsigned char)(id >> 8), (unsigned char)id,
	    (unsigned char)(n >> 8), (unsigned char)n, 0, 0 };

	out_add(c, h, sizeof(h));
	if (n > 0)
		out_add(c, p, n);
}

static void
out_end_request(struct au_fcgi_conn *c, unsigned id, int status)
{
	unsigned char b[8] = { 0, 0, 0, 0, (unsigned char)status, 0, 0, 0 };

	out_record(c, T_END_REQUEST, id, b, sizeof(b));
}

void
au_fcgi_respond(struct au_fcgi_conn *c, unsigned id, const char *resp,
    size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t n = len - off > OUT_CHUNK ? OUT_CHUNK : len - off;

		out_record(c, T_STDOUT, id, resp + off, n);
		off += n;
	}
	out_record(c, T_STDOUT, id, NULL, 0);
	out_end_request(c, id, ST_COMPLETE);
}

void
au_fcgi_refuse_keep(struct au_fcgi_conn *c, unsigned id)
{
	out_record(c, T_STDERR, id, NULL, 0);
}

void
au_fcgi_req_init(struct au_fcgi_req *rq, size_t max_body)
{
	memset(rq, 0, sizeof(*rq));
	rq->max_body = max_body;
}

/* One name-value pair at p[*off..end): lengths of 1 byte (< 128) or 4
 * bytes (high bit set).  False when it does not fit. */
static bool
nv_next(const unsigned char *p, size_t end, size_t *off, const unsigned char **name,
    size_t *nlen, const unsigned char **value, size_t *vlen)
{
	size_t i = *off, len[2];
	int k;

	for (k = 0; k < 2; k++) {
		if (i >= end)
			return false;
		if (p[i] < 0x80) {
			len[k] = p[i++];
			continue;
		}
		if (end - i < 4)
			return false;
		len[k] = ((size_t)(p[i] & 0x7f) << 24) | ((size_t)p[i + 1] << 16) |
		    ((size_t)p[i + 2] << 8) | p[i + 3];
		i += 4;
	}
	if (len[0] > end - i || len[1] > end - i - len[0])
		return false;
	*name = p + i;
	*nlen = len[0];
	*value = p + i + len[0];
	*vlen = len[1];
	*off = i + len[0] + len[1];
	return true;
}

/* Turns the parameter block into envp; false when it is malformed. */
static bool
params_decode(struct au_fcgi_req *rq, struct au_arena *a)
{
	const unsigned char *name, *value;
	size_t off = 0, nlen, vlen, n = 0;

	while (off < rq->params_len) {
		if (!nv_next(rq->params, rq->params_len, &off, &name, &nlen,
		    &value, &vlen))
			return false;
		n++;
	}
	rq->envp = au_arena_alloc(a, (n + 1) * sizeof(char *));
	for (off = 0, n = 0; off < rq->params_len; n++) {
		char *e;

		nv_next(rq->params, rq->params_len, &off, &name, &nlen, &value,
		    &vlen);
		e = au_arena_alloc(a, nlen + vlen + 2);
		memcpy(e, name, nlen);
		e[nlen] = '=';
		memcpy(e + nlen + 1, value, vlen);
		e[nlen + 1 + vlen] = '\0';
		rq->envp[n] = e;
	}
	rq->envp[n] = NULL;
	return true;
}

const char *
au_fcgi_param(char **envp, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

/* After the parameters: a declared body over the limit is refused
 * before it arrives; one within it gets its buffer at once. */
static void
body_prepare(struct au_fcgi_req *rq, struct au_arena *a)
{
	const char *cl = au_fcgi_param(rq->envp, "CONTENT_LENGTH");
	long long declared = 0;

	if (cl != NULL && *cl != '\0' &&
	    au_str_to_ll(cl, 0, (long long)1 << 40, &declared) == AU_OK &&
	    (size_t)declared > rq->max_body) {
		rq->too_large = true;
		return;
	}
	rq->body_cap = declared > 0 ? (size_t)declared : 1024;
	rq->body = au_arena_alloc(a, rq->body_cap + 1);
	rq->body[0] = '\0';
}

/* Appends n bytes of STDIN; what exceeds max_body is counted, not kept. */
static void
body_add(struct au_fcgi_req *rq, struct au_arena *a, const unsigned char *p,
    size_t n)
{
	if (rq->too_large)
		return;
	if (n > rq->max_body - rq->body_len) {
		rq->too_large = true;
		rq->body = NULL;
		rq->body_len = 0;
		return;
	}
	if (n > rq->body_cap - rq->body_len) {
		size_t cap = rq->body_cap * 2;
		char *bigger;

		while (cap - rq->body_len < n)
			cap *= 2;
		bigger = au_arena_alloc(a, cap + 1);
		memcpy(bigger, rq->body, rq->body_len);
		rq->body = bigger;
		rq->body_cap = cap;
	}
	memcpy(rq->body + rq->body_len, p, n);
	rq->body_len += n;
	rq->body[rq->body_len] = '\0';
}

static void
params_add(struct au_fcgi_req *rq, struct au_arena *a, const unsigned char *p,
    size_t n)
{
	if (n > rq->params_cap - rq->params_len) {
		size_t cap = rq->params_cap ? rq->params_cap * 2 : 2048;
		unsigned char *bigger;

		while (cap - rq->params_len < n)
			cap *= 2;
		bigger = au_arena_alloc(a, cap);
		if (rq->params_len > 0)
			memcpy(bigger, rq->params, rq->params_len);
		rq->params = bigger;
		rq->params_cap = cap;
	}
	memcpy(rq->params + rq->params_len, p, n);
	rq->params_len += n;
}

/* GET_VALUES: the variables we know, with our values; the rest unnamed. */
static bool
get_values(struct au_fcgi_conn *c, const unsigned char *p, size_t n)
{
	static const struct {
		const char *name, *value;
	} known[] = {
		{ "FCGI_MAX_CONNS", AU_FCGI_MAX_CONNS_STR },
		{ "FCGI_MAX_REQS", AU_FCGI_MAX_CONNS_STR },
		{ "FCGI_MPXS_CONNS", "0" },
	};
	unsigned char reply[256];
	const unsigned char *name, *value;
	size_t off = 0, len = 0, nlen, vlen, i;

	while (off < n) {
		if (!nv_next(p, n, &off, &name, &nlen, &value, &vlen))
			return false;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
			size_t kl = strlen(known[i].name), vl = strlen(known[i].value);

			if (kl != nlen || memcmp(known[i].name, name, nlen) != 0 ||
			    len + 2 + kl + vl > sizeof(reply))
				continue;
			reply[len++] = (unsigned char)kl;
			reply[len++] = (unsigned char)vl;
			memcpy(reply + len, known[i].name, kl);
			memcpy(reply + len + kl, known[i].value, vl);
			len += kl + vl;
		}
	}
	out_record(c, T_GET_VALUES_RESULT, 0, reply, len);
	return true;
}

static enum au_fcgi_step
management(struct au_fcgi_conn *c, int type, const unsigned char *p, size_t n)
{
	unsigned char unknown[8] = { (unsigned char)type };

	if (type == T_GET_VALUES)
		return get_values(c, p, n) ? AU_FCGI_MORE : AU_FCGI_CLOSE;
	out_record(c, T_UNKNOWN_TYPE, 0, unknown, sizeof(unknown));
	return AU_FCGI_MORE;
}

static enum au_fcgi_step
begin_request(struct au_fcgi_conn *c, struct au_fcgi_req *rq, unsigned id,
    const unsigned char *p, size_t n)
{
	bool keep;

	if (n < 8)
		return AU_FCGI_CLOSE;
	keep = (p[2] & FLAG_KEEP_CONN) != 0;
	if (rq->id == id)
		return AU_FCGI_CLOSE;
	if (rq->id != 0) {
		out_end_request(c, id, ST_CANT_MPX_CONN);
		return AU_FCGI_MORE;
	}
	c->keep = keep;
	if (((unsigned)p[0] << 8 | p[1]) != ROLE_RESPONDER) {
		out_end_request(c, id, ST_UNKNOWN_ROLE);
		return keep ? AU_FCGI_MORE : AU_FCGI_CLOSE;
	}
	rq->id = id;
	rq->keep = keep;
	return AU_FCGI_MORE;
}

/* One application record (request id != 0) of the active request. */
static enum au_fcgi_step
app_record(struct au_fcgi_conn *c, struct au_fcgi_req *rq, struct au_arena *a,
    int type, unsigned id, const unsigned char *p, size_t n)
{
	unsigned char unknown[8] = { (unsigned char)type };

	switch (type) {
	case T_BEGIN_REQUEST:
		return begin_request(c, rq, id, p, n);
	case T_ABORT_REQUEST:
		if (id != rq->id)
			return AU_FCGI_MORE;
		out_end_request(c, id, ST_COMPLETE);
		au_fcgi_req_init(rq, rq->max_body);
		return c->keep ? AU_FCGI_MORE : AU_FCGI_CLOSE;
	case T_PARAMS:
		if (id != rq->id)
			return AU_FCGI_MORE;
		if (rq->params_done || n > AU_FCGI_MAX_PARAMS - rq->params_len)
			return AU_FCGI_CLOSE;
		if (n > 0) {
			params_add(rq, a, p, n);
			return AU_FCGI_MORE;
		}
		rq->params_done = true;
		if (!params_decode(rq, a))
			return AU_FCGI_CLOSE;
		body_prepare(rq, a);
		return AU_FCGI_MORE;
	case T_STDIN:
		if (id != rq->id)
			return AU_FCGI_MORE;
		if (!rq->params_done)
			return AU_FCGI_CLOSE;
		if (n == 0)
			return AU_FCGI_READY;
		body_add(rq, a, p, n);
		return AU_FCGI_MORE;
	case T_DATA:
		return AU_FCGI_MORE; /* only the filter role reads it */
	default:
		out_record(c, T_UNKNOWN_TYPE, 0, unknown, sizeof(unknown));
		return AU_FCGI_MORE;
	}
}

enum au_fcgi_step
au_fcgi_parse(struct au_fcgi_conn *c, struct au_fcgi_req *rq,
    struct au_arena *a)
{
	enum au_fcgi_step step = AU_FCGI_MORE;
	size_t pos = 0;

	while (step == AU_FCGI_MORE && c->in_len - pos >= HEADER_LEN) {
		const unsigned char *h = c->in + pos;
		unsigned id = (unsigned)h[2] << 8 | h[3];
		size_t n = (size_t)h[4] << 8 | h[5];
		size_t total = HEADER_LEN + n + h[6];

		if (h[0] != 1) {
			step = AU_FCGI_CLOSE;
			break;
		}
		if (c->in_len - pos < total) {
			/* wait for the rest, with room for it */
			if (pos > 0) {
				memmove(c->in, c->in + pos, c->in_len - pos);
				c->in_len -= pos;
			}
			au_fcgi_conn_reserve(c, total - c->in_len);
			return AU_FCGI_MORE;
		}
		pos += total;
		if (id == 0)
			step = management(c, h[1], h + HEADER_LEN, n);
		else
			step = app_record(c, rq, a, h[1], id, h + HEADER_LEN, n);
	}
	if (pos > 0) {
		memmove(c->in, c->in + pos, c->in_len - pos);
		c->in_len -= pos;
	}
	if (step == AU_FCGI_READY && rq->body == NULL && !rq->too_large)
		rq->body = au_arena_strdup(a, "");
	return step;
}
