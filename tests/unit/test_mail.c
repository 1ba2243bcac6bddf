/* test_mail.c — the message au_mail_format builds and what au_mail_smtp
 * says to a relay (mail.h). */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "mail/mail.h"
#include "store/store_settings.h"
#include "au_test.h"

static void
settings(struct au_mail_settings *ms)
{
	memset(ms, 0, sizeof(*ms));
	ms->from = "noreply@example.com";
	ms->from_name = "Acme \"Login\"";
	ms->reply_to = "help@example.com";
	ms->transport = "sendmail";
	ms->sendmail_path = "/usr/sbin/sendmail";
	ms->smtp_host = ms->smtp_user = "";
}

static int
format(struct au_arena *a, const struct au_mail_settings *ms,
    const char *to, const char *subject, struct au_buf *out)
{
	struct au_mail_msg m = { to, subject, "text body\n", "<p>html</p>" };

	return au_mail_format(a, ms, &m, 1764900000, out);
}

static void
test_headers(void)
{
	struct au_arena *a = au_arena_new();
	struct au_mail_settings ms;
	struct au_buf out;

	settings(&ms);
	CU_ASSERT_EQUAL_FATAL(format(a, &ms, "u@example.org", "Hello", &out),
	    AU_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p,
	    "From: \"Acme \\\"Login\\\"\" <noreply@example.com>\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "Reply-To: help@example.com\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "To: u@example.org\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "Subject: Hello\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p,
	    "Date: Fri, 05 Dec 2025 02:00:00 +0000\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "@example.com>\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "multipart/alternative"));
	/* base64 of "text body\n" */
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "dGV4dCBib2R5Cg==\r\n"));
	au_arena_free(a);
}

static void
test_encoded_words(void)
{
	struct au_arena *a = au_arena_new();
	struct au_mail_settings ms;
	struct au_buf out;
	char *p;

	settings(&ms);
	ms.from_name = "Ünïcode";
	/* 30 two-byte characters: more than one encoded-word */
	CU_ASSERT_EQUAL_FATAL(format(a, &ms, "u@example.org",
	    "ééééééééééééééééééééééééééééééé", &out), AU_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "From: =?UTF-8?B?w5xuw69jb2Rl?= "
	    "<noreply@example.com>\r\n"));
	p = strstr(out.p, "Subject: =?UTF-8?B?");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* folded, and each word holds whole characters (an even number of
	 * bytes of "é": 44 bytes, base64 of 44 bytes ends in "=") */
	CU_ASSERT_PTR_NOT_NULL(strstr(p, "?=\r\n =?UTF-8?B?"));
	au_arena_free(a);
}

static void
test_header_injection_refused(void)
{
	struct au_arena *a = au_arena_new();
	struct au_mail_settings ms;
	struct au_buf out;

	settings(&ms);
	CU_ASSERT_EQUAL(format(a, &ms, "u@example.org", "Hi\r\nBcc: x@y.z",
	    &out), AU_EINVAL);
	CU_ASSERT_EQUAL(format(a, &ms, "u@example.org\r\nBcc: x@y.z", "Hi",
	    &out), AU_EINVAL);
	CU_ASSERT_EQUAL(format(a, &ms, "<u@example.org>", "Hi", &out),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(format(a, &ms, "-oQ/tmp@example.org", "Hi", &out),
	    AU_EINVAL);
	ms.from_name = "Acme\nBcc: x@y.z";
	CU_ASSERT_EQUAL(format(a, &ms, "u@example.org", "Hi", &out),
	    AU_EINVAL);
	settings(&ms);
	ms.reply_to = "a@b.c\r\nX: y";
	CU_ASSERT_EQUAL(format(a, &ms, "u@example.org", "Hi", &out),
	    AU_EINVAL);
	au_arena_free(a);
}

/* A scripted relay in a child process: one session on lfd, offering
 * only AUTH LOGIN, copying every line it receives to out.  No stdio and
 * no heap, so the child leaves nothing for valgrind to report. */
static void
relay(int lfd, int out)
{
	char line[4096];
	size_t n = 0;
	int c = accept(lfd, NULL, NULL), auth = 0;
	bool data = false;

#define SAY(s) (void)!write(c, s, strlen(s))
	SAY("220 test ESMTP\r\n");
	while (c >= 0 && n < sizeof(line) - 1 && read(c, line + n, 1) == 1) {
		if (line[n++] != '\n')
			continue;
		line[n] = '\0';
		(void)!write(out, line, n);
		n = 0;
		if (data) {
			if (strcmp(line, ".\r\n") == 0) {
				data = false;
				SAY("250 queued\r\n");
			}
		} else if (auth == 1) {
			auth = 2;
			SAY("334 UGFzc3dvcmQ6\r\n");
		} else if (auth == 2) {
			auth = 3;
			SAY("235 ok\r\n");
		} else if (strncmp(line, "EHLO", 4) == 0)
			SAY("250-test\r\n250 AUTH LOGIN\r\n");
		else if (strcmp(line, "AUTH LOGIN\r\n") == 0) {
			auth = 1;
			SAY("334 VXNlcm5hbWU6\r\n");
		} else if (strncmp(line, "DATA", 4) == 0) {
			data = true;
			SAY("354 go\r\n");
		} else if (strncmp(line, "QUIT", 4) == 0) {
			SAY("221 bye\r\n");
			break;
		} else
			SAY("250 ok\r\n");
	}
#undef SAY
	_exit(0);
}

static void
test_smtp_auth_login_and_dot_stuffing(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct au_mail_settings ms;
	struct au_arena *a;
	char got[8192];
	size_t n = 0;
	ssize_t r;
	int lfd, p[2], status;
	pid_t pid;
	/* lines starting with "." (one of them a lone ".") and no final
	 * line break */
	const char *msg = "Subject: x\r\n\r\n.leading\r\nmid . dot\r\n.\r\nend";

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL(lfd >= 0 && bind(lfd, (struct sockaddr *)&sin,
	    sizeof(sin)) == 0 && listen(lfd, 1) == 0 &&
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) == 0);
	CU_ASSERT_FATAL(pipe(p) == 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		relay(lfd, p[1]);
	}
	close(p[1]);
	close(lfd);
	a = au_arena_new();
	settings(&ms);
	ms.transport = "smtp";
	ms.smtp_host = "127.0.0.1";
	ms.smtp_port = ntohs(sin.sin_port);
	ms.smtp_user = "mailer";
	CU_ASSERT_EQUAL(au_mail_smtp(a, &ms, "s3cret", "from@example.com",
	    "to@example.org", msg, strlen(msg)), AU_OK);
	while (n < sizeof(got) - 1 && (r = read(p[0], got + n,
	    sizeof(got) - 1 - n)) > 0)
		n += (size_t)r;
	got[n] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	/* RFC 4954 LOGIN: base64 of the user, then of the password */
	CU_ASSERT_PTR_NOT_NULL(strstr(got,
	    "AUTH LOGIN\r\nbWFpbGVy\r\nczNjcmV0\r\nMAIL FROM:<from@example.com>"));
	/* RFC 5321 §4.5.2: a line's leading "." doubled, the rest as is,
	 * then CRLF "." CRLF */
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "\r\n\r\n..leading\r\n"
	    "mid . dot\r\n..\r\nend\r\n.\r\nQUIT\r\n"));
	au_arena_free(a);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("mail", NULL, NULL, AU_T(test_headers),
	    AU_T(test_encoded_words), AU_T(test_header_injection_refused),
	    AU_T(test_smtp_auth_login_and_dot_stuffing));
}

AU_TEST_MAIN(register_tests)
