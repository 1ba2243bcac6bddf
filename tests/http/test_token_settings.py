"""A client's tokenSettings (issue 5, token & encryption): each lifetime
of the tokens document overridden per client, validated by the same table
as settings/tokens (bad values refused by name, unknown members refused),
extra audiences and RFC 8707 resource indicators at /authorize and
/token."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"
API = "https://api.example/"


def claims(jwt):
    return ac.jose_payload_unverified(jwt)


class TokenSettingsTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.user = ac.user_with_password(cls.realm, PW)
        cls.jwks = ac.fetch_jwks(cls.realm)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def client(self, ts, grants=("authorization_code", "refresh_token",
                                 "client_credentials")):
        cid, rep = ac.create_client(self.realm, grant_types=grants, extra={
            "redirectUris": [CB], "defaultScopes": ["openid", "profile"],
            "pkceRequired": False, "tokenSettings": ts})
        secret, _ = ac.create_secret(self.realm, cid)
        return cid, secret, rep

    def cc(self, cid, secret, **form):
        p = {"grant_type": "client_credentials"}
        p.update(form)
        return ac.token_request(self.realm, cid, secret, params=p)

    def code(self, cid, **params):
        return ac.sign_in_for_code(self.realm, cid, self.user["username"],
                                   PW, redirect_uri=CB, **params)

    def exchange(self, cid, secret, code, **form):
        p = {"grant_type": "authorization_code", "code": code,
             "redirect_uri": CB}
        p.update(form)
        return ac.token_request(self.realm, cid, secret, params=p)

    def put_client(self, cid, ts):
        return ac.admin("PATCH", "/realms/%s/clients/%s" % (self.realm, cid),
                        {"tokenSettings": ts})

    # ------------------------------------------------------- lifetimes

    def test_access_token_lifetime_sets_exp_and_expires_in(self):
        cid, secret, rep = self.client({"accessTokenLifetime": 77})
        self.assertEqual(rep["tokenSettings"], {"accessTokenLifetime": 77})
        r = self.cc(cid, secret)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["expires_in"], 77)
        c = claims(r.json["access_token"])
        self.assertEqual(c["exp"] - c["iat"], 77)
        got = ac.admin("GET", "/realms/%s/clients/%s" % (self.realm, cid))
        self.assertEqual(got.json["tokenSettings"]["accessTokenLifetime"], 77)

    def test_realm_lifetime_applies_without_override(self):
        cid, secret, _ = self.client({})
        r = self.cc(cid, secret)
        c = claims(r.json["access_token"])
        self.assertEqual(c["exp"] - c["iat"], 300)

    def test_id_token_and_refresh_lifetimes(self):
        cid, secret, _ = self.client({"idTokenLifetime": 123,
                                      "refreshTokenIdle": 40,
                                      "refreshTokenMax": 50})
        t0 = int(time.time())
        r = self.exchange(cid, secret, self.code(cid))
        self.assertStatus(r, 200)
        idt = claims(r.json["id_token"])
        self.assertEqual(idt["exp"] - idt["iat"], 123)
        row = ac.db_query(
            "SELECT UNIX_TIMESTAMP(expires_at), "
            "UNIX_TIMESTAMP(family_expires_at) FROM refresh_tokens r "
            "JOIN clients c ON c.id = r.client_id WHERE c.client_id = %s"
            % ac.sql_str(cid)) if ac.db_available() else None
        if row:
            exp, fam = int(float(row[0][0])), int(float(row[0][1]))
            self.assertAlmostEqual(exp - t0, 40, delta=3)
            self.assertAlmostEqual(fam - t0, 50, delta=3)

    def test_auth_code_lifetime(self):
        cid, secret, _ = self.client({"authCodeLifetime": 1})
        code = self.code(cid)
        time.sleep(2.2)
        self.assertOAuthError(self.exchange(cid, secret, code), 400,
                              "invalid_grant")

    def test_device_code_lifetime(self):
        cid, secret, _ = self.client({"deviceCodeLifetime": 33}, grants=(
            "urn:ietf:params:oauth:grant-type:device_code",))
        r = ac.request("POST", "/realms/%s/device_authorization" % self.realm,
                       form={"scope": "openid"},
                       headers={"Authorization": ac.basic_auth(cid, secret)})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["expires_in"], 33)

    def test_realm_signing_alg_is_the_clients_default(self):
        r = ac.admin("POST", "/realms/%s/keys" % self.realm, {"alg": "ES256"})
        self.assertIn(r.status, (200, 201), r)
        realm, _ = ac.create_realm(None)
        try:
            r = ac.admin("POST", "/realms/%s/keys" % realm, {"alg": "ES256"})
            self.assertIn(r.status, (200, 201), r)
            r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                         {"signingAlg": "ES256"})
            self.assertStatus(r, 200)
            cid, _ = ac.create_client(realm)
            secret, _ = ac.create_secret(realm, cid)
            ac.settle()
            r = ac.token_request(realm, cid, secret)
            self.assertStatus(r, 200)
            self.assertEqual(ac.jose_header(r.json["access_token"])["alg"],
                             "ES256")
        finally:
            ac.delete_realm_quietly(realm)

    # ------------------------------------------------------ validation

    def assertRefused(self, ts, field):
        cid = ac.unique("c")
        r = ac.admin("POST", "/realms/%s/clients" % self.realm, {
            "clientId": cid, "name": cid, "type": "confidential",
            "grantTypes": ["client_credentials"], "tokenSettings": ts})
        self.assertProblem(r, 400, "tokenSettings." + field)

    def test_bad_values_are_refused_by_name(self):
        self.assertRefused({"accessTokenLifetime": 0}, "accessTokenLifetime")
        self.assertRefused({"accessTokenLifetime": "60"},
                           "accessTokenLifetime")
        self.assertRefused({"authCodeLifetime": 601}, "authCodeLifetime")
        self.assertRefused({"deviceCodeLifetime": 86401},
                           "deviceCodeLifetime")
        self.assertRefused({"idTokenLifetime": 31536001}, "idTokenLifetime")
        self.assertRefused({"refreshTokenIdle": 100, "refreshTokenMax": 50},
                           "refreshTokenIdle")
        self.assertRefused({"ssoSessionIdle": 100, "ssoSessionMax": 50},
                           "ssoSessionIdle")
        self.assertRefused({"refreshReuseGraceSeconds": 301},
                           "refreshReuseGraceSeconds")
        self.assertRefused({"signingAlg": "HS256"}, "signingAlg")
        self.assertRefused({"keyRotationDays": 30}, "keyRotationDays")
        self.assertRefused({"secretLifetimeDays": 30}, "secretLifetimeDays")
        self.assertRefused({"bogus": 1}, "bogus")
        self.assertRefused({"audience": "https://x"}, "audience")
        self.assertRefused({"audience": [""]}, "audience")
        self.assertRefused({"accessTokenFormat": "paseto"},
                           "accessTokenFormat")
        self.assertRefused({"idTokenEncryption": {"alg": "RSA1_5",
                                                  "enc": "A128GCM"}},
                           "idTokenEncryption.alg")
        self.assertRefused({"userinfoEncryption": {"alg": "ECDH-ES",
                                                   "enc": "A192GCM"}},
                           "userinfoEncryption.enc")
        self.assertRefused({"idTokenEncryption": {"alg": "ECDH-ES"}},
                           "idTokenEncryption.enc")
        self.assertRefused({"idTokenEncryption": {"x": 1}},
                           "idTokenEncryption.x")

    def test_update_takes_effect(self):
        cid, secret, _ = self.client({})
        r = self.put_client(cid, {"accessTokenLifetime": 42})
        self.assertIn(r.status, (200, 204), r)
        ac.settle()

        def check():
            c = claims(self.cc(cid, secret).json["access_token"])
            return c["exp"] - c["iat"] == 42
        ac.eventually(check)
        r = self.put_client(cid, {"accessTokenLifetime": -1})
        self.assertProblem(r, 400, "tokenSettings.accessTokenLifetime")

    # ------------------------------------------------ audience, RFC 8707

    def test_extra_audiences(self):
        cid, secret, _ = self.client({"audience": [API, "urn:other"]})
        c = claims(self.cc(cid, secret).json["access_token"])
        self.assertEqual(c["aud"], [ac.issuer(self.realm), API, "urn:other"])

    def test_resource_at_token_selects_the_audience(self):
        cid, secret, _ = self.client({"audience": [API, "urn:other"]})
        r = self.cc(cid, secret, resource="urn:other")
        self.assertStatus(r, 200)
        self.assertEqual(claims(r.json["access_token"])["aud"], "urn:other")
        self.assertOAuthError(self.cc(cid, secret,
                                      resource="https://evil.example/"),
                              400, "invalid_target")
        plain, psecret, _ = self.client({})
        self.assertOAuthError(self.cc(plain, psecret, resource=API), 400,
                              "invalid_target")

    def test_resource_at_authorize_is_carried_in_the_code(self):
        cid, secret, _ = self.client({"audience": [API, "urn:other"]})
        r = self.exchange(cid, secret, self.code(cid, resource=API))
        self.assertStatus(r, 200)
        self.assertEqual(claims(r.json["access_token"])["aud"], API)
        # the token request may repeat it, not change it
        r = self.exchange(cid, secret, self.code(cid, resource=API),
                          resource="urn:other")
        self.assertOAuthError(r, 400, "invalid_target")
        # a refresh may select another of the client's audiences
        r = self.exchange(cid, secret, self.code(cid))
        self.assertStatus(r, 200)
        r = ac.token_request(self.realm, cid, secret, params={
            "grant_type": "refresh_token",
            "refresh_token": r.json["refresh_token"],
            "resource": "urn:other"})
        self.assertStatus(r, 200)
        self.assertEqual(claims(r.json["access_token"])["aud"], "urn:other")

    def test_resource_at_authorize_must_be_an_audience(self):
        cid, _, _ = self.client({"audience": [API]})
        r = ac.authorize_get(self.realm, {
            "client_id": cid, "redirect_uri": CB, "response_type": "code",
            "scope": "openid", "state": "s1",
            "resource": "https://evil.example/"})
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertEqual(q.get("error"), "invalid_target", q)
        self.assertEqual(q.get("state"), "s1")

    # ------------------------------------------------- opaque tokens

    def introspect(self, cid, secret, token):
        return ac.request("POST", "/realms/%s/introspect" % self.realm,
                          form={"token": token},
                          headers={"Authorization":
                                   ac.basic_auth(cid, secret)})

    def test_opaque_tokens_introspect_userinfo_revoke(self):
        cid, secret, _ = self.client({"accessTokenFormat": "opaque",
                                      "accessTokenLifetime": 90,
                                      "audience": [API]})
        tok = self.exchange(cid, secret, self.code(cid)).json
        at = tok["access_token"]
        self.assertNotIn(".", at)
        self.assertGreaterEqual(len(at), 43)
        self.assertEqual(tok["expires_in"], 90)
        # stored only hashed
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM opaque_tokens WHERE token_hash = %s"
                % ac.sql_str(ac.sha256_hex(at))), "1")
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM opaque_tokens WHERE token_hash = %s"
                % ac.sql_str(at)), "0")
        r = self.introspect(cid, secret, at)
        self.assertStatus(r, 200)
        c = r.json
        self.assertIs(c["active"], True)
        self.assertEqual(c["sub"], self.user["id"])
        self.assertEqual(c["client_id"], cid)
        self.assertEqual(c["aud"], [ac.issuer(self.realm), API])
        self.assertEqual(c["iss"], ac.issuer(self.realm))
        self.assertEqual(c["exp"] - c["iat"], 90)
        self.assertIn("openid", c["scope"])
        # the ID token's at_hash is of the opaque token
        self.assertIn("at_hash", claims(tok["id_token"]))
        r = ac.userinfo(self.realm, at)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["sub"], self.user["id"])
        # the refresh token is still told apart from the access token
        r = self.introspect(cid, secret, tok["refresh_token"])
        self.assertIs(r.json["active"], True)
        self.assertNotIn("jti", r.json)
        # revoked: inactive everywhere
        r = ac.request("POST", "/realms/%s/revoke" % self.realm,
                       form={"token": at},
                       headers={"Authorization": ac.basic_auth(cid, secret)})
        self.assertStatus(r, 200)
        self.assertEqual(self.introspect(cid, secret, at).json,
                         {"active": False})
        self.assertStatus(ac.userinfo(self.realm, at), 401)

    def test_opaque_client_credentials_and_unknown_tokens(self):
        cid, secret, _ = self.client({"accessTokenFormat": "opaque"})
        r = self.cc(cid, secret)
        self.assertStatus(r, 200)
        at = r.json["access_token"]
        self.assertNotIn(".", at)
        self.assertIs(self.introspect(cid, secret, at).json["active"], True)
        for bogus in (at[:-1] + ("A" if at[-1] != "A" else "B"), "short",
                      "x" * 43):
            self.assertEqual(self.introspect(cid, secret, bogus).json,
                             {"active": False})
            self.assertStatus(ac.userinfo(self.realm, bogus), 401)
        # another realm does not resolve it
        realm, _ = ac.create_realm(None)
        try:
            oc, _ = ac.create_client(realm)
            osecret, _ = ac.create_secret(realm, oc)
            r = ac.request("POST", "/realms/%s/introspect" % realm,
                           form={"token": at}, headers={
                               "Authorization": ac.basic_auth(oc, osecret)})
            self.assertEqual(r.json, {"active": False})
        finally:
            ac.delete_realm_quietly(realm)

    def test_expired_opaque_tokens_are_inactive_and_purged(self):
        cid, secret, _ = self.client({"accessTokenFormat": "opaque",
                                      "accessTokenLifetime": 1})
        at = self.cc(cid, secret).json["access_token"]
        time.sleep(2.2)
        self.assertEqual(self.introspect(cid, secret, at).json,
                         {"active": False})
        self.cc(cid, secret)        # an insert purges a few expired rows
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM opaque_tokens WHERE token_hash = %s"
                % ac.sql_str(ac.sha256_hex(at))), "0")


if __name__ == "__main__":
    unittest.main()
