/* test_core.c — arena, strings, UTF-8, config parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "au_test.h"

static int cleanup_calls;

static void
count_cleanup(void *p)
{
	(void)p;
	cleanup_calls++;
}

static void
test_arena_alloc_and_reset(void)
{
	struct au_arena *a = au_arena_new();
	char *big, *s;
	int i;

	for (i = 0; i < 2000; i++) {
		s = au_arena_printf(a, "item-%d", i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT(((size_t)s & 15) == 0);
	}
	CU_ASSERT_STRING_EQUAL(s, "item-1999");
	big = au_arena_alloc(a, 100000);
	memset(big, 'x', 100000);
	au_arena_cleanup(a, count_cleanup, NULL);
	au_arena_cleanup(a, count_cleanup, NULL);
	cleanup_calls = 0;
	au_arena_reset(a);
	CU_ASSERT_EQUAL(cleanup_calls, 2);
	CU_ASSERT_EQUAL(au_arena_used(a), 0);
	CU_ASSERT_STRING_EQUAL(au_arena_strdup(a, "again"), "again");
	CU_ASSERT_PTR_NULL(au_arena_strdup(a, NULL));
	au_arena_free(a);
}

static void
test_arena_wipe(void)
{
	struct au_arena *a = au_arena_new();
	char *secret = au_arena_strdup(a, "hunter2");

	au_arena_wipe(a, secret, strlen(secret));
	au_arena_reset(a);
	/* the first chunk is kept, so the bytes are still addressable */
	CU_ASSERT(memcmp(secret, "hunter2", 7) != 0);
	au_arena_free(a);
}

static void
test_buf(void)
{
	struct au_arena *a = au_arena_new();
	struct au_buf b;
	int i;

	au_buf_init(&b, a, 4);
	for (i = 0; i < 100; i++)
		au_buf_printf(&b, "%d,", i);
	au_buf_adds(&b, "end");
	CU_ASSERT(strncmp(b.p, "0,1,2,", 6) == 0);
	CU_ASSERT(strcmp(b.p + b.len - 3, "end") == 0);
	CU_ASSERT_EQUAL(strlen(b.p), b.len);
	au_arena_free(a);
}

static void
test_ct_equal(void)
{
	CU_ASSERT_TRUE(au_ct_streq("abc", "abc"));
	CU_ASSERT_FALSE(au_ct_streq("abc", "abd"));
	CU_ASSERT_FALSE(au_ct_streq("abc", "abcd"));
	CU_ASSERT_FALSE(au_ct_streq(NULL, "abc"));
}

