/* test_store_settings.c — the settings documents' table: validation by
 * dotted field name, the effective document and secret masking.  Pure
 * functions of store_settings.c; no database. */
#include <string.h>

#include <json-c/json.h>

#include "store/store_settings.h"
#include "au_test.h"

/* The fields named by validating text as document name, joined by ' '. */
static const char *
fields_of(const char *name, const char *text)
{
	static char out[512];
	struct json_object *doc = json_tokener_parse(text);
	struct json_object *errors = json_object_new_array();
	size_t i;

	out[0] = '\0';
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	if (strcmp(name, "client") == 0)
		au_settings_validate_client(doc, errors);
	else
		au_settings_validate(name, doc, errors);
	for (i = 0; i < json_object_array_length(errors); i++) {
		struct json_object *f;

		json_object_object_get_ex(json_object_array_get_idx(errors, i),
		    "field", &f);
		if (i > 0)
			strcat(out, " ");
		strncat(out, json_object_get_string(f), 100);
	}
	json_object_put(errors);
	json_object_put(doc);
	return out;
}

static void
test_names(void)
{
	CU_ASSERT_TRUE(au_settings_name_valid("tokens"));
	CU_ASSERT_TRUE(au_settings_name_valid("policies"));
	CU_ASSERT_TRUE(au_settings_name_valid("branding"));
	CU_ASSERT_FALSE(au_settings_name_valid("Tokens"));
	CU_ASSERT_FALSE(au_settings_name_valid(""));
	CU_ASSERT_FALSE(au_settings_name_valid(NULL));
}

static void
test_valid_documents(void)
{
	CU_ASSERT_STRING_EQUAL(fields_of("tokens", "{}"), "");
	CU_ASSERT_STRING_EQUAL(fields_of("tokens", "{\"accessTokenLifetime\": 60,"
	    " \"signingAlg\": \"EdDSA\", \"version\": 3, \"updatedAt\": null}"),
	    "");
	CU_ASSERT_STRING_EQUAL(fields_of("policies", "{\"password\": {"
	    "\"regex\": \"^[a-z]+$\", \"minLength\": null}, \"username\": "
	    "{\"reserved\": [\"admin\"]}, \"mail\": {\"transport\": \"smtp\", "
	    "\"smtpHost\": \"[::1]\", \"from\": \"a@b.example\"}}"), "");
	CU_ASSERT_STRING_EQUAL(fields_of("branding", "{\"primaryColor\": "
	    "\"#ABC\", \"backgroundColor\": \"#a1b2c3\", \"locale\": "
	    "\"zh-Hant-TW\", \"logoUrl\": \"/static/img/x.svg\"}"), "");
}

static void
test_invalid_members_are_named(void)
{
	CU_ASSERT_STRING_EQUAL(fields_of("tokens", "{\"authCodeLifetime\": "
	    "601, \"idTokenLifetime\": 1.0, \"signingAlg\": \"HS256\", "
	    "\"x\": 1}"), "authCodeLifetime idTokenLifetime signingAlg x");
	CU_ASSERT_STRING_EQUAL(fields_of("tokens", "{\"refreshTokenIdle\": 10,"
	    " \"refreshTokenMax\": 5}"), "refreshTokenIdle");
	CU_ASSERT_STRING_EQUAL(fields_of("policies", "{\"password\": {"
	    "\"bogus\": 1, \"regex\": \"(\"}, \"hashing\": 3}"),
	    "password.bogus password.regex hashing");
	CU_ASSERT_STRING_EQUAL(fields_of("policies", "{\"password\": {"
	    "\"minLength\": 20, \"maxLength\": 10}}"), "password.minLength");
	CU_ASSERT_STRING_EQUAL(fields_of("policies", "{\"mail\": {"
	    "\"transport\": \"smtp\"}}"), "mail.smtpHost");
	CU_ASSERT_STRING_EQUAL(fields_of("policies", "{\"username\": {"
	    "\"reserved\": [\"ok\", \"\"]}}"), "username.reserved");
	CU_ASSERT_STRING_EQUAL(fields_of("branding", "{\"locale\": \"e\"}"),
	    "locale");
	CU_ASSERT_STRING_EQUAL(fields_of("branding", "{\"locale\": "
	    "\"en-toolongsubtag\"}"), "locale");
	CU_ASSERT_STRING_EQUAL(fields_of("branding", "{\"logoUrl\": "
	    "\"https://\"}"), "logoUrl");
	CU_ASSERT_STRING_EQUAL(fields_of("branding", "{\"backgroundUrl\": "
	    "\"/static//evil\"}"), "backgroundUrl");
	CU_ASSERT_STRING_EQUAL(fields_of("branding", "{\"primaryColor\": "
	    "\"#abcd\"}"), "primaryColor");
}

/* A client's tokenSettings: the tokens members with their ranges, but
 * the realm-wide ones, and the client's own. */
