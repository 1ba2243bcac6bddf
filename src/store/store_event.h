/* store_event.h — the event log of a realm: login events ("auth") and
 * admin changes ("admin").  Details are JSON text without secrets. */
#ifndef AU_STORE_EVENT_H
#define AU_STORE_EVENT_H

#include <stdint.h>

struct au_arena;
struct au_db;

struct au_event {
	char *id;                  /* UUID, assigned by insert */
	const char *realm_uuid;
	const char *category;      /* "auth" | "admin" */
	const char *type;          /* e.g. "client.update" */
	const char *actor;         /* who did it ("" when unknown) */
	const char *resource_type; /* e.g. "client" */
	const char *resource_id;   /* natural key, e.g. the clientId */
	const char *client_id;     /* client involved (auth events) or "" */
	const char *user_id;       /* user UUID or NULL */
	const char *ip;
	const char *request_id;
	const char *details;       /* JSON object text or NULL */
	int64_t created_ms;        /* epoch milliseconds, assigned by insert */
};

/* Writes e (id and created_ms assigned); NULL strings are stored as "".
 * Runs no transaction of its own: call it inside the change's one. */
int au_store_event_insert(struct au_db *db, struct au_arena *a,
    struct au_event *e);

struct au_event_filter {
	const char *category;      /* NULL = any */
	const char *type;
	const char *resource_type;
	const char *resource_id;
	const char *actor;
	int64_t from, to;          /* epoch seconds, inclusive; 0 = open */
};

/* Newest first. */
int au_store_event_list(struct au_db *db, struct au_arena *a,
    const char *realm_uuid, const struct au_event_filter *f, int offset,
    int limit, struct au_event **items, int *n, long long *total);

#endif
