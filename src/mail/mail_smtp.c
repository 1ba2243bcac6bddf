/* mail_smtp.c — the "smtp" transport (RFC 5321, STARTTLS RFC 3207, AUTH
 * RFC 4954 with PLAIN RFC 4616 or LOGIN).  See mail.h.
 *
 * One connection per message, 30-second timeouts on every read and
 * write.  With smtpStartTls the server must offer STARTTLS and present a
 * certificate for smtpHost that the system's trust store accepts;
 * otherwise nothing is sent.  Credentials are sent only after EHLO
 * offered AUTH. */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "mail/mail.h"
#include "store/store_settings.h"

#define SMTP_TIMEOUT 30

struct smtp {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	char in[4096];
	size_t have;
	char last[512];     /* the last reply line, for the log */
	bool ext_starttls, ext_auth_plain, ext_auth_login;
};

static int
smtp_connect(const char *host, int port)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = { SMTP_TIMEOUT, 0 };
	char service[8];
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	if (getaddrinfo(host, service, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int
smtp_write(struct smtp *s, const char *p, size_t n)
{
	int k;

	if (s->ssl == NULL)
		return au_mail_write_all(s->fd, p, n);
	while (n > 0) {
		k = SSL_write(s->ssl, p, (int)n);
		if (k <= 0)
			return AU_EIO;
		p += k;
		n -= (size_t)k;
	}
	return AU_OK;
}

/* One line (CRLF stripped) into s->last. */
static int
smtp_line(struct smtp *s)
{
	char *nl;
	ssize_t k;
	size_t n;

	while ((nl = memchr(s->in, '\n', s->have)) == NULL) {
		if (s->have == sizeof(s->in))
			return AU_EIO;
		if (s->ssl != NULL)
			k = SSL_read(s->ssl, s->in + s->have,
			    (int)(sizeof(s->in) - s->have));
		else
			k = read(s->fd, s->in + s->have, sizeof(s->in) - s->have);
		if (k < 0 && s->ssl == NULL && errno == EINTR)
			continue;
		if (k <= 0)
			return AU_EIO;
		s->have += (size_t)k;
	}
	n = (size_t)(nl - s->in);
	snprintf(s->last, sizeof(s->last), "%.*s", (int)(n > 0 &&
	    nl[-1] == '\r' ? n - 1 : n), s->in);
	memmove(s->in, nl + 1, s->have - n - 1);
	s->have -= n + 1;
	return AU_OK;
}

/* A whole (multi-line) reply; its code into *code.  EHLO's lines set
 * the extensions. */
static int
smtp_reply(struct smtp *s, int *code)
{
	int rc;

	do {
		if ((rc = smtp_line(s)) != AU_OK)
			return rc;
		if (strlen(s->last) < 3)
			return AU_EIO;
		if (strncasecmp(s->last + 4, "STARTTLS", 8) == 0)
			s->ext_starttls = true;
		if (strncasecmp(s->last + 4, "AUTH", 4) == 0) {
			s->ext_auth_plain = strstr(s->last, "PLAIN") != NULL;
			s->ext_auth_login = strstr(s->last, "LOGIN") != NULL;
		}
	} while (s->last[3] == '-');
	*code = (int)strtol(s->last, NULL, 10);
	return AU_OK;
}

/* Sends line (CRLF added) and reads the reply; AU_OK when its code is
 * want (or 2xx for want 200). */
static int
smtp_cmd(struct smtp *s, const char *line, int want)
{
	int code = 0, rc;

	if (line != NULL && ((rc = smtp_write(s, line, strlen(line))) != AU_OK ||
	    (rc = smtp_write(s, "\r\n", 2)) != AU_OK))
		return rc;
	if ((rc = smtp_reply(s, &code)) != AU_OK)
		return rc;
	if (want == 200 ? code / 100 == 2 : code == want)
		return AU_OK;
	return AU_EIO;
}

static int
smtp_starttls(struct smtp *s, const char *host, const char *ca_file)
{
	if (smtp_cmd(s, "STARTTLS", 220) != AU_OK)
		return AU_EIO;
	s->ctx = SSL_CTX_new(TLS_client_method());
	if (s->ctx == NULL)
		return AU_ECRYPTO;
	SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER, NULL);
	if (ca_file != NULL && *ca_file != '\0' &&
	    SSL_CTX_load_verify_locations(s->ctx, ca_file, NULL) != 1) {
		au_log_warn("smtp: cannot read smtp_ca_file %s; trusting the "
		    "system's authorities only", ca_file);
		ERR_clear_error();
	}
	if (SSL_CTX_set_default_verify_paths(s->ctx) != 1 ||
	    (s->ssl = SSL_new(s->ctx)) == NULL ||
	    SSL_set_fd(s->ssl, s->fd) != 1 ||
	    SSL_set_tlsext_host_name(s->ssl, host) != 1 ||
	    SSL_set1_host(s->ssl, host) != 1)
		return AU_ECRYPTO;
	if (SSL_connect(s->ssl) != 1) {
		snprintf(s->last, sizeof(s->last), "TLS handshake failed: %s",
		    ERR_reason_error_string(ERR_get_error()));
		return AU_ECRYPTO;
	}
	s->have = 0;
	s->ext_starttls = s->ext_auth_plain = s->ext_auth_login = false;
	return AU_OK;
}

static char *
b64(struct au_arena *a, const char *p, size_t n)
{
	size_t len = 4 * ((n + 2) / 3) + 1;
	char *out = au_arena_calloc(a, len);

	au_arena_wipe(a, out, len);   /* may encode a password */

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)p, (int)n);
	return out;
}

