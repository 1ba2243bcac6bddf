/* store_refresh.c — refresh tokens (see store_refresh.h). */
#include <stdbool.h>
#include <stddef.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "db/db_conn.h"
#include "store/store_refresh.h"
#include "store/store_user.h"
#include "store/store_util.h"

/* A day after a family expired nobody can tell its tokens from unknown
 * ones any more: such rows are purged now and then (purge_maybe). */
#define PURGE_AFTER (24 * 3600)
#define PURGE_EVERY 32

struct insert {
	struct au_arena *a;
	const char *realm_uuid, *token_hash, *access_jti;
	struct au_refresh *t;
	int64_t access_expires_at;
	bool spend_parent;
};

static int
insert_tx(struct au_db *db, void *arg)
{
	static const char spend[] = "UPDATE refresh_tokens SET used_at = "
	    "FROM_UNIXTIME(?) WHERE id = ? AND used_at IS NULL AND "
	    "revoked_at IS NULL";
	static const char sql[] = "INSERT INTO refresh_tokens (id, realm_id, "
	    "token_hash, family_id, parent_id, client_id, user_id, session_id, "
	    "auth_code_id, scope, offline, auth_time, access_jti, "
	    "access_expires_at, created_at, expires_at, family_expires_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), ?, "
	    "FROM_UNIXTIME(?), FROM_UNIXTIME(?), FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?))";
	struct insert *x = arg;
	struct au_refresh *t = x->t;
	int rc;

	if (x->spend_parent) {
		rc = au_db_exec_one(db, spend, AU_DB_ARGS(
		    AU_DB_INT(t->created_at), AU_DB_STR(t->parent_id)));
		/* not AU_ECONFLICT: that is also what a transaction whose
		 * retries ran out returns, and this one means reuse */
		if (rc == AU_ECONFLICT)
			return AU_EDENIED;
		if (rc != AU_OK)
			return rc;
	}
	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(t->id),
	    AU_DB_STR(x->realm_uuid), AU_DB_STR(x->token_hash),
	    AU_DB_STR(t->family_id), AU_DB_STR(t->parent_id),
	    AU_DB_STR(t->client_uuid), AU_DB_STR(t->user_id),
	    AU_DB_STR(t->session_id), AU_DB_STR(t->auth_code_id),
	    AU_DB_STR(t->scope), AU_DB_INT(t->offline),
	    AU_DB_INT(t->auth_time), AU_DB_STR(x->access_jti),
	    AU_DB_INT(x->access_expires_at), AU_DB_INT(t->created_at),
	    AU_DB_INT(t->expires_at), AU_DB_INT(t->family_expires_at)), NULL);
}

/* Drops, one insert in PURGE_EVERY, up to 200 rows of the realm's
 * families that expired PURGE_AFTER ago, by the expiry index: more than
 * the inserts in between add, so the table stays at what is live.  Its
 * own statement after the rotation's commit, since nothing about it
 * needs to be atomic with a rotation, and the rotation's transaction
 * stays short.  A failure is logged, never the caller's. */
static void
purge_maybe(struct au_db *db, const char *realm_uuid, int64_t now)
{
	static const char purge[] = "DELETE FROM refresh_tokens "
	    "WHERE realm_id = ? AND expires_at < FROM_UNIXTIME(?) AND "
	    "family_expires_at < FROM_UNIXTIME(?) LIMIT 200";
	unsigned char r;

	au_rand_bytes(&r, 1);
	if (r % PURGE_EVERY != 0)
		return;
	if (au_db_exec(db, purge, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(now - PURGE_AFTER), AU_DB_INT(now - PURGE_AFTER)),
	    NULL) != AU_OK)
		au_log_warn("realm %s: expired refresh tokens not purged",
		    realm_uuid);
}

int
au_store_refresh_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, struct au_refresh *t,
    const char *access_jti, int64_t access_expires_at, bool spend_parent)
{
	struct insert x = { a, realm_uuid, token_hash, access_jti, t,
		access_expires_at, spend_parent };
	int rc;

	t->id = au_rand_uuid(a);
	if (t->family_id == NULL)
		t->family_id = t->id;
	rc = au_db_tx(db, insert_tx, &x);
	if (rc == AU_OK)
		purge_maybe(db, realm_uuid, t->created_at);
	return rc;
}

#define TOKEN_COLS(t) t "id, " t "family_id, " t "parent_id, " \
	t "client_id, " t "user_id, " t "session_id, " t "auth_code_id, " \
	t "scope, " t "offline, " t "auth_time, " t "created_at, " \
	t "expires_at, " t "family_expires_at, " t "used_at, " t "revoked_at"
#define TOKEN_NCOLS 15

static struct au_refresh *
token_from_row(struct au_arena *a, char **row)
{
	struct au_refresh *t = au_arena_calloc(a, sizeof(*t));

	t->id = row[0];
	t->family_id = row[1];
	t->parent_id = row[2];
	t->client_uuid = row[3];
	t->user_id = row[4];
	t->session_id = row[5];
	t->auth_code_id = row[6];
	t->scope = row[7] != NULL ? row[7] : "";
	t->offline = au_col_ll(row[8]) != 0;
	t->auth_time = au_col_time(row[9]);
	t->created_at = au_col_time(row[10]);
	t->expires_at = au_col_time(row[11]);
	t->family_expires_at = au_col_time(row[12]);
	t->used_at = au_col_time(row[13]);
	t->revoked_at = au_col_time(row[14]);
	return t;
}

