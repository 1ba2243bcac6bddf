/* test_http.c — the http layer's test program: request parsing
 * (test_http_req.c), responses (test_http_resp.c), the router
 * (test_http_router.c) and the parser seed corpora (test_http_corpus.c). */
#include "core/core_log.h"
#include "au_test.h"

void test_http_req_register(void);
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
	test_http_resp_register();
	test_http_router_register();
	test_http_corpus_register();
}

AU_TEST_MAIN(register_tests)
