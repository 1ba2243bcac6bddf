/* http_fcgi.h — the FastCGI protocol (responder role) over byte buffers.
 *
 * No sockets here: the worker reads whatever bytes a connection has into
 * conn->in, au_fcgi_parse() turns complete records into one request (its
 * parameters as "NAME=value" strings in envp, the shape http_req.c reads,
 * and its body), and au_fcgi_respond() frames a response into conn->out
 * for the worker to write.  Management records (GET_VALUES, unknown
 * types) and refusals (a second request on one connection, an unknown
 * role, an aborted request) are answered in conn->out as they are parsed.
 *
 * One request per connection at a time (FCGI_MPXS_CONNS is 0); a
 * connection lives on after a request whose BEGIN_REQUEST carried
 * FCGI_KEEP_CONN.  A request's memory comes from the arena given to
 * au_fcgi_parse(); a connection's buffers are its own (au_fcgi_conn_free). */
#ifndef AU_HTTP_FCGI_H
#define AU_HTTP_FCGI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct au_arena;

/* Largest parameter block accepted (names, values and their lengths);
 * nginx sends at most its header buffers, 64 KiB in the shipped site. */
#define AU_FCGI_MAX_PARAMS (256 * 1024)
/* Connections one worker holds at most (answered to GET_VALUES as
 * FCGI_MAX_CONNS and FCGI_MAX_REQS: one request per connection). */
#define AU_FCGI_MAX_CONNS 32
#define AU_FCGI_MAX_CONNS_STR "32"

struct au_fcgi_conn {
	int fd;
	unsigned char *in;      /* received, not yet parsed */
	size_t in_len, in_cap;
	unsigned char *out;     /* framed, not yet written from out_off */
	size_t out_len, out_off, out_cap;
	bool keep;              /* the last BEGIN_REQUEST asked to keep it */
	int64_t last_used_ms;
};

struct au_fcgi_req {
	unsigned id;            /* 0 until BEGIN_REQUEST */
	bool keep;              /* FCGI_KEEP_CONN */
	bool params_done;
	unsigned char *params;  /* the raw name-value pairs */
	size_t params_len, params_cap;
	char **envp;            /* NULL-terminated "NAME=value" */
	char *body;             /* NUL-terminated; NULL when too_large */
	size_t body_len, body_cap, max_body;
	bool too_large;         /* more than max_body came or was declared */
};

enum au_fcgi_step {
	AU_FCGI_MORE,   /* every complete record taken; read more bytes */
	AU_FCGI_READY,  /* rq holds a whole request; the rest stays in in */
	AU_FCGI_CLOSE   /* write out, then close (protocol error or the web
			 * server ended a request it did not keep the
			 * connection for) */
};

void au_fcgi_conn_init(struct au_fcgi_conn *c, int fd);
/* Frees the buffers; does not close fd. */
void au_fcgi_conn_free(struct au_fcgi_conn *c);
/* Room for at least n more bytes at c->in + c->in_len. */
void au_fcgi_conn_reserve(struct au_fcgi_conn *c, size_t n);
/* Gives back buffer memory above a small working size (after a large
 * request or response), so a worker's RSS stays flat. */
void au_fcgi_conn_trim(struct au_fcgi_conn *c);

/* Starts an empty request; bodies over max_body are read and dropped. */
void au_fcgi_req_init(struct au_fcgi_req *rq, size_t max_body);

/* Takes complete records from c->in into rq (and answers management
 * records into c->out).  Stops right after the record that completes the
 * request, so bytes of a next one stay in c->in. */
enum au_fcgi_step au_fcgi_parse(struct au_fcgi_conn *c, struct au_fcgi_req *rq,
    struct au_arena *a);

/* Frames resp (a CGI response: headers, blank line, body) as the STDOUT
 * of request id, then its END_REQUEST, into c->out. */
void au_fcgi_respond(struct au_fcgi_conn *c, unsigned id, const char *resp,
    size_t len);

/* Follows the response just framed for id with an empty STDERR record,
 * which tells nginx not to keep the connection: it keeps one only when
 * END_REQUEST is the last thing it read.  So the web server closes it
 * after this answer instead of perhaps sending a request into our close
 * (a 502 for a POST, which nginx does not retry). */
void au_fcgi_refuse_keep(struct au_fcgi_conn *c, unsigned id);

/* The value of param name in envp, or NULL; the first occurrence wins. */
const char *au_fcgi_param(char **envp, const char *name);

#endif
