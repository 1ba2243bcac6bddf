/* test_oauth_rotation.c — when a realm's keys next need rotating or
 * retiring (au_rotation_due), the decision the workers cache. */
#include <string.h>

#include "core/core_config.h"
#include "oauth/oauth_rotation.h"
#include "store/store_key.h"
#include "store/store_settings.h"
#include "au_test.h"

#define DAY 86400
#define T0 1800000000LL

static struct au_config cfg;
static struct au_token_settings ts;

static void
setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.metadata_max_age = 20;
	cfg.cache_ttl = 10;
	memset(&ts, 0, sizeof(ts));
	ts.access_token_lifetime = 300;
	ts.id_token_lifetime = 600;
	ts.refresh_token_max = 3600;
	ts.key_rotation_days = 90;
}

static struct au_key_row
key(const char *kid, const char *alg, const char *status, int64_t activated,
    int64_t rotated)
{
	struct au_key_row k;

	memset(&k, 0, sizeof(k));
	k.kid = (char *)kid;
	k.alg = (char *)alg;
	k.use = (char *)"sig";
	k.status = (char *)status;
	k.created_at = activated;
	k.activated_at = activated;
	k.rotated_at = rotated;
	return k;
}

static void
test_longest_lifetime(void)
{
	setup();
	CU_ASSERT_EQUAL(au_rotation_longest_lifetime(&ts), 3600);
	ts.id_token_lifetime = 7200;
	CU_ASSERT_EQUAL(au_rotation_longest_lifetime(&ts), 7200);
}

static void
test_newest_active_key_sets_the_date(void)
{
	struct au_key_row rows[3];

	setup();
	rows[0] = key("new", "RS256", "active", T0, 0);
	rows[1] = key("older", "RS256", "active", T0 - 50 * DAY, 0);
	rows[2] = key("es", "ES256", "active", T0 - 10 * DAY, 0);
	/* the older RS256 key does not count: its successor signs */
	CU_ASSERT_EQUAL(au_rotation_due(&cfg, &ts, rows, 3), T0 + 80 * DAY);
	ts.key_rotation_days = 0;
	CU_ASSERT_EQUAL(au_rotation_due(&cfg, &ts, rows, 3), 0);
}

static void
test_rotated_passive_key_retires_after_longest_lifetime(void)
{
	struct au_key_row rows[3];

	setup();
	rows[0] = key("succ", "RS256", "active", T0 + 30, 0);
	rows[1] = key("old", "RS256", "passive", T0 - 90 * DAY, T0);
	/* passive by hand (never rotated): left alone */
	rows[2] = key("hand", "ES256", "passive", T0 - DAY, 0);
	CU_ASSERT_EQUAL(au_rotation_due(&cfg, &ts, rows, 3), T0 + 30 + 3600);
	ts.key_rotation_days = 0;       /* retirement runs even when off */
	CU_ASSERT_EQUAL(au_rotation_due(&cfg, &ts, rows, 3), T0 + 30 + 3600);
	CU_ASSERT_EQUAL(au_rotation_due(&cfg, &ts, rows + 2, 1), 0);
}

static void
test_encryption_and_retired_keys_ignored(void)
{
	struct au_key_row rows[2];

	setup();
	rows[0] = key("enc", "RSA-OAEP-256", "active", T0 - 900 * DAY, 0);
	rows[0].use = (char *)"enc";
	rows[1] = key("gone", "RS256", "retired", T0 - 900 * DAY, T0 - DAY);
	CU_ASSERT_EQUAL(au_rotation_due(&cfg, &ts, rows, 2), 0);
}

static void
register_tests(void)
{
	AU_ADD_SUITE("oauth_rotation", NULL, NULL,
	    AU_T(test_longest_lifetime),
	    AU_T(test_newest_active_key_sets_the_date),
	    AU_T(test_rotated_passive_key_retires_after_longest_lifetime),
	    AU_T(test_encryption_and_retired_keys_ignored));
}

AU_TEST_MAIN(register_tests)
