/* authioctl.c — the operator's command line.
 *
 *   authioctl [-c config] check-config
 *   authioctl [-c config] migrate
 *   authioctl [-c config] init-master-key
 *   authioctl [-c config] bootstrap [--credentials-file PATH]
 *   authioctl [-c config] rotate-keys REALM [--alg ALG]
 *   authioctl [-c config] rotate-keys --due [REALM]
 *   authioctl [-c config] rekey --new-master-key FILE
 *   authioctl [-c config] export REALM [--include-secrets] [-o FILE]
 *   authioctl [-c config] import [FILE | -]
 *
 * Exit status 0 on success, 1 on failure (with a message on stderr). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <mysql.h>
#include <openssl/crypto.h>

#include "admin/api_export.h"
#include "admin/api_import.h"
#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_b64url.h"
#include "crypto/crypto_hash.h"
#include "crypto/crypto_seal.h"
#include "db/db_conn.h"
#include "db/db_migrate.h"
#include "http/http_req.h"
#include "oauth/oauth_keys.h"
#include "oauth/oauth_rotation.h"
#include "store/store_client.h"
#include "store/store_event.h"
#include "store/store_key.h"
#include "store/store_policy.h"
#include "store/store_realm.h"
#include "store/store_role.h"
#include "store/store_secret.h"
#include "store/store_settings.h"

static struct au_config cfg;

static int
fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "authioctl: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

static int
open_db(struct au_db **db)
{
	char err[512];

	if (au_db_open(&cfg, db, err, sizeof(err)) != AU_OK)
		return fail("database: %s", err);
	return 0;
}

static int
cmd_check_config(const char *path)
{
	unsigned char key[AU_MASTER_KEY_LEN];
	char err[512];

	struct au_denylist *deny;

	if (au_seal_load_master(cfg.master_key_file, key, err, sizeof(err)) !=
	    AU_OK)
		fprintf(stderr, "authioctl: warning: %s\n", err);
	OPENSSL_cleanse(key, sizeof(key));
	if ((deny = au_denylist_load(cfg.password_denylist, err,
	    sizeof(err))) == NULL)
		fprintf(stderr, "authioctl: warning: password denylist: %s "
		    "(realms' denylist rule is skipped)\n", err);
	au_denylist_free(deny);
	printf("%s: configuration OK\n", path);
	return 0;
}

static int
cmd_migrate(void)
{
	struct au_db *db;
	char err[1024];
	int applied = 0, rc;

	if (open_db(&db) != 0)
		return 1;
	rc = au_db_migrate(db, cfg.migrations_dir, &applied, err, sizeof(err));
	au_db_close(db);
	if (rc != AU_OK)
		return fail("migrate: %s", err);
	printf("migrations applied: %d\n", applied);
	return 0;
}

static int
cmd_init_master_key(void)
{
	unsigned char key[AU_MASTER_KEY_LEN];
	struct au_arena *a;
	char *hex;
	int fd;

	if (access(cfg.master_key_file, F_OK) == 0) {
		printf("master key %s exists; unchanged\n", cfg.master_key_file);
		return 0;
	}
	fd = open(cfg.master_key_file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return fail("cannot create the master key file: %s",
		    strerror(errno));
	a = au_arena_new();
	au_rand_bytes(key, sizeof(key));
	hex = au_hex(a, key, sizeof(key));
	if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
	    write(fd, "\n", 1) != 1) {
		close(fd);
		au_arena_free(a);
		return fail("cannot write %s", cfg.master_key_file);
	}
	close(fd);
	au_arena_free(a);
	printf("master key written to %s (keep it safe and out of backups of "
	    "the database)\n", cfg.master_key_file);
	return 0;
}

struct bootstrap {
	struct au_arena *a;
	unsigned char key[AU_MASTER_KEY_LEN];
	char *secret;      /* set when a new secret was created */
};

