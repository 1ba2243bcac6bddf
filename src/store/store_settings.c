/* store_settings.c — the settings documents' table, their validation and
 * effective form, and realm_settings access (see store_settings.h). */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "crypto/crypto_password.h"
#include "db/db_conn.h"
#include "store/store_login.h"
#include "store/store_settings.h"
#include "store/store_util.h"

enum kind { K_INT, K_BOOL, K_STR, K_LIST, K_SECRET };

/* A check of a string value: NULL when fine, else why not. */
typedef const char *(*check_fn)(const char *v);

struct member {
	const char *doc;       /* "tokens", "policies", "branding" */
	const char *path;      /* dotted: "password.minLength" */
	enum kind kind;
	long long min, max;    /* K_INT range; K_STR/K_SECRET max length;
	                          K_LIST max entries */
	long long def;         /* K_INT, K_BOOL */
	const char *sdef;      /* K_STR */
	check_fn check;        /* K_STR, K_LIST entries; may be NULL */
};

#define YEAR 31536000LL

/* ---------------------------------------------------------- checks */

static bool all_in(const char *v, const char *set);

static const char *
check_alg(const char *v)
{
	static const char *const algs[] = { "RS256", "PS256", "ES256", "EdDSA" };
	size_t i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(v, algs[i]) == 0)
			return NULL;
	return "must be one of RS256, PS256, ES256, EdDSA";
}

/* Key management algorithms of a client's encryption (JWE, RFC 7518). */
static const char *
check_jwe_alg(const char *v)
{
	return *v == '\0' || strcmp(v, "RSA-OAEP-256") == 0 ||
	    strcmp(v, "ECDH-ES") == 0 ? NULL :
	    "must be \"RSA-OAEP-256\" or \"ECDH-ES\"";
}

/* Content encryption algorithms (RFC 7518 §5.1). */
static const char *
check_jwe_enc(const char *v)
{
	return *v == '\0' || strcmp(v, "A128GCM") == 0 ||
	    strcmp(v, "A256GCM") == 0 || strcmp(v, "A128CBC-HS256") == 0 ?
	    NULL : "must be \"A128GCM\", \"A256GCM\" or \"A128CBC-HS256\"";
}

static const char *
check_format(const char *v)
{
	return strcmp(v, "jwt") == 0 || strcmp(v, "opaque") == 0 ? NULL :
	    "must be \"jwt\" or \"opaque\"";
}

/* scrypt is the one memory-hard KDF OpenSSL 3.0 has (argon2 arrived in
 * 3.2): any other name is refused, by name. */
static const char *
check_hashing(const char *v)
{
	static char why[96];

	if (strcmp(v, "scrypt") == 0)
		return NULL;
	if (strlen(v) > 32 || !all_in(v, "-_"))
		return "must be \"scrypt\"";
	snprintf(why, sizeof(why), "must be \"scrypt\" (\"%s\" is not "
	    "available with OpenSSL 3.0)", v);
	return why;
}

static const char *
check_transport(const char *v)
{
	return strcmp(v, "sendmail") == 0 || strcmp(v, "smtp") == 0 ? NULL :
	    "must be \"sendmail\" or \"smtp\"";
}

/* A POSIX extended regular expression that compiles.  Counted
 * repetitions are bounded: "(a{999}){999}" would make regcomp build an
 * enormous automaton. */
static const char *
check_regex(const char *v)
{
	const char *p;
	regex_t re;
	int rc;

	if (*v == '\0')
		return NULL;
	for (p = strchr(v, '{'); p != NULL; p = strchr(p + 1, '{'))
		if (isdigit((unsigned char)p[1]) && strtol(p + 1, NULL, 10) > 100)
			return "must not repeat anything more than 100 times";
	rc = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);
	if (rc != 0)
		return "must be a valid POSIX extended regular expression";
	regfree(&re);
	return NULL;
}

static bool
all_in(const char *v, const char *set)
{
	for (; *v != '\0'; v++)
		if (!isalnum((unsigned char)*v) && strchr(set, *v) == NULL)
			return false;
	return true;
}

/* True when v holds a control character (CR, LF, ...): such a value
 * would end a mail header line and start another (header injection). */
