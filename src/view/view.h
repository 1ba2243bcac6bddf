/* view.h — rendering ClearSilver templates with HTML auto-escaping.
 *
 * The only code that includes ClearSilver headers.  Every view is created
 * with Config.VarEscapeMode = html, so <?cs var:x ?> is always escaped;
 * URL and JavaScript contexts use url_escape() / js_escape() in the
 * template.  Template names are constants chosen by the code, never taken
 * from input (ClearSilver include paths are not sandboxed). */
#ifndef AU_VIEW_H
#define AU_VIEW_H

#include <stdbool.h>

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

/* Message catalogues: what the pages and mails say, per language, in
 * <templates>/messages/<tag>.hdf ("key = text" lines; en.hdf has every
 * key, and a translation's missing keys read in English).  "{0}", "{1}"
 * are placeholders; a text with "{0}" also has children 0 and 1, the
 * parts before and after it, for templates that put markup there.  A
 * key with a ".one" child has a singular form used when the count is 1.
 * Catalogues are read once per process, at first use. */
#define AU_LANG_MAX 35

/* The first of tags (space-separated, by preference: ui_locales, a
 * realm's locale) that has a catalogue, itself or by its primary
 * subtag (de-CH → de), into out.  False when none has (or tags is
 * NULL); tags that are not language tags are skipped. */
bool au_msg_lang(const char *templates_dir, const char *tags,
    char out[AU_LANG_MAX + 1]);
/* The text of key in lang (NULL or unknown: English); the key itself
 * when no catalogue has it.  Never NULL; lives as long as the process. */
const char *au_msg(const char *templates_dir, const char *lang,
    const char *key);
/* The same with placeholders {i} replaced by args[i] (NULL-terminated,
 * may be NULL) and the singular form when n is 1; in the arena. */
char *au_msg_fmt(struct au_arena *a, const char *templates_dir,
    const char *lang, const char *key, long n, const char *const *args);
/* Frees the catalogues read so far (tests; workers keep them). */
void au_msg_cache_free(void);

/* The view speaks lang (NULL or without a catalogue: English): its
 * catalogue as Msg.* and Page.Lang (the <html lang>). */
void au_view_set_lang(struct au_view *v, const char *lang);
/* Msg.<key> of the view (English when the view has no language). */
const char *au_view_msg(struct au_view *v, const char *key);

#endif
