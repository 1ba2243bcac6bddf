/* store_key.h — a realm's signing and encryption keys, private parts sealed.
 *
 * The store moves sealed blobs and public JWK text only; sealing and
 * unsealing happen in crypto_seal, above it.  Keys are addressed by their
 * kid within a realm.  Status: active (signs, or will from activated_at
 * on), passive (published, verifies only), retired (unpublished). */
#ifndef AU_STORE_KEY_H
#define AU_STORE_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_key_row {
	char *id;
	char *kid;
	char *alg;            /* RS256 ... for sig; RSA-OAEP-256, ECDH-ES for enc */
	char *use;            /* "sig" | "enc" */
	char *status;         /* active | passive | retired */
	char *public_jwk;     /* JSON text */
	unsigned char *sealed;
	size_t sealed_len;
	int64_t created_at;
	int64_t activated_at; /* 0 = never */
	int64_t rotated_at;
	int64_t retired_at;
	long long version;
};

/* Inserts k: id, created_at and version are assigned and written back;
 * use, status and activated_at (0 = NULL) are taken from k. */
int au_store_key_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *k);
/* Keys published in the JWKS (active and passive, sig and enc), newest
 * first. */
int au_store_key_published(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row **items, int *n);
/* The published signing keys (use sig, active and passive) with their
 * sealed parts, newest first, locked FOR UPDATE: inside a transaction
 * the automatic rotation (oauth_rotation.c) holds them while it decides,
 * so two hosts racing cannot both add a successor. */
int au_store_key_lock_signing(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row **items, int *n);
/* Every key of every realm (id, kid and sealed part filled), locked FOR
 * UPDATE inside a transaction: authioctl rekey re-seals them. */
int au_store_key_all_sealed(struct au_db *db, struct au_arena *a,
    struct au_key_row **items, int *n);
/* Replaces the sealed private part of the key with UUID id. */
int au_store_key_reseal(struct au_db *db, const char *id,
    const unsigned char *sealed, size_t len);
/* A page of the realm's keys, newest first; status (NULL: any) filters,
 * q (NULL: any) is a kid prefix.  No private parts are read. */
int au_store_key_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *status, const char *q, int offset,
    int limit, struct au_key_row **items, int *n, long long *total);
/* One key by kid (with its sealed private part); lock = FOR UPDATE inside
 * a transaction.  AU_OK; AU_ENOTFOUND. */
int au_store_key_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *kid, bool lock,
    struct au_key_row **out);
/* Writes status, activated_at, rotated_at and retired_at of k (by realm
 * and kid) when its version still equals expected (0 = don't check) and
 * bumps the version (written back to k).  AU_OK; AU_ENOTFOUND;
 * AU_ECONFLICT. */
int au_store_key_update(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *k, long long expected);
/* Deletes a retired key.  AU_OK; AU_ENOTFOUND (no retired key by that
 * kid); AU_ECONFLICT (the version moved). */
int au_store_key_delete(struct au_db *db, const char *realm_uuid,
    const char *kid, long long expected);
/* How many active sig keys of alg the realm holds besides the key
 * except_kid (NULL: none excluded), locking them (inside a transaction),
 * so two requests cannot both retire "the other" last key. */
int au_store_key_count_active(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *alg, const char *except_kid,
    long long *count);
/* The clientId of one client of the realm whose tokenSettings.signingAlg
 * names alg: AU_OK with *client_id; AU_ENOTFOUND when none does. */
int au_store_key_client_using(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *alg, char **client_id);

#endif
