/* test_store_policy.c — the rules engine of store_policy.c: every rule
 * at its boundary, every violation reported, and the denylist set (the
 * shipped list included).  No database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "crypto/crypto_password.h"
#include "store/store_policy.h"
#include "store/store_settings.h"
#include "au_test.h"

/* A policy with every rule off and lengths 1..1024. */
static struct au_password_policy
open_policy(void)
{
	struct au_password_policy p;

	memset(&p, 0, sizeof(p));
	p.min_length = 1;
	p.max_length = 1024;
	p.regex = "";
	return p;
}

/* The rules pw breaks, joined by ' '. */
static const char *
broken(const struct au_password_policy *p, const struct au_denylist *d,
    const char *pw, char *const *hist, int nhist)
{
	static char out[256];
	struct au_arena *a = au_arena_new();
	struct au_violation *v;
	int n, i;

	out[0] = '\0';
	n = au_policy_password_check(a, p, d, "alice", "alice@example.com",
	    pw, hist, nhist, &v);
	for (i = 0; i < n; i++) {
		CU_ASSERT_PTR_NOT_NULL(v[i].message);
		if (i > 0)
			strcat(out, " ");
		strncat(out, v[i].rule, 40);
	}
	au_arena_free(a);
	return out;
}

static void
test_each_rule_at_its_boundary(void)
{
	struct au_password_policy p = open_policy();

	p.min_length = 4;
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "abc", NULL, 0), "minLength");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "abcd", NULL, 0), "");
	/* characters, not bytes */
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "\xc3\xa9\xc3\xa9\xc3\xa9",
	    NULL, 0), "minLength");
	p = open_policy();
	p.max_length = 3;
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "abcd", NULL, 0), "maxLength");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "\xc3\xa9\xc3\xa9\xc3\xa9",
	    NULL, 0), "");
	p = open_policy();
	p.digits = 2;
	p.lower_case = 2;
	p.upper_case = 2;
	p.special_chars = 2;
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "1aA!", NULL, 0),
	    "digits lowerCase upperCase specialChars");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "12abAB! ", NULL, 0), "");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "12abAB!\xc3\xa9", NULL, 0),
	    "");
	p = open_policy();
	p.not_username = p.not_contains_username = p.not_email = true;
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "ALICE", NULL, 0),
	    "notUsername notContainsUsername");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "xAlicex", NULL, 0),
	    "notContainsUsername");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "Alice@Example.com", NULL, 0),
	    "notContainsUsername notEmail");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "alic", NULL, 0), "");
	p = open_policy();
	p.regex = "^[a-z]+[0-9]$";
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "abc12", NULL, 0), "regex");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "abc1", NULL, 0), "");
}

static void
test_history(void)
{
	struct au_password_policy p = open_policy();
	struct au_arena *a = au_arena_new();
	char *hist[2];

	hist[0] = au_password_hash(a, "newest", AU_PASSWORD_MIN_LN);
	hist[1] = au_password_hash(a, "older", AU_PASSWORD_MIN_LN);
	p.history = 2;
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "older", hist, 2), "history");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "other", hist, 2), "");
	p.history = 1;               /* only the newest counts */
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "older", hist, 2), "");
	CU_ASSERT_STRING_EQUAL(broken(&p, NULL, "newest", hist, 2), "history");
	au_arena_free(a);
}

static void
test_denylist(void)
{
	const char *dir = getenv("AU_TEST_SRCDIR");
	struct au_password_policy p = open_policy();
	struct au_denylist *d;
	char path[1024], err[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/denylist-test.txt",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("# comment\nHunter2\r\nletmein\n\nletmein\n", f);
	fclose(f);
	d = au_denylist_load(path, err, sizeof(err));
	remove(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(au_denylist_size(d), 2);
	CU_ASSERT_TRUE(au_denylist_has(d, "hunter2"));
	CU_ASSERT_TRUE(au_denylist_has(d, "LetMeIn"));
	CU_ASSERT_FALSE(au_denylist_has(d, "letmei"));
	CU_ASSERT_FALSE(au_denylist_has(d, "# comment"));
	p.denylist = true;
	CU_ASSERT_STRING_EQUAL(broken(&p, d, "HUNTER2", NULL, 0), "denylist");
	p.denylist = false;
	CU_ASSERT_STRING_EQUAL(broken(&p, d, "HUNTER2", NULL, 0), "");
	au_denylist_free(d);
	CU_ASSERT_PTR_NULL(au_denylist_load("/nonexistent/list", err,
	    sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/list"));
	/* the shipped list: at least 10,000 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/conf/password-denylist.txt", dir);
	d = au_denylist_load(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_TRUE(au_denylist_size(d) >= 10000);
	CU_ASSERT_TRUE(au_denylist_has(d, "Password1"));
	CU_ASSERT_TRUE(au_denylist_has(d, "QWERTY"));
	CU_ASSERT_FALSE(au_denylist_has(d, "correct horse battery"));
	au_denylist_free(d);
}

static void
test_username_rules(void)
{
	struct au_username_policy p;
	struct au_arena *a = au_arena_new();
	char *reserved[] = { "Admin", NULL };
	struct au_violation *v;

	memset(&p, 0, sizeof(p));
	p.min_length = 3;
	p.max_length = 5;
	p.pattern = "^[a-z]+$";
	p.reserved = reserved;
	p.nreserved = 1;
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "abc", NULL, &v), 0);
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "abcde", NULL, &v), 0);
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "ab", NULL, &v), 1);
	CU_ASSERT_STRING_EQUAL(v[0].rule, "minLength");
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "abcdef", NULL, &v), 1);
	CU_ASSERT_STRING_EQUAL(v[0].rule, "maxLength");
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "ADMIN", NULL, &v), 2);
	CU_ASSERT_STRING_EQUAL(v[0].rule, "pattern");
	CU_ASSERT_STRING_EQUAL(v[1].rule, "reserved");
	p.pattern = "";
	p.max_length = 255;
	p.email_as_username = true;
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "bob", NULL, &v), 1);
	CU_ASSERT_STRING_EQUAL(v[0].rule, "emailAsUsername");
	CU_ASSERT_EQUAL(au_policy_username_check(a, &p, "b@x.org", "B@X.org",
	    &v), 0);
	au_arena_free(a);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("store_policy", NULL, NULL,
	    AU_T(test_each_rule_at_its_boundary), AU_T(test_history),
	    AU_T(test_denylist), AU_T(test_username_rules));
}

AU_TEST_MAIN(register_tests)
