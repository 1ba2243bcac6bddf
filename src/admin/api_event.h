/* api_event.h — the audit trail of the admin API.
 *
 * Every successful change calls au_api_changed() inside the change's own
 * transaction: the realm's configuration version is bumped (workers'
 * caches notice within their bound) and an admin event records who did
 * what to which resource, with a before/after summary. */
#ifndef AU_API_EVENT_H
#define AU_API_EVENT_H

struct au_db;
struct au_req;
struct json_object;

/* type: "<resource>.<verb>", e.g. "client.update"; resource_id: the
 * natural key ("my-app", a user id, "my-app/secrets/<id>").  before and
 * after (either may be NULL) are representations as the API shows them:
 * they must not hold secrets.  They are borrowed, not consumed.
 * Returns the store's code (AU_OK, AU_EDB, AU_DB_ERETRY) so a failed
 * write rolls the whole change back. */
int au_api_changed(struct au_req *r, struct au_db *db, const char *realm_uuid,
    const char *type, const char *resource_type, const char *resource_id,
    struct json_object *before, struct json_object *after);
/* While r->importing, au_api_changed() writes nothing and returns AU_OK:
 * an import creates a whole realm through the resources' own code and
 * records one "realm.import" event for all of it at the end. */

/* Records an admin event that changes nothing (e.g. "realm.export"):
 * no version bump.  details (may be NULL) is borrowed and must hold no
 * secrets.  Returns the store's code. */
int au_api_event(struct au_req *r, struct au_db *db, const char *realm_uuid,
    const char *type, const char *resource_type, const char *resource_id,
    struct json_object *details);

/* GET /api/admin/realms/{realmId}/events
 *   ?type= &resourceType= &resourceId= &actor= &category= (admin|auth)
 *   &from= &to= (RFC 3339) &offset= &limit= */
int au_api_event_list(struct au_req *r);

#endif
