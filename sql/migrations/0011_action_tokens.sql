-- 0011: single-use links sent by mail (email verification, password
-- reset) and fixed-window rate limits of the pages that send them.
--
-- action_tokens: the link's random token is stored only as its SHA-256
-- (hex); a link belongs to one realm, one user, one kind ("verify" |
-- "reset") and, for "verify", the address it was sent to.  used_at is
-- set when the link is followed (claimed by one UPDATE, so it works
-- once).  authreq: the sealed authorization request (login_authorize.h)
-- that the sign-in continues with, or NULL.
CREATE TABLE action_tokens (
  token_hash    CHAR(64) CHARACTER SET ascii NOT NULL,
  realm_id      CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  kind          VARCHAR(16) CHARACTER SET ascii NOT NULL,
  email         VARCHAR(320) NULL,
  authreq       TEXT CHARACTER SET ascii NULL,
  created_at    DATETIME NOT NULL,
  expires_at    DATETIME NOT NULL,
  used_at       DATETIME NULL,
  PRIMARY KEY (token_hash),
  KEY ix_action_tokens_user (user_id, kind),
  KEY ix_action_tokens_expiry (realm_id, expires_at),
  CONSTRAINT fk_action_tokens_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_action_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Hits per realm and subject ("resend:<user id>", "register:<ip>",
-- "reset:<ip>") counted in a fixed window.
CREATE TABLE action_limits (
  realm_id      CHAR(36) CHARACTER SET ascii NOT NULL,
  subject       VARCHAR(100) CHARACTER SET ascii NOT NULL,
  window_start  DATETIME NOT NULL,
  hits          INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (realm_id, subject),
  CONSTRAINT fk_action_limits_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
