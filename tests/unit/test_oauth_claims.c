/* test_oauth_claims.c — which claims about a user each granted scope
 * releases, to the ID token and to userinfo (no database: the roles are
 * handed in). */
#include <string.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "http/http_req.h"
#include "oauth/oauth_claims.h"
#include "oauth/oauth_realm.h"
#include "store/store_user.h"
#include "au_test.h"

#define M(claim, source, value, id, ui) \
	"{\"claim\":\"" claim "\",\"source\":\"" source "\",\"value\":\"" \
	value "\",\"inIdToken\":" id ",\"inAccessToken\":true," \
	"\"inUserinfo\":" ui "}"

static struct au_scope scopes[] = {
	{ .name = "billing", .claims = "[" M("tenant", "attribute",
	    "tenant_id", "true", "true") "," M("plan", "static", "gold",
	    "true", "true") "," M("id_only", "static", "i", "true", "false")
	    "," M("ui_only", "static", "u", "false", "true") ","
	    M("email", "static", "shadowed", "true", "true") "]" },
	{ .name = "email", .claims = "[" M("email", "property", "email",
	    "true", "true") "," M("email_verified", "property",
	    "emailVerified", "true", "true") "]" },
	{ .name = "groups", .claims = "[" M("groups", "roles", "realm", "true",
	    "true") "," M("app_roles", "roles", "client:app", "true", "true")
	    "," M("none_roles", "roles", "client:other", "true", "true") "]" },
	{ .name = "phone", .claims = "[" M("phone_number", "attribute",
	    "phone_number", "true", "true") "," M("phone_number_verified",
	    "attribute", "phone_number_verified", "true", "true") "]" },
	{ .name = "profile", .claims = "[" M("name", "property", "name",
	    "true", "true") "," M("given_name", "property", "firstName",
	    "true", "true") "," M("family_name", "property", "lastName",
	    "true", "true") "," M("preferred_username", "property", "username",
	    "true", "true") "," M("updated_at", "property", "updatedAt",
	    "true", "true") "]" },
};

static char *realm_roles[] = { "reader", "writer" };
static char *global_roles[] = { "writer", "auditor" };
static char *app_roles[] = { "viewer" };
static struct au_client_roles client_roles[] = { { "app", app_roles, 1 } };
static const struct au_role_set roles = { realm_roles, 2, global_roles, 2,
	client_roles, 1 };

static struct json_object *
claims(const struct au_user *u, const char *scope, enum au_claims_dest d)
{
	struct au_realm_view v;
	struct au_req r;
	struct json_object *o = json_object_new_object();

	memset(&v, 0, sizeof(v));
	v.scopes = scopes;
	v.nscopes = sizeof(scopes) / sizeof(scopes[0]);
	memset(&r, 0, sizeof(r));
	r.arena = au_arena_new();
	json_object_object_add(o, "sub", json_object_new_string(u->id));
	CU_ASSERT_EQUAL(au_oauth_user_claims(&r, &v, u, scope, d, &roles, o),
	    AU_OK);
	au_arena_free(r.arena);
	return o;
}

static const char *
str(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool
has(struct json_object *o, const char *name)
{
	return json_object_object_get_ex(o, name, NULL);
}

static struct au_user ada = { .id = "u-1", .username = "ada",
	.email = "ada@ex.org", .email_verified = true, .first_name = "Ada",
	.last_name = "Lovelace", .enabled = true, .updated_at = 1700000000,
	.attributes = "{\"tenant_id\":\"t-42\",\"locale\":[\"en-GB\"],"
	"\"nickname\":[\"a\",\"b\"],\"phone_number\":\"+44 1\","
	"\"phone_number_verified\":\"true\",\"sub\":\"evil\"}" };

static void
test_openid_alone_releases_nothing(void)
{
	struct json_object *o = claims(&ada, "openid", AU_CLAIMS_USERINFO);

	CU_ASSERT_EQUAL(json_object_object_length(o), 1);
	CU_ASSERT_STRING_EQUAL(str(o, "sub"), "u-1");
	json_object_put(o);
}

static void
test_profile_and_email(void)
{
	struct json_object *o = claims(&ada, "openid profile email",
	    AU_CLAIMS_ID_TOKEN), *v;

	CU_ASSERT_STRING_EQUAL(str(o, "name"), "Ada Lovelace");
	CU_ASSERT_STRING_EQUAL(str(o, "given_name"), "Ada");
	CU_ASSERT_STRING_EQUAL(str(o, "family_name"), "Lovelace");
	CU_ASSERT_STRING_EQUAL(str(o, "preferred_username"), "ada");
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "updated_at", &v) &&
	    json_object_get_int64(v) == 1700000000);
	/* profile's standard claims from attributes: one value a string,
	 * several an array */
	CU_ASSERT_STRING_EQUAL(str(o, "locale"), "en-GB");
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "nickname", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) == 2);
	CU_ASSERT_STRING_EQUAL(str(o, "email"), "ada@ex.org");
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "email_verified", &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v));
	/* an attribute never replaces a claim already set */
	CU_ASSERT_STRING_EQUAL(str(o, "sub"), "u-1");
	CU_ASSERT_FALSE(has(o, "tenant"));
	json_object_put(o);
}

