-- 0004_consumers.sql — what consumers need beyond 0001: the scopes they
-- may ask for, the audience of their tokens, and usage per day.
--
-- Allowed scopes are rows referring to scopes(id), so deleting a scope
-- drops it from every consumer (as client_scopes does for clients).
-- The audience is free text (resource server identifiers), kept as a JSON
-- array of strings on the consumer row.  Usage is one row per consumer
-- and UTC day, bumped with INSERT ... ON DUPLICATE KEY UPDATE by the
-- token endpoint; the running totals (tokens_issued, last_used_at,
-- last_ip) stay on the consumer row.

ALTER TABLE consumers
  ADD COLUMN audience TEXT NULL CHECK (audience IS NULL OR JSON_VALID(audience)) AFTER attributes,
  ADD COLUMN last_ip VARCHAR(45) CHARACTER SET ascii NULL AFTER last_used_at;

CREATE TABLE consumer_scopes (
  consumer_id     CHAR(36) CHARACTER SET ascii NOT NULL,
  scope_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (consumer_id, scope_id),
  KEY ix_consumer_scopes_scope (scope_id),
  CONSTRAINT fk_consumer_scopes_consumer FOREIGN KEY (consumer_id) REFERENCES consumers (id) ON DELETE CASCADE,
  CONSTRAINT fk_consumer_scopes_scope FOREIGN KEY (scope_id) REFERENCES scopes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE consumer_usage (
  consumer_id     CHAR(36) CHARACTER SET ascii NOT NULL,
  day             DATE NOT NULL,
  tokens          BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (consumer_id, day),
  CONSTRAINT fk_consumer_usage_consumer FOREIGN KEY (consumer_id) REFERENCES consumers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
