/* test_db.c — the db layer's pure parts: value macros, error mapping,
 * migration file names and their ordering.  No server, no files. */
#include <stdio.h>
#include <string.h>

#include "core/core_err.h"
#include "db/db_conn.h"
#include "db/db_migrate.h"
#include "au_test.h"

static int
count_args(const struct au_dbval *args, int nargs)
{
	(void)args;
	return nargs;
}

static void
test_args_macro(void)
{
	const char *s = "héllo";
	const char *none = NULL;
	const unsigned char blob[3] = { 1, 0, 2 };
	const struct au_dbval *v;
	int n;

	CU_ASSERT_EQUAL(count_args(AU_DB_ARGS(AU_DB_INT(1))), 1);
	CU_ASSERT_EQUAL(count_args(AU_DB_ARGS(AU_DB_STR(s), AU_DB_NULL,
	    AU_DB_BLOB(blob, 3), AU_DB_INT(-5), AU_DB_STRN(s, 2))), 5);

	v = (const struct au_dbval[]){ AU_DB_STR(s), AU_DB_STR(none),
	    AU_DB_BLOB(blob, sizeof(blob)), AU_DB_INT(-9000000000LL),
	    AU_DB_STRN("abcdef", 3), AU_DB_NULL };
	n = 6;
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_EQUAL(v[0].type, AU_DBT_STR);
	CU_ASSERT_EQUAL(v[0].len, strlen(s));
	CU_ASSERT_PTR_EQUAL(v[0].p, s);
	CU_ASSERT_EQUAL(v[1].type, AU_DBT_NULL);   /* NULL string = SQL NULL */
	CU_ASSERT_EQUAL(v[1].len, 0);
	CU_ASSERT_EQUAL(v[2].type, AU_DBT_BLOB);
	CU_ASSERT_EQUAL(v[2].len, 3);
	CU_ASSERT_EQUAL(v[3].type, AU_DBT_INT);
	CU_ASSERT_EQUAL(v[3].i, -9000000000LL);
	CU_ASSERT_EQUAL(v[4].type, AU_DBT_STR);
	CU_ASSERT_EQUAL(v[4].len, 3);
	CU_ASSERT_EQUAL(v[5].type, AU_DBT_NULL);
}

static void
test_error_status(void)
{
	CU_ASSERT_EQUAL(au_db_error_status(0, 0), AU_OK);
	CU_ASSERT_EQUAL(au_db_error_status(1062, 0), AU_EDUP);
	CU_ASSERT_EQUAL(au_db_error_status(1062, 1), AU_EDUP);
	CU_ASSERT_EQUAL(au_db_error_status(1406, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1366, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1452, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1451, 1), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1264, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1292, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1048, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1265, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1300, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(4025, 0), AU_EINVAL);
	CU_ASSERT_EQUAL(au_db_error_status(1213, 1), AU_DB_ERETRY);
	CU_ASSERT_EQUAL(au_db_error_status(1205, 1), AU_DB_ERETRY);
	CU_ASSERT_EQUAL(au_db_error_status(1213, 0), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_db_error_status(1205, 0), AU_ECONFLICT);
	CU_ASSERT_EQUAL(au_db_error_status(2006, 1), AU_DB_ERETRY);
	CU_ASSERT_EQUAL(au_db_error_status(2013, 1), AU_DB_ERETRY);
	CU_ASSERT_EQUAL(au_db_error_status(4031, 1), AU_DB_ERETRY);
	CU_ASSERT_EQUAL(au_db_error_status(2006, 0), AU_EDB);
	CU_ASSERT_EQUAL(au_db_error_status(1146, 0), AU_EDB);
	CU_ASSERT_EQUAL(au_db_error_status(1064, 1), AU_EDB);
	/* the retry code is distinct from every public status */
	CU_ASSERT(AU_DB_ERETRY < AU_EINTERNAL);
}

