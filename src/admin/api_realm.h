/* api_realm.h — /api/admin/realms: create, list, read, replace, delete.
 *
 * The seed's body {"name","realmId","description"}; status active or
 * inactive; statistics (total clients, total users).  A new realm gets its
 * signing keys in the same transaction.  The master realm cannot be
 * deleted. */
#ifndef AU_API_REALM_H
#define AU_API_REALM_H

struct au_req;

int au_api_realm_create(struct au_req *r);
int au_api_realm_list(struct au_req *r);
int au_api_realm_get(struct au_req *r);
int au_api_realm_update(struct au_req *r);
/* RFC 7396 merge patch of name, description and status. */
int au_api_realm_patch(struct au_req *r);
int au_api_realm_delete(struct au_req *r);

#endif
