/* core_time.h — wall-clock and monotonic time, RFC 3339 formatting. */
#ifndef AU_CORE_TIME_H
#define AU_CORE_TIME_H

#include <stdint.h>
#include <time.h>

struct au_arena;

/* Seconds since the epoch (wall clock). */
int64_t au_time_now(void);
/* Milliseconds since the epoch (wall clock). */
int64_t au_time_now_ms(void);
/* Milliseconds from a monotonic clock, for durations and back-off. */
int64_t au_time_mono_ms(void);
/* "2026-12-04T20:36:47Z" in the arena. */
char *au_time_rfc3339(struct au_arena *a, int64_t t);
/* Parses "YYYY-MM-DD HH:MM:SS" (MariaDB DATETIME, UTC) to epoch seconds;
 * -1 when malformed. */
int64_t au_time_parse_sql(const char *s);

#endif
