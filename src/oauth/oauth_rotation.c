/* oauth_rotation.c — automatic key rotation (see oauth_rotation.h). */
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_config.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "oauth/oauth_keys.h"
#include "oauth/oauth_rotation.h"
#include "store/store_event.h"
#include "store/store_key.h"
#include "store/store_realm.h"
#include "store/store_settings.h"

#define DAY 86400

int64_t
au_rotation_longest_lifetime(const struct au_token_settings *ts)
{
	int64_t m = ts->access_token_lifetime;

	if (ts->id_token_lifetime > m)
		m = ts->id_token_lifetime;
	if (ts->refresh_token_max > m)
		m = ts->refresh_token_max;
	return m;
}

/* Since when k signs (or will). */
static int64_t
key_start(const struct au_key_row *k)
{
	return k->activated_at != 0 ? k->activated_at : k->created_at;
}

static bool
is_sig(const struct au_key_row *k, const char *status)
{
	return strcmp(k->use, "sig") == 0 && strcmp(k->status, status) == 0;
}

/* The active signing key of alg that started last, or NULL. */
static const struct au_key_row *
newest_active(const struct au_key_row *rows, int n, const char *alg)
{
	const struct au_key_row *best = NULL;
	int i;

	for (i = 0; i < n; i++)
		if (is_sig(&rows[i], "active") && strcmp(rows[i].alg, alg) == 0 &&
		    (best == NULL || key_start(&rows[i]) > key_start(best)))
			best = &rows[i];
	return best;
}

/* When the newest active key of alg must hand over; 0 = never. */
static int64_t
rotate_at(const struct au_token_settings *ts, const struct au_key_row *newest)
{
	if (ts->key_rotation_days <= 0 || newest == NULL)
		return 0;
	return key_start(newest) + (int64_t)ts->key_rotation_days * DAY;
}

/* When a rotated passive key stops being needed; 0 = never. */
static int64_t
retire_at(const struct au_config *cfg, const struct au_token_settings *ts,
    const struct au_key_row *k)
{
	if (!is_sig(k, "passive") || k->rotated_at == 0)
		return 0;
	return au_keys_activation_time(cfg, k->rotated_at) +
	    au_rotation_longest_lifetime(ts);
}

static void
earliest(int64_t *due, int64_t t)
{
	if (t != 0 && (*due == 0 || t < *due))
		*due = t;
}

int64_t
au_rotation_due(const struct au_config *cfg,
    const struct au_token_settings *ts, const struct au_key_row *rows, int n)
{
	int64_t due = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (is_sig(&rows[i], "active") &&
		    newest_active(rows, n, rows[i].alg) == &rows[i])
			earliest(&due, rotate_at(ts, &rows[i]));
		earliest(&due, retire_at(cfg, ts, &rows[i]));
	}
	return due;
}

struct step {
	struct au_arena *a;
	const struct au_config *cfg;
	const struct au_token_settings *ts;
	const char *realm_uuid;
	const char *actor;
	int64_t now;
	const char *alg;             /* rotate: the algorithm */
	const char *kid;             /* rotate: the key seen due; retire */
	struct au_key_row *fresh;    /* rotate: the successor, made */
	bool changed;
};

static int
audit(struct au_db *db, struct step *x, const char *type, const char *kid,
    struct json_object *details)
{
	struct au_event e = { 0 };

