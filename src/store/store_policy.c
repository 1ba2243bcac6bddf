/* store_policy.c — password and username rules, the denylist set (see
 * store_policy.h). */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_arena.h"
#include "core/core_str.h"
#include "crypto/crypto_password.h"
#include "store/store_policy.h"
#include "store/store_settings.h"

#define MAX_VIOLATIONS 16
#define MAX_ENTRY 255

/* ------------------------------------------------------- denylist */

/* Open addressing, linear probing, at most half full; entries point into
 * one lower-cased copy of the file. */
struct au_denylist {
	char *text;
	char **slots;
	size_t nslots;           /* a power of two */
	size_t n;
};

static uint64_t
hash_lower(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;     /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)tolower((unsigned char)s[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

static bool
slot_is(const char *entry, const char *s, size_t n)
{
	return strlen(entry) == n && strncasecmp(entry, s, n) == 0;
}

static void
put(struct au_denylist *d, char *s)
{
	size_t n = strlen(s), i;

	i = (size_t)hash_lower(s, n) & (d->nslots - 1);
	for (; d->slots[i] != NULL; i = (i + 1) & (d->nslots - 1))
		if (slot_is(d->slots[i], s, n))
			return;
	d->slots[i] = s;
	d->n++;
}

/* The whole file, NUL-terminated, in a malloc'd buffer. */
static char *
read_all(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long len;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    len < (64L << 20) && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, f) == (size_t)len)
			buf[len] = '\0';
		else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	if (buf == NULL)
		snprintf(err, errlen, "%s: cannot be read", path);
	return buf;
}

struct au_denylist *
au_denylist_load(const char *path, char *err, size_t errlen)
{
	struct au_denylist *d;
	char *line, *save = NULL, *p;
	size_t lines = 1;

	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->text = read_all(path, err, errlen)) == NULL) {
		free(d);
		return NULL;
	}
	for (p = d->text; *p != '\0'; p++) {
		if (*p == '\n')
			lines++;
		*p = (char)tolower((unsigned char)*p);
	}
	for (d->nslots = 16; d->nslots < lines * 2; d->nslots *= 2)
		;
	if ((d->slots = calloc(d->nslots, sizeof(*d->slots))) == NULL) {
		au_denylist_free(d);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	for (line = strtok_r(d->text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		size_t n = strcspn(line, "\r");

		line[n] = '\0';
		if (n > 0 && n <= MAX_ENTRY && line[0] != '#')
			put(d, line);
	}
	return d;
}

void
au_denylist_free(struct au_denylist *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d->text);
	free(d);
}

bool
au_denylist_has(const struct au_denylist *d, const char *pw)
{
	size_t n, i;

	if (d == NULL || pw == NULL || (n = strlen(pw)) > MAX_ENTRY)
		return false;
	i = (size_t)hash_lower(pw, n) & (d->nslots - 1);
	for (; d->slots[i] != NULL; i = (i + 1) & (d->nslots - 1))
		if (slot_is(d->slots[i], pw, n))
			return true;
	return false;
}

size_t
au_denylist_size(const struct au_denylist *d)
{
	return d != NULL ? d->n : 0;
}

/* ---------------------------------------------------------- rules */

struct found {
	struct au_arena *a;
	struct au_violation *v;
	int n;
};

static void
add(struct found *f, const char *rule, const char *message)
{
	if (f->n >= MAX_VIOLATIONS)
		return;
	f->v[f->n].rule = rule;
	f->v[f->n].message = message;
	f->v[f->n].count = 0;
	f->n++;
}

/* A rule with a count: fmt has "%d %s", filled with n and one or many
 * ("1 digit", "2 digits"). */
static void
add_count(struct found *f, const char *rule, int n, const char *fmt,
    const char *one, const char *many)
{
	add(f, rule, au_arena_printf(f->a, fmt, n, n == 1 ? one : many));
	if (f->n > 0 && f->v[f->n - 1].rule == rule)
		f->v[f->n - 1].count = n;
}

