/* mail.h — mail from a realm: an RFC 5322 message and its delivery.
 *
 * au_mail_format builds the message: From (with the realm's sender
 * name), Reply-To, To, Subject (RFC 2047 encoded-words when not ASCII),
 * Date, Message-ID, MIME-Version and a multipart/alternative body of a
 * text/plain and a text/html part, both UTF-8 and base64-encoded.  A
 * header value holding a control character (CR, LF, ...) is refused, so
 * nothing a user typed can add a header.
 *
 * au_mail_send delivers it by the realm's mail.transport: "sendmail"
 * runs mail.sendmailPath (fork and exec, no shell) with the recipient as
 * its argument and the message on its standard input; "smtp" speaks
 * SMTP to mail.smtpHost:smtpPort (mail_smtp.c).  Without mail.from the
 * sender is noreply@localhost. */
#ifndef AU_MAIL_H
#define AU_MAIL_H

#include <stdint.h>

#include "crypto/crypto_seal.h"

struct au_arena;
struct au_buf;
struct au_mail_settings;

struct au_mail_msg {
	const char *to;       /* the recipient's address */
	const char *subject;  /* UTF-8 */
	const char *text;     /* the text/plain part, UTF-8 */
	const char *html;     /* the text/html part, UTF-8 */
};

/* The message as sent (CRLF line ends) into out.  AU_OK; AU_EINVAL when
 * a header value holds a control character or the address is not one. */
int au_mail_format(struct au_arena *a, const struct au_mail_settings *ms,
    const struct au_mail_msg *m, int64_t now, struct au_buf *out);

/* Formats m and delivers it.  key and realm_uuid open the sealed SMTP
 * password.  AU_OK; AU_EINVAL (bad message or settings); AU_EIO (the
 * transport failed; logged). */
int au_mail_send(struct au_arena *a, const struct au_mail_settings *ms,
    const unsigned char key[AU_MASTER_KEY_LEN], const char *realm_uuid,
    const struct au_mail_msg *m);

/* SMTP delivery of a formatted message (mail_smtp.c): EHLO, STARTTLS
 * when ms->smtp_starttls, AUTH PLAIN or LOGIN when a user is set, MAIL
 * FROM, RCPT TO, DATA with dot-stuffing.  AU_OK; AU_EIO (logged). */
int au_mail_smtp(struct au_arena *a, const struct au_mail_settings *ms,
    const char *password, const char *from, const char *to,
    const char *msg, size_t len);

/* Writes all n bytes of p to fd, retrying interrupted writes (the
 * sendmail pipe and a plain SMTP socket).  AU_OK; AU_EIO. */
int au_mail_write_all(int fd, const char *p, size_t n);

#endif
