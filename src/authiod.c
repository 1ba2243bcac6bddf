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
 * When fd 0 already is a FastCGI listening socket (spawn-fcgi, Apache
 * mod_fcgid), authiod serves as one worker on it and leaves supervision to
 * whoever started it. */
#define _GNU_SOURCE /* ppoll */
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
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

#define MAX_WORKERS 256
#define DRAIN_SECONDS 30
#define BACKOFF_MAX_MS 30000

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
	sa.sa_flags = 0; /* no SA_RESTART: accept() must be interrupted */
	sigaction(sig, &sa, NULL);
}

/* Reads the request body, at most max bytes; *too_large when more came. */
static char *
read_body(FCGX_Request *fr, struct au_arena *a, size_t max, size_t *len,
    bool *too_large)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	long long declared = 0;
	size_t cap, n = 0;
	char *buf;

	*too_large = false;
	if (cl != NULL && *cl != '\0' &&
	    au_str_to_ll(cl, 0, (long long)1 << 40, &declared) == AU_OK &&
	    (size_t)declared > max) {
		*too_large = true;
		*len = 0;
		return NULL;
	}
	cap = declared > 0 ? (size_t)declared + 1 : 4096;
	buf = au_arena_alloc(a, cap + 1);
	for (;;) {
		int got;

		if (n == cap) {
			char *bigger;

			if (cap > max) {
				*too_large = true;
				break;
			}
			bigger = au_arena_alloc(a, cap * 2 + 1);
			memcpy(bigger, buf, n);
			buf = bigger;
			cap *= 2;
		}
		got = FCGX_GetStr(buf + n, (int)(cap - n), fr->in);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	if (n > max)
		*too_large = true;
	buf[n] = '\0';
	*len = n;
	return buf;
}

static bool
is_unix_socket(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    ss.ss_family == AF_UNIX;
}

/* Serves requests on fd until told to stop or max_requests is reached. */
static int
worker_loop(int fd, const struct au_config *cfg, int index)
{
	struct au_ctx ctx;
	struct au_arena *a;
	FCGX_Request fr;
	sigset_t term, old;
	bool unix_socket;
	char err[512];

	set_handler(SIGTERM, on_worker_signal);
	set_handler(SIGINT, on_worker_signal);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (au_ctx_init(&ctx, cfg, M.master_key, err, sizeof(err)) != AU_OK) {
		au_log_err("worker %d: %s", index, err);
		return 1;
	}
	ctx.worker_index = index;
	a = au_arena_new();
	unix_socket = is_unix_socket(fd);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!worker_stop && FCGX_Accept_r(&fr) >= 0) {
		struct au_buf out;
		size_t len;
		bool too_large;
		char *body;

		/* a request in hand is finished even if SIGTERM arrives */
		sigprocmask(SIG_BLOCK, &term, &old);
		body = read_body(&fr, a, cfg->max_body, &len, &too_large);
		au_buf_init(&out, a, 8192);
		au_app_serve(&ctx, a, fr.envp, body, len, too_large, &out);
		FCGX_PutStr(out.p, (int)out.len, fr.out);
		/* libfcgi would half-close and then wait for the web server to
		 * close first; on a unix socket the response is already safe in
		 * the peer's queue, so close at once and take the next request */
		if (unix_socket)
			FCGX_Detach(&fr);
		FCGX_Finish_r(&fr);
		au_arena_reset(a);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (cfg->max_requests > 0 &&
		    ctx.requests >= (unsigned long)cfg->max_requests) {
			au_log_info("worker %d: recycling after %lu requests",
			    index, ctx.requests);
			break;
		}
	}
	FCGX_Free(&fr, 0);
	au_arena_free(a);
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

/* Binds the configured socket; exits with a clear message on failure
 * (FCGX_OpenSocket itself exit()s with only perror on bind errors). */
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
	fd = FCGX_OpenSocket(l, 128);
	if (fd < 0) {
		au_log_err("listen: cannot bind %s", l);
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
	if (FCGX_Init() != 0) {
		au_log_err("FCGX_Init failed");
		return 1;
	}
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