static void
test_client_token_settings(void)
{
	struct au_token_settings t;
	struct json_object *doc;

	CU_ASSERT_STRING_EQUAL(fields_of("client", "{\"accessTokenLifetime\":"
	    " 60, \"audience\": [\"https://api.example/\"], "
	    "\"idTokenEncryption\": {\"alg\": \"ECDH-ES\", \"enc\": "
	    "\"A128CBC-HS256\"}, \"accessTokenFormat\": \"opaque\"}"), "");
	CU_ASSERT_STRING_EQUAL(fields_of("client", "{\"authCodeLifetime\": "
	    "601, \"audience\": [\"\"], \"accessTokenFormat\": \"x\", "
	    "\"userinfoEncryption\": {\"alg\": \"dir\", \"enc\": "
	    "\"A128GCM\"}, \"y\": 1}"), "authCodeLifetime audience "
	    "accessTokenFormat userinfoEncryption.alg y");
	CU_ASSERT_STRING_EQUAL(fields_of("client", "{\"keyRotationDays\": "
	    "3}"), "keyRotationDays");
	CU_ASSERT_STRING_EQUAL(fields_of("client", "{\"idTokenEncryption\": "
	    "{\"enc\": \"A128GCM\"}}"), "idTokenEncryption.alg");
	CU_ASSERT_STRING_EQUAL(fields_of("client", "{\"ssoSessionIdle\": 9, "
	    "\"ssoSessionMax\": 8}"), "ssoSessionIdle");
	/* the tokens document itself knows none of the client's members */
	CU_ASSERT_STRING_EQUAL(fields_of("tokens", "{\"audience\": []}"),
	    "audience");

	memset(&t, 0, sizeof(t));
	t.refresh_token_idle = 100;
	t.refresh_token_max = 1000;
	doc = json_tokener_parse("{\"refreshTokenMax\": 50, \"signingAlg\": "
	    "\"ES256\", \"accessTokenFormat\": \"opaque\", "
	    "\"userinfoEncryption\": {\"alg\": \"RSA-OAEP-256\", \"enc\": "
	    "\"A256GCM\"}}");
	au_settings_tokens_override(&t, doc);
	CU_ASSERT_EQUAL(t.refresh_token_max, 50);
	CU_ASSERT_EQUAL(t.refresh_token_idle, 50);   /* cut to the max */
	CU_ASSERT_STRING_EQUAL(t.signing_alg, "ES256");
	CU_ASSERT_TRUE(t.opaque);
	CU_ASSERT_STRING_EQUAL(t.userinfo_enc_alg, "RSA-OAEP-256");
	CU_ASSERT_STRING_EQUAL(t.userinfo_enc_enc, "A256GCM");
	CU_ASSERT_STRING_EQUAL(t.id_token_enc_alg, "");
	json_object_put(doc);
}

static void
test_effective_and_mask(void)
{
	struct json_object *stored = json_tokener_parse("{\"mail\": "
	    "{\"smtpPassword\": {\"sealed\": \"AAAA\"}, \"smtpPort\": 25}}");
	struct json_object *eff = au_settings_effective("policies", stored);

	CU_ASSERT_EQUAL(json_object_get_int(au_settings_at(eff,
	    "mail.smtpPort")), 25);
	CU_ASSERT_EQUAL(json_object_get_int(au_settings_at(eff,
	    "password.minLength")), 8);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(au_settings_at(eff,
	    "hashing.algorithm")), "scrypt");
	CU_ASSERT_TRUE(json_object_is_type(au_settings_at(eff,
	    "mail.smtpPassword"), json_type_object));
	au_settings_mask("policies", eff);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(au_settings_at(eff,
	    "mail.smtpPassword")), AU_SETTINGS_MASK);
	json_object_put(eff);

	eff = au_settings_effective("policies", NULL);
	au_settings_mask("policies", eff);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(au_settings_at(eff,
	    "mail.smtpPassword")), "");
	CU_ASSERT_PTR_NULL(au_settings_at(eff, "mail.nothing"));
	CU_ASSERT_PTR_NULL(au_settings_at(eff, "password.minLength.x"));
	json_object_put(eff);

	CU_ASSERT_STRING_EQUAL(au_settings_secret("policies", 0),
	    "mail.smtpPassword");
	CU_ASSERT_PTR_NULL(au_settings_secret("policies", 1));
	CU_ASSERT_PTR_NULL(au_settings_secret("tokens", 0));
	json_object_put(stored);
}

static void
test_put_at(void)
{
	struct json_object *o = json_object_new_object();

	au_settings_put_at(o, "a.b", json_object_new_int(1));
	au_settings_put_at(o, "c", json_object_new_int(2));
	CU_ASSERT_EQUAL(json_object_get_int(au_settings_at(o, "a.b")), 1);
	au_settings_put_at(o, "a.b", NULL);
	CU_ASSERT_PTR_NULL(au_settings_at(o, "a.b"));
	au_settings_put_at(o, "x.y", NULL);     /* nothing to remove */
	CU_ASSERT_PTR_NULL(au_settings_at(o, "x"));
	CU_ASSERT_EQUAL(json_object_get_int(au_settings_at(o, "c")), 2);
	json_object_put(o);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("store_settings", NULL, NULL, AU_T(test_names),
	    AU_T(test_valid_documents), AU_T(test_invalid_members_are_named),
	    AU_T(test_effective_and_mask), AU_T(test_put_at),
	    AU_T(test_client_token_settings));
}

AU_TEST_MAIN(register_tests)