/* The master realm with its keys, created when missing. */
static int
ensure_master(struct au_db *db, struct bootstrap *b, struct au_realm **out)
{
	struct au_realm *m;
	int rc = au_store_realm_find(db, b->a, "master", &m);

	if (rc != AU_ENOTFOUND) {
		*out = m;
		return rc;
	}
	m = au_arena_calloc(b->a, sizeof(*m));
	m->realm_id = "master";
	m->name = "Master";
	m->description = "Administration realm of this authio installation";
	m->status = "active";
	rc = au_store_realm_insert(db, b->a, m);
	if (rc == AU_OK)
		rc = au_keys_provision_realm(db, b->a, b->key, m->id);
	*out = m;
	return rc;
}

static int
bootstrap_tx(struct au_db *db, void *arg)
{
	struct bootstrap *b = arg;
	struct au_secret s = { 0 };
	struct au_client *c;
	struct au_realm *m;
	char *role;
	int rc;

	b->secret = NULL;
	rc = ensure_master(db, b, &m);
	if (rc == AU_OK)
		rc = au_store_role_ensure_realm(db, b->a, m->id, "admin",
		    "Full control of every realm", &role);
	if (rc != AU_OK)
		return rc;
	rc = au_store_client_find(db, b->a, m->id, "admin-cli", &c);
	if (rc != AU_ENOTFOUND)
		return rc;
	c = au_arena_calloc(b->a, sizeof(*c));
	c->realm_uuid = m->id;
	c->client_id = "admin-cli";
	c->name = "Administration command line";
	c->description = "Bootstrap client holding the admin role";
	c->type = "confidential";
	c->enabled = true;
	c->grant_types = "client_credentials";
	c->pkce_required = true;
	c->token_endpoint_auth_method = "client_secret_basic";
	c->user_access = "all";
	rc = au_store_client_insert(db, b->a, c);
	if (rc == AU_OK)
		rc = au_store_role_grant_client(db, c->id, role);
	if (rc != AU_OK)
		return rc;
	b->secret = au_rand_token(b->a, 32);
	s.hash = au_secret_hash(b->a, b->secret);
	s.label = "bootstrap";
	return au_store_secret_insert(db, b->a, m->id, AU_SECRET_CLIENT, c->id,
	    &s);
}

static int
write_credentials(const char *path, const char *issuer, const char *secret)
{
	struct json_object *o = json_object_new_object();
	const char *text;
	FILE *f;
	int fd;

	json_object_object_add(o, "issuer", json_object_new_string(issuer));
	json_object_object_add(o, "client_id", json_object_new_string("admin-cli"));
	json_object_object_add(o, "client_secret", json_object_new_string(secret));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
		json_object_put(o);
		return fail("cannot write %s", path);
	}
	json_object_put(o);
	return 0;
}

static int
cmd_bootstrap(const char *credentials)
{
	struct bootstrap b = { 0 };
	struct au_db *db;
	char err[512], *issuer;
	int rc, latest = 0, current = -1;

	if (au_seal_load_master(cfg.master_key_file, b.key, err, sizeof(err)) !=
	    AU_OK)
		return fail("%s", err);
	if (open_db(&db) != 0)
		return 1;
	if (au_db_migrations_latest(cfg.migrations_dir, &latest) != AU_OK ||
	    au_db_schema_version(db, &current) != AU_OK || current < latest) {
		au_db_close(db);
		return fail("%s", "the database schema is not up to date: run "
		    "'authioctl migrate' first");
	}
	b.a = au_arena_new();
	rc = au_db_tx(db, bootstrap_tx, &b);
	au_db_close(db);
	if (rc != AU_OK) {
		au_arena_free(b.a);
		return fail("bootstrap failed: %s", au_strerror(rc));
	}
	issuer = au_arena_printf(b.a, "%s/realms/master", cfg.base_url);
	if (b.secret == NULL) {
		printf("already bootstrapped: realm master and client admin-cli "
		    "exist (issuer %s)\n", issuer);
	} else {
		printf("issuer:        %s\nclient_id:     admin-cli\n"
		    "client_secret: %s\n(the secret is shown only this once)\n",
		    issuer, b.secret);
		if (credentials != NULL &&
		    write_credentials(credentials, issuer, b.secret) != 0)
			rc = AU_EIO;
	}
	au_arena_free(b.a);
	return rc == AU_OK ? 0 : 1;
}

