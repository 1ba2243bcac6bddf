/* test_view.c — the ClearSilver wrapper escapes data by default; the
 * message catalogues are complete and their lookups fall back safely. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "view/view.h"
#include "au_test.h"

static const char *
templates(void)
{
	const char *d = getenv("AU_TEST_TEMPLATES");

	return d != NULL ? d : "templates";
}

static void
test_error_page_escapes_script(void)
{
	struct au_arena *a = au_arena_new();
	struct au_view *v = au_view_new(a, templates());
	struct au_buf out;

	au_buf_init(&out, a, 1024);
	au_view_set(v, "Page.Title", "Not Found");
	au_view_set(v, "Error.Status", "404");
	au_view_set(v, "Error.Title", "Not Found");
	au_view_set(v, "Error.Detail", "<script>alert('x')</script> & \"q\"");
	au_view_set(v, "Error.Back", "\" onmouseover=\"alert(1)");
	CU_ASSERT_EQUAL_FATAL(au_view_render(v, "error.cs", &out), AU_OK);
	CU_ASSERT_PTR_NULL(strstr(out.p, "<script>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p,
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
	CU_ASSERT_PTR_NULL(strstr(out.p, "\" onmouseover"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "<!DOCTYPE html>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "404 · Not Found"));
	au_arena_free(a);
}

static void
test_missing_template_fails(void)
{
	struct au_arena *a = au_arena_new();
	struct au_view *v = au_view_new(a, templates());
	struct au_buf out;

	au_buf_init(&out, a, 64);
	CU_ASSERT_EQUAL(au_view_render(v, "no-such-template.cs", &out),
	    AU_EINTERNAL);
	au_arena_free(a);
}

static void
test_no_raw_output_in_templates(void)
{
	/* uvar: and escape:"none" bypass escaping; none may be used, but
	 * in the text/plain mail bodies (*.txt.cs), which are no HTML */
	char cmd[1024];
	const char *src = getenv("AU_TEST_SRCDIR");

	snprintf(cmd, sizeof(cmd),
	    "grep -rlE --exclude='*.txt.cs' '<\\?cs *(uvar:|escape: *\"none\")' "
	    "'%s/templates' >/dev/null",
	    src != NULL ? src : ".");
	CU_ASSERT_NOT_EQUAL(system(cmd), 0);
}


static void
test_msg_lookup_and_fallback(void)
{
	struct au_arena *a = au_arena_new();
	const char *two[] = { "12", "x", NULL };

	CU_ASSERT_STRING_EQUAL(au_msg(templates(), "en", "signIn"), "Sign in");
	CU_ASSERT_STRING_EQUAL(au_msg(templates(), NULL, "signIn"), "Sign in");
	/* no catalogue, or not a tag at all: English */
	CU_ASSERT_STRING_EQUAL(au_msg(templates(), "xx", "signIn"), "Sign in");
	CU_ASSERT_STRING_EQUAL(au_msg(templates(), "../../etc/passwd",
	    "signIn"), "Sign in");
	/* an unknown key reads as itself */
	CU_ASSERT_STRING_EQUAL(au_msg(templates(), "en", "noSuchKey"),
	    "noSuchKey");
	/* placeholders and the singular form */
	CU_ASSERT_STRING_EQUAL(au_msg_fmt(a, templates(), "en", "pwMinLength",
	    12, two), "Use at least 12 characters.");
	two[0] = "1";
	CU_ASSERT_STRING_EQUAL(au_msg_fmt(a, templates(), "en", "pwMinLength",
	    1, two), "Use at least 1 character.");
	/* a placeholder without an argument stays as written */
	CU_ASSERT_STRING_EQUAL(au_msg_fmt(a, templates(), "en", "pwMinLength",
	    3, NULL), "Use at least {0} characters.");
	au_arena_free(a);
}

static void
test_msg_lang_picks_a_catalogue(void)
{
	char out[AU_LANG_MAX + 1];

	CU_ASSERT_TRUE(au_msg_lang(templates(), "en", out));
	CU_ASSERT_STRING_EQUAL(out, "en");
	/* region subtags fall back to the language; order is preference */
	CU_ASSERT_TRUE(au_msg_lang(templates(), "xx en-GB", out));
	CU_ASSERT_STRING_EQUAL(out, "en");
	CU_ASSERT_TRUE(au_msg_lang(templates(), "  x-klingon  en ", out));
	CU_ASSERT_STRING_EQUAL(out, "en");
	CU_ASSERT_FALSE(au_msg_lang(templates(), "xx yy-ZZ", out));
	CU_ASSERT_FALSE(au_msg_lang(templates(), "", out));
	CU_ASSERT_FALSE(au_msg_lang(templates(), NULL, out));
	CU_ASSERT_FALSE(au_msg_lang(templates(), "../en", out));
	CU_ASSERT_FALSE(au_msg_lang(templates(), "en/../en", out));
	CU_ASSERT_FALSE(au_msg_lang(templates(), "EN", out));
}

