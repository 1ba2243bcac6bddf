/* store_role.c — roles, composites and client role mappings. */
#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_role.h"

int
au_store_role_ensure_realm(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, const char *description,
    char **id)
{
	static const char find[] =
	    "SELECT id FROM roles WHERE owner_key = ? AND name = ?";
	static const char ins[] =
	    "INSERT INTO roles (id, realm_id, client_id, owner_key, name, "
	    "description, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, "
	    "FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	const char *owner = au_arena_printf(a, "realm:%s", realm_uuid);
	int64_t now = au_time_now();
	char **row;
	char *fresh;
	int rc;

	rc = au_db_query_row(db, a, find, AU_DB_ARGS(AU_DB_STR(owner),
	    AU_DB_STR(name)), &row);
	if (rc == AU_OK) {
		*id = row[0];
		return AU_OK;
	}
	if (rc != AU_ENOTFOUND)
		return rc;
	fresh = au_rand_uuid(a);
	rc = au_db_exec(db, ins, AU_DB_ARGS(AU_DB_STR(fresh),
	    AU_DB_STR(realm_uuid), AU_DB_STR(owner), AU_DB_STR(name),
	    AU_DB_STR(description), AU_DB_INT(now), AU_DB_INT(now)), NULL);
	if (rc != AU_OK)
		return rc;
	*id = fresh;
	return AU_OK;
}

int
au_store_role_grant_client(struct au_db *db, const char *client_uuid,
    const char *role_id)
{
	static const char sql[] = "INSERT IGNORE INTO client_service_roles "
	    "(client_id, role_id) VALUES (?, ?)";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_STR(role_id)), NULL);
}

int
au_store_role_client_realm_roles(struct au_db *db, struct au_arena *a,
    const char *client_uuid, char ***names, int *n)
{
	/* direct roles and the children of composite roles, one level */
	static const char sql[] =
	    "SELECT r.name FROM client_service_roles m JOIN roles r "
	    "ON r.id = m.role_id WHERE m.client_id = ? AND r.client_id IS NULL "
	    "UNION SELECT c.name FROM client_service_roles m "
	    "JOIN role_composites rc ON rc.parent_id = m.role_id "
	    "JOIN roles c ON c.id = rc.child_id "
	    "WHERE m.client_id = ? AND c.client_id IS NULL ORDER BY 1";
	struct au_dbres res;
	int rc, i;

	rc = au_db_query(db, a, sql, AU_DB_ARGS(AU_DB_STR(client_uuid),
	    AU_DB_STR(client_uuid)), &res);
	if (rc != AU_OK)
		return rc;
	*names = au_arena_calloc(a, sizeof(char *) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++)
		(*names)[i] = res.rows[i][0];
	*n = res.nrows;
	return AU_OK;
}
