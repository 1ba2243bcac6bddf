/* authiod.c — the FastCGI master and its pre-forked workers.
 *
 * The master binds the socket (unix or TCP), drops privileges, forks
 * `workers` children and supervises them: a worker that dies is replaced
 * (with exponential back-off when it keeps dying young), one that reached
 * max_requests exits cleanly and is replaced at once.  SIGTERM/SIGINT
 * drain: workers finish the request in hand and exit; stragglers are
 * killed after a grace period.  SIGHUP re-reads the configuration and
 * rolls the workers: a new generation starts, then the old one drains.
 *
 * Each worker speaks FastCGI itself (http/http_fcgi.c; libfcgi's accept
 * loop would block on one connection, so a connection the web server
 * keeps open would pin the worker): it polls the listening socket and
 * every connection it holds, and serves one request at a time from
 * whichever is ready.
 *
 * When fd 0 already is a FastCGI listening socket (spawn-fcgi, Apache
 * mod_fcgid), authiod serves as one worker on it and leaves supervision to
 * whoever started it. */
#define _GNU_SOURCE /* ppoll, epoll_pwait, accept4 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <mysql.h>

#include "app/app_ctx.h"
#include "app/app_serve.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_seal.h"
#include "http/http_fcgi.h"

#define MAX_WORKERS 256
#define DRAIN_SECONDS 30
#define BACKOFF_MAX_MS 30000
#define LISTEN_BACKLOG 128

struct worker {
	pid_t pid;
	int generation;
	int64_t started_ms;
};

static struct {
	struct au_config cfg;
	/* read before dropping privileges; workers inherit it */
	unsigned char master_key[AU_MASTER_KEY_LEN];
	const char *config_path;
	int listen_fd;
	struct worker workers[MAX_WORKERS];
	int generation;
	int64_t backoff_ms;
	volatile sig_atomic_t stop, reload;
} M;

static volatile sig_atomic_t worker_stop;

static void
on_master_signal(int sig)
{
	if (sig == SIGHUP)
		M.reload = 1;
	else
		M.stop = 1;
}

static void
on_worker_signal(int sig)
{
	(void)sig;
	worker_stop = 1;
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the waits must return on a signal */
	sigaction(sig, &sa, NULL);
}

/* A request's bytes must all be there this soon after its first ones
 * (nginx sends a whole request at once: it buffers bodies), and a
 * response must be taken this soon: a stalled peer never holds the
 * worker's other connections for longer. */
#define READ_TIMEOUT_MS 5000
#define WRITE_TIMEOUT_MS 10000
/* how long an exiting worker keeps answering on the connections it holds */
#define LAME_DUCK_MS 1000

/* A worker's connections: the listening socket and those it holds in one
 * epoll set (the listening socket with EPOLLEXCLUSIVE, so a new
 * connection wakes one idle worker, not all). */
struct worker_io {
	int ep, listen_fd;
	bool tcp;
	bool lame_duck;         /* exiting: every answer closes its connection */
	struct au_fcgi_conn *conns[AU_FCGI_MAX_CONNS];
	int nconns;
	struct au_ctx *ctx;
	struct au_arena *a;
	const struct au_config *cfg;
};

/* Waits until fd is ready for events or the deadline passes. */
static bool
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int n;

	do {
		left = deadline - au_time_mono_ms();
		if (left <= 0)
			return false;
		n = poll(&p, 1, (int)left);
	} while (n < 0 && errno == EINTR);
	return n > 0;
}

/* Reads what fd has into c->in, waiting until the deadline for the
 * first byte; > 0 bytes read, 0 at end of stream, -1 on error or time,
 * -2 when nothing is there and deadline is 0 (do not wait). */