static void
test_view_speaks_its_language(void)
{
	struct au_arena *a = au_arena_new();
	struct au_view *v = au_view_new(a, templates());
	struct au_buf out;

	au_buf_init(&out, a, 1024);
	au_view_set_lang(v, "zz");           /* none: English */
	au_view_set(v, "Error.Status", "404");
	au_view_set(v, "Error.Title", "Not Found");
	au_view_set(v, "Error.Back", "/x");
	CU_ASSERT_EQUAL_FATAL(au_view_render(v, "error.cs", &out), AU_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, "<html lang=\"en\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.p, ">Back</a>"));
	CU_ASSERT_STRING_EQUAL(au_view_msg(v, "signIn"), "Sign in");
	au_arena_free(a);
}

/* key -> text of a catalogue file, in order (a tiny reader of the
 * "key = text" lines the catalogues are written in) */
#define MAX_KEYS 400
struct cat {
	char *key[MAX_KEYS];
	char *text[MAX_KEYS];
	int n;
};

static int
read_cat(const char *path, struct cat *c)
{
	char line[2048];
	FILE *f = fopen(path, "r");

	c->n = 0;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL && c->n < MAX_KEYS) {
		char *eq = strstr(line, " = ");

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (eq == NULL) {
			fclose(f);
			return -1;       /* not a "key = text" line */
		}
		*eq = '\0';
		c->key[c->n] = strdup(line);
		c->text[c->n] = strdup(eq + 3);
		c->n++;
	}
	fclose(f);
	return 0;
}

static void
free_cat(struct cat *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		free(c->key[i]);
		free(c->text[i]);
	}
	c->n = 0;
}

/* the placeholders of s, as a bit set */
static unsigned
holes(const char *s)
{
	unsigned set = 0;

	for (; *s != '\0'; s++)
		if (s[0] == '{' && s[1] >= '0' && s[1] <= '9' && s[2] == '}')
			set |= 1u << (s[1] - '0');
	return set;
}

static void
test_catalogues_are_complete(void)
{
	char dir[1024], path[1200];
	struct cat en, t;
	struct dirent *e;
	DIR *d;
	int i;

	snprintf(dir, sizeof(dir), "%s/messages", templates());
	snprintf(path, sizeof(path), "%s/en.hdf", dir);
	CU_ASSERT_EQUAL_FATAL(read_cat(path, &en), 0);
	CU_ASSERT_TRUE(en.n > 100);
	/* every key the code or a template asks for exists in English */
	for (i = 0; i < en.n; i++)
		CU_ASSERT_STRING_EQUAL(au_msg(templates(), "en", en.key[i]),
		    en.text[i]);
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char lang[64], pick[AU_LANG_MAX + 1];

		if (n < 5 || strcmp(e->d_name + n - 4, ".hdf") != 0 ||
		    strcmp(e->d_name, "en.hdf") == 0)
			continue;
		snprintf(lang, sizeof(lang), "%.*s", (int)(n - 4), e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		CU_ASSERT_EQUAL_FATAL(read_cat(path, &t), 0);
		/* the same keys in the same order, the same placeholders */
		CU_ASSERT_EQUAL(t.n, en.n);
		for (i = 0; i < t.n && i < en.n; i++) {
			CU_ASSERT_STRING_EQUAL(t.key[i], en.key[i]);
			CU_ASSERT_EQUAL(holes(t.text[i]), holes(en.text[i]));
			CU_ASSERT_NOT_EQUAL(t.text[i][0], '\0');
			/* and ClearSilver reads it as written */
			CU_ASSERT_STRING_EQUAL(au_msg(templates(), lang,
			    t.key[i]), t.text[i]);
		}
		CU_ASSERT_TRUE(au_msg_lang(templates(), lang, pick));
		CU_ASSERT_STRING_EQUAL(pick, lang);
		free_cat(&t);
	}
	closedir(d);
	free_cat(&en);
}

static void
free_catalogues(void)
{
	au_msg_cache_free();
}

static void
register_tests(void)
{
	au_view_global_init();
	AU_ADD_SUITE("view", NULL, NULL, AU_T(test_error_page_escapes_script),
	    AU_T(test_missing_template_fails),
	    AU_T(test_no_raw_output_in_templates),
	    AU_T(test_msg_lookup_and_fallback),
	    AU_T(test_msg_lang_picks_a_catalogue),
	    AU_T(test_view_speaks_its_language),
	    AU_T(test_catalogues_are_complete));
	atexit(free_catalogues);
}

AU_TEST_MAIN(register_tests)