static bool
has_ctl(const char *v)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return true;
	return false;
}

/* Text for a mail header (mail.fromName, mail.smtpUser). */
static const char *
check_header_text(const char *v)
{
	return has_ctl(v) ? "must not contain control characters (line "
	    "breaks)" : NULL;
}

/* An address or "": local@domain, no spaces, angle brackets or control
 * characters. */
static const char *
check_email(const char *v)
{
	const char *at = strchr(v, '@');

	if (*v == '\0')
		return NULL;
	if (has_ctl(v))
		return "must not contain control characters (line breaks)";
	if (at == NULL || at == v || at[1] == '\0' || strchr(at + 1, '@') ||
	    strchr(at, '.') == NULL || strpbrk(v, " <>,;\"\\()[]") != NULL)
		return "must be an e-mail address like noreply@example.com";
	return NULL;
}

static const char *
check_host(const char *v)
{
	return all_in(v, ".-:[]") ? NULL : "must be a host name or IP address";
}

static const char *
check_path(const char *v)
{
	return v[0] == '/' && all_in(v, "/._-") && strstr(v, "..") == NULL ?
	    NULL : "must be an absolute path";
}

/* #rgb or #rrggbb, or "" for the theme's colour. */
static const char *
check_colour(const char *v)
{
	size_t n = strlen(v), i;

	if (n == 0)
		return NULL;
	if (v[0] != '#' || (n != 4 && n != 7))
		return "must be a CSS hex colour like #1a73e8 or #fff";
	for (i = 1; i < n; i++)
		if (!isxdigit((unsigned char)v[i]))
			return "must be a CSS hex colour like #1a73e8 or #fff";
	return NULL;
}

/* https://host/... or /static/..., or "".  No characters that could leave
 * a CSS url() or an HTML attribute. */
static const char *
check_url(const char *v)
{
	const char *why = "must be an https:// URL or a path under /static/";

	if (*v == '\0')
		return NULL;
	if (strpbrk(v, " \"'()<>\\`") != NULL)
		return why;
	if (strncmp(v, "https://", 8) == 0)
		return v[8] != '\0' && v[8] != '/' ? NULL : why;
	if (strncmp(v, "/static/", 8) == 0 && strstr(v, "..") == NULL &&
	    strstr(v, "//") == NULL)
		return NULL;
	return why;
}

