/* test_mail.c — the message au_mail_format builds (mail.h). */
#include <stdbool.h>
#include <string.h>

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

static void
register_tests(void)
{
	AU_ADD_SUITE("mail", NULL, NULL, AU_T(test_headers),
	    AU_T(test_encoded_words), AU_T(test_header_injection_refused));
}

AU_TEST_MAIN(register_tests)