struct rotation {
	struct au_arena *a;
	const char *realm_uuid;
	const char *kid;             /* the key to rotate */
	struct au_key_row *fresh;    /* its successor, already made */
	bool skipped;                /* no longer active: left alone */
};

static struct json_object *
key_summary(struct au_arena *a, const struct au_key_row *k)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kid", json_object_new_string(k->kid));
	json_object_object_add(o, "alg", json_object_new_string(k->alg));
	json_object_object_add(o, "use", json_object_new_string(k->use));
	json_object_object_add(o, "status", json_object_new_string(k->status));
	json_object_object_add(o, "activatedAt", json_object_new_string(
	    au_time_rfc3339(a, k->activated_at)));
	return o;
}

/* {"before": old as it was, "after": its successor} for the audit event. */
static char *
rotation_details(struct au_arena *a, const struct au_key_row *old,
    const struct au_key_row *fresh)
{
	struct json_object *d = json_object_new_object(), *before;
	char *text;

	before = key_summary(a, old);
	json_object_object_add(before, "status",
	    json_object_new_string("active"));
	json_object_object_add(d, "before", before);
	json_object_object_add(d, "after", key_summary(a, fresh));
	text = au_arena_strdup(a, json_object_to_json_string_ext(d,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(d);
	return text;
}

/* One key's rotation, its realm's version bump and its audit event, in
 * one transaction (the admin API's POST /keys/{kid}/rotate does the
 * same through au_api_changed). */
static int
rotate_tx(struct au_db *db, void *arg)
{
	struct rotation *x = arg;
	struct au_event e = { 0 };
	struct au_key_row *old;
	int rc;

	x->skipped = false;
	rc = au_store_key_find(db, x->a, x->realm_uuid, x->kid, true, &old);
	if (rc != AU_OK)
		return rc;
	if (strcmp(old->status, "active") != 0) {
		x->skipped = true;
		return AU_OK;
	}
	rc = au_keys_rotate(db, x->a, x->realm_uuid, old, x->fresh, 0);
	if (rc == AU_OK)
		rc = au_store_realm_touch(db, x->realm_uuid);
	if (rc != AU_OK)
		return rc;
	e.realm_uuid = x->realm_uuid;
	e.category = "admin";
	e.type = "key.rotate";
	e.actor = "authioctl";
	e.resource_type = "key";
	e.resource_id = x->kid;
	e.details = rotation_details(x->a, old, x->fresh);
	return au_store_event_insert(db, x->a, &e);
}

/* Rotates every active key of the realm (of alg only, when given). */
static int
rotate_all(struct au_db *db, struct au_arena *a, const unsigned char *master,
    const struct au_realm *realm, const char *alg)
{
	struct au_key_row *keys;
	struct rotation x;
	long long total;
	int n, i, rc, done = 0;

	rc = au_store_key_list(db, a, realm->id, "active", NULL, 0, 500, &keys,
	    &n, &total);
	if (rc != AU_OK)
		return fail("cannot list the keys: %s", au_strerror(rc));
	for (i = 0; i < n; i++) {
		if (alg != NULL && strcmp(keys[i].alg, alg) != 0)
			continue;
		x = (struct rotation){ a, realm->id, keys[i].kid, NULL, false };
		x.fresh = au_arena_calloc(a, sizeof(*x.fresh));
		rc = au_keys_make(a, master, keys[i].alg, keys[i].use, x.fresh);
		if (rc == AU_OK) {
			x.fresh->created_at = au_time_now();
			x.fresh->activated_at = au_keys_activation_time(&cfg,
			    x.fresh->created_at);
			rc = au_db_tx(db, rotate_tx, &x);
		}
		if (rc != AU_OK)
			return fail("rotation failed: %s", au_strerror(rc));
		if (x.skipped)
			continue;
		printf("%s %s: %s -> %s (published now, in use from %s)\n",
		    keys[i].alg, keys[i].use, keys[i].kid, x.fresh->kid,
		    au_time_rfc3339(a, x.fresh->activated_at));
		done++;
	}
	if (done == 0)
		return fail("no active key to rotate%s", alg != NULL ?
		    " for that algorithm" : "");
	return 0;
}

static int
cmd_rotate_keys(const char *realm_id, const char *alg)
{
	unsigned char key[AU_MASTER_KEY_LEN];
	struct au_realm *realm;
	struct au_arena *a;
	struct au_db *db;
	char err[512];
	int rc;

	if (alg != NULL && au_keys_use_of(alg) == NULL)
		return fail("unknown algorithm %s (RS256, PS256, ES256, EdDSA, "
		    "RSA-OAEP-256, ECDH-ES)", alg);
	if (au_seal_load_master(cfg.master_key_file, key, err, sizeof(err)) !=
	    AU_OK)
		return fail("%s", err);
	if (open_db(&db) != 0)
		return 1;
	a = au_arena_new();
	rc = au_store_realm_find(db, a, realm_id, &realm);
	if (rc == AU_OK)
		rc = rotate_all(db, a, key, realm, alg);
	else
		rc = fail(rc == AU_ENOTFOUND ? "realm %s does not exist" :
		    "cannot read realm %s", realm_id);
	au_db_close(db);
	au_arena_free(a);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

/* rotate-keys --due [REALM]: the cron half of automatic rotation
 * (oauth_rotation.h) over one realm or every realm; quiet when nothing is
 * due, so cron mails only changes and failures. */
static int
cmd_rotate_due(const char *realm_id)
{
	unsigned char key[AU_MASTER_KEY_LEN];
	struct au_realm *realms;
	struct au_arena *a;
	struct au_db *db;
	long long total;
	int n, i, done, offset = 0, bad = 0, rc;
	char err[512];

	if (au_seal_load_master(cfg.master_key_file, key, err, sizeof(err)) !=
	    AU_OK)
		return fail("%s", err);
	if (open_db(&db) != 0)
		return 1;
	a = au_arena_new();
	for (;;) {
		if (realm_id != NULL) {
			rc = au_store_realm_find(db, a, realm_id, &realms);
			n = rc == AU_OK ? 1 : 0;
			total = n;
		} else {
			rc = au_store_realm_list(db, a, NULL, offset, 100, &realms,
			    &n, &total);
		}
		if (rc != AU_OK) {
			bad = fail(rc == AU_ENOTFOUND ? "realm %s does not exist" :
			    "cannot read the realms: %s", rc == AU_ENOTFOUND ?
			    realm_id : au_strerror(rc));
			break;
		}
		for (i = 0; i < n; i++) {
			rc = au_rotation_run(db, a, &cfg, key, realms[i].id,
			    "authioctl", au_time_now(), &done);
			if (rc != AU_OK)
				bad = fail("%s", au_arena_printf(a, "realm %s: "
				    "rotation failed: %s", realms[i].realm_id,
				    au_strerror(rc)));
			else if (done > 0)
				printf("realm %s: %d key change(s)\n",
				    realms[i].realm_id, done);
		}
		offset += n;
		if (realm_id != NULL || n == 0 || offset >= total)
			break;
	}
	au_db_close(db);
	au_arena_free(a);
	OPENSSL_cleanse(key, sizeof(key));
	return bad;
}

/* --------------------------------------------------------- rekey */

struct rekey {
	struct au_arena *a;
	unsigned char old[AU_MASTER_KEY_LEN];
	unsigned char new[AU_MASTER_KEY_LEN];
	int keys, secrets;
	const char *failed;          /* what could not be re-sealed */
};

/* blob (sealed under x->old with aad) sealed under x->new instead. */
static int
reseal(struct rekey *x, const unsigned char *blob, size_t len,
    const char *aad, unsigned char **out, size_t *outlen)
{
	unsigned char *plain;
	size_t plen;
	int rc;

	rc = au_unseal(x->a, x->old, blob, len, aad, &plain, &plen);
	if (rc == AU_OK)
		rc = au_seal(x->a, x->new, plain, plen, aad, out, outlen);
	return rc;
}

/* The sealed secrets of one settings document of one realm. */
static int
rekey_settings(struct au_db *db, struct rekey *x, const char *realm_uuid,
    const char *name)
{
	struct json_object *doc, *v, *sealed;
	unsigned char *blob, *out;
	size_t len, outlen;
	long long version;
	const char *path;
	int64_t updated;
	char *text;
	int i, n = 0, rc;

	rc = au_store_settings_raw(db, x->a, realm_uuid, name, true, &text,
	    &version, &updated);
	if (rc != AU_OK || text == NULL)
		return rc;
	doc = json_tokener_parse(text);
	for (i = 0; rc == AU_OK && doc != NULL &&
	    (path = au_settings_secret(name, i)) != NULL; i++) {
		v = au_settings_at(doc, path);
		if (v == NULL || !json_object_object_get_ex(v, "sealed", &sealed))
			continue;
		rc = au_b64url_decode(x->a, json_object_get_string(sealed),
		    (size_t)json_object_get_string_len(sealed), &blob, &len);
		if (rc == AU_OK)
			rc = reseal(x, blob, len, au_settings_secret_aad(x->a,
			    realm_uuid, name, path), &out, &outlen);
		if (rc != AU_OK) {
			x->failed = au_arena_printf(x->a, "settings/%s %s of realm "
			    "%s", name, path, realm_uuid);
			break;
		}
		json_object_object_add(v, "sealed", json_object_new_string(
		    au_b64url_encode(x->a, out, outlen)));
		n++;
	}
	if (rc == AU_OK && n > 0)
		rc = au_store_settings_put(db, x->a, realm_uuid, name,
		    json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE), version, &version);
	x->secrets += n;
	json_object_put(doc);
	return rc;
}

/* Everything sealed under the master key, in one transaction. */
static int
rekey_tx(struct au_db *db, void *arg)
{
	static const char *const names[] = { "branding", "policies", "tokens" };
	struct rekey *x = arg;
	struct au_key_row *keys;
	struct au_realm *realms;
	unsigned char *out;
	size_t outlen;
	long long total;
	int n, i, j, offset = 0, rc;

	x->keys = x->secrets = 0;
	rc = au_store_key_all_sealed(db, x->a, &keys, &n);
	for (i = 0; rc == AU_OK && i < n; i++) {
		rc = reseal(x, keys[i].sealed, keys[i].sealed_len, keys[i].kid,
		    &out, &outlen);
		if (rc != AU_OK)
			x->failed = au_arena_printf(x->a, "key %s", keys[i].kid);
		else
			rc = au_store_key_reseal(db, keys[i].id, out, outlen);
		x->keys += rc == AU_OK;
	}
	while (rc == AU_OK) {
		rc = au_store_realm_list(db, x->a, NULL, offset, 100, &realms, &n,
		    &total);
		for (i = 0; rc == AU_OK && i < n; i++)
			for (j = 0; rc == AU_OK && j < 3; j++)
				if (au_settings_secret(names[j], 0) != NULL)
					rc = rekey_settings(db, x, realms[i].id,
					    names[j]);
		offset += n;
		if (n == 0 || offset >= total)
			break;
	}
	if (rc == AU_OK)
		rc = au_store_realm_touch_all(db);
	return rc;
}

/* rekey --new-master-key FILE: FILE is read, or created with a fresh
 * random key when it does not exist. */
static int
cmd_rekey(const char *file)
{
	struct rekey x = { 0 };
	struct au_db *db;
	char err[512];
	int rc, made = 0;

	if (au_seal_load_master(cfg.master_key_file, x.old, err, sizeof(err)) !=
	    AU_OK)
		return fail("%s", err);
	if (access(file, F_OK) != 0) {
		const char *saved = cfg.master_key_file;

		cfg.master_key_file = (char *)file;
		rc = cmd_init_master_key();
		cfg.master_key_file = (char *)saved;
		if (rc != 0)
			return rc;
		made = 1;
	}
	if (au_seal_load_master(file, x.new, err, sizeof(err)) != AU_OK)
		return fail("%s", err);
	if (memcmp(x.old, x.new, sizeof(x.old)) == 0)
		return fail("%s holds the current master key", file);
	if (open_db(&db) != 0)
		return 1;
	x.a = au_arena_new();
	rc = au_db_tx(db, rekey_tx, &x);
	au_db_close(db);
	if (rc != AU_OK)
		rc = fail("nothing changed: %s", x.failed != NULL ? au_arena_printf(
		    x.a, "%s cannot be re-sealed (%s)", x.failed, au_strerror(rc)) :
		    au_strerror(rc));
	else
		printf("re-sealed %d key(s) and %d settings secret(s) under %s%s;\n"
		    "now set master_key_file = %s in the configuration and restart "
		    "authiod\n", x.keys, x.secrets, file, made ? " (new)" : "",
		    file);
	au_arena_free(x.a);
	OPENSSL_cleanse(x.old, sizeof(x.old));
	OPENSSL_cleanse(x.new, sizeof(x.new));
	return rc;
}

/* ------------------------------------------------- export, import */

/* The admin API's export and import code run here without HTTP: a
 * request built by hand (actor "authioctl", no body limit) over a worker
 * context holding the configured database and master key. */
struct offline {
	struct au_ctx ctx;
	struct au_arena *a;
	struct au_req r;
};

static int
offline_open(struct offline *o, const char *method, const char *uri,
    const char *body, size_t len)
{
	char err[512];
	char *env[] = { NULL, NULL, "CONTENT_TYPE=application/json",
		"REMOTE_ADDR=", NULL };
	int rc;

	memset(o, 0, sizeof(*o));
	if (au_ctx_init(&o->ctx, &cfg, NULL, err, sizeof(err)) != AU_OK)
		return fail("%s", err);
	if (open_db(&o->ctx.db) != 0) {
		au_ctx_free(&o->ctx);
		return 1;
	}
	o->a = au_arena_new();
	env[0] = au_arena_printf(o->a, "REQUEST_METHOD=%s", method);
	env[1] = au_arena_printf(o->a, "REQUEST_URI=%s", uri);
	rc = au_req_init(&o->r, o->a, &cfg, env, body, len);
	o->r.app = &o->ctx;
	o->r.actor = "authioctl";
	if (rc != AU_OK) {
		fail("%s", o->r.error != NULL ? o->r.error : "bad request");
		au_arena_free(o->a);
		au_ctx_free(&o->ctx);
		return 1;
	}
	return 0;
}

static void
offline_close(struct offline *o)
{
	au_arena_free(o->a);
	au_ctx_free(&o->ctx);
}

/* The problem the import answered, on stderr: its detail and every
 * field error. */
static void
print_problem(const struct au_req *r)
{
	struct json_object *p = json_tokener_parse(r->resp.body.p), *v, *e, *f,
	    *m;
	size_t i;

	if (p == NULL || !json_object_object_get_ex(p, "detail", &v)) {
		fprintf(stderr, "authioctl: failed with status %d\n",
		    r->resp.status);
		json_object_put(p);
		return;
	}
	fprintf(stderr, "authioctl: %s\n", json_object_get_string(v));
	if (json_object_object_get_ex(p, "errors", &v) &&
	    json_object_is_type(v, json_type_array))
		for (i = 0; i < json_object_array_length(v); i++) {
			e = json_object_array_get_idx(v, i);
			if (json_object_object_get_ex(e, "field", &f) &&
			    json_object_object_get_ex(e, "message", &m))
				fprintf(stderr, "  %s: %s\n", json_object_get_string(f),
				    json_object_get_string(m));
		}
	json_object_put(p);
}

static int
file_write(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? AU_OK : AU_EIO;
}

/* The transaction is being retried: start the file over. */
static void
file_rewind(void *ctx)
{
	FILE *f = ctx;

	rewind(f);
	if (ftruncate(fileno(f), 0) != 0)
		clearerr(f);
}

/* Copies the finished document from tmp to stdout. */
static int
copy_out(FILE *tmp)
{
	char buf[65536];
	size_t n;

	rewind(tmp);
	while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return AU_EIO;
	return ferror(tmp) || fflush(stdout) != 0 ? AU_EIO : AU_OK;
}

/* Writes the export of realm_id to out (a new file, mode 0600: it may
 * hold secrets) or to stdout.  The file appears only when complete. */
static int
cmd_export(const char *realm_id, bool secrets, const char *out)
{
	struct au_export_sink sink = { file_write, file_rewind, NULL };
	struct au_realm *realm;
	struct offline o;
	char *tmp = NULL;
	FILE *f;
	int rc, fd;

	if (offline_open(&o, "GET", "/authioctl/export", NULL, 0) != 0)
		return 1;
	rc = au_store_realm_find(o.ctx.db, o.a, realm_id, &realm);
	if (rc != AU_OK) {
		offline_close(&o);
		return fail(rc == AU_ENOTFOUND ? "realm %s does not exist" :
		    "cannot read realm %s", realm_id);
	}
	if (out != NULL) {
		tmp = au_arena_printf(o.a, "%s.tmp", out);
		fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0600);
		f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	} else {
		f = tmpfile();
	}
	if (f == NULL) {
		offline_close(&o);
		return fail("cannot write %s", out != NULL ? tmp : "a temporary "
		    "file");
	}
	sink.ctx = f;
	rc = au_api_export_realm(&o.r, o.ctx.db, realm, secrets, &sink);
	if (rc == AU_OK)
		rc = out != NULL ? (fflush(f) == 0 && fsync(fileno(f)) == 0 ?
		    AU_OK : AU_EIO) : copy_out(f);
	if (fclose(f) != 0 && rc == AU_OK)
		rc = AU_EIO;
	if (rc == AU_OK && out != NULL && rename(tmp, out) != 0)
		rc = AU_EIO;
	if (rc != AU_OK && out != NULL)
		unlink(tmp);
	offline_close(&o);
	if (rc != AU_OK)
		return fail("export failed: %s", au_strerror(rc));
	if (out != NULL)
		fprintf(stderr, "realm %s exported to %s%s\n", realm_id, out,
		    secrets ? " (with secrets: keep it safe)" : "");
	return 0;
}

/* The whole of path ("-": stdin) in a malloc'd buffer, NUL-terminated. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL, *p;
	int bad = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if ((p = realloc(buf, cap + 1)) == NULL) {
			bad = 1;
			break;
		}
		buf = p;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
	}
	bad = bad || ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
cmd_import(const char *path)
{
	struct json_object *doc;
	struct au_realm *realm;
	struct offline o;
	size_t len = 0;
	char *body;
	int rc;

	if ((body = slurp(path, &len)) == NULL)
		return fail("cannot read %s", strcmp(path, "-") == 0 ? "stdin" :
		    path);
	rc = offline_open(&o, "POST", "/authioctl/import", body, len);
	free(body);
	if (rc != 0)
		return 1;
	if (au_req_json(&o.r, &doc) != AU_OK) {
		rc = fail("not an export document: %s", o.r.error);
	} else if (au_api_import_realm(&o.r, o.ctx.db, doc, &realm) != AU_OK) {
		print_problem(&o.r);
		rc = 1;
	} else {
		printf("realm %s imported (issuer %s/realms/%s)\n",
		    realm->realm_id, cfg.base_url, realm->realm_id);
		rc = 0;
	}
	offline_close(&o);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: authioctl [-c config] command\n"
	    "commands:\n"
	    "  check-config                 validate the configuration file\n"
	    "  migrate                      apply pending database migrations\n"
	    "  init-master-key              create the master key file if absent\n"
	    "  bootstrap [--credentials-file PATH]\n"
	    "                               create the master realm and admin-cli\n"
	    "  rotate-keys REALM [--alg ALG]\n"
	    "                               rotate the realm's active keys (of ALG)\n"
	    "  rotate-keys --due [REALM]    rotate and retire only what is due\n"
	    "                               (settings/tokens keyRotationDays; cron)\n"
	    "  rekey --new-master-key FILE  re-seal every private key and settings\n"
	    "                               secret under FILE's key (made if absent)\n"
	    "  export REALM [--include-secrets] [-o FILE]\n"
	    "                               write the realm as a JSON document\n"
	    "  import [FILE | -]            create a realm from such a document\n"
	    "default config: %s\n", AU_DEFAULT_CONFIG);
	exit(2);
}

/* export REALM [--include-secrets] [-o FILE], options in any order. */
static int
export_args(int argc, char **argv)
{
	const char *realm = NULL, *out = NULL;
	bool secrets = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--include-secrets") == 0)
			secrets = true;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && realm == NULL)
			realm = argv[i];
		else
			usage();
	}
	if (realm == NULL)
		usage();
	return cmd_export(realm, secrets, out);
}

