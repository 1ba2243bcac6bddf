/* store_role.c — roles, composites and role mappings (see store_role.h). */
#include <string.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_rand.h"
#include "core/core_time.h"
#include "db/db_conn.h"
#include "store/store_role.h"
#include "store/store_util.h"

/* Every query returning roles selects these, from roles r left-joined to
 * the owning client c (for its clientId). */
#define ROLE_COLS "r.id, r.realm_id, r.client_id, c.client_id, r.owner_key, " \
	"r.name, r.description, r.version, r.created_at, r.updated_at, " \
	"EXISTS (SELECT 1 FROM role_composites x WHERE x.parent_id = r.id)"
#define ROLE_JOIN_CLIENT " LEFT JOIN clients c ON c.id = r.client_id"
/* realm roles, then client roles by clientId, then global roles */
#define ROLE_ORDER " ORDER BY r.realm_id IS NULL, c.client_id, r.name"

static void
role_from_row(struct au_role *r, char **row)
{
	r->id = row[0];
	r->realm_uuid = row[1];
	r->client_uuid = row[2];
	r->client_id = row[3];
	r->owner_key = row[4];
	r->name = row[5];
	r->description = row[6];
	r->version = au_col_ll(row[7]);
	r->created_at = au_col_time(row[8]);
	r->updated_at = au_col_time(row[9]);
	r->composite = au_col_ll(row[10]) != 0;
}

static struct au_role *
roles_from_res(struct au_arena *a, const struct au_dbres *res)
{
	struct au_role *v = au_arena_calloc(a, sizeof(*v) *
	    (size_t)(res->nrows + 1));
	int i;

	for (i = 0; i < res->nrows; i++)
		role_from_row(&v[i], res->rows[i]);
	return v;
}

static int
query_roles(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, struct au_role **items, int *n)
{
	struct au_dbres res;
	int rc;

	rc = au_db_query(db, a, sql, args, nargs, &res);
	if (rc != AU_OK)
		return rc;
	*items = roles_from_res(a, &res);
	*n = res.nrows;
	return AU_OK;
}

static int
query_role(struct au_db *db, struct au_arena *a, const char *sql,
    const struct au_dbval *args, int nargs, struct au_role **out)
{
	char **row;
	int rc;

	rc = au_db_query_row(db, a, sql, args, nargs, &row);
	if (rc != AU_OK)
		return rc;
	*out = au_arena_calloc(a, sizeof(**out));
	role_from_row(*out, row);
	return AU_OK;
}

char *
au_store_role_owner_key(struct au_arena *a, const char *realm_uuid,
    const char *client_uuid)
{
	if (client_uuid != NULL)
		return au_arena_printf(a, "client:%s", client_uuid);
	if (realm_uuid != NULL)
		return au_arena_printf(a, "realm:%s", realm_uuid);
	return au_arena_strdup(a, "global");
}

int
au_store_role_insert(struct au_db *db, struct au_arena *a, struct au_role *r)
{
	static const char sql[] =
	    "INSERT INTO roles (id, realm_id, client_id, owner_key, name, "
	    "description, version, created_at, updated_at) VALUES (?, ?, ?, ?, "
	    "?, ?, 1, FROM_UNIXTIME(?), FROM_UNIXTIME(?))";
	int rc;

	r->id = au_rand_uuid(a);
	r->owner_key = au_store_role_owner_key(a, r->realm_uuid, r->client_uuid);
	r->created_at = r->updated_at = au_time_now();
	r->version = 1;
	r->composite = false;
	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(r->id),
	    AU_DB_STR(r->realm_uuid), AU_DB_STR(r->client_uuid),
	    AU_DB_STR(r->owner_key), AU_DB_STR(r->name),
	    AU_DB_STR(r->description), AU_DB_INT(r->created_at),
	    AU_DB_INT(r->updated_at)), NULL);
	return rc;
}