/* BCP 47-ish: [a-z]{2,3}(-[A-Za-z0-9]{2,8})* */
static const char *
check_locale(const char *v)
{
	const char *why = "must be a language tag like en, de or pt-BR";
	size_t n = 0;

	while (v[n] >= 'a' && v[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return why;
	for (v += n; *v != '\0'; v += n) {
		if (*v++ != '-')
			return why;
		for (n = 0; isalnum((unsigned char)v[n]); n++)
			;
		if (n < 2 || n > 8)
			return why;
	}
	return NULL;
}

static const char *
check_nonempty(const char *v)
{
	return *v != '\0' ? NULL : "must not hold empty names";
}

/* ----------------------------------------------------------- table */

#define INT(d, p, lo, hi, def) { d, p, K_INT, lo, hi, def, NULL, NULL }
#define BOOL(d, p, def) { d, p, K_BOOL, 0, 0, def, NULL, NULL }
#define STR(d, p, len, def, chk) { d, p, K_STR, 0, len, 0, def, chk }

static const struct member members[] = {
	INT("tokens", "accessTokenLifetime", 1, YEAR, 300),
	INT("tokens", "idTokenLifetime", 1, YEAR, 300),
	INT("tokens", "refreshTokenIdle", 1, YEAR, 1800),
	INT("tokens", "refreshTokenMax", 1, YEAR, 36000),
	INT("tokens", "ssoSessionIdle", 1, YEAR, 1800),
	INT("tokens", "ssoSessionMax", 1, YEAR, 36000),
	INT("tokens", "authCodeLifetime", 1, 600, 60),
	INT("tokens", "deviceCodeLifetime", 1, 86400, 600),
	STR("tokens", "signingAlg", 16, "RS256", check_alg),
	INT("tokens", "keyRotationDays", 0, 3650, 90),
	INT("tokens", "secretLifetimeDays", 0, 3650, 0),
	INT("tokens", "refreshReuseGraceSeconds", 0, 300, 0),
	BOOL("tokens", "idTokenOnRefresh", 1),

	INT("policies", "password.minLength", 1, 1024, 8),
	INT("policies", "password.maxLength", 1, AU_PASSWORD_MAX_CHARS, 1024),
	INT("policies", "password.digits", 0, 1024, 0),
	INT("policies", "password.lowerCase", 0, 1024, 0),
	INT("policies", "password.upperCase", 0, 1024, 0),
	INT("policies", "password.specialChars", 0, 1024, 0),
	BOOL("policies", "password.notUsername", 1),
	BOOL("policies", "password.notContainsUsername", 0),
	BOOL("policies", "password.notEmail", 1),
	INT("policies", "password.history", 0, 100, 0),
	INT("policies", "password.maxAgeDays", 0, 3650, 0),
	STR("policies", "password.regex", 1000, "", check_regex),
	BOOL("policies", "password.denylist", 1),
	STR("policies", "hashing.algorithm", 32, "scrypt", check_hashing),
	INT("policies", "hashing.cost", AU_PASSWORD_MIN_LN, AU_PASSWORD_MAX_LN,
	    AU_PASSWORD_DEFAULT_LN),
	INT("policies", "username.minLength", 1, 255, 1),
	INT("policies", "username.maxLength", 1, 255, 255),
	STR("policies", "username.pattern", 1000, "", check_regex),
	{ "policies", "username.reserved", K_LIST, 0, 1000, 0, NULL,
	    check_nonempty },
	BOOL("policies", "username.emailAsUsername", 0),
	BOOL("policies", "lockout.enabled", 1),
	INT("policies", "lockout.maxFailures", 1, 1000, 5),
	INT("policies", "lockout.waitIncrementSeconds", 0, 86400, 60),
	INT("policies", "lockout.maxWaitSeconds", 0, YEAR, 900),
	INT("policies", "lockout.failureResetSeconds", 1, YEAR, 43200),
	INT("policies", "lockout.permanentAfter", 0, 1000, 0),
	INT("policies", "lockout.perIpMaxFailures", 0, 1000000, 100),
	BOOL("policies", "emailVerification.required", 0),
	INT("policies", "emailVerification.linkLifetimeSeconds", 60, YEAR, 43200),
	STR("policies", "mail.from", 254, "", check_email),
	STR("policies", "mail.fromName", 255, "", check_header_text),
	STR("policies", "mail.replyTo", 254, "", check_email),
	STR("policies", "mail.transport", 16, "sendmail", check_transport),
	STR("policies", "mail.sendmailPath", 255, "/usr/sbin/sendmail",
	    check_path),
	STR("policies", "mail.smtpHost", 255, "", check_host),
	INT("policies", "mail.smtpPort", 1, 65535, 587),
	BOOL("policies", "mail.smtpStartTls", 1),
	STR("policies", "mail.smtpUser", 255, "", check_header_text),
	{ "policies", "mail.smtpPassword", K_SECRET, 0, 1000, 0, "", NULL },

	/* a client's tokenSettings: the tokens members above (but the
	 * realm-wide ones, see client_member) and these */
	{ "client", "audience", K_LIST, 0, 20, 0, NULL, check_nonempty },
	STR("client", "idTokenEncryption.alg", 16, "", check_jwe_alg),
	STR("client", "idTokenEncryption.enc", 16, "", check_jwe_enc),
	STR("client", "userinfoEncryption.alg", 16, "", check_jwe_alg),
	STR("client", "userinfoEncryption.enc", 16, "", check_jwe_enc),
	STR("client", "accessTokenFormat", 8, "jwt", check_format),

	STR("branding", "title", 255, "", NULL),
	STR("branding", "subtitle", 500, "", NULL),
	STR("branding", "primaryColor", 7, "", check_colour),
	STR("branding", "backgroundColor", 7, "", check_colour),
	STR("branding", "logoUrl", 2000, "", check_url),
	STR("branding", "backgroundUrl", 2000, "", check_url),
	BOOL("branding", "rememberMe", 1),
	BOOL("branding", "registrationAllowed", 0),
	BOOL("branding", "forgotPassword", 1),
	STR("branding", "locale", 35, "en", check_locale),
};

#define NMEMBERS (sizeof(members) / sizeof(members[0]))

/* Pairs that must hold lo <= hi in the effective document; a violation is
 * reported on lo. */
static const struct {
	const char *doc, *lo, *hi;
} ordered[] = {
	{ "tokens", "refreshTokenIdle", "refreshTokenMax" },
	{ "tokens", "ssoSessionIdle", "ssoSessionMax" },
	{ "policies", "password.minLength", "password.maxLength" },
	{ "policies", "username.minLength", "username.maxLength" },
	{ "policies", "lockout.waitIncrementSeconds", "lockout.maxWaitSeconds" },
};

bool
au_settings_name_valid(const char *name)
{
	return name != NULL && (strcmp(name, "branding") == 0 ||
	    strcmp(name, "policies") == 0 || strcmp(name, "tokens") == 0);
}

/* Members of the tokens document that only a realm sets. */
static bool
realm_only(const char *path)
{
	return strcmp(path, "keyRotationDays") == 0 ||
	    strcmp(path, "secretLifetimeDays") == 0;
}

static const struct member *
member_find(const char *doc, const char *path)
{
	size_t i;

	for (i = 0; i < NMEMBERS; i++)
		if (strcmp(members[i].doc, doc) == 0 &&
		    strcmp(members[i].path, path) == 0)
			return &members[i];
	/* a client's tokenSettings override the tokens document */
	if (strcmp(doc, "client") == 0 && !realm_only(path))
		return member_find("tokens", path);
	return NULL;
}

/* True when path names an object of the document ("password"). */
static bool
is_group(const char *doc, const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < NMEMBERS; i++)
		if (strcmp(members[i].doc, doc) == 0 &&
		    strncmp(members[i].path, path, n) == 0 &&
		    members[i].path[n] == '.')
			return true;
	return false;
}

/* ------------------------------------------------------ validation */

static void
add_error(struct json_object *errors, const char *field, const char *msg)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_array_add(errors, e);
}

