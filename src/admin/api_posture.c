/* api_posture.c — a realm's security posture (see api_posture.h). */
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/api_common.h"
#include "admin/api_posture.h"
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "http/http_req.h"
#include "http/http_resp.h"
#include "oauth/oauth_uri.h"
#include "store/store_key.h"
#include "store/store_posture.h"
#include "store/store_realm.h"
#include "store/store_settings.h"
#include "store/store_util.h"

#define DAY 86400
#define SOON (14 * DAY)          /* secrets expiring "soon" */
#define IDLE (90 * DAY)          /* unused clients, idle admins */

enum severity { LOW, MEDIUM, HIGH };

static const char *const severity_names[] = { "low", "medium", "high" };
static const int severity_weights[] = { 3, 8, 15 };

struct posture {
	struct au_req *r;
	struct au_db *db;
	const struct au_realm *realm;
	struct json_object *findings;
	int64_t now;
	int score;
};

static void
finding(struct posture *p, const char *id, enum severity sev,
    const char *resource, const char *message, const char *fix)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "severity", json_object_new_string(
	    severity_names[sev]));
	json_object_object_add(o, "message", json_object_new_string(message));
	json_object_object_add(o, "fix", json_object_new_string(fix));
	if (resource != NULL)
		json_object_object_add(o, "resource",
		    json_object_new_string(resource));
	json_object_array_add(p->findings, o);
	p->score -= severity_weights[sev];
}

static const char *
day_of(struct posture *p, const char *datetime)
{
	return au_arena_printf(p->r->arena, "%.10s", datetime != NULL ?
	    datetime : "");
}

static int
check_keys(struct posture *p, const struct au_token_settings *ts)
{
	struct au_arena *a = p->r->arena;
	struct au_key_row *rows;
	int64_t start, period = (int64_t)ts->key_rotation_days * DAY;
	int n, i, rc;

	if (ts->key_rotation_days == 0) {
		finding(p, "key-rotation-off", MEDIUM, NULL, "Automatic key "
		    "rotation is off (settings/tokens keyRotationDays is 0).",
		    "Set settings/tokens keyRotationDays, e.g. 90.");
		return AU_OK;
	}
	rc = au_store_key_published(p->db, a, p->realm->id, &rows, &n);
	for (i = 0; rc == AU_OK && i < n; i++) {
		if (strcmp(rows[i].use, "sig") != 0 ||
		    strcmp(rows[i].status, "active") != 0)
			continue;
		start = rows[i].activated_at != 0 ? rows[i].activated_at :
		    rows[i].created_at;
		if (p->now - start <= period)
			continue;
		finding(p, "key-rotation-overdue", HIGH, rows[i].kid,
		    au_arena_printf(a, "Active %s key %s has signed since %s, "
		    "longer than the rotation period of %d days.", rows[i].alg,
		    rows[i].kid, au_time_rfc3339(a, start),
		    ts->key_rotation_days),
		    au_arena_printf(a, "Rotate it (POST keys/%s/rotate or "
		    "authioctl rotate-keys --due); the workers rotate it at the "
		    "next request.", rows[i].kid));
	}
	return rc;
}

static int
check_secrets(struct posture *p, const struct au_token_settings *ts)
{
	struct au_arena *a = p->r->arena;
	int64_t period = (int64_t)(ts->key_rotation_days > 0 ?
	    ts->key_rotation_days : 90) * DAY;
	struct au_dbres res;
	char **row;
	int i, rc;

	rc = au_store_posture_secrets_ending(p->db, a, p->realm->id,
	    p->now + SOON, &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++) {
		row = res.rows[i];
		if (au_col_time(row[3]) <= p->now)
			finding(p, "secret-expired", HIGH, au_arena_printf(a,
			    "%s/%s", row[1], row[2]), au_arena_printf(a, "The "
			    "secret %s of %s '%s' expired on %s and it has no "
			    "other live secret.", row[2], row[0], row[1],
			    day_of(p, row[3])), "Create a new secret, hand it "
			    "over, then revoke the expired one.");
		else
			finding(p, "secret-expiring", MEDIUM, au_arena_printf(a,
			    "%s/%s", row[1], row[2]), au_arena_printf(a, "The "
			    "secret %s of %s '%s' expires on %s, within 14 days, "
			    "with no successor.", row[2], row[0], row[1],
			    day_of(p, row[3])), "Rotate it with a grace period "
			    "(POST .../secrets/{id}/rotate).");
	}
	if (rc == AU_OK)
		rc = au_store_posture_old_secrets(p->db, a, p->realm->id, p->now,
		    p->now - period, &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++) {
		row = res.rows[i];
		finding(p, "secret-never-rotated", MEDIUM, au_arena_printf(a,
		    "%s/%s", row[1], row[2]), au_arena_printf(a, "The secret %s "
		    "of %s '%s' was created on %s and never rotated since "
		    "(rotation period: %lld days).", row[2], row[0], row[1],
		    day_of(p, row[3]), (long long)(period / DAY)),
		    "Rotate it with a grace period (POST .../secrets/{id}/"
		    "rotate), or set settings/tokens secretLifetimeDays.");
	}
	return rc;
}

