/* store_login.c — sessions and authorization codes (see store_login.h). */
#include <stddef.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "db/db_conn.h"
#include "db/db_tx.h"
#include "store/store_event.h"
#include "store/store_login.h"
#include "store/store_util.h"

int
au_store_session_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_hash, const char *ip,
    const char *user_agent, struct au_session *s)
{
	static const char sql[] = "INSERT INTO sessions (id, realm_id, "
	    "user_id, session_hash, auth_time, amr, acr, remember_me, ip, "
	    "user_agent, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, "
	    "?, FROM_UNIXTIME(?), ?, ?, ?, ?, LEFT(?, 255), FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?), FROM_UNIXTIME(?))";

	s->id = au_rand_uuid(a);
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(s->id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(s->user_id),
	    AU_DB_STR(session_hash), AU_DB_INT(s->auth_time),
	    AU_DB_STR(s->amr != NULL ? s->amr : "pwd"),
	    AU_DB_STR(s->acr != NULL ? s->acr : "1"),
	    AU_DB_INT(s->remember_me), AU_DB_STR(ip != NULL ? ip : ""),
	    AU_DB_STR(user_agent != NULL ? user_agent : ""),
	    AU_DB_INT(s->created_at), AU_DB_INT(s->created_at),
	    AU_DB_INT(s->expires_at)), NULL);
}

int
au_store_session_seen(struct au_db *db, const char *id,
    int64_t last_seen_at, int64_t now, int idle)
{
	static const char touch[] = "UPDATE sessions SET last_seen_at = "
	    "FROM_UNIXTIME(?) WHERE id = ?";

	/* a write per use would be the busiest row of the table: last use
	 * is kept to a tenth of the idle time (at most a minute), which the
	 * idle check can spare */
	if (now - last_seen_at < (idle / 10 < 60 ? idle / 10 : 60))
		return AU_OK;
	return au_db_exec(db, touch, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_STR(id)), NULL);
}

/* The live session selected by sql (key, realm, now, now - idle), marked
 * seen now. */
static int
find_live(struct au_db *db, struct au_arena *a, const char *sql,
    const char *key, const char *realm_uuid, int64_t now, int idle,
    struct au_session **out)
{
	struct au_session *s;
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(key),
	    AU_DB_STR(realm_uuid), AU_DB_INT(now), AU_DB_INT(now - idle)),
	    &row);
	if (rc != AU_OK)
		return rc;
	s = au_arena_calloc(a, sizeof(*s));
	s->id = row[0];
	s->user_id = row[1];
	s->auth_time = au_col_time(row[2]);
	s->created_at = au_col_time(row[3]);
	s->last_seen_at = au_col_time(row[4]);
	s->expires_at = au_col_time(row[5]);
	s->amr = row[6];
	s->acr = row[7];
	rc = au_store_session_seen(db, s->id, s->last_seen_at, now, idle);
	if (rc == AU_OK)
		*out = s;
	return rc;
}

#define LIVE_SESSION(key) "SELECT id, user_id, auth_time, created_at, " \
	"last_seen_at, expires_at, amr, acr FROM sessions " \
	"WHERE " key " = ? AND realm_id = ? AND ended_at IS NULL " \
	"AND expires_at > FROM_UNIXTIME(?) AND last_seen_at > FROM_UNIXTIME(?)"

int
au_store_session_find_live(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_hash, int64_t now,
    int idle, struct au_session **out)
{
	return find_live(db, a, LIVE_SESSION("session_hash"), session_hash,
	    realm_uuid, now, idle, out);
}

int
au_store_session_live_by_id(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_id, int64_t now, int idle,
    struct au_session **out)
{
	return find_live(db, a, LIVE_SESSION("id"), session_id, realm_uuid,
	    now, idle, out);
}

int
au_store_session_live(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *id, int64_t now, int idle,
    bool *live)
{
	static const char sql[] = LIVE_SESSION("id");
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(id),
	    AU_DB_STR(realm_uuid), AU_DB_INT(now), AU_DB_INT(now - idle)),
	    &row);
	if (rc != AU_OK && rc != AU_ENOTFOUND)
		return rc;
	*live = rc == AU_OK;
	return AU_OK;
}

struct end_args {
	struct au_arena *a;
	const char *realm_uuid;
	const char *session_id;
	const char *user_id;
	int64_t now;
	struct au_event *ev;
	unsigned long long ended;
};