	e.realm_uuid = x->realm_uuid;
	e.category = "admin";
	e.type = type;
	e.actor = x->actor;
	e.resource_type = "key";
	e.resource_id = kid;
	e.details = au_arena_strdup(x->a, json_object_to_json_string_ext(
	    details, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(details);
	return au_store_event_insert(db, x->a, &e);
}

static int
rotate_tx(struct au_db *db, void *arg)
{
	struct step *x = arg;
	const struct au_key_row *newest;
	struct au_key_row *rows;
	struct json_object *d;
	int n, i, rc;

	x->changed = false;
	rc = au_store_key_lock_signing(db, x->a, x->realm_uuid, &rows, &n);
	if (rc != AU_OK)
		return rc;
	/* under the lock: still the key we saw, still due? */
	newest = newest_active(rows, n, x->alg);
	if (newest == NULL || strcmp(newest->kid, x->kid) != 0 ||
	    rotate_at(x->ts, newest) == 0 || rotate_at(x->ts, newest) > x->now)
		return AU_OK;
	x->fresh->created_at = x->now;
	x->fresh->activated_at = au_keys_activation_time(x->cfg, x->now);
	rc = au_store_key_insert(db, x->a, x->realm_uuid, x->fresh);
	for (i = 0; rc == AU_OK && i < n; i++) {
		if (!is_sig(&rows[i], "active") || strcmp(rows[i].alg, x->alg) != 0)
			continue;
		rows[i].status = "passive";
		rows[i].rotated_at = x->now;
		rc = au_store_key_update(db, x->a, x->realm_uuid, &rows[i],
		    rows[i].version);
	}
	if (rc == AU_OK)
		rc = au_store_realm_touch(db, x->realm_uuid);
	if (rc != AU_OK)
		return rc;
	d = json_object_new_object();
	json_object_object_add(d, "reason", json_object_new_string(
	    "rotation period (settings/tokens keyRotationDays) reached"));
	json_object_object_add(d, "keyRotationDays",
	    json_object_new_int(x->ts->key_rotation_days));
	json_object_object_add(d, "successor", json_object_new_string(
	    x->fresh->kid));
	json_object_object_add(d, "activatedAt", json_object_new_string(
	    au_time_rfc3339(x->a, x->fresh->activated_at)));
	x->changed = true;
	return audit(db, x, "key.rotate", x->kid, d);
}

static int
retire_tx(struct au_db *db, void *arg)
{
	struct step *x = arg;
	struct au_key_row *k;
	struct json_object *d;
	int64_t t;
	int rc;

	x->changed = false;
	rc = au_store_key_find(db, x->a, x->realm_uuid, x->kid, true, &k);
	if (rc == AU_ENOTFOUND)
		return AU_OK;
	if (rc != AU_OK)
		return rc;
	t = retire_at(x->cfg, x->ts, k);
	if (t == 0 || t > x->now)
		return AU_OK;       /* retired, re-activated or moved meanwhile */
	k->status = "retired";
	k->retired_at = x->now;
	rc = au_store_key_update(db, x->a, x->realm_uuid, k, k->version);
	if (rc == AU_OK)
		rc = au_store_realm_touch(db, x->realm_uuid);
	if (rc != AU_OK)
		return rc;
	d = json_object_new_object();
	json_object_object_add(d, "reason", json_object_new_string(
	    "rotated, and the longest token lifetime has passed"));
	json_object_object_add(d, "longestLifetime", json_object_new_int64(
	    au_rotation_longest_lifetime(x->ts)));
	x->changed = true;
	return audit(db, x, "key.retire", k->kid, d);
}

int
au_rotation_run(struct au_db *db, struct au_arena *a,
    const struct au_config *cfg, const unsigned char master[AU_MASTER_KEY_LEN],
    const char *realm_uuid, const char *actor, int64_t now, int *done)
{
	struct au_token_settings ts;
	const struct au_key_row *newest;
	struct au_key_row *rows;
	struct step x;
	int n, i, rc;
	int64_t t;

	*done = 0;
	rc = au_store_settings_tokens(db, a, realm_uuid, &ts);
	if (rc == AU_OK)
		rc = au_store_key_published(db, a, realm_uuid, &rows, &n);
	for (i = 0; rc == AU_OK && i < n; i++) {
		x = (struct step){ a, cfg, &ts, realm_uuid, actor, now, rows[i].alg,
		    rows[i].kid, NULL, false };
		newest = newest_active(rows, n, rows[i].alg);
		if (newest == &rows[i] && (t = rotate_at(&ts, newest)) != 0 &&
		    t <= now) {
			/* generated outside the transaction: it holds locks */
			x.fresh = au_arena_calloc(a, sizeof(*x.fresh));
			rc = au_keys_make(a, master, rows[i].alg, "sig", x.fresh);
			if (rc == AU_OK)
				rc = au_db_tx(db, rotate_tx, &x);
		} else if ((t = retire_at(cfg, &ts, &rows[i])) != 0 && t <= now) {
			rc = au_db_tx(db, retire_tx, &x);
		}
		if (rc == AU_OK && x.changed)
			(*done)++;
	}
	return rc;
}
