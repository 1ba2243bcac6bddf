/* app_routes.c — every URL authio answers, its handler and its flags.
 *
 * The application layer wires the layers together: this table names the
 * handlers of the layers above http:
 * it is the dispatch table, not logic.  Keycloak-style aliases under
 * /protocol/openid-connect/ map to the same handlers. */
#include "admin/api_client.h"
#include "admin/api_consumer.h"
#include "admin/api_client_user.h"
#include "admin/api_event.h"
#include "admin/api_export.h"
#include "admin/api_import.h"
#include "admin/api_key.h"
#include "admin/api_posture.h"
#include "admin/api_realm.h"
#include "admin/api_role.h"
#include "admin/api_scope.h"
#include "admin/api_secret.h"
#include "admin/api_user.h"
#include "admin/api_user_account.h"
#include "admin/api_settings.h"
#include "app/app_health.h"
#include "app/app_routes.h"
#include "login/login_authenticate.h"
#include "login/login_authorize.h"
#include "login/login_logout.h"
#include "login/login_device.h"
#include "login/login_email.h"
#include "oauth/oauth_cors.h"
#include "oauth/oauth_device.h"
#include "oauth/oauth_discovery.h"
#include "oauth/oauth_introspect.h"
#include "oauth/oauth_revoke.h"
#include "oauth/oauth_token.h"
#include "oauth/oauth_userinfo.h"

#define API (AU_ROUTE_API | AU_ROUTE_ADMIN | AU_ROUTE_NOSTORE)
#define TOKEN (AU_ROUTE_API | AU_ROUTE_NOSTORE)
#define PAGE (AU_ROUTE_HTML | AU_ROUTE_NOSTORE)
#define OIDC "/realms/{realm}"
#define KC "/realms/{realm}/protocol/openid-connect"
#define ADMIN "/api/admin/realms"
#define ROLES "/roles/{roleName}"
#define CROLES ADMIN "/{realmId}/clients/{clientId}/roles"
#define GROLES "/api/admin/roles"
#define GLOBAL "/api/admin"