int
au_store_role_find(struct au_db *db, struct au_arena *a, const char *owner_key,
    const char *name, struct au_role **out)
{
	static const char sql[] = "SELECT " ROLE_COLS " FROM roles r"
	    ROLE_JOIN_CLIENT " WHERE r.owner_key = ? AND r.name = ?";

	return query_role(db, a, sql, AU_DB_ARGS(AU_DB_STR(owner_key),
	    AU_DB_STR(name)), out);
}

int
au_store_role_find_client(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_id, const char *name,
    struct au_role **out)
{
	static const char sql[] = "SELECT " ROLE_COLS " FROM clients c "
	    "JOIN roles r ON r.client_id = c.id "
	    "WHERE c.realm_id = ? AND c.client_id = ? AND r.name = ?";

	return query_role(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(client_id), AU_DB_STR(name)), out);
}

int
au_store_role_list(struct au_db *db, struct au_arena *a, const char *owner_key,
    const char *prefix, int offset, int limit, struct au_role **items, int *n,
    long long *total)
{
	static const char count_sql[] = "SELECT COUNT(*) FROM roles "
	    "WHERE owner_key = ? AND name LIKE ?";
	static const char sql[] = "SELECT " ROLE_COLS " FROM roles r"
	    ROLE_JOIN_CLIENT " WHERE r.owner_key = ? AND r.name LIKE ? "
	    "ORDER BY r.name LIMIT ? OFFSET ?";
	const char *like = au_like_prefix(a, prefix != NULL ? prefix : "");
	struct au_dbres res;
	int rc;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(owner_key),
	    AU_DB_STR(like)), offset, limit, &res, total);
	if (rc != AU_OK)
		return rc;
	*items = roles_from_res(a, &res);
	*n = res.nrows;
	return AU_OK;
}

int
au_store_role_update(struct au_db *db, const struct au_role *r,
    long long expected)
{
	static const char sql[] = "UPDATE roles SET name = ?, description = ?, "
	    "version = version + 1, updated_at = FROM_UNIXTIME(?) "
	    "WHERE id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(r->name),
	    AU_DB_STR(r->description), AU_DB_INT(au_time_now()),
	    AU_DB_STR(r->id), AU_DB_INT(expected), AU_DB_INT(expected)),
	    &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_role_delete(struct au_db *db, const char *id, long long expected)
{
	static const char sql[] =
	    "DELETE FROM roles WHERE id = ? AND (? = 0 OR version = ?)";
	unsigned long long affected = 0;
	int rc;

	rc = au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(id), AU_DB_INT(expected),
	    AU_DB_INT(expected)), &affected);
	if (rc != AU_OK)
		return rc;
	if (affected == 0)
		return expected != 0 ? AU_ECONFLICT : AU_ENOTFOUND;
	return AU_OK;
}

int
au_store_role_lock(struct au_db *db, struct au_arena *a,
    const char *realm_uuid)
{
	static const char sql[] = "SELECT id FROM realms WHERE id = ? FOR UPDATE";
	char **row;

	return au_db_query_row(db, a, sql, AU_DB_ARGS(AU_DB_STR(realm_uuid)),
	    &row);
}

int
au_store_role_children(struct au_db *db, struct au_arena *a,
    const char *parent_id, struct au_role **items, int *n)
{
	static const char sql[] = "SELECT " ROLE_COLS " FROM role_composites k "
	    "JOIN roles r ON r.id = k.child_id" ROLE_JOIN_CLIENT
	    " WHERE k.parent_id = ?" ROLE_ORDER;

	return query_roles(db, a, sql, AU_DB_ARGS(AU_DB_STR(parent_id)), items, n);
}

