/* oauth_realm.c — per-worker realm cache (see oauth_realm.h). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "crypto/crypto_seal.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_rotation.h"
#include "store/store_key.h"
#include "store/store_role.h"

#define MAX_REALMS 64
#define MAX_CLIENTS_PER_REALM 1024
#define MAX_USERS_PER_REALM 1024

struct user_roles {
	char *user_id;
	struct au_role_set roles;
	struct user_roles *next;
};

struct entry {
	struct au_arena *arena;      /* NULL = free slot */
	struct au_realm_view view;
	int64_t checked_at;          /* last time the version was confirmed */
	int64_t used_at;
	int nclients;
	int nconsumers;
	struct user_roles *users;    /* au_realm_user_roles, newest first */
	int nusers;
	struct au_key_row *rows;     /* the published keys as loaded */
	int nrows;
	int64_t rotation_due;        /* au_rotation_due; 0 = never */
	int64_t rotation_tried;      /* last au_rotation_run of this entry */
};

/* After a rotation run that changed nothing (another host's race, or a
 * failure) the entry waits this long before trying again. */
#define ROTATION_RETRY 300

struct au_realm_cache {
	struct entry e[MAX_REALMS];
};

struct au_realm_cache *
au_realm_cache_new(void)
{
	struct au_realm_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	return c;
}

static void
entry_drop(struct entry *e)
{
	au_arena_free(e->arena);
	memset(e, 0, sizeof(*e));
}

void
au_realm_cache_free(struct au_realm_cache *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < MAX_REALMS; i++)
		if (c->e[i].arena != NULL)
			entry_drop(&c->e[i]);
	free(c);
}

static struct entry *
entry_find(struct au_realm_cache *c, const char *slug)
{
	int i;

	for (i = 0; i < MAX_REALMS; i++)
		if (c->e[i].arena != NULL &&
		    strcmp(c->e[i].view.realm.realm_id, slug) == 0)
			return &c->e[i];
	return NULL;
}

/* A free slot, evicting the least recently used entry when full. */
static struct entry *
entry_slot(struct au_realm_cache *c)
{
	struct entry *lru = &c->e[0];
	int i;

	for (i = 0; i < MAX_REALMS; i++) {
		if (c->e[i].arena == NULL)
			return &c->e[i];
		if (c->e[i].used_at < lru->used_at)
			lru = &c->e[i];
	}
	entry_drop(lru);
	return lru;
}

static void
pkey_cleanup(void *p)
{
	au_pkey_free(p);
}

/* Adds an encryption key's public JWK to the set as stored: such keys
 * are published but never unsealed by the worker, never used to sign. */
static void
publish_enc_key(const struct au_key_row *row, struct json_object *arr)
{
	struct json_object *jwk = json_tokener_parse(row->public_jwk);

	if (jwk != NULL && json_object_is_type(jwk, json_type_object))
		json_object_array_add(arr, jwk);
	else
		json_object_put(jwk);
}

/* Unseals the published signing keys of the realm into the entry's arena
 * and serialises the JWKS (signing and encryption keys). */
