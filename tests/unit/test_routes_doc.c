/* test_routes_doc.c — docs/admin-api.yaml and the route table list the
 * same admin routes.  The document's paths are relative to its server
 * URL, /api/admin; every "  /path:" under "paths:" and every
 * "    get:|put:|post:|patch:|delete:" under it is an operation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app_routes.h"
#include "au_test.h"

#define MAX_OPS 256
#define PREFIX "/api/admin"

struct ops {
	char *op[MAX_OPS];
	int n;
};

static void
add(struct ops *o, const char *method, const char *path)
{
	char buf[512];
	size_t i;

	snprintf(buf, sizeof(buf), "%s %s", method, path);
	for (i = 0; buf[i] != ' '; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	if (o->n < MAX_OPS)
		o->op[o->n++] = strdup(buf);
}

static int
has(const struct ops *o, const char *op)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->op[i], op) == 0)
			return 1;
	return 0;
}

static void
free_ops(struct ops *o)
{
	while (o->n > 0)
		free(o->op[--o->n]);
}

/* Reads the operations of the OpenAPI document. */
static int
read_doc(const char *file, struct ops *o)
{
	static const char *methods[] = { "get", "put", "post", "patch", "delete" };
	char line[1024], path[512] = "";
	int in_paths = 0, i;
	FILE *f = fopen(file, "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(line, "paths:") == 0) {
			in_paths = 1;
			continue;
		}
		if (!in_paths || line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] != ' ')
			break;          /* the next top-level key */
		if (strncmp(line, "  /", 3) == 0 && line[strlen(line) - 1] == ':') {
			snprintf(path, sizeof(path), PREFIX "%.*s",
			    (int)(strlen(line) - 3), line + 2);
			continue;
		}
		for (i = 0; i < 5; i++) {
			size_t n = strlen(methods[i]);

			if (strncmp(line, "    ", 4) == 0 && line[4] != ' ' &&
			    strncmp(line + 4, methods[i], n) == 0 &&
			    line[4 + n] == ':' && path[0] != '\0')
				add(o, methods[i], path);
		}
	}
	fclose(f);
	return 0;
}

static void
test_doc_and_router_agree(void)
{
	const char *src = getenv("AU_TEST_SRCDIR");
	struct ops doc = { { 0 }, 0 }, router = { { 0 }, 0 };
	char file[1024];
	size_t i;
	int k, missing = 0;

	snprintf(file, sizeof(file), "%s/docs/admin-api.yaml",
	    src != NULL ? src : ".");
	CU_ASSERT_EQUAL_FATAL(read_doc(file, &doc), 0);
	for (i = 0; i < au_routes_count; i++)
		if (strncmp(au_routes[i].pattern, PREFIX "/", strlen(PREFIX) + 1) == 0)
			add(&router, au_routes[i].method, au_routes[i].pattern);
	CU_ASSERT(router.n > 0);
	for (k = 0; k < router.n; k++)
		if (!has(&doc, router.op[k])) {
			fprintf(stderr, "\nrouted but not documented: %s\n",
			    router.op[k]);
			missing++;
		}
	for (k = 0; k < doc.n; k++)
		if (!has(&router, doc.op[k])) {
			fprintf(stderr, "\ndocumented but not routed: %s\n",
			    doc.op[k]);
			missing++;
		}
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(doc.n, router.n);
	free_ops(&doc);
	free_ops(&router);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("routes_doc", NULL, NULL, AU_T(test_doc_and_router_agree));
}

AU_TEST_MAIN(register_tests)
