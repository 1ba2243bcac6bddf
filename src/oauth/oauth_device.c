/* oauth_device.c — the device authorization endpoint (see
 * oauth_device.h). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "app/app_ctx.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_hash.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_client_auth.h"
#include "oauth/oauth_device.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_scope.h"
#include "store/store_device.h"

static const char alphabet[] = "BCDFGHJKLMNPQRSTVWXZ";
#define NALPHA (sizeof(alphabet) - 1)

/* How often a user code that is taken in the realm is drawn again. */
#define MAX_DRAWS 8

char *
au_user_code_normalize(struct au_arena *a, const char *typed)
{
	char code[AU_USER_CODE_LEN + 1];
	size_t n = 0;
	int dashes = 0;
	const char *p;

	if (typed == NULL)
		return NULL;
	for (p = typed; *p != '\0'; p++) {
		char c = *p;

		if (c == ' ' || c == '\t')
			continue;
		if (c == '-' && ++dashes == 1)
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == AU_USER_CODE_LEN || c == '\0' ||
		    strchr(alphabet, c) == NULL)
			return NULL;
		code[n++] = c;
	}
	if (n != AU_USER_CODE_LEN)
		return NULL;
	code[n] = '\0';
	return au_arena_strdup(a, code);
}

char *
au_user_code_display(struct au_arena *a, const char *code)
{
	return au_arena_printf(a, "%.4s-%.4s", code, code + 4);
}

/* A random user code: bytes of 240 and above are drawn again, so that
 * every character is equally likely. */
static char *
new_user_code(struct au_arena *a)
{
	char *code = au_arena_calloc(a, AU_USER_CODE_LEN + 1);
	unsigned char b;
	size_t n = 0;

	while (n < AU_USER_CODE_LEN) {
		au_rand_bytes(&b, 1);
		if (b >= 256 - 256 % NALPHA)
			continue;
		code[n++] = alphabet[b % NALPHA];
	}
	return code;
}

/* RFC 8628 §3.2. */
static int
respond(struct au_req *r, const struct au_realm_view *v,
    const char *device_code, const struct au_device *d, int lifetime)
{
	struct json_object *o = json_object_new_object();
	const char *shown = au_user_code_display(r->arena, d->user_code);

	json_object_object_add(o, "device_code",
	    json_object_new_string(device_code));
	json_object_object_add(o, "user_code", json_object_new_string(shown));
	json_object_object_add(o, "verification_uri", json_object_new_string(
	    au_arena_printf(r->arena, "%s/device", v->issuer)));
	json_object_object_add(o, "verification_uri_complete",
	    json_object_new_string(au_arena_printf(r->arena,
	    "%s/device?user_code=%s", v->issuer, shown)));
	json_object_object_add(o, "expires_in", json_object_new_int(lifetime));
	json_object_object_add(o, "interval",
	    json_object_new_int(d->poll_interval));
	au_resp_set_header(r, "Cache-Control", "no-store");
	return au_resp_json(r, 200, o);
}

/* Stores a new authorization for cc with scope, drawing another user
 * code while the drawn one is taken.  AU_OK with *d and *device_code. */
static int
create(struct au_req *r, const struct au_realm_view *v,
    const struct au_cached_client *cc, const char *scope, int lifetime,
    struct au_device *d, const char **device_code)
{
	int64_t now = au_time_now();
	struct au_db *db;
	int i, rc;

	rc = au_ctx_db(au_req_ctx(r), &db);
	if (rc != AU_OK)
		return rc;
	memset(d, 0, sizeof(*d));
	d->client_uuid = cc->c.id;
	d->scope = (char *)scope;
	d->poll_interval = AU_DEVICE_INTERVAL;
	d->created_at = now;
	d->expires_at = now + lifetime;
	*device_code = au_rand_token(r->arena, 32);
	for (i = 0, rc = AU_EDUP; i < MAX_DRAWS && rc == AU_EDUP; i++) {
		d->user_code = new_user_code(r->arena);
		rc = au_store_device_insert(db, r->arena, v->realm.id,
		    au_secret_hash(r->arena, *device_code), d, now);
	}
	if (rc == AU_EDUP)
		au_log_err("realm %s: no free user code after %d draws",
		    v->realm.realm_id, MAX_DRAWS);
	return rc;
}

int
au_oauth_device_authorization(struct au_req *r)
{
	const struct au_realm_view *v;
	const struct au_cached_client *cc;
	const char *scope, *bad = NULL, *device_code;
	struct au_principal p;
	struct au_device d;
	int lifetime;

	if (au_oauth_form_or_respond(r, &v) != AU_OK)
		return AU_OK;
	if (au_principal_or_public_or_respond(r, v, &p) != AU_OK)
		return AU_OK;
	cc = p.client;
	if (cc == NULL || !au_str_has_word(cc->c.grant_types,
	    AU_GRANT_DEVICE_CODE))
		return au_oauth_error(r, 400, "unauthorized_client",
		    "This client may not use the device authorization grant.");
	scope = au_scope_grant(r, cc, au_req_form(r, "scope"), &bad);
	if (scope == NULL)
		return au_oauth_error(r, 400, "invalid_scope",
		    au_arena_printf(r->arena, "Scope '%.100s' is not allowed "
		    "for this client.", bad));
	lifetime = cc->tokens.device_code_lifetime;
	if (create(r, v, cc, scope, lifetime, &d, &device_code) != AU_OK)
		return au_resp_unavailable(r), AU_OK;
	return respond(r, v, device_code, &d, lifetime);
}
