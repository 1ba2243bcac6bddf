/* store_consumer.c — consumers, their allowed scopes and their usage. */
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_consumer.h"
#include "store/store_scope.h"
#include "store/store_util.h"

#define LAST_IP_MAX 45

/* The row and, in the same query, its allowed scope names as a JSON
 * array (the correlated subquery walks consumer_scopes' primary key), so
 * a page of consumers costs one query however long it is. */
#define CONSUMER_COLS "c.id, c.realm_id, c.consumer_id, c.name, " \
	"c.description, c.enabled, c.audience, c.tokens_issued, " \
	"c.last_used_at, c.last_ip, c.version, c.created_at, c.updated_at, " \
	"(SELECT JSON_ARRAYAGG(s.name ORDER BY s.name) FROM consumer_scopes cs " \
	"JOIN scopes s ON s.id = cs.scope_id WHERE cs.consumer_id = c.id)"

/* A JSON array of strings from a column into the arena; NULL, malformed
 * text and non-string members give fewer (or no) entries, never an error:
 * the column was written by this file. */
static char **
strings_from_json(struct au_arena *a, const char *text, int *n)
{
	struct json_object *o = text != NULL ? json_tokener_parse(text) : NULL;
	char **v;
	size_t i, len;

	*n = 0;
	len = o != NULL && json_object_is_type(o, json_type_array) ?
	    json_object_array_length(o) : 0;
	v = au_arena_calloc(a, sizeof(char *) * (len + 1));
	for (i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(o, i);

		if (json_object_is_type(e, json_type_string))
			v[(*n)++] = au_arena_strdup(a, json_object_get_string(e));
	}
	json_object_put(o);
	return v;
}

/* strings[0..n) as JSON array text in the arena. */
static char *
strings_to_json(struct au_arena *a, char **v, int n)
{
	struct json_object *arr = json_object_new_array();
	char *out;
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(v[i]));
	out = au_arena_strdup(a, json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return out;
}

static void
consumer_from_row(struct au_arena *a, struct au_consumer *c, char **row)
{
	c->id = row[0];
	c->realm_uuid = row[1];
	c->consumer_id = row[2];
	c->name = row[3];
	c->description = row[4];
	c->enabled = au_col_ll(row[5]) != 0;
	c->audience = strings_from_json(a, row[6], &c->naudience);
	c->tokens_issued = au_col_ll(row[7]);
	c->last_used_at = au_col_time(row[8]);
	c->last_ip = row[9];
	c->version = au_col_ll(row[10]);
	c->created_at = au_col_time(row[11]);
	c->updated_at = au_col_time(row[12]);
	c->scopes = strings_from_json(a, row[13], &c->nscopes);
}

struct insert_args {
	struct au_consumer *c;
	const char *audience;
};

static int
insert_tx(struct au_db *db, void *arg)
{
	static const char sql[] =
	    "INSERT INTO consumers (id, realm_id, consumer_id, name, "
	    "description, enabled, audience, version, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 1, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	struct insert_args *x = arg;
	struct au_consumer *c = x->c;
	int rc;

	rc = au_store_principal_claim(db, AU_PRINCIPAL_CONSUMER, c->realm_uuid,
	    c->consumer_id, c->id);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->id),
	    AU_DB_STR(c->realm_uuid), AU_DB_STR(c->consumer_id),
	    AU_DB_STR(c->name), AU_DB_STR(c->description),
	    AU_DB_INT(c->enabled), AU_DB_STR(x->audience),
	    AU_DB_INT(c->created_at), AU_DB_INT(c->updated_at)), NULL);
}

int
au_store_consumer_insert(struct au_db *db, struct au_arena *a,
    struct au_consumer *c)
{
	struct insert_args x = { c, strings_to_json(a, c->audience,
		c->naudience) };

	c->id = au_rand_uuid(a);
	c->created_at = c->updated_at = au_time_now();
	c->version = 1;
	c->tokens_issued = 0;
	c->last_used_at = 0;
	c->last_ip = NULL;
	return au_db_tx(db, insert_tx, &x);
}

int
au_store_consumer_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *consumer_id,
    struct au_consumer **out)
{
	static const char sql[] = "SELECT " CONSUMER_COLS " FROM consumers c "
	    "WHERE c.realm_id = ? AND c.consumer_id = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(consumer_id)), &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	consumer_from_row(a, *out, row);
	return AU_OK;
}

int
au_store_consumer_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_consumer **items, int *n, long long *total)
{
	static const char sql[] = "SELECT " CONSUMER_COLS " FROM consumers c "
	    "WHERE c.realm_id = ? AND c.consumer_id LIKE ? "
	    "ORDER BY c.consumer_id LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) FROM consumers "
	    "WHERE realm_id = ? AND consumer_id LIKE ?";
	const char *like = au_like_prefix(a, prefix != NULL ? prefix : "");
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(like)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		consumer_from_row(a, &(*items)[i], res.rows[i]);
	*n = res.nrows;
	return AU_OK;
}

