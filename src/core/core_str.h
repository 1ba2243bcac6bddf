/* core_str.h — growable byte buffers in an arena, and string checks.
 *
 * An au_buf grows inside its arena (old storage is simply abandoned to
 * the arena); its contents are always NUL-terminated so .p can be used as
 * a C string when the data is text. */
#ifndef AU_CORE_STR_H
#define AU_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>

struct au_arena;

struct au_buf {
	struct au_arena *arena;
	char *p;
	size_t len, cap;
};

void au_buf_init(struct au_buf *b, struct au_arena *a, size_t cap);
void au_buf_add(struct au_buf *b, const void *p, size_t n);
void au_buf_adds(struct au_buf *b, const char *s);
void au_buf_addc(struct au_buf *b, char c);
void au_buf_printf(struct au_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Constant-time equality of two byte strings; the time depends only on the
 * lengths, never on where they differ. */
bool au_ct_equal(const void *a, size_t alen, const void *b, size_t blen);
/* Constant-time equality of two C strings (either may be NULL: unequal). */
bool au_ct_streq(const char *a, const char *b);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool au_utf8_valid(const char *s, size_t n);
/* True when s has no control characters (< 0x20 or 0x7f). */
bool au_str_printable(const char *s);

bool au_str_has_prefix(const char *s, const char *prefix);
/* True when the space-separated list (an OAuth scope string) holds word
 * as a whole item. */
bool au_str_has_word(const char *list, const char *word);
/* Parses a whole decimal integer in [min, max]; AU_OK or AU_EINVAL. */
int au_str_to_ll(const char *s, long long min, long long max, long long *out);

/* Value of one hex digit (either case), or -1. */
int au_hex_digit(unsigned char c);
/* Lower-case hex of n bytes into an arena string. */
char *au_hex(struct au_arena *a, const unsigned char *p, size_t n);

#endif
