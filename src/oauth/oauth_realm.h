/* oauth_realm.h — the worker's cache of realms, their keys and clients.
 *
 * A token request must cost at most one small indexed query, or none: a
 * worker keeps, per realm, the realm row, its unsealed signing keys, the
 * JWKS and discovery documents already serialised, and the clients and
 * consumers it has seen with their live secret hashes, roles and scopes,
 * and the effective roles of the users it issued tokens for.  An entry
 * is trusted for
 * cache_ttl seconds; after that one query compares the realm's
 * config_version (bumped by every admin change) and the entry is rebuilt
 * only if it moved.  cache_ttl = 0 checks the version on every request.
 * Each entry owns an arena; dropping an entry frees everything in it,
 * including the EVP_PKEYs (registered as cleanups). */
#ifndef AU_OAUTH_REALM_H
#define AU_OAUTH_REALM_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/crypto_jwk.h"
#include "store/store_client.h"
#include "store/store_consumer.h"
#include "store/store_realm.h"
#include "store/store_role.h"
#include "store/store_scope.h"
#include "store/store_secret.h"
#include "store/store_settings.h"

struct au_req;
struct au_realm_cache;

struct au_signing_key {
	char *kid;
	enum au_alg alg;
	bool active;          /* signs (from activated_at on); passive keys
	                         only verify */
	int64_t activated_at; /* 0 = never */
	au_pkey *pkey;
};

struct au_cached_client {
	struct au_client c;          /* lists loaded: scopes and URIs */
	enum au_alg signing_alg;     /* tokens.signing_alg, parsed */
	struct au_token_settings tokens;  /* effective: the realm's tokens
	                                     document overridden by the
	                                     client's tokenSettings */
	char **audience;             /* tokenSettings.audience: extra aud */
	int naudience;
	struct au_secret *secrets;   /* live at load time */
	int nsecrets;
	struct au_role_set roles;    /* effective roles of its own identity */
	char **default_scopes;
	int ndefault;
	char **optional_scopes;
	int noptional;
	struct au_cached_client *next;
};

struct au_cached_consumer {
	struct au_consumer c;        /* with its allowed scopes and audience */
	struct au_secret *secrets;   /* live at load time */
	int nsecrets;
	struct au_role_set roles;    /* effective roles */
	struct au_cached_consumer *next;
};

struct au_realm_view {
	struct au_realm realm;
	char *issuer;                /* base_url + "/realms/" + realm_id */
	struct au_signing_key *keys; /* sig keys, active and passive */
	int nkeys;
	struct au_token_settings tokens;  /* the realm's tokens document */
	char *jwks_json;
	char *discovery_json;
	struct au_scope *scopes;     /* global and realm scopes, by name */
	int nscopes;
	struct au_cached_client *clients;
	struct au_cached_consumer *consumers;
};

struct au_realm_cache *au_realm_cache_new(void);
void au_realm_cache_free(struct au_realm_cache *c);

/* The realm named slug, from the cache or the database. AU_OK with *out
 * (valid until the end of the request); AU_ENOTFOUND; AU_EDB. */
int au_realm_get(struct au_req *r, const char *slug,
    const struct au_realm_view **out);
/* Makes this worker reload the realm on its next lookup (after an admin
 * change).  Views already handed out stay valid for the request. */
void au_realm_forget(struct au_req *r, const char *slug);

/* The key that signs for alg now (publish before sign, see
 * oauth_keys.h): the newest active key whose activated_at has come; else
 * the most recently activated key of alg, even a passive one (the
 * predecessor of a rotated key keeps signing until its successor may);
 * else, when neither exists (the predecessor was retired early), the
 * newest active key.  NULL when the realm publishes no key for alg.
 * Decided at every call, so a cached view notices activations itself. */
const struct au_signing_key *au_realm_signing_key(
    const struct au_realm_view *v, enum au_alg alg);
/* True when the realm has a key of alg with status active. */
bool au_realm_has_active_key(const struct au_realm_view *v, enum au_alg alg);
/* The published key with this kid, or NULL. */
const struct au_signing_key *au_realm_key(const struct au_realm_view *v,
    const char *kid);

/* A client of the realm with its secrets and roles. AU_OK; AU_ENOTFOUND;
 * AU_EDB. */
int au_realm_client(struct au_req *r, const struct au_realm_view *v,
    const char *client_id, const struct au_cached_client **out);
/* A consumer of the realm with its secrets and allowed scopes (cached
 * like clients). AU_OK; AU_ENOTFOUND; AU_EDB. */
int au_realm_consumer(struct au_req *r, const struct au_realm_view *v,
    const char *consumer_id, const struct au_cached_consumer **out);
/* The effective roles of the realm's user user_uuid (an id read from the
 * database, never a client's input), cached like clients: mapping or
 * unmapping a role, editing a composite, deleting a role or a user all
 * bump the realm's config_version (a global role's bumps every realm's),
 * so a change reaches every worker within cache_ttl -- the bound every
 * other admin change already has, including the roles of a client's own
 * tokens.  Whether the user may still sign in is never cached: callers
 * read the user row.  AU_OK with *out (valid until the end of the
 * request); AU_EDB. */
int au_realm_user_roles(struct au_req *r, const struct au_realm_view *v,
    const char *user_uuid, const struct au_role_set **out);

#endif