/* Why a string is not acceptable for m (NULL when it is). */
static const char *
string_problem(const struct member *m, struct json_object *v, char *buf,
    size_t len)
{
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);

	if (strlen(s) != n || !au_str_printable(s))
		return "must not contain control characters";
	if (m->max > 0 && (long long)n > m->max) {
		snprintf(buf, len, "must be at most %lld characters", m->max);
		return buf;
	}
	return m->check != NULL ? m->check(s) : NULL;
}

static const char *
value_problem(const struct member *m, struct json_object *v, char *buf,
    size_t len)
{
	long long x;
	size_t i, n;

	switch (m->kind) {
	case K_INT:
		if (!json_object_is_type(v, json_type_int))
			return "must be a whole number";
		x = json_object_get_int64(v);
		if (x < m->min || x > m->max) {
			snprintf(buf, len, "must be from %lld to %lld", m->min,
			    m->max);
			return buf;
		}
		return NULL;
	case K_BOOL:
		return json_object_is_type(v, json_type_boolean) ? NULL :
		    "must be true or false";
	case K_STR:
	case K_SECRET:
		if (!json_object_is_type(v, json_type_string))
			return "must be a string";
		return string_problem(m, v, buf, len);
	case K_LIST:
		if (!json_object_is_type(v, json_type_array))
			return "must be an array of strings";
		n = json_object_array_length(v);
		if ((long long)n > m->max) {
			snprintf(buf, len, "must have at most %lld entries", m->max);
			return buf;
		}
		for (i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			const struct member entry = { m->doc, m->path, K_STR, 0, 255,
				0, NULL, m->check };

			if (!json_object_is_type(e, json_type_string))
				return "must be an array of strings";
			if (string_problem(&entry, e, buf, len) != NULL)
				return "has an invalid entry (at most 255 printable "
				    "characters, not empty)";
		}
		return NULL;
	}
	return "has an unsupported type";
}

