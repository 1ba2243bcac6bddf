/* test_view.c — the ClearSilver wrapper escapes data by default. */
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
register_tests(void)
{
	au_view_global_init();
	AU_ADD_SUITE("view", NULL, NULL, AU_T(test_error_page_escapes_script),
	    AU_T(test_missing_template_fails),
	    AU_T(test_no_raw_output_in_templates));
}

AU_TEST_MAIN(register_tests)
