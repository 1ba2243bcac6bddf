libauthio_a_SOURCES += src/mail/mail.c src/mail/mail.h src/mail/mail_smtp.c

check_PROGRAMS += tests/unit/test_mail
tests_unit_test_mail_SOURCES = tests/unit/test_mail.c
tests_unit_test_mail_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_mail
