/* store_secret.h — secrets of confidential clients and consumers.
 *
 * Only the SHA-256 of a secret is stored (crypto_hash); the clear value
 * exists once, in the creating response. */
#ifndef AU_STORE_SECRET_H
#define AU_STORE_SECRET_H

#include <stdint.h>

struct au_arena;
struct au_db;

struct au_secret {
	char *id;
	char *label;
	char *hash;
	int64_t created_at;
	int64_t expires_at;     /* 0 = never */
	int64_t last_used_at;   /* 0 = never used */
	int64_t revoked_at;     /* 0 = live */
};

/* Inserts a secret for a client (client_uuid) or a consumer
 * (consumer_uuid); exactly one of them is non-NULL. s->id and
 * s->created_at are assigned. */
int au_store_secret_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *client_uuid,
    const char *consumer_uuid, struct au_secret *s);
/* Secrets of a client that are neither revoked nor expired at `now`. */
int au_store_secret_live_for_client(struct au_db *db, struct au_arena *a,
    const char *client_uuid, int64_t now, struct au_secret **items, int *n);

#endif
