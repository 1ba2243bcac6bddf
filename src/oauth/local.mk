libauthio_a_SOURCES += \
	src/oauth/oauth_claims.c src/oauth/oauth_claims.h \
	src/oauth/oauth_client_assertion.c src/oauth/oauth_client_assertion.h \
	src/oauth/oauth_client_auth.c src/oauth/oauth_client_auth.h \
	src/oauth/oauth_cors.c src/oauth/oauth_cors.h \
	src/oauth/oauth_discovery.c src/oauth/oauth_discovery.h \
	src/oauth/oauth_encrypt.c src/oauth/oauth_encrypt.h \
	src/oauth/oauth_error.c src/oauth/oauth_error.h \
	src/oauth/oauth_id_token_hint.c src/oauth/oauth_id_token_hint.h \
	src/oauth/oauth_introspect.c src/oauth/oauth_introspect.h \
	src/oauth/oauth_keys.c src/oauth/oauth_keys.h \
	src/oauth/oauth_rotation.c src/oauth/oauth_rotation.h \
	src/oauth/oauth_device.c src/oauth/oauth_device.h \
	src/oauth/oauth_revoke.c src/oauth/oauth_revoke.h \
	src/oauth/oauth_scope.c src/oauth/oauth_scope.h \
	src/oauth/oauth_realm.c src/oauth/oauth_realm.h \
	src/oauth/oauth_token.c src/oauth/oauth_token.h \
	src/oauth/oauth_uri.c src/oauth/oauth_uri.h \
	src/oauth/oauth_userinfo.c src/oauth/oauth_userinfo.h

check_PROGRAMS += tests/unit/test_oauth_uri
tests_unit_test_oauth_uri_SOURCES = tests/unit/test_oauth_uri.c
tests_unit_test_oauth_uri_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_oauth_uri

check_PROGRAMS += tests/unit/test_oauth_claims
tests_unit_test_oauth_claims_SOURCES = tests/unit/test_oauth_claims.c
tests_unit_test_oauth_claims_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_oauth_claims
check_PROGRAMS += tests/unit/test_oauth_device
tests_unit_test_oauth_device_SOURCES = tests/unit/test_oauth_device.c
tests_unit_test_oauth_device_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_oauth_device
check_PROGRAMS += tests/unit/test_oauth_rotation
tests_unit_test_oauth_rotation_SOURCES = tests/unit/test_oauth_rotation.c
tests_unit_test_oauth_rotation_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_oauth_rotation