static ssize_t
conn_read(struct au_fcgi_conn *c, int64_t deadline)
{
	for (;;) {
		ssize_t n;

		au_fcgi_conn_reserve(c, 8192);
		n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
		if (n > 0) {
			c->in_len += (size_t)n;
			return n;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (deadline == 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -2;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
		    !wait_fd(c->fd, POLLIN, deadline))
			return -1;
	}
}

/* Writes c->out; false when the peer is gone or stalled. */
static bool
conn_flush(struct au_fcgi_conn *c)
{
	int64_t deadline = au_time_mono_ms() + WRITE_TIMEOUT_MS;

	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off,
		    c->out_len - c->out_off);

		if (n > 0) {
			c->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) ||
		    !wait_fd(c->fd, POLLOUT, deadline))
			return false;
	}
	c->out_off = c->out_len = 0;
	return true;
}

/* Reads one whole request from c (bytes are waiting, or more within
 * READ_TIMEOUT_MS of the first).  AU_FCGI_MORE here means the connection
 * is idle again (it only carried management records). */
static enum au_fcgi_step
conn_take(struct worker_io *w, struct au_fcgi_conn *c, struct au_fcgi_req *rq)
{
	int64_t deadline = au_time_mono_ms() + READ_TIMEOUT_MS;
	enum au_fcgi_step step;

	au_fcgi_req_init(rq, w->cfg->max_body);
	for (;;) {
		step = au_fcgi_parse(c, rq, w->a);
		if (step != AU_FCGI_MORE)
			return step;
		if (rq->id == 0 && c->in_len == 0)
			return AU_FCGI_MORE;
		if (conn_read(c, deadline) <= 0)
			return AU_FCGI_CLOSE;
	}
}

/* Serves the requests waiting on c, one after the other; false when c
 * is to be closed (the web server did not keep it, closed it, broke the
 * protocol or stalled). */
static bool
conn_serve(struct worker_io *w, struct au_fcgi_conn *c)
{
	struct au_fcgi_req rq;
	bool keep = true;

	if (c->in_len == 0) {
		ssize_t n = conn_read(c, 0);

		if (n == -2)
			return true; /* woken for nothing */
		if (n <= 0)
			return false;
	}
	while (keep && c->in_len > 0) {
		enum au_fcgi_step step = conn_take(w, c, &rq);
		struct au_buf out;

		if (step != AU_FCGI_READY) {
			keep = step == AU_FCGI_MORE;
			conn_flush(c);
			break;
		}
		au_buf_init(&out, w->a, 8192);
		au_app_serve(w->ctx, w->a, rq.envp, rq.body, rq.body_len,
		    rq.too_large, &out);
		au_fcgi_respond(c, rq.id, out.p, out.len);
		if (w->lame_duck)
			au_fcgi_refuse_keep(c, rq.id);
		keep = conn_flush(c) && rq.keep && !w->lame_duck;
		au_arena_reset(w->a);
	}
	au_arena_reset(w->a);
	au_fcgi_conn_trim(c);
	c->last_used_ms = au_time_mono_ms();
	return keep;
}

static void
conn_close(struct worker_io *w, int i)
{
	struct au_fcgi_conn *c = w->conns[i];

	epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	au_fcgi_conn_free(c);
	free(c);
	w->conns[i] = w->conns[--w->nconns];
}

static int
conn_index(const struct worker_io *w, const struct au_fcgi_conn *c)
{
	int i;

	for (i = 0; i < w->nconns; i++)
		if (w->conns[i] == c)
			return i;
	return -1;
}

/* Takes one new connection.  A worker at AU_FCGI_MAX_CONNS closes its
 * least recently used one first (all it holds are idle between
 * requests); the web server sees the close and opens another. */
static void
conn_accept(struct worker_io *w)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct au_fcgi_conn *c;
	int fd, i, lru = 0, one = 1;

	fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return; /* another worker took it, or the peer gave up */
	if (w->tcp)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (w->nconns == AU_FCGI_MAX_CONNS) {
		for (i = 1; i < w->nconns; i++)
			if (w->conns[i]->last_used_ms <
			    w->conns[lru]->last_used_ms)
				lru = i;
		conn_close(w, lru);
	}
	c = malloc(sizeof(*c));
	if (c == NULL)
		abort();
	au_fcgi_conn_init(c, fd);
	c->last_used_ms = au_time_mono_ms();
	ev.data.ptr = c;
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		au_log_err("epoll_ctl: %s", strerror(errno));
		close(fd);
		free(c);
		return;
	}
	w->conns[w->nconns++] = c;
}

