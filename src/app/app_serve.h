/* app_serve.h — one request, from FastCGI parameters to response bytes.
 *
 * Kept apart from the FastCGI I/O in authiod.c so tests can drive the
 * whole application in-process with a parameter array and a body. */
#ifndef AU_APP_SERVE_H
#define AU_APP_SERVE_H

#include <stdbool.h>
#include <stddef.h>

struct au_arena;
struct au_buf;
struct au_ctx;

/* Once per process, before forking: installs the guards and the error
 * page renderer, initialises libraries. */
void au_app_global_init(void);

/* Serves one request.  body_too_large: the caller stopped reading at
 * cfg->max_body (answered 413).  The response, serialised for FastCGI, is
 * appended to out (which lives in arena a). */
void au_app_serve(struct au_ctx *c, struct au_arena *a, char **envp,
    const char *body, size_t len, bool body_too_large, struct au_buf *out);

#endif
