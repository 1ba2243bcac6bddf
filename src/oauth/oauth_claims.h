/* oauth_claims.h — the claims about a user that granted scopes release.
 *
 * The ID token (oauth_token.c) and /userinfo (oauth_userinfo.c) release
 * the same claims, decided here alone.  For each scope of the granted
 * scope string that the realm offers (its own scopes and the global ones,
 * from the realm view: no query), every claim mapping of the scope
 * (admin API, api_scope.c) flagged for the destination (inIdToken,
 * inUserinfo) is mapped to the user's value:
 *   property   one of the user's own fields: username, email,
 *              emailVerified (only with an email), firstName, lastName,
 *              name ("first last"), updatedAt (seconds since the epoch)
 *   attribute  the user's attribute of that name: one value is a string,
 *              several an array ("true"/"false" of phone_number_verified
 *              a boolean, as OIDC Core §5.1 types it)
 *   roles      "realm": the realm and global roles; "client:<clientId>":
 *              that client's roles (effective roles)
 *   static     the literal value
 * A claim the user has no value for (no email, empty name, no such
 * attribute, no roles) is left out.  The global "profile" scope also
 * releases the other standard profile claims of OIDC Core §5.4
 * (middle_name, nickname, profile, picture, website, gender, birthdate,
 * zoneinfo, locale) that the user has as attributes.  A claim already in
 * the object is never replaced: the token's own claims (iss, sub, ...)
 * stay, and of two scopes releasing one claim the first in the scope
 * string wins. */
#ifndef AU_OAUTH_CLAIMS_H
#define AU_OAUTH_CLAIMS_H

struct au_req;
struct au_realm_view;
struct au_user;
struct au_role_set;
struct json_object;

/* The standard profile claims the global "profile" scope releases from
 * the user's attributes besides its own mappings; NULL-terminated. */
extern const char *const au_profile_attribute_claims[];

enum au_claims_dest {
	AU_CLAIMS_ID_TOKEN,      /* mappings with inIdToken */
	AU_CLAIMS_USERINFO       /* mappings with inUserinfo */
};

/* Adds to o the claims of user u that scope releases to dest.  roles:
 * the user's effective roles when the caller has them, else NULL (read
 * with one query, only when a granted scope maps roles).  AU_OK; AU_EDB
 * when the roles could not be read (o may then be partly filled). */
int au_oauth_user_claims(struct au_req *r, const struct au_realm_view *v,
    const struct au_user *u, const char *scope, enum au_claims_dest dest,
    const struct au_role_set *roles, struct json_object *o);

#endif
