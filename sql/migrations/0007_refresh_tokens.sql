-- 0007: what refresh tokens and codes need to revoke what came from them
-- (issue 4).
--
-- auth_time: an ID token issued on refresh names when the user signed in,
-- also after an offline token's session ended.
-- access_jti / access_expires_at: the access token issued with the code or
-- refresh token, so that a replayed code or a reused refresh token
-- (RFC 9700 §4.5, §4.14.2) revokes it too, until it would have expired.
ALTER TABLE refresh_tokens
  ADD COLUMN auth_time DATETIME NULL AFTER offline,
  ADD COLUMN access_jti VARCHAR(64) CHARACTER SET ascii NULL AFTER auth_time,
  ADD COLUMN access_expires_at DATETIME NULL AFTER access_jti;

ALTER TABLE auth_codes
  ADD COLUMN access_jti VARCHAR(64) CHARACTER SET ascii NULL AFTER used_at,
  ADD COLUMN access_expires_at DATETIME NULL AFTER access_jti;