static int
load_keys(struct au_ctx *ctx, struct au_db *db, struct entry *e)
{
	struct au_realm_view *v = &e->view;
	struct au_key_row *rows;
	struct json_object *set, *arr;
	int rc, i, n;

	rc = au_store_key_published(db, e->arena, v->realm.id, &rows, &n);
	if (rc != AU_OK)
		return rc;
	e->rows = rows;
	e->nrows = n;
	v->keys = au_arena_calloc(e->arena, sizeof(*v->keys) * (size_t)(n + 1));
	set = json_object_new_object();
	arr = json_object_new_array();
	json_object_object_add(set, "keys", arr);
	for (i = 0; i < n; i++) {
		struct au_signing_key *k = &v->keys[v->nkeys];
		struct json_object *jwk;

		if (strcmp(rows[i].use, "enc") == 0) {
			publish_enc_key(&rows[i], arr);
			continue;
		}
		k->alg = au_alg_parse(rows[i].alg);
		if (k->alg == AU_ALG_UNKNOWN ||
		    au_unseal_pkey(e->arena, ctx->master_key, rows[i].sealed,
		    rows[i].sealed_len, rows[i].kid, &k->pkey) != AU_OK) {
			au_log_err("realm %s: key %s cannot be unsealed; skipped",
			    v->realm.realm_id, rows[i].kid);
			continue;
		}
		au_arena_cleanup(e->arena, pkey_cleanup, k->pkey);
		k->kid = rows[i].kid;
		k->active = strcmp(rows[i].status, "active") == 0;
		k->activated_at = rows[i].activated_at;
		if (au_jwk_export_public(k->pkey, k->kid, rows[i].alg, "sig",
		    &jwk) == AU_OK)
			json_object_array_add(arr, jwk);
		v->nkeys++;
	}
	v->jwks_json = au_arena_strdup(e->arena, json_object_to_json_string_ext(
	    set, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(set);
	return AU_OK;
}

/* Builds a fresh entry for slug. */
static int
entry_load(struct au_req *r, struct au_db *db, const char *slug,
    struct entry **out)
{
	struct au_ctx *ctx = au_req_ctx(r);
	struct au_realm *realm;
	struct entry *e;
	int rc;

	e = entry_slot(ctx->realms);
	e->arena = au_arena_new();
	rc = au_store_realm_find(db, e->arena, slug, &realm);
	if (rc == AU_OK) {
		e->view.realm = *realm;
		e->view.issuer = au_arena_printf(e->arena, "%s/realms/%s",
		    r->cfg->base_url, realm->realm_id);
		rc = load_keys(ctx, db, e);
	}
	if (rc == AU_OK)
		rc = au_store_settings_tokens(db, e->arena, e->view.realm.id,
		    &e->view.tokens);
	if (rc == AU_OK)
		rc = au_store_scope_published(db, e->arena, e->view.realm.id,
		    &e->view.scopes, &e->view.nscopes);
	if (rc != AU_OK) {
		entry_drop(e);
		return rc;
	}
	e->view.discovery_json = au_discovery_document(e->arena, e->view.issuer,
	    &e->view);
	e->rotation_due = au_rotation_due(r->cfg, &e->view.tokens, e->rows,
	    e->nrows);
	e->checked_at = e->used_at = au_time_now();
	*out = e;
	return AU_OK;
}

/* The lazy half of automatic key rotation (oauth_rotation.h): once the
 * entry's keys are due, one run per entry; its changes bump the realm's
 * version, so the caller's version check then rebuilds the entry. */
static void
maybe_rotate(struct au_req *r, struct au_db *db, struct entry *e, int64_t now)
{
	struct au_ctx *ctx = au_req_ctx(r);
	int done, rc;

	if (e->rotation_due == 0 || now < e->rotation_due ||
	    (e->rotation_tried != 0 && now - e->rotation_tried < ROTATION_RETRY))
		return;
	e->rotation_tried = now;
	rc = au_rotation_run(db, r->arena, r->cfg, ctx->master_key,
	    e->view.realm.id, "authio", now, &done);
	if (rc != AU_OK)
		au_log_err("realm %s: key rotation failed: %s",
		    e->view.realm.realm_id, au_strerror(rc));
	else if (done > 0)
		au_log_info("realm %s: key rotation made %d change(s)",
		    e->view.realm.realm_id, done);
}

int
au_realm_get(struct au_req *r, const char *slug,
    const struct au_realm_view **out)
{
	struct au_ctx *ctx = au_req_ctx(r);
	int64_t now = au_time_now();
	struct entry *e = entry_find(ctx->realms, slug);
	struct au_db *db;
	int rc;

	if (e != NULL && now - e->checked_at < r->cfg->cache_ttl) {
		e->used_at = now;
		*out = &e->view;
		return AU_OK;
	}
	rc = au_ctx_db(ctx, &db);
	if (rc != AU_OK)
		return rc;
	if (e != NULL) {
		long long version;

		maybe_rotate(r, db, e, now);
		rc = au_store_realm_config_version(db, r->arena, slug, &version);
		if (rc == AU_OK && version == e->view.realm.config_version) {
			e->checked_at = e->used_at = now;
			*out = &e->view;
			return AU_OK;
		}
		entry_drop(e);
		if (rc != AU_OK)
			return rc;
	}
	rc = entry_load(r, db, slug, &e);
	if (rc != AU_OK)
		return rc;
	*out = &e->view;
	return AU_OK;
}

void
au_realm_forget(struct au_req *r, const char *slug)
{
	struct entry *e = entry_find(au_req_ctx(r)->realms, slug);

	/* Only marked stale: the current request may still hold views into
	 * the entry.  The next lookup re-reads the version, finds it moved
	 * and rebuilds. */
	if (e != NULL) {
		e->checked_at = 0;
		e->view.realm.config_version = -1;
	}
}

/* True when a is a better pick than b (NULL: anything is): the later
 * activation, then the later position in the newest-first list (b is
 * earlier in the list, so newer, when activations tie). */
static bool
later(const struct au_signing_key *a, const struct au_signing_key *b)
{
	return b == NULL || a->activated_at > b->activated_at;
}

const struct au_signing_key *
au_realm_signing_key(const struct au_realm_view *v, enum au_alg alg)
{
	const struct au_signing_key *ready = NULL, *previous = NULL;
	const struct au_signing_key *pending = NULL, *k;
	int64_t now = au_time_now();
	int i;

	for (i = 0; i < v->nkeys; i++) {
		k = &v->keys[i];
		if (k->alg != alg)
			continue;
		if (k->activated_at != 0 && k->activated_at <= now) {
			if (k->active && later(k, ready))
				ready = k;
			if (later(k, previous))
				previous = k;
		} else if (k->active && pending == NULL) {
			pending = k;        /* the list is newest first */
		}
	}
	if (ready != NULL)
		return ready;
	return previous != NULL ? previous : pending;
}

bool
au_realm_has_active_key(const struct au_realm_view *v, enum au_alg alg)
{
	int i;

	for (i = 0; i < v->nkeys; i++)
		if (v->keys[i].active && v->keys[i].alg == alg)
			return true;
	return false;
}

const struct au_signing_key *
au_realm_key(const struct au_realm_view *v, const char *kid)
{
	int i;

	for (i = 0; i < v->nkeys; i++)
		if (strcmp(v->keys[i].kid, kid) == 0)
			return &v->keys[i];
	return NULL;
}

/* The client's effective token settings: the realm's, overridden by its
 * tokenSettings (validated by the admin API), and its extra audiences. */
static void
token_settings(struct au_arena *a, const struct au_realm_view *v,
    struct au_cached_client *cc)
{
	struct json_object *o = NULL, *aud;
	size_t i, n;

	cc->tokens = v->tokens;
	if (cc->c.token_settings != NULL)
		o = json_tokener_parse(cc->c.token_settings);
	if (o != NULL && json_object_is_type(o, json_type_object)) {
		au_settings_tokens_override(&cc->tokens, o);
		if (json_object_object_get_ex(o, "audience", &aud) &&
		    json_object_is_type(aud, json_type_array) &&
		    (n = json_object_array_length(aud)) > 0) {
			cc->audience = au_arena_calloc(a, n * sizeof(char *));
			for (i = 0; i < n; i++)
				cc->audience[cc->naudience++] =
				    au_arena_strdup(a, json_object_get_string(
				    json_object_array_get_idx(aud, i)));
		}
	}
	json_object_put(o);
	cc->signing_alg = au_alg_parse(cc->tokens.signing_alg);
	if (cc->signing_alg == AU_ALG_UNKNOWN)
		cc->signing_alg = AU_ALG_RS256;
}

/* Loads a client with everything a token needs, into the entry arena. */
static int
client_load(struct au_db *db, struct au_arena *a,
    const struct au_realm_view *v, const char *client_id,
    struct au_cached_client **out)
{
	struct au_cached_client *cc = au_arena_calloc(a, sizeof(*cc));
	struct au_client *c;
	int rc;

	rc = au_store_client_find(db, a, v->realm.id, client_id, &c);
	if (rc != AU_OK)
		return rc;
	cc->c = *c;
	token_settings(a, v, cc);
	rc = au_store_secret_live(db, a, AU_SECRET_CLIENT, c->id, au_time_now(),
	    &cc->secrets, &cc->nsecrets);
	if (rc == AU_OK)
		rc = au_store_role_effective(db, a, "client", c->id,
		    &cc->roles);
	/* scopes and registered URIs (exact match at /authorize): one query */
	if (rc == AU_OK)
		rc = au_store_client_load_lists(db, a, &cc->c, 1);
	if (rc != AU_OK)
		return rc;
	cc->default_scopes = cc->c.lists[AU_CL_DEFAULT_SCOPES];
	cc->ndefault = cc->c.nlists[AU_CL_DEFAULT_SCOPES];
	cc->optional_scopes = cc->c.lists[AU_CL_OPTIONAL_SCOPES];
	cc->noptional = cc->c.nlists[AU_CL_OPTIONAL_SCOPES];
	*out = cc;
	return AU_OK;
}

int
au_realm_client(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const struct au_cached_client **out)
{
	struct au_ctx *ctx = au_req_ctx(r);
	struct entry *e = entry_find(ctx->realms, v->realm.realm_id);
	struct au_cached_client *cc;
	struct au_client *probe;
	struct au_db *db;
	int rc;

	if (e == NULL || &e->view != v)
		return AU_EINTERNAL;
	for (cc = e->view.clients; cc != NULL; cc = cc->next)
		if (strcmp(cc->c.client_id, client_id) == 0) {
			*out = cc;
			return AU_OK;
		}
	rc = au_ctx_db(ctx, &db);
	if (rc != AU_OK)
		return rc;
	/* probe in the request arena first: misses must not grow the cache */
	rc = au_store_client_find(db, r->arena, v->realm.id, client_id,
	    &probe);
	if (rc != AU_OK)
		return rc;
	if (e->nclients >= MAX_CLIENTS_PER_REALM) {
		/* load into the request arena instead of growing the cache */
		rc = client_load(db, r->arena, v, client_id, &cc);
		if (rc == AU_OK)
			*out = cc;
		return rc;
	}
	rc = client_load(db, e->arena, v, client_id, &cc);
	if (rc != AU_OK)
		return rc;
	cc->next = e->view.clients;
	e->view.clients = cc;
	e->nclients++;
	*out = cc;
	return AU_OK;
}

/* Loads a consumer with its live secrets and effective roles, into the
 * entry arena. */
static int
consumer_load(struct au_db *db, struct au_arena *a, const char *realm_uuid,
    const char *consumer_id, struct au_cached_consumer **out)
{
	struct au_cached_consumer *cc = au_arena_calloc(a, sizeof(*cc));
	struct au_consumer *c;
	int rc;

	rc = au_store_consumer_find(db, a, realm_uuid, consumer_id, &c);
	if (rc != AU_OK)
		return rc;
	cc->c = *c;
	rc = au_store_secret_live(db, a, AU_SECRET_CONSUMER, c->id,
	    au_time_now(), &cc->secrets, &cc->nsecrets);
	if (rc == AU_OK)
		rc = au_store_role_effective(db, a, "consumer", c->id, &cc->roles);
	if (rc == AU_OK)
		*out = cc;
	return rc;
}

int
au_realm_consumer(struct au_req *r, const struct au_realm_view *v,
    const char *consumer_id, const struct au_cached_consumer **out)
{
	struct au_ctx *ctx = au_req_ctx(r);
	struct entry *e = entry_find(ctx->realms, v->realm.realm_id);
	struct au_cached_consumer *cc;
	struct au_consumer *probe;
	struct au_db *db;
	int rc;

	if (e == NULL || &e->view != v)
		return AU_EINTERNAL;
	for (cc = e->view.consumers; cc != NULL; cc = cc->next)
		if (strcmp(cc->c.consumer_id, consumer_id) == 0) {
			*out = cc;
			return AU_OK;
		}
	rc = au_ctx_db(ctx, &db);
	if (rc != AU_OK)
		return rc;
	/* as for clients: probe in the request arena, so that misses do not
	 * grow the cache, and stop caching at the same bound */
	rc = au_store_consumer_find(db, r->arena, v->realm.id, consumer_id,
	    &probe);
	if (rc != AU_OK)
		return rc;
	if (e->nconsumers >= MAX_CLIENTS_PER_REALM) {
		rc = consumer_load(db, r->arena, v->realm.id, consumer_id, &cc);
		if (rc == AU_OK)
			*out = cc;
		return rc;
	}
	rc = consumer_load(db, e->arena, v->realm.id, consumer_id, &cc);
	if (rc != AU_OK)
		return rc;
	cc->next = e->view.consumers;
	e->view.consumers = cc;
	e->nconsumers++;
	*out = cc;
	return AU_OK;
}

int
au_realm_user_roles(struct au_req *r, const struct au_realm_view *v,
    const char *user_uuid, const struct au_role_set **out)
{
	struct au_ctx *ctx = au_req_ctx(r);
	struct entry *e = entry_find(ctx->realms, v->realm.realm_id);
	struct user_roles *u;
	struct au_arena *a;
	struct au_db *db;
	int rc;

	if (e == NULL || &e->view != v)
		return AU_EINTERNAL;
	for (u = e->users; u != NULL; u = u->next)
		if (strcmp(u->user_id, user_uuid) == 0) {
			*out = &u->roles;
			return AU_OK;
		}
	rc = au_ctx_db(ctx, &db);
	if (rc != AU_OK)
		return rc;
	/* past the bound, into the request arena: the cache stops growing */
	a = e->nusers < MAX_USERS_PER_REALM ? e->arena : r->arena;
	u = au_arena_calloc(a, sizeof(*u));
	rc = au_store_role_effective(db, a, "user", user_uuid, &u->roles);
	if (rc != AU_OK)
		return rc;
	if (a == e->arena) {
		u->user_id = au_arena_strdup(a, user_uuid);
		u->next = e->users;
		e->users = u;
		e->nusers++;
	}
	*out = &u->roles;
	return AU_OK;
}
