/* store_posture.h — the read-only queries behind a realm's security
 * posture (admin/api_posture.c).
 *
 * Each returns at most AU_POSTURE_LIMIT rows as strings (au_dbres), in
 * the columns named at the function, through indexes only: the realm's
 * rows of clients (uq_clients_realm_client), secrets
 * (ix_secrets_realm_expiry, ix_secrets_client, ix_secrets_consumer),
 * client_uris (uq_client_uris), roles (ix_roles_realm), user_roles
 * (ix_user_roles_role) and sessions (ix_sessions_user).  Times are Unix
 * seconds the caller computes from its clock. */
#ifndef AU_STORE_POSTURE_H
#define AU_STORE_POSTURE_H

#include <stdint.h>

struct au_arena;
struct au_db;
struct au_dbres;

#define AU_POSTURE_LIMIT 50

/* Unrevoked secrets expiring before `before` (or expired) whose owner has
 * no other unrevoked secret living past it: owner kind ("client" |
 * "consumer"), owner name, secret id, expires_at. */
int au_store_posture_secrets_ending(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, int64_t before, struct au_dbres *res);
/* Public clients that do not require PKCE: clientId. */
int au_store_posture_public_no_pkce(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_dbres *res);
/* Confidential clients authenticating with a secret that hold no
 * unrevoked secret: clientId. */
int au_store_posture_no_secret(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_dbres *res);
/* Live (unrevoked, unexpired at now) secrets created before `before`:
 * owner kind, owner name, secret id, created_at. */
int au_store_posture_old_secrets(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, int64_t now, int64_t before,
    struct au_dbres *res);
/* Registered http: redirect URIs: clientId, uri (the caller judges the
 * host; up to 4 × AU_POSTURE_LIMIT rows). */
int au_store_posture_http_redirects(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_dbres *res);
/* Clients with secrets, all created before `before`, none used since:
 * clientId, last use (NULL: never). */
int au_store_posture_unused_clients(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, int64_t before, struct au_dbres *res);
/* Users of the master realm holding its role "admin" or
 * "realm-admin:<realm_id>" directly, without a sign-in since `before`:
 * username, last sign-in (NULL: never). */
int au_store_posture_idle_admins(struct au_db *db, struct au_arena *a,
    const char *realm_id, int64_t before, struct au_dbres *res);

#endif
