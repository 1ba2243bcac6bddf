-- 0005_scope_claims.sql — scope claims become mappings, and scope names
-- are unique across owners.
--
-- 0001 seeded the global scopes' `claims` as a bare list of claim names.
-- A scope now says where each claim comes from: a JSON array of
--   {claim, source: attribute|property|roles|static, value,
--    inIdToken, inAccessToken, inUserinfo}
-- (validated by the admin API, src/admin/api_scope.c).  The standard
-- claims of OIDC Core §5.4 map to the user's own columns ("property") or,
-- where the user has no column for them, to user attributes.
--
-- A realm scope may not reuse a global scope's name (and a new global
-- scope no realm scope's name): ix_scopes_name makes that check, and the
-- gap lock it takes against a concurrent insert, an index lookup.

UPDATE scopes SET claims = '[]'
 WHERE id = '00000000-0000-4000-8000-000000000001' AND owner_key = 'global';
UPDATE scopes SET claims = '[{"claim":"name","source":"property","value":"name","inIdToken":true,"inAccessToken":true,"inUserinfo":true},{"claim":"given_name","source":"property","value":"firstName","inIdToken":true,"inAccessToken":true,"inUserinfo":true},{"claim":"family_name","source":"property","value":"lastName","inIdToken":true,"inAccessToken":true,"inUserinfo":true},{"claim":"preferred_username","source":"property","value":"username","inIdToken":true,"inAccessToken":true,"inUserinfo":true},{"claim":"updated_at","source":"property","value":"updatedAt","inIdToken":true,"inAccessToken":true,"inUserinfo":true}]'
 WHERE id = '00000000-0000-4000-8000-000000000002' AND owner_key = 'global';
UPDATE scopes SET claims = '[{"claim":"email","source":"property","value":"email","inIdToken":true,"inAccessToken":true,"inUserinfo":true},{"claim":"email_verified","source":"property","value":"emailVerified","inIdToken":true,"inAccessToken":true,"inUserinfo":true}]'
 WHERE id = '00000000-0000-4000-8000-000000000003' AND owner_key = 'global';
UPDATE scopes SET claims = '[{"claim":"address","source":"attribute","value":"address","inIdToken":true,"inAccessToken":true,"inUserinfo":true}]'
 WHERE id = '00000000-0000-4000-8000-000000000004' AND owner_key = 'global';
UPDATE scopes SET claims = '[{"claim":"phone_number","source":"attribute","value":"phone_number","inIdToken":true,"inAccessToken":true,"inUserinfo":true},{"claim":"phone_number_verified","source":"attribute","value":"phone_number_verified","inIdToken":true,"inAccessToken":true,"inUserinfo":true}]'
 WHERE id = '00000000-0000-4000-8000-000000000005' AND owner_key = 'global';
UPDATE scopes SET claims = '[]'
 WHERE id = '00000000-0000-4000-8000-000000000006' AND owner_key = 'global';

CREATE INDEX ix_scopes_name ON scopes (name);
