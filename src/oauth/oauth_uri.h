/* oauth_uri.h — what a client may register as a redirect URI, a web
 * origin or a JWKS URL.
 *
 * Registered redirect URIs are matched byte for byte at /authorize
 * (RFC 9700 §2.1, OAuth 2.1 §2.3.1), so registration is where they are
 * judged (RFC 6749 §3.1.2, RFC 8252 §7): an absolute URI of printable
 * ASCII, without fragment, user information or wildcard; http only for a
 * loopback host (localhost, 127.0.0.1, [::1]); https anywhere; a
 * private-use scheme (com.example.app:/callback) for native apps, except
 * the schemes a browser would execute or read locally (javascript:,
 * data:, file: ...).
 *
 * Each check returns NULL when the value is acceptable, else a static
 * sentence fragment ("must not contain a fragment (#)") to put after the
 * field's name.  Pure functions: no allocation, no I/O. */
#ifndef AU_OAUTH_URI_H
#define AU_OAUTH_URI_H

/* A redirect URI or post-logout redirect URI. */
const char *au_uri_redirect_problem(const char *uri);
/* A web origin: http(s)://host[:port], lowercase, nothing after it;
 * http only for loopback hosts, like redirect URIs. */
const char *au_uri_origin_problem(const char *origin);
/* A URL the server itself fetches (jwksUri): https://host/... */
const char *au_uri_https_problem(const char *url);

#endif
