/* test_http_corpus.c — runs every seed input of tests/corpus/{form,
 * cookie,path,json,basic} through its parser and checks the verdict the
 * file name promises: "ok-*" is accepted, "bad-*" refused with
 * AU_EINVAL, "none-*" (Basic only) is not Basic at all.  For cookies,
 * "ok-<n>-*" also promises n cookies.  The corpus directory comes from
 * AU_TEST_CORPUS (set by make check). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "http/http_req.h"
#include "au_test.h"
#include "test_http.h"

void test_http_corpus_register(void);

#define MIN_FILES 8


/* The whole file, NUL-terminated, in the au_http_arena; NULL on error. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	p = au_arena_alloc(au_http_arena, (size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

/* One request: method POST, REQUEST_URI uri, plus one extra param. */
static int
init_req(struct au_req *r, const char *uri, const char *ctype,
    const char *extra, const char *body, size_t len)
{
	char *env[5];
	int n = 0;

	env[n++] = "REQUEST_METHOD=POST";
	env[n++] = au_arena_printf(au_http_arena, "REQUEST_URI=%s", uri);
	if (ctype != NULL)
		env[n++] = au_arena_printf(au_http_arena, "CONTENT_TYPE=%s", ctype);
	if (extra != NULL)
		env[n++] = (char *)extra;
	env[n] = NULL;
	return au_req_init(r, au_http_arena, &au_http_cfg, env, body, len);
}

/* Runs one input of kind; returns the parser's status. */
static int
run_one(const char *kind, const char *data, size_t len, struct au_req *r)
{
	const char *u, *p;
	struct json_object *o;
	int rc;

	if (strcmp(kind, "path") == 0)
		return init_req(r, data, NULL, NULL, NULL, 0);
	if (strcmp(kind, "cookie") == 0)
		return init_req(r, "/", NULL, au_arena_printf(au_http_arena,
		    "HTTP_COOKIE=%s", data), NULL, 0);
	if (strcmp(kind, "basic") == 0) {
		rc = init_req(r, "/", NULL, au_arena_printf(au_http_arena,
		    "HTTP_AUTHORIZATION=%s", data), NULL, 0);
		return rc != AU_OK ? rc : au_req_basic_auth(r, &u, &p);
	}
	if (strcmp(kind, "form") == 0) {
		rc = init_req(r, "/", "application/x-www-form-urlencoded",
		    NULL, data, len);
		return rc != AU_OK ? rc : au_req_form_parse(r);
	}
	rc = init_req(r, "/", "application/json", NULL, data, len);
	return rc != AU_OK ? rc : au_req_json(r, &o);
}

/* The status a file name promises; -99 when the name says nothing. */
static int
expected(const char *name)
{
	if (strncmp(name, "ok-", 3) == 0)
		return AU_OK;
	if (strncmp(name, "bad-", 4) == 0)
		return AU_EINVAL;
	if (strncmp(name, "none-", 5) == 0)
		return AU_ENOTFOUND;
	return -99;
}

static void
check_file(const char *dir, const char *kind, const char *name)
{
	char *path = au_arena_printf(au_http_arena, "%s/%s", dir, name), *data;
	int want = expected(name), rc, ncookies;
	struct au_req r;
	size_t len = 0;

	CU_ASSERT_NOT_EQUAL(want, -99);
	data = slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	rc = run_one(kind, data, len, &r);
	if (rc != want)
		fprintf(stderr, "\n%s/%s: got %d (%s), want %d\n", kind, name,
		    rc, r.error != NULL ? r.error : "-", want);
	CU_ASSERT_EQUAL(rc, want);
	if (rc != AU_OK && want != AU_ENOTFOUND) {
		CU_ASSERT_PTR_NOT_NULL(r.error);
	}
	if (strcmp(kind, "cookie") == 0 && rc == AU_OK &&
	    sscanf(name, "ok-%d-", &ncookies) == 1) {
		if (r.cookies.n != ncookies)
			fprintf(stderr, "\n%s: %d cookies, want %d\n", name,
			    r.cookies.n, ncookies);
		CU_ASSERT_EQUAL(r.cookies.n, ncookies);
	}
	au_arena_reset(au_http_arena);
}

static void
run_corpus(const char *kind)
{
	const char *root = getenv("AU_TEST_CORPUS");
	char dir[4096];
	struct dirent *de;
	int files = 0;
	DIR *d;

	if (root == NULL || *root == '\0') {
		fprintf(stderr, "\n(AU_TEST_CORPUS not set: %s corpus not run)",
		    kind);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/%s", root, kind);
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		check_file(dir, kind, de->d_name);
		files++;
	}
	closedir(d);
	CU_ASSERT(files >= MIN_FILES);
}

static void test_corpus_form(void) { run_corpus("form"); }
static void test_corpus_cookie(void) { run_corpus("cookie"); }
static void test_corpus_path(void) { run_corpus("path"); }
static void test_corpus_json(void) { run_corpus("json"); }
static void test_corpus_basic(void) { run_corpus("basic"); }

void
test_http_corpus_register(void)
{
	AU_ADD_SUITE("http_corpus", au_http_suite_init, au_http_suite_clean,
	    AU_T(test_corpus_form), AU_T(test_corpus_cookie),
	    AU_T(test_corpus_path), AU_T(test_corpus_json),
	    AU_T(test_corpus_basic));
}
