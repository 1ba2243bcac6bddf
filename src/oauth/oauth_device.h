/* oauth_device.h — POST /realms/{realm}/device_authorization, the device
 * authorization endpoint of RFC 8628 (§3.1, §3.2), and the user codes.
 *
 * The client authenticates as at /token (a public client names itself
 * with client_id); it must be registered for the device_code grant, and
 * its scope is granted as at /authorize (oauth_scope.h).  The answer
 * holds a device code (256 random bits; stored only as SHA-256), a user
 * code of 8 characters from an alphabet without vowels and look-alikes
 * (BCDFGHJKLMNPQRSTVWXZ: about 34.6 bits, RFC 8628 §6.1), shown as
 * XXXX-XXXX, the verification URIs (issuer + /device, with ?user_code=),
 * expires_in (the realm's deviceCodeLifetime) and interval (5 s).  The
 * device polls /token with the device_code grant (oauth_token.c); the
 * user decides on the verification page (login_device.h). */
#ifndef AU_OAUTH_DEVICE_H
#define AU_OAUTH_DEVICE_H

struct au_arena;
struct au_req;

#define AU_GRANT_DEVICE_CODE "urn:ietf:params:oauth:grant-type:device_code"
/* The polling interval a device authorization starts with (seconds). */
#define AU_DEVICE_INTERVAL 5
/* Characters of a normalized user code. */
#define AU_USER_CODE_LEN 8

int au_oauth_device_authorization(struct au_req *r);

/* The normalized form of a user code as typed: case, one dash or spaces
 * ignored; NULL unless it is 8 characters of the alphabet. */
char *au_user_code_normalize(struct au_arena *a, const char *typed);
/* A normalized user code as shown: XXXX-XXXX. */
char *au_user_code_display(struct au_arena *a, const char *code);

#endif
