/* app_routes.h — THE route table: the whole attack surface on one screen. */
#ifndef AU_APP_ROUTES_H
#define AU_APP_ROUTES_H

#include <stddef.h>

#include "http/http_router.h"

extern const struct au_route au_routes[];
extern const size_t au_routes_count;

#endif
