/* http_routes.c — every URL authio answers, its handler and its flags.
 *
 * The one file of the http layer that names handlers of the layers above:
 * it is the dispatch table, not logic.  Keycloak-style aliases under
 * /protocol/openid-connect/ map to the same handlers. */
#include "admin/api_client.h"
#include "admin/api_client_user.h"
#include "admin/api_event.h"
#include "admin/api_realm.h"
#include "admin/api_scope.h"
#include "admin/api_secret.h"
#include "app/app_health.h"
#include "http/http_routes.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_token.h"

#define API (AU_ROUTE_API | AU_ROUTE_ADMIN | AU_ROUTE_NOSTORE)
#define TOKEN (AU_ROUTE_API | AU_ROUTE_NOSTORE)
#define OIDC "/realms/{realm}"
#define KC "/realms/{realm}/protocol/openid-connect"
#define ADMIN "/api/admin/realms"
#define GLOBAL "/api/admin"

const struct au_route au_routes[] = {
	{ "GET", "/healthz", au_app_healthz, AU_ROUTE_API },

	{ "GET", OIDC "/.well-known/openid-configuration", au_oauth_discovery, AU_ROUTE_API },
	{ "GET", OIDC "/.well-known/oauth-authorization-server", au_oauth_discovery, AU_ROUTE_API },
	{ "GET", OIDC "/jwks", au_oauth_jwks, AU_ROUTE_API },
	{ "GET", KC "/certs", au_oauth_jwks, AU_ROUTE_API },
	{ "POST", OIDC "/token", au_oauth_token, TOKEN },
	{ "POST", KC "/token", au_oauth_token, TOKEN },

	{ "GET", ADMIN, au_api_realm_list, API },
	{ "POST", ADMIN, au_api_realm_create, API },
	{ "GET", ADMIN "/{realmId}", au_api_realm_get, API },
	{ "PUT", ADMIN "/{realmId}", au_api_realm_update, API },
	{ "PATCH", ADMIN "/{realmId}", au_api_realm_patch, API },
	{ "DELETE", ADMIN "/{realmId}", au_api_realm_delete, API },
	{ "GET", ADMIN "/{realmId}/clients", au_api_client_list, API },
	{ "POST", ADMIN "/{realmId}/clients", au_api_client_create, API },
	{ "GET", ADMIN "/{realmId}/clients/{clientId}", au_api_client_get, API },
	{ "PUT", ADMIN "/{realmId}/clients/{clientId}", au_api_client_update, API },
	{ "PATCH", ADMIN "/{realmId}/clients/{clientId}", au_api_client_patch, API },
	{ "DELETE", ADMIN "/{realmId}/clients/{clientId}", au_api_client_delete, API },
	{ "GET", ADMIN "/{realmId}/clients/{clientId}/secrets", au_api_client_secret_list, API },
	{ "POST", ADMIN "/{realmId}/clients/{clientId}/secrets", au_api_client_secret_create, API },
	{ "DELETE", ADMIN "/{realmId}/clients/{clientId}/secrets/{secretId}", au_api_client_secret_revoke, API },
	{ "POST", ADMIN "/{realmId}/clients/{clientId}/secrets/{secretId}/rotate", au_api_client_secret_rotate, API },
	{ "GET", ADMIN "/{realmId}/events", au_api_event_list, API },
	{ "GET", ADMIN "/{realmId}/clients/{clientId}/users", au_api_client_user_list, API },
	{ "POST", ADMIN "/{realmId}/clients/{clientId}/users", au_api_client_user_add, API },
	{ "DELETE", ADMIN "/{realmId}/clients/{clientId}/users", au_api_client_user_remove, API },
	{ "GET", ADMIN "/{realmId}/scopes", au_api_scope_list, API },
	{ "POST", ADMIN "/{realmId}/scopes", au_api_scope_create, API },
	{ "GET", ADMIN "/{realmId}/scopes/{scopeName}", au_api_scope_get, API },
	{ "PUT", ADMIN "/{realmId}/scopes/{scopeName}", au_api_scope_update, API },
	{ "PATCH", ADMIN "/{realmId}/scopes/{scopeName}", au_api_scope_patch, API },
	{ "DELETE", ADMIN "/{realmId}/scopes/{scopeName}", au_api_scope_delete, API },
	{ "GET", GLOBAL "/scopes", au_api_scope_list, API },
	{ "POST", GLOBAL "/scopes", au_api_scope_create, API },
	{ "GET", GLOBAL "/scopes/{scopeName}", au_api_scope_get, API },
	{ "PUT", GLOBAL "/scopes/{scopeName}", au_api_scope_update, API },
	{ "PATCH", GLOBAL "/scopes/{scopeName}", au_api_scope_patch, API },
	{ "DELETE", GLOBAL "/scopes/{scopeName}", au_api_scope_delete, API },
};

const size_t au_routes_count = sizeof(au_routes) / sizeof(au_routes[0]);