int
au_store_role_composite_add(struct au_db *db, struct au_arena *a,
    const char *parent_id, const char *child_id)
{
	/* parent is reachable from child (or is child): the link would close
	 * a cycle.  The anchor reads roles.id so the walk's column has the
	 * id's type, not that of a bare parameter. */
	static const char cycle[] = "WITH RECURSIVE d (id) AS ("
	    "SELECT s.id FROM roles s WHERE s.id = ? "
	    "UNION SELECT rc.child_id FROM role_composites rc "
	    "JOIN d ON rc.parent_id = d.id) "
	    "SELECT COUNT(*) FROM d WHERE d.id = ?";
	static const char ins[] = "INSERT INTO role_composites (parent_id, "
	    "child_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE child_id = child_id";
	char **row;
	int rc;

	rc = au_db_query_row(db, a, cycle, AU_DB_ARGS(AU_DB_STR(child_id),
	    AU_DB_STR(parent_id)), &row);
	if (rc != AU_OK)
		return rc;
	if (au_col_ll(row[0]) != 0)
		return AU_EINVAL;
	return au_db_exec(db, ins, AU_DB_ARGS(AU_DB_STR(parent_id),
	    AU_DB_STR(child_id)), NULL);
}

int
au_store_role_composite_remove(struct au_db *db, const char *parent_id,
    const char *child_id)
{
	static const char sql[] =
	    "DELETE FROM role_composites WHERE parent_id = ? AND child_id = ?";

	return au_db_exec(db, sql, AU_DB_ARGS(AU_DB_STR(parent_id),
	    AU_DB_STR(child_id)), NULL);
}

/* The role and every role that includes it, transitively. */
#define ANCESTORS "WITH RECURSIVE anc (id) AS (" \
	"SELECT s.id FROM roles s WHERE s.id = ? " \
	"UNION SELECT rc.parent_id FROM role_composites rc " \
	"JOIN anc ON rc.child_id = anc.id) "

int
au_store_role_members(struct au_db *db, struct au_arena *a,
    const char *role_id, const char *realm_uuid, int offset, int limit,
    struct au_role_member **items, int *n, long long *total)
{
	static const char count_sql[] = ANCESTORS "SELECT "
	    "(SELECT COUNT(DISTINCT m.user_id) FROM anc "
	    "JOIN user_roles m ON m.role_id = anc.id "
	    "JOIN users u ON u.id = m.user_id WHERE u.realm_id = ?) + "
	    "(SELECT COUNT(DISTINCT m.consumer_id) FROM anc "
	    "JOIN consumer_roles m ON m.role_id = anc.id "
	    "JOIN consumers k ON k.id = m.consumer_id WHERE k.realm_id = ?)";
	static const char sql[] = ANCESTORS
	    "SELECT 'user', u.id, u.username FROM anc "
	    "JOIN user_roles m ON m.role_id = anc.id "
	    "JOIN users u ON u.id = m.user_id WHERE u.realm_id = ? "
	    "UNION SELECT 'consumer', k.id, k.consumer_id FROM anc "
	    "JOIN consumer_roles m ON m.role_id = anc.id "
	    "JOIN consumers k ON k.id = m.consumer_id WHERE k.realm_id = ? "
	    "ORDER BY 1 DESC, 3, 2 LIMIT ? OFFSET ?";
	struct au_dbres res;
	int rc, i;

	rc = au_store_page(db, a, count_sql, sql, AU_DB_ARGS(AU_DB_STR(role_id),
	    AU_DB_STR(realm_uuid), AU_DB_STR(realm_uuid)), offset, limit, &res,
	    total);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		(*items)[i].type = strcmp(res.rows[i][0], "user") == 0 ? "user" :
		    "consumer";
		(*items)[i].id = res.rows[i][1];
		(*items)[i].name = res.rows[i][2];
	}
	*n = res.nrows;
	return AU_OK;
}

/* The statements of one kind of principal: the mapping tables differ
 * only in their names, and SQL text must be constant. */
