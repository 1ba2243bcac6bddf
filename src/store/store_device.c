/* store_device.c — device authorizations (see store_device.h). */
#include <stddef.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "db/db_conn.h"
#include "store/store_device.h"
#include "store/store_util.h"

/* Expired authorizations are kept a day, so that a late poll is told
 * expired_token rather than invalid_grant. */
#define KEEP_EXPIRED 86400

/* the client's own client_id comes along */
#define SELECT "SELECT d.id, d.client_id, d.user_code, d.scope, d.status, " \
	"d.user_id, d.session_id, d.auth_time, d.poll_interval, " \
	"d.last_polled_at, d.created_at, d.expires_at, c.client_id " \
	"FROM device_codes d JOIN clients c ON c.id = d.client_id "

static struct au_device *
from_row(struct au_arena *a, char **row)
{
	struct au_device *d = au_arena_calloc(a, sizeof(*d));

	d->id = row[0];
	d->client_uuid = row[1];
	d->user_code = row[2];
	d->scope = row[3];
	d->status = row[4];
	d->user_id = row[5];
	d->session_id = row[6];
	d->auth_time = au_col_time(row[7]);
	d->poll_interval = (int)au_col_ll(row[8]);
	d->last_polled_at = au_col_time(row[9]);
	d->created_at = au_col_time(row[10]);
	d->expires_at = au_col_time(row[11]);
	d->client_id = row[12];
	return d;
}

int
au_store_device_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *device_hash, struct au_device *d,
    int64_t now)
{
	static const char sweep[] = "DELETE FROM device_codes "
	    "WHERE realm_id = ? AND expires_at < FROM_UNIXTIME(?) LIMIT 20";
	static const char sql[] = "INSERT INTO device_codes (id, realm_id, "
	    "device_code_hash, user_code, client_id, scope, status, "
	    "poll_interval, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, "
	    "'pending', ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	int rc;

	rc = au_db_exec(db, sweep, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(now - KEEP_EXPIRED)), NULL);
	if (rc != AU_OK)
		return rc;
	d->id = au_rand_uuid(a);
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(d->id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(device_hash),
	    AU_DB_STR(d->user_code), AU_DB_STR(d->client_uuid),
	    AU_DB_STR(d->scope), AU_DB_INT(d->poll_interval),
	    AU_DB_INT(d->created_at), AU_DB_INT(d->expires_at)), NULL);
}

int
au_store_device_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *device_hash, struct au_device **out)
{
	static const char sql[] = SELECT
	    "WHERE d.device_code_hash = ? AND d.realm_id = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(device_hash),
	    AU_DB_STR(realm_uuid)), &row);
	if (rc == AU_OK)
		*out = from_row(a, row);
	return rc;
}

int
au_store_device_find_user_code(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *user_code, struct au_device **out)
{
	static const char sql[] = SELECT
	    "WHERE d.realm_id = ? AND d.user_code = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(user_code)), &row);
	if (rc == AU_OK)
		*out = from_row(a, row);
	return rc;
}

int
au_store_device_decide(struct au_db *db, const char *id, bool approve,
    const char *user_id, const char *session_id, int64_t auth_time,
    int64_t now)
{
	static const char sql[] = "UPDATE device_codes SET status = ?, "
	    "user_id = ?, session_id = ?, auth_time = FROM_UNIXTIME(?), "
	    "decided_at = FROM_UNIXTIME(?) WHERE id = ? AND status = 'pending' "
	    "AND expires_at > FROM_UNIXTIME(?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(
	    AU_DB_STR(approve ? "approved" : "denied"), AU_DB_STR(user_id),
	    AU_DB_STR(session_id), AU_DB_INT(auth_time), AU_DB_INT(now),
	    AU_DB_STR(id), AU_DB_INT(now)), &affected);
	if (rc != AU_OK)
		return rc;
	return affected == 1 ? AU_OK : AU_ECONFLICT;
}

int
au_store_device_polled(struct au_db *db, const char *id, int64_t now,
    bool slow_down)
{
	static const char sql[] = "UPDATE device_codes SET "
	    "last_polled_at = FROM_UNIXTIME(?), "
	    "poll_interval = poll_interval + ? WHERE id = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_INT(slow_down ? 5 : 0), AU_DB_STR(id)), NULL);
}

int
au_store_device_consume(struct au_db *db, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE device_codes SET status = "
	    "'consumed', last_polled_at = FROM_UNIXTIME(?) "
	    "WHERE id = ? AND status = 'approved'";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(now), AU_DB_STR(id)),
	    &affected);
	if (rc != AU_OK)
		return rc;
	return affected == 1 ? AU_OK : AU_ECONFLICT;
}

int
au_store_device_guesses(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *ip, int64_t now, int window,
    int *count)
{
	static const char sql[] = "SELECT failures FROM device_code_guesses "
	    "WHERE realm_id = ? AND ip = ? AND window_start > FROM_UNIXTIME(?)";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(ip), AU_DB_INT(now - window)), &row);
	if (rc == AU_ENOTFOUND) {
		*count = 0;
		return AU_OK;
	}
	if (rc == AU_OK)
		*count = (int)au_col_ll(row[0]);
	return rc;
}

int
au_store_device_guess_failed(struct au_db *db, const char *realm_uuid,
    const char *ip, int64_t now, int window)
{
	/* failures is assigned first and reads the old window_start in
	 * both of MariaDB's assignment orders */
	static const char sql[] = "INSERT INTO device_code_guesses "
	    "(realm_id, ip, window_start, failures) VALUES (?, ?, "
	    "FROM_UNIXTIME(?), 1) ON DUPLICATE KEY UPDATE "
	    "failures = IF(window_start > FROM_UNIXTIME(?), failures + 1, 1), "
	    "window_start = IF(window_start > FROM_UNIXTIME(?), window_start, "
	    "VALUES(window_start))";

	static const char sweep[] = "DELETE FROM device_code_guesses "
	    "WHERE realm_id = ? AND window_start < FROM_UNIXTIME(?) LIMIT 20";
	int rc;

	rc = au_db_exec(db, sweep, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(now - window)), NULL);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(ip), AU_DB_INT(now), AU_DB_INT(now - window),
	    AU_DB_INT(now - window)), NULL);
}
