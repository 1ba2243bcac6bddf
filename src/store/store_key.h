/* store_key.h — a realm's signing keys, private parts sealed.
 *
 * The store moves sealed blobs and public JWK text only; sealing and
 * unsealing happen in crypto_seal, above it. */
#ifndef AU_STORE_KEY_H
#define AU_STORE_KEY_H

#include <stddef.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_key_row {
	char *id;
	char *kid;
	char *alg;
	char *status;         /* active | passive | retired */
	char *public_jwk;     /* JSON text */
	unsigned char *sealed;
	size_t sealed_len;
	int64_t created_at;
};

int au_store_key_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row *k);
/* Keys published in the JWKS (active and passive), newest first. */
int au_store_key_published(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, struct au_key_row **items, int *n);

#endif
