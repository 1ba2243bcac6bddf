/* store_posture.c — security posture queries (see store_posture.h). */
#include "core/core_err.h"
#include "db/db_conn.h"
#include "store/store_posture.h"

#define LIMIT " LIMIT 50"

/* A secret of s's owner that is unrevoked and outlives `before`. */
#define OUTLIVES(col) "EXISTS (SELECT 1 FROM secrets n WHERE n." col \
	" = s." col " AND n.revoked_at IS NULL AND (n.expires_at IS NULL OR " \
	"n.expires_at >= FROM_UNIXTIME(?)))"

int
au_store_posture_secrets_ending(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, int64_t before, struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT IF(s.client_id IS NULL, 'consumer', 'client'), "
	    "COALESCE(c.client_id, k.consumer_id), s.id, s.expires_at "
	    "FROM secrets s LEFT JOIN clients c ON c.id = s.client_id "
	    "LEFT JOIN consumers k ON k.id = s.consumer_id "
	    "WHERE s.realm_id = ? AND s.expires_at IS NOT NULL "
	    "AND s.expires_at < FROM_UNIXTIME(?) AND s.revoked_at IS NULL "
	    "AND NOT (s.client_id IS NOT NULL AND " OUTLIVES("client_id") ") "
	    "AND NOT (s.consumer_id IS NOT NULL AND " OUTLIVES("consumer_id")
	    ") ORDER BY s.expires_at" LIMIT;

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(before), AU_DB_INT(before), AU_DB_INT(before)), res);
}

int
au_store_posture_public_no_pkce(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT client_id FROM clients WHERE realm_id = ? "
	    "AND type = 'public' AND pkce_required = 0 ORDER BY client_id" LIMIT;

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)), res);
}

int
au_store_posture_no_secret(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT c.client_id FROM clients c WHERE c.realm_id = ? "
	    "AND c.type = 'confidential' AND c.token_endpoint_auth_method "
	    "NOT IN ('private_key_jwt', 'none') AND NOT EXISTS (SELECT 1 "
	    "FROM secrets s WHERE s.client_id = c.id AND s.revoked_at IS NULL) "
	    "ORDER BY c.client_id" LIMIT;

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)), res);
}

int
au_store_posture_old_secrets(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, int64_t now, int64_t before,
    struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT IF(s.client_id IS NULL, 'consumer', 'client'), "
	    "COALESCE(c.client_id, k.consumer_id), s.id, s.created_at "
	    "FROM secrets s LEFT JOIN clients c ON c.id = s.client_id "
	    "LEFT JOIN consumers k ON k.id = s.consumer_id "
	    "WHERE s.realm_id = ? AND s.revoked_at IS NULL AND "
	    "(s.expires_at IS NULL OR s.expires_at > FROM_UNIXTIME(?)) "
	    "AND s.created_at < FROM_UNIXTIME(?) ORDER BY s.created_at" LIMIT;

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(now), AU_DB_INT(before)), res);
}

int
au_store_posture_http_redirects(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT c.client_id, u.uri FROM clients c JOIN client_uris u "
	    "ON u.client_id = c.id AND u.kind = 'redirect' "
	    "WHERE c.realm_id = ? AND u.uri LIKE 'http:%' "
	    "ORDER BY c.client_id, u.uri LIMIT 200";

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)), res);
}

int
au_store_posture_unused_clients(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, int64_t before, struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT c.client_id, MAX(s.last_used_at) FROM secrets s "
	    "JOIN clients c ON c.id = s.client_id WHERE s.realm_id = ? "
	    "AND s.client_id IS NOT NULL GROUP BY c.id, c.client_id HAVING MAX(s.created_at) < "
	    "FROM_UNIXTIME(?) AND (MAX(s.last_used_at) IS NULL OR "
	    "MAX(s.last_used_at) < FROM_UNIXTIME(?)) ORDER BY c.client_id" LIMIT;

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_INT(before), AU_DB_INT(before)), res);
}

int
au_store_posture_idle_admins(struct au_db *db, struct au_arena *a,
    const char *realm_id, int64_t before, struct au_dbres *res)
{
	static const char sql[] =
	    "SELECT u.username, MAX(se.auth_time) FROM realms m "
	    "JOIN roles ro ON ro.realm_id = m.id AND ro.client_id IS NULL "
	    "AND ro.name IN ('admin', CONCAT('realm-admin:', ?)) "
	    "JOIN user_roles ur ON ur.role_id = ro.id "
	    "JOIN users u ON u.id = ur.user_id "
	    "LEFT JOIN sessions se ON se.user_id = u.id "
	    "WHERE m.realm_id = 'master' GROUP BY u.id, u.username "
	    "HAVING MAX(se.auth_time) IS NULL OR MAX(se.auth_time) < "
	    "FROM_UNIXTIME(?) ORDER BY u.username" LIMIT;

	return au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_id),
	    AU_DB_INT(before)), res);
}
