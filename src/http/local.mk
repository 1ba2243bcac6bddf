# http layer: FastCGI request parsing, responses, the router.
libauthio_a_SOURCES += \
	src/http/http_cookie.c src/http/http_cookie.h \
	src/http/http_fcgi.c src/http/http_fcgi.h \
	src/http/http_req.c src/http/http_req.h \
	src/http/http_resp.c src/http/http_resp.h \
	src/http/http_router.c src/http/http_router.h \
	src/http/http_url.c src/http/http_url.h

check_PROGRAMS += tests/unit/test_http
tests_unit_test_http_SOURCES = tests/unit/test_http.c tests/unit/test_http.h \
	tests/unit/test_http_req.c tests/unit/test_http_resp.c \
	tests/unit/test_http_fcgi.c \
	tests/unit/test_http_router.c tests/unit/test_http_corpus.c
tests_unit_test_http_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_http
