/* core_arena.h — the per-request memory arena.
 *
 * Allocate freely from an arena and never free piecemeal: au_arena_reset()
 * runs the registered cleanups (newest first) and releases all memory at
 * once when the response has been sent.  Objects with their own destructor
 * (json-c objects, MYSQL_RES, HDF, EVP contexts) are registered with
 * au_arena_cleanup() when they are created; secrets use au_arena_wipe() so
 * they are zeroed before the memory is reused.
 *
 * Allocation failure aborts the process: a worker that cannot get memory is
 * of no use to anyone, and the master starts a fresh one.  So no allocation
 * function here ever returns NULL. */
#ifndef AU_CORE_ARENA_H
#define AU_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct au_arena;

struct au_arena *au_arena_new(void);
/* Runs cleanups, then frees every allocation; the arena stays usable. */
void au_arena_reset(struct au_arena *a);
/* Reset, then free the arena itself. NULL is allowed. */
void au_arena_free(struct au_arena *a);

void *au_arena_alloc(struct au_arena *a, size_t n);   /* 16-byte aligned */
void *au_arena_calloc(struct au_arena *a, size_t n);  /* zeroed */
char *au_arena_strdup(struct au_arena *a, const char *s);  /* NULL -> NULL */
char *au_arena_strndup(struct au_arena *a, const char *s, size_t n);
void *au_arena_memdup(struct au_arena *a, const void *p, size_t n);
char *au_arena_printf(struct au_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *au_arena_vprintf(struct au_arena *a, const char *fmt, va_list ap);

/* Calls fn(p) at reset, before the memory goes; newest first. */
void au_arena_cleanup(struct au_arena *a, void (*fn)(void *), void *p);
/* Zeroes n bytes at p at reset (for secrets living in the arena). */
void au_arena_wipe(struct au_arena *a, void *p, size_t n);

/* Bytes handed out since the last reset (for tests and metrics). */
size_t au_arena_used(const struct au_arena *a);

#endif
