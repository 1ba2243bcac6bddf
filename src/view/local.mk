libauthio_a_SOURCES += src/view/view.c src/view/view.h

AU_TEMPLATE_FILES = templates/layout.cs templates/error.cs \
	templates/login/login.cs templates/login/form_post.cs \
	templates/login/consent.cs templates/login/logout.cs \
	templates/login/device.cs

check_PROGRAMS += tests/unit/test_view
tests_unit_test_view_SOURCES = tests/unit/test_view.c
tests_unit_test_view_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_view
