/* store_device.h — device authorizations (RFC 8628) and the count of
 * wrong user codes typed on the verification page.
 *
 * A device authorization is found by the SHA-256 of its device code (the
 * device polls with it; the value itself is never stored) or by its user
 * code (normalized: 8 characters, unique per realm, what the user types).
 * Its status moves pending → approved | denied by one conditional UPDATE,
 * and approved → consumed likewise when the device gets its tokens, so
 * of two concurrent decisions or polls exactly one wins. */
#ifndef AU_STORE_DEVICE_H
#define AU_STORE_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct au_arena;
struct au_db;

struct au_device {
	char *id;
	char *client_uuid;
	char *client_id;          /* the client's client_id (found ones) */
	char *user_code;          /* normalized */
	char *scope;
	char *status;             /* pending|approved|denied|consumed */
	char *user_id;            /* who decided, or NULL */
	char *session_id;         /* their SSO session, or NULL */
	int64_t auth_time;        /* their sign-in, 0 while pending */
	int poll_interval;        /* seconds the device must wait */
	int64_t last_polled_at;   /* 0: never */
	int64_t created_at;
	int64_t expires_at;
};

/* Inserts d (d->id assigned; status pending).  AU_EDUP when the realm
 * has a device authorization with d->user_code already.  Expired ones
 * older than a day are swept first (a few at a time), freeing their
 * user codes. */
int au_store_device_insert(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *device_hash, struct au_device *d,
    int64_t now);
/* By device code hash or by user code.  AU_OK; AU_ENOTFOUND. */
int au_store_device_find(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *device_hash, struct au_device **out);
int au_store_device_find_user_code(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *user_code, struct au_device **out);
/* Records the user's decision on a pending, unexpired authorization:
 * approved (with the user's session and its auth_time) or denied.
 * AU_OK; AU_ECONFLICT when it was no longer pending or has expired. */
int au_store_device_decide(struct au_db *db, const char *id, bool approve,
    const char *user_id, const char *session_id, int64_t auth_time,
    int64_t now);
/* Notes a poll at now; slow_down adds 5 seconds to the interval (RFC
 * 8628 §3.5). */
int au_store_device_polled(struct au_db *db, const char *id, int64_t now,
    bool slow_down);
/* Marks an approved authorization consumed.  AU_OK when this call did;
 * AU_ECONFLICT when it was not approved (any more). */
int au_store_device_consume(struct au_db *db, const char *id, int64_t now);

/* Wrong user codes typed from ip in the realm within the last window
 * seconds (a fixed window opened by the first of them). */
int au_store_device_guesses(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const char *ip, int64_t now, int window,
    int *count);
/* Counts one more wrong user code from ip (and sweeps a few windows of
 * the realm that have ended). */
int au_store_device_guess_failed(struct au_db *db, const char *realm_uuid,
    const char *ip, int64_t now, int window);

#endif
