/* test_store.c — the store layer against a real MariaDB: realms, clients
 * (their URIs, scopes and assigned users), consumers, scopes, secrets,
 * keys, roles, users, settings, and the cascade of a realm's deletion. */
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_jws.h"
#include "crypto/crypto_seal.h"
#include "db/db_conn.h"
#include "oauth/oauth_keys.h"
#include "store/store_client.h"
#include "store/store_consumer.h"
#include "store/store_event.h"
#include "store/store_key.h"
#include "store/store_login.h"
#include "store/store_realm.h"
#include "store/store_refresh.h"
#include "store/store_role.h"
#include "store/store_scope.h"
#include "store/store_secret.h"
#include "store/store_user.h"
#include "store/store_settings.h"
#include "store/store_token.h"
#include "store_env.h"
#include "../unit/au_test.h"

static struct au_db *db;
static struct au_arena *a;
static unsigned char master[AU_MASTER_KEY_LEN];

static int
suite_init(void)
{
	db = au_test_db_open_fresh();
	a = au_arena_new();
	au_rand_bytes(master, sizeof(master));
	return 0;
}

static int
suite_clean(void)
{
	au_arena_free(a);
	au_test_db_close(db);
	return 0;
}

static struct au_realm *
new_realm(const char *slug)
{
	struct au_realm *r = au_arena_calloc(a, sizeof(*r));

	r->realm_id = (char *)slug;
	r->name = "Name";
	r->description = "Desc";
	r->status = "active";
	CU_ASSERT_EQUAL_FATAL(au_store_realm_insert(db, a, r), AU_OK);
	return r;
}

static struct au_client *
new_client(struct au_realm *realm, const char *client_id)
{
	struct au_client *c = au_arena_calloc(a, sizeof(*c));

	c->realm_uuid = realm->id;
	c->client_id = (char *)client_id;
	c->name = "App";
	c->description = "";
	c->type = "confidential";
	c->enabled = true;
	c->grant_types = "client_credentials";
	c->token_endpoint_auth_method = "client_secret_basic";
	c->user_access = "all";
	CU_ASSERT_EQUAL_FATAL(au_store_client_insert(db, a, c), AU_OK);
	return c;
}

