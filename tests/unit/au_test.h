/* au_test.h — CUnit boilerplate shared by every test program.
 *
 * A test file defines  static void register_tests(void)  adding its suites
 * and ends with AU_TEST_MAIN(register_tests).  The exit status follows the
 * automake harness: 0 pass, 1 fail, 77 skip, 99 hard error.  (CUnit's own
 * CU_basic_run_tests() returns success even when tests fail.) */
#ifndef AU_TEST_H
#define AU_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#define AU_TEST_SKIP 77

#define AU_ADD_SUITE(name, init, clean, ...)                                 \
	do {                                                                 \
		CU_pSuite s_ = CU_add_suite(name, init, clean);              \
		struct { const char *n; CU_TestFunc f; } t_[] = { __VA_ARGS__ }; \
		size_t i_;                                                   \
		if (s_ == NULL)                                              \
			exit(99);                                            \
		for (i_ = 0; i_ < sizeof(t_) / sizeof(t_[0]); i_++)          \
			if (CU_add_test(s_, t_[i_].n, t_[i_].f) == NULL)     \
				exit(99);                                    \
	} while (0)

#define AU_T(fn) { #fn, fn }

#define AU_TEST_MAIN(register_fn)                                            \
	int main(void)                                                       \
	{                                                                    \
		unsigned fails;                                              \
		if (CU_initialize_registry() != CUE_SUCCESS)                 \
			return 99;                                           \
		register_fn();                                               \
		CU_basic_set_mode(CU_BRM_VERBOSE);                           \
		CU_basic_run_tests();                                        \
		fails = CU_get_number_of_failures() +                        \
		    CU_get_number_of_tests_failed();                         \
		CU_cleanup_registry();                                       \
		return fails ? 1 : 0;                                        \
	}

#endif
