-- 0009: what the device authorization grant (RFC 8628) needs beyond the
-- device_codes table of 0001.
--
-- auth_time: when the approving user signed in (the ID token's auth_time);
-- decided_at: when the user approved or denied.  The expiry index serves
-- the sweep of expired codes that frees their user codes.
ALTER TABLE device_codes
  ADD COLUMN auth_time DATETIME NULL AFTER session_id,
  ADD COLUMN decided_at DATETIME NULL AFTER auth_time,
  ADD KEY ix_device_codes_expiry (realm_id, expires_at);

-- Wrong user codes typed on the verification page, per realm and client
-- address, counted in a fixed window: a user code has about 34 bits of
-- entropy (RFC 8628 §5.1), so guessing must be rate limited.
CREATE TABLE device_code_guesses (
  realm_id      CHAR(36) CHARACTER SET ascii NOT NULL,
  ip            VARCHAR(45) CHARACTER SET ascii NOT NULL,
  window_start  DATETIME NOT NULL,
  failures      INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (realm_id, ip),
  CONSTRAINT fk_device_code_guesses_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
