/* store_secret.h — secrets of confidential clients and consumers.
 *
 * A secret has exactly one owner, a client or a consumer (the schema's
 * ck_secrets_owner); every function names the owner by kind and UUID, so
 * the one implementation serves both.  Only the SHA-256 of a secret is
 * stored (crypto_hash); the clear value exists once, in the creating
 * response. */
#ifndef AU_STORE_SECRET_H
#define AU_STORE_SECRET_H

#include <stdint.h>

struct au_arena;
struct au_db;

enum au_secret_owner { AU_SECRET_CLIENT, AU_SECRET_CONSUMER };

struct au_secret {
	char *id;
	char *label;
	char *hash;
	int64_t created_at;
	int64_t expires_at;     /* 0 = never */
	int64_t last_used_at;   /* 0 = never used */
	int64_t revoked_at;     /* 0 = live */
	char *rotated_from;     /* the secret this one succeeded, or NULL */
};

/* Inserts a secret of the owner (clients.id or consumers.id).  s->id and
 * s->created_at are assigned; s->rotated_from is stored when set. */
int au_store_secret_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, enum au_secret_owner kind, const char *owner_uuid,
    struct au_secret *s);
/* Inserts a secret as an export carried it: hash, label, created_at,
 * expires_at and revoked_at (0 = NULL) are taken from s; s->id is
 * assigned. */
int au_store_secret_restore(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, enum au_secret_owner kind, const char *owner_uuid,
    struct au_secret *s);
/* Every secret of the owner (metadata; revoked and expired ones too),
 * newest first. */
int au_store_secret_list(struct au_db *db, struct au_arena *a,
    enum au_secret_owner kind, const char *owner_uuid,
    struct au_secret **items, int *n);
/* One secret of the owner by id. AU_OK; AU_ENOTFOUND. */
int au_store_secret_find(struct au_db *db, struct au_arena *a,
    enum au_secret_owner kind, const char *owner_uuid, const char *id,
    struct au_secret **out);
/* Revokes a live secret of the owner. AU_OK; AU_ENOTFOUND when there is
 * no such secret or it was revoked already. */
int au_store_secret_revoke(struct au_db *db, enum au_secret_owner kind,
    const char *owner_uuid, const char *id);
/* Moves a secret's expiry earlier, to `at` (never later). */
int au_store_secret_expire_by(struct au_db *db, const char *id, int64_t at);
/* Records that secret id authenticated its owner at `at`. */
int au_store_secret_used(struct au_db *db, const char *id, int64_t at);

/* Secrets of the owner that are neither revoked nor expired at `now`. */
int au_store_secret_live(struct au_db *db, struct au_arena *a,
    enum au_secret_owner kind, const char *owner_uuid, int64_t now,
    struct au_secret **items, int *n);

#endif
