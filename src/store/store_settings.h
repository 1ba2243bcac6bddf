/* store_settings.h — a realm's settings documents: branding, policies,
 * tokens.
 *
 * Each document is a JSON object stored in realm_settings (doc, version).
 * The stored text holds only the members an administrator set; every
 * other member takes its default.  One table (store_settings.c) names
 * every member of every document with its type, range, default and
 * check: validation, the effective document (defaults filled in) and the
 * typed views below all come from it, so the admin API, the token
 * endpoint and the login pages cannot disagree about a default.
 *
 * Secret members (policies mail.smtpPassword) are stored sealed, as the
 * object {"sealed": "<base64url of the crypto_seal blob>"} whose
 * associated data is au_settings_secret_aad(); the store never sees the
 * plain value, and the API never shows it ("********" when set).
 *
 * A document never written has version 1 and the default contents; the
 * first write makes it version 2. */
#ifndef AU_STORE_SETTINGS_H
#define AU_STORE_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;
struct json_object;

/* What a secret member shows when set. */
#define AU_SETTINGS_MASK "********"

/* True for "branding", "policies" and "tokens". */
bool au_settings_name_valid(const char *name);

/* Checks doc (a parsed JSON object, as a PUT carries it) against the
 * document's table: unknown members, wrong types, values out of range and
 * inconsistent pairs are each appended to errors (a JSON array) as
 * {"field": "password.minLength", "message": "..."}.  Members "version"
 * and "updatedAt" (read-only, as GET shows them) and null values (the
 * default) are accepted.  Returns the number of errors appended. */
int au_settings_validate(const char *name, struct json_object *doc,
    struct json_object *errors);

/* The document's effective form: every member of the table, in table
 * order, taken from stored (may be NULL) when it is set there and
 * otherwise its default.  Secrets are copied as stored (sealed objects)
 * or "" when unset.  A new object the caller owns. */
struct json_object *au_settings_effective(const char *name,
    struct json_object *stored);
/* Replaces every set secret of an effective document by AU_SETTINGS_MASK
 * (in place). */
void au_settings_mask(const char *name, struct json_object *effective);

/* The i-th secret member path of the document ("mail.smtpPassword"),
 * NULL past the last. */
const char *au_settings_secret(const char *name, int i);
/* Associated data binding a sealed secret to its realm and member. */
char *au_settings_secret_aad(struct au_arena *a, const char *realm_uuid,
    const char *name, const char *path);
/* Member at a dotted path of doc, or NULL. */
struct json_object *au_settings_at(struct json_object *doc, const char *path);
/* The whole number (0 when absent) and the string ("" when absent or not
 * a string) at a dotted path of doc. */
long long au_settings_int_at(struct json_object *doc, const char *path);
const char *au_settings_str_at(struct json_object *doc, const char *path);
/* Sets (or with v NULL removes) the member at a dotted path, creating
 * objects on the way; v is consumed. */
void au_settings_put_at(struct json_object *doc, const char *path,
    struct json_object *v);

/* The stored document text (NULL when never written), its version (1
 * when never written) and update time (0); lock = FOR UPDATE inside a
 * transaction. */
int au_store_settings_raw(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, bool lock, char **text,
    long long *version, int64_t *updated_at);
/* The realm's effective document name as a new object (the caller puts
 * it), and its version. */
int au_store_settings_effective(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, long long *version,
    struct json_object **eff);
/* The effective document as JSON text, and its version.  For workers:
 * secrets are the sealed objects described above. */
int au_store_settings_get(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, char **json_text,
    long long *version);
/* Writes the document text when the version still equals expected (0 =
 * any; 1 = never written) and returns the new version.  AU_OK;
 * AU_ECONFLICT. */
int au_store_settings_put(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, const char *text,
    long long expected, long long *version);

/* The tokens document as numbers (lifetimes in seconds). */
struct au_token_settings {
	int access_token_lifetime;
	int id_token_lifetime;
	int refresh_token_idle;
	int refresh_token_max;
	int sso_session_idle;
	int sso_session_max;
	int auth_code_lifetime;
	int device_code_lifetime;
	int key_rotation_days;
	int secret_lifetime_days;
	int refresh_reuse_grace_seconds;
	char signing_alg[16];
	/* a client's only (tokenSettings); "" = not encrypted */
	char id_token_enc_alg[16], id_token_enc_enc[16];
	char userinfo_enc_alg[16], userinfo_enc_enc[16];
	bool opaque;          /* accessTokenFormat "opaque" */
	bool id_token_on_refresh;  /* idTokenOnRefresh: a refresh of an
	                              openid grant answers an ID token too */
};
/* Overrides t with the members doc sets (the effective tokens document,
 * or a client's tokenSettings); an idle lifetime is cut to its absolute
 * one. */
void au_settings_tokens_override(struct au_token_settings *t,
    struct json_object *doc);
/* Checks a client's tokenSettings like au_settings_validate: any member
 * of the tokens document but keyRotationDays and secretLifetimeDays
 * (realm-wide), with the same ranges, plus "audience" (array of strings),
 * "idTokenEncryption" and "userinfoEncryption" ({"alg": "RSA-OAEP-256" |
 * "ECDH-ES", "enc": "A128GCM" | "A256GCM" | "A128CBC-HS256"}, both or
 * neither) and "accessTokenFormat" ("jwt" | "opaque").  Field names are
 * relative ("audience"). */
int au_settings_validate_client(struct json_object *doc,
    struct json_object *errors);
/* Fills out from the realm's effective tokens document. */
int au_store_settings_tokens(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_token_settings *out);

/* The policies document's identity rules, as typed values (strings and
 * lists in the caller's arena).  Lockout members are in struct au_lockout
 * (store_login.h), filled by the same call. */
struct au_password_policy {
	int min_length, max_length;      /* characters */
	int digits, lower_case, upper_case, special_chars;
	bool not_username, not_contains_username, not_email;
	int history;                     /* last N passwords; 0 = off */
	int max_age_days;                /* 0 = never expires */
	const char *regex;               /* POSIX ERE; "" = none */
	bool denylist;
};
struct au_username_policy {
	int min_length, max_length;      /* characters */
	const char *pattern;             /* POSIX ERE; "" = none */
	char **reserved;                 /* nreserved names */
	int nreserved;
	bool email_as_username;
};
struct au_lockout;
struct au_policies {
	struct au_password_policy password;
	char hashing_algorithm[16];
	int hashing_cost;                /* scrypt ln */
	struct au_username_policy username;
};
/* Fills out (and lock, may be NULL) from the realm's effective policies
 * document. */
int au_store_settings_policies(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_policies *out, struct au_lockout *lock);
/* The policies document's mail and emailVerification members (strings
 * in the arena; "" when unset). */
struct au_mail_settings {
	const char *from, *from_name, *reply_to;
	const char *transport;      /* "sendmail" | "smtp" */
	const char *sendmail_path;
	const char *smtp_host, *smtp_user;
	const char *smtp_password_sealed;  /* base64url of the sealed
	                                      password (aad:
	                                      au_settings_secret_aad), or
	                                      NULL when unset */
	int smtp_port;
	bool smtp_starttls;
	const char *ca_file;        /* [security] smtp_ca_file, set by the
	                               caller; NULL or "" for none */
	bool verify_required;       /* emailVerification.required */
	int verify_lifetime;        /* emailVerification.linkLifetimeSeconds */
};
/* Fills out from the realm's effective policies document. */
int au_store_settings_mail(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_mail_settings *out);

#endif