static int
smtp_auth(struct au_arena *a, struct smtp *s, const char *user,
    const char *password)
{
	size_t un = strlen(user), pn = strlen(password);
	const char *cmd;
	char *plain;

	if (s->ext_auth_plain) {
		/* authzid NUL authcid NUL passwd */
		plain = au_arena_calloc(a, un + pn + 3);
		au_arena_wipe(a, plain, un + pn + 3);
		memcpy(plain + 1, user, un);
		memcpy(plain + 2 + un, password, pn);
		cmd = au_arena_printf(a, "AUTH PLAIN %s", b64(a, plain,
		    un + pn + 2));
		au_arena_wipe(a, (void *)cmd, strlen(cmd));
		return smtp_cmd(s, cmd, 235);
	}
	if (s->ext_auth_login)
		return smtp_cmd(s, "AUTH LOGIN", 334) == AU_OK &&
		    smtp_cmd(s, b64(a, user, un), 334) == AU_OK &&
		    smtp_cmd(s, b64(a, password, pn), 235) == AU_OK ? AU_OK :
		    AU_EIO;
	snprintf(s->last, sizeof(s->last), "no AUTH PLAIN or LOGIN offered");
	return AU_EIO;
}

/* The message with every line that starts with "." doubled (RFC 5321
 * §4.5.2) and the final ".". */
static int
smtp_data(struct au_arena *a, struct smtp *s, const char *msg, size_t len)
{
	struct au_buf b;
	size_t i;

	au_buf_init(&b, a, len + 64);
	for (i = 0; i < len; i++) {
		if (msg[i] == '.' && (i == 0 || msg[i - 1] == '\n'))
			au_buf_addc(&b, '.');
		au_buf_addc(&b, msg[i]);
	}
	if (len > 0 && msg[len - 1] != '\n')
		au_buf_adds(&b, "\r\n");
	au_buf_adds(&b, ".\r\n");
	if (smtp_write(s, b.p, b.len) != AU_OK)
		return AU_EIO;
	return smtp_cmd(s, NULL, 250);
}

int
au_mail_smtp(struct au_arena *a, const struct au_mail_settings *ms,
    const char *password, const char *from, const char *to,
    const char *msg, size_t len)
{
	struct smtp s;
	const char *step = "connect";
	char host[256];
	int rc = AU_EIO;

	memset(&s, 0, sizeof(s));
	if (gethostname(host, sizeof(host)) != 0 || strchr(host, '.') == NULL)
		snprintf(host, sizeof(host), "localhost");
	if ((s.fd = smtp_connect(ms->smtp_host, ms->smtp_port)) < 0)
		goto out;
	step = "greeting";
	if (smtp_cmd(&s, NULL, 220) != AU_OK)
		goto out;
	step = "EHLO";
	if (smtp_cmd(&s, au_arena_printf(a, "EHLO %s", host), 250) != AU_OK)
		goto out;
	if (ms->smtp_starttls) {
		step = "STARTTLS";
		if (!s.ext_starttls || smtp_starttls(&s, ms->smtp_host, ms->ca_file) !=
		    AU_OK)
			goto out;
		step = "EHLO after STARTTLS";
		if (smtp_cmd(&s, au_arena_printf(a, "EHLO %s", host), 250) !=
		    AU_OK)
			goto out;
	}
	step = "AUTH";
	if (*ms->smtp_user != '\0' && smtp_auth(a, &s, ms->smtp_user,
	    password) != AU_OK)
		goto out;
	step = "MAIL FROM";
	if (smtp_cmd(&s, au_arena_printf(a, "MAIL FROM:<%s>", from), 250) !=
	    AU_OK)
		goto out;
	step = "RCPT TO";
	if (smtp_cmd(&s, au_arena_printf(a, "RCPT TO:<%s>", to), 200) != AU_OK)
		goto out;
	step = "DATA";
	if (smtp_cmd(&s, "DATA", 354) != AU_OK ||
	    smtp_data(a, &s, msg, len) != AU_OK)
		goto out;
	smtp_cmd(&s, "QUIT", 221);
	rc = AU_OK;
out:
	if (rc != AU_OK)
		au_log_warn("mail: SMTP %s:%d failed at %s: %s", ms->smtp_host,
		    ms->smtp_port, step, s.last);
	if (s.ssl != NULL) {
		SSL_shutdown(s.ssl);
		SSL_free(s.ssl);
	}
	SSL_CTX_free(s.ctx);
	if (s.fd >= 0)
		close(s.fd);
	return rc;
}
