/* test_oauth_device.c — user codes of the device flow as people type
 * them: case, the dash, spaces, and what is not a code. */
#include <string.h>

#include "core/core_arena.h"
#include "oauth/oauth_device.h"
#include "au_test.h"

static void
test_normalize_accepts(void)
{
	static const char *const typed[] = { "BCDF-GHJK", "bcdf-ghjk",
		"BCDFGHJK", "bcdfghjk", " BcDf - gHjK ", "BCDF GHJK" };
	struct au_arena *a = au_arena_new();
	size_t i;

	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		char *got = au_user_code_normalize(a, typed[i]);

		if (got == NULL || strcmp(got, "BCDFGHJK") != 0)
			fprintf(stderr, "\n  '%s' -> '%s'\n", typed[i],
			    got != NULL ? got : "(refused)");
		CU_ASSERT(got != NULL && strcmp(got, "BCDFGHJK") == 0);
	}
	au_arena_free(a);
}

static void
test_normalize_refuses(void)
{
	static const char *const typed[] = { "", "-", "BCDF-GHJ",
		"BCDF-GHJKL", "BCDF--GHJK", "ABCD-EFGH", "BCDF-GHJ0",
		"BCDF-GHJ1", "BCDF_GHJK", "BCDF-GHJ\xc3\x9f", "-BCDF-GHJK" };
	struct au_arena *a = au_arena_new();
	size_t i;

	CU_ASSERT_PTR_NULL(au_user_code_normalize(a, NULL));
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		char *got = au_user_code_normalize(a, typed[i]);

		if (got != NULL)
			fprintf(stderr, "\n  '%s' accepted as '%s'\n", typed[i],
			    got);
		CU_ASSERT_PTR_NULL(got);
	}
	au_arena_free(a);
}

static void
test_display(void)
{
	struct au_arena *a = au_arena_new();

	CU_ASSERT_STRING_EQUAL(au_user_code_display(a, "BCDFGHJK"),
	    "BCDF-GHJK");
	au_arena_free(a);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("user codes", NULL, NULL, AU_T(test_normalize_accepts),
	    AU_T(test_normalize_refuses), AU_T(test_display));
}

AU_TEST_MAIN(register_tests)
