/* app_ctx.c — worker context: master key and lazy database connection. */
#include <string.h>

#include <openssl/crypto.h>

#include "app/app_ctx.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "oauth/oauth_realm.h"
#include "store/store_policy.h"

int
au_ctx_init(struct au_ctx *c, const struct au_config *cfg,
    const unsigned char *master_key, char *err, size_t errlen)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->started_at = au_time_now();
	if (master_key != NULL) {
		memcpy(c->master_key, master_key, sizeof(c->master_key));
	} else {
		rc = au_seal_load_master(cfg->master_key_file, c->master_key,
		    err, errlen);
		if (rc != AU_OK)
			return rc;
	}
	c->master_key_ok = true;
	c->realms = au_realm_cache_new();
	/* without the list, realms keep every other rule: not fatal */
	if (cfg->password_denylist != NULL && *cfg->password_denylist != '\0' &&
	    (c->denylist = au_denylist_load(cfg->password_denylist, err,
	    errlen)) == NULL)
		au_log_warn("password denylist not loaded: %s", err);
	return AU_OK;
}

void
au_ctx_free(struct au_ctx *c)
{
	if (c->db != NULL)
		au_db_close(c->db);
	c->db = NULL;
	au_realm_cache_free(c->realms);
	c->realms = NULL;
	au_denylist_free(c->denylist);
	c->denylist = NULL;
	OPENSSL_cleanse(c->master_key, sizeof(c->master_key));
}

int
au_ctx_db(struct au_ctx *c, struct au_db **db)
{
	char err[512];

	if (c->db == NULL) {
		int64_t now = au_time_mono_ms();

		if (c->db_failed_ms != 0 && now - c->db_failed_ms < 1000)
			return AU_EDB;
		if (au_db_open(c->cfg, &c->db, err, sizeof(err)) != AU_OK) {
			c->db_failed_ms = now;
			au_log_err("database: %s", err);
			return AU_EDB;
		}
		c->db_failed_ms = 0;
	}
	*db = c->db;
	return AU_OK;
}

struct au_ctx *
au_req_ctx(const struct au_req *r)
{
	return r->app;
}