static void
test_migration_names(void)
{
	static const struct { const char *name; int rc, version; } cases[] = {
		{ "0001_init.sql", AU_OK, 1 },
		{ "0042_add_device_codes.sql", AU_OK, 42 },
		{ "20240101_x9_y.sql", AU_OK, 20240101 },
		{ "0007__.sql", AU_OK, 7 },
		{ "0001_.sql", AU_ENOTFOUND, 0 },
		{ "001_short.sql", AU_ENOTFOUND, 0 },
		{ "0001-dash.sql", AU_ENOTFOUND, 0 },
		{ "0001_Upper.sql", AU_ENOTFOUND, 0 },
		{ "0001_dot.name.sql", AU_ENOTFOUND, 0 },
		{ "0001_a.SQL", AU_ENOTFOUND, 0 },
		{ "0001_a.sql~", AU_ENOTFOUND, 0 },
		{ "0001_a.sql.bak", AU_ENOTFOUND, 0 },
		{ ".0001_a.sql", AU_ENOTFOUND, 0 },
		{ "#0001_a.sql#", AU_ENOTFOUND, 0 },
		{ "abcd_a.sql", AU_ENOTFOUND, 0 },
		{ "0001_a b.sql", AU_ENOTFOUND, 0 },
		{ "README", AU_ENOTFOUND, 0 },
		{ ".", AU_ENOTFOUND, 0 },
		{ "", AU_ENOTFOUND, 0 },
		{ "0000_zero.sql", AU_EINVAL, 0 },
		{ "99999999999_huge.sql", AU_EINVAL, 0 },
		{ "2147483647_max.sql", AU_OK, 2147483647 },
		{ "2147483648_over.sql", AU_EINVAL, 0 },
	};
	char longname[300];
	size_t i;
	int v, rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = -1;
		rc = au_db_migration_parse(cases[i].name, &v);
		if (rc != cases[i].rc)
			fprintf(stderr, "\n%s: got %d\n", cases[i].name, rc);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		/* untouched on failure */
		CU_ASSERT_EQUAL(v, cases[i].rc == AU_OK ? cases[i].version : -1);
	}
	/* schema_migrations.name holds 200 characters */
	memset(longname, 'a', sizeof(longname));
	memcpy(longname, "0009_", 5);
	strcpy(longname + 196, ".sql");
	CU_ASSERT_EQUAL(au_db_migration_parse(longname, &v), AU_OK);
	strcpy(longname + 196, "a.sql");
	CU_ASSERT_EQUAL(au_db_migration_parse(longname, &v), AU_EINVAL);
}

static void
test_migration_sort(void)
{
	struct au_db_migration m[] = {
		{ 10, "0010_c.sql" }, { 2, "0002_b.sql" }, { 1, "0001_a.sql" },
		{ 100, "0100_d.sql" },
	};
	struct au_db_migration dup[] = {
		{ 3, "0003_x.sql" }, { 1, "0001_a.sql" }, { 3, "00003_y.sql" },
	};
	char err[256] = "";

	CU_ASSERT_EQUAL(au_db_migrations_sort(m, 4, err, sizeof(err)), AU_OK);
	CU_ASSERT_EQUAL(m[0].version, 1);
	CU_ASSERT_EQUAL(m[1].version, 2);
	CU_ASSERT_EQUAL(m[2].version, 10);   /* numeric, not textual order */
	CU_ASSERT_EQUAL(m[3].version, 100);
	CU_ASSERT_STRING_EQUAL(m[3].file, "0100_d.sql");
	CU_ASSERT_EQUAL(au_db_migrations_sort(m, 0, err, sizeof(err)), AU_OK);

	CU_ASSERT_EQUAL(au_db_migrations_sort(dup, 3, err, sizeof(err)),
	    AU_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "0003_x.sql"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "00003_y.sql"));
}

static void
register_tests(void)
{
	AU_ADD_SUITE("db", NULL, NULL,
	    AU_T(test_args_macro),
	    AU_T(test_error_status),
	    AU_T(test_migration_names),
	    AU_T(test_migration_sort));
}

AU_TEST_MAIN(register_tests)
