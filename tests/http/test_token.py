"""The token endpoint: client_credentials, RFC 9068 access tokens verified
with jwcrypto against the JWKS, and RFC 6749 §5.2 errors."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase


class TokenSuccessTest(ac.RealmTestCase):
    fixture = "secret"

    def check_token_response(self, r):
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(r.header("Pragma"), "no-cache")
        self.assertIsInstance(body.get("access_token"), str)
        self.assertEqual(body.get("token_type"), "Bearer")
        self.assertIsInstance(body.get("expires_in"), int)
        self.assertGreater(body["expires_in"], 0)
        if "scope" in body:
            self.assertIsInstance(body["scope"], str)
        # RFC 6749 §4.4.3: no refresh token for client credentials
        self.assertNotIn("refresh_token", body)
        return body

    def check_access_token(self, body, realm, client_id):
        token = body["access_token"]
        self.assertEqual(token.count("."), 2, "not a compact JWS")
        jwks = ac.fetch_jwks(realm)
        header, claims = ac.verify_jws(token, jwks)
        self.assertEqual(header.get("typ"), "at+jwt")
        self.assertEqual(header.get("alg"), "RS256")
        key = [k for k in jwks["keys"] if k["kid"] == header["kid"]][0]
        self.assertEqual(key.get("kty"), "RSA")
        now = time.time()
        self.assertEqual(claims.get("iss"), ac.issuer(realm))
        self.assertIsInstance(claims.get("sub"), str)
        self.assertTrue(claims["sub"])
        aud = claims.get("aud")
        self.assertTrue(isinstance(aud, str) and aud
                        or isinstance(aud, list) and aud, claims)
        for k in ("exp", "iat"):
            self.assertIsInstance(claims.get(k), int, claims)
        self.assertGreater(claims["exp"], claims["iat"])
        self.assertLess(abs(claims["iat"] - now), 60, "iat is not now")
        self.assertLessEqual(abs((claims["exp"] - claims["iat"])
                                 - body["expires_in"]), 5,
                             "expires_in disagrees with exp - iat")
        if "nbf" in claims:
            self.assertLessEqual(claims["nbf"], now + 5)
        self.assertIsInstance(claims.get("jti"), str)
        self.assertTrue(claims["jti"])
        self.assertEqual(claims.get("client_id"), client_id)
        self.assertIn("scope", claims)
        self.assertIsInstance(claims["scope"], str)
        if "scope" in body:
            self.assertEqual(set(body["scope"].split()),
                             set(claims["scope"].split()))
        return header, claims

    def test_client_secret_basic(self):
        r = ac.token_request(self.realm, self.client, self.secret, "basic")
        body = self.check_token_response(r)
        self.check_access_token(body, self.realm, self.client)

    def test_client_secret_post(self):
        r = ac.token_request(self.realm, self.client, self.secret, "post")
        body = self.check_token_response(r)
        self.check_access_token(body, self.realm, self.client)

    def test_form_content_type_with_charset(self):
        r = ac.request("POST", "/realms/%s/token" % self.realm,
                       body="grant_type=client_credentials",
                       headers={"Content-Type":
                                "application/x-www-form-urlencoded; charset=UTF-8",
                                "Authorization":
                                ac.basic_auth(self.client, self.secret)})
        self.check_token_response(r)

    def test_jti_is_unique(self):
        jtis = set()
        for _ in range(3):
            r = ac.token_request(self.realm, self.client, self.secret)
            body = self.check_token_response(r)
            _, claims = ac.verify_jws(body["access_token"],
                                      ac.fetch_jwks(self.realm))
            jtis.add(claims["jti"])
        self.assertEqual(len(jtis), 3)

    def test_token_does_not_verify_against_another_realm(self):
        other, _ = ac.create_realm(self)
        r = ac.token_request(self.realm, self.client, self.secret)
        token = self.check_token_response(r)["access_token"]
        with self.assertRaises(AssertionError):
            ac.verify_jws(token, ac.fetch_jwks(other))

    def test_master_admin_cli_token_has_admin_role(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"])
        body = self.check_token_response(r)
        _, claims = self.check_access_token(body, "master", c["client_id"])
        roles = (claims.get("realm_access") or {}).get("roles")
        self.assertIsInstance(roles, list, claims)
        self.assertIn("admin", roles)

    def test_master_admin_cli_via_post(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"],
                             "post")
        self.check_token_response(r)

    def test_basic_credentials_are_form_urlencoded(self):
        # RFC 6749 §2.3.1: id and secret are form-urlencoded inside Basic.
        client_id = "app:1+x y-" + ac.unique("s")
        ac.create_client(self.realm, client_id=client_id)
        secret, _ = ac.create_secret(self.realm, client_id)
        r = ac.token_request(self.realm, client_id, secret, "basic")
        body = self.check_token_response(r)
        _, claims = self.check_access_token(body, self.realm, client_id)
        # and the same id through client_secret_post
        r = ac.token_request(self.realm, client_id, secret, "post")
        self.check_token_response(r)
        # the raw (not encoded) id splits at its ':' and must not match
        import base64
        raw = base64.b64encode(("%s:%s" % (client_id, secret)).encode()).decode()
        r = ac.request("POST", "/realms/%s/token" % self.realm,
                       form={"grant_type": "client_credentials"},
                       headers={"Authorization": "Basic " + raw})
        self.assertOAuthError(r, 401, "invalid_client")

    def test_encoded_basic_of_plain_id(self):
        # percent-encoding an id whose characters need none is still valid
        import base64
        enc = "".join("%%%02X" % b for b in self.client.encode())
        raw = base64.b64encode(("%s:%s" % (enc, self.secret)).encode()).decode()
        r = ac.request("POST", "/realms/%s/token" % self.realm,
                       form={"grant_type": "client_credentials"},
                       headers={"Authorization": "Basic " + raw})
        self.check_token_response(r)


class TokenErrorTest(ac.RealmTestCase):
    fixture = "secret"

    def post(self, form=None, body=None, headers=None, basic=True):
        hdrs = dict(headers or {})
        if basic:
            hdrs["Authorization"] = ac.basic_auth(self.client, self.secret)
        if body is not None:
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return ac.request("POST", "/realms/%s/token" % self.realm,
                          form=form, body=body, headers=hdrs)

    def test_wrong_secret_basic(self):
        r = ac.token_request(self.realm, self.client, self.secret + "x")
        self.assertOAuthError(r, 401, "invalid_client")
        self.assertTrue(r.header("WWW-Authenticate"), repr(r))
        self.assertIn("basic", r.header("WWW-Authenticate").lower())

    def test_wrong_secret_post(self):
        r = ac.token_request(self.realm, self.client, "A" * 43, "post")
        self.assertOAuthError(r, 401, "invalid_client")

    def test_empty_secret(self):
        for method in ("basic", "post"):
            with self.subTest(method=method):
                r = ac.token_request(self.realm, self.client, "", method)
                self.assertOAuthError(r, 401, "invalid_client")

    def test_unknown_client(self):
        for method in ("basic", "post"):
            with self.subTest(method=method):
                r = ac.token_request(self.realm, ac.unique("ghost"),
                                     self.secret, method)
                self.assertOAuthError(r, 401, "invalid_client")

    def test_client_of_another_realm(self):
        other, _ = ac.create_realm(self)
        r = ac.token_request(other, self.client, self.secret)
        self.assertOAuthError(r, 401, "invalid_client")

    def test_no_credentials(self):
        r = ac.token_request(self.realm, method=None)
        self.assertOAuthError(r, 401, "invalid_client")

    def test_client_id_without_secret(self):
        r = self.post(form={"grant_type": "client_credentials",
                            "client_id": self.client}, basic=False)
        self.assertOAuthError(r, 401, "invalid_client")

    def test_basic_and_post_at_once(self):
        r = self.post(form={"grant_type": "client_credentials",
                            "client_id": self.client,
                            "client_secret": self.secret})
        self.assertOAuthError(r, 400, "invalid_request")

    def test_malformed_basic_header(self):
        for value in ("Basic", "Basic !!!not-base64!!!", "Basic " +
                      ac.base64.b64encode(b"no-colon").decode(),
                      "Basic " + ac.base64.b64encode(b"%zz:%zz").decode()):
            with self.subTest(value=value):
                r = self.post(form={"grant_type": "client_credentials"},
                              headers={"Authorization": value}, basic=False)
                self.assertNot5xx(r)
                self.assertIn(r.status, (400, 401), repr(r))
                body = self.assertJson(r)
                self.assertIn(body.get("error"),
                              ("invalid_client", "invalid_request"))

    def test_missing_grant_type(self):
        r = self.post(form={"scope": ""})
        self.assertOAuthError(r, 400, "invalid_request")

    def test_empty_body(self):
        r = self.post(body=b"")
        self.assertOAuthError(r, 400, "invalid_request")

    def test_unsupported_grant_types(self):
        for gt in ("password", "foo", "CLIENT_CREDENTIALS"):
            with self.subTest(grant_type=gt):
                r = self.post(form={"grant_type": gt, "username": "u",
                                    "password": "p"})
                self.assertOAuthError(r, 400, "unsupported_grant_type")

    def test_grant_not_allowed_for_client(self):
        realm, _ = ac.create_realm(self)
        cid = ac.unique("codeonly")
        body = {"clientId": cid, "name": "Code only", "type": "confidential",
                "grantTypes": ["authorization_code"]}
        r = ac.admin("POST", "/realms/%s/clients" % realm, body)
        if r.status == 400:  # the server may require redirect URIs for it
            body["redirectUris"] = ["https://app.example/callback"]
            r = ac.admin("POST", "/realms/%s/clients" % realm, body)
        self.assertStatus(r, 201)
        secret, _ = ac.create_secret(realm, cid)
        r = ac.token_request(realm, cid, secret)
        self.assertOAuthError(r, 400, "unauthorized_client")

    def test_unknown_scope(self):
        r = self.post(form={"grant_type": "client_credentials",
                            "scope": "does-not-exist"})
        self.assertOAuthError(r, 400, "invalid_scope")

    def test_repeated_parameters(self):
        for body in ("grant_type=client_credentials&grant_type=client_credentials",
                     "grant_type=client_credentials&scope=&scope="):
            with self.subTest(body=body):
                r = self.post(body=body)
                self.assertOAuthError(r, 400, "invalid_request")
        r = ac.request("POST", "/realms/%s/token" % self.realm,
                       form=[("grant_type", "client_credentials"),
                             ("client_id", self.client),
                             ("client_id", self.client),
                             ("client_secret", self.secret)])
        self.assertOAuthError(r, 400, "invalid_request")

    def test_get_is_405(self):
        r = ac.get("/realms/%s/token?grant_type=client_credentials" % self.realm,
                   headers={"Authorization":
                            ac.basic_auth(self.client, self.secret)})
        self.assertStatus(r, 405)
        self.assertIn("POST", [m.strip() for m in
                               (r.header("Allow") or "").split(",")])
        self.assertNotIn("access_token", r.json or {})

    def test_json_body_is_invalid_request(self):
        r = ac.request("POST", "/realms/%s/token" % self.realm,
                       json_body={"grant_type": "client_credentials"},
                       headers={"Authorization":
                                ac.basic_auth(self.client, self.secret)})
        self.assertOAuthError(r, 400, "invalid_request")

    def test_credentials_in_query_string_are_not_accepted(self):
        r = ac.request("POST", "/realms/%s/token?client_id=%s&client_secret=%s"
                       % (self.realm, self.client, self.secret),
                       form={"grant_type": "client_credentials"})
        self.assertNot5xx(r)
        self.assertNotEqual(r.status, 200, repr(r))

    def test_unknown_realm(self):
        r = ac.token_request(ac.unique("nope"), self.client, self.secret)
        self.assert4xx(r)
        self.assertNotIn("access_token", r.json or {})


class TokenStateTest(AuthioTestCase):
    """Disabled clients and inactive realms get a clear error."""

    def disable_client(self, realm, client_id):
        """Disables a client that has not been used yet (so no worker has it
        cached), through the admin API if it allows it, else in the DB."""
        path = "/realms/%s/clients/%s" % (realm, ac.quote(client_id))
        r = ac.admin("PUT", path, {"clientId": client_id, "name": "x",
                                    "type": "confidential", "enabled": False,
                                    "grantTypes": ["client_credentials"]})
        if r.status == 200 and r.json and r.json.get("enabled") is False:
            return
        if not ac.db_available():
            self.skipTest("no way to disable a client: %r" % (r,))
        uuid = ac.db_scalar("SELECT id FROM realms WHERE realm_id = %s"
                            % ac.sql_str(realm))
        ac.db_query("UPDATE clients SET enabled = 0 WHERE realm_id = %s AND "
                    "client_id = %s" % (ac.sql_str(uuid), ac.sql_str(client_id)))
        ac.db_query("UPDATE realms SET config_version = config_version + 1 "
                    "WHERE id = %s" % ac.sql_str(uuid))

    def test_disabled_client(self):
        realm, _ = ac.create_realm(self)
        cid = ac.unique("off")
        r = ac.admin("POST", "/realms/%s/clients" % realm,
                     {"clientId": cid, "name": "Off", "type": "confidential",
                      "grantTypes": ["client_credentials"], "enabled": False})
        if r.status == 201:
            self.assertIs(r.json.get("enabled"), False, repr(r))
            secret, _ = ac.create_secret(realm, cid)
        else:
            ac.create_client(realm, client_id=cid)
            secret, _ = ac.create_secret(realm, cid)
            self.disable_client(realm, cid)
        for method in ("basic", "post"):
            with self.subTest(method=method):
                r = ac.token_request(realm, cid, secret, method)
                self.assert4xx(r)
                body = self.assertJson(r)
                self.assertIn(body.get("error"),
                              ("invalid_client", "unauthorized_client"))
                self.assertTrue(body.get("error_description"), repr(r))
                self.assertNotIn("access_token", body)

    def set_status(self, realm, created, status):
        r = ac.admin("PUT", "/realms/" + realm,
                     {"name": created["name"],
                      "description": created.get("description", ""),
                      "status": status})
        self.assertStatus(r, 200)
        self.assertEqual(r.json.get("status"), status)

    def assert_refused(self, realm, cid, secret):
        accept = {"Accept": "application/json"}
        for _ in range(3):  # several requests, to reach several workers
            r = ac.token_request(realm, cid, secret)
            self.assert4xx(r)
            body = self.assertJson(r)
            self.assertTrue(body.get("error"), repr(r))
            self.assertTrue(body.get("error_description"), repr(r))
            self.assertNotIn("access_token", body)
            for path in ("/.well-known/openid-configuration", "/jwks",
                         "/protocol/openid-connect/certs"):
                r = ac.get("/realms/%s%s" % (realm, path), headers=accept)
                self.assert4xx(r)
                self.assertIsInstance(r.json, dict, repr(r))
                self.assertNotIn("keys", r.json)
                self.assertNotIn("issuer", r.json)
                self.assertTrue(r.json.get("error") or r.json.get("detail"),
                                repr(r))

    def assert_served(self, realm, cid, secret):
        for _ in range(3):
            self.assertStatus(ac.token_request(realm, cid, secret), 200)
            r = ac.get("/realms/%s/.well-known/openid-configuration" % realm)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["issuer"], ac.issuer(realm))
            self.assertStatus(ac.get("/realms/%s/jwks" % realm), 200)

    def test_inactive_realm_serves_only_a_clear_error(self):
        realm, created = ac.create_realm(self)
        cid, _ = ac.create_client(realm)
        secret, _ = ac.create_secret(realm, cid)
        self.assertStatus(ac.token_request(realm, cid, secret), 200)
        self.set_status(realm, created, "inactive")
        ac.settle()  # workers may trust cached realm data for cache_ttl s
        self.assert_refused(realm, cid, secret)
        self.set_status(realm, created, "active")
        ac.settle()
        self.assert_served(realm, cid, secret)

    def test_inactive_realm_metadata_is_not_served_from_a_cache(self):
        # discovery and JWKS fetched while the realm was active must not
        # outlive its inactivation beyond the documented bounds (cache_ttl
        # in the workers, metadata_max_age in the web server's cache)
        realm, created = ac.create_realm(self)
        cid, _ = ac.create_client(realm)
        secret, _ = ac.create_secret(realm, cid)
        self.assert_served(realm, cid, secret)
        self.set_status(realm, created, "inactive")
        ac.settle()
        self.assert_refused(realm, cid, secret)


if __name__ == "__main__":
    unittest.main()
