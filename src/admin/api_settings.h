/* api_settings.h — a realm's settings documents in the admin API.
 *
 *   GET /api/admin/realms/{realmId}/settings/{branding|policies|tokens}
 *   PUT /api/admin/realms/{realmId}/settings/{branding|policies|tokens}
 *
 * GET answers the effective document (every member, defaults filled in)
 * with "version" and "updatedAt"; PUT replaces the document: members
 * absent or null take their default, unknown ones are refused by their
 * dotted name ("password.minLength"), and "version"/"updatedAt" are
 * ignored so a GET can be edited and sent back.  Both carry ETag, PUT
 * honours If-Match.  The members, defaults and checks are the table of
 * store_settings.c.  Secrets (mail.smtpPassword) are sealed under the
 * master key, shown as "********" when set; a PUT carrying "********"
 * keeps the stored one. */
#ifndef AU_API_SETTINGS_H
#define AU_API_SETTINGS_H

struct au_req;

int au_api_settings_get(struct au_req *r);
int au_api_settings_put(struct au_req *r);

struct json_object;

/* 400 listing every problem of body as the document name (its members
 * named by dotted path after prefix, which may be NULL: a client's
 * "branding." override).  name "client" checks a client's
 * tokenSettings (au_settings_validate_client).  AU_OK when there is
 * none. */
int au_api_settings_check_or_respond(struct au_req *r, const char *name,
    struct json_object *body, const char *prefix);

#include <stdbool.h>

struct au_db;
struct au_realm;
struct json_object;

/* PUT .../settings/{name} on a parsed document, for the handler and for
 * an import: validated as a PUT (errors named by dotted path), written
 * with the settings.update event.  AU_OK; otherwise answered. */
int au_api_settings_put_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const char *name, struct json_object *body);
/* The effective document name of realm as GET shows it (without version
 * and updatedAt), secrets masked -- or, with secrets, unsealed to their
 * plain values for an export that carries secrets.  A new object the
 * caller owns; NULL with *rc set when the store or the unsealing
 * failed. */
struct json_object *au_api_settings_export(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, const char *name, bool secrets, int *rc);

#endif
