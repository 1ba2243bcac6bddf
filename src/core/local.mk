libauthio_a_SOURCES += \
	src/core/core_arena.c src/core/core_arena.h \
	src/core/core_config.c src/core/core_config.h \
	src/core/core_err.c src/core/core_err.h \
	src/core/core_log.c src/core/core_log.h \
	src/core/core_rand.c src/core/core_rand.h \
	src/core/core_str.c src/core/core_str.h \
	src/core/core_time.c src/core/core_time.h

check_PROGRAMS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c
tests_unit_test_core_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_core
