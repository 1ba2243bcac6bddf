/* store_user.c — users, password history, lockout and sessions tables.
 *
 * Uniqueness of username and email is the job of the unique keys
 * (uq_users_realm_username, uq_users_realm_email), which hold across
 * workers and hosts; the reads around an insert or update only tell which
 * of the two is taken, so the caller can name the field in its 409. */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_user.h"
#include "store/store_util.h"

#define USER_COLS AU_USER_COLS("")

void
au_store_user_from_row(struct au_user *u, char **row)
{
	u->id = row[0];
	u->realm_uuid = row[1];
	u->username = row[2];
	u->email = row[3];
	u->email_verified = au_col_ll(row[4]) != 0;
	u->first_name = row[5];
	u->last_name = row[6];
	u->enabled = au_col_ll(row[7]) != 0;
	u->attributes = row[8];
	u->required_actions = row[9];
	u->password_set = au_col_ll(row[10]) != 0;
	u->password_changed_at = au_col_time(row[11]);
	u->failed_logins = au_col_ll(row[12]);
	u->locked_until = au_col_time(row[13]);
	u->locked_permanently = au_col_ll(row[14]) != 0;
	u->version = au_col_ll(row[15]);
	u->created_at = au_col_time(row[16]);
	u->updated_at = au_col_time(row[17]);
}

bool
au_user_locked(const struct au_user *u, int64_t now)
{
	return u->locked_permanently || u->locked_until > now;
}

/* Which unique value of u another user (any id but u->id) already holds:
 * AU_EDUP with *field, AU_OK when neither.  The connection reads
 * committed rows (READ COMMITTED), so asked again after a duplicate-key
 * error it sees the row of the writer that won a race. */
static int
check_taken(struct au_db *db, struct au_arena *a, const struct au_user *u,
    const char **field)
{
	static const char by_name[] = "SELECT id FROM users WHERE realm_id = ? "
	    "AND username = ?";
	static const char by_email[] = "SELECT id FROM users WHERE realm_id = ? "
	    "AND email = ?";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, by_name, AU_DB_ARGS(AU_DB_STR(u->realm_uuid),
	    AU_DB_STR(u->username)), &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++)
		if (strcmp(res.rows[i][0], u->id) != 0)
			return *field = "username", AU_EDUP;
	if (rc != AU_OK || u->email == NULL)
		return rc;
	rc = au_db_query(db, a, by_email, AU_DB_ARGS(AU_DB_STR(u->realm_uuid),
	    AU_DB_STR(u->email)), &res);
	for (i = 0; rc == AU_OK && i < res.nrows; i++)
		if (strcmp(res.rows[i][0], u->id) != 0)
			return *field = "email", AU_EDUP;
	return rc;
}

struct write_args {
	struct au_arena *a;
	struct au_user *u;
	long long expected;
	const char **dup_field;
};

static int
insert_tx(struct au_db *db, void *arg)
{
	static const char sql[] =
	    "INSERT INTO users (id, realm_id, username, email, email_verified, "
	    "first_name, last_name, enabled, attributes, required_actions, "
	    "version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, 1, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	struct write_args *w = arg;
	struct au_user *u = w->u;
	int rc;

	rc = check_taken(db, w->a, u, w->dup_field);
	if (rc != AU_OK)
		return rc;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(u->id),
	    AU_DB_STR(u->realm_uuid), AU_DB_STR(u->username), AU_DB_STR(u->email),
	    AU_DB_INT(u->email_verified), AU_DB_STR(u->first_name),
	    AU_DB_STR(u->last_name), AU_DB_INT(u->enabled),
	    AU_DB_STR(u->attributes), AU_DB_STR(u->required_actions),
	    AU_DB_INT(u->created_at), AU_DB_INT(u->updated_at)), NULL);
	if (rc == AU_EDUP && check_taken(db, w->a, u, w->dup_field) != AU_EDUP)
		*w->dup_field = "username";     /* cannot tell: the likelier */
	return rc;
}

int
au_store_user_insert(struct au_db *db, struct au_arena *a, struct au_user *u,
    const char **dup_field)
{
	struct write_args w = { a, u, 0, dup_field };

	u->id = au_rand_uuid(a);
	u->created_at = u->updated_at = au_time_now();
	u->version = 1;
	u->password_set = false;
	return au_db_tx(db, insert_tx, &w);
}

static int
find_one(struct au_db *db, struct au_arena *a, const char *sql,
    const char *realm_uuid, const char *key, struct au_user **out)
{
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(key)), &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	au_store_user_from_row(*out, row);
	return AU_OK;
}