#define MAPPED(tbl, col) "SELECT " ROLE_COLS " FROM " tbl " m " \
	"JOIN roles r ON r.id = m.role_id" ROLE_JOIN_CLIENT \
	" WHERE m." col " = ?" ROLE_ORDER
#define EFFECTIVE(tbl, col) "WITH RECURSIVE eff (id) AS (" \
	"SELECT m.role_id FROM " tbl " m WHERE m." col " = ? " \
	"UNION SELECT rc.child_id FROM role_composites rc " \
	"JOIN eff ON rc.parent_id = eff.id) " \
	"SELECT " ROLE_COLS " FROM eff JOIN roles r ON r.id = eff.id" \
	ROLE_JOIN_CLIENT ROLE_ORDER
/* STRAIGHT_JOIN: the page's ids first, then primary-key lookups; with
 * statistics that have not caught up with a bulk load the optimizer may
 * otherwise scan the mappings and probe the JSON table for each row. */
#define MAPPED_MANY(tbl, col) "SELECT STRAIGHT_JOIN p.i, " ROLE_COLS " FROM " \
	"JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, id CHAR(36) " \
	"CHARACTER SET ascii PATH '$')) p JOIN " tbl " m ON m." col " = p.id " \
	"JOIN roles r ON r.id = m.role_id" ROLE_JOIN_CLIENT \
	" ORDER BY p.i, r.realm_id IS NULL, c.client_id, r.name"
#define MAP(tbl, col) "INSERT INTO " tbl " (" col ", role_id) VALUES (?, ?) " \
	"ON DUPLICATE KEY UPDATE role_id = role_id"
#define UNMAP(tbl, col) "DELETE FROM " tbl " WHERE " col " = ? AND role_id = ?"
#define KIND(name, tbl, col, find) { name, find, MAPPED(tbl, col), \
	EFFECTIVE(tbl, col), MAP(tbl, col), UNMAP(tbl, col), \
	MAPPED_MANY(tbl, col) }

struct kind_sql {
	const char *kind;
	const char *find, *mapped, *effective, *map, *unmap, *mapped_many;
};

static const struct kind_sql kinds[] = {
	KIND("user", "user_roles", "user_id",
	    "SELECT id FROM users WHERE realm_id = ? AND id = ?"),
	KIND("consumer", "consumer_roles", "consumer_id",
	    "SELECT id FROM consumers WHERE realm_id = ? AND consumer_id = ?"),
	KIND("client", "client_service_roles", "client_id",
	    "SELECT id FROM clients WHERE realm_id = ? AND client_id = ?"),
};

