/* oauth_scope.h — which scopes a client's request is granted.
 *
 * One rule for every endpoint where a client asks for scopes on behalf
 * of a user (/authorize, /device_authorization): each requested scope
 * must be one of the client's default or optional scopes; repeated ones
 * count once; none requested (absent or empty) grants the defaults. */
#ifndef AU_OAUTH_SCOPE_H
#define AU_OAUTH_SCOPE_H

struct au_req;
struct au_cached_client;

/* The granted scope string (in the request's arena), or NULL with *bad
 * naming the first scope the client may not ask for (or the one past the
 * limit of 64 scopes). */
char *au_scope_grant(struct au_req *r, const struct au_cached_client *cc,
    const char *requested, const char **bad);

#endif
