/* oauth_client_auth.c — client_secret_basic and client_secret_post. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"
#include "store/store_secret.h"

/* True when secret matches a live, unexpired secret of the client. Every
 * candidate is compared so the time does not tell which one matched. */
static bool
secret_matches(const struct au_cached_client *cc, const char *secret)
{
	int64_t now = au_time_now();
	bool ok = false;
	int i;

	for (i = 0; i < cc->nsecrets; i++) {
		bool live = cc->secrets[i].expires_at == 0 ||
		    cc->secrets[i].expires_at > now;

		if (au_secret_verify(secret, cc->secrets[i].hash) && live)
			ok = true;
	}
	return ok;
}

/* A secret created since the worker cached the client (on another worker,
 * within cache_ttl) must work at once: on a mismatch the live secrets are
 * read again, and a match makes the worker rebuild its realm entry. */
static bool
fresh_secret_matches(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cached, const char *secret)
{
	struct au_cached_client fresh = *cached;
	struct au_db *db;

	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_secret_live_for_client(db, r->arena, cached->c.id,
	    au_time_now(), &fresh.secrets, &fresh.nsecrets) != AU_OK ||
	    !secret_matches(&fresh, secret))
		return false;
	au_realm_forget(r, v->realm.realm_id);
	return true;
}

int
au_client_authenticate_or_respond(struct au_req *r,
    const struct au_realm_view *v, const struct au_cached_client **out)
{
	const char *form_id = au_req_form(r, "client_id");
	const char *form_secret = au_req_form(r, "client_secret");
	const struct au_cached_client *cc;
	const char *id = NULL, *secret = NULL;
	int rc;

	rc = au_req_basic_auth(r, &id, &secret);
	if (rc == AU_EINVAL)
		return au_oauth_invalid_client(r, au_arena_printf(r->arena,
		    "Malformed client credentials: %s.", r->error)), AU_EDENIED;
	if (rc == AU_OK && form_secret != NULL) {
		au_oauth_error(r, 400, "invalid_request", "Use only one client "
		    "authentication method (Basic header or form fields).");
		return AU_EDENIED;
	}
	if (rc == AU_OK && form_id != NULL && strcmp(form_id, id) != 0) {
		au_oauth_error(r, 400, "invalid_request",
		    "client_id does not match the Basic credentials.");
		return AU_EDENIED;
	}
	if (rc != AU_OK) {
		id = form_id;
		secret = form_secret;
	}
	if (id == NULL || secret == NULL)
		return au_oauth_invalid_client(r,
		    "Client authentication is required."), AU_EDENIED;
	rc = au_realm_client(r, v, id, &cc);
	if (rc == AU_EDB)
		return au_resp_unavailable(r), AU_EDB;
	if (rc != AU_OK || strcmp(cc->c.type, "confidential") != 0 ||
	    (!secret_matches(cc, secret) && !fresh_secret_matches(r, v, cc,
	    secret)))
		return au_oauth_invalid_client(r,
		    "Client authentication failed."), AU_EDENIED;
	if (!cc->c.enabled)
		return au_oauth_invalid_client(r, au_arena_printf(r->arena,
		    "Client '%s' is disabled.", cc->c.client_id)), AU_EDENIED;
	*out = cc;
	return AU_OK;
}
