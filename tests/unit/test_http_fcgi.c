/* test_http_fcgi.c — FastCGI records fed as byte streams: whole requests,
 * two on one kept connection, records split across reads, bodies over the
 * limit, management records, refusals, malformed and oversized input,
 * and the framing of responses. */
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "http/http_fcgi.h"
#include "au_test.h"
#include "test_http.h"

void test_http_fcgi_register(void);

/* A byte stream under construction. */
struct stream {
	unsigned char b[300000];
	size_t n;
};

static void
rec(struct stream *s, int type, unsigned id, const void *p, size_t n, int pad)
{
	unsigned char h[8] = { 1, (unsigned char)type, (unsigned char)(id >> 8),
	    (unsigned char)id, (unsigned char)(n >> 8), (unsigned char)n,
	    (unsigned char)pad, 0 };

	memcpy(s->b + s->n, h, 8);
	memcpy(s->b + s->n + 8, p, n);
	memset(s->b + s->n + 8 + n, 0xee, (size_t)pad);
	s->n += 8 + n + (size_t)pad;
}

static void
begin(struct stream *s, unsigned id, int role, bool keep)
{
	unsigned char b[8] = { 0, (unsigned char)role, keep ? 1 : 0 };

	rec(s, 1, id, b, sizeof(b), 0);
}

/* One name-value pair, with 4-byte lengths when long or forced. */
static size_t
nv(unsigned char *p, const char *name, const char *value, bool wide)
{
	size_t nl = strlen(name), vl = strlen(value), o = 0, len[2] = { nl, vl };
	int k;

	for (k = 0; k < 2; k++) {
		if (len[k] < 128 && !wide) {
			p[o++] = (unsigned char)len[k];
			continue;
		}
		p[o++] = (unsigned char)(0x80 | len[k] >> 24);
		p[o++] = (unsigned char)(len[k] >> 16);
		p[o++] = (unsigned char)(len[k] >> 8);
		p[o++] = (unsigned char)len[k];
	}
	memcpy(p + o, name, nl);
	memcpy(p + o + nl, value, vl);
	return o + nl + vl;
}

/* A whole GET or POST request: BEGIN, params, empty PARAMS, body, empty
 * STDIN. */
static void
request(struct stream *s, unsigned id, bool keep, const char *uri,
    const char *body)
{
	unsigned char p[1024];
	size_t n = 0;

	begin(s, id, 1, keep);
	n += nv(p + n, "REQUEST_METHOD", body ? "POST" : "GET", false);
	n += nv(p + n, "REQUEST_URI", uri, true);
	rec(s, 4, id, p, n, 3);
	rec(s, 4, id, NULL, 0, 0);
	if (body != NULL)
		rec(s, 5, id, body, strlen(body), 0);
	rec(s, 5, id, NULL, 0, 0);
}

static void
feed(struct au_fcgi_conn *c, const void *p, size_t n)
{
	au_fcgi_conn_reserve(c, n);
	memcpy(c->in + c->in_len, p, n);
	c->in_len += n;
}

static enum au_fcgi_step
parse(struct au_fcgi_conn *c, struct au_fcgi_req *rq)
{
	return au_fcgi_parse(c, rq, au_http_arena);
}

static void
test_two_requests_on_a_kept_connection(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;

	s.n = 0;
	request(&s, 1, true, "/healthz", NULL);
	request(&s, 1, true, "/realms/a/token", "grant_type=x");
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_EQUAL(rq.id, 1);
	CU_ASSERT_TRUE(rq.keep);
	CU_ASSERT_STRING_EQUAL(au_fcgi_param(rq.envp, "REQUEST_METHOD"), "GET");
	CU_ASSERT_STRING_EQUAL(au_fcgi_param(rq.envp, "REQUEST_URI"), "/healthz");
	CU_ASSERT_PTR_NULL(rq.envp[2]);
	CU_ASSERT_STRING_EQUAL(rq.body, "");
	CU_ASSERT_EQUAL(rq.body_len, 0);
	CU_ASSERT_TRUE(c.in_len > 0); /* the second request waits */
	au_fcgi_respond(&c, rq.id, "Status: 200\r\n\r\nok", 17);

	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_STRING_EQUAL(au_fcgi_param(rq.envp, "REQUEST_URI"),
	    "/realms/a/token");
	CU_ASSERT_STRING_EQUAL(rq.body, "grant_type=x");
	CU_ASSERT_EQUAL(rq.body_len, 12);
	CU_ASSERT_FALSE(rq.too_large);
	CU_ASSERT_EQUAL(c.in_len, 0);
	au_fcgi_conn_free(&c);
}

