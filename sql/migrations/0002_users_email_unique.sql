-- 0002_users_email_unique.sql — an email address belongs to at most one
-- user of a realm.
--
-- The unique key replaces the prefix index of 0001: it serves the same
-- lookups (exact and prefix, case-insensitive through the column's
-- utf8mb4_unicode_ci collation) and makes a duplicate impossible even when
-- two workers or hosts insert at once.  NULL (no email) never collides.
-- (realm_id 36 + email 320 * 4 bytes fits InnoDB's 3072-byte key limit.)
ALTER TABLE users
  ADD UNIQUE KEY uq_users_realm_email (realm_id, email),
  DROP KEY ix_users_realm_email;
