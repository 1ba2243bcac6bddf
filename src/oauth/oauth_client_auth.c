/* oauth_client_auth.c — client_secret_basic and client_secret_post, for
 * clients and consumers alike; assertions are oauth_client_assertion.c's. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_assertion.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"
#include "store/store_secret.h"


/* What authentication needs of a client or a consumer. */
struct caller {
	enum au_secret_owner kind;
	const char *uuid;
	const char *name;
	bool confidential;
	bool enabled;
	struct au_secret *secrets;         /* live when cached */
	int nsecrets;
};

/* lastUsedAt is written at most this often per secret and worker: a
 * token request costs no write in the common case. */
#define USED_RESOLUTION 60

/* The live, unexpired one of secrets[0..n) that secret matches, or NULL.
 * Every candidate is compared so the time does not tell which one
 * matched. */
static struct au_secret *
secret_match(struct au_secret *secrets, int n, const char *secret)
{
	int64_t now = au_time_now();
	struct au_secret *hit = NULL;
	int i;

	for (i = 0; i < n; i++) {
		bool live = secrets[i].expires_at == 0 ||
		    secrets[i].expires_at > now;

		if (au_secret_verify(secret, secrets[i].hash) && live)
			hit = &secrets[i];
	}
	return hit;
}

/* Keeps the secret's lastUsedAt within USED_RESOLUTION seconds; s is the
 * worker's cached copy (or this request's), so the throttle holds. */
static void
note_use(struct au_req *r, struct au_secret *s)
{
	int64_t now = au_time_now();
	struct au_db *db;

	if (now - s->last_used_at < USED_RESOLUTION)
		return;
	s->last_used_at = now;
	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_secret_used(db, s->id, now) != AU_OK)
		au_log_warn("secret %s: last use not recorded", s->id);
}

/* A secret created since the worker cached the caller (on another worker,
 * within cache_ttl) must work at once: on a mismatch the live secrets are
 * read again, and a match makes the worker rebuild its realm entry. */
static struct au_secret *
fresh_secret_match(struct au_req *r, const struct au_realm_view *v,
    const struct caller *c, const char *secret)
{
	struct au_secret *fresh, *hit;
	struct au_db *db;
	int n;

	if (au_ctx_db(au_req_ctx(r), &db) != AU_OK ||
	    au_store_secret_live(db, r->arena, c->kind, c->uuid, au_time_now(),
	    &fresh, &n) != AU_OK || (hit = secret_match(fresh, n, secret)) ==
	    NULL)
		return NULL;
	au_realm_forget(r, v->realm.realm_id);
	return hit;
}

/* Finds the client or consumer named id.  AU_OK; AU_ENOTFOUND; AU_EDB. */
static int
find_caller(struct au_req *r, const struct au_realm_view *v, const char *id,
    struct au_principal *p, struct caller *c)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = au_realm_client(r, v, id, &p->client);
	if (rc == AU_OK) {
		*c = (struct caller){ AU_SECRET_CLIENT, p->client->c.id,
			p->client->c.client_id,
			strcmp(p->client->c.type, "confidential") == 0,
			p->client->c.enabled, p->client->secrets,
			p->client->nsecrets };
		return AU_OK;
	}
	if (rc != AU_ENOTFOUND)
		return rc;
	rc = au_realm_consumer(r, v, id, &p->consumer);
	if (rc == AU_OK)
		*c = (struct caller){ AU_SECRET_CONSUMER, p->consumer->c.id,
			p->consumer->c.consumer_id, true, p->consumer->c.enabled,
			p->consumer->secrets, p->consumer->nsecrets };
	return rc;
}