/* Every split point of a request, including one byte at a time. */
static void
test_records_split_across_reads(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;
	size_t i, cut;

	s.n = 0;
	request(&s, 7, false, "/x", "a=1&b=2");
	for (cut = 1; cut < s.n; cut++) {
		au_fcgi_conn_init(&c, -1);
		au_fcgi_req_init(&rq, 1024);
		feed(&c, s.b, cut);
		CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_MORE);
		feed(&c, s.b + cut, s.n - cut);
		CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
		CU_ASSERT_STRING_EQUAL(rq.body, "a=1&b=2");
		au_fcgi_conn_free(&c);
	}
	au_fcgi_conn_init(&c, -1);
	au_fcgi_req_init(&rq, 1024);
	for (i = 0; i + 1 < s.n; i++) {
		feed(&c, s.b + i, 1);
		CU_ASSERT_EQUAL_FATAL(parse(&c, &rq), AU_FCGI_MORE);
	}
	feed(&c, s.b + i, 1);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_FALSE(rq.keep);
	CU_ASSERT_STRING_EQUAL(au_fcgi_param(rq.envp, "REQUEST_URI"), "/x");
	au_fcgi_conn_free(&c);
	au_arena_reset(au_http_arena);
}

static void
test_truncated_input_waits(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;

	s.n = 0;
	request(&s, 1, false, "/x", NULL);
	au_fcgi_conn_init(&c, -1);
	au_fcgi_req_init(&rq, 1024);
	feed(&c, s.b, 5); /* not even a header */
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_MORE);
	CU_ASSERT_EQUAL(rq.id, 0);
	CU_ASSERT_EQUAL(c.in_len, 5);
	feed(&c, s.b + 5, s.n - 9); /* all but the last record's tail */
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_MORE);
	CU_ASSERT_TRUE(rq.params_done);
	au_fcgi_conn_free(&c);
}

static void
test_body_over_the_limit(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;
	unsigned char p[64];
	char big[2000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s.n = 0;
	request(&s, 1, true, "/x", big);
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_TRUE(rq.too_large);
	CU_ASSERT_PTR_NULL(rq.body);

	/* declared too large: refused before the body, which is skipped */
	s.n = 0;
	begin(&s, 2, 1, true);
	rec(&s, 4, 2, p, nv(p, "CONTENT_LENGTH", "5000", false), 0);
	rec(&s, 4, 2, NULL, 0, 0);
	rec(&s, 5, 2, big, 1000, 0);
	rec(&s, 5, 2, NULL, 0, 0);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_TRUE(rq.too_large);
	CU_ASSERT_EQUAL(c.in_len, 0);

	/* exactly at the limit is fine */
	s.n = 0;
	big[1024] = '\0';
	request(&s, 3, true, "/x", big);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_FALSE(rq.too_large);
	CU_ASSERT_EQUAL(rq.body_len, 1024);
	au_fcgi_conn_free(&c);
	au_arena_reset(au_http_arena);
}

/* Out bytes at offset off are a record of type and id with n bytes. */
static void
assert_record(const struct au_fcgi_conn *c, size_t off, int type, unsigned id,
    size_t n)
{
	const unsigned char *h = c->out + off;

	CU_ASSERT_FATAL(c->out_len >= off + 8);
	CU_ASSERT_EQUAL(h[0], 1);
	CU_ASSERT_EQUAL(h[1], type);
	CU_ASSERT_EQUAL((unsigned)h[2] << 8 | h[3], id);
	CU_ASSERT_EQUAL((size_t)h[4] << 8 | h[5], n);
}

static void
test_management_records(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;
	unsigned char p[128], t[8] = { 42 };
	size_t n = 0;

	n += nv(p + n, "FCGI_MPXS_CONNS", "", false);
	n += nv(p + n, "FCGI_NOT_A_THING", "", false);
	n += nv(p + n, "FCGI_MAX_CONNS", "", false);
	s.n = 0;
	rec(&s, 9, 0, p, n, 0);
	rec(&s, 42, 0, t, 8, 0);
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_MORE);
	CU_ASSERT_EQUAL(c.in_len, 0);
	n = 2 + 15 + 1 + 2 + 14 + strlen(AU_FCGI_MAX_CONNS_STR);
	assert_record(&c, 0, 10, 0, n);
	CU_ASSERT_EQUAL(memcmp(c.out + 8, "\x0f\x01" "FCGI_MPXS_CONNS0", 18), 0);
	assert_record(&c, 8 + n, 11, 0, 8);
	CU_ASSERT_EQUAL(c.out[8 + n + 8], 42);
	CU_ASSERT_EQUAL(c.out_len, 8 + n + 16);
	au_fcgi_conn_free(&c);
}