static int
end_tx(struct au_db *db, void *arg)
{
	static const char session[] = "UPDATE sessions SET ended_at = "
	    "FROM_UNIXTIME(?) WHERE id = ? AND realm_id = ? AND "
	    "(? IS NULL OR user_id = ?) AND ended_at IS NULL";
	static const char tokens[] = "UPDATE refresh_tokens SET revoked_at = "
	    "FROM_UNIXTIME(?) WHERE session_id = ? AND offline = 0 AND "
	    "revoked_at IS NULL";
	struct end_args *e = arg;
	int rc;

	rc = au_db_exec(db, session, AU_DB_ARGS(AU_DB_INT(e->now),
	    AU_DB_STR(e->session_id), AU_DB_STR(e->realm_uuid),
	    AU_DB_STR(e->user_id), AU_DB_STR(e->user_id)), &e->ended);
	if (rc != AU_OK || e->ended == 0)
		return rc;
	rc = au_db_exec(db, tokens, AU_DB_ARGS(AU_DB_INT(e->now),
	    AU_DB_STR(e->session_id)), NULL);
	if (rc == AU_OK && e->ev != NULL)
		rc = au_store_event_insert(db, e->a, e->ev);
	return rc;
}

int
au_store_session_end(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *session_id, const char *user_id,
    int64_t now, struct au_event *ev, bool *ended)
{
	struct end_args e = { a, realm_uuid, session_id, user_id, now, ev, 0 };
	int rc;

	if (ended != NULL)
		*ended = false;
	if (session_id == NULL || !au_uuid_valid(session_id))
		return AU_OK;
	rc = au_db_tx(db, end_tx, &e);
	if (rc == AU_OK && ended != NULL)
		*ended = e.ended > 0;
	return rc;
}

int
au_store_code_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *code_hash, struct au_code *c)
{
	static const char sql[] = "INSERT INTO auth_codes (id, realm_id, "
	    "code_hash, client_id, user_id, session_id, redirect_uri, scope, "
	    "nonce, code_challenge, code_challenge_method, resource, "
	    "auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?))";

	c->id = au_rand_uuid(a);
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(c->id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(code_hash),
	    AU_DB_STR(c->client_uuid), AU_DB_STR(c->user_id),
	    AU_DB_STR(c->session_id), AU_DB_STR(c->redirect_uri),
	    AU_DB_STR(c->scope), AU_DB_STR(c->nonce),
	    AU_DB_STR(c->code_challenge), AU_DB_STR(c->code_challenge_method),
	    AU_DB_STR(c->resource),
	    AU_DB_INT(c->auth_time), AU_DB_INT(c->created_at),
	    AU_DB_INT(c->expires_at)), NULL);
}

int
au_store_code_spend(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *code_hash, int64_t now,
    struct au_code **out)
{
	static const char find[] = "SELECT id, client_id, user_id, "
	    "session_id, redirect_uri, scope, nonce, code_challenge, "
	    "code_challenge_method, auth_time, created_at, expires_at, used_at, "
	    "resource FROM auth_codes WHERE code_hash = ? AND realm_id = ?";
	static const char spend[] = "UPDATE auth_codes SET used_at = "
	    "FROM_UNIXTIME(?) WHERE id = ? AND used_at IS NULL";
	struct au_code *c;
	char **row;
	int rc;

	rc = au_db_query_row(db, a, find, AU_DB_ARGS(AU_DB_STR(code_hash),
	    AU_DB_STR(realm_uuid)), &row);
	if (rc != AU_OK)
		return rc;
	c = au_arena_calloc(a, sizeof(*c));
	c->id = row[0];
	c->client_uuid = row[1];
	c->user_id = row[2];
	c->session_id = row[3];
	c->redirect_uri = row[4];
	c->scope = row[5];
	c->nonce = row[6];
	c->code_challenge = row[7];
	c->code_challenge_method = row[8];
	c->auth_time = au_col_time(row[9]);
	c->created_at = au_col_time(row[10]);
	c->expires_at = au_col_time(row[11]);
	c->used_at = au_col_time(row[12]);
	c->resource = row[13];
	*out = c;
	return au_db_exec_one(db, spend, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_STR(c->id)));
}

int
au_store_client_user_assigned(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *user_id, bool *out)
{
	static const char sql[] = "SELECT 1 FROM client_users "
	    "WHERE client_id = ? AND user_id = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_STR(user_id)), &row);
	*out = rc == AU_OK;
	return rc == AU_ENOTFOUND ? AU_OK : rc;
}