static void
test_missing_values_are_left_out(void)
{
	struct au_user bare = { .id = "u-2", .username = "bob",
		.email = NULL, .first_name = "", .last_name = "Builder" };
	struct json_object *o = claims(&bare, "openid profile email phone",
	    AU_CLAIMS_USERINFO);

	CU_ASSERT_STRING_EQUAL(str(o, "name"), "Builder");
	CU_ASSERT_FALSE(has(o, "given_name"));
	CU_ASSERT_FALSE(has(o, "email"));
	CU_ASSERT_FALSE(has(o, "email_verified"));
	CU_ASSERT_FALSE(has(o, "locale"));
	CU_ASSERT_FALSE(has(o, "phone_number"));
	CU_ASSERT_FALSE(has(o, "updated_at"));
	json_object_put(o);
}

static void
test_realm_scope_by_destination(void)
{
	struct json_object *id = claims(&ada, "openid billing email",
	    AU_CLAIMS_ID_TOKEN);
	struct json_object *ui = claims(&ada, "openid billing email",
	    AU_CLAIMS_USERINFO);

	CU_ASSERT_STRING_EQUAL(str(id, "tenant"), "t-42");
	CU_ASSERT_STRING_EQUAL(str(id, "plan"), "gold");
	CU_ASSERT_STRING_EQUAL(str(id, "id_only"), "i");
	CU_ASSERT_FALSE(has(id, "ui_only"));
	CU_ASSERT_STRING_EQUAL(str(ui, "ui_only"), "u");
	CU_ASSERT_FALSE(has(ui, "id_only"));
	/* the first scope in the string to release a claim wins */
	CU_ASSERT_STRING_EQUAL(str(id, "email"), "shadowed");
	json_object_put(id);
	json_object_put(ui);
	id = claims(&ada, "email billing", AU_CLAIMS_ID_TOKEN);
	CU_ASSERT_STRING_EQUAL(str(id, "email"), "ada@ex.org");
	json_object_put(id);
}

static void
test_roles_and_phone(void)
{
	struct json_object *o = claims(&ada, "groups phone unknown-scope",
	    AU_CLAIMS_USERINFO), *v;
	const char *want[] = { "reader", "writer", "auditor" };
	size_t i;

	CU_ASSERT_FATAL(json_object_object_get_ex(o, "groups", &v) &&
	    json_object_is_type(v, json_type_array));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(v), 3);  /* writer once */
	for (i = 0; i < 3; i++)
		CU_ASSERT_STRING_EQUAL(json_object_get_string(
		    json_object_array_get_idx(v, i)), want[i]);
	CU_ASSERT_FATAL(json_object_object_get_ex(o, "app_roles", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
	    json_object_array_get_idx(v, 0)), "viewer");
	CU_ASSERT_FALSE(has(o, "none_roles"));
	CU_ASSERT_STRING_EQUAL(str(o, "phone_number"), "+44 1");
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "phone_number_verified",
	    &v) && json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v));
	json_object_put(o);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("oauth_claims", NULL, NULL,
	    AU_T(test_openid_alone_releases_nothing),
	    AU_T(test_profile_and_email),
	    AU_T(test_missing_values_are_left_out),
	    AU_T(test_realm_scope_by_destination),
	    AU_T(test_roles_and_phone));
}

AU_TEST_MAIN(register_tests)
