/* api_export.h — a whole realm as one JSON document:
 *   GET /api/admin/realms/{realmId}/export[?includeSecrets=true]
 * and `authioctl export`.
 *
 * The document (its schema: RealmExport in docs/admin-api.yaml) holds
 * the realm, its settings documents, scopes, roles with their
 * composites, clients with their roles, service roles and assigned
 * users, consumers and users with their role mappings, and keys.
 * References are names, never internal ids, so a document imports into
 * any installation (api_import.h); lists are sorted by natural key (keys
 * and secrets newest first), so two exports diff cleanly.  Secret
 * hashes, password hashes, private keys (as private JWKs) and the plain
 * values of settings secrets are included only with includeSecrets,
 * which only the admin role may ask for (403 otherwise).  Every export
 * records a realm.export event. */
#ifndef AU_API_EXPORT_H
#define AU_API_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

struct au_db;
struct au_realm;
struct au_req;

/* Where the document's text goes: write returns AU_OK or an error that
 * stops the export; rewind (may be NULL) starts the output over (the
 * transaction is being retried). */
struct au_export_sink {
	int (*write)(void *ctx, const char *p, size_t n);
	void (*rewind)(void *ctx);
	void *ctx;
};

/* Writes the export of realm into sink, reading one consistent snapshot
 * a page at a time, and records the realm.export event.  Answers
 * nothing: AU_OK, or the store's / the sink's error. */
int au_api_export_realm(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, bool secrets,
    const struct au_export_sink *sink);

/* The route: 200 application/json; 400 for an includeSecrets that is not
 * true or false, 403 for includeSecrets without the admin role, 404. */
int au_api_realm_export(struct au_req *r);

#endif