static int
check_clients(struct posture *p)
{
	struct au_arena *a = p->r->arena;
	struct au_dbres res;
	char **row;
	int i, rc;

	rc = au_store_posture_public_no_pkce(p->db, a, p->realm->id, &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++)
		finding(p, "public-client-without-pkce", HIGH, res.rows[i][0],
		    au_arena_printf(a, "Public client '%s' does not require "
		    "PKCE: a stolen authorization code can be redeemed.",
		    res.rows[i][0]), "Set pkceRequired to true on the client.");
	if (rc == AU_OK)
		rc = au_store_posture_no_secret(p->db, a, p->realm->id, &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++)
		finding(p, "client-without-secret", MEDIUM, res.rows[i][0],
		    au_arena_printf(a, "Confidential client '%s' authenticates "
		    "with a secret but holds none.", res.rows[i][0]),
		    "Create a secret (POST .../secrets), or delete the client "
		    "if it is no longer used.");
	if (rc == AU_OK)
		rc = au_store_posture_http_redirects(p->db, a, p->realm->id,
		    &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++) {
		row = res.rows[i];
		if (au_uri_redirect_problem(row[1]) == NULL)
			continue;           /* loopback: allowed (RFC 8252) */
		finding(p, "http-redirect-uri", HIGH, row[0], au_arena_printf(a,
		    "Client '%s' registers the redirect URI %s: codes and "
		    "tokens travel in clear text.", row[0], row[1]),
		    "Replace it by its https:// form.");
	}
	if (rc == AU_OK)
		rc = au_store_posture_unused_clients(p->db, a, p->realm->id,
		    p->now - IDLE, &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++) {
		row = res.rows[i];
		finding(p, "unused-client", LOW, row[0], au_arena_printf(a,
		    "Client '%s' has not obtained a token in 90 days (last: "
		    "%s).", row[0], row[1] != NULL ? day_of(p, row[1]) : "never"),
		    "Disable or delete the client, and revoke its secrets.");
	}
	return rc;
}

static bool
bool_at(struct json_object *doc, const char *path)
{
	return json_object_get_boolean(au_settings_at(doc, path));
}

static int
check_policies(struct posture *p)
{
	struct json_object *doc;
	long long version;
	char *text;
	int rc, min;

	rc = au_store_settings_get(p->db, p->r->arena, p->realm->id, "policies",
	    &text, &version);
	if (rc != AU_OK)
		return rc;
	doc = json_tokener_parse(text);
	au_api_own(p->r, doc);
	if (!bool_at(doc, "lockout.enabled"))
		finding(p, "lockout-disabled", HIGH, NULL, "Account lockout is "
		    "off: passwords can be guessed without limit.",
		    "Set settings/policies lockout.enabled to true.");
	min = json_object_get_int(au_settings_at(doc, "password.minLength"));
	if (min < 8 || !bool_at(doc, "password.denylist"))
		finding(p, "weak-password-policy", MEDIUM, NULL, au_arena_printf(
		    p->r->arena, "The password policy is weak: minimum length "
		    "%d%s.", min, bool_at(doc, "password.denylist") ? "" :
		    ", common passwords allowed"), "Set settings/policies "
		    "password.minLength to 8 or more and password.denylist to "
		    "true.");
	if (!bool_at(doc, "emailVerification.required"))
		finding(p, "email-verification-off", LOW, NULL, "Users may sign "
		    "in without proving they own their email address.",
		    "Set settings/policies emailVerification.required to true.");
	return AU_OK;
}

static int
check_admins(struct posture *p)
{
	struct au_arena *a = p->r->arena;
	struct au_dbres res;
	char **row;
	int i, rc;

	rc = au_store_posture_idle_admins(p->db, a, p->realm->realm_id,
	    p->now - IDLE, &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++) {
		row = res.rows[i];
		finding(p, "admin-without-recent-login", MEDIUM, row[0],
		    au_arena_printf(a, "Administrator '%s' (master realm) can "
		    "change this realm but has not signed in for 90 days (last: "
		    "%s).", row[0], row[1] != NULL ? day_of(p, row[1]) : "never"),
		    "Remove the admin role from the account, or disable it.");
	}
	return rc;
}

int
au_api_posture_get(struct au_req *r)
{
	struct au_token_settings ts;
	struct posture p = { 0 };
	struct au_realm *realm;
	struct json_object *o;
	int rc;

	if (au_api_realm_or_respond(r, &p.db, &realm) != AU_OK)
		return AU_OK;
	p.r = r;
	p.realm = realm;
	p.now = au_time_now();
	p.score = 100;
	p.findings = json_object_new_array();
	au_api_own(r, p.findings);
	rc = au_store_settings_tokens(p.db, r->arena, realm->id, &ts);
	if (rc == AU_OK)
		rc = check_keys(&p, &ts);
	if (rc == AU_OK)
		rc = check_secrets(&p, &ts);
	if (rc == AU_OK)
		rc = check_clients(&p);
	if (rc == AU_OK)
		rc = check_policies(&p);
	if (rc == AU_OK)
		rc = check_admins(&p);
	if (rc != AU_OK)
		return au_api_store_error(r, rc, "The realm's posture");
	o = json_object_new_object();
	json_object_object_add(o, "score", json_object_new_int(p.score > 0 ?
	    p.score : 0));
	json_object_object_add(o, "findings", json_object_get(p.findings));
	au_resp_set_header(r, "Cache-Control", "no-store");
	return au_resp_json(r, 200, o);
}