static void
test_utf8(void)
{
	CU_ASSERT_TRUE(au_utf8_valid("plain", 5));
	CU_ASSERT_TRUE(au_utf8_valid("caf\xc3\xa9 \xf0\x9f\x94\x91", 10));
	CU_ASSERT_FALSE(au_utf8_valid("\xc0\xaf", 2));          /* overlong / */
	CU_ASSERT_FALSE(au_utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	CU_ASSERT_FALSE(au_utf8_valid("\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
	CU_ASSERT_FALSE(au_utf8_valid("\xe2\x82", 2));          /* truncated */
	CU_ASSERT_FALSE(au_utf8_valid("\xff", 1));
}

static void
test_str_to_ll(void)
{
	long long v = 0;

	CU_ASSERT_EQUAL(au_str_to_ll("42", 0, 100, &v), AU_OK);
	CU_ASSERT_EQUAL(v, 42);
	CU_ASSERT_EQUAL(au_str_to_ll("101", 0, 100, &v), AU_EINVAL);
	CU_ASSERT_EQUAL(au_str_to_ll("4x", 0, 100, &v), AU_EINVAL);
	CU_ASSERT_EQUAL(au_str_to_ll("", 0, 100, &v), AU_EINVAL);
	CU_ASSERT_EQUAL(au_str_to_ll(" 4", 0, 100, &v), AU_EINVAL);
	CU_ASSERT_EQUAL(au_str_to_ll("99999999999999999999", 0, 100, &v), AU_EINVAL);
}

static void
test_str_has_word(void)
{
	CU_ASSERT_TRUE(au_str_has_word("openid profile email", "openid"));
	CU_ASSERT_TRUE(au_str_has_word("openid profile email", "profile"));
	CU_ASSERT_TRUE(au_str_has_word("openid profile email", "email"));
	CU_ASSERT_TRUE(au_str_has_word("x openidx openid", "openid"));
	CU_ASSERT_FALSE(au_str_has_word("openidx xopenid", "openid"));
	CU_ASSERT_FALSE(au_str_has_word("profile", "prof"));
	CU_ASSERT_FALSE(au_str_has_word("", "openid"));
	CU_ASSERT_FALSE(au_str_has_word("a b", ""));
}

static void
test_rand(void)
{
	struct au_arena *a = au_arena_new();
	char *u = au_rand_uuid(a), *t1 = au_rand_token(a, 32), *t2;

	CU_ASSERT_EQUAL(strlen(u), 36);
	CU_ASSERT_EQUAL(u[14], '4');
	CU_ASSERT_EQUAL(strlen(t1), 43);
	t2 = au_rand_token(a, 32);
	CU_ASSERT(strcmp(t1, t2) != 0);
	CU_ASSERT_EQUAL(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	au_arena_free(a);
}

static void
test_time(void)
{
	struct au_arena *a = au_arena_new();

	CU_ASSERT_STRING_EQUAL(au_time_rfc3339(a, 1796416607), "2026-12-04T20:36:47Z");
	CU_ASSERT_EQUAL(au_time_parse_sql("2026-12-04 20:36:47"), 1796416607);
	CU_ASSERT_EQUAL(au_time_parse_sql("2026-12-04 20:36:47.123456"), 1796416607);
	CU_ASSERT_EQUAL(au_time_parse_sql("garbage"), -1);
	au_arena_free(a);
}

/* Writes text to a temporary file and loads it as configuration. */
static int
load_text(const char *text, struct au_config *cfg, char *err, size_t errlen)
{
	char path[] = "/tmp/au_test_confXXXXXX";
	int fd = mkstemp(path), rc;

	if (fd < 0)
		return -99;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -99;
	}
	close(fd);
	au_config_defaults(cfg);
	rc = au_config_load(cfg, path, err, errlen);
	unlink(path);
	return rc;
}

static void
test_config_good(void)
{
	struct au_config cfg;
	char err[256] = "";

	CU_ASSERT_EQUAL(load_text("# comment\n[server]\nlisten = 127.0.0.1:9000\n"
	    "workers = 3\nbase_url = https://id.example.com/\nsocket_mode = 0666\n"
	    "\n[database]\npassword = \"a b\"\n[log]\nlevel = debug\n",
	    &cfg, err, sizeof(err)), AU_OK);
	CU_ASSERT_STRING_EQUAL(cfg.listen, "127.0.0.1:9000");
	CU_ASSERT_EQUAL(cfg.workers, 3);
	CU_ASSERT_EQUAL(cfg.socket_mode, 0666);
	CU_ASSERT_STRING_EQUAL(cfg.base_url, "https://id.example.com");
	CU_ASSERT_STRING_EQUAL(cfg.db_password, "a b");
	CU_ASSERT_STRING_EQUAL(cfg.log_level, "debug");
	CU_ASSERT_EQUAL(cfg.cache_ttl, 5);
	au_config_free(&cfg);
}

static void
expect_error(const char *text, const char *needle)
{
	struct au_config cfg;
	char err[256] = "";

	CU_ASSERT_EQUAL(load_text(text, &cfg, err, sizeof(err)), AU_EINVAL);
	if (strstr(err, needle) == NULL)
		fprintf(stderr, "\nerror \"%s\" lacks \"%s\"\n", err, needle);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, needle));
	au_config_free(&cfg);
}

static void
test_config_errors(void)
{
	expect_error("[server]\nworkerz = 3\n", ":2: unknown key workerz in [server]");
	expect_error("[server]\n\nworkers = many\n", ":3: [server] workers = \"many\": must be a whole number");
	expect_error("[server]\nworkers = 9999\n", "workers = \"9999\": out of range");
	expect_error("[nope]\n", ":1: unknown section [nope]");
	expect_error("listen = x\n", "outside any [section]");
	expect_error("[server]\nbase_url = ftp://x\n", "base_url");
	expect_error("[log]\nlevel = loud\n", "must be one of err|warn|info|debug");
	expect_error("[server]\njust words\n", ":2: expected key = value");
}

struct sample_check {
	const char *text;
	int missing;
};

static void
check_sample_key(void *ctx, const char *section, const char *key)
{
	struct sample_check *c = ctx;
	char header[64], line[96];
	const char *sec;

	snprintf(header, sizeof(header), "\n[%s]\n", section);
	snprintf(line, sizeof(line), "\n%s = ", key);
	sec = strstr(c->text, header);
	if (sec == NULL || strstr(sec, line) == NULL) {
		fprintf(stderr, "\nsample lacks [%s] %s\n", section, key);
		c->missing++;
	}
}

/* conf/authio.conf.sample documents every key and parses as shipped. */
static void
test_config_sample_complete(void)
{
	const char *src = getenv("AU_TEST_SRCDIR");
	struct au_config cfg;
	struct sample_check c = { NULL, 0 };
	char path[1024], err[256] = "", *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/conf/authio.conf.sample",
	    src != NULL ? src : ".");
	au_config_defaults(&cfg);
	CU_ASSERT_EQUAL(au_config_load(&cfg, path, err, sizeof(err)), AU_OK);
	au_config_free(&cfg);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 2);
	text[0] = '\n';
	CU_ASSERT_EQUAL(fread(text + 1, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	c.text = text;
	au_config_dump_keys(check_sample_key, &c);
	CU_ASSERT_EQUAL(c.missing, 0);
	free(text);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("core", NULL, NULL, AU_T(test_arena_alloc_and_reset),
	    AU_T(test_arena_wipe), AU_T(test_buf), AU_T(test_ct_equal),
	    AU_T(test_utf8), AU_T(test_str_to_ll), AU_T(test_str_has_word),
	    AU_T(test_rand),
	    AU_T(test_time), AU_T(test_config_good), AU_T(test_config_errors),
	    AU_T(test_config_sample_complete));
}

AU_TEST_MAIN(register_tests)