int
au_store_user_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *id, struct au_user **out)
{
	static const char sql[] = "SELECT " USER_COLS
	    " FROM users WHERE realm_id = ? AND id = ?";

	if (id == NULL || !au_uuid_valid(id))
		return AU_ENOTFOUND;
	return find_one(db, a, sql, realm_uuid, id, out);
}

int
au_store_user_lock(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *id, struct au_user **out)
{
	static const char sql[] = "SELECT " USER_COLS
	    " FROM users WHERE realm_id = ? AND id = ? FOR UPDATE";

	if (id == NULL || !au_uuid_valid(id))
		return AU_ENOTFOUND;
	return find_one(db, a, sql, realm_uuid, id, out);
}

int
au_store_user_find_by_username(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *username, struct au_user **out)
{
	static const char sql[] = "SELECT " USER_COLS
	    " FROM users WHERE realm_id = ? AND username = ?";

	return find_one(db, a, sql, realm_uuid, username, out);
}

int
au_store_user_find_by_email(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *email, struct au_user **out)
{
	static const char sql[] = "SELECT " USER_COLS
	    " FROM users WHERE realm_id = ? AND email = ?";

	return find_one(db, a, sql, realm_uuid, email, out);
}

int
au_store_user_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_user **items, int *n, long long *total)
{
	/* Without a prefix: the realm's range of uq_users_realm_username, in
	 * order, skipping OFFSET entries of that index alone (the inner
	 * query) before reading the page's rows: a deep page costs index
	 * entries, not rows.  With one: two index ranges (username, email)
	 * merged. */
	static const char all_sql[] = "SELECT " USER_COLS " FROM users "
	    "JOIN (SELECT id FROM users WHERE realm_id = ? ORDER BY username "
	    "LIMIT ? OFFSET ?) page USING (id) ORDER BY username";
	static const char all_count[] =
	    "SELECT COUNT(*) FROM users WHERE realm_id = ?";
	static const char q_sql[] = "SELECT " USER_COLS " FROM users "
	    "WHERE realm_id = ? AND (username LIKE ? OR email LIKE ?) "
	    "ORDER BY username LIMIT ? OFFSET ?";
	static const char q_count[] = "SELECT COUNT(*) FROM users "
	    "WHERE realm_id = ? AND (username LIKE ? OR email LIKE ?)";
	struct au_dbres res;
	const char *like;
	int rc, i;

	if (prefix == NULL || *prefix == '\0') {
		rc = au_store_page(db, a, all_count, all_sql,
		    AU_DB_ARGS(AU_DB_STR(realm_uuid)), offset, limit, &res, total);
	} else {
		like = au_like_prefix(a, prefix);
		rc = au_store_page(db, a, q_count, q_sql,
		    AU_DB_ARGS(AU_DB_STR(realm_uuid), AU_DB_STR(like),
		    AU_DB_STR(like)), offset, limit, &res, total);
	}
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		au_store_user_from_row(&(*items)[i], res.rows[i]);
	*n = res.nrows;
	return AU_OK;
}

int
au_store_user_list_after(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *after, int limit,
    struct au_user **items, int *n)
{
	/* a range of uq_users_realm_username from where the last page ended:
	 * every page costs the same, however deep into the realm */
	static const char sql[] = "SELECT " USER_COLS " FROM users "
	    "WHERE realm_id = ? AND username > ? ORDER BY username LIMIT ?";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(after != NULL ? after : ""), AU_DB_INT(limit)), &res);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		au_store_user_from_row(&(*items)[i], res.rows[i]);
	*n = res.nrows;
	return AU_OK;
}

static int
update_tx(struct au_db *db, void *arg)
{
	static const char sql[] =
	    "UPDATE users SET username = ?, email = ?, email_verified = ?, "
	    "first_name = ?, last_name = ?, enabled = ?, attributes = ?, "
	    "required_actions = ?, version = version + 1, "
	    "updated_at = FROM_UNIXTIME(?) "
	    "WHERE realm_id = ? AND id = ? AND (? = 0 OR version = ?)";
	struct write_args *w = arg;
	const struct au_user *u = w->u;
	unsigned long long affected = 0;
	int rc;

	rc = check_taken(db, w->a, u, w->dup_field);
	if (rc != AU_OK)
		return rc;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(u->username),
	    AU_DB_STR(u->email), AU_DB_INT(u->email_verified),
	    AU_DB_STR(u->first_name), AU_DB_STR(u->last_name),
	    AU_DB_INT(u->enabled), AU_DB_STR(u->attributes),
	    AU_DB_STR(u->required_actions), AU_DB_INT(au_time_now()),
	    AU_DB_STR(u->realm_uuid), AU_DB_STR(u->id), AU_DB_INT(w->expected),
	    AU_DB_INT(w->expected)), &affected);
	if (rc == AU_EDUP && check_taken(db, w->a, u, w->dup_field) != AU_EDUP)
		*w->dup_field = "username";
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return w->expected != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_user_update(struct au_db *db, struct au_arena *a,
    const struct au_user *u, long long expected_version,
    const char **dup_field)
{
	struct write_args w = { a, (struct au_user *)u, expected_version,
		dup_field };

	return au_db_tx(db, update_tx, &w);
}