const struct au_route au_routes[] = {
	{ "GET", "/healthz", au_app_healthz, AU_ROUTE_API },

	{ "GET", OIDC "/.well-known/openid-configuration", au_oauth_discovery, AU_ROUTE_API },
	{ "GET", OIDC "/.well-known/oauth-authorization-server", au_oauth_discovery, AU_ROUTE_API },
	{ "GET", OIDC "/jwks", au_oauth_jwks, AU_ROUTE_API },
	{ "GET", KC "/certs", au_oauth_jwks, AU_ROUTE_API },
	{ "POST", OIDC "/token", au_oauth_token, TOKEN },
	{ "OPTIONS", OIDC "/token", au_oauth_preflight, TOKEN },
	{ "POST", KC "/token", au_oauth_token, TOKEN },
	{ "OPTIONS", KC "/token", au_oauth_preflight, TOKEN },
	{ "POST", OIDC "/introspect", au_oauth_introspect, TOKEN },
	{ "POST", KC "/token/introspect", au_oauth_introspect, TOKEN },
	{ "POST", OIDC "/revoke", au_oauth_revoke, TOKEN },
	{ "OPTIONS", OIDC "/revoke", au_oauth_preflight, TOKEN },
	{ "POST", KC "/revoke", au_oauth_revoke, TOKEN },
	{ "OPTIONS", KC "/revoke", au_oauth_preflight, TOKEN },
	{ "GET", OIDC "/userinfo", au_oauth_userinfo, TOKEN },
	{ "POST", OIDC "/userinfo", au_oauth_userinfo, TOKEN },
	{ "OPTIONS", OIDC "/userinfo", au_oauth_preflight, TOKEN },
	{ "GET", KC "/userinfo", au_oauth_userinfo, TOKEN },
	{ "POST", KC "/userinfo", au_oauth_userinfo, TOKEN },
	{ "OPTIONS", KC "/userinfo", au_oauth_preflight, TOKEN },
	{ "GET", OIDC "/authorize", au_login_authorize, PAGE },
	{ "POST", OIDC "/authorize", au_login_authorize, PAGE },
	{ "GET", KC "/auth", au_login_authorize, PAGE },
	{ "POST", KC "/auth", au_login_authorize, PAGE },
	{ "POST", OIDC "/login-actions/authenticate", au_login_authenticate, PAGE },
	{ "POST", OIDC "/login-actions/consent", au_login_consent, PAGE },
	{ "POST", OIDC "/login-actions/update-password", au_login_update_password, PAGE },
	{ "POST", OIDC "/login-actions/verify-email-resend", au_login_verify_email_resend, PAGE },
	{ "GET", OIDC "/login-actions/verify-email", au_login_verify_email, PAGE },
	{ "POST", OIDC "/login-actions/verify-email", au_login_verify_email, PAGE },
	{ "GET", OIDC "/login-actions/reset-credentials", au_login_reset_credentials, PAGE },
	{ "POST", OIDC "/login-actions/reset-credentials", au_login_reset_credentials, PAGE },
	{ "GET", OIDC "/login-actions/reset-password", au_login_reset_password, PAGE },
	{ "POST", OIDC "/login-actions/reset-password", au_login_reset_password, PAGE },
	{ "GET", OIDC "/login-actions/registration", au_login_registration, PAGE },
	{ "POST", OIDC "/login-actions/registration", au_login_registration, PAGE },
	{ "GET", OIDC "/logout", au_login_logout, PAGE },
	{ "POST", OIDC "/logout", au_login_logout, PAGE },
	{ "GET", KC "/logout", au_login_logout, PAGE },
	{ "POST", KC "/logout", au_login_logout, PAGE },
	{ "POST", OIDC "/login-actions/logout", au_login_logout_confirm, PAGE },
	{ "GET", OIDC "/login-resources/theme.css", au_login_theme_css, AU_ROUTE_HTML },
	{ "POST", OIDC "/device_authorization", au_oauth_device_authorization, TOKEN },
	{ "POST", KC "/auth/device", au_oauth_device_authorization, TOKEN },
	{ "GET", OIDC "/device", au_login_device, PAGE },
	{ "POST", OIDC "/device", au_login_device, PAGE },
	{ "POST", OIDC "/login-actions/device", au_login_device_decide, PAGE },

	{ "GET", ADMIN, au_api_realm_list, API },
	{ "POST", ADMIN, au_api_realm_create, API },
	{ "POST", ADMIN "/import", au_api_realm_import, API },
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
	{ "GET", ADMIN "/{realmId}/consumers", au_api_consumer_list, API },
	{ "POST", ADMIN "/{realmId}/consumers", au_api_consumer_create, API },
	{ "GET", ADMIN "/{realmId}/consumers/{consumerId}", au_api_consumer_get, API },
	{ "PUT", ADMIN "/{realmId}/consumers/{consumerId}", au_api_consumer_update, API },
	{ "PATCH", ADMIN "/{realmId}/consumers/{consumerId}", au_api_consumer_patch, API },
	{ "DELETE", ADMIN "/{realmId}/consumers/{consumerId}", au_api_consumer_delete, API },
	{ "GET", ADMIN "/{realmId}/consumers/{consumerId}/usage", au_api_consumer_usage, API },
	{ "GET", ADMIN "/{realmId}/consumers/{consumerId}/secrets", au_api_consumer_secret_list, API },
	{ "POST", ADMIN "/{realmId}/consumers/{consumerId}/secrets", au_api_consumer_secret_create, API },
	{ "DELETE", ADMIN "/{realmId}/consumers/{consumerId}/secrets/{secretId}", au_api_consumer_secret_revoke, API },
	{ "POST", ADMIN "/{realmId}/consumers/{consumerId}/secrets/{secretId}/rotate", au_api_consumer_secret_rotate, API },
	{ "GET", ADMIN "/{realmId}/events", au_api_event_list, API },
	{ "GET", ADMIN "/{realmId}/export", au_api_realm_export, API },

	/* realm roles, client roles, global roles (one set of handlers) */
	{ "GET", ADMIN "/{realmId}/roles", au_api_role_list, API },
	{ "POST", ADMIN "/{realmId}/roles", au_api_role_create, API },
	{ "GET", ADMIN "/{realmId}" ROLES, au_api_role_get, API },
	{ "PUT", ADMIN "/{realmId}" ROLES, au_api_role_update, API },
	{ "PATCH", ADMIN "/{realmId}" ROLES, au_api_role_patch, API },
	{ "DELETE", ADMIN "/{realmId}" ROLES, au_api_role_delete, API },
	{ "GET", ADMIN "/{realmId}" ROLES "/composites", au_api_role_composites_get, API },
	{ "POST", ADMIN "/{realmId}" ROLES "/composites", au_api_role_composites_add, API },
	{ "DELETE", ADMIN "/{realmId}" ROLES "/composites", au_api_role_composites_remove, API },
	{ "GET", ADMIN "/{realmId}" ROLES "/members", au_api_role_members, API },
	{ "GET", CROLES, au_api_role_list, API },
	{ "POST", CROLES, au_api_role_create, API },
	{ "GET", CROLES "/{roleName}", au_api_role_get, API },
	{ "PUT", CROLES "/{roleName}", au_api_role_update, API },
	{ "PATCH", CROLES "/{roleName}", au_api_role_patch, API },
	{ "DELETE", CROLES "/{roleName}", au_api_role_delete, API },
	{ "GET", CROLES "/{roleName}/composites", au_api_role_composites_get, API },
	{ "POST", CROLES "/{roleName}/composites", au_api_role_composites_add, API },
	{ "DELETE", CROLES "/{roleName}/composites", au_api_role_composites_remove, API },
	{ "GET", CROLES "/{roleName}/members", au_api_role_members, API },
	{ "GET", GROLES, au_api_role_list, API },
	{ "POST", GROLES, au_api_role_create, API },
	{ "GET", GROLES "/{roleName}", au_api_role_get, API },
	{ "PUT", GROLES "/{roleName}", au_api_role_update, API },
	{ "PATCH", GROLES "/{roleName}", au_api_role_patch, API },
	{ "DELETE", GROLES "/{roleName}", au_api_role_delete, API },
	{ "GET", GROLES "/{roleName}/composites", au_api_role_composites_get, API },
	{ "POST", GROLES "/{roleName}/composites", au_api_role_composites_add, API },
	{ "DELETE", GROLES "/{roleName}/composites", au_api_role_composites_remove, API },

	/* role mappings: users, consumers, clients' own (service) roles */
	{ "GET", ADMIN "/{realmId}/users/{userId}/roles", au_api_role_mappings_get, API },
	{ "POST", ADMIN "/{realmId}/users/{userId}/roles", au_api_role_mappings_add, API },
	{ "DELETE", ADMIN "/{realmId}/users/{userId}/roles", au_api_role_mappings_remove, API },
	{ "GET", ADMIN "/{realmId}/users/{userId}/roles/effective", au_api_role_mappings_effective, API },
	{ "GET", ADMIN "/{realmId}/consumers/{consumerId}/roles", au_api_role_mappings_get, API },
	{ "POST", ADMIN "/{realmId}/consumers/{consumerId}/roles", au_api_role_mappings_add, API },
	{ "DELETE", ADMIN "/{realmId}/consumers/{consumerId}/roles", au_api_role_mappings_remove, API },
	{ "GET", ADMIN "/{realmId}/consumers/{consumerId}/roles/effective", au_api_role_mappings_effective, API },
	{ "GET", ADMIN "/{realmId}/clients/{clientId}/service-roles", au_api_role_mappings_get, API },
	{ "POST", ADMIN "/{realmId}/clients/{clientId}/service-roles", au_api_role_mappings_add, API },
	{ "DELETE", ADMIN "/{realmId}/clients/{clientId}/service-roles", au_api_role_mappings_remove, API },
	{ "GET", ADMIN "/{realmId}/clients/{clientId}/service-roles/effective", au_api_role_mappings_effective, API },
	{ "GET", ADMIN "/{realmId}/users", au_api_user_list, API },
	{ "POST", ADMIN "/{realmId}/users", au_api_user_create, API },
	{ "GET", ADMIN "/{realmId}/users/{userId}", au_api_user_get, API },
	{ "PUT", ADMIN "/{realmId}/users/{userId}", au_api_user_update, API },
	{ "PATCH", ADMIN "/{realmId}/users/{userId}", au_api_user_patch, API },
	{ "DELETE", ADMIN "/{realmId}/users/{userId}", au_api_user_delete, API },
	{ "PUT", ADMIN "/{realmId}/users/{userId}/password", au_api_user_password, API },
	{ "POST", ADMIN "/{realmId}/users/{userId}/unlock", au_api_user_unlock, API },
	{ "GET", ADMIN "/{realmId}/users/{userId}/sessions", au_api_user_sessions, API },
	{ "DELETE", ADMIN "/{realmId}/users/{userId}/sessions", au_api_user_sessions_end, API },
	{ "GET", ADMIN "/{realmId}/keys", au_api_key_list, API },
	{ "POST", ADMIN "/{realmId}/keys", au_api_key_create, API },
	{ "GET", ADMIN "/{realmId}/keys/{kid}", au_api_key_get, API },
	{ "PATCH", ADMIN "/{realmId}/keys/{kid}", au_api_key_patch, API },
	{ "DELETE", ADMIN "/{realmId}/keys/{kid}", au_api_key_delete, API },
	{ "POST", ADMIN "/{realmId}/keys/{kid}/rotate", au_api_key_rotate, API },
	{ "GET", ADMIN "/{realmId}/settings/{name}", au_api_settings_get, API },
	{ "PUT", ADMIN "/{realmId}/settings/{name}", au_api_settings_put, API },
	{ "GET", ADMIN "/{realmId}/posture", au_api_posture_get, API },
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