static int
walk(const char *name, const char *prefix, struct json_object *o,
    struct json_object *errors)
{
	char path[128], buf[96];
	int n = 0;

	json_object_object_foreach(o, key, val) {
		const struct member *m;
		const char *why;

		if (snprintf(path, sizeof(path), "%s%s%s", prefix,
		    *prefix != '\0' ? "." : "", key) >= (int)sizeof(path)) {
			add_error(errors, "(name too long)", "is not a known field");
			n++;
			continue;
		}
		if (*prefix == '\0' && (strcmp(key, "version") == 0 ||
		    strcmp(key, "updatedAt") == 0))
			continue;       /* read-only, as GET shows them */
		if (val == NULL || json_object_is_type(val, json_type_null))
			why = member_find(name, path) != NULL ||
			    is_group(name, path) ? NULL : "is not a known field";
		else if ((m = member_find(name, path)) != NULL)
			why = value_problem(m, val, buf, sizeof(buf));
		else if (!is_group(name, path))
			why = "is not a known field";
		else if (!json_object_is_type(val, json_type_object))
			why = "must be a JSON object";
		else {
			n += walk(name, path, val, errors);
			continue;
		}
		if (why != NULL) {
			add_error(errors, path, why);
			n++;
		}
	}
	return n;
}

long long
au_settings_int_at(struct json_object *doc, const char *path)
{
	return json_object_get_int64(au_settings_at(doc, path));
}

/* Pairs that must be ordered, and SMTP needing a host. */
static int
cross_checks(const char *name, struct json_object *doc,
    struct json_object *errors)
{
	struct json_object *eff = au_settings_effective(name, doc);
	char buf[160];
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(ordered) / sizeof(ordered[0]); i++) {
		if (strcmp(ordered[i].doc, name) != 0 ||
		    au_settings_int_at(eff, ordered[i].lo) <=
		    au_settings_int_at(eff, ordered[i].hi))
			continue;
		snprintf(buf, sizeof(buf), "must not be greater than %s (%lld)",
		    ordered[i].hi, au_settings_int_at(eff, ordered[i].hi));
		add_error(errors, ordered[i].lo, buf);
		n++;
	}
	if (strcmp(name, "policies") == 0 && strcmp(json_object_get_string(
	    au_settings_at(eff, "mail.transport")), "smtp") == 0 &&
	    *json_object_get_string(au_settings_at(eff, "mail.smtpHost")) ==
	    '\0') {
		add_error(errors, "mail.smtpHost", "is required when "
		    "mail.transport is \"smtp\"");
		n++;
	}
	json_object_put(eff);
	return n;
}

int
au_settings_validate(const char *name, struct json_object *doc,
    struct json_object *errors)
{
	int n;

	if (!json_object_is_type(doc, json_type_object)) {
		add_error(errors, "(body)", "must be a JSON object");
		return 1;
	}
	n = walk(name, "", doc, errors);
	return n > 0 ? n : cross_checks(name, doc, errors);
}