static void
test_realm_crud(void)
{
	struct au_realm *r = new_realm("crud-realm"), *found, *items, dup = *r;
	long long total, clients, users;
	int n;

	CU_ASSERT_EQUAL(strlen(r->id), 36);
	CU_ASSERT_EQUAL(au_store_realm_insert(db, a, &dup), AU_EDUP);
	CU_ASSERT_EQUAL(au_store_realm_find(db, a, "crud-realm", &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->name, "Name");
	CU_ASSERT_EQUAL(found->version, 1);
	CU_ASSERT_EQUAL(au_store_realm_find(db, a, "nope", &found), AU_ENOTFOUND);
	found->name = "Renamed";
	CU_ASSERT_EQUAL(au_store_realm_update(db, found, 1), AU_OK);
	CU_ASSERT_EQUAL(au_store_realm_update(db, found, 1), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_store_realm_find(db, a, "crud-realm", &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->name, "Renamed");
	CU_ASSERT_EQUAL(found->version, 2);
	CU_ASSERT_EQUAL(found->config_version, 2);
	CU_ASSERT_EQUAL(au_store_realm_list(db, a, "crud-", 0, 10, &items, &n,
	    &total), AU_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(total, 1);
	/* LIKE metacharacters in the prefix are literal */
	CU_ASSERT_EQUAL(au_store_realm_list(db, a, "crud_", 0, 10, &items, &n,
	    &total), AU_OK);
	CU_ASSERT_EQUAL(total, 0);
	CU_ASSERT_EQUAL(au_store_realm_stats(db, a, r->id, &clients, &users),
	    AU_OK);
	CU_ASSERT_EQUAL(clients, 0);
	CU_ASSERT_EQUAL(au_store_realm_delete(db, "crud-realm"), AU_OK);
	CU_ASSERT_EQUAL(au_store_realm_delete(db, "crud-realm"), AU_ENOTFOUND);
}

static void
test_client_namespace_and_scopes(void)
{
	struct au_realm *r = new_realm("client-realm");
	struct au_client *c = new_client(r, "svc"), *found, dup;
	const char *missing = NULL;
	char *names[] = { "email", "profile" }, *bad[] = { "nope" }, **got;
	int n;

	dup = *c;
	CU_ASSERT_EQUAL(au_store_client_insert(db, a, &dup), AU_EDUP);
	CU_ASSERT_EQUAL(au_store_client_find(db, a, r->id, "svc", &found), AU_OK);
	CU_ASSERT_TRUE(found->enabled);
	CU_ASSERT_STRING_EQUAL(found->grant_types, "client_credentials");
	CU_ASSERT_EQUAL(au_store_client_set_scopes(db, a, c, "default", names, 2,
	    &missing), AU_OK);
	CU_ASSERT_EQUAL(au_store_client_scopes(db, a, c->id, "default", &got,
	    &n), AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(got[0], "email");
	CU_ASSERT_EQUAL(au_store_client_set_scopes(db, a, c, "optional", bad, 1,
	    &missing), AU_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(missing, "nope");
}

static struct au_scope *
new_scope(const char *realm_uuid, const char *name, bool *shadow, int *rc)
{
	struct au_scope *s = au_arena_calloc(a, sizeof(*s));

	s->realm_uuid = (char *)realm_uuid;
	s->name = (char *)name;
	s->description = "";
	s->claims = "[{\"claim\":\"t\",\"source\":\"static\",\"value\":\"v\","
	    "\"inIdToken\":true,\"inAccessToken\":true,\"inUserinfo\":true}]";
	s->include_in_token = true;
	*rc = au_store_scope_insert(db, a, s, shadow);
	return s;
}

static void
test_scopes_owners_and_shadowing(void)
{
	struct au_realm *r = new_realm("scope-realm"), *r2 = new_realm("scope-two");
	struct au_client *c = new_client(r, "scoped"), *fresh;
	struct au_scope *s, *found, *items;
	char *names[] = { "billing", "openid" };
	const char *missing;
	long long total;
	bool shadow;
	int rc, n, i, seen = 0;

	s = new_scope(r->id, "billing", &shadow, &rc);
	CU_ASSERT_EQUAL(rc, AU_OK);
	CU_ASSERT_FALSE(shadow);
	new_scope(r->id, "billing", &shadow, &rc);
	CU_ASSERT_EQUAL(rc, AU_EDUP);
	CU_ASSERT_FALSE(shadow);
	new_scope(r2->id, "billing", &shadow, &rc);
	CU_ASSERT_EQUAL(rc, AU_OK);
	/* a realm scope cannot take a global name, nor a global one a realm's */
	new_scope(r->id, "email", &shadow, &rc);
	CU_ASSERT_EQUAL(rc, AU_EDUP);
	CU_ASSERT_TRUE(shadow);
	new_scope(NULL, "billing", &shadow, &rc);
	CU_ASSERT_EQUAL(rc, AU_EDUP);
	CU_ASSERT_TRUE(shadow);
	CU_ASSERT_EQUAL(au_store_scope_find(db, a, NULL, "billing", &found),
	    AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_scope_find(db, a, r->id, "billing", &found),
	    AU_OK);
	CU_ASSERT_STRING_EQUAL(found->claims, s->claims);
	CU_ASSERT_EQUAL(au_store_scope_find(db, a, NULL, "profile", &found),
	    AU_OK);
	CU_ASSERT_PTR_NULL(found->realm_uuid);
	CU_ASSERT_EQUAL(au_store_scope_list(db, a, r->id, "bil", 0, 10, &items,
	    &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 1);
	/* global and realm scopes together, by name */
	CU_ASSERT_EQUAL(au_store_scope_published(db, a, r->id, &items, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 7);
	for (i = 0; i < n; i++)
		seen += strcmp(items[i].name, "billing") == 0;
	CU_ASSERT_EQUAL(seen, 1);
	s->description = "changed";
	CU_ASSERT_EQUAL(au_store_scope_update(db, s, 1), AU_OK);
	CU_ASSERT_EQUAL(au_store_scope_update(db, s, 1), AU_ECONFLICT);
	/* deleting a scope removes it from clients and bumps their version */
	CU_ASSERT_EQUAL(au_store_client_set_scopes(db, a, c, "default", names, 2,
	    &missing), AU_OK);
	CU_ASSERT_EQUAL(au_store_scope_delete(db, r->id, "billing", 1),
	    AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_store_scope_delete(db, r->id, "billing", 2), AU_OK);
	CU_ASSERT_EQUAL(au_store_scope_delete(db, r->id, "billing", 0),
	    AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_client_find(db, a, r->id, "scoped", &fresh),
	    AU_OK);
	CU_ASSERT_EQUAL(fresh->version, 2);
	CU_ASSERT_EQUAL(au_store_client_load_lists(db, a, fresh, 1), AU_OK);
	CU_ASSERT_EQUAL(fresh->nlists[AU_CL_DEFAULT_SCOPES], 1);
	CU_ASSERT_STRING_EQUAL(fresh->lists[AU_CL_DEFAULT_SCOPES][0], "openid");
}

static void
test_client_lists_and_users(void)
{
	struct au_realm *r = new_realm("lists-realm"), *r2 = new_realm("lists-b");
	struct au_client *c1 = new_client(r, "one"), *c2 = new_client(r, "two");
	struct au_client pair[2];
	struct au_client_user *users;
	char *uris[] = { "https://b.example/cb", "https://a.example/cb" };
	char *origin[] = { "https://a.example" }, **got;
	char *ids[2], *foreign[1];
	long long total;
	int n, missing = -1;

	CU_ASSERT_EQUAL(au_store_client_set_uris(db, a, c1->id, "redirect", uris,
	    2), AU_OK);
	CU_ASSERT_EQUAL(au_store_client_set_uris(db, a, c2->id, "web_origin",
	    origin, 1), AU_OK);
	CU_ASSERT_EQUAL(au_store_client_uris(db, a, c1->id, "redirect", &got, &n),
	    AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(got[0], "https://b.example/cb");
	/* the same URI twice is refused by its hash */
	uris[1] = uris[0];
	CU_ASSERT_EQUAL(au_store_client_set_uris(db, a, c1->id, "redirect", uris,
	    2), AU_EDUP);
	pair[0] = *c2;
	pair[1] = *c1;
	CU_ASSERT_EQUAL(au_store_client_load_lists(db, a, pair, 2), AU_OK);
	CU_ASSERT_EQUAL(pair[1].nlists[AU_CL_REDIRECT], 2);
	CU_ASSERT_STRING_EQUAL(pair[1].lists[AU_CL_REDIRECT][1],
	    "https://a.example/cb");
	CU_ASSERT_EQUAL(pair[1].nlists[AU_CL_WEB_ORIGIN], 0);
	CU_ASSERT_EQUAL(pair[0].nlists[AU_CL_WEB_ORIGIN], 1);
	CU_ASSERT_EQUAL(pair[0].nlists[AU_CL_REDIRECT], 0);

	ids[0] = "11111111-2222-4333-8444-555555555555";
	ids[1] = "11111111-2222-4333-8444-666666666666";
	foreign[0] = "11111111-2222-4333-8444-777777777777";
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO users (id, realm_id, "
	    "username, created_at, updated_at) VALUES (?, ?, 'zed', NOW(), NOW()), "
	    "(?, ?, 'amy', NOW(), NOW()), (?, ?, 'other', NOW(), NOW())",
	    AU_DB_ARGS(AU_DB_STR(ids[0]), AU_DB_STR(r->id), AU_DB_STR(ids[1]),
	    AU_DB_STR(r->id), AU_DB_STR(foreign[0]), AU_DB_STR(r2->id)), NULL),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_client_users_change(db, a, r->id, c1->id, true,
	    ids, 2, &missing), AU_OK);
	CU_ASSERT_EQUAL(au_store_client_users_change(db, a, r->id, c1->id, true,
	    ids, 2, &missing), AU_OK);
	CU_ASSERT_EQUAL(au_store_client_users_change(db, a, r->id, c1->id, true,
	    foreign, 1, &missing), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(au_store_client_user_list(db, a, c1->id, NULL, 0, 10,
	    &users, &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 2);
	CU_ASSERT_STRING_EQUAL(users[0].username, "amy");
	CU_ASSERT_EQUAL(au_store_client_users_change(db, a, r->id, c1->id, false,
	    ids, 1, &missing), AU_OK);
	CU_ASSERT_EQUAL(au_store_client_user_list(db, a, c1->id, "", 0, 10,
	    &users, &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 1);
	CU_ASSERT_STRING_EQUAL(users[0].username, "amy");
}

static void
test_secrets_live_and_expired(void)
{
	struct au_realm *r = new_realm("secret-realm");
	struct au_client *c = new_client(r, "svc");
	struct au_secret s1 = { 0 }, s2 = { 0 }, *live;
	int n;

	s1.hash = au_secret_hash(a, "first");
	s1.label = "one";
	s2.hash = au_secret_hash(a, "second");
	s2.label = "expired";
	s2.expires_at = au_time_now() + 2;
	CU_ASSERT_EQUAL(au_store_secret_insert(db, a, r->id, AU_SECRET_CLIENT,
	    c->id, &s1), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_insert(db, a, r->id, AU_SECRET_CLIENT,
	    c->id, &s2), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_live(db, a, AU_SECRET_CLIENT, c->id,
	    au_time_now(), &live, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(au_store_secret_live(db, a, AU_SECRET_CLIENT, c->id,
	    au_time_now() + 10, &live, &n), AU_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_TRUE(au_secret_verify("first", live[0].hash));
	/* no owner at all violates the schema's check */
	CU_ASSERT_NOT_EQUAL(au_store_secret_insert(db, a, r->id,
	    AU_SECRET_CLIENT, NULL, &s1), AU_OK);
}

static void
test_secret_revoke_and_expire(void)
{
	struct au_realm *r = new_realm("revoke-realm");
	struct au_client *c = new_client(r, "svc");
	struct au_secret s = { 0 }, next = { 0 }, *items, *found;
	int64_t now = au_time_now();
	int n;

	s.hash = au_secret_hash(a, "old");
	s.label = "old";
	CU_ASSERT_EQUAL_FATAL(au_store_secret_insert(db, a, r->id,
	    AU_SECRET_CLIENT, c->id, &s), AU_OK);
	next.hash = au_secret_hash(a, "new");
	next.label = "new";
	next.rotated_from = s.id;
	CU_ASSERT_EQUAL_FATAL(au_store_secret_insert(db, a, r->id,
	    AU_SECRET_CLIENT, c->id, &next), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, AU_SECRET_CLIENT, c->id,
	    next.id, &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->rotated_from, s.id);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, AU_SECRET_CLIENT, c->id,
	    "x'; --", &found), AU_ENOTFOUND);
	/* an expiry only ever moves earlier */
	CU_ASSERT_EQUAL(au_store_secret_expire_by(db, s.id, now + 100), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_expire_by(db, s.id, now + 1000), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, AU_SECRET_CLIENT, c->id,
	    s.id, &found), AU_OK);
	CU_ASSERT_EQUAL(found->expires_at, now + 100);
	CU_ASSERT_EQUAL(au_store_secret_revoke(db, AU_SECRET_CLIENT, c->id,
	    next.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_revoke(db, AU_SECRET_CLIENT, c->id,
	    next.id), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_secret_list(db, a, AU_SECRET_CLIENT, c->id,
	    &items, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(au_store_secret_live(db, a, AU_SECRET_CLIENT, c->id,
	    now + 200,
	    &items, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 0);
}

static void
test_keys_sealed_and_usable(void)
{
	struct au_realm *r = new_realm("key-realm");
	struct au_key_row *keys;
	struct au_jws jws;
	au_pkey *pk = NULL;
	char *jwt;
	int n, i, rsa = 0, ec = 0;

	CU_ASSERT_EQUAL_FATAL(au_keys_provision_realm(db, a, master, r->id), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_key_published(db, a, r->id, &keys, &n),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	for (i = 0; i < n; i++) {
		rsa += strcmp(keys[i].alg, "RS256") == 0;
		ec += strcmp(keys[i].alg, "ES256") == 0;
		CU_ASSERT_PTR_NULL(strstr(keys[i].public_jwk, "\"d\""));
		CU_ASSERT_STRING_EQUAL(keys[i].status, "active");
	}
	CU_ASSERT_EQUAL(rsa, 1);
	CU_ASSERT_EQUAL(ec, 1);
	/* the sealed blob opens only with its kid and signs */
	CU_ASSERT_EQUAL(au_unseal_pkey(a, master, keys[0].sealed,
	    keys[0].sealed_len, "other-kid", &pk), AU_EDENIED);
	CU_ASSERT_EQUAL_FATAL(au_unseal_pkey(a, master, keys[0].sealed,
	    keys[0].sealed_len, keys[0].kid, &pk), AU_OK);
	CU_ASSERT_EQUAL(au_jws_sign(a, pk, au_alg_parse(keys[0].alg),
	    keys[0].kid, "at+jwt", "{}", 2, &jwt), AU_OK);
	CU_ASSERT_EQUAL(au_jws_parse(a, jwt, &jws), AU_OK);
	CU_ASSERT_EQUAL(au_jws_verify(&jws, pk), AU_OK);
	au_pkey_free(pk);
}

static void
test_roles_of_client(void)
{
	struct au_realm *r = new_realm("role-realm");
	struct au_client *c = new_client(r, "svc");
	struct au_role_set set;
	char *id, *again;

	CU_ASSERT_EQUAL(au_store_role_ensure_realm(db, a, r->id, "admin", "", &id),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_role_ensure_realm(db, a, r->id, "admin", "",
	    &again), AU_OK);
	CU_ASSERT_STRING_EQUAL(id, again);
	CU_ASSERT_EQUAL(au_store_role_grant_client(db, c->id, id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_grant_client(db, c->id, id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_effective(db, a, "client", c->id, &set),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(set.nrealm, 1);
	CU_ASSERT_STRING_EQUAL(set.realm[0], "admin");
	CU_ASSERT_EQUAL(set.nglobal, 0);
	CU_ASSERT_EQUAL(set.nclients, 0);
}

/* a -> b -> c with a client role and a global role: effective roles are
 * transitive and grouped; links that would close a cycle are refused. */
static void
test_role_composites(void)
{
	struct au_realm *r = new_realm("composite-realm");
	struct au_client *c = new_client(r, "app");
	struct au_role ra = { 0 }, rb = { 0 }, rc = { 0 }, cr = { 0 }, g = { 0 };
	struct au_role_set set;
	struct au_role_member *m;
	long long total;
	int n;

	ra.realm_uuid = rb.realm_uuid = rc.realm_uuid = cr.realm_uuid = r->id;
	cr.client_uuid = c->id;
	ra.name = "a", rb.name = "b", rc.name = "c", cr.name = "read";
	g.name = "store-test-global";
	ra.description = rb.description = rc.description = cr.description =
	    g.description = "";
	CU_ASSERT_EQUAL(au_store_role_insert(db, a, &ra), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_insert(db, a, &rb), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_insert(db, a, &rc), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_insert(db, a, &cr), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_role_insert(db, a, &g), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_insert(db, a, &(struct au_role){
	    .realm_uuid = r->id, .name = "a", .description = "" }), AU_EDUP);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, ra.id, rb.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, rb.id, rc.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, rb.id, rc.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, rc.id, cr.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, rc.id, g.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, rc.id, ra.id),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_store_role_composite_add(db, a, ra.id, ra.id),
	    AU_EINVAL);
	CU_ASSERT_EQUAL(au_store_role_map(db, "client", c->id, ra.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_effective(db, a, "client", c->id, &set),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(set.nrealm, 3);
	CU_ASSERT_STRING_EQUAL(set.realm[0], "a");
	CU_ASSERT_STRING_EQUAL(set.realm[2], "c");
	CU_ASSERT_EQUAL_FATAL(set.nglobal, 1);
	CU_ASSERT_STRING_EQUAL(set.global[0], "store-test-global");
	CU_ASSERT_EQUAL_FATAL(set.nclients, 1);
	CU_ASSERT_STRING_EQUAL(set.clients[0].client_id, "app");
	CU_ASSERT_EQUAL_FATAL(set.clients[0].n, 1);
	CU_ASSERT_STRING_EQUAL(set.clients[0].names[0], "read");
	CU_ASSERT_EQUAL(au_store_role_members(db, a, rc.id, r->id, 0, 10, &m, &n,
	    &total), AU_OK);
	CU_ASSERT_EQUAL(total, 0);
	CU_ASSERT_EQUAL(au_store_role_delete(db, rb.id, 0), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_effective(db, a, "client", c->id, &set),
	    AU_OK);
	CU_ASSERT_EQUAL(set.nrealm, 1);
	CU_ASSERT_EQUAL(set.nglobal, 0);
	CU_ASSERT_EQUAL(au_store_role_delete(db, g.id, 0), AU_OK);
}

static long long
count_rows(const char *sql, const char *id)
{
	char **row;

	if (au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(id)), &row) != AU_OK)
		return -1;
	return strtoll(row[0], NULL, 10);
}

static void
test_realm_delete_cascades(void)
{
	struct au_realm *r = new_realm("gone-realm");
	struct au_client *c = new_client(r, "svc");
	struct au_secret s = { 0 };
	char *role;

	s.hash = au_secret_hash(a, "x");
	s.label = "";
	CU_ASSERT_EQUAL(au_store_secret_insert(db, a, r->id, AU_SECRET_CLIENT,
	    c->id, &s), AU_OK);
	CU_ASSERT_EQUAL(au_keys_provision_realm(db, a, master, r->id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_ensure_realm(db, a, r->id, "x", "", &role),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_realm_delete(db, "gone-realm"), AU_OK);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM clients WHERE realm_id = ?",
	    r->id), 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM secrets WHERE realm_id = ?",
	    r->id), 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM signing_keys WHERE "
	    "realm_id = ?", r->id), 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM roles WHERE realm_id = ?",
	    r->id), 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM principal_names WHERE "
	    "realm_id = ?", r->id), 0);
}

static struct au_user *
new_user(struct au_realm *realm, const char *username, const char *email,
    int expect)
{
	struct au_user *u = au_arena_calloc(a, sizeof(*u));
	const char *dup = NULL;

	u->realm_uuid = realm->id;
	u->username = (char *)username;
	u->email = (char *)email;
	u->first_name = "";
	u->last_name = "";
	u->enabled = true;
	u->required_actions = "";
	CU_ASSERT_EQUAL(au_store_user_insert(db, a, u, &dup), expect);
	if (expect == AU_EDUP)
		CU_ASSERT_PTR_NOT_NULL(dup);
	return u;
}

static void
test_users_unique_lookup_and_list(void)
{
	struct au_realm *r = new_realm("user-realm"), *other;
	struct au_user *alice, *bob, *found, *items, dup, upd;
	const char *field = NULL;
	long long total;
	int n;

	alice = new_user(r, "alice", "Alice@Example.com", AU_OK);
	CU_ASSERT_EQUAL(strlen(alice->id), 36);
	CU_ASSERT_EQUAL(alice->version, 1);
	/* the collation compares case-insensitively; the field is named */
	dup = *alice;
	dup.username = "ALICE";
	dup.email = NULL;
	CU_ASSERT_EQUAL(au_store_user_insert(db, a, &dup, &field), AU_EDUP);
	CU_ASSERT_STRING_EQUAL(field, "username");
	dup = *alice;
	dup.username = "alias";
	dup.email = "alice@EXAMPLE.com";
	CU_ASSERT_EQUAL(au_store_user_insert(db, a, &dup, &field), AU_EDUP);
	CU_ASSERT_STRING_EQUAL(field, "email");
	bob = new_user(r, "bob", NULL, AU_OK);
	new_user(r, "carol", NULL, AU_OK);          /* NULL emails never collide */
	other = new_realm("user-realm-2");
	new_user(other, "alice", "alice@example.com", AU_OK);

	CU_ASSERT_EQUAL(au_store_user_find_by_email(db, a, r->id,
	    "ALICE@example.COM", &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->id, alice->id);
	CU_ASSERT_FALSE(found->password_set);
	CU_ASSERT_EQUAL(au_store_user_find_by_username(db, a, r->id, "bob",
	    &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->id, bob->id);
	CU_ASSERT_PTR_NULL(found->email);
	CU_ASSERT_EQUAL(au_store_user_find(db, a, r->id, "not-a-uuid", &found),
	    AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_user_find(db, a, other->id, bob->id, &found),
	    AU_ENOTFOUND);

	CU_ASSERT_EQUAL(au_store_user_list(db, a, r->id, NULL, 0, 10, &items, &n,
	    &total), AU_OK);
	CU_ASSERT_EQUAL(total, 3);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(items[0].username, "alice");
	CU_ASSERT_STRING_EQUAL(items[2].username, "carol");
	CU_ASSERT_EQUAL(au_store_user_list(db, a, r->id, "alice@", 0, 10, &items,
	    &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 1);
	CU_ASSERT_EQUAL(au_store_user_list(db, a, r->id, "_", 0, 10, &items, &n,
	    &total), AU_OK);
	CU_ASSERT_EQUAL(total, 0);
	CU_ASSERT_EQUAL(au_store_user_list(db, a, r->id, "", 1, 1, &items, &n,
	    &total), AU_OK);
	CU_ASSERT_EQUAL(total, 3);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(items[0].username, "bob");

	/* updates check the version and both unique values */
	upd = *bob;
	upd.email = "bob@example.com";
	CU_ASSERT_EQUAL(au_store_user_update(db, a, &upd, 1, &field), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_update(db, a, &upd, 1, &field),
	    AU_ECONFLICT);
	upd.username = "alice";
	CU_ASSERT_EQUAL(au_store_user_update(db, a, &upd, 0, &field), AU_EDUP);
	CU_ASSERT_STRING_EQUAL(field, "username");
	upd.username = "bob";
	upd.email = "alice@example.com";
	CU_ASSERT_EQUAL(au_store_user_update(db, a, &upd, 0, &field), AU_EDUP);
	CU_ASSERT_STRING_EQUAL(field, "email");
	CU_ASSERT_EQUAL(au_store_user_find(db, a, r->id, bob->id, &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->email, "bob@example.com");
	CU_ASSERT_EQUAL(found->version, 2);

	CU_ASSERT_EQUAL(au_store_user_delete(db, r->id, bob->id, 1), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_store_user_delete(db, r->id, bob->id, 2), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_delete(db, r->id, bob->id, 0), AU_ENOTFOUND);
}

/* au_store_session_live of session ...00n of the fixtures below. */
static bool
session_live(const char *realm_uuid, const char *n, int64_t now, int idle)
{
	bool live = true;
	char *id = au_arena_printf(a, "00000000-0000-4000-8000-00000000000%s",
	    n);

	CU_ASSERT_EQUAL(au_store_session_live(db, a, realm_uuid, id, now,
	    idle, &live), AU_OK);
	return live;
}

/* au_store_refresh_find_use of the fixture token (hash "f" x 64):
 * whether its session is live at now for idle; the token and its user
 * are checked on the way. */
static bool
refresh_session_live(const char *realm_uuid, const char *user_id,
    int64_t now, int idle)
{
	struct au_refresh_use use = { 0 };
	char hash[65];

	memset(hash, 'f', 64);
	hash[64] = '\0';
	CU_ASSERT_EQUAL_FATAL(au_store_refresh_find_use(db, a, realm_uuid,
	    hash, now, idle, &use), AU_OK);
	CU_ASSERT_STRING_EQUAL(use.t->id,
	    "00000000-0000-4000-8000-0000000000f1");
	CU_ASSERT_FALSE(use.t->offline);
	CU_ASSERT_PTR_NOT_NULL_FATAL(use.user);
	CU_ASSERT_STRING_EQUAL(use.user->id, user_id);
	CU_ASSERT_STRING_EQUAL(use.user->username, "dave");
	CU_ASSERT_TRUE(use.user->enabled);
	if (use.session_live)
		CU_ASSERT_EQUAL(use.session_seen_at, now - 5);
	return use.session_live;
}

static void
test_user_password_lockout_and_sessions(void)
{
	static const char phc[] = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw"
	    "$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU";
	struct au_realm *r = new_realm("account-realm");
	struct au_client *c = new_client(r, "app");
	struct au_user *u = new_user(r, "dave", NULL, AU_OK), *found;
	struct au_user_session *items;
	long long total, ended = -1;
	int64_t now = au_time_now();
	int n;

	CU_ASSERT_EQUAL(au_store_user_set_password(db, r->id, u->id, phc,
	    "UPDATE_PASSWORD"), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_find(db, a, r->id, u->id, &found), AU_OK);
	CU_ASSERT_TRUE(found->password_set);
	CU_ASSERT_STRING_EQUAL(found->required_actions, "UPDATE_PASSWORD");
	CU_ASSERT_EQUAL(found->version, 2);
	CU_ASSERT_NOT_EQUAL(found->password_changed_at, 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM user_password_history "
	    "WHERE user_id = ?", u->id), 1);
	CU_ASSERT_EQUAL(au_store_user_set_password(db, r->id, c->id, phc, ""),
	    AU_ENOTFOUND);

	/* a lockout (login will write these) is cleared by unlock */
	CU_ASSERT_EQUAL(au_db_exec(db, "UPDATE users SET failed_logins = 5, "
	    "lockout_count = 2, locked_until = UTC_TIMESTAMP() + INTERVAL 1 HOUR "
	    "WHERE id = ?", AU_DB_ARGS(AU_DB_STR(u->id)), NULL), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_find(db, a, r->id, u->id, &found), AU_OK);
	CU_ASSERT_TRUE(au_user_locked(found, au_time_now()));
	CU_ASSERT_EQUAL(found->failed_logins, 5);
	CU_ASSERT_EQUAL(au_store_user_unlock(db, r->id, u->id), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_find(db, a, r->id, u->id, &found), AU_OK);
	CU_ASSERT_FALSE(au_user_locked(found, au_time_now()));
	CU_ASSERT_EQUAL(found->failed_logins, 0);
	CU_ASSERT_EQUAL(au_db_exec(db, "UPDATE users SET locked_permanently = 1 "
	    "WHERE id = ?", AU_DB_ARGS(AU_DB_STR(u->id)), NULL), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_find(db, a, r->id, u->id, &found), AU_OK);
	CU_ASSERT_TRUE(au_user_locked(found, au_time_now()));
	CU_ASSERT_EQUAL(au_store_user_unlock(db, r->id, u->id), AU_OK);
	CU_ASSERT_EQUAL(count_rows("SELECT locked_permanently + lockout_count + "
	    "(locked_until IS NOT NULL) FROM users WHERE id = ?", u->id), 0);

	/* sessions: one live, one expired, one ended; a refresh token of the
	 * live one is revoked when the sessions end */
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO sessions (id, realm_id, "
	    "user_id, session_hash, auth_time, ip, user_agent, remember_me, "
	    "created_at, last_seen_at, expires_at, ended_at) VALUES "
	    "('00000000-0000-4000-8000-000000000001', ?, ?, REPEAT('1', 64), "
	    "FROM_UNIXTIME(?), '192.0.2.7', 'curl/8', 1, FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?), FROM_UNIXTIME(?), NULL), "
	    "('00000000-0000-4000-8000-000000000002', ?, ?, REPEAT('2', 64), "
	    "FROM_UNIXTIME(?), '', '', 0, FROM_UNIXTIME(?), FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?), NULL), "
	    "('00000000-0000-4000-8000-000000000003', ?, ?, REPEAT('3', 64), "
	    "FROM_UNIXTIME(?), '', '', 0, FROM_UNIXTIME(?), FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?), FROM_UNIXTIME(?))",
	    AU_DB_ARGS(AU_DB_STR(r->id), AU_DB_STR(u->id), AU_DB_INT(now - 60),
	    AU_DB_INT(now - 60), AU_DB_INT(now - 5), AU_DB_INT(now + 3600),
	    AU_DB_STR(r->id), AU_DB_STR(u->id), AU_DB_INT(now - 7200),
	    AU_DB_INT(now - 7200), AU_DB_INT(now - 7200), AU_DB_INT(now - 3600),
	    AU_DB_STR(r->id), AU_DB_STR(u->id), AU_DB_INT(now - 60),
	    AU_DB_INT(now - 60), AU_DB_INT(now - 60), AU_DB_INT(now + 3600),
	    AU_DB_INT(now - 30)), NULL), AU_OK);
	CU_ASSERT_EQUAL(au_db_exec(db, "INSERT INTO refresh_tokens (id, realm_id, "
	    "token_hash, family_id, client_id, user_id, session_id, created_at, "
	    "expires_at, family_expires_at) VALUES ("
	    "'00000000-0000-4000-8000-0000000000f1', ?, REPEAT('f', 64), "
	    "'00000000-0000-4000-8000-0000000000f1', ?, ?, "
	    "'00000000-0000-4000-8000-000000000001', UTC_TIMESTAMP(), "
	    "UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP() + INTERVAL 1 DAY)",
	    AU_DB_ARGS(AU_DB_STR(r->id), AU_DB_STR(c->id), AU_DB_STR(u->id)),
	    NULL), AU_OK);
	CU_ASSERT_EQUAL(au_store_user_sessions(db, a, u->id, now, 0, 50, &items,
	    &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 1);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(items[0].id, "00000000-0000-4000-8000-000000000001");
	CU_ASSERT_STRING_EQUAL(items[0].ip, "192.0.2.7");
	CU_ASSERT_STRING_EQUAL(items[0].user_agent, "curl/8");
	CU_ASSERT_TRUE(items[0].remember_me);
	CU_ASSERT_EQUAL(items[0].created_at, now - 60);
	CU_ASSERT_EQUAL(items[0].last_seen_at, now - 5);
	CU_ASSERT_EQUAL(items[0].expires_at, now + 3600);
	/* a token's sid: live only while not ended, expired or idle */
	CU_ASSERT_TRUE(session_live(r->id, "1", now, 3600));
	CU_ASSERT_FALSE(session_live(r->id, "1", now, 4));
	CU_ASSERT_FALSE(session_live(r->id, "2", now, 3600 * 24));
	CU_ASSERT_FALSE(session_live(r->id, "3", now, 3600));
	CU_ASSERT_FALSE(session_live(c->id, "1", now, 3600));
	/* a refresh reads the same rule joined to its token and user */
	CU_ASSERT_TRUE(refresh_session_live(r->id, u->id, now, 3600));
	CU_ASSERT_FALSE(refresh_session_live(r->id, u->id, now, 4));
	CU_ASSERT_FALSE(refresh_session_live(r->id, u->id, now + 3600, 3600 *
	    24));
	{
		struct au_refresh_use use;
		char hash[65];

		memset(hash, 'f', 64);
		hash[64] = '\0';
		CU_ASSERT_EQUAL(au_store_refresh_find_use(db, a, c->id, hash,
		    now, 3600, &use), AU_ENOTFOUND);
	}
	CU_ASSERT_EQUAL(au_store_user_end_sessions(db, u->id, now, &ended),
	    AU_OK);
	CU_ASSERT_FALSE(refresh_session_live(r->id, u->id, now, 3600));
	CU_ASSERT_EQUAL(ended, 1);
	CU_ASSERT_FALSE(session_live(r->id, "1", now, 3600));
	CU_ASSERT_EQUAL(au_store_user_sessions(db, a, u->id, now, 0, 50, &items,
	    &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM refresh_tokens WHERE "
	    "user_id = ? AND revoked_at IS NOT NULL", u->id), 1);
	/* deleting the user takes its sessions, tokens and history along */
	CU_ASSERT_EQUAL(au_store_user_delete(db, r->id, u->id, 0), AU_OK);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM sessions WHERE "
	    "user_id = ?", u->id), 0);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM user_password_history "
	    "WHERE user_id = ?", u->id), 0);
}

static void
test_consumer_namespace_and_scopes(void)
{
	struct au_realm *r = new_realm("consumer-realm");
	struct au_consumer c = { 0 }, dup, *found, *items;
	char *scopes[] = { "profile", "email" }, *bad[] = { "nope" };
	char *aud[] = { "https://api", "urn:x" };
	const char *missing = NULL;
	long long total;
	int n;

	new_client(r, "svc");
	c.realm_uuid = r->id;
	c.consumer_id = "svc";
	c.name = "Job";
	c.description = "";
	c.enabled = true;
	c.audience = aud;
	c.naudience = 2;
	/* a client's id is taken for consumers, and the other way round */
	CU_ASSERT_EQUAL(au_store_consumer_insert(db, a, &c), AU_EDUP);
	c.consumer_id = "job";
	CU_ASSERT_EQUAL_FATAL(au_store_consumer_insert(db, a, &c), AU_OK);
	dup = c;
	CU_ASSERT_EQUAL(au_store_consumer_insert(db, a, &dup), AU_EDUP);
	CU_ASSERT_EQUAL(au_store_client_insert(db, a, &(struct au_client){
	    .realm_uuid = r->id, .client_id = "job", .name = "", .description = "",
	    .type = "confidential", .grant_types = "", .user_access = "all",
	    .token_endpoint_auth_method = "none" }), AU_EDUP);
	CU_ASSERT_EQUAL(au_store_consumer_set_scopes(db, a, &c, scopes, 2,
	    &missing), AU_OK);
	CU_ASSERT_EQUAL(au_store_consumer_set_scopes(db, a, &c, bad, 1,
	    &missing), AU_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(missing, "nope");
	CU_ASSERT_EQUAL(au_store_consumer_set_scopes(db, a, &c, scopes, 2,
	    &missing), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_consumer_find(db, a, r->id, "job", &found),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(found->nscopes, 2);
	CU_ASSERT_STRING_EQUAL(found->scopes[0], "email");
	CU_ASSERT_EQUAL_FATAL(found->naudience, 2);
	CU_ASSERT_STRING_EQUAL(found->audience[1], "urn:x");
	CU_ASSERT_PTR_NULL(found->last_ip);
	found->name = "Renamed";
	CU_ASSERT_EQUAL(au_store_consumer_update(db, a, found, 1), AU_OK);
	CU_ASSERT_EQUAL(au_store_consumer_update(db, a, found, 1), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_store_consumer_list(db, a, r->id, "jo", 0, 10, &items,
	    &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 1);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(items[0].name, "Renamed");
	CU_ASSERT_EQUAL(items[0].nscopes, 2);
	CU_ASSERT_EQUAL(au_store_consumer_list(db, a, r->id, "sv", 0, 10, &items,
	    &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 0);
	CU_ASSERT_EQUAL(au_store_consumer_delete(db, r->id, "job"), AU_OK);
	CU_ASSERT_EQUAL(au_store_consumer_delete(db, r->id, "job"), AU_ENOTFOUND);
	/* the id is free again */
	new_client(r, "job");
}

static void
test_consumer_secrets_and_usage(void)
{
	struct au_realm *r = new_realm("usage-realm");
	struct au_client *cl = new_client(r, "svc");
	struct au_consumer c = { 0 }, *found;
	struct au_consumer_day *days;
	struct au_secret s = { 0 }, *items;
	int64_t now = au_time_now();
	int n;

	c.realm_uuid = r->id;
	c.consumer_id = "job";
	c.name = c.description = "";
	CU_ASSERT_EQUAL_FATAL(au_store_consumer_insert(db, a, &c), AU_OK);
	s.hash = au_secret_hash(a, "x");
	s.label = "";
	CU_ASSERT_EQUAL_FATAL(au_store_secret_insert(db, a, r->id,
	    AU_SECRET_CONSUMER, c.id, &s), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_live(db, a, AU_SECRET_CONSUMER, c.id, now,
	    &items, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 1);
	/* the owner is part of every lookup */
	CU_ASSERT_EQUAL(au_store_secret_list(db, a, AU_SECRET_CLIENT, cl->id,
	    &items, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, AU_SECRET_CLIENT, c.id, s.id,
	    &items), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_secret_revoke(db, AU_SECRET_CLIENT, cl->id,
	    s.id), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_secret_revoke(db, AU_SECRET_CONSUMER, c.id,
	    s.id), AU_OK);

	CU_ASSERT_EQUAL(au_store_consumer_record_use(db, c.id, "10.0.0.1",
	    now - 86400), AU_OK);
	CU_ASSERT_EQUAL(au_store_consumer_record_use(db, c.id, "10.0.0.1", now),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_consumer_record_use(db, c.id, "::1", now), AU_OK);
	CU_ASSERT_EQUAL(au_store_consumer_usage(db, a, c.id, now, 30, &days),
	    AU_OK);
	CU_ASSERT_EQUAL(days[29].tokens, 2);
	CU_ASSERT_EQUAL(days[28].tokens, 1);
	CU_ASSERT_EQUAL(days[0].tokens, 0);
	CU_ASSERT_EQUAL(strlen(days[0].date), 10);
	CU_ASSERT_TRUE(strcmp(days[0].date, days[29].date) < 0);
	CU_ASSERT_EQUAL_FATAL(au_store_consumer_find(db, a, r->id, "job", &found),
	    AU_OK);
	CU_ASSERT_EQUAL(found->tokens_issued, 3);
	CU_ASSERT_EQUAL(found->last_used_at, now);
	CU_ASSERT_STRING_EQUAL(found->last_ip, "::1");
	/* usage is not an edit */
	CU_ASSERT_EQUAL(found->version, 1);
	CU_ASSERT_EQUAL(au_store_realm_delete(db, "usage-realm"), AU_OK);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM consumer_usage WHERE "
	    "consumer_id = ?", c.id), 0);
}

/* Generate, rotate (old turns passive), retire, delete; the active count
 * that guards the last key of an algorithm. */
static void
test_key_lifecycle(void)
{
	struct au_realm *r = new_realm("key-life");
	struct au_key_row fresh, *old, *items;
	long long total, count;
	int n;

	CU_ASSERT_EQUAL_FATAL(au_keys_provision_realm(db, a, master, r->id), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_key_list(db, a, r->id, "active", NULL, 0,
	    50, &items, &n, &total), AU_OK);
	CU_ASSERT_EQUAL(total, 2);
	CU_ASSERT_EQUAL(items[0].version, 1);
	CU_ASSERT_EQUAL(items[0].sealed_len, 0);     /* lists carry no secrets */
	CU_ASSERT_EQUAL_FATAL(au_store_key_list(db, a, r->id, NULL, NULL, 0, 50,
	    &items, &n, &total), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_key_find(db, a, r->id, items[0].kid, false,
	    &old), AU_OK);
	CU_ASSERT_TRUE(old->sealed_len > 0);
	CU_ASSERT_EQUAL(au_store_key_count_active(db, a, r->id, old->alg,
	    old->kid, &count), AU_OK);
	CU_ASSERT_EQUAL(count, 0);

	CU_ASSERT_EQUAL_FATAL(au_keys_make(a, master, old->alg, "sig", &fresh),
	    AU_OK);
	fresh.created_at = au_time_now();
	fresh.activated_at = fresh.created_at + 10;
	CU_ASSERT_EQUAL(au_keys_rotate(db, a, r->id, old, &fresh, 7),
	    AU_ECONFLICT);
	CU_ASSERT_EQUAL_FATAL(au_keys_rotate(db, a, r->id, old, &fresh, 1), AU_OK);
	CU_ASSERT_STRING_EQUAL(old->status, "passive");
	CU_ASSERT_EQUAL(old->version, 2);
	CU_ASSERT_EQUAL_FATAL(au_store_key_find(db, a, r->id, fresh.kid, false,
	    &items), AU_OK);
	CU_ASSERT_EQUAL(items->activated_at, fresh.activated_at);
	CU_ASSERT_EQUAL(au_store_key_count_active(db, a, r->id, old->alg,
	    old->kid, &count), AU_OK);
	CU_ASSERT_EQUAL(count, 1);

	/* only a retired key is deleted, and only at its version */
	CU_ASSERT_EQUAL(au_store_key_delete(db, r->id, old->kid, 0),
	    AU_ENOTFOUND);
	old->status = "retired";
	old->retired_at = au_time_now();
	CU_ASSERT_EQUAL(au_store_key_update(db, a, r->id, old, 1), AU_ECONFLICT);
	CU_ASSERT_EQUAL_FATAL(au_store_key_update(db, a, r->id, old, 2), AU_OK);
	CU_ASSERT_EQUAL(au_store_key_delete(db, r->id, old->kid, 2), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_store_key_delete(db, r->id, old->kid, 3), AU_OK);
	CU_ASSERT_EQUAL(au_store_key_find(db, a, r->id, old->kid, false, &items),
	    AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_key_client_using(db, a, r->id, "ES256",
	    &fresh.kid), AU_ENOTFOUND);
}

/* Version 1 until written; the first write is version 2; If-Match. */
/* What an export reads and an import writes besides the resources' own
 * functions: a page of users' mappings and hashes in one query each, and
 * secrets restored with their times. */
static void
test_export_reads_and_restores(void)
{
	struct au_realm *r = new_realm("export-realm");
	struct au_client *c = new_client(r, "svc");
	struct au_user u[3] = { { 0 } };
	struct au_role x = { 0 }, y = { 0 }, *roles;
	struct au_secret s = { 0 }, *items;
	const char *dup;
	char *ids[3], **hashes;
	int *owner, n, i;

	x.realm_uuid = y.realm_uuid = r->id;
	x.name = "x";
	y.name = "y";
	x.description = y.description = "";
	CU_ASSERT_EQUAL_FATAL(au_store_role_insert(db, a, &x), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_role_insert(db, a, &y), AU_OK);
	for (i = 0; i < 3; i++) {
		u[i].realm_uuid = r->id;
		u[i].username = au_arena_printf(a, "export-u%d", i);
		u[i].first_name = u[i].last_name = u[i].required_actions = "";
		u[i].enabled = true;
		CU_ASSERT_EQUAL_FATAL(au_store_user_insert(db, a, &u[i], &dup),
		    AU_OK);
		ids[i] = u[i].id;
	}
	/* user 0: y and x; user 1: none; user 2: x */
	CU_ASSERT_EQUAL(au_store_role_map(db, "user", u[0].id, y.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_map(db, "user", u[0].id, x.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_map(db, "user", u[2].id, x.id), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_role_mapped_many(db, a, "user", ids, 3,
	    &roles, &owner, &n), AU_OK);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT(owner[0] == 0 && owner[1] == 0 && owner[2] == 2);
	CU_ASSERT_STRING_EQUAL(roles[0].name, "x");
	CU_ASSERT_STRING_EQUAL(roles[1].name, "y");
	CU_ASSERT_STRING_EQUAL(roles[2].name, "x");
	ids[1] = "not a uuid";
	CU_ASSERT_EQUAL(au_store_role_mapped_many(db, a, "user", ids, 3, &roles,
	    &owner, &n), AU_EINVAL);
	CU_ASSERT_EQUAL(au_store_user_set_password(db, r->id, u[1].id,
	    "$scrypt$x", ""), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_user_password_hashes(db, a, r->id, u, 3,
	    &hashes), AU_OK);
	CU_ASSERT_PTR_NULL(hashes[0]);
	CU_ASSERT_STRING_EQUAL(hashes[1], "$scrypt$x");
	CU_ASSERT_PTR_NULL(hashes[2]);

	s.hash = au_secret_hash(a, "restored");
	s.label = "old one";
	s.created_at = 1700000000;
	s.expires_at = 1800000000;
	s.revoked_at = 1750000000;
	CU_ASSERT_EQUAL_FATAL(au_store_secret_restore(db, a, r->id,
	    AU_SECRET_CLIENT, c->id, &s), AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_secret_list(db, a, AU_SECRET_CLIENT,
	    c->id, &items, &n), AU_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(items[0].created_at, 1700000000);
	CU_ASSERT_EQUAL(items[0].expires_at, 1800000000);
	CU_ASSERT_EQUAL(items[0].revoked_at, 1750000000);
	CU_ASSERT_STRING_EQUAL(items[0].hash, s.hash);
}

static void
test_settings_versions(void)
{
	struct au_realm *r = new_realm("settings-realm");
	struct au_token_settings t;
	long long version;
	int64_t updated;
	char *text;

	CU_ASSERT_EQUAL_FATAL(au_store_settings_raw(db, a, r->id, "tokens", false,
	    &text, &version, &updated), AU_OK);
	CU_ASSERT_PTR_NULL(text);
	CU_ASSERT_EQUAL(version, 1);
	CU_ASSERT_EQUAL(au_store_settings_put(db, a, r->id, "tokens", "{}", 2,
	    &version), AU_ECONFLICT);
	CU_ASSERT_EQUAL_FATAL(au_store_settings_put(db, a, r->id, "tokens",
	    "{\"accessTokenLifetime\": 42}", 1, &version), AU_OK);
	CU_ASSERT_EQUAL(version, 2);
	CU_ASSERT_EQUAL(au_store_settings_put(db, a, r->id, "tokens", "{}", 1,
	    &version), AU_ECONFLICT);
	CU_ASSERT_EQUAL_FATAL(au_store_settings_tokens(db, a, r->id, &t), AU_OK);
	CU_ASSERT_EQUAL(t.access_token_lifetime, 42);
	CU_ASSERT_EQUAL(t.refresh_token_idle, 1800);
	CU_ASSERT_STRING_EQUAL(t.signing_alg, "RS256");
	CU_ASSERT_EQUAL(au_store_settings_put(db, a, r->id, "tokens", "{}", 0,
	    &version), AU_OK);
	CU_ASSERT_EQUAL(version, 3);
	CU_ASSERT_EQUAL_FATAL(au_store_settings_get(db, a, r->id, "tokens", &text,
	    &version), AU_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"accessTokenLifetime\":300"));
	CU_ASSERT_EQUAL(au_store_settings_get(db, a, r->id, "nope", &text,
	    &version), AU_ENOTFOUND);
}

/* Revocation by jti (idempotent, one lookup) and single-use assertion
 * jtis per client; expired rows go when new ones arrive. */
static void
test_revoked_tokens_and_assertion_jtis(void)
{
	struct au_realm *r = new_realm("token-realm");
	struct au_client *c1 = new_client(r, "jti-one");
	struct au_client *c2 = new_client(r, "jti-two");
	int64_t now = au_time_now();
	const char *h = "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	bool gone = true;

	CU_ASSERT_EQUAL(au_store_token_revoked(db, a, "jti-a", &gone), AU_OK);
	CU_ASSERT_FALSE(gone);
	CU_ASSERT_EQUAL(au_store_token_revoke(db, r->id, "jti-a", now + 60),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_token_revoke(db, r->id, "jti-a", now + 60),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_token_revoked(db, a, "jti-a", &gone), AU_OK);
	CU_ASSERT_TRUE(gone);
	/* an expired revocation is dropped by the next one */
	CU_ASSERT_EQUAL(au_store_token_revoke(db, r->id, "jti-old", now - 5),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_token_revoke(db, r->id, "jti-b", now + 60),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_token_revoked(db, a, "jti-old", &gone), AU_OK);
	CU_ASSERT_FALSE(gone);

	CU_ASSERT_EQUAL(au_store_assertion_jti_use(db, c1->id, h, now + 60),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_assertion_jti_use(db, c1->id, h, now + 60),
	    AU_EDUP);
	/* jtis are per client */
	CU_ASSERT_EQUAL(au_store_assertion_jti_use(db, c2->id, h, now + 60),
	    AU_OK);
	/* an expired one is gone before the next insert of its client */
	CU_ASSERT_EQUAL(au_store_assertion_jti_use(db, c2->id,
	    "ff" "0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcd", now - 1), AU_OK);
	CU_ASSERT_EQUAL(au_store_assertion_jti_use(db, c2->id,
	    "ff" "0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcd", now + 60), AU_OK);
}

/* RP-initiated logout: ending one session revokes its session-bound
 * refresh tokens (not offline ones, nor other sessions'), records the
 * event in the same transaction, and is idempotent. */
static void
test_session_end(void)
{
	struct au_realm *r = new_realm("logout-realm");
	struct au_client *c = new_client(r, "app");
	struct au_user *u = new_user(r, "erin", NULL, AU_OK);
	struct au_user *v = new_user(r, "fred", NULL, AU_OK);
	struct au_session s = { 0 }, t = { 0 };
	struct au_event ev = { 0 };
	int64_t now = au_time_now();
	bool ended = true;
	static const char rt[] = "INSERT INTO refresh_tokens (id, realm_id, "
	    "token_hash, family_id, client_id, user_id, session_id, offline, "
	    "created_at, expires_at, family_expires_at, revoked_at) VALUES "
	    "(?, ?, SHA2(?, 256), ?, ?, ?, ?, ?, UTC_TIMESTAMP(), "
	    "UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP() + INTERVAL 1 DAY, "
	    "IF(? = 0, NULL, FROM_UNIXTIME(?)))";
	const char *ids[4];
	int i;

	s.user_id = u->id;
	s.auth_time = s.created_at = now;
	s.expires_at = now + 3600;
	t = s;
	CU_ASSERT_EQUAL_FATAL(au_store_session_insert(db, a, r->id,
	    au_secret_hash(a, au_rand_token(a, 32)), "192.0.2.1", "ua", &s),
	    AU_OK);
	CU_ASSERT_EQUAL_FATAL(au_store_session_insert(db, a, r->id,
	    au_secret_hash(a, au_rand_token(a, 32)), "", "", &t), AU_OK);
	/* 0: of s; 1: of s, offline; 2: of s, revoked long ago; 3: of t */
	for (i = 0; i < 4; i++) {
		ids[i] = au_rand_uuid(a);
		CU_ASSERT_EQUAL(au_db_exec(db, rt, AU_DB_ARGS(AU_DB_STR(ids[i]),
		    AU_DB_STR(r->id), AU_DB_STR(ids[i]), AU_DB_STR(ids[i]),
		    AU_DB_STR(c->id), AU_DB_STR(u->id),
		    AU_DB_STR(i == 3 ? t.id : s.id), AU_DB_INT(i == 1),
		    AU_DB_INT(i == 2), AU_DB_INT(now - 600)), NULL), AU_OK);
	}

	/* another user's session id ends nothing */
	CU_ASSERT_EQUAL(au_store_session_end(db, a, r->id, s.id, v->id, now,
	    NULL, &ended), AU_OK);
	CU_ASSERT_FALSE(ended);
	CU_ASSERT_EQUAL(au_store_session_end(db, a, r->id, "not-a-uuid", NULL,
	    now, NULL, &ended), AU_OK);
	CU_ASSERT_FALSE(ended);

	ev.realm_uuid = r->id;
	ev.category = "auth";
	ev.type = "logout";
	ev.resource_type = "session";
	ev.resource_id = s.id;
	ev.user_id = u->id;
	CU_ASSERT_EQUAL(au_store_session_end(db, a, r->id, s.id, u->id, now,
	    &ev, &ended), AU_OK);
	CU_ASSERT_TRUE(ended);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM sessions WHERE id = ? "
	    "AND ended_at IS NOT NULL", s.id), 1);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM refresh_tokens WHERE "
	    "id = ? AND revoked_at IS NOT NULL", ids[0]), 1);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM refresh_tokens WHERE "
	    "id = ? AND revoked_at IS NULL", ids[1]), 1);
	CU_ASSERT_EQUAL(count_rows("SELECT UNIX_TIMESTAMP(revoked_at) FROM "
	    "refresh_tokens WHERE id = ?", ids[2]), now - 600);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM refresh_tokens WHERE "
	    "id = ? AND revoked_at IS NULL", ids[3]), 1);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM events WHERE "
	    "resource_id = ? AND type = 'logout'", s.id), 1);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM sessions WHERE id = ? "
	    "AND ended_at IS NULL", t.id), 1);

	/* twice: no error, nothing more recorded */
	CU_ASSERT_EQUAL(au_store_session_end(db, a, r->id, s.id, NULL, now,
	    &ev, &ended), AU_OK);
	CU_ASSERT_FALSE(ended);
	CU_ASSERT_EQUAL(count_rows("SELECT COUNT(*) FROM events WHERE "
	    "resource_id = ? AND type = 'logout'", s.id), 1);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("store", suite_init, suite_clean, AU_T(test_realm_crud),
	    AU_T(test_export_reads_and_restores),
	    AU_T(test_client_namespace_and_scopes),
	    AU_T(test_consumer_namespace_and_scopes),
	    AU_T(test_consumer_secrets_and_usage),
	    AU_T(test_scopes_owners_and_shadowing),
	    AU_T(test_client_lists_and_users),
	    AU_T(test_secrets_live_and_expired),
	    AU_T(test_secret_revoke_and_expire),
	    AU_T(test_keys_sealed_and_usable), AU_T(test_key_lifecycle),
	    AU_T(test_settings_versions), AU_T(test_roles_of_client),
	    AU_T(test_revoked_tokens_and_assertion_jtis),
	    AU_T(test_role_composites),
	    AU_T(test_realm_delete_cascades),
	    AU_T(test_users_unique_lookup_and_list),
	    AU_T(test_user_password_lockout_and_sessions),
	    AU_T(test_session_end));
}

AU_TEST_MAIN(register_tests)
