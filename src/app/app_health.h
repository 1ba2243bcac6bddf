/* app_health.h — GET /healthz: liveness of the worker and the database. */
#ifndef AU_APP_HEALTH_H
#define AU_APP_HEALTH_H

struct au_req;

/* 200 when the database answers, 503 otherwise; JSON either way. */
int au_app_healthz(struct au_req *r);

#endif
