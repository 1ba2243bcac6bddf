/* store_settings_views.c — the typed views of the effective settings
 * documents the rest of authio reads: token settings (with a client's
 * overrides), identity policies and mail (see store_settings.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "crypto/crypto_password.h"
#include "db/db_conn.h"
#include "store/store_login.h"
#include "store/store_settings.h"

/* Copies the whole number at path of doc into *out when set. */
static void
int_over(int *out, struct json_object *doc, const char *path)
{
	struct json_object *v = au_settings_at(doc, path);

	if (v != NULL && json_object_is_type(v, json_type_int))
		*out = (int)json_object_get_int64(v);
}

static void
bool_over(bool *out, struct json_object *doc, const char *path)
{
	struct json_object *v = au_settings_at(doc, path);

	if (v != NULL && json_object_is_type(v, json_type_boolean))
		*out = json_object_get_boolean(v);
}

static void
str_over(char *out, size_t len, struct json_object *doc, const char *path)
{
	struct json_object *v = au_settings_at(doc, path);

	if (v != NULL && json_object_is_type(v, json_type_string))
		snprintf(out, len, "%s", json_object_get_string(v));
}

void
au_settings_tokens_override(struct au_token_settings *t,
    struct json_object *doc)
{
	int_over(&t->access_token_lifetime, doc, "accessTokenLifetime");
	int_over(&t->id_token_lifetime, doc, "idTokenLifetime");
	int_over(&t->refresh_token_idle, doc, "refreshTokenIdle");
	int_over(&t->refresh_token_max, doc, "refreshTokenMax");
	int_over(&t->sso_session_idle, doc, "ssoSessionIdle");
	int_over(&t->sso_session_max, doc, "ssoSessionMax");
	int_over(&t->auth_code_lifetime, doc, "authCodeLifetime");
	int_over(&t->device_code_lifetime, doc, "deviceCodeLifetime");
	int_over(&t->key_rotation_days, doc, "keyRotationDays");
	int_over(&t->secret_lifetime_days, doc, "secretLifetimeDays");
	int_over(&t->refresh_reuse_grace_seconds, doc,
	    "refreshReuseGraceSeconds");
	bool_over(&t->id_token_on_refresh, doc, "idTokenOnRefresh");
	str_over(t->signing_alg, sizeof(t->signing_alg), doc, "signingAlg");
	str_over(t->id_token_enc_alg, sizeof(t->id_token_enc_alg), doc,
	    "idTokenEncryption.alg");
	str_over(t->id_token_enc_enc, sizeof(t->id_token_enc_enc), doc,
	    "idTokenEncryption.enc");
	str_over(t->userinfo_enc_alg, sizeof(t->userinfo_enc_alg), doc,
	    "userinfoEncryption.alg");
	str_over(t->userinfo_enc_enc, sizeof(t->userinfo_enc_enc), doc,
	    "userinfoEncryption.enc");
	if (au_settings_at(doc, "accessTokenFormat") != NULL)
		t->opaque = strcmp(au_settings_str_at(doc, "accessTokenFormat"),
		    "opaque") == 0;
	/* a client's idle lifetime never outlives the absolute one */
	if (t->refresh_token_idle > t->refresh_token_max)
		t->refresh_token_idle = t->refresh_token_max;
	if (t->sso_session_idle > t->sso_session_max)
		t->sso_session_idle = t->sso_session_max;
}