int
au_store_refresh_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, struct au_refresh **out)
{
	static const char sql[] = "SELECT " TOKEN_COLS("") " FROM "
	    "refresh_tokens WHERE token_hash = ? AND realm_id = ?";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(token_hash),
	    AU_DB_STR(realm_uuid)), &row);
	if (rc != AU_OK)
		return rc;
	*out = token_from_row(a, row);
	return AU_OK;
}

int
au_store_refresh_find_use(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, int64_t now,
    int session_idle, struct au_refresh_use *out)
{
	/* the session's conditions are store_login.c's live-session rule;
	 * every join is by primary key, so this costs the token's lookup */
	static const char sql[] = "SELECT " TOKEN_COLS("t.") ", "
	    "s.id IS NOT NULL, s.last_seen_at, " AU_USER_COLS("u.") " "
	    "FROM refresh_tokens t "
	    "LEFT JOIN sessions s ON s.id = t.session_id AND "
	    "s.realm_id = t.realm_id AND s.ended_at IS NULL AND "
	    "s.expires_at > FROM_UNIXTIME(?) AND "
	    "s.last_seen_at > FROM_UNIXTIME(?) "
	    "LEFT JOIN users u ON u.id = t.user_id AND u.realm_id = t.realm_id "
	    "WHERE t.token_hash = ? AND t.realm_id = ?";
	struct au_refresh_use use = { 0 };
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_INT(now),
	    AU_DB_INT(now - session_idle), AU_DB_STR(token_hash),
	    AU_DB_STR(realm_uuid)), &row);
	if (rc != AU_OK)
		return rc;
	use.t = token_from_row(a, row);
	use.session_live = au_col_ll(row[TOKEN_NCOLS]) != 0;
	use.session_seen_at = au_col_time(row[TOKEN_NCOLS + 1]);
	row += TOKEN_NCOLS + 2;
	if (row[0] != NULL) {
		use.user = au_arena_calloc(a, sizeof(*use.user));
		au_store_user_from_row(use.user, row);
	}
	*out = use;
	return AU_OK;
}

struct revoke {
	const char *key;          /* family or code id */
	int64_t now;
};

/* The access tokens of the families selected by where (one parameter),
 * then the families themselves. */
static int
revoke_where(struct au_db *db, const struct revoke *x, const char *jtis,
    const char *tokens)
{
	int rc;

	rc = au_db_exec(db, jtis, AU_DB_ARGS(AU_DB_STR(x->key),
	    AU_DB_INT(x->now)), NULL);
	if (rc != AU_OK)
		return rc;
	return au_db_exec(db, tokens, AU_DB_ARGS(AU_DB_INT(x->now),
	    AU_DB_STR(x->key)), NULL);
}

static int
revoke_family_tx(struct au_db *db, void *arg)
{
	static const char jtis[] = "INSERT IGNORE INTO revoked_tokens "
	    "(jti, realm_id, expires_at) SELECT access_jti, realm_id, "
	    "access_expires_at FROM refresh_tokens WHERE family_id = ? AND "
	    "access_jti IS NOT NULL AND access_expires_at > FROM_UNIXTIME(?)";
	static const char tokens[] = "UPDATE refresh_tokens SET revoked_at = "
	    "FROM_UNIXTIME(?) WHERE family_id = ? AND revoked_at IS NULL";

	return revoke_where(db, arg, jtis, tokens);
}

int
au_store_refresh_revoke_family(struct au_db *db, const char *family_id,
    int64_t now)
{
	struct revoke x = { family_id, now };

	return au_db_tx(db, revoke_family_tx, &x);
}

static int
revoke_code_tx(struct au_db *db, void *arg)
{
	static const char code[] = "INSERT IGNORE INTO revoked_tokens "
	    "(jti, realm_id, expires_at) SELECT access_jti, realm_id, "
	    "access_expires_at FROM auth_codes WHERE id = ? AND "
	    "access_jti IS NOT NULL AND access_expires_at > FROM_UNIXTIME(?)";
	/* every member of a family carries the code it came from */
	static const char jtis[] = "INSERT IGNORE INTO revoked_tokens "
	    "(jti, realm_id, expires_at) SELECT access_jti, realm_id, "
	    "access_expires_at FROM refresh_tokens WHERE auth_code_id = ? AND "
	    "access_jti IS NOT NULL AND access_expires_at > FROM_UNIXTIME(?)";
	static const char tokens[] = "UPDATE refresh_tokens SET revoked_at = "
	    "FROM_UNIXTIME(?) WHERE auth_code_id = ? AND revoked_at IS NULL";
	const struct revoke *x = arg;
	int rc;

	rc = au_db_exec(db, code, AU_DB_ARGS(AU_DB_STR(x->key),
	    AU_DB_INT(x->now)), NULL);
	if (rc != AU_OK)
		return rc;
	return revoke_where(db, x, jtis, tokens);
}

int
au_store_code_revoke_issued(struct au_db *db, const char *code_id,
    int64_t now)
{
	struct revoke x = { code_id, now };

	return au_db_tx(db, revoke_code_tx, &x);
}

int
au_store_code_set_access(struct au_db *db, const char *code_id,
    const char *access_jti, int64_t access_expires_at)
{
	static const char sql[] = "UPDATE auth_codes SET access_jti = ?, "
	    "access_expires_at = FROM_UNIXTIME(?) WHERE id = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(access_jti),
	    AU_DB_INT(access_expires_at), AU_DB_STR(code_id)), NULL);
}
