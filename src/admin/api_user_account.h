/* api_user_account.h — a user's credentials and sign-in state:
 *   PUT    /api/admin/realms/{realmId}/users/{userId}/password
 *   POST   /api/admin/realms/{realmId}/users/{userId}/unlock
 *   GET    /api/admin/realms/{realmId}/users/{userId}/sessions
 *   DELETE /api/admin/realms/{realmId}/users/{userId}/sessions
 * The password never appears in a response, an event or a log line. */
#ifndef AU_API_USER_ACCOUNT_H
#define AU_API_USER_ACCOUNT_H

struct au_req;

/* {"password", "temporary"} -> 204.  temporary adds UPDATE_PASSWORD to
 * the required actions; a permanent password removes it (as Keycloak). */
int au_api_user_password(struct au_req *r);
/* Clears a lockout -> 204. */
int au_api_user_unlock(struct au_req *r);
/* The live SSO sessions, paged; DELETE ends them all (and revokes their
 * refresh tokens) -> 204. */
int au_api_user_sessions(struct au_req *r);
int au_api_user_sessions_end(struct au_req *r);

struct au_db;
struct au_user;
struct au_violation;
struct json_object;

/* 400 listing every rule of the realm's policy that field breaks:
 * errors[] of {field, rule, message}, v[0..n), n > 0.  Returns
 * AU_EINVAL. */
int au_api_violations(struct au_req *r, const char *field,
    const struct au_violation *v, int n);

/* Sets u's password to a hash as stored (an import's "passwordHash"),
 * keeping its required actions.  400 naming passwordHash unless it is a
 * hash this server verifies.  AU_OK; otherwise answered. */
int au_api_user_password_hash_from(struct au_req *r, struct au_db *db,
    const struct au_user *u, struct json_object *phc);

#endif
