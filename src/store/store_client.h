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
	long long version;
	int64_t created_at, updated_at;
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
 * token_settings) when its version still equals expected_version (0 =
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

#endif
