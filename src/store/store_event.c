/* store_event.c — events table access. */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_event.h"
#include "store/store_util.h"

#define NZ(s) ((s) != NULL ? (s) : "")

int
au_store_event_insert(struct au_db *db, struct au_arena *a, struct au_event *e)
{
	static const char sql[] =
	    "INSERT INTO events (id, realm_id, category, type, actor, "
	    "resource_type, resource_id, client_id, user_id, ip, request_id, "
	    "details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "FROM_UNIXTIME(? / 1000))";

	e->id = au_rand_uuid(a);
	e->created_ms = au_time_now_ms();
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(e->id),
	    AU_DB_STR(e->realm_uuid), AU_DB_STR(e->category), AU_DB_STR(e->type),
	    AU_DB_STR(NZ(e->actor)), AU_DB_STR(NZ(e->resource_type)),
	    AU_DB_STR(NZ(e->resource_id)), AU_DB_STR(NZ(e->client_id)),
	    AU_DB_STR(e->user_id), AU_DB_STR(NZ(e->ip)),
	    AU_DB_STR(NZ(e->request_id)), AU_DB_STR(e->details),
	    AU_DB_INT(e->created_ms)), NULL);
}

/* One WHERE clause for every filter combination: an absent filter binds
 * NULL and its condition is true. */
#define EVENT_WHERE " FROM events WHERE realm_id = ? " \
	"AND (? IS NULL OR category = ?) AND (? IS NULL OR type = ?) " \
	"AND (? IS NULL OR resource_type = ?) " \
	"AND (? IS NULL OR resource_id = ?) AND (? IS NULL OR actor = ?) " \
	"AND (? = 0 OR created_at >= FROM_UNIXTIME(?)) " \
	"AND (? = 0 OR created_at < FROM_UNIXTIME(? + 1))"

int
au_store_event_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const struct au_event_filter *f, int offset,
    int limit, struct au_event **items, int *n, long long *total)
{
	static const char sql[] = "SELECT id, category, type, actor, "
	    "resource_type, resource_id, client_id, user_id, ip, request_id, "
	    "details, ROUND(UNIX_TIMESTAMP(created_at) * 1000)" EVENT_WHERE
	    " ORDER BY created_at DESC, id LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*)" EVENT_WHERE;
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(
	    AU_DB_STR(realm_uuid), AU_DB_STR(f->category), AU_DB_STR(f->category),
	    AU_DB_STR(f->type), AU_DB_STR(f->type), AU_DB_STR(f->resource_type),
	    AU_DB_STR(f->resource_type), AU_DB_STR(f->resource_id),
	    AU_DB_STR(f->resource_id), AU_DB_STR(f->actor), AU_DB_STR(f->actor),
	    AU_DB_INT(f->from), AU_DB_INT(f->from), AU_DB_INT(f->to),
	    AU_DB_INT(f->to)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		char **row = res.rows[i];
		struct au_event *e = &(*items)[i];

		e->id = row[0];
		e->realm_uuid = realm_uuid;
		e->category = row[1];
		e->type = row[2];
		e->actor = row[3];
		e->resource_type = row[4];
		e->resource_id = row[5];
		e->client_id = row[6];
		e->user_id = row[7];
		e->ip = row[8];
		e->request_id = row[9];
		e->details = row[10];
		e->created_ms = au_col_ll(row[11]);
	}
	*n = res.nrows;
	return AU_OK;
}
