/* oauth_rotation.h — automatic rotation and retirement of signing keys.
 *
 * Per realm and signing algorithm in use, settings/tokens keyRotationDays
 * (0 = off) bounds how long a key signs.  When the newest active key of an
 * algorithm has signed for that long, a successor is generated and stored
 * active with activated_at = now + metadata_max_age + cache_ttl
 * (au_keys_activation_time: published before it signs); every active key
 * of the algorithm becomes passive with rotated_at = now, and keeps
 * signing until the successor's activation (oauth_realm.c's selection).
 *
 * A passive key with rotated_at set (rotated by this code, by the admin
 * API or by authioctl) keeps verifying for the longest token lifetime of
 * the realm (max of accessTokenLifetime, idTokenLifetime and
 * refreshTokenMax) after its successor began signing; then it is retired
 * (unpublished).  Keys made passive by hand (rotated_at unset) are left
 * alone.  Encryption keys are not rotated.
 *
 * Who runs it: the workers, lazily — a realm view remembers when its keys
 * next need work (au_rotation_due) and the first lookup after that moment
 * runs au_rotation_run — and `authioctl rotate-keys --due` from cron, for
 * realms no request touches.  Several hosts may race: every change
 * re-checks under row locks (au_store_key_lock_signing) in its own
 * transaction, so exactly one successor is made and the losers do
 * nothing. */
#ifndef AU_OAUTH_ROTATION_H
#define AU_OAUTH_ROTATION_H

#include <stdint.h>

#include "crypto/crypto_seal.h"

struct au_arena;
struct au_config;
struct au_db;
struct au_key_row;
struct au_token_settings;

/* The longest lifetime of a token signed by a realm key, in seconds. */
int64_t au_rotation_longest_lifetime(const struct au_token_settings *ts);
/* When the newest active key of the rows' algorithms has signed for the
 * rotation period, or a rotated passive key may be retired: the earliest
 * such moment over rows (a realm's published keys, any order), 0 when
 * nothing will ever be due. */
int64_t au_rotation_due(const struct au_config *cfg,
    const struct au_token_settings *ts, const struct au_key_row *rows, int n);
/* Rotates and retires what is due at now in the realm, each change in its
 * own transaction with the realm's version bump and a key.rotate /
 * key.retire audit event by actor.  *done counts the changes made (0 when
 * another host made them first).  Store and crypto errors. */
int au_rotation_run(struct au_db *db, struct au_arena *a,
    const struct au_config *cfg, const unsigned char master[AU_MASTER_KEY_LEN],
    const char *realm_uuid, const char *actor, int64_t now, int *done);

#endif
