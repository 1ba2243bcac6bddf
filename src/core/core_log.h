/* core_log.h — one log line per event, to stderr or syslog.
 *
 * Every line carries the current request id when one is set, so an
 * operator can grep one request across the web server's and authio's logs.
 * Lines are single-line: CR, LF and other control characters in the
 * message are replaced so log injection is impossible. */
#ifndef AU_CORE_LOG_H
#define AU_CORE_LOG_H

enum au_log_level { AU_LOG_ERR = 0, AU_LOG_WARN, AU_LOG_INFO, AU_LOG_DEBUG };

/* ident: program name; use_syslog: else stderr. Safe to call again. */
void au_log_open(const char *ident, int use_syslog, enum au_log_level level);
void au_log_set_level(enum au_log_level level);
/* Parses "err|warn|info|debug"; -1 when unknown. */
int au_log_level_parse(const char *s);
/* The id stamped on following lines; NULL clears it. Copied. */
void au_log_set_request_id(const char *id);

void au_log(enum au_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define au_log_err(...) au_log(AU_LOG_ERR, __VA_ARGS__)
#define au_log_warn(...) au_log(AU_LOG_WARN, __VA_ARGS__)
#define au_log_info(...) au_log(AU_LOG_INFO, __VA_ARGS__)
#define au_log_debug(...) au_log(AU_LOG_DEBUG, __VA_ARGS__)

#endif