/* A request the web server already sent on a held connection is still
 * answered, then every connection is closed. */
static void
conns_close_all(struct worker_io *w)
{
	while (w->nconns > 0) {
		struct au_fcgi_conn *c = w->conns[0];
		struct pollfd p = { .fd = c->fd, .events = POLLIN };

		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN))
			conn_serve(w, c);
		conn_close(w, 0);
	}
}

/* On the way out, for LAME_DUCK_MS: no new connections, and each held
 * one is closed after its next answer, which asks the web server not to
 * keep it (au_fcgi_refuse_keep).  A connection closed while idle could
 * be taken for a request at that very moment, which nginx does not
 * retry for a POST (a 502); one the web server gave up itself cannot.
 * Those still idle afterwards are closed, a request already sent on
 * them answered first. */
static void
conns_lame_duck(struct worker_io *w)
{
	int64_t deadline = au_time_mono_ms() + LAME_DUCK_MS;

	epoll_ctl(w->ep, EPOLL_CTL_DEL, w->listen_fd, NULL);
	w->lame_duck = true;
	while (w->nconns > 0) {
		struct epoll_event evs[16];
		int64_t left = deadline - au_time_mono_ms();
		int i, n;

		if (left <= 0)
			break;
		/* signals stay blocked: a second SIGTERM changes nothing */
		n = epoll_wait(w->ep, evs, 16, (int)left);
		for (i = 0; i < n; i++) {
			struct au_fcgi_conn *c = evs[i].data.ptr;
			int k = conn_index(w, c);

			if (k < 0)
				continue;
			conn_serve(w, c);
			conn_close(w, k);
		}
	}
	conns_close_all(w);
}

static bool
is_tcp_socket(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
}

/* Serves requests on the connections of listening socket fd until told
 * to stop or max_requests is reached.  SIGTERM and SIGINT stay blocked
 * except inside epoll_pwait(), so a request in hand is always finished
 * and no signal is lost between a check and the wait. */
static int
worker_loop(int fd, const struct au_config *cfg, int index)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
	struct worker_io w = { .listen_fd = fd, .cfg = cfg };
	struct au_ctx ctx;
	sigset_t term, waiting;
	char err[512];
	bool recycle = false;

	set_handler(SIGTERM, on_worker_signal);
	set_handler(SIGINT, on_worker_signal);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigprocmask(SIG_BLOCK, &term, &waiting);
	sigdelset(&waiting, SIGTERM);
	sigdelset(&waiting, SIGINT);
	if (au_ctx_init(&ctx, cfg, M.master_key, err, sizeof(err)) != AU_OK) {
		au_log_err("worker %d: %s", index, err);
		return 1;
	}
	ctx.worker_index = index;
	w.ctx = &ctx;
	w.a = au_arena_new();
	w.tcp = is_tcp_socket(fd);
	/* workers share the socket: whoever is woken and loses the race
	 * must not block in accept() while holding connections */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	w.ep = epoll_create1(EPOLL_CLOEXEC);
	if (w.ep < 0 || epoll_ctl(w.ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		au_log_err("worker %d: epoll: %s", index, strerror(errno));
		return 1;
	}
	while (!worker_stop && !recycle) {
		struct epoll_event evs[16];
		int i, n;

		n = epoll_pwait(w.ep, evs, 16, -1, &waiting);
		for (i = 0; i < n && !recycle; i++) {
			struct au_fcgi_conn *c = evs[i].data.ptr;
			int k;

			if (c == NULL) {
				conn_accept(&w);
				continue;
			}
			if ((k = conn_index(&w, c)) >= 0 && !conn_serve(&w, c))
				conn_close(&w, k);
			recycle = cfg->max_requests > 0 &&
			    ctx.requests >= (unsigned long)cfg->max_requests;
		}
	}
	if (recycle)
		au_log_info("worker %d: recycling after %lu requests", index,
		    ctx.requests);
	conns_lame_duck(&w);
	close(w.ep);
	au_arena_free(w.a);
	au_ctx_free(&ctx);
	return 0;
}