int
au_store_settings_tokens(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_token_settings *out)
{
	struct json_object *eff;
	long long version;
	int rc;

	rc = au_store_settings_effective(db, a, realm_uuid, "tokens", &version,
	    &eff);
	if (rc != AU_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	au_settings_tokens_override(out, eff);
	json_object_put(eff);
	return AU_OK;
}

static bool
bool_at(struct json_object *doc, const char *path)
{
	return json_object_get_boolean(au_settings_at(doc, path));
}

static const char *
str_copy_at(struct au_arena *a, struct json_object *doc, const char *path)
{
	return au_arena_strdup(a, json_object_get_string(au_settings_at(doc,
	    path)));
}

static void
password_policy(struct au_arena *a, struct json_object *eff,
    struct au_password_policy *p)
{
	p->min_length = (int)au_settings_int_at(eff, "password.minLength");
	p->max_length = (int)au_settings_int_at(eff, "password.maxLength");
	p->digits = (int)au_settings_int_at(eff, "password.digits");
	p->lower_case = (int)au_settings_int_at(eff, "password.lowerCase");
	p->upper_case = (int)au_settings_int_at(eff, "password.upperCase");
	p->special_chars = (int)au_settings_int_at(eff,
	    "password.specialChars");
	p->not_username = bool_at(eff, "password.notUsername");
	p->not_contains_username = bool_at(eff, "password.notContainsUsername");
	p->not_email = bool_at(eff, "password.notEmail");
	p->history = (int)au_settings_int_at(eff, "password.history");
	p->max_age_days = (int)au_settings_int_at(eff, "password.maxAgeDays");
	p->regex = str_copy_at(a, eff, "password.regex");
	p->denylist = bool_at(eff, "password.denylist");
}

static void
username_policy(struct au_arena *a, struct json_object *eff,
    struct au_username_policy *p)
{
	struct json_object *list = au_settings_at(eff, "username.reserved");
	size_t i, n = json_object_array_length(list);

	p->min_length = (int)au_settings_int_at(eff, "username.minLength");
	p->max_length = (int)au_settings_int_at(eff, "username.maxLength");
	p->pattern = str_copy_at(a, eff, "username.pattern");
	p->reserved = au_arena_calloc(a, sizeof(*p->reserved) * (n + 1));
	for (i = 0; i < n; i++)
		p->reserved[i] = au_arena_strdup(a, json_object_get_string(
		    json_object_array_get_idx(list, i)));
	p->nreserved = (int)n;
	p->email_as_username = bool_at(eff, "username.emailAsUsername");
}

int
au_store_settings_policies(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_policies *out, struct au_lockout *lock)
{
	struct json_object *eff;
	long long version;
	int rc;

	rc = au_store_settings_effective(db, a, realm_uuid, "policies",
	    &version, &eff);
	if (rc != AU_OK)
		return rc;
	password_policy(a, eff, &out->password);
	snprintf(out->hashing_algorithm, sizeof(out->hashing_algorithm), "%s",
	    json_object_get_string(au_settings_at(eff, "hashing.algorithm")));
	out->hashing_cost = (int)au_settings_int_at(eff, "hashing.cost");
	username_policy(a, eff, &out->username);
	if (lock != NULL) {
		lock->enabled = bool_at(eff, "lockout.enabled");
		lock->max_failures = (int)au_settings_int_at(eff,
		    "lockout.maxFailures");
		lock->wait_increment = (int)au_settings_int_at(eff,
		    "lockout.waitIncrementSeconds");
		lock->max_wait = (int)au_settings_int_at(eff,
		    "lockout.maxWaitSeconds");
		lock->failure_reset = (int)au_settings_int_at(eff,
		    "lockout.failureResetSeconds");
		lock->permanent_after = (int)au_settings_int_at(eff,
		    "lockout.permanentAfter");
		lock->per_ip_max_failures = (int)au_settings_int_at(eff,
		    "lockout.perIpMaxFailures");
	}
	json_object_put(eff);
	return AU_OK;
}

int
au_store_settings_mail(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_mail_settings *out)
{
	struct json_object *eff, *x, *sealed;
	long long version;
	int rc;

	rc = au_store_settings_effective(db, a, realm_uuid, "policies",
	    &version, &eff);
	if (rc != AU_OK)
		return rc;
#define MAIL_STR(field, path) out->field = str_copy_at(a, eff, path)
	MAIL_STR(from, "mail.from");
	MAIL_STR(from_name, "mail.fromName");
	MAIL_STR(reply_to, "mail.replyTo");
	MAIL_STR(transport, "mail.transport");
	MAIL_STR(sendmail_path, "mail.sendmailPath");
	MAIL_STR(smtp_host, "mail.smtpHost");
	MAIL_STR(smtp_user, "mail.smtpUser");
#undef MAIL_STR
	out->smtp_port = (int)au_settings_int_at(eff, "mail.smtpPort");
	out->smtp_starttls = json_object_get_boolean(au_settings_at(eff,
	    "mail.smtpStartTls"));
	x = au_settings_at(eff, "mail.smtpPassword");
	out->smtp_password_sealed = x != NULL &&
	    json_object_object_get_ex(x, "sealed", &sealed) ?
	    au_arena_strdup(a, json_object_get_string(sealed)) : NULL;
	out->verify_required = json_object_get_boolean(au_settings_at(eff,
	    "emailVerification.required"));
	out->verify_lifetime = (int)au_settings_int_at(eff,
	    "emailVerification.linkLifetimeSeconds");
	json_object_put(eff);
	return AU_OK;
}
