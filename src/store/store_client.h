/* store_client.h — OAuth clients of a realm.
 *
 * A client id shares one namespace with consumer ids in its realm
 * (principal_names), so insert claims the name in the same transaction. */
#ifndef AU_STORE_CLIENT_H
#define AU_STORE_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

/* The lists a client carries besides its row, in the order shown. */
enum au_client_list {
	AU_CL_DEFAULT_SCOPES,     /* client_scopes kind 'default' */
	AU_CL_OPTIONAL_SCOPES,    /* client_scopes kind 'optional' */
	AU_CL_REDIRECT,           /* client_uris kind 'redirect' */
	AU_CL_POST_LOGOUT,        /* client_uris kind 'post_logout' */
	AU_CL_WEB_ORIGIN,         /* client_uris kind 'web_origin' */
	AU_CL_COUNT
};

struct au_client {
	char *id;                 /* UUID */
	char *realm_uuid;
	char *client_id;
	char *name;
	char *description;
	char *type;               /* "confidential" | "public" */
	bool enabled;
	char *grant_types;        /* space-separated */
	bool pkce_required;
	bool consent_required;
	char *token_endpoint_auth_method;
	char *user_access;        /* "all" | "assigned" */
	char *token_settings;     /* JSON object text, or NULL */
	char *jwks;               /* JWK Set text (public keys), or NULL */
	char *jwks_uri;           /* or NULL */
	char *branding;           /* JSON object text overriding members of
				   * the realm's branding document, or NULL */
	long long version;
	int64_t created_at, updated_at;
	/* filled by au_store_client_load_lists(); names of scopes, URIs in
	 * their registered order */
	char **lists[AU_CL_COUNT];
	int nlists[AU_CL_COUNT];
	bool lists_loaded;
};

/* Inserts c (id, timestamps, version assigned). AU_OK; AU_EDUP when the
 * client id is taken by a client or a consumer of the realm. */
int au_store_client_insert(struct au_db *db, struct au_arena *a,
    struct au_client *c);
int au_store_client_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_id, struct au_client **out);
int au_store_client_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *prefix, int offset, int limit,
    struct au_client **items, int *n, long long *total);

/* Writes the editable fields of c (name, description, type, enabled,
 * grant_types, pkce/consent flags, auth method, user_access,
 * token_settings, jwks, jwks_uri, branding) when its version still equals expected_version (0 =
 * don't check); bumps version. AU_OK; AU_ENOTFOUND; AU_ECONFLICT. */
int au_store_client_update(struct au_db *db, const struct au_client *c,
    long long expected_version);
/* Deletes a client (its secrets, URIs, roles and mappings cascade) and
 * frees its id in the realm's namespace. AU_OK; AU_ENOTFOUND. */
int au_store_client_delete(struct au_db *db, const char *realm_uuid,
    const char *client_id);

/* Scopes attached to a client: kind "default" or "optional". Names must
 * exist (global or the realm's); AU_ENOTFOUND names the missing one in
 * *missing. */
int au_store_client_set_scopes(struct au_db *db, struct au_arena *a,
    const struct au_client *c, const char *kind, char **names, int n,
    const char **missing);
/* The client's scope names of one kind. */
int au_store_client_scopes(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *kind, char ***names, int *n);

/* Fills lists[] of items[0..n) (a page of a list, or one client) with one
 * query, however many clients and entries there are. */
int au_store_client_load_lists(struct au_db *db, struct au_arena *a,
    struct au_client *items, int n);

/* Replaces the client's URIs of one kind ("redirect", "post_logout",
 * "web_origin"); position keeps the given order.  The caller has checked
 * them (oauth_uri.h) and removed duplicates (AU_EDUP otherwise, and
 * nothing changed). */
int au_store_client_set_uris(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *kind, char **uris, int n);
/* The client's URIs of one kind, in registered order: what /authorize
 * compares byte for byte. */
int au_store_client_uris(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *kind, char ***uris, int *n);

/* Users assigned to a client ("users are scoped within a realm's
 * client": clients with user_access 'assigned' admit only these). */
struct au_client_user {
	char *id;
	char *username;
};
/* A page of the client's users whose username starts with prefix. */
int au_store_client_user_list(struct au_db *db, struct au_arena *a,
    const char *client_uuid, const char *prefix, int offset, int limit,
    struct au_client_user **items, int *n, long long *total);
/* Assigns (add) or unassigns the users ids[0..n) (well-formed UUIDs) in
 * one statement; assigning twice or unassigning an unassigned user is no
 * change.  Every id must be a user of the realm: AU_ENOTFOUND with
 * *missing = the index of the first that is not, and nothing changed. */
int au_store_client_users_change(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_uuid, bool add,
    char **ids, int n, int *missing);

#endif
