/* app_ctx.h — the worker's process-lifetime state, in one struct.
 *
 * Each worker owns one au_ctx: the configuration, its database connection
 * (opened lazily and reopened after loss, so a database outage never puts
 * workers into a crash loop), the master key, and the bounded caches of
 * realms, keys and clients (oauth_realm.c).  Handlers reach it through
 * r->app.  Workers share no memory. */
#ifndef AU_APP_CTX_H
#define AU_APP_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto_seal.h"

struct au_config;
struct au_db;
struct au_req;
struct au_realm_cache;
struct au_denylist;

struct au_ctx {
	const struct au_config *cfg;
	struct au_db *db;
	unsigned char master_key[AU_MASTER_KEY_LEN];
	bool master_key_ok;
	struct au_realm_cache *realms;   /* oauth_realm.c */
	struct au_denylist *denylist;    /* common passwords (store_policy.h);
	                                    NULL when the file is missing */
	int64_t db_failed_ms;            /* last failed connect (monotonic) */
	int64_t started_at;
	unsigned long requests;
	int worker_index;
};

/* Sets up a worker context.  master_key is the key already read by the
 * master (before it dropped privileges); NULL reads cfg's master_key_file
 * here.  AU_OK, or AU_EIO/AU_EINVAL with a message in err (fatal: keys
 * could not be unsealed). */
int au_ctx_init(struct au_ctx *c, const struct au_config *cfg,
    const unsigned char *master_key, char *err, size_t errlen);
void au_ctx_free(struct au_ctx *c);

/* The request's database connection, connecting on first use.  AU_OK, or
 * AU_EDB (logged) when the database cannot be reached.  After a failed
 * connect the worker answers AU_EDB at once for a second instead of
 * making every request wait for its own connect timeout. */
int au_ctx_db(struct au_ctx *c, struct au_db **db);
/* Convenience for handlers: the context of a request. */
struct au_ctx *au_req_ctx(const struct au_req *r);

#endif