static void
test_refusals_and_abort(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;

	/* an unknown role is refused; the kept connection carries on */
	s.n = 0;
	begin(&s, 1, 3, true);
	begin(&s, 2, 1, true);
	begin(&s, 3, 1, true); /* no multiplexing */
	rec(&s, 2, 9, NULL, 0, 0); /* abort of an unknown id: ignored */
	rec(&s, 2, 2, NULL, 0, 0);
	request(&s, 4, false, "/after", NULL);
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_EQUAL(rq.id, 4);
	CU_ASSERT_STRING_EQUAL(au_fcgi_param(rq.envp, "REQUEST_URI"), "/after");
	CU_ASSERT_EQUAL(c.out_len, 3 * 16);
	assert_record(&c, 0, 3, 1, 8);
	CU_ASSERT_EQUAL(c.out[8 + 4], 3);       /* FCGI_UNKNOWN_ROLE */
	assert_record(&c, 16, 3, 3, 8);
	CU_ASSERT_EQUAL(c.out[16 + 8 + 4], 1);  /* FCGI_CANT_MPX_CONN */
	assert_record(&c, 32, 3, 2, 8);
	CU_ASSERT_EQUAL(c.out[32 + 8 + 4], 0);  /* aborted: complete */
	au_fcgi_conn_free(&c);

	/* an aborted request the web server did not keep ends it */
	s.n = 0;
	begin(&s, 1, 1, false);
	rec(&s, 2, 1, NULL, 0, 0);
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_CLOSE);
	assert_record(&c, 0, 3, 1, 8);
	au_fcgi_conn_free(&c);
	au_arena_reset(au_http_arena);
}

/* A stream that must end the connection. */
static void
assert_closes(const struct stream *s)
{
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;

	au_fcgi_conn_init(&c, -1);
	feed(&c, s->b, s->n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_CLOSE);
	au_fcgi_conn_free(&c);
}

static void
test_malformed_records(void)
{
	static struct stream s;
	unsigned char p[64];
	size_t n;

	s.n = 0; /* another protocol version */
	request(&s, 1, false, "/x", NULL);
	s.b[0] = 2;
	assert_closes(&s);

	s.n = 0; /* a short BEGIN_REQUEST body */
	rec(&s, 1, 1, "\0\1", 2, 0);
	assert_closes(&s);

	s.n = 0; /* a value length past the end of the block */
	begin(&s, 1, 1, false);
	n = nv(p, "REQUEST_URI", "/abc", false);
	p[1] = 100;
	rec(&s, 4, 1, p, n, 0);
	rec(&s, 4, 1, NULL, 0, 0);
	assert_closes(&s);

	s.n = 0; /* a 4-byte length cut short */
	begin(&s, 1, 1, false);
	rec(&s, 4, 1, "\x80\0", 2, 0);
	rec(&s, 4, 1, NULL, 0, 0);
	assert_closes(&s);

	s.n = 0; /* STDIN before the parameters ended */
	begin(&s, 1, 1, false);
	rec(&s, 5, 1, "x", 1, 0);
	assert_closes(&s);

	s.n = 0; /* a second BEGIN_REQUEST for the active id */
	begin(&s, 1, 1, true);
	begin(&s, 1, 1, true);
	assert_closes(&s);

	s.n = 0; /* PARAMS after their end */
	begin(&s, 1, 1, true);
	rec(&s, 4, 1, NULL, 0, 0);
	rec(&s, 4, 1, "\1\1ab", 4, 0);
	assert_closes(&s);
	au_arena_reset(au_http_arena);
}

