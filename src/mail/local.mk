libauthio_a_SOURCES += src/mail/mail.c src/mail/mail.h src/mail/mail_smtp.c
