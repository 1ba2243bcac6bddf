/* view.c — the ClearSilver wrapper.
 *
 * ClearSilver's cs_config.h defines PACKAGE_* macros that clash with our
 * config.h, so its headers are included with those macros saved and
 * restored (RECIPES §1). */
#pragma push_macro("PACKAGE_NAME")
#pragma push_macro("PACKAGE_VERSION")
#pragma push_macro("PACKAGE_STRING")
#pragma push_macro("PACKAGE_TARNAME")
#pragma push_macro("PACKAGE_BUGREPORT")
#pragma push_macro("PACKAGE_URL")
#undef PACKAGE_NAME
#undef PACKAGE_VERSION
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_BUGREPORT
#undef PACKAGE_URL
#include <ClearSilver.h>
#undef PACKAGE_NAME
#undef PACKAGE_VERSION
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_BUGREPORT
#undef PACKAGE_URL
#pragma pop_macro("PACKAGE_NAME")
#pragma pop_macro("PACKAGE_VERSION")
#pragma pop_macro("PACKAGE_STRING")
#pragma pop_macro("PACKAGE_TARNAME")
#pragma pop_macro("PACKAGE_BUGREPORT")
#pragma pop_macro("PACKAGE_URL")

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "view/view.h"

struct au_view {
	HDF *hdf;
	const char *dir;  /* the templates directory */
	int broken; /* an HDF call failed: render refuses */
};

void
au_view_global_init(void)
{
	NEOERR *err = nerr_init();

	nerr_ignore(&err);
}

static void
view_destroy(void *p)
{
	struct au_view *v = p;

	if (v->hdf != NULL)
		hdf_destroy(&v->hdf);
}

static void
log_neoerr(const char *what, NEOERR **err)
{
	STRING msg;

	string_init(&msg);
	nerr_error_string(*err, &msg);
	au_log_err("view: %s: %s", what, msg.buf != NULL ? msg.buf : "?");
	string_clear(&msg);
	nerr_ignore(err);
}

struct au_view *
au_view_new(struct au_arena *a, const char *templates_dir)
{
	struct au_view *v = au_arena_calloc(a, sizeof(*v));
	NEOERR *err;

	v->dir = au_arena_strdup(a, templates_dir);
	err = hdf_init(&v->hdf);
	if (err == STATUS_OK)
		err = hdf_set_value(v->hdf, "hdf.loadpaths.0", templates_dir);
	/* escaping must be configured before cs_init reads it */
	if (err == STATUS_OK)
		err = hdf_set_value(v->hdf, "Config.VarEscapeMode", "html");
	if (err != STATUS_OK) {
		log_neoerr("init", &err);
		v->broken = 1;
	}
	au_arena_cleanup(a, view_destroy, v);
	return v;
}

void
au_view_set(struct au_view *v, const char *name, const char *value)
{
	NEOERR *err;

	if (value == NULL || v->broken)
		return;
	err = hdf_set_value(v->hdf, name, value);
	if (err != STATUS_OK) {
		log_neoerr(name, &err);
		v->broken = 1;
	}
}

void
au_view_set_int(struct au_view *v, const char *name, long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	au_view_set(v, name, buf);
}

static NEOERR *
append_output(void *ctx, char *s)
{
	au_buf_adds(ctx, s);
	return STATUS_OK;
}

int
au_view_render(struct au_view *v, const char *template, struct au_buf *out)
{
	CSPARSE *cs = NULL;
	NEOERR *err;

	if (v->broken)
		return AU_EINTERNAL;
	err = cs_init(&cs, v->hdf);
	if (err == STATUS_OK)
		err = cgi_register_strfuncs(cs);
	if (err == STATUS_OK)
		err = cs_parse_file(cs, template);
	if (err == STATUS_OK)
		err = cs_render(cs, out, append_output);
	if (cs != NULL)
		cs_destroy(&cs);
	if (err != STATUS_OK) {
		log_neoerr(template, &err);
		return AU_EINTERNAL;
	}
	return AU_OK;
}

/* ------------------------------------------------------- catalogues */

/* Catalogues read so far by this process, English merged under each
 * (a key a translation lacks reads in English); hdf NULL records a tag
 * without a catalogue.  Bounded: tags come from requests. */
#define MAX_CATALOGUES 32

static struct catalogue {
	char lang[AU_LANG_MAX + 1];
	HDF *hdf;
} cats[MAX_CATALOGUES];
static int ncats;