int
au_store_consumer_update(struct au_db *db, struct au_arena *a,
    const struct au_consumer *c, long long expected_version)
{
	static const char sql[] =
	    "UPDATE consumers SET name = ?, description = ?, enabled = ?, "
	    "audience = ?, version = version + 1, updated_at = FROM_UNIXTIME(?) "
	    "WHERE realm_id = ? AND consumer_id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->name),
	    AU_DB_STR(c->description), AU_DB_INT(c->enabled),
	    AU_DB_STR(strings_to_json(a, c->audience, c->naudience)),
	    AU_DB_INT(au_time_now()), AU_DB_STR(c->realm_uuid),
	    AU_DB_STR(c->consumer_id), AU_DB_INT(expected_version),
	    AU_DB_INT(expected_version)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected_version != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_consumer_delete(struct au_db *db, const char *realm_uuid,
    const char *consumer_id)
{
	return au_store_principal_delete(db, AU_PRINCIPAL_CONSUMER, realm_uuid,
	    consumer_id);
}

int
au_store_consumer_set_scopes(struct au_db *db, struct au_arena *a,
    const struct au_consumer *c, char **names, int n, const char **missing)
{
	static const char del[] =
	    "DELETE FROM consumer_scopes WHERE consumer_id = ?";
	static const char ins[] = "INSERT IGNORE INTO consumer_scopes "
	    "(consumer_id, scope_id) VALUES (?, ?)";
	int rc, i;

	rc = au_db_exec(db, del, AU_DB_ARGS(AU_DB_STR(c->id)), NULL);
	for (i = 0; rc == AU_OK && i < n; i++) {
		char *scope_id;

		rc = au_store_scope_resolve(db, a, c->realm_uuid, names[i],
		    &scope_id);
		if (rc == AU_ENOTFOUND)
			*missing = names[i];
		if (rc == AU_OK)
			rc = au_db_exec(db, ins, AU_DB_ARGS(AU_DB_STR(c->id),
			    AU_DB_STR(scope_id)), NULL);
	}
	return rc;
}

int
au_store_consumer_record_use(struct au_db *db, const char *consumer_uuid,
    const char *ip, int64_t now)
{
	static const char totals[] = "UPDATE consumers SET "
	    "tokens_issued = tokens_issued + 1, last_used_at = FROM_UNIXTIME(?), "
	    "last_ip = ? WHERE id = ?";
	static const char day[] = "INSERT INTO consumer_usage "
	    "(consumer_id, day, tokens) VALUES (?, DATE(FROM_UNIXTIME(?)), 1) "
	    "ON DUPLICATE KEY UPDATE tokens = tokens + 1";
	size_t iplen = ip != NULL ? strlen(ip) : 0;
	int rc;

	rc = au_db_exec(db, totals, AU_DB_ARGS(AU_DB_INT(now),
	    iplen > 0 ? AU_DB_STRN(ip, iplen > LAST_IP_MAX ? LAST_IP_MAX : iplen) :
	    AU_DB_NULL, AU_DB_STR(consumer_uuid)), NULL);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, day, AU_DB_ARGS(AU_DB_STR(consumer_uuid),
	    AU_DB_INT(now)), NULL);
}

/* "YYYY-MM-DD" of the UTC day holding t. */
static void
utc_date(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int
au_store_consumer_usage(struct au_db *db, struct au_arena *a,
    const char *consumer_uuid, int64_t now, int ndays,
    struct au_consumer_day **days)
{
	static const char sql[] = "SELECT day, tokens FROM consumer_usage "
	    "WHERE consumer_id = ? AND day >= DATE(FROM_UNIXTIME(?)) "
	    "ORDER BY day";
	int64_t first = now - (int64_t)(ndays - 1) * 86400;
	struct au_consumer_day *d;
	struct au_dbres res;
	int rc, i, k = 0;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(consumer_uuid),
	    AU_DB_INT(first)), &res);
	if (rc != AU_OK)
		return rc;
	d = au_arena_calloc(a, sizeof(*d) * (size_t)(ndays > 0 ? ndays : 1));
	/* both lists ascend: one merge pass */
	for (i = 0; i < ndays; i++) {
		utc_date(first + (int64_t)i * 86400, d[i].date);
		while (k < res.nrows && strcmp(res.rows[k][0], d[i].date) < 0)
			k++;
		if (k < res.nrows && strcmp(res.rows[k][0], d[i].date) == 0)
			d[i].tokens = au_col_ll(res.rows[k][1]);
	}
	*days = d;
	return AU_OK;
}
