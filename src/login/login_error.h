/* login_error.h — the HTML error page of the hosted pages and the console.
 *
 * Installed as the http layer's error page renderer, so a browser sees a
 * branded, escaped page while API callers get problem+json. */
#ifndef AU_LOGIN_ERROR_H
#define AU_LOGIN_ERROR_H

struct au_req;

int au_login_error_page(struct au_req *r, int status, const char *title,
    const char *detail);

#endif