int
main(int argc, char **argv)
{
	const char *path = AU_DEFAULT_CONFIG, *cmd;
	char err[512];
	int ch, rc;

	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		if (ch == 'c')
			path = optarg;
		else
			usage();
	}
	if (optind >= argc)
		usage();
	cmd = argv[optind];
	au_config_defaults(&cfg);
	if (au_config_load(&cfg, path, err, sizeof(err)) != AU_OK ||
	    au_config_resolve_password(&cfg, err, sizeof(err)) != AU_OK) {
		fprintf(stderr, "authioctl: %s\n", err);
		au_config_free(&cfg);
		return 1;
	}
	au_log_open("authioctl", 0, AU_LOG_WARN);
	mysql_library_init(0, NULL, NULL);
	if (strcmp(cmd, "check-config") == 0 && argc == optind + 1)
		rc = cmd_check_config(path);
	else if (strcmp(cmd, "migrate") == 0 && argc == optind + 1)
		rc = cmd_migrate();
	else if (strcmp(cmd, "init-master-key") == 0 && argc == optind + 1)
		rc = cmd_init_master_key();
	else if (strcmp(cmd, "bootstrap") == 0 && argc == optind + 1)
		rc = cmd_bootstrap(NULL);
	else if (strcmp(cmd, "bootstrap") == 0 && argc == optind + 3 &&
	    strcmp(argv[optind + 1], "--credentials-file") == 0)
		rc = cmd_bootstrap(argv[optind + 2]);
	else if (strcmp(cmd, "rotate-keys") == 0 && argc <= optind + 3 &&
	    argc >= optind + 2 && strcmp(argv[optind + 1], "--due") == 0)
		rc = cmd_rotate_due(argc == optind + 3 ? argv[optind + 2] : NULL);
	else if (strcmp(cmd, "rotate-keys") == 0 && argc == optind + 2)
		rc = cmd_rotate_keys(argv[optind + 1], NULL);
	else if (strcmp(cmd, "rotate-keys") == 0 && argc == optind + 4 &&
	    strcmp(argv[optind + 2], "--alg") == 0)
		rc = cmd_rotate_keys(argv[optind + 1], argv[optind + 3]);
	else if (strcmp(cmd, "rekey") == 0 && argc == optind + 3 &&
	    strcmp(argv[optind + 1], "--new-master-key") == 0)
		rc = cmd_rekey(argv[optind + 2]);
	else if (strcmp(cmd, "export") == 0)
		rc = export_args(argc - optind - 1, argv + optind + 1);
	else if (strcmp(cmd, "import") == 0 && argc <= optind + 2)
		rc = cmd_import(argc == optind + 2 ? argv[optind + 1] : "-");
	else
		usage();
	mysql_library_end();
	au_config_free(&cfg);
	return rc;
}
