/* store_action.c — mailed single-use links and rate limits (see
 * store_action.h). */
#include <stdbool.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "db/db_conn.h"
#include "store/store_action.h"
#include "store/store_util.h"

int
au_store_action_insert(struct au_db *db, const char *realm_uuid,
    const char *token_hash, const struct au_action *t)
{
	static const char sql[] = "INSERT INTO action_tokens (token_hash, "
	    "realm_id, user_id, kind, email, authreq, created_at, expires_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	static const char sweep[] = "DELETE FROM action_tokens WHERE "
	    "realm_id = ? AND expires_at < FROM_UNIXTIME(?) LIMIT 20";
	int rc;

	rc = au_db_exec(db, sweep, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(t->created_at - 86400)), NULL);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(token_hash),
	    AU_DB_STR(realm_uuid), AU_DB_STR(t->user_id), AU_DB_STR(t->kind),
	    AU_DB_STR(t->email), AU_DB_STR(t->authreq),
	    AU_DB_INT(t->created_at), AU_DB_INT(t->expires_at)), NULL);
}

/* An action_tokens row (user_id, kind, email, authreq, created_at,
 * expires_at) as a new struct in the arena. */
static struct au_action *
action_of(struct au_arena *a, char **row)
{
	struct au_action *t = au_arena_calloc(a, sizeof(*t));

	t->user_id = row[0];
	t->kind = row[1];
	t->email = row[2];
	t->authreq = row[3];
	t->created_at = au_col_time(row[4]);
	t->expires_at = au_col_time(row[5]);
	return t;
}

int
au_store_action_take(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, const char *kind,
    int64_t now, struct au_action **out)
{
	static const char claim[] = "UPDATE action_tokens SET used_at = "
	    "FROM_UNIXTIME(?) WHERE token_hash = ? AND realm_id = ? AND "
	    "kind = ? AND used_at IS NULL AND expires_at > FROM_UNIXTIME(?)";
	static const char find[] = "SELECT user_id, kind, email, authreq, "
	    "created_at, expires_at FROM action_tokens WHERE token_hash = ? "
	    "AND realm_id = ?";
	char **row;
	int rc;

	rc = au_db_exec_one(db, claim, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_STR(token_hash), AU_DB_STR(realm_uuid), AU_DB_STR(kind),
	    AU_DB_INT(now)));
	if (rc == AU_ECONFLICT)
		return AU_ENOTFOUND;
	if (rc != AU_OK)
		return rc;
	rc = au_db_query_row(db, a, find, AU_DB_ARGS(AU_DB_STR(token_hash),
	    AU_DB_STR(realm_uuid)), &row);
	if (rc != AU_OK)
		return rc;
	*out = action_of(a, row);
	return AU_OK;
}

int
au_store_action_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, const char *kind,
    int64_t now, struct au_action **out)
{
	static const char sql[] = "SELECT user_id, kind, email, authreq, "
	    "created_at, expires_at FROM action_tokens WHERE token_hash = ? "
	    "AND realm_id = ? AND kind = ? AND used_at IS NULL AND "
	    "expires_at > FROM_UNIXTIME(?)";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(token_hash),
	    AU_DB_STR(realm_uuid), AU_DB_STR(kind), AU_DB_INT(now)), &row);
	if (rc != AU_OK)
		return rc;
	*out = action_of(a, row);
	return AU_OK;
}

int
au_store_action_spend_all(struct au_db *db, const char *user_id,
    const char *kind, int64_t now)
{
	static const char sql[] = "UPDATE action_tokens SET used_at = "
	    "FROM_UNIXTIME(?) WHERE user_id = ? AND kind = ? AND "
	    "used_at IS NULL";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_STR(user_id), AU_DB_STR(kind)), NULL);
}

int
au_store_action_limit(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *subject, int64_t now, int window,
    int max, bool *allowed)
{
	/* hits is assigned first and reads the old window_start in both of
	 * MariaDB's assignment orders */
	static const char hit[] = "INSERT INTO action_limits (realm_id, "
	    "subject, window_start, hits) VALUES (?, ?, FROM_UNIXTIME(?), 1) "
	    "ON DUPLICATE KEY UPDATE "
	    "hits = IF(window_start > FROM_UNIXTIME(?), hits + 1, 1), "
	    "window_start = IF(window_start > FROM_UNIXTIME(?), window_start, "
	    "VALUES(window_start))";
	static const char count[] = "SELECT hits FROM action_limits WHERE "
	    "realm_id = ? AND subject = ?";
	static const char sweep[] = "DELETE FROM action_limits WHERE "
	    "realm_id = ? AND window_start < FROM_UNIXTIME(?) LIMIT 20";
	char **row;
	int rc;

	*allowed = false;
	rc = au_db_exec(db, sweep, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(now - 86400)), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, hit, AU_DB_ARGS(AU_DB_STR(realm_uuid),
		    AU_DB_STR(subject), AU_DB_INT(now), AU_DB_INT(now - window),
		    AU_DB_INT(now - window)), NULL);
	if (rc == AU_OK)
		rc = au_db_query_row(db, a, count, AU_DB_ARGS(
		    AU_DB_STR(realm_uuid), AU_DB_STR(subject)), &row);
	if (rc != AU_OK)
		return rc;
	*allowed = au_col_ll(row[0]) <= max;
	return AU_OK;
}

int
au_store_action_email_verified(struct au_db *db, const char *realm_uuid,
    const char *user_id, const char *email, int64_t now)
{
	static const char sql[] = "UPDATE users SET email_verified = 1, "
	    "version = version + 1, updated_at = FROM_UNIXTIME(?) WHERE "
	    "id = ? AND realm_id = ? AND email = ? AND email_verified = 0";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_STR(user_id), AU_DB_STR(realm_uuid), AU_DB_STR(email)),
	    NULL);
}
