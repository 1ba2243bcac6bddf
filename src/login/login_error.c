/* login_error.c — renders templates/error.cs. */
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "login/login_error.h"
#include "view/view.h"

int
au_login_error_page(struct au_req *r, int status, const char *title,
    const char *detail)
{
	struct au_view *v = au_view_new(r->arena, r->cfg->templates_dir);
	struct au_buf out;
	int rc;

	au_view_set_lang(v, r->lang);
	au_view_set(v, "Page.Title", title);
	au_view_set(v, "Page.RequestId", r->request_id);
	au_view_set_int(v, "Error.Status", status);
	au_view_set(v, "Error.Title", title);
	au_view_set(v, "Error.Detail", detail);
	au_buf_init(&out, r->arena, 2048);
	rc = au_view_render(v, "error.cs", &out);
	if (rc != AU_OK)
		return rc;
	return au_resp_html(r, status, out.p, out.len);
}