/* [a-z]{2,3}(-[A-Za-z0-9]{1,8})*, at most AU_LANG_MAX: safe in a path */
static bool
tag_ok(const char *t, size_t n)
{
	size_t i, p = 0;

	if (n == 0 || n > AU_LANG_MAX)
		return false;
	while (p < n && t[p] >= 'a' && t[p] <= 'z')
		p++;
	if (p < 2 || p > 3)
		return false;
	for (i = p; i < n; i++) {
		char c = t[i];

		if (c == '-' ? t[i - 1] == '-' || i + 1 == n :
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* "Use at least {0} characters." also as children 0 and 1: the text
 * before and after the placeholder, for templates that put markup (a
 * <strong> name) in its place. */
static NEOERR *
split_placeholders(HDF *node)
{
	NEOERR *err = STATUS_OK;
	HDF *c;

	for (c = hdf_obj_child(node); c != NULL && err == STATUS_OK;
	    c = hdf_obj_next(c)) {
		const char *val = hdf_obj_value(c), *at;

		if (hdf_obj_child(c) != NULL)
			err = split_placeholders(c);
		if (err != STATUS_OK || val == NULL ||
		    (at = strstr(val, "{0}")) == NULL)
			continue;
		{
			char *before = strndup(val, (size_t)(at - val));

			if (before == NULL)
				return nerr_raise(NERR_NOMEM, "catalogue");
			err = hdf_set_value(c, "0", before);
			free(before);
			if (err == STATUS_OK)
				err = hdf_set_value(c, "1", at + 3);
		}
	}
	return err;
}

/* Reads dir/messages/<lang>.hdf over English into a new tree; NULL when
 * lang has no catalogue (or it cannot be read: logged). */
static HDF *
load_catalogue(const char *dir, const char *lang)
{
	char path[4096];
	NEOERR *err;
	HDF *h = NULL;

	snprintf(path, sizeof(path), "%s/messages/%s.hdf", dir, lang);
	if (access(path, R_OK) != 0)
		return NULL;
	err = hdf_init(&h);
	if (err == STATUS_OK && strcmp(lang, "en") != 0) {
		char en[4096];

		snprintf(en, sizeof(en), "%s/messages/en.hdf", dir);
		err = hdf_read_file(h, en);
	}
	if (err == STATUS_OK)
		err = hdf_read_file(h, path);
	if (err == STATUS_OK)
		err = split_placeholders(h);
	if (err != STATUS_OK) {
		log_neoerr(path, &err);
		if (h != NULL)
			hdf_destroy(&h);
		return NULL;
	}
	return h;
}

/* The catalogue of lang (already checked by tag_ok), NULL when none. */
static HDF *
catalogue(const char *dir, const char *lang)
{
	HDF *h;
	int i;

	for (i = 0; i < ncats; i++)
		if (strcmp(cats[i].lang, lang) == 0)
			return cats[i].hdf;
	h = load_catalogue(dir, lang);
	if (ncats < MAX_CATALOGUES) {
		snprintf(cats[ncats].lang, sizeof(cats[ncats].lang), "%s",
		    lang);
		cats[ncats++].hdf = h;
	} else if (h != NULL) {
		hdf_destroy(&h);   /* full: serve English rather than grow */
		return NULL;
	}
	return h;
}

void
au_msg_cache_free(void)
{
	int i;

	for (i = 0; i < ncats; i++)
		if (cats[i].hdf != NULL)
			hdf_destroy(&cats[i].hdf);
	ncats = 0;
}

/* A tag of n characters, or its primary subtag, that has a catalogue:
 * into out; false when neither has. */
static bool
pick_one(const char *dir, const char *t, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		char lang[AU_LANG_MAX + 1];
		size_t len = i == 0 ? n : strcspn(t, "-");

		if (i == 1 && len == n)
			break;
		if (!tag_ok(t, len))
			return false;
		memcpy(lang, t, len);
		lang[len] = '\0';
		if (catalogue(dir, lang) != NULL) {
			memcpy(out, lang, len + 1);
			return true;
		}
	}
	return false;
}

bool
au_msg_lang(const char *dir, const char *tags, char out[AU_LANG_MAX + 1])
{
	int tried;

	if (tags == NULL)
		return false;
	for (tried = 0; *tags != '\0' && tried < 8; tried++) {
		size_t n;

		tags += strspn(tags, " ");
		n = strcspn(tags, " ");
		if (n > 0 && pick_one(dir, tags, n, out))
			return true;
		tags += n;
	}
	return false;
}

/* lang's tree, or English's when lang has none (NULL when even English
 * is missing: a broken installation, logged once by load_catalogue) */
static HDF *
tree_of(const char *dir, const char *lang)
{
	HDF *h = NULL;

	if (lang != NULL && tag_ok(lang, strlen(lang)))
		h = catalogue(dir, lang);
	return h != NULL ? h : catalogue(dir, "en");
}

const char *
au_msg(const char *dir, const char *lang, const char *key)
{
	HDF *h = tree_of(dir, lang);
	const char *s = h != NULL ? hdf_get_value(h, key, NULL) : NULL;

	return s != NULL ? s : key;
}

char *
au_msg_fmt(struct au_arena *a, const char *dir, const char *lang,
    const char *key, long n, const char *const *args)
{
	char plural[256];
	const char *s = NULL, *p;
	struct au_buf b;

	if (n == 1) {
		HDF *h = tree_of(dir, lang);

		snprintf(plural, sizeof(plural), "%s.one", key);
		if (h != NULL)
			s = hdf_get_value(h, plural, NULL);
	}
	if (s == NULL)
		s = au_msg(dir, lang, key);
	au_buf_init(&b, a, strlen(s) + 64);
	for (p = s; *p != '\0'; p++) {
		int i;

		if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
			for (i = 0; args != NULL && args[i] != NULL &&
			    i < p[1] - '0'; i++)
				;
			if (args != NULL && args[i] != NULL) {
				au_buf_adds(&b, args[i]);
				p += 2;
				continue;
			}
		}
		au_buf_addc(&b, *p);
	}
	return b.p;
}

void
au_view_set_lang(struct au_view *v, const char *lang)
{
	HDF *h = NULL;
	NEOERR *err;

	if (v->broken)
		return;
	if (lang != NULL && tag_ok(lang, strlen(lang)))
		h = catalogue(v->dir, lang);
	if (h == NULL) {
		lang = "en";
		h = catalogue(v->dir, lang);
	}
	au_view_set(v, "Page.Lang", lang);
	if (h == NULL)
		return;
	err = hdf_copy(v->hdf, "Msg", h);
	if (err != STATUS_OK) {
		log_neoerr("Msg", &err);
		v->broken = 1;
	}
}

const char *
au_view_msg(struct au_view *v, const char *key)
{
	const char *s = hdf_get_valuef(v->hdf, "Msg.%s", key);

	return s != NULL ? s : au_msg(v->dir, NULL, key);
}
