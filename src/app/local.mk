libauthio_a_SOURCES += \
	src/app/app_ctx.c src/app/app_ctx.h \
	src/app/app_health.c src/app/app_health.h \
	src/app/app_serve.c src/app/app_serve.h \
	src/app/app_routes.c src/app/app_routes.h

# docs/admin-api.yaml and the route table must list the same admin routes.
check_PROGRAMS += tests/unit/test_routes_doc
tests_unit_test_routes_doc_SOURCES = tests/unit/test_routes_doc.c
tests_unit_test_routes_doc_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_routes_doc