static const struct kind_sql *
kind_sql(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

int
au_store_role_principal(struct au_db *db, struct au_arena *a,
    const char *kind, const char *realm_uuid, const char *key, char **uuid)
{
	const struct kind_sql *k = kind_sql(kind);
	char **row;
	int rc;

	if (k == NULL)
		return AU_EINVAL;
	if (k == &kinds[0] && !au_uuid_valid(key))
		return AU_ENOTFOUND;
	rc = au_db_query_row(db, a, k->find, AU_DB_ARGS(AU_DB_STR(realm_uuid),
	    AU_DB_STR(key)), &row);
	if (rc != AU_OK)
		return rc;
	*uuid = row[0];
	return AU_OK;
}

int
au_store_role_mapped(struct au_db *db, struct au_arena *a, const char *kind,
    const char *principal_uuid, bool effective, struct au_role **items, int *n)
{
	const struct kind_sql *k = kind_sql(kind);

	if (k == NULL)
		return AU_EINVAL;
	return query_roles(db, a, effective ? k->effective : k->mapped,
	    AU_DB_ARGS(AU_DB_STR(principal_uuid)), items, n);
}

int
au_store_role_mapped_many(struct au_db *db, struct au_arena *a,
    const char *kind, char *const *uuids, int n, struct au_role **items,
    int **owner, int *count)
{
	const struct kind_sql *k = kind_sql(kind);
	struct au_dbres res;
	const char *ids;
	int rc, i;

	if (k == NULL || (ids = au_uuid_json_array(a, uuids, n)) == NULL)
		return AU_EINVAL;
	rc = au_db_query(db, a, k->mapped_many, AU_DB_ARGS(AU_DB_STR(ids)),
	    &res);
	if (rc != AU_OK)
		return rc;
	*items = au_arena_calloc(a, sizeof(**items) * (size_t)(res.nrows + 1));
	*owner = au_arena_calloc(a, sizeof(**owner) * (size_t)(res.nrows + 1));
	for (i = 0; i < res.nrows; i++) {
		(*owner)[i] = (int)au_col_ll(res.rows[i][0]) - 1;
		role_from_row(&(*items)[i], res.rows[i] + 1);
	}
	*count = res.nrows;
	return AU_OK;
}

int
au_store_role_map(struct au_db *db, const char *kind,
    const char *principal_uuid, const char *role_id)
{
	const struct kind_sql *k = kind_sql(kind);

	if (k == NULL)
		return AU_EINVAL;
	return au_db_exec(db, k->map, AU_DB_ARGS(AU_DB_STR(principal_uuid),
	    AU_DB_STR(role_id)), NULL);
}

int
au_store_role_unmap(struct au_db *db, const char *kind,
    const char *principal_uuid, const char *role_id)
{
	const struct kind_sql *k = kind_sql(kind);

	if (k == NULL)
		return AU_EINVAL;
	return au_db_exec(db, k->unmap, AU_DB_ARGS(AU_DB_STR(principal_uuid),
	    AU_DB_STR(role_id)), NULL);
}

int
au_store_role_effective(struct au_db *db, struct au_arena *a,
    const char *kind, const char *principal_uuid, struct au_role_set *out)
{
	struct au_role_set s = { 0 };
	struct au_client_roles *cr = NULL;
	struct au_role *v;
	int n, i, rc;

	rc = au_store_role_mapped(db, a, kind, principal_uuid, true, &v, &n);
	if (rc != AU_OK)
		return rc;
	/* each array can hold every name; the query sorted them by group */
	s.realm = au_arena_calloc(a, sizeof(char *) * (size_t)(n + 1));
	s.global = au_arena_calloc(a, sizeof(char *) * (size_t)(n + 1));
	s.clients = au_arena_calloc(a, sizeof(*s.clients) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		if (v[i].realm_uuid == NULL) {
			s.global[s.nglobal++] = v[i].name;
		} else if (v[i].client_uuid == NULL) {
			s.realm[s.nrealm++] = v[i].name;
		} else {
			if (cr == NULL || strcmp(cr->client_id, v[i].client_id) != 0) {
				cr = &s.clients[s.nclients++];
				cr->client_id = v[i].client_id;
				cr->names = au_arena_calloc(a, sizeof(char *) *
				    (size_t)(n + 1));
			}
			cr->names[cr->n++] = v[i].name;
		}
	}
	*out = s;
	return AU_OK;
}

int
au_store_role_ensure_realm(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *name, const char *description,
    char **id)
{
	struct au_role *found, fresh = { 0 };
	int rc;

	rc = au_store_role_find(db, a, au_store_role_owner_key(a, realm_uuid,
	    NULL), name, &found);
	if (rc == AU_OK) {
		*id = found->id;
		return AU_OK;
	}
	if (rc != AU_ENOTFOUND)
		return rc;
	fresh.realm_uuid = (char *)realm_uuid;
	fresh.name = (char *)name;
	fresh.description = (char *)description;
	rc = au_store_role_insert(db, a, &fresh);
	if (rc != AU_OK)
		return rc;
	*id = fresh.id;
	return AU_OK;
}

int
au_store_role_grant_client(struct au_db *db, const char *client_uuid,
    const char *role_id)
{
	return au_store_role_map(db, "client", client_uuid, role_id);
}
