/* api_import.h — a new realm from an export document (api_export.h):
 *   POST /api/admin/realms/import
 * and `authioctl import`.
 *
 * The document is checked by the code of each resource's own POST, with
 * errors named from the document's root ("clients[3].redirectUris[0]"),
 * and written in one transaction: any refusal leaves nothing behind.
 * Unknown top-level members and an authioExport other than 1 are 400; a
 * realmId that exists is 409.  References to global roles and scopes
 * must exist here (the import never creates global ones).  With private
 * keys (privateJwk) the keys are sealed under this installation's master
 * key; without, fresh keys are made as for a new realm (and one of every
 * other algorithm the document's active keys have).  Secret hashes and
 * password hashes are stored as carried.  One realm.import event records
 * the counts. */
#ifndef AU_API_IMPORT_H
#define AU_API_IMPORT_H

struct au_db;
struct au_realm;
struct au_req;
struct json_object;

/* Imports doc (a parsed JSON object).  AU_OK with *out (in the arena);
 * otherwise the error has been answered and nothing was written. */
int au_api_import_realm(struct au_req *r, struct au_db *db,
    struct json_object *doc, struct au_realm **out);

/* The route: 201 with Location and the new realm's representation. */
int au_api_realm_import(struct au_req *r);

#endif