/* The id and secret the request presents, from Basic or the form. */
static int
credentials_or_respond(struct au_req *r, const char **id, const char **secret)
{
	const char *form_id = au_req_form(r, "client_id");
	const char *form_secret = au_req_form(r, "client_secret");
	int rc;

	rc = au_req_basic_auth(r, id, secret);
	if (rc == AU_EINVAL)
		return au_oauth_invalid_client(r, au_arena_printf(r->arena,
		    "Malformed client credentials: %s.", r->error)), AU_EDENIED;
	if (rc == AU_OK && form_secret != NULL) {
		au_oauth_error(r, 400, "invalid_request", "Use only one client "
		    "authentication method (Basic header or form fields).");
		return AU_EDENIED;
	}
	if (rc == AU_OK && form_id != NULL && strcmp(form_id, *id) != 0) {
		au_oauth_error(r, 400, "invalid_request",
		    "client_id does not match the Basic credentials.");
		return AU_EDENIED;
	}
	if (rc != AU_OK) {
		*id = form_id;
		*secret = form_secret;
	}
	if (*id == NULL || *secret == NULL)
		return au_oauth_invalid_client(r,
		    "Client authentication is required."), AU_EDENIED;
	return AU_OK;
}

/* Why client cc may not present a secret, or NULL: clients registered
 * for client_secret_basic or client_secret_post accept both (as Keycloak
 * does), private_key_jwt clients only assertions, public clients none. */
static const char *
secret_method_problem(struct au_req *r, const struct au_cached_client *cc)
{
	const char *m = cc->c.token_endpoint_auth_method;

	if (strcmp(m, "client_secret_basic") == 0 ||
	    strcmp(m, "client_secret_post") == 0)
		return NULL;
	if (strcmp(m, "private_key_jwt") == 0)
		return au_arena_printf(r->arena, "Client '%s' is registered for "
		    "private_key_jwt: authenticate with a client_assertion, not a "
		    "secret.", cc->c.client_id);
	return au_arena_printf(r->arena, "Client '%s' is registered for %s: it "
	    "cannot authenticate with a secret.", cc->c.client_id, m);
}

int
au_principal_authenticate_or_respond(struct au_req *r,
    const struct au_realm_view *v, struct au_principal *out)
{
	const char *id = NULL, *secret = NULL;
	struct au_secret *used = NULL;
	struct au_principal p;
	struct caller c;
	const char *why;
	int rc;

	if (au_req_form(r, "client_assertion") != NULL ||
	    au_req_form(r, "client_assertion_type") != NULL)
		return au_client_assertion_or_respond(r, v, out);
	if (credentials_or_respond(r, &id, &secret) != AU_OK)
		return AU_EDENIED;
	rc = find_caller(r, v, id, &p, &c);
	if (rc == AU_EDB)
		return au_resp_unavailable(r), AU_EDB;
	if (rc == AU_OK && p.client != NULL &&
	    (why = secret_method_problem(r, p.client)) != NULL)
		return au_oauth_invalid_client(r, why), AU_EDENIED;
	if (rc == AU_OK && c.confidential &&
	    (used = secret_match(c.secrets, c.nsecrets, secret)) == NULL)
		used = fresh_secret_match(r, v, &c, secret);
	if (used == NULL)
		return au_oauth_invalid_client(r,
		    "Client authentication failed."), AU_EDENIED;
	if (!c.enabled)
		return au_oauth_invalid_client(r, au_arena_printf(r->arena,
		    "%s '%s' is disabled.", c.kind == AU_SECRET_CLIENT ? "Client" :
		    "Consumer", c.name)), AU_EDENIED;
	note_use(r, used);
	*out = p;
	return AU_OK;
}

int
au_principal_or_public_or_respond(struct au_req *r,
    const struct au_realm_view *v, struct au_principal *out)
{
	const char *id = au_req_form(r, "client_id");
	const struct au_cached_client *cc;
	int rc;

	if (id != NULL && au_req_form(r, "client_secret") == NULL &&
	    au_req_header(r, "authorization") == NULL &&
	    au_req_form(r, "client_assertion") == NULL) {
		rc = au_realm_client(r, v, id, &cc);
		if (rc == AU_EDB)
			return au_resp_unavailable(r), AU_EDB;
		if (rc == AU_OK && strcmp(cc->c.type, "public") == 0) {
			if (!cc->c.enabled)
				return au_oauth_invalid_client(r,
				    "Client is disabled."), AU_EDENIED;
			memset(out, 0, sizeof(*out));
			out->client = cc;
			return AU_OK;
		}
	}
	return au_principal_authenticate_or_respond(r, v, out);
}