int
au_store_user_delete(struct au_db *db, const char *realm_uuid, const char *id,
    long long expected_version)
{
	static const char sql[] = "DELETE FROM users WHERE realm_id = ? AND "
	    "id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	if (!au_uuid_valid(id))
		return AU_ENOTFOUND;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid), AU_DB_STR(id),
	    AU_DB_INT(expected_version), AU_DB_INT(expected_version)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected_version != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

struct password_args {
	const char *realm_uuid, *id, *phc, *required_actions;
};

static int
password_tx(struct au_db *db, void *arg)
{
	static const char sql[] =
	    "UPDATE users SET password_hash = ?, required_actions = ?, "
	    "password_changed_at = FROM_UNIXTIME(?), version = version + 1, "
	    "updated_at = FROM_UNIXTIME(?) WHERE realm_id = ? AND id = ?";
	static const char history[] = "INSERT INTO user_password_history "
	    "(user_id, created_at, password_hash) VALUES (?, UTC_TIMESTAMP(6), ?)";
	struct password_args *p = arg;
	unsigned long long affected = 0;
	int64_t now = au_time_now();
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(p->phc),
	    AU_DB_STR(p->required_actions), AU_DB_INT(now), AU_DB_INT(now),
	    AU_DB_STR(p->realm_uuid), AU_DB_STR(p->id)), &affected);
	if (rc == AU_OK && affected == 0)
		rc = AU_ENOTFOUND;
	if (rc == AU_OK)
		rc = au_db_exec(db, history, AU_DB_ARGS(AU_DB_STR(p->id),
		    AU_DB_STR(p->phc)), NULL);
	return rc;
}

int
au_store_user_set_password(struct au_db *db, const char *realm_uuid,
    const char *id, const char *phc, const char *required_actions)
{
	struct password_args p = { realm_uuid, id, phc, required_actions };

	if (!au_uuid_valid(id))
		return AU_ENOTFOUND;
	return au_db_tx(db, password_tx, &p);
}

struct insert_password {
	struct write_args w;
	struct password_args p;
};

static int
insert_password_tx(struct au_db *db, void *arg)
{
	struct insert_password *x = arg;
	int rc;

	rc = insert_tx(db, &x->w);
	if (rc == AU_OK)
		rc = password_tx(db, &x->p);
	return rc;
}

int
au_store_user_insert_with_password(struct au_db *db, struct au_arena *a,
    struct au_user *u, const char *phc, const char **dup_field)
{
	struct insert_password x = { { a, u, 0, dup_field },
		{ u->realm_uuid, NULL, phc, u->required_actions } };

	u->id = au_rand_uuid(a);
	u->created_at = u->updated_at = au_time_now();
	u->version = 1;
	u->password_set = false;
	x.p.id = u->id;
	return au_db_tx(db, insert_password_tx, &x);
}

int
au_store_user_unlock(struct au_db *db, const char *realm_uuid, const char *id)
{
	static const char sql[] =
	    "UPDATE users SET failed_logins = 0, lockout_count = 0, "
	    "locked_until = NULL, locked_permanently = 0, "
	    "version = version + 1, updated_at = FROM_UNIXTIME(?) "
	    "WHERE realm_id = ? AND id = ?";
	unsigned long long affected = 0;
	int rc;

	if (!au_uuid_valid(id))
		return AU_ENOTFOUND;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_INT(au_time_now()),
	    AU_DB_STR(realm_uuid), AU_DB_STR(id)), &affected);
	if (rc == AU_OK && affected == 0)
		rc = AU_ENOTFOUND;
	return rc;
}

