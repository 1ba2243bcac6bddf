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

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_str.h"
#include "view/view.h"

struct au_view {
	HDF *hdf;
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
