/* test_http.c — the http layer's test program: request parsing
 * (test_http_req.c), FastCGI records (test_http_fcgi.c), responses (test_http_resp.c), the router
 * (test_http_router.c) and the parser seed corpora (test_http_corpus.c). */
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "au_test.h"
#include "test_http.h"

struct au_config au_http_cfg;
struct au_arena *au_http_arena;

int
au_http_suite_init(void)
{
	au_config_defaults(&au_http_cfg);
	au_http_arena = au_arena_new();
	return 0;
}

int
au_http_suite_clean(void)
{
	au_arena_free(au_http_arena);
	au_config_free(&au_http_cfg);
	return 0;
}

void test_http_req_register(void);
void test_http_fcgi_register(void);
void test_http_resp_register(void);
void test_http_router_register(void);
void test_http_corpus_register(void);

static void
register_tests(void)
{
	/* errors the tests provoke on purpose are still logged: keep them
	 * in the log, they show the lines an operator would see */
	au_log_open("test_http", 0, AU_LOG_ERR);
	test_http_req_register();
	test_http_fcgi_register();
	test_http_resp_register();
	test_http_router_register();
	test_http_corpus_register();
}

AU_TEST_MAIN(register_tests)
