libauthio_a_SOURCES += \
	src/store/store_action.c src/store/store_action.h \
	src/store/store_client.c src/store/store_client.h \
	src/store/store_consumer.c src/store/store_consumer.h \
	src/store/store_device.c src/store/store_device.h \
	src/store/store_event.c src/store/store_event.h \
	src/store/store_key.c src/store/store_key.h \
	src/store/store_login.c src/store/store_login.h \
	src/store/store_policy.c src/store/store_policy.h \
	src/store/store_posture.c src/store/store_posture.h \
	src/store/store_realm.c src/store/store_realm.h \
	src/store/store_refresh.c src/store/store_refresh.h \
	src/store/store_role.c src/store/store_role.h \
	src/store/store_scope.c src/store/store_scope.h \
	src/store/store_secret.c src/store/store_secret.h \
	src/store/store_settings.c src/store/store_settings.h \
	src/store/store_settings_views.c \
	src/store/store_token.c src/store/store_token.h \
	src/store/store_user.c src/store/store_user.h \
	src/store/store_util.c src/store/store_util.h

check_PROGRAMS += tests/store/test_store
tests_store_test_store_SOURCES = tests/store/test_store.c $(AU_STORE_TEST_SOURCES)
tests_store_test_store_LDADD = $(TEST_LIBS)
TESTS += tests/store/test_store

check_PROGRAMS += tests/unit/test_store_settings
tests_unit_test_store_settings_SOURCES = tests/unit/test_store_settings.c
tests_unit_test_store_settings_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_store_settings

check_PROGRAMS += tests/unit/test_store_policy
tests_unit_test_store_policy_SOURCES = tests/unit/test_store_policy.c
tests_unit_test_store_policy_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_store_policy
