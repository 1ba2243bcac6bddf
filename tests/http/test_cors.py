"""CORS for browser apps (issue 4: "a browser app doing authorization code
+ PKCE against ${authUrl}/authorize and ${authUrl}/token" must work): a
single-page app on a registered web origin reads /token, /userinfo and
/revoke answers; another site never reads a token; errors are readable
by any origin; preflights are answered; discovery and JWKS are public."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase

SPA = "https://spa.example"
CB = SPA + "/callback"
EVIL = "https://evil.example"
PW = "correct horse battery"


class CorsTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.spa, _ = ac.create_client(
            cls.realm, grant_types=("authorization_code", "refresh_token"),
            ctype="public", extra={
                "redirectUris": [CB], "webOrigins": [SPA],
                "tokenEndpointAuthMethod": "none",
                "defaultScopes": ["openid", "profile"]})
        cls.plus, _ = ac.create_client(
            cls.realm, grant_types=("authorization_code",), ctype="public",
            extra={"redirectUris": ["https://plus.example/cb"],
                   "webOrigins": ["+"], "tokenEndpointAuthMethod": "none",
                   "defaultScopes": ["openid"]})
        cls.user = ac.user_with_password(cls.realm, PW)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def code(self, client, redirect_uri):
        verifier, challenge = ac.pkce_pair()
        jar = {}
        r = ac.authorize_get(self.realm, {
            "client_id": client, "redirect_uri": redirect_uri,
            "response_type": "code", "scope": "openid",
            "code_challenge": challenge, "code_challenge_method": "S256"},
            jar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar,
                            self.user["username"], PW)
        self.assertStatus(r, 302)
        return ac.location_params(r)["code"], verifier

    def exchange(self, origin, client=None, redirect_uri=CB):
        client = client or self.spa
        code, verifier = self.code(client, redirect_uri)
        return ac.request("POST", "/realms/%s/token" % self.realm, form={
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": redirect_uri, "client_id": client,
            "code_verifier": verifier}, headers={"Origin": origin})

    def test_registered_origin_reads_the_token(self):
        r = self.exchange(SPA)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), SPA)
        self.assertIn("Origin", r.header("Vary") or "")
        # the refresh, from the browser too
        r = ac.request("POST", "/realms/%s/token" % self.realm, form={
            "grant_type": "refresh_token", "client_id": self.spa,
            "refresh_token": r.json["refresh_token"]},
            headers={"Origin": SPA})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), SPA)

    def test_other_origins_never_read_a_token(self):
        for origin in (EVIL, "null", SPA + "/path", "https://SPA.example"):
            with self.subTest(origin=origin):
                r = self.exchange(origin)
                self.assertStatus(r, 200)
                self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    def test_plus_means_the_redirect_uris_origins(self):
        r = self.exchange("https://plus.example", self.plus,
                          "https://plus.example/cb")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"),
                         "https://plus.example")
        r = self.exchange(SPA, self.plus, "https://plus.example/cb")
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    def test_errors_are_readable_by_any_origin(self):
        r = ac.request("POST", "/realms/%s/token" % self.realm, form={
            "grant_type": "authorization_code", "code": "nope",
            "redirect_uri": CB, "client_id": self.spa},
            headers={"Origin": EVIL})
        self.assertOAuthError(r, 400, "invalid_grant")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), EVIL)
        r = ac.request("GET", "/realms/%s/userinfo" % self.realm,
                       headers={"Origin": EVIL,
                                "Authorization": "Bearer nonsense"})
        self.assertStatus(r, 401)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), EVIL)
        self.assertIn("WWW-Authenticate",
                      r.header("Access-Control-Expose-Headers") or "")

    def test_userinfo_and_revoke_from_the_app(self):
        tokens = self.exchange(SPA).json
        auth = {"Authorization": "Bearer " + tokens["access_token"]}
        r = ac.request("GET", "/realms/%s/userinfo" % self.realm,
                       headers=dict(auth, Origin=SPA))
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), SPA)
        r = ac.request("GET", "/realms/%s/userinfo" % self.realm,
                       headers=dict(auth, Origin=EVIL))
        self.assertStatus(r, 200)
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))
        # a public client revokes its own refresh token by client_id
        r = ac.request("POST", "/realms/%s/revoke" % self.realm, form={
            "token": tokens["refresh_token"], "client_id": self.spa},
            headers={"Origin": SPA})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), SPA)
        r = ac.request("POST", "/realms/%s/token" % self.realm, form={
            "grant_type": "refresh_token", "client_id": self.spa,
            "refresh_token": tokens["refresh_token"]})
        self.assertOAuthError(r, 400, "invalid_grant")

    def test_preflight(self):
        for path in ("/token", "/userinfo", "/revoke",
                     "/protocol/openid-connect/token",
                     "/protocol/openid-connect/userinfo"):
            with self.subTest(path=path):
                r = ac.request("OPTIONS", "/realms/%s%s" % (self.realm, path),
                               headers={
                                   "Origin": SPA,
                                   "Access-Control-Request-Method": "POST",
                                   "Access-Control-Request-Headers":
                                       "authorization"})
                self.assertStatus(r, 204)
                self.assertEqual(r.header("Access-Control-Allow-Origin"), SPA)
                self.assertIn("POST", r.header("Access-Control-Allow-Methods"))
                self.assertIn("Authorization",
                              r.header("Access-Control-Allow-Headers"))
        # no Origin: a plain OPTIONS, no CORS headers
        r = ac.request("OPTIONS", "/realms/%s/token" % self.realm)
        self.assertStatus(r, 204)
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    def test_discovery_and_jwks_are_public(self):
        for path in ("/.well-known/openid-configuration", "/jwks"):
            r = ac.request("GET", "/realms/%s%s" % (self.realm, path),
                           headers={"Origin": EVIL})
            self.assertStatus(r, 200)
            self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")

    def test_web_origins_are_checked(self):
        for bad in ("https://spa.example/", "spa.example", "*",
                    "https://SPA.example"):
            with self.subTest(origin=bad):
                r = ac.admin("POST", "/realms/%s/clients" % self.realm, {
                    "clientId": ac.unique("c"), "webOrigins": [bad]})
                self.assertProblem(r, 400, "webOrigins[0]")


if __name__ == "__main__":
    unittest.main()