static int
cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < MAX_WORKERS ? (int)n : 2;
}

static int
wanted_workers(void)
{
	return M.cfg.workers > 0 ? M.cfg.workers : cpu_count();
}

static void
spawn_worker(int slot)
{
	pid_t master = getpid();
	pid_t pid = fork();

	if (pid < 0) {
		au_log_err("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		sigset_t none;
		int rc;

		/* a worker never outlives its master, even one killed by -9 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != master)
			_exit(1);
		sigemptyset(&none);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGHUP, SIG_IGN);
		sigprocmask(SIG_SETMASK, &none, NULL);
		rc = worker_loop(M.listen_fd, &M.cfg, slot);
		au_config_free(&M.cfg);
		mysql_library_end();
		_exit(rc);
	}
	M.workers[slot].pid = pid;
	M.workers[slot].generation = M.generation;
	M.workers[slot].started_ms = au_time_mono_ms();
}

static int
find_free_slot(void)
{
	int i;

	for (i = 0; i < MAX_WORKERS; i++)
		if (M.workers[i].pid == 0)
			return i;
	return -1;
}

static int
live_current(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_WORKERS; i++)
		if (M.workers[i].pid != 0 && M.workers[i].generation == M.generation)
			n++;
	return n;
}

/* Records the exit of pid; returns whether it died young and abnormally. */
static bool
reap(pid_t pid, int status)
{
	int i;

	for (i = 0; i < MAX_WORKERS; i++) {
		if (M.workers[i].pid != pid)
			continue;
		M.workers[i].pid = 0;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return false;
		au_log_warn("worker %d (pid %d) %s %d", i, (int)pid,
		    WIFSIGNALED(status) ? "killed by signal" : "exited with",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return au_time_mono_ms() - M.workers[i].started_ms < 5000;
	}
	return false;
}

static void
signal_generation(int generation, int sig, bool all)
{
	int i;

	for (i = 0; i < MAX_WORKERS; i++)
		if (M.workers[i].pid != 0 &&
		    (all || M.workers[i].generation == generation))
			kill(M.workers[i].pid, sig);
}

static void
reload_config(void)
{
	struct au_config fresh;
	char err[512];
	int old = M.generation;

	au_config_defaults(&fresh);
	if (au_config_load(&fresh, M.config_path, err, sizeof(err)) != AU_OK ||
	    au_config_resolve_password(&fresh, err, sizeof(err)) != AU_OK) {
		au_log_err("reload refused, keeping the running configuration: %s",
		    err);
		au_config_free(&fresh);
		return;
	}
	if (strcmp(fresh.listen, M.cfg.listen) != 0)
		au_log_warn("reload: listen changes need a restart; keeping %s",
		    M.cfg.listen);
	free(fresh.listen);
	fresh.listen = strdup(M.cfg.listen);
	if (strcmp(fresh.master_key_file, M.cfg.master_key_file) != 0)
		au_log_warn("reload: master_key_file changes need a restart");
	au_config_free(&M.cfg);
	M.cfg = fresh;
	au_log_set_level(au_log_level_parse(M.cfg.log_level));
	M.generation++;
	au_log_info("configuration reloaded; rolling workers");
	/* the new generation starts in the main loop, then the old drains */
	while (live_current() < wanted_workers() && find_free_slot() >= 0)
		spawn_worker(find_free_slot());
	signal_generation(old, SIGTERM, false);
}

static void
drain_and_exit(void)
{
	int64_t deadline = au_time_mono_ms() + DRAIN_SECONDS * 1000;
	int status;
	pid_t pid;

	au_log_info("stopping: draining workers");
	signal_generation(0, SIGTERM, true);
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			reap(pid, status);
			continue;
		}
		if (pid < 0 && errno == ECHILD)
			break;
		if (au_time_mono_ms() > deadline) {
			au_log_warn("drain timed out; killing workers");
			signal_generation(0, SIGKILL, true);
			deadline = au_time_mono_ms() + 5000;
		}
		usleep(20000);
	}
}

static void
on_child(int sig)
{
	(void)sig; /* only wakes ppoll() */
}

/* The master's loop.  Signals stay blocked except inside ppoll(), which
 * unblocks and waits atomically, so no signal is ever lost between a
 * check and the wait. */
static void
supervise(void)
{
	sigset_t block, old;
	int64_t next_spawn = 0;

	set_handler(SIGCHLD, on_child);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!M.stop) {
		struct timespec ts;
		int64_t now, wait_ms;
		int status;
		pid_t pid;

		if (M.reload) {
			M.reload = 0;
			reload_config();
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (!reap(pid, status))
				continue;
			M.backoff_ms = M.backoff_ms ? M.backoff_ms * 2 : 250;
			if (M.backoff_ms > BACKOFF_MAX_MS)
				M.backoff_ms = BACKOFF_MAX_MS;
			next_spawn = au_time_mono_ms() + M.backoff_ms;
			au_log_warn("worker died young; restarting in %lld ms",
			    (long long)M.backoff_ms);
		}
		now = au_time_mono_ms();
		if (now >= next_spawn) {
			if (live_current() == wanted_workers())
				M.backoff_ms = 0;
			while (live_current() < wanted_workers() &&
			    find_free_slot() >= 0)
				spawn_worker(find_free_slot());
		}
		wait_ms = next_spawn > now ? next_spawn - now : 1000;
		ts.tv_sec = wait_ms / 1000;
		ts.tv_nsec = (wait_ms % 1000) * 1000000;
		ppoll(NULL, 0, &ts, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	drain_and_exit();
}

static bool
is_unix_path(const char *listen)
{
	return listen[0] == '/' || listen[0] == '.';
}

/* Binds and listens on a unix socket path or host:port (a name, an IPv4
 * address or a bracketed IPv6 one); -1 with errno set on failure. */
static int
bind_listen(const char *l)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *colon;
	int fd = -1, one = 1, rc;

	if (is_unix_path(l)) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		if (strlen(l) >= sizeof(sun.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(sun.sun_path, l, strlen(l) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    listen(fd, LISTEN_BACKLOG) != 0) {
			rc = errno;
			close(fd);
			errno = rc;
			return -1;
		}
		return fd;
	}
	colon = strrchr(l, ':');
	if (l[0] == '[' && colon > l + 1 && colon[-1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)(colon - l - 2), l + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int)(colon - l), l);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
		au_log_err("listen: %s: %s", l, gai_strerror(rc));
		errno = EINVAL;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, LISTEN_BACKLOG) == 0)
			break;
		rc = errno;
		close(fd);
		errno = rc;
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* Binds the configured socket; exits with a clear message on failure. */
static int
open_listen_socket(void)
{
	const char *l = M.cfg.listen;
	int fd;

	if (is_unix_path(l)) {
		char dir[1024];
		char *slash;
		struct stat st;

		snprintf(dir, sizeof(dir), "%s", l);
		slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir)
			*slash = '\0';
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			au_log_err("listen: directory %s does not exist", dir);
			return -1;
		}
		if (unlink(l) != 0 && errno != ENOENT) {
			au_log_err("listen: cannot remove stale %s: %s", l,
			    strerror(errno));
			return -1;
		}
	} else if (strchr(l, ':') == NULL || l[0] == ':') {
		au_log_err("listen: %s is neither an absolute socket path nor "
		    "host:port (an explicit host is required)", l);
		return -1;
	}
	fd = bind_listen(l);
	if (fd < 0) {
		au_log_err("listen: cannot bind %s: %s", l, strerror(errno));
		return -1;
	}
	if (is_unix_path(l)) {
		if (chmod(l, M.cfg.socket_mode) != 0)
			au_log_warn("chmod %s: %s", l, strerror(errno));
		if (M.cfg.socket_group[0] != '\0') {
			struct group *g = getgrnam(M.cfg.socket_group);

			if (g == NULL || chown(l, (uid_t)-1, g->gr_gid) != 0)
				au_log_warn("socket group %s: cannot apply",
				    M.cfg.socket_group);
		}
	}
	return fd;
}

