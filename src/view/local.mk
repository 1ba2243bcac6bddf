libauthio_a_SOURCES += src/view/view.c src/view/view.h

AU_TEMPLATE_FILES = templates/layout.cs templates/error.cs \
	templates/login/login.cs templates/login/form_post.cs \
	templates/login/consent.cs templates/login/logout.cs \
	templates/login/device.cs templates/login/update_password.cs \
	templates/login/message.cs templates/login/verify_email.cs \
	templates/login/email_action.cs templates/login/forgot_password.cs \
	templates/login/reset_password.cs templates/login/register.cs \
	templates/login/problems.cs \
	templates/mail/layout_html.cs templates/mail/verify_email.html.cs \
	templates/mail/verify_email.txt.cs templates/mail/reset_password.html.cs \
	templates/mail/reset_password.txt.cs \
	templates/messages/en.hdf templates/messages/de.hdf \
	templates/messages/fr.hdf templates/messages/es.hdf \
	templates/messages/it.hdf templates/messages/nl.hdf \
	templates/messages/pt.hdf

check_PROGRAMS += tests/unit/test_view
tests_unit_test_view_SOURCES = tests/unit/test_view.c
tests_unit_test_view_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_view
