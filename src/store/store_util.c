/* store_util.c — column conversions and LIKE escaping. */
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_str.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_util.h"

long long
au_col_ll(const char *s)
{
	return s != NULL ? strtoll(s, NULL, 10) : 0;
}

int64_t
au_col_time(const char *s)
{
	int64_t t = s != NULL ? au_time_parse_sql(s) : 0;

	return t < 0 ? 0 : t;
}

char *
au_like_prefix(struct au_arena *a, const char *prefix)
{
	size_t n = strlen(prefix), i, j = 0;
	char *out = au_arena_alloc(a, n * 2 + 2);

	for (i = 0; i < n; i++) {
		if (prefix[i] == '%' || prefix[i] == '_' || prefix[i] == '\\')
			out[j++] = '\\';
		out[j++] = prefix[i];
	}
	out[j++] = '%';
	out[j] = '\0';
	return out;
}

bool
au_uuid_valid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : strchr("0123456789abcdef", s[i]) == NULL)
			return false;
	}
	return true;
}

#define MAX_LIST_ARGS 16

int
au_store_page(struct au_db *db, struct au_arena *a, const char *count_sql,
    const char *page_sql, const struct au_dbval *args, int nargs, int offset,
    int limit, struct au_dbres *res, long long *total)
{
	struct au_dbval all[MAX_LIST_ARGS + 2];
	char **row;
	int rc, i;

	if (nargs > MAX_LIST_ARGS)
		return AU_EINTERNAL;
	rc = au_db_query_row(db, a, count_sql, args, nargs, &row);
	if (rc != AU_OK)
		return rc;
	*total = au_col_ll(row[0]);
	for (i = 0; i < nargs; i++)
		all[i] = args[i];
	all[nargs] = AU_DB_INT(limit);
	all[nargs + 1] = AU_DB_INT(offset);
	return au_db_query(db, a, page_sql, all, nargs + 2, res);
}

char *
au_uuid_json_array(struct au_arena *a, char *const *ids, int n)
{
	struct au_buf b;
	int i;

	au_buf_init(&b, a, 40 * (size_t)n + 3);
	au_buf_addc(&b, '[');
	for (i = 0; i < n; i++) {
		if (!au_uuid_valid(ids[i]))
			return NULL;
		au_buf_printf(&b, "%s\"%s\"", i > 0 ? "," : "", ids[i]);
	}
	au_buf_addc(&b, ']');
	return b.p;
}

int
au_store_principal_claim(struct au_db *db, enum au_principal_kind kind,
    const char *realm_uuid, const char *name, const char *owner_uuid)
{
	static const char sql[] =
	    "INSERT INTO principal_names (realm_id, name, kind, owner_id) "
	    "VALUES (?, ?, ?, ?)";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(name), AU_DB_STR(kind == AU_PRINCIPAL_CLIENT ? "client" :
	    "consumer"), AU_DB_STR(owner_uuid)), NULL);
}

struct principal_delete {
	enum au_principal_kind kind;
	const char *realm_uuid, *name;
};

static int
principal_delete_tx(struct au_db *db, void *arg)
{
	/* one fixed statement per table: no SQL is built from input */
	static const char *const owner_sql[] = {
		[AU_PRINCIPAL_CLIENT] =
		    "DELETE FROM clients WHERE realm_id = ? AND client_id = ?",
		[AU_PRINCIPAL_CONSUMER] =
		    "DELETE FROM consumers WHERE realm_id = ? AND consumer_id = ?",
	};
	static const char name_sql[] = "DELETE FROM principal_names WHERE "
	    "realm_id = ? AND name = ? AND kind = ?";
	struct principal_delete *d = arg;
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, owner_sql[d->kind], AU_DB_ARGS(
	    AU_DB_STR(d->realm_uuid), AU_DB_STR(d->name)), &affected);
	if (rc == AU_OK && affected == 0)
		rc = AU_ENOTFOUND;
	if (rc == AU_OK)
		rc = au_db_exec(db, name_sql, AU_DB_ARGS(AU_DB_STR(d->realm_uuid),
		    AU_DB_STR(d->name), AU_DB_STR(d->kind == AU_PRINCIPAL_CLIENT ?
		    "client" : "consumer")), NULL);
	return rc;
}

int
au_store_principal_delete(struct au_db *db, enum au_principal_kind kind,
    const char *realm_uuid, const char *name)
{
	struct principal_delete d = { kind, realm_uuid, name };

	return au_db_tx(db, principal_delete_tx, &d);
}
