-- 0001_init.sql — the whole authio schema, first version.
--
-- Rules (DESIGN §5): InnoDB, utf8mb4, a primary key on every table, no
-- triggers, no LOCK TABLES (runs unchanged on Galera).  Surrogate keys are
-- random UUIDs as ASCII text, never AUTO_INCREMENT.  Secrets (client
-- secrets, codes, refresh tokens, device codes, session ids) are stored
-- only as hex SHA-256 of a 256-bit random value.  Every realm-scoped row
-- hangs off realms(id) with ON DELETE CASCADE, so deleting a realm removes
-- everything in it.  Times are UTC DATETIME (the connection runs with
-- time_zone '+00:00').

CREATE TABLE realms (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        VARCHAR(63) CHARACTER SET ascii NOT NULL,
  name            VARCHAR(255) NOT NULL,
  description     VARCHAR(1000) NOT NULL DEFAULT '',
  status          ENUM('active','inactive') NOT NULL DEFAULT 'active',
  -- bumped by every admin change in the realm; worker caches compare it
  config_version  BIGINT UNSIGNED NOT NULL DEFAULT 1,
  -- optimistic concurrency for If-Match on the realm itself
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  created_at      DATETIME NOT NULL,
  updated_at      DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_realms_realm_id (realm_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Settings documents of a realm: branding, policies, tokens (JSON).
CREATE TABLE realm_settings (
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  name            VARCHAR(32) CHARACTER SET ascii NOT NULL,
  doc             LONGTEXT NOT NULL CHECK (JSON_VALID(doc)),
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  updated_at      DATETIME NOT NULL,
  PRIMARY KEY (realm_id, name),
  CONSTRAINT fk_realm_settings_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Client ids and consumer ids share one namespace per realm (both are
-- client_id at the token endpoint); this table makes that unique without
-- a race, on one host or many.
CREATE TABLE principal_names (
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  name            VARCHAR(255) NOT NULL,
  kind            ENUM('client','consumer') NOT NULL,
  owner_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (realm_id, name),
  CONSTRAINT fk_principal_names_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE clients (
  id                          CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id                    CHAR(36) CHARACTER SET ascii NOT NULL,
  client_id                   VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  name                        VARCHAR(255) NOT NULL DEFAULT '',
  description                 VARCHAR(1000) NOT NULL DEFAULT '',
  type                        ENUM('confidential','public') NOT NULL,
  enabled                     TINYINT(1) NOT NULL DEFAULT 1,
  -- space-separated grant types, e.g. "authorization_code refresh_token"
  grant_types                 VARCHAR(500) CHARACTER SET ascii NOT NULL DEFAULT '',
  pkce_required               TINYINT(1) NOT NULL DEFAULT 1,
  consent_required            TINYINT(1) NOT NULL DEFAULT 0,
  token_endpoint_auth_method  VARCHAR(40) CHARACTER SET ascii NOT NULL DEFAULT 'client_secret_basic',
  user_access                 ENUM('all','assigned') NOT NULL DEFAULT 'all',
  jwks                        MEDIUMTEXT NULL CHECK (jwks IS NULL OR JSON_VALID(jwks)),
  jwks_uri                    VARCHAR(2000) NULL,
  token_settings              TEXT NULL CHECK (token_settings IS NULL OR JSON_VALID(token_settings)),
  branding                    TEXT NULL CHECK (branding IS NULL OR JSON_VALID(branding)),
  version                     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at                  DATETIME NOT NULL,
  updated_at                  DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_clients_realm_client (realm_id, client_id),
  CONSTRAINT fk_clients_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Redirect URIs, post-logout redirect URIs and web origins; matched
-- exactly (byte for byte), so uniqueness is on the SHA-256 of the text.
CREATE TABLE client_uris (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  kind            ENUM('redirect','post_logout','web_origin') NOT NULL,
  uri             VARCHAR(2000) COLLATE utf8mb4_bin NOT NULL,
  uri_sha256      CHAR(64) CHARACTER SET ascii NOT NULL,
  position        INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY uq_client_uris (client_id, kind, uri_sha256),
  CONSTRAINT fk_client_uris_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE consumers (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  consumer_id     VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  name            VARCHAR(255) NOT NULL DEFAULT '',
  description     VARCHAR(1000) NOT NULL DEFAULT '',
  enabled         TINYINT(1) NOT NULL DEFAULT 1,
  attributes      TEXT NULL CHECK (attributes IS NULL OR JSON_VALID(attributes)),
  tokens_issued   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_used_at    DATETIME NULL,
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  created_at      DATETIME NOT NULL,
  updated_at      DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_consumers_realm_consumer (realm_id, consumer_id),
  CONSTRAINT fk_consumers_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Secrets of confidential clients and of consumers: exactly one owner.
CREATE TABLE secrets (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  client_id       CHAR(36) CHARACTER SET ascii NULL,
  consumer_id     CHAR(36) CHARACTER SET ascii NULL,
  label           VARCHAR(255) NOT NULL DEFAULT '',
  secret_hash     CHAR(64) CHARACTER SET ascii NOT NULL,
  created_at      DATETIME NOT NULL,
  expires_at      DATETIME NULL,
  last_used_at    DATETIME NULL,
  revoked_at      DATETIME NULL,
  rotated_from    CHAR(36) CHARACTER SET ascii NULL,
  PRIMARY KEY (id),
  KEY ix_secrets_client (client_id),
  KEY ix_secrets_consumer (consumer_id),
  KEY ix_secrets_realm_expiry (realm_id, expires_at),
  CONSTRAINT ck_secrets_owner CHECK ((client_id IS NULL) <> (consumer_id IS NULL)),
  CONSTRAINT fk_secrets_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_secrets_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_secrets_consumer FOREIGN KEY (consumer_id) REFERENCES consumers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
  id                   CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id             CHAR(36) CHARACTER SET ascii NOT NULL,
  username             VARCHAR(255) NOT NULL,
  email                VARCHAR(320) NULL,
  email_verified       TINYINT(1) NOT NULL DEFAULT 0,
  first_name           VARCHAR(255) NOT NULL DEFAULT '',
  last_name            VARCHAR(255) NOT NULL DEFAULT '',
  enabled              TINYINT(1) NOT NULL DEFAULT 1,
  attributes           TEXT NULL CHECK (attributes IS NULL OR JSON_VALID(attributes)),
  required_actions     VARCHAR(500) CHARACTER SET ascii NOT NULL DEFAULT '',
  -- PHC-style self-describing hash ("$scrypt$..."), NULL = no password
  password_hash        VARCHAR(255) CHARACTER SET ascii NULL,
  password_changed_at  DATETIME NULL,
  failed_logins        INT UNSIGNED NOT NULL DEFAULT 0,
  last_failure_at      DATETIME NULL,
  lockout_count        INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until         DATETIME NULL,
  locked_permanently   TINYINT(1) NOT NULL DEFAULT 0,
  version              INT UNSIGNED NOT NULL DEFAULT 1,
  created_at           DATETIME NOT NULL,
  updated_at           DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_realm_username (realm_id, username),
  KEY ix_users_realm_email (realm_id, email(191)),
  CONSTRAINT fk_users_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_password_history (
  user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  created_at      DATETIME(6) NOT NULL,
  password_hash   VARCHAR(255) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (user_id, created_at),
  CONSTRAINT fk_pwhist_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- "Users are scoped within a realm's client": clients with
-- user_access = 'assigned' admit only the users listed here.
CREATE TABLE client_users (
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  created_at      DATETIME NOT NULL,
  PRIMARY KEY (client_id, user_id),
  KEY ix_client_users_user (user_id),
  CONSTRAINT fk_client_users_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_client_users_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Roles: realm roles (client_id NULL), client roles (client_id set) and
-- global roles (realm_id NULL, shared by every realm).  owner_key makes
-- the name unique per owner even though NULLs never collide in UNIQUE.
CREATE TABLE roles (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NULL,
  client_id       CHAR(36) CHARACTER SET ascii NULL,
  owner_key       VARCHAR(80) CHARACTER SET ascii NOT NULL,
  name            VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  description     VARCHAR(1000) NOT NULL DEFAULT '',
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  created_at      DATETIME NOT NULL,
  updated_at      DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_roles_owner_name (owner_key, name),
  KEY ix_roles_realm (realm_id),
  KEY ix_roles_client (client_id),
  CONSTRAINT fk_roles_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_roles_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE role_composites (
  parent_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  child_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (parent_id, child_id),
  KEY ix_role_composites_child (child_id),
  CONSTRAINT fk_role_composites_parent FOREIGN KEY (parent_id) REFERENCES roles (id) ON DELETE CASCADE,
  CONSTRAINT fk_role_composites_child FOREIGN KEY (child_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Role mappings of the three kinds of principal: users, consumers, and
-- clients themselves (a client's own roles in the client-credentials grant).
CREATE TABLE user_roles (
  user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  role_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (user_id, role_id),
  KEY ix_user_roles_role (role_id),
  CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_user_roles_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE consumer_roles (
  consumer_id     CHAR(36) CHARACTER SET ascii NOT NULL,
  role_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (consumer_id, role_id),
  KEY ix_consumer_roles_role (role_id),
  CONSTRAINT fk_consumer_roles_consumer FOREIGN KEY (consumer_id) REFERENCES consumers (id) ON DELETE CASCADE,
  CONSTRAINT fk_consumer_roles_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE client_service_roles (
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  role_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (client_id, role_id),
  KEY ix_client_service_roles_role (role_id),
  CONSTRAINT fk_csr_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_csr_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- OAuth scopes and the claims they release; realm_id NULL = global
-- (openid, profile, email, address, phone, offline_access).
CREATE TABLE scopes (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NULL,
  owner_key       VARCHAR(80) CHARACTER SET ascii NOT NULL,
  name            VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  description     VARCHAR(1000) NOT NULL DEFAULT '',
  claims          TEXT NULL CHECK (claims IS NULL OR JSON_VALID(claims)),
  include_in_token TINYINT(1) NOT NULL DEFAULT 1,
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  created_at      DATETIME NOT NULL,
  updated_at      DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_scopes_owner_name (owner_key, name),
  CONSTRAINT fk_scopes_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE client_scopes (
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  scope_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  kind            ENUM('default','optional') NOT NULL,
  PRIMARY KEY (client_id, scope_id),
  CONSTRAINT fk_client_scopes_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_client_scopes_scope FOREIGN KEY (scope_id) REFERENCES scopes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Signing and encryption keys.  active: signs and is published; passive:
-- published, verifies only; retired: kept for audit, not published.
-- private_sealed is AES-256-GCM under the master key file (crypto_seal).
CREATE TABLE signing_keys (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  kid             VARCHAR(100) CHARACTER SET ascii NOT NULL,
  alg             VARCHAR(20) CHARACTER SET ascii NOT NULL,
  use_for         ENUM('sig','enc') NOT NULL DEFAULT 'sig',
  status          ENUM('active','passive','retired') NOT NULL DEFAULT 'active',
  public_jwk      TEXT NOT NULL CHECK (JSON_VALID(public_jwk)),
  private_sealed  BLOB NOT NULL,
  created_at      DATETIME NOT NULL,
  activated_at    DATETIME NULL,
  rotated_at      DATETIME NULL,
  retired_at      DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_signing_keys_kid (realm_id, kid),
  KEY ix_signing_keys_status (realm_id, status),
  CONSTRAINT fk_signing_keys_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- SSO sessions of users (the browser cookie holds the random id).
CREATE TABLE sessions (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  session_hash    CHAR(64) CHARACTER SET ascii NOT NULL,
  auth_time       DATETIME NOT NULL,
  amr             VARCHAR(100) CHARACTER SET ascii NOT NULL DEFAULT 'pwd',
  acr             VARCHAR(100) CHARACTER SET ascii NOT NULL DEFAULT '1',
  remember_me     TINYINT(1) NOT NULL DEFAULT 0,
  ip              VARCHAR(45) CHARACTER SET ascii NOT NULL DEFAULT '',
  user_agent      VARCHAR(255) NOT NULL DEFAULT '',
  created_at      DATETIME NOT NULL,
  last_seen_at    DATETIME NOT NULL,
  expires_at      DATETIME NOT NULL,
  ended_at        DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sessions_hash (session_hash),
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_realm_expiry (realm_id, expires_at),
  CONSTRAINT fk_sessions_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Consents remembered per user and client.
CREATE TABLE consents (
  user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  scopes          VARCHAR(2000) NOT NULL DEFAULT '',
  created_at      DATETIME NOT NULL,
  updated_at      DATETIME NOT NULL,
  PRIMARY KEY (user_id, client_id),
  CONSTRAINT fk_consents_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_consents_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Authorization codes: single use through UPDATE ... WHERE used_at IS NULL.
CREATE TABLE auth_codes (
  id                     CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id               CHAR(36) CHARACTER SET ascii NOT NULL,
  code_hash              CHAR(64) CHARACTER SET ascii NOT NULL,
  client_id              CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id                CHAR(36) CHARACTER SET ascii NOT NULL,
  session_id             CHAR(36) CHARACTER SET ascii NULL,
  redirect_uri           VARCHAR(2000) COLLATE utf8mb4_bin NOT NULL,
  scope                  VARCHAR(2000) NOT NULL DEFAULT '',
  nonce                  VARCHAR(512) NULL,
  code_challenge         VARCHAR(128) CHARACTER SET ascii NULL,
  code_challenge_method  VARCHAR(10) CHARACTER SET ascii NULL,
  auth_time              DATETIME NOT NULL,
  created_at             DATETIME NOT NULL,
  expires_at             DATETIME NOT NULL,
  used_at                DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_auth_codes_hash (code_hash),
  KEY ix_auth_codes_expiry (realm_id, expires_at),
  CONSTRAINT fk_auth_codes_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_auth_codes_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_auth_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refresh tokens, rotated on every use; a family shares family_id so reuse
-- of a spent token can revoke all of it.  session_id NULL = offline.
CREATE TABLE refresh_tokens (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  token_hash      CHAR(64) CHARACTER SET ascii NOT NULL,
  family_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  parent_id       CHAR(36) CHARACTER SET ascii NULL,
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id         CHAR(36) CHARACTER SET ascii NULL,
  session_id      CHAR(36) CHARACTER SET ascii NULL,
  auth_code_id    CHAR(36) CHARACTER SET ascii NULL,
  scope           VARCHAR(2000) NOT NULL DEFAULT '',
  offline         TINYINT(1) NOT NULL DEFAULT 0,
  created_at      DATETIME NOT NULL,
  expires_at      DATETIME NOT NULL,
  family_expires_at DATETIME NOT NULL,
  used_at         DATETIME NULL,
  revoked_at      DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_refresh_tokens_hash (token_hash),
  KEY ix_refresh_tokens_family (family_id),
  KEY ix_refresh_tokens_session (session_id),
  KEY ix_refresh_tokens_code (auth_code_id),
  KEY ix_refresh_tokens_expiry (realm_id, expires_at),
  CONSTRAINT fk_refresh_tokens_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_refresh_tokens_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- RFC 8628 device authorizations.
CREATE TABLE device_codes (
  id                CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id          CHAR(36) CHARACTER SET ascii NOT NULL,
  device_code_hash  CHAR(64) CHARACTER SET ascii NOT NULL,
  user_code         CHAR(8) CHARACTER SET ascii NOT NULL,
  client_id         CHAR(36) CHARACTER SET ascii NOT NULL,
  scope             VARCHAR(2000) NOT NULL DEFAULT '',
  status            ENUM('pending','approved','denied','consumed') NOT NULL DEFAULT 'pending',
  user_id           CHAR(36) CHARACTER SET ascii NULL,
  session_id        CHAR(36) CHARACTER SET ascii NULL,
  poll_interval     INT UNSIGNED NOT NULL DEFAULT 5,
  last_polled_at    DATETIME NULL,
  created_at        DATETIME NOT NULL,
  expires_at        DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_device_codes_hash (device_code_hash),
  UNIQUE KEY uq_device_codes_user_code (realm_id, user_code),
  CONSTRAINT fk_device_codes_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE,
  CONSTRAINT fk_device_codes_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_device_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Access tokens revoked before expiry (RFC 7009), by jti, until they expire.
CREATE TABLE revoked_tokens (
  jti             VARCHAR(64) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  expires_at      DATETIME NOT NULL,
  PRIMARY KEY (jti),
  KEY ix_revoked_tokens_expiry (expires_at),
  CONSTRAINT fk_revoked_tokens_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- jti values of private_key_jwt client assertions already seen (replay).
CREATE TABLE client_assertion_jtis (
  client_id       CHAR(36) CHARACTER SET ascii NOT NULL,
  jti_sha256      CHAR(64) CHARACTER SET ascii NOT NULL,
  expires_at      DATETIME NOT NULL,
  PRIMARY KEY (client_id, jti_sha256),
  KEY ix_client_assertion_jtis_expiry (expires_at),
  CONSTRAINT fk_caj_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Login events and admin events of a realm (no secrets in details).
CREATE TABLE events (
  id              CHAR(36) CHARACTER SET ascii NOT NULL,
  realm_id        CHAR(36) CHARACTER SET ascii NOT NULL,
  category        ENUM('auth','admin') NOT NULL,
  type            VARCHAR(64) CHARACTER SET ascii NOT NULL,
  actor           VARCHAR(255) NOT NULL DEFAULT '',
  resource_type   VARCHAR(64) CHARACTER SET ascii NOT NULL DEFAULT '',
  resource_id     VARCHAR(255) NOT NULL DEFAULT '',
  client_id       VARCHAR(255) NOT NULL DEFAULT '',
  user_id         CHAR(36) CHARACTER SET ascii NULL,
  ip              VARCHAR(45) CHARACTER SET ascii NOT NULL DEFAULT '',
  request_id      VARCHAR(64) CHARACTER SET ascii NOT NULL DEFAULT '',
  details         TEXT NULL CHECK (details IS NULL OR JSON_VALID(details)),
  created_at      DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_events_realm_time (realm_id, created_at),
  KEY ix_events_realm_type (realm_id, type, created_at),
  CONSTRAINT fk_events_realm FOREIGN KEY (realm_id) REFERENCES realms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The global scopes every realm has.
INSERT INTO scopes (id, realm_id, owner_key, name, description, claims, include_in_token, created_at, updated_at) VALUES
 ('00000000-0000-4000-8000-000000000001', NULL, 'global', 'openid', 'Sign you in', '[]', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
 ('00000000-0000-4000-8000-000000000002', NULL, 'global', 'profile', 'Your name and username',
  '["name","given_name","family_name","preferred_username","updated_at"]', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
 ('00000000-0000-4000-8000-000000000003', NULL, 'global', 'email', 'Your email address', '["email","email_verified"]', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
 ('00000000-0000-4000-8000-000000000004', NULL, 'global', 'address', 'Your postal address', '["address"]', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
 ('00000000-0000-4000-8000-000000000005', NULL, 'global', 'phone', 'Your phone number', '["phone_number","phone_number_verified"]', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
 ('00000000-0000-4000-8000-000000000006', NULL, 'global', 'offline_access', 'Stay signed in while you are away', '[]', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP());