static bool
matches(const char *pattern, const char *s)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;           /* validated on PUT: cannot happen */
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* Case-insensitive (ASCII) substring. */
static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return false;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void
classes(const char *pw, int *digits, int *lower, int *upper, int *special)
{
	const unsigned char *p;

	*digits = *lower = *upper = *special = 0;
	for (p = (const unsigned char *)pw; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;       /* a continuation byte, not a character */
		if (*p >= '0' && *p <= '9')
			(*digits)++;
		else if (*p >= 'a' && *p <= 'z')
			(*lower)++;
		else if (*p >= 'A' && *p <= 'Z')
			(*upper)++;
		else
			(*special)++;
	}
}

static void
check_classes(struct found *f, const struct au_password_policy *p,
    const char *pw)
{
	int d, l, u, s;

	classes(pw, &d, &l, &u, &s);
	if (d < p->digits)
		add_count(f, "digits", p->digits, "Include at least %d %s.",
		    "digit", "digits");
	if (l < p->lower_case)
		add_count(f, "lowerCase", p->lower_case, "Include at least "
		    "%d %s.", "lower-case letter", "lower-case letters");
	if (u < p->upper_case)
		add_count(f, "upperCase", p->upper_case, "Include at least "
		    "%d %s.", "upper-case letter", "upper-case letters");
	if (s < p->special_chars)
		add_count(f, "specialChars", p->special_chars, "Include at "
		    "least %d %s (not a letter or digit).", "special character",
		    "special characters");
}

int
au_policy_password_check(struct au_arena *a,
    const struct au_password_policy *p, const struct au_denylist *deny,
    const char *username, const char *email, const char *pw,
    char *const *history, int nhistory, struct au_violation **out)
{
	struct found f = { a, au_arena_calloc(a, sizeof(*f.v) *
	    MAX_VIOLATIONS), 0 };
	int n = (int)au_utf8_chars(pw), i;

	if (n < p->min_length)
		add_count(&f, "minLength", p->min_length, "Use at least %d %s.",
		    "character", "characters");
	if (n > p->max_length)
		add_count(&f, "maxLength", p->max_length, "Use at most %d %s.",
		    "character", "characters");
	check_classes(&f, p, pw);
	if (p->not_username && username != NULL &&
	    strcasecmp(pw, username) == 0)
		add(&f, "notUsername", "Do not use your username as the "
		    "password.");
	if (p->not_contains_username && username != NULL &&
	    contains_ci(pw, username))
		add(&f, "notContainsUsername", "Do not include your username in "
		    "the password.");
	if (p->not_email && email != NULL && strcasecmp(pw, email) == 0)
		add(&f, "notEmail", "Do not use your email address as the "
		    "password.");
	for (i = 0; i < p->history && i < nhistory; i++)
		if (history[i] != NULL && au_password_verify(pw, history[i])) {
			add_count(&f, "history", p->history, "Do not reuse "
			    "any of your last %d %s.", "password", "passwords");
			break;
		}
	if (*p->regex != '\0' && !matches(p->regex, pw))
		add(&f, "regex", "The password does not have the form this "
		    "site requires.");
	if (p->denylist && au_denylist_has(deny, pw))
		add(&f, "denylist", "This password is too common. Choose one "
		    "that is harder to guess.");
	*out = f.v;
	return f.n;
}

int
au_policy_username_check(struct au_arena *a,
    const struct au_username_policy *p, const char *username,
    const char *email, struct au_violation **out)
{
	struct found f = { a, au_arena_calloc(a, sizeof(*f.v) *
	    MAX_VIOLATIONS), 0 };
	int n = (int)au_utf8_chars(username), i;

	if (n < p->min_length)
		add_count(&f, "minLength", p->min_length, "must be at least "
		    "%d %s long", "character", "characters");
	if (n > p->max_length)
		add_count(&f, "maxLength", p->max_length, "must be at most "
		    "%d %s long", "character", "characters");
	if (*p->pattern != '\0' && !matches(p->pattern, username))
		add(&f, "pattern", au_arena_printf(a, "must match the realm's "
		    "pattern %s", p->pattern));
	for (i = 0; i < p->nreserved; i++)
		if (strcasecmp(username, p->reserved[i]) == 0) {
			add(&f, "reserved", "is a reserved name");
			break;
		}
	if (p->email_as_username && (email == NULL ||
	    strcasecmp(username, email) != 0))
		add(&f, "emailAsUsername", "must be the user's email address "
		    "(the realm uses email as username)");
	*out = f.v;
	return f.n;
}
