/* api_key.h — a realm's keys in the admin API.
 *
 *   GET    /api/admin/realms/{realmId}/keys[?status=&q=&offset=&limit=]
 *   POST   /api/admin/realms/{realmId}/keys            {"alg", "use"}
 *   GET    /api/admin/realms/{realmId}/keys/{kid}
 *   PATCH  /api/admin/realms/{realmId}/keys/{kid}      {"status"}
 *   DELETE /api/admin/realms/{realmId}/keys/{kid}      (retired keys only)
 *   POST   /api/admin/realms/{realmId}/keys/{kid}/rotate
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

#endif
