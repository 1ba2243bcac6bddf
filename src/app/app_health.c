/* app_health.c — the health check a load balancer polls. */
#include <unistd.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "app/app_health.h"
#include "config.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"

int
au_app_healthz(struct au_req *r)
{
	struct au_ctx *c = au_req_ctx(r);
	struct json_object *o = json_object_new_object(), *w;
	struct au_db *db;
	int ok;

	ok = au_ctx_db(c, &db) == AU_OK && au_db_ping(db) == AU_OK;
	json_object_object_add(o, "status",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	json_object_object_add(o, "database",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	json_object_object_add(o, "version",
	    json_object_new_string(PACKAGE_VERSION));
	w = json_object_new_object();
	json_object_object_add(w, "pid", json_object_new_int(getpid()));
	json_object_object_add(w, "index", json_object_new_int(c->worker_index));
	json_object_object_add(w, "requests",
	    json_object_new_int64((int64_t)c->requests));
	json_object_object_add(w, "uptimeSeconds",
	    json_object_new_int64(au_time_now() - c->started_at));
	json_object_object_add(o, "worker", w);
	au_resp_set_header(r, "Cache-Control", "no-store");
	return au_resp_json(r, ok ? 200 : 503, o);
}
