/* store_token.c — revoked_tokens, client_assertion_jtis and
 * opaque_tokens. */
#include <stdbool.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_token.h"

int
au_store_token_revoke(struct au_db *db, const char *realm_uuid,
    const char *jti, int64_t expires_at)
{
	static const char sql[] =
	    "INSERT IGNORE INTO revoked_tokens (jti, realm_id, expires_at) "
	    "VALUES (?, ?, FROM_UNIXTIME(?))";
	/* rows of tokens that expired since are useless: a few go each time
	 * (by the expiry index), so the table holds only live revocations */
	static const char purge[] =
	    "DELETE FROM revoked_tokens WHERE expires_at < FROM_UNIXTIME(?) "
	    "LIMIT 100";
	int rc;

	rc = au_db_exec(db, purge, AU_DB_ARGS(AU_DB_INT(au_time_now())), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(jti),
		    AU_DB_STR(realm_uuid), AU_DB_INT(expires_at)), NULL);
	return rc;
}

int
au_store_token_revoked(struct au_db *db, struct au_arena *a, const char *jti,
    bool *revoked)
{
	static const char sql[] =
	    "SELECT 1 FROM revoked_tokens WHERE jti = ?";
	struct au_dbres res;
	int rc;

	*revoked = false;
	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(jti)), &res);
	if (rc == AU_OK)
		*revoked = res.nrows > 0;
	return rc;
}

int
au_store_assertion_jti_use(struct au_db *db, const char *client_uuid,
    const char *jti_sha256, int64_t expires_at)
{
	static const char sql[] =
	    "INSERT INTO client_assertion_jtis (client_id, jti_sha256, "
	    "expires_at) VALUES (?, ?, FROM_UNIXTIME(?))";
	/* the client's expired jtis can never be replayed (their assertions
	 * expired with them): dropped by primary-key prefix */
	static const char purge[] =
	    "DELETE FROM client_assertion_jtis WHERE client_id = ? AND "
	    "expires_at < FROM_UNIXTIME(?)";
	int rc;

	rc = au_db_exec(db, purge, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_INT(au_time_now())), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
		    AU_DB_STR(jti_sha256), AU_DB_INT(expires_at)), NULL);
	return rc;
}

int
au_store_opaque_insert(struct au_db *db, const char *realm_uuid,
    const char *token_hash, const char *jti, const char *claims,
    int64_t expires_at)
{
	static const char sql[] =
	    "INSERT INTO opaque_tokens (token_hash, realm_id, jti, claims, "
	    "expires_at) VALUES (?, ?, ?, ?, FROM_UNIXTIME(?))";
	/* a few expired rows go each time, by the expiry index */
	static const char purge[] =
	    "DELETE FROM opaque_tokens WHERE expires_at < FROM_UNIXTIME(?) "
	    "LIMIT 10";
	int rc;

	rc = au_db_exec(db, purge, AU_DB_ARGS(AU_DB_INT(au_time_now())), NULL);
	if (rc == AU_OK)
		rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(token_hash),
		    AU_DB_STR(realm_uuid), AU_DB_STR(jti), AU_DB_STR(claims),
		    AU_DB_INT(expires_at)), NULL);
	return rc;
}

int
au_store_opaque_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *token_hash, char **claims)
{
	static const char sql[] =
	    "SELECT claims FROM opaque_tokens WHERE token_hash = ? AND "
	    "realm_id = ? AND expires_at > FROM_UNIXTIME(?)";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(token_hash),
	    AU_DB_STR(realm_uuid), AU_DB_INT(au_time_now())), &row);
	if (rc == AU_OK)
		*claims = row[0];
	return rc;
}
