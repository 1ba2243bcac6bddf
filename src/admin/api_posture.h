/* api_posture.h — a realm's security posture.
 *
 *   GET /api/admin/realms/{realmId}/posture
 *
 * {"score": 0..100, "findings": [{"id", "severity", "message", "fix",
 * "resource"?}]}: what in the realm's keys, secrets, clients, settings
 * and administrators weakens it, each with the fix.  The score is
 * 100 - 15 per high, 8 per medium and 3 per low finding, at least 0.
 * Finding ids (one finding per resource where there is one):
 *
 *   key-rotation-off            medium  keyRotationDays is 0
 *   key-rotation-overdue        high    an active key signed longer than
 *                                       keyRotationDays
 *   secret-expired              high    a secret expired, no live one left
 *   secret-expiring             medium  a secret expires within 14 days,
 *                                       none lined up after it
 *   public-client-without-pkce  high
 *   client-without-secret       medium  confidential, secret-based auth
 *   secret-never-rotated        medium  a live secret older than the
 *                                       rotation period (90 days when off)
 *   http-redirect-uri           high    http:// outside loopback
 *   lockout-disabled            high
 *   weak-password-policy        medium  minLength < 8 or no denylist
 *   email-verification-off      low
 *   unused-client               low     no secret used in 90 days
 *   admin-without-recent-login  medium  a master-realm user holding admin
 *                                       or realm-admin:<realm>, no
 *                                       sign-in in 90 days (or ever)
 *
 * Read access like every realm read (realm-viewer may read).  Each
 * check reads at most AU_POSTURE_LIMIT resources (store_posture.h). */
#ifndef AU_API_POSTURE_H
#define AU_API_POSTURE_H

struct au_req;

int au_api_posture_get(struct au_req *r);

#endif
