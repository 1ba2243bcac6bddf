/* test_store.c — the store layer against a real MariaDB: realms, clients
 * (their URIs, scopes and assigned users), scopes, secrets, keys, roles,
 * and the cascade of a realm's deletion. */
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
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_role.h"
#include "store/store_scope.h"
#include "store/store_secret.h"
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
	CU_ASSERT_EQUAL(au_store_secret_insert(db, a, r->id, c->id, NULL, &s1),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_insert(db, a, r->id, c->id, NULL, &s2),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_live_for_client(db, a, c->id,
	    au_time_now(), &live, &n), AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(au_store_secret_live_for_client(db, a, c->id,
	    au_time_now() + 10, &live, &n), AU_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_TRUE(au_secret_verify("first", live[0].hash));
	/* no owner at all violates the schema's check */
	CU_ASSERT_NOT_EQUAL(au_store_secret_insert(db, a, r->id, NULL, NULL, &s1),
	    AU_OK);
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
	CU_ASSERT_EQUAL_FATAL(au_store_secret_insert(db, a, r->id, c->id, NULL,
	    &s), AU_OK);
	next.hash = au_secret_hash(a, "new");
	next.label = "new";
	next.rotated_from = s.id;
	CU_ASSERT_EQUAL_FATAL(au_store_secret_insert(db, a, r->id, c->id, NULL,
	    &next), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, c->id, next.id, &found), AU_OK);
	CU_ASSERT_STRING_EQUAL(found->rotated_from, s.id);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, c->id, "x'; --", &found),
	    AU_ENOTFOUND);
	/* an expiry only ever moves earlier */
	CU_ASSERT_EQUAL(au_store_secret_expire_by(db, s.id, now + 100), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_expire_by(db, s.id, now + 1000), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_find(db, a, c->id, s.id, &found), AU_OK);
	CU_ASSERT_EQUAL(found->expires_at, now + 100);
	CU_ASSERT_EQUAL(au_store_secret_revoke(db, c->id, next.id), AU_OK);
	CU_ASSERT_EQUAL(au_store_secret_revoke(db, c->id, next.id), AU_ENOTFOUND);
	CU_ASSERT_EQUAL(au_store_secret_list_for_client(db, a, c->id, &items, &n),
	    AU_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(au_store_secret_live_for_client(db, a, c->id, now + 200,
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
	char *id, *again, **names;
	int n;

	CU_ASSERT_EQUAL(au_store_role_ensure_realm(db, a, r->id, "admin", "", &id),
	    AU_OK);
	CU_ASSERT_EQUAL(au_store_role_ensure_realm(db, a, r->id, "admin", "",
	    &again), AU_OK);
	CU_ASSERT_STRING_EQUAL(id, again);
	CU_ASSERT_EQUAL(au_store_role_grant_client(db, c->id, id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_grant_client(db, c->id, id), AU_OK);
	CU_ASSERT_EQUAL(au_store_role_client_realm_roles(db, a, c->id, &names,
	    &n), AU_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(names[0], "admin");
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
	CU_ASSERT_EQUAL(au_store_secret_insert(db, a, r->id, c->id, NULL, &s),
	    AU_OK);
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

static void
register_tests(void)
{
	AU_ADD_SUITE("store", suite_init, suite_clean, AU_T(test_realm_crud),
	    AU_T(test_client_namespace_and_scopes),
	    AU_T(test_scopes_owners_and_shadowing),
	    AU_T(test_client_lists_and_users),
	    AU_T(test_secrets_live_and_expired),
	    AU_T(test_secret_revoke_and_expire),
	    AU_T(test_keys_sealed_and_usable), AU_T(test_roles_of_client),
	    AU_T(test_realm_delete_cascades));
}

AU_TEST_MAIN(register_tests)
