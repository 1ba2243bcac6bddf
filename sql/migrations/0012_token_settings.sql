-- 0012: what a client's token settings need.
--
-- auth_codes.resource: the resource indicator (RFC 8707) of the
-- authorization request, which the token request may repeat but not
-- change.
ALTER TABLE auth_codes
  ADD COLUMN resource VARCHAR(2000) NULL AFTER code_challenge_method;

-- Opaque access tokens (tokenSettings.accessTokenFormat "opaque"): a
-- random reference token, stored only as its SHA-256, with the claims a
-- JWT would carry (what introspection answers and userinfo needs).  jti
-- is the claims' jti, so revoked_tokens and the code-replay revocation
-- apply to it as to a JWT.  Expired rows are purged a few at a time.
CREATE TABLE opaque_tokens (
  token_hash      CHAR(64) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  jti             VARCHAR(64) CHARACTER SET ascii NOT NULL,
  claims          MEDIUMTEXT NOT NULL,
  expires_at      DATETIME NOT NULL,
  PRIMARY KEY (token_hash),
  KEY ix_opaque_tokens_jti (jti),
  KEY ix_opaque_tokens_expiry (expires_at),
  CONSTRAINT fk_opaque_tokens_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