int
au_store_user_sessions(struct au_db *db, struct au_arena *a,
    const char *user_id, int64_t now, int offset, int limit,
    struct au_user_session **items, int *n, long long *total)
{
	static const char sql[] = "SELECT id, ip, user_agent, remember_me, "
	    "created_at, last_seen_at, expires_at FROM sessions "
	    "WHERE user_id = ? AND ended_at IS NULL AND expires_at > "
	    "FROM_UNIXTIME(?) ORDER BY created_at DESC, id LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) FROM sessions "
	    "WHERE user_id = ? AND ended_at IS NULL AND expires_at > "
	    "FROM_UNIXTIME(?)";
	struct au_user_session *s;
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(user_id),
	    AU_DB_INT(now)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		s = &(*items)[i];
		s->id = res.rows[i][0];
		s->ip = res.rows[i][1];
		s->user_agent = res.rows[i][2];
		s->remember_me = au_col_ll(res.rows[i][3]) != 0;
		s->created_at = au_col_time(res.rows[i][4]);
		s->last_seen_at = au_col_time(res.rows[i][5]);
		s->expires_at = au_col_time(res.rows[i][6]);
	}
	*n = res.nrows;
	return AU_OK;
}

struct end_args {
	const char *user_id;
	int64_t now;
	unsigned long long ended;
};

static int
end_tx(struct au_db *db, void *arg)
{
	static const char tokens[] = "UPDATE refresh_tokens "
	    "SET revoked_at = FROM_UNIXTIME(?) WHERE revoked_at IS NULL AND "
	    "offline = 0 AND session_id IN (SELECT id FROM sessions WHERE user_id = ? AND "
	    "ended_at IS NULL)";
	static const char sessions[] = "UPDATE sessions "
	    "SET ended_at = FROM_UNIXTIME(?) WHERE user_id = ? AND "
	    "ended_at IS NULL AND expires_at > FROM_UNIXTIME(?)";
	struct end_args *e = arg;
	int rc;

	rc = au_db_exec(db, tokens, AU_DB_ARGS(AU_DB_INT(e->now),
	    AU_DB_STR(e->user_id)), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, sessions, AU_DB_ARGS(AU_DB_INT(e->now),
		    AU_DB_STR(e->user_id), AU_DB_INT(e->now)), &e->ended);
	return rc;
}

int
au_store_user_end_sessions(struct au_db *db, const char *user_id, int64_t now,
    long long *ended)
{
	struct end_args e = { user_id, now, 0 };
	int rc = au_db_tx(db, end_tx, &e);

	if (rc == AU_OK && ended != NULL)
		*ended = (long long)e.ended;
	return rc;
}

int
au_store_user_password_hashes(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const struct au_user *users, int n, char ***out)
{
	/* the page's ids first, then primary-key lookups (STRAIGHT_JOIN: not
	 * a scan of the realm's users, whatever the statistics say) */
	static const char sql[] = "SELECT STRAIGHT_JOIN p.i, u.password_hash "
	    "FROM JSON_TABLE("
	    "?, '$[*]' COLUMNS (i FOR ORDINALITY, id CHAR(36) CHARACTER SET "
	    "ascii PATH '$')) p JOIN users u ON u.id = p.id AND u.realm_id = ? "
	    "WHERE u.password_hash IS NOT NULL";
	struct au_dbres res;
	const char *ids;
	char **uuids;
	int rc, i, k;

	uuids = au_arena_calloc(a, sizeof(*uuids) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		uuids[i] = users[i].id;
	if ((ids = au_uuid_json_array(a, uuids, n)) == NULL)
		return AU_EINVAL;
	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(ids),
	    AU_DB_STR(realm_uuid)), &res);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < res.nrows; i++) {
		k = (int)au_col_ll(res.rows[i][0]) - 1;
		if (k >= 0 && k < n)
			(*out)[k] = res.rows[i][1];
	}
	return AU_OK;
}

int
au_store_user_password_history(struct au_db *db, struct au_arena *a,
    const char *user_id, int n, char ***out, int *count)
{
	static const char sql[] = "SELECT password_hash FROM "
	    "user_password_history WHERE user_id = ? "
	    "ORDER BY created_at DESC LIMIT ?";
	struct au_dbres res;
	int rc, i;

	*count = 0;
	*out = NULL;
	if (n <= 0)
		return AU_OK;
	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(user_id),
	    AU_DB_INT(n)), &res);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		(*out)[i] = res.rows[i][0];
	*count = res.nrows;
	return AU_OK;
}

int
au_store_user_rehash(struct au_db *db, const char *realm_uuid, const char *id,
    const char *old_phc, const char *new_phc)
{
	static const char sql[] = "UPDATE users SET password_hash = ? "
	    "WHERE realm_id = ? AND id = ? AND password_hash = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(new_phc),
	    AU_DB_STR(realm_uuid), AU_DB_STR(id), AU_DB_STR(old_phc)), NULL);
}