const char *
au_settings_str_at(struct json_object *doc, const char *path)
{
	struct json_object *v = au_settings_at(doc, path);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

int
au_settings_validate_client(struct json_object *doc,
    struct json_object *errors)
{
	static const char *const enc[] = { "idTokenEncryption",
		"userinfoEncryption" };
	static const char *const pairs[][2] = {
		{ "refreshTokenIdle", "refreshTokenMax" },
		{ "ssoSessionIdle", "ssoSessionMax" },
	};
	char buf[128];
	size_t i;
	int n;

	if (!json_object_is_type(doc, json_type_object)) {
		add_error(errors, "(body)", "must be a JSON object");
		return 1;
	}
	json_object_object_foreach(doc, key, val) {
		(void)val;
		if (realm_only(key)) {
			add_error(errors, key, "is set for the realm only "
			    "(settings/tokens)");
			return 1;
		}
	}
	if ((n = walk("client", "", doc, errors)) > 0)
		return n;
	for (i = 0; i < 2; i++) {
		char alg[64], encp[64];

		snprintf(alg, sizeof(alg), "%s.alg", enc[i]);
		snprintf(encp, sizeof(encp), "%s.enc", enc[i]);
		if ((*au_settings_str_at(doc, alg) == '\0') ==
		    (*au_settings_str_at(doc, encp) == '\0'))
			continue;
		add_error(errors, *au_settings_str_at(doc, alg) == '\0' ? alg :
		    encp,
		    "is required with the other member (both alg and enc, "
		    "or neither)");
		n++;
	}
	for (i = 0; i < 2; i++) {
		struct json_object *lo = au_settings_at(doc, pairs[i][0]);
		struct json_object *hi = au_settings_at(doc, pairs[i][1]);

		if (lo == NULL || hi == NULL || json_object_get_int64(lo) <=
		    json_object_get_int64(hi))
			continue;
		snprintf(buf, sizeof(buf), "must not be greater than %s (%lld)",
		    pairs[i][1], (long long)json_object_get_int64(hi));
		add_error(errors, pairs[i][0], buf);
		n++;
	}
	return n;
}

/* ----------------------------------------------------- paths, views */

struct json_object *
au_settings_at(struct json_object *doc, const char *path)
{
	const char *dot = strchr(path, '.');
	struct json_object *v;
	char head[64];

	if (doc == NULL || !json_object_is_type(doc, json_type_object))
		return NULL;
	if (dot == NULL)
		return json_object_object_get_ex(doc, path, &v) ? v : NULL;
	if ((size_t)(dot - path) >= sizeof(head))
		return NULL;
	memcpy(head, path, (size_t)(dot - path));
	head[dot - path] = '\0';
	if (!json_object_object_get_ex(doc, head, &v))
		return NULL;
	return au_settings_at(v, dot + 1);
}

void
au_settings_put_at(struct json_object *doc, const char *path,
    struct json_object *v)
{
	const char *dot = strchr(path, '.');
	struct json_object *sub;
	char head[64];

	if (dot == NULL || (size_t)(dot - path) >= sizeof(head)) {
		if (v == NULL)
			json_object_object_del(doc, path);
		else
			json_object_object_add(doc, path, v);
		return;
	}
	memcpy(head, path, (size_t)(dot - path));
	head[dot - path] = '\0';
	if (!json_object_object_get_ex(doc, head, &sub) ||
	    !json_object_is_type(sub, json_type_object)) {
		if (v == NULL)
			return;
		sub = json_object_new_object();
		json_object_object_add(doc, head, sub);
	}
	au_settings_put_at(sub, dot + 1, v);
}

static struct json_object *
default_value(const struct member *m)
{
	switch (m->kind) {
	case K_INT:
		return json_object_new_int64(m->def);
	case K_BOOL:
		return json_object_new_boolean(m->def != 0);
	case K_LIST:
		return json_object_new_array();
	case K_STR:
	case K_SECRET:
		break;
	}
	return json_object_new_string(m->sdef != NULL ? m->sdef : "");
}

struct json_object *
au_settings_effective(const char *name, struct json_object *stored)
{
	struct json_object *o = json_object_new_object(), *v;
	size_t i;

	for (i = 0; i < NMEMBERS; i++) {
		if (strcmp(members[i].doc, name) != 0)
			continue;
		v = au_settings_at(stored, members[i].path);
		if (v != NULL && !json_object_is_type(v, json_type_null))
			v = json_object_get(v);
		else
			v = default_value(&members[i]);
		au_settings_put_at(o, members[i].path, v);
	}
	return o;
}

void
au_settings_mask(const char *name, struct json_object *effective)
{
	const char *path;
	struct json_object *v;
	int i;

	for (i = 0; (path = au_settings_secret(name, i)) != NULL; i++) {
		v = au_settings_at(effective, path);
		au_settings_put_at(effective, path, json_object_new_string(
		    v != NULL && json_object_is_type(v, json_type_object) ?
		    AU_SETTINGS_MASK : ""));
	}
}

const char *
au_settings_secret(const char *name, int i)
{
	size_t k;

	for (k = 0; k < NMEMBERS; k++)
		if (members[k].kind == K_SECRET &&
		    strcmp(members[k].doc, name) == 0 && i-- == 0)
			return members[k].path;
	return NULL;
}

char *
au_settings_secret_aad(struct au_arena *a, const char *realm_uuid,
    const char *name, const char *path)
{
	return au_arena_printf(a, "realm_settings/%s/%s/%s", realm_uuid, name,
	    path);
}

/* --------------------------------------------------------- storage */

int
au_store_settings_raw(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, bool lock, char **text,
    long long *version, int64_t *updated_at)
{
	static const char sql[] =
	    "SELECT doc, version, updated_at FROM realm_settings "
	    "WHERE realm_id = ? AND name = ?";
	static const char sql_lock[] =
	    "SELECT doc, version, updated_at FROM realm_settings "
	    "WHERE realm_id = ? AND name = ? FOR UPDATE";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, lock ? sql_lock : sql, AU_DB_ARGS(
	    AU_DB_STR(realm_uuid), AU_DB_STR(name)), &row);
	if (rc == AU_ENOTFOUND) {
		*text = NULL;
		*version = 1;
		*updated_at = 0;
		return AU_OK;
	}
	if (rc != AU_OK)
		return rc;
	*text = row[0];
	*version = au_col_ll(row[1]);
	*updated_at = au_col_time(row[2]);
	return AU_OK;
}

