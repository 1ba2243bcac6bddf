# db layer: the MariaDB connection, transactions and the migrator.
libauthio_a_SOURCES += \
	src/db/db_conn.c src/db/db_conn.h \
	src/db/db_migrate.c src/db/db_migrate.h \
	src/db/db_tx.c src/db/db_tx.h

# Every store test links the test-database helper: list
# $(AU_STORE_TEST_SOURCES) in its _SOURCES.  Without AU_TEST_DB_SOCKET in
# the environment such a test exits 77 (skipped).
AU_STORE_TEST_SOURCES = tests/store/store_env.c tests/store/store_env.h

check_PROGRAMS += tests/unit/test_db tests/store/test_db
tests_unit_test_db_SOURCES = tests/unit/test_db.c
tests_unit_test_db_LDADD = $(TEST_LIBS)
tests_store_test_db_SOURCES = tests/store/test_db.c $(AU_STORE_TEST_SOURCES)
tests_store_test_db_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_db tests/store/test_db
