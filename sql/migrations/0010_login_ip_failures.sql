-- Failed sign-ins per realm and client address, across accounts: the
-- per-IP limit of the lockout policy (lockout.perIpMaxFailures) that
-- stops password spraying without locking the accounts it tries.
-- failures counts since the last quiet period of failureResetSeconds;
-- rows quiet for longer are deleted a few at a time as failures come.
CREATE TABLE login_ip_failures (
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  ip              VARCHAR(45) CHARACTER SET ascii NOT NULL,
  failures        INT UNSIGNED NOT NULL DEFAULT 0,
  last_failure_at DATETIME NOT NULL,
  PRIMARY KEY (realm_id, ip),
  KEY ix_login_ip_failures_last (realm_id, last_failure_at),
  CONSTRAINT fk_login_ip_failures_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
