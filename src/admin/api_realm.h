/* api_realm.h — /api/admin/realms: create, list, read, replace, delete.
 *
 * The seed's body {"name","realmId","description"}; status active or
 * inactive; statistics (total clients, total users).  A new realm gets its
 * signing keys in the same transaction.  The master realm cannot be
 * deleted. */
#ifndef AU_API_REALM_H
#define AU_API_REALM_H

#include <stdbool.h>

struct au_req;

int au_api_realm_create(struct au_req *r);
int au_api_realm_list(struct au_req *r);
int au_api_realm_get(struct au_req *r);
int au_api_realm_update(struct au_req *r);
/* RFC 7396 merge patch of name, description and status. */
int au_api_realm_patch(struct au_req *r);
int au_api_realm_delete(struct au_req *r);

struct au_db;
struct au_realm;
struct json_object;

/* POST /realms on a parsed body, for the handler and for an import:
 * checks the body (fields, realmId, values), then inserts the realm, with
 * keys its default signing keys, and the realm.create event in one
 * transaction (the caller's, when one is open).  AU_OK with *out (in the
 * arena); otherwise the error has been answered. */
int au_api_realm_create_from(struct au_req *r, struct au_db *db,
    struct json_object *body, bool keys, struct au_realm **out);
/* Answers with the realm's full representation (with statistics) and its
 * ETag. */
int au_api_realm_respond(struct au_req *r, struct au_db *db, int status,
    const struct au_realm *realm);

#endif
