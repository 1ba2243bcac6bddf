/* mail.c — message formatting and the sendmail transport (see mail.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_seal.h"
#include "mail/mail.h"
#include "store/store_settings.h"

#define SENDMAIL_TIMEOUT 30     /* seconds */

static bool
has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool
ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* local@domain without anything that could leave an address. */
static bool
address_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && !has_ctl(s) && ascii(s) &&
	    strpbrk(s, " <>,;:\"\\()[]") == NULL && s[0] != '-' &&
	    strlen(s) <= 320;
}

/* Base64 of n bytes at p in lines of 76 characters, each ending CRLF. */
static void
add_base64(struct au_buf *b, const void *p, size_t n)
{
	const unsigned char *u = p;
	unsigned char line[80];
	size_t k;
	int len;

	for (; n > 0; u += k, n -= k) {
		k = n < 57 ? n : 57;
		len = EVP_EncodeBlock(line, u, (int)k);
		au_buf_add(b, line, (size_t)len);
		au_buf_adds(b, "\r\n");
	}
}

/* RFC 2047 encoded-words ("B" encoding) for a non-ASCII header value,
 * folded so that no line grows long; a UTF-8 sequence is never split
 * between two words. */
static void
add_encoded_words(struct au_buf *b, const char *s)
{
	unsigned char enc[64];
	size_t n = strlen(s), k;
	bool first = true;
	int len;

	while (n > 0) {
		k = n < 45 ? n : 45;
		while (k < n && k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;   /* back to the start of a character */
		len = EVP_EncodeBlock(enc, (const unsigned char *)s, (int)k);
		au_buf_printf(b, "%s=?UTF-8?B?%.*s?=", first ? "" : "\r\n ",
		    len, enc);
		first = false;
		s += k;
		n -= k;
	}
}

/* A display name: ASCII as a quoted string, else encoded-words. */
static void
add_display_name(struct au_buf *b, const char *s)
{
	if (!ascii(s)) {
		add_encoded_words(b, s);
		return;
	}
	au_buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			au_buf_addc(b, '\\');
		au_buf_addc(b, *s);
	}
	au_buf_addc(b, '"');
}

/* RFC 5322 §3.3 date-time in UTC, without the locale's names. */
static void
add_date(struct au_buf *b, int64_t now)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)now;
	struct tm tm;

	gmtime_r(&t, &tm);
	au_buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char *
sender(const struct au_mail_settings *ms)
{
	return ms->from != NULL && *ms->from != '\0' ? ms->from :
	    "noreply@localhost";
}

int
au_mail_format(struct au_arena *a, const struct au_mail_settings *ms,
    const struct au_mail_msg *m, int64_t now, struct au_buf *out)
{
	const char *from = sender(ms), *boundary;

	if (!address_ok(from) || !address_ok(m->to) ||
	    (*ms->reply_to != '\0' && !address_ok(ms->reply_to)) ||
	    has_ctl(ms->from_name) || has_ctl(m->subject))
		return AU_EINVAL;
	boundary = au_arena_printf(a, "=_authio_%s", au_rand_token(a, 18));
	au_buf_init(out, a, 4096);
	au_buf_adds(out, "From: ");
	if (*ms->from_name != '\0') {
		add_display_name(out, ms->from_name);
		au_buf_printf(out, " <%s>\r\n", from);
	} else
		au_buf_printf(out, "%s\r\n", from);
	if (*ms->reply_to != '\0')
		au_buf_printf(out, "Reply-To: %s\r\n", ms->reply_to);
	au_buf_printf(out, "To: %s\r\n", m->to);
	au_buf_adds(out, "Subject: ");
	if (ascii(m->subject))
		au_buf_adds(out, m->subject);
	else
		add_encoded_words(out, m->subject);
	au_buf_adds(out, "\r\n");
	add_date(out, now);
	au_buf_printf(out, "Message-ID: <%s.%lld@%s>\r\n", au_rand_token(a, 16),
	    (long long)now, strchr(from, '@') + 1);
	au_buf_adds(out, "Auto-Submitted: auto-generated\r\n");
	au_buf_adds(out, "MIME-Version: 1.0\r\n");
	au_buf_printf(out, "Content-Type: multipart/alternative; "
	    "boundary=\"%s\"\r\n\r\n", boundary);
	au_buf_printf(out, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	add_base64(out, m->text, strlen(m->text));
	au_buf_printf(out, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	add_base64(out, m->html, strlen(m->html));
	au_buf_printf(out, "--%s--\r\n", boundary);
	return AU_OK;
}

/* (mail.h) */
int
au_mail_write_all(int fd, const char *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return AU_EIO;
		p += k;
		n -= (size_t)k;
	}
	return AU_OK;
}

/* Runs path -i -f from -- to with msg on its standard input; the child
 * is killed after SENDMAIL_TIMEOUT seconds. */
static int
sendmail(const char *path, const char *from, const char *to,
    const char *msg, size_t len)
{
	int fds[2], status = 0, rc, i;
	pid_t pid, w = 0;

	if (pipe(fds) != 0)
		return AU_EIO;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return AU_EIO;
	}
	if (pid == 0) {
		char *argv[] = { (char *)path, "-i", "-f", (char *)from, "--",
		    (char *)to, NULL };
		char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
		int devnull = open("/dev/null", O_WRONLY);

		dup2(fds[0], 0);
		if (devnull >= 0)
			dup2(devnull, 1);
		for (i = 3; i < 1024; i++)
			close(i);
		signal(SIGPIPE, SIG_DFL);
		execve(path, argv, envp);
		_exit(127);
	}
	close(fds[0]);
	rc = au_mail_write_all(fds[1], msg, len);
	close(fds[1]);
	for (i = 0; i < SENDMAIL_TIMEOUT * 10; i++) {
		w = waitpid(pid, &status, WNOHANG);
		if (w != 0 && !(w < 0 && errno == EINTR))
			break;
		usleep(100000);
	}
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		au_log_warn("mail: %s timed out", path);
		return AU_EIO;
	}
	if (w < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		au_log_warn("mail: %s failed (status %d)", path,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return AU_EIO;
	}
	return rc;
}

int
au_mail_send(struct au_arena *a, const struct au_mail_settings *ms,
    const unsigned char key[AU_MASTER_KEY_LEN], const char *realm_uuid,
    const struct au_mail_msg *m)
{
	const char *password = "";
	unsigned char *blob, *plain;
	size_t n, pn;
	struct au_buf msg;
	int rc;

	rc = au_mail_format(a, ms, m, time(NULL), &msg);
	if (rc != AU_OK) {
		au_log_warn("mail: message to %s refused (bad header value)",
		    has_ctl(m->to) ? "(invalid)" : m->to);
		return rc;
	}
	if (strcmp(ms->transport, "smtp") != 0)
		return sendmail(ms->sendmail_path, sender(ms), m->to, msg.p,
		    msg.len);
	if (ms->smtp_password_sealed != NULL) {
		if (au_b64url_decode(a, ms->smtp_password_sealed,
		    strlen(ms->smtp_password_sealed), &blob, &n) != AU_OK ||
		    au_unseal(a, key, blob, n, au_settings_secret_aad(a,
		    realm_uuid, "policies", "mail.smtpPassword"), &plain,
		    &pn) != AU_OK) {
			au_log_warn("mail: the SMTP password does not unseal");
			return AU_EIO;
		}
		password = (const char *)plain;   /* NUL-terminated, wiped
		                                     at the arena's reset */
		(void)pn;
	}
	return au_mail_smtp(a, ms, password, sender(ms), m->to, msg.p,
	    msg.len);
}
