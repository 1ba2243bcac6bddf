"""README.md's "Integrating an application" works as written (issue 4):
the two client registrations are taken from the README itself and
registered in a fresh realm, then the curl steps (code flow, userinfo,
refresh, introspection, reuse refused), the browser app's PKCE flow from
its origin, and next-auth's way of calling openid-client v5 are run
against them."""

import json
import os
import re
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.normpath(os.path.join(HERE, "..", "..", "README.md"))
PW = "correct horse battery staple"


def readme_clients():
    """The JSON bodies README's integration section POSTs to $API/clients,
    by clientId."""
    text = open(README, encoding="utf-8").read()
    part = text[text.index("## Integrating an application"):]
    part = part[:part.index("\n## ", 10)]
    bodies = re.findall(r"-d '(\{\"clientId\".*?\})' \$API/clients", part,
                        re.S)
    return {b["clientId"]: b for b in map(json.loads, bodies)}


class ReadmeIntegrationTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.clients = readme_clients()
        cls.realm, _ = ac.create_realm(None)
        for body in cls.clients.values():
            r = ac.admin("POST", "/realms/%s/clients" % cls.realm, body)
            assert r.status == 201, r
        cls.web_secret, _ = ac.create_secret(cls.realm, "web-app")
        cls.user = ac.user_with_password(
            cls.realm, PW, username="alice", email="alice@example.com",
            firstName="Alice", lastName="Liddell")

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def test_readme_registers_both_clients(self):
        self.assertEqual(set(self.clients), {"web-app", "spa"})

    def sign_in(self, params):
        jar = {}
        r = ac.authorize_get(self.realm, params, jar)
        self.assertStatus(r, 200)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, "alice", PW)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q, r.header("Location"))
        return q

    def test_the_curl_steps(self):
        cb = self.clients["web-app"]["redirectUris"][0]
        q = self.sign_in({"client_id": "web-app", "response_type": "code",
                          "scope": "openid profile email offline_access",
                          "state": "xyz", "redirect_uri": cb})
        self.assertEqual(q["state"], "xyz")
        self.assertEqual(q["iss"], ac.issuer(self.realm))
        r = ac.token_request(self.realm, "web-app", self.web_secret, params={
            "grant_type": "authorization_code", "code": q["code"],
            "redirect_uri": cb})
        self.assertStatus(r, 200)
        at, rt = r.json["access_token"], r.json["refresh_token"]
        self.assertIn("id_token", r.json)
        r = ac.request("GET", "/realms/%s/userinfo" % self.realm, token=at)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["email"], "alice@example.com")
        self.assertEqual(r.json["name"], "Alice Liddell")
        r = ac.token_request(self.realm, "web-app", self.web_secret, params={
            "grant_type": "refresh_token", "refresh_token": rt})
        self.assertStatus(r, 200)
        r = ac.request("POST", "/realms/%s/introspect" % self.realm,
                       form={"token": at}, headers={
                           "Authorization": ac.basic_auth(
                               "web-app", self.web_secret)})
        self.assertStatus(r, 200)
        self.assertTrue(r.json["active"])
        # "Presenting $RT a second time is refused"
        r = ac.token_request(self.realm, "web-app", self.web_secret, params={
            "grant_type": "refresh_token", "refresh_token": rt})
        self.assertOAuthError(r, 400, "invalid_grant")

    def test_the_browser_app(self):
        spa = self.clients["spa"]
        cb = spa["redirectUris"][0]
        origin = "http://localhost:5173"
        verifier, challenge = ac.pkce_pair()
        q = self.sign_in({"client_id": "spa", "response_type": "code",
                          "scope": "openid profile email",
                          "redirect_uri": cb, "code_challenge": challenge,
                          "code_challenge_method": "S256"})
        r = ac.request("POST", "/realms/%s/token" % self.realm, form={
            "grant_type": "authorization_code", "code": q["code"],
            "redirect_uri": cb, "client_id": "spa",
            "code_verifier": verifier}, headers={"Origin": origin})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), origin)
        self.assertIn("refresh_token", r.json)

    def test_nextauth_style_openid_client_v5(self):
        """next-auth v4 drives openid-client v5 (tests/oidc)."""
        import test_oidc_libraries as lib
        try:
            lib.setUpModule()
        except unittest.SkipTest as e:
            self.skipTest(str(e))
        cb = self.clients["web-app"]["redirectUris"][0]
        out = lib.run_node("nextauth-v5.mjs", env={
            "OIDC_ISSUER": ac.issuer(self.realm),
            "OIDC_WELL_KNOWN": ac.issuer(self.realm) +
            "/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": "web-app",
            "OIDC_CLIENT_SECRET": self.web_secret,
            "OIDC_REDIRECT_URI": cb, "OIDC_USERNAME": "alice",
            "OIDC_PASSWORD": PW, "OIDC_SCOPE": "openid profile email"})
        self.assertTrue(out.get("ok"), out)
        self.assertEqual(out["profile"]["email"], "alice@example.com")
        self.assertEqual(out["profile"]["name"], "Alice Liddell")


if __name__ == "__main__":
    unittest.main()
