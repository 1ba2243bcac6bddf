/* test_http.h — the fixture the http layer's test files share: a default
 * configuration and an arena, set up and torn down around each suite. */
#ifndef AU_TEST_HTTP_H
#define AU_TEST_HTTP_H

#include "core/core_config.h"

struct au_arena;

extern struct au_config au_http_cfg;
extern struct au_arena *au_http_arena;

int au_http_suite_init(void);
int au_http_suite_clean(void);

#endif
