/* oauth_error.c — RFC 6749 §5.2 error bodies. */
#include <json-c/json.h>

#include "core/core_err.h"
#include "http/http_resp.h"
#include "oauth/oauth_cors.h"
#include "oauth/oauth_error.h"

int
au_oauth_error(struct au_req *r, int status, const char *error,
    const char *description)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(error));
	if (description != NULL)
		json_object_object_add(o, "error_description",
		    json_object_new_string(description));
	au_resp_set_header(r, "Cache-Control", "no-store");
	au_resp_set_header(r, "Pragma", "no-cache");
	au_oauth_cors_error(r);
	return au_resp_json(r, status, o);
}

int
au_oauth_invalid_client(struct au_req *r, const char *description)
{
	au_resp_set_header(r, "WWW-Authenticate",
	    "Basic realm=\"authio\", charset=\"UTF-8\"");
	return au_oauth_error(r, 401, "invalid_client", description);
}
