/* core_log.c — stderr or syslog sink with request ids. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "core/core_log.h"

static struct {
	char ident[32];
	int use_syslog;
	enum au_log_level level;
	char request_id[40];
} log_state = { "authio", 0, AU_LOG_INFO, "" };

void
au_log_open(const char *ident, int use_syslog, enum au_log_level level)
{
	snprintf(log_state.ident, sizeof(log_state.ident), "%s", ident);
	if (log_state.use_syslog)
		closelog();
	log_state.use_syslog = use_syslog;
	log_state.level = level;
	if (use_syslog)
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
au_log_set_level(enum au_log_level level)
{
	log_state.level = level;
}

int
au_log_level_parse(const char *s)
{
	static const char *names[] = { "err", "warn", "info", "debug" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void
au_log_set_request_id(const char *id)
{
	snprintf(log_state.request_id, sizeof(log_state.request_id), "%s",
	    id != NULL ? id : "");
}

void
au_log(enum au_log_level level, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char msg[2048];
	va_list ap;
	char *p;

	if (level > log_state.level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (log_state.use_syslog) {
		if (log_state.request_id[0] != '\0')
			syslog(prio[level], "%s req=%s %s", names[level],
			    log_state.request_id, msg);
		else
			syslog(prio[level], "%s %s", names[level], msg);
	} else {
		char ts[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (log_state.request_id[0] != '\0')
			fprintf(stderr, "%s %s[%d] %s req=%s %s\n", ts,
			    log_state.ident, (int)getpid(), names[level],
			    log_state.request_id, msg);
		else
			fprintf(stderr, "%s %s[%d] %s %s\n", ts, log_state.ident,
			    (int)getpid(), names[level], msg);
	}
}
