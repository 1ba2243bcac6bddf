libauthio_a_SOURCES += \
	src/crypto/crypto_b64url.c src/crypto/crypto_b64url.h \
	src/crypto/crypto_hash.c src/crypto/crypto_hash.h \
	src/crypto/crypto_jwe.c src/crypto/crypto_jwe.h \
	src/crypto/crypto_jwk.c src/crypto/crypto_jwk.h \
	src/crypto/crypto_jws.c src/crypto/crypto_jws.h \
	src/crypto/crypto_password.c src/crypto/crypto_password.h \
	src/crypto/crypto_seal.c src/crypto/crypto_seal.h

check_PROGRAMS += tests/unit/test_crypto
tests_unit_test_crypto_SOURCES = tests/unit/test_crypto.c \
	tests/unit/test_crypto_jws.c tests/unit/test_crypto_jwe.c
tests_unit_test_crypto_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_crypto