static int
drop_privileges(void)
{
	struct passwd *pw;
	struct group *gr = NULL;

	if (M.cfg.user[0] == '\0')
		return 0;
	pw = getpwnam(M.cfg.user);
	if (pw == NULL) {
		au_log_err("user %s does not exist", M.cfg.user);
		return -1;
	}
	if (M.cfg.group[0] != '\0' && (gr = getgrnam(M.cfg.group)) == NULL) {
		au_log_err("group %s does not exist", M.cfg.group);
		return -1;
	}
	if (initgroups(pw->pw_name, gr ? gr->gr_gid : pw->pw_gid) != 0 ||
	    setgid(gr ? gr->gr_gid : pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		au_log_err("cannot drop privileges to %s: %s", M.cfg.user,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
write_pid_file(void)
{
	FILE *f;

	if (M.cfg.pid_file[0] == '\0')
		return;
	f = fopen(M.cfg.pid_file, "w");
	if (f == NULL) {
		au_log_warn("pid file %s: %s", M.cfg.pid_file, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

/* True when fd 0 is a listening socket handed over by a process manager. */
static bool
inherited_socket(void)
{
	int listening = 0;
	socklen_t len = sizeof(listening);

	return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 &&
	    listening;
}

static void
usage(void)
{
	fprintf(stderr, "usage: authiod [-c config-file]\n"
	    "  default config: %s\n", AU_DEFAULT_CONFIG);
	exit(2);
}

static void
load_config_or_exit(int argc, char **argv)
{
	char err[512];
	int ch, level;

	M.config_path = AU_DEFAULT_CONFIG;
	while ((ch = getopt(argc, argv, "c:h")) != -1) {
		if (ch == 'c')
			M.config_path = optarg;
		else
			usage();
	}
	au_config_defaults(&M.cfg);
	if (au_config_load(&M.cfg, M.config_path, err, sizeof(err)) != AU_OK ||
	    au_config_resolve_password(&M.cfg, err, sizeof(err)) != AU_OK ||
	    au_seal_load_master(M.cfg.master_key_file, M.master_key, err,
	    sizeof(err)) != AU_OK) {
		fprintf(stderr, "authiod: %s\n", err);
		exit(1);
	}
	level = au_log_level_parse(M.cfg.log_level);
	au_log_open("authiod", strcmp(M.cfg.log_destination, "syslog") == 0,
	    level);
}

int
main(int argc, char **argv)
{
	int rc;

	load_config_or_exit(argc, argv);
	au_app_global_init();
	if (inherited_socket()) {
		au_log_info("serving the socket on fd 0 as a single worker");
		rc = worker_loop(0, &M.cfg, 0);
		au_config_free(&M.cfg);
		mysql_library_end();
		return rc;
	}
	M.listen_fd = open_listen_socket();
	if (M.listen_fd < 0)
		return 1;
	write_pid_file();
	if (drop_privileges() != 0)
		return 1;
	set_handler(SIGTERM, on_master_signal);
	set_handler(SIGINT, on_master_signal);
	set_handler(SIGHUP, on_master_signal);
	signal(SIGPIPE, SIG_IGN);
	au_log_info("listening on %s with %d workers", M.cfg.listen,
	    wanted_workers());
	supervise();
	if (is_unix_path(M.cfg.listen))
		unlink(M.cfg.listen);
	if (M.cfg.pid_file[0] != '\0')
		unlink(M.cfg.pid_file);
	au_log_info("stopped");
	OPENSSL_cleanse(M.master_key, sizeof(M.master_key));
	au_config_free(&M.cfg);
	mysql_library_end();
	return 0;
}