int
au_store_settings_effective(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, long long *version,
    struct json_object **eff)
{
	struct json_object *stored = NULL;
	int64_t updated;
	char *text;
	int rc;

	rc = au_store_settings_raw(db, a, realm_uuid, name, false, &text,
	    version, &updated);
	if (rc != AU_OK)
		return rc;
	if (text != NULL)
		stored = json_tokener_parse(text);
	*eff = au_settings_effective(name, stored);
	json_object_put(stored);
	return AU_OK;
}

int
au_store_settings_get(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, char **json_text,
    long long *version)
{
	struct json_object *eff;
	int rc;

	if (!au_settings_name_valid(name))
		return AU_ENOTFOUND;
	rc = au_store_settings_effective(db, a, realm_uuid, name, version,
	    &eff);
	if (rc != AU_OK)
		return rc;
	*json_text = au_arena_strdup(a, json_object_to_json_string_ext(eff,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(eff);
	return AU_OK;
}

int
au_store_settings_put(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, const char *text,
    long long expected, long long *version)
{
	static const char upsert[] =
	    "INSERT INTO realm_settings (realm_id, name, doc, version, "
	    "updated_at) VALUES (?, ?, ?, 2, FROM_UNIXTIME(?)) "
	    "ON DUPLICATE KEY UPDATE doc = VALUES(doc), version = version + 1, "
	    "updated_at = VALUES(updated_at)";
	static const char insert[] =
	    "INSERT INTO realm_settings (realm_id, name, doc, version, "
	    "updated_at) VALUES (?, ?, ?, 2, FROM_UNIXTIME(?))";
	static const char update[] =
	    "UPDATE realm_settings SET doc = ?, version = version + 1, "
	    "updated_at = FROM_UNIXTIME(?) WHERE realm_id = ? AND name = ? "
	    "AND version = ?";
	unsigned long long affected = 0;
	int64_t now = au_time_now(), t;
	char *ignored;
	int rc;

	if (expected == 0)
		rc = au_db_exec(db, upsert, AU_DB_ARGS(AU_DB_STR(realm_uuid),
		    AU_DB_STR(name), AU_DB_STR(text), AU_DB_INT(now)), NULL);
	else if (expected == 1) {
		rc = au_db_exec(db, insert, AU_DB_ARGS(AU_DB_STR(realm_uuid),
		    AU_DB_STR(name), AU_DB_STR(text), AU_DB_INT(now)), NULL);
		if (rc == AU_EDUP)
			rc = AU_ECONFLICT;
	} else {
		rc = au_db_exec(db, update, AU_DB_ARGS(AU_DB_STR(text),
		    AU_DB_INT(now), AU_DB_STR(realm_uuid), AU_DB_STR(name),
		    AU_DB_INT(expected)), &affected);
		if (rc == AU_OK && affected == 0)
			rc = AU_ECONFLICT;
	}
	if (rc != AU_OK)
		return rc;
	return au_store_settings_raw(db, a, realm_uuid, name, false, &ignored,
	    version, &t);
}
