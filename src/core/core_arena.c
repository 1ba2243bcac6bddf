/* core_arena.c — a chunked bump allocator with cleanup callbacks.
 *
 * Small allocations come from 16 KiB chunks; a request larger than a
 * quarter chunk gets a chunk of its own so one big body does not waste the
 * rest.  The first chunk is kept across resets so a worker serving small
 * requests does no malloc at all in steady state. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/core_arena.h"

#define CHUNK_SIZE (16 * 1024)
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *p;
	size_t wipe_len; /* nonzero: wipe p instead of calling fn */
};

struct au_arena {
	struct chunk *head;   /* current chunk, newest first */
	struct chunk *first;  /* kept across resets */
	struct cleanup *cleanups;
	size_t used;
};

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fputs("authio: out of memory\n", stderr);
		abort();
	}
	return p;
}

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = xmalloc(sizeof(*c) + size);

	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct au_arena *
au_arena_new(void)
{
	struct au_arena *a = xmalloc(sizeof(*a));

	a->first = a->head = chunk_new(CHUNK_SIZE);
	a->cleanups = NULL;
	a->used = 0;
	return a;
}

void *
au_arena_alloc(struct au_arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t off;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN) {
		fputs("authio: allocation too large\n", stderr);
		abort();
	}
	off = (c->used + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (off > c->size || c->size - off < n) {
		if (n > CHUNK_SIZE / 4) {
			/* a private chunk, linked behind the current one */
			struct chunk *big = chunk_new(n);

			big->used = n;
			big->next = c->next;
			c->next = big;
			a->used += n;
			return big->data;
		}
		c = chunk_new(CHUNK_SIZE);
		c->next = a->head;
		a->head = c;
		off = 0;
	}
	c->used = off + n;
	a->used += n;
	return c->data + off;
}

void *
au_arena_calloc(struct au_arena *a, size_t n)
{
	void *p = au_arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

void *
au_arena_memdup(struct au_arena *a, const void *p, size_t n)
{
	void *q = au_arena_alloc(a, n);

	if (n > 0)
		memcpy(q, p, n);
	return q;
}

char *
au_arena_strndup(struct au_arena *a, const char *s, size_t n)
{
	char *q;

	if (s == NULL)
		return NULL;
	q = au_arena_alloc(a, n + 1);
	memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

char *
au_arena_strdup(struct au_arena *a, const char *s)
{
	return s == NULL ? NULL : au_arena_strndup(a, s, strlen(s));
}

char *
au_arena_vprintf(struct au_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return au_arena_strdup(a, "");
	p = au_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
au_arena_printf(struct au_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = au_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
au_arena_cleanup(struct au_arena *a, void (*fn)(void *), void *p)
{
	struct cleanup *c = au_arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->p = p;
	c->wipe_len = 0;
	c->next = a->cleanups;
	a->cleanups = c;
}

void
au_arena_wipe(struct au_arena *a, void *p, size_t n)
{
	struct cleanup *c;

	if (n == 0)
		return; /* nothing to wipe; a zero length would mean "call fn" */
	c = au_arena_alloc(a, sizeof(*c));
	c->fn = NULL;
	c->p = p;
	c->wipe_len = n;
	c->next = a->cleanups;
	a->cleanups = c;
}

void
au_arena_reset(struct au_arena *a)
{
	struct chunk *c, *next;

	/* Cleanups live in the arena itself, so run them all before freeing. */
	while (a->cleanups != NULL) {
		struct cleanup *cl = a->cleanups;

		a->cleanups = cl->next;
		if (cl->wipe_len > 0)
			OPENSSL_cleanse(cl->p, cl->wipe_len);
		else
			cl->fn(cl->p);
	}
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c != a->first)
			free(c);
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->head = a->first;
	a->used = 0;
}

void
au_arena_free(struct au_arena *a)
{
	if (a == NULL)
		return;
	au_arena_reset(a);
	free(a->first);
	free(a);
}

size_t
au_arena_used(const struct au_arena *a)
{
	return a->used;
}
