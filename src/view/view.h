/* view.h — rendering ClearSilver templates with HTML auto-escaping.
 *
 * The only code that includes ClearSilver headers.  Every view is created
 * with Config.VarEscapeMode = html, so <?cs var:x ?> is always escaped;
 * URL and JavaScript contexts use url_escape() / js_escape() in the
 * template.  Template names are constants chosen by the code, never taken
 * from input (ClearSilver include paths are not sandboxed). */
#ifndef AU_VIEW_H
#define AU_VIEW_H

struct au_arena;
struct au_buf;
struct au_view;

/* Called once per process before forking (initialises ClearSilver's
 * error system). */
void au_view_global_init(void);

/* A view whose data lives until the arena resets. templates_dir is the
 * load path. Never NULL. */
struct au_view *au_view_new(struct au_arena *a, const char *templates_dir);
/* Sets an HDF value (copied); NULL values are skipped. Names are dotted
 * paths chosen by the code ("Page.Title"). */
void au_view_set(struct au_view *v, const char *name, const char *value);
void au_view_set_int(struct au_view *v, const char *name, long long value);
/* Renders template (relative to the load path) into out. AU_OK, or
 * AU_EINTERNAL with the ClearSilver error logged. */
int au_view_render(struct au_view *v, const char *template,
    struct au_buf *out);

#endif