int
au_store_user_login_failed(struct au_db *db, const char *user_id,
    int64_t now, const struct au_lockout *p, bool *locked)
{
	static const char count[] = "UPDATE users SET failed_logins = "
	    "IF(last_failure_at IS NULL OR last_failure_at < FROM_UNIXTIME(?), "
	    "1, failed_logins + 1), last_failure_at = FROM_UNIXTIME(?) "
	    "WHERE id = ?";
	/* assignments read lockout_count before it is incremented, in both
	 * of MariaDB's assignment orders */
	static const char lock[] = "UPDATE users SET "
	    "locked_until = FROM_UNIXTIME(? + LEAST(? * (lockout_count + 1), ?)), "
	    "locked_permanently = (? > 0 AND lockout_count >= ?), "
	    "failed_logins = 0, lockout_count = lockout_count + 1 "
	    "WHERE id = ? AND failed_logins >= ?";
	unsigned long long affected = 0;
	int rc;

	if (locked != NULL)
		*locked = false;
	if (!p->enabled)
		return AU_OK;
	rc = au_db_exec(db, count, AU_DB_ARGS(AU_DB_INT(now - p->failure_reset),
	    AU_DB_INT(now), AU_DB_STR(user_id)), NULL);
	if (rc != AU_OK)
		return rc;
	rc = au_db_exec(db, lock, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_INT(p->wait_increment), AU_DB_INT(p->max_wait),
	    AU_DB_INT(p->permanent_after), AU_DB_INT(p->permanent_after),
	    AU_DB_STR(user_id), AU_DB_INT(p->max_failures)), &affected);
	if (rc == AU_OK && locked != NULL)
		*locked = affected > 0;
	return rc;
}

int
au_store_user_login_ok(struct au_db *db, const char *user_id)
{
	static const char sql[] = "UPDATE users SET failed_logins = 0, "
	    "lockout_count = 0 WHERE id = ? AND "
	    "(failed_logins > 0 OR lockout_count > 0)";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(user_id)), NULL);
}

int
au_store_ip_failed(struct au_db *db, const char *realm_uuid, const char *ip,
    int64_t now, int reset)
{
	/* failures is assigned first and reads the old last_failure_at */
	static const char sql[] = "INSERT INTO login_ip_failures (realm_id, "
	    "ip, failures, last_failure_at) VALUES (?, ?, 1, FROM_UNIXTIME(?)) "
	    "ON DUPLICATE KEY UPDATE failures = IF(last_failure_at < "
	    "FROM_UNIXTIME(?), 1, failures + 1), last_failure_at = "
	    "VALUES(last_failure_at)";
	/* rows past the quiet period count for nothing: each failure takes
	 * a few away, so the table holds about the addresses of one period */
	static const char purge[] = "DELETE FROM login_ip_failures "
	    "WHERE realm_id = ? AND last_failure_at < FROM_UNIXTIME(?) LIMIT 20";
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(ip), AU_DB_INT(now), AU_DB_INT(now - reset)), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, purge, AU_DB_ARGS(AU_DB_STR(realm_uuid),
		    AU_DB_INT(now - reset)), NULL);
	return rc;
}

int
au_store_ip_blocked(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *ip, int64_t now, int reset, int max,
    bool *blocked)
{
	static const char sql[] = "SELECT failures FROM login_ip_failures "
	    "WHERE realm_id = ? AND ip = ? AND last_failure_at >= "
	    "FROM_UNIXTIME(?)";
	char **row;
	int rc;

	*blocked = false;
	if (max <= 0)
		return AU_OK;
	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(ip), AU_DB_INT(now - reset)), &row);
	if (rc == AU_ENOTFOUND)
		return AU_OK;
	if (rc == AU_OK)
		*blocked = au_col_ll(row[0]) >= max;
	return rc;
}

int
au_store_consent_get(struct au_db *db, struct au_arena *a,
    const char *user_id, const char *client_uuid, char **scopes)
{
	static const char sql[] = "SELECT scopes FROM consents "
	    "WHERE user_id = ? AND client_id = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(user_id),
	    AU_DB_STR(client_uuid)), &row);
	if (rc == AU_ENOTFOUND) {
		*scopes = "";
		return AU_OK;
	}
	if (rc == AU_OK)
		*scopes = row[0] != NULL ? row[0] : "";
	return rc;
}

int
au_store_consent_put(struct au_db *db, const char *user_id,
    const char *client_uuid, const char *scopes, int64_t now)
{
	static const char sql[] = "INSERT INTO consents (user_id, client_id, "
	    "scopes, created_at, updated_at) VALUES (?, ?, ?, FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?)) ON DUPLICATE KEY UPDATE scopes = VALUES(scopes), "
	    "updated_at = VALUES(updated_at)";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(user_id),
	    AU_DB_STR(client_uuid), AU_DB_STR(scopes), AU_DB_INT(now),
	    AU_DB_INT(now)), NULL);
}
