/* api_key.h — a realm's keys in the admin API.
 *
 *   GET    /api/admin/realms/{realmId}/keys[?status=&q=&offset=&limit=]
 *   POST   /api/admin/realms/{realmId}/keys            {"alg", "use"}
 *   GET    /api/admin/realms/{realmId}/keys/{kid}
 *   PATCH  /api/admin/realms/{realmId}/keys/{kid}      {"status"}
 *   DELETE /api/admin/realms/{realmId}/keys/{kid}      (retired keys only)
 *   POST   /api/admin/realms/{realmId}/keys/{kid}/rotate  [{"emergency"}]
 *
 * Representations carry the public JWK only; private parts never leave
 * the server.  A generated or rotated key is published at once and signs
 * only once every cached JWKS can hold it (oauth_keys.h).  A realm keeps
 * an active RS256 key, and an active key of every algorithm its tokens
 * document or a client's tokenSettings.signingAlg names (409 otherwise). */
#ifndef AU_API_KEY_H
#define AU_API_KEY_H

struct au_req;

int au_api_key_list(struct au_req *r);
int au_api_key_create(struct au_req *r);
int au_api_key_get(struct au_req *r);
int au_api_key_patch(struct au_req *r);
int au_api_key_delete(struct au_req *r);
int au_api_key_rotate(struct au_req *r);

#include <stdbool.h>

struct au_db;
struct au_key_row;
struct au_realm;
struct json_object;

/* A key as an export carries it: its representation without version,
 * and with secrets "privateJwk", the private key unsealed (k must then
 * hold its sealed part: au_store_key_find).  A new object; NULL with *rc
 * when the key cannot be unsealed. */
struct json_object *au_api_key_export_json(struct au_req *r,
    const struct au_key_row *k, bool secrets, int *rc);
/* Checks such an object (members, alg/use, status, times) into k without
 * its key material; errors name the members.  AU_OK; otherwise
 * answered. */
int au_api_key_check_from(struct au_req *r, struct json_object *o,
    struct au_key_row *k);
/* Stores such an object, which must carry privateJwk (its public half
 * and thumbprint must match publicJwk and kid), sealed under this
 * installation's master key, with the key.create event.  AU_OK;
 * otherwise answered. */
int au_api_key_restore_from(struct au_req *r, struct au_db *db,
    const struct au_realm *realm, struct json_object *o);

#endif
