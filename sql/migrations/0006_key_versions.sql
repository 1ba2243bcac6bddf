-- 0006: keys become resources of the admin API (issue 3).
--
-- version: optimistic concurrency for If-Match on PATCH / DELETE of a key.
-- The selection of the signing key (oauth_realm.c) reads activated_at: a
-- generated or rotated key is published in the JWKS at once but signs only
-- from activated_at on, once every cached copy of the JWKS holds it.
ALTER TABLE signing_keys
  ADD COLUMN version INT UNSIGNED NOT NULL DEFAULT 1 AFTER retired_at;