static void
test_oversized_params(void)
{
	static struct stream s;
	static unsigned char chunk[65535];
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;
	int i;

	memset(chunk, 'a', sizeof(chunk));
	s.n = 0;
	begin(&s, 1, 1, false);
	for (i = 0; i < 4; i++) /* within the limit so far */
		rec(&s, 4, 1, chunk, sizeof(chunk), 0);
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_MORE);
	s.n = 0;
	rec(&s, 4, 1, chunk, sizeof(chunk), 0);
	feed(&c, s.b, s.n);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_CLOSE);
	au_fcgi_conn_free(&c);
	au_arena_reset(au_http_arena);
}

static void
test_ignores_other_request_ids(void)
{
	static struct stream s;
	struct au_fcgi_conn c;
	struct au_fcgi_req rq;

	s.n = 0;
	rec(&s, 4, 5, "\1\1ab", 4, 0); /* PARAMS of no active request */
	rec(&s, 5, 5, "zz", 2, 0);
	request(&s, 6, false, "/y", NULL);
	au_fcgi_conn_init(&c, -1);
	feed(&c, s.b, s.n);
	au_fcgi_req_init(&rq, 1024);
	CU_ASSERT_EQUAL(parse(&c, &rq), AU_FCGI_READY);
	CU_ASSERT_EQUAL(rq.id, 6);
	CU_ASSERT_EQUAL(c.out_len, 0);
	au_fcgi_conn_free(&c);
	au_arena_reset(au_http_arena);
}

static void
test_response_framing(void)
{
	struct au_fcgi_conn c;
	size_t len = 65528 + 100, off;
	char *resp = malloc(len);

	memset(resp, 'r', len);
	au_fcgi_conn_init(&c, -1);
	au_fcgi_respond(&c, 300, resp, len);
	assert_record(&c, 0, 6, 300, 65528);
	off = 8 + 65528;
	assert_record(&c, off, 6, 300, 100);
	off += 8 + 100;
	assert_record(&c, off, 6, 300, 0);
	off += 8;
	assert_record(&c, off, 3, 300, 8);
	CU_ASSERT_EQUAL(memcmp(c.out + off + 8, "\0\0\0\0\0\0\0\0", 8), 0);
	CU_ASSERT_EQUAL(c.out_len, off + 16);
	/* a connection given up: bytes after END_REQUEST */
	au_fcgi_refuse_keep(&c, 300);
	assert_record(&c, off + 16, 7, 300, 0);
	CU_ASSERT_EQUAL(c.out_len, off + 24);
	c.out_off = c.out_len; /* as if written */
	au_fcgi_conn_trim(&c);
	CU_ASSERT_EQUAL(c.out_cap, 0);
	au_fcgi_conn_free(&c);
	free(resp);
}

void
test_http_fcgi_register(void)
{
	AU_ADD_SUITE("http_fcgi", au_http_suite_init, au_http_suite_clean,
	    AU_T(test_two_requests_on_a_kept_connection),
	    AU_T(test_records_split_across_reads),
	    AU_T(test_truncated_input_waits),
	    AU_T(test_body_over_the_limit),
	    AU_T(test_management_records),
	    AU_T(test_refusals_and_abort),
	    AU_T(test_malformed_records),
	    AU_T(test_oversized_params),
	    AU_T(test_ignores_other_request_ids),
	    AU_T(test_response_framing));
}
