"""Smoke test of the same authiod behind Apache 2.4 (mod_proxy_fcgi):
discovery, a client_credentials token with client_secret_basic (proving
the Authorization header reaches the application through Apache) and an
admin realm creation with a Bearer token."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase

A = ac.APACHE_URL


@unittest.skipUnless(A, "AUTHIO_APACHE_URL is not set")
class ApacheSmokeTest(AuthioTestCase):

    def test_healthz(self):
        r = ac.get("/healthz", base=A)
        self.assertStatus(r, 200)
        self.assertEqual(r.json.get("status"), "ok")
        self.assertTrue(r.header("X-Request-Id"))

    def test_discovery(self):
        r = ac.get("/realms/master/.well-known/openid-configuration", base=A)
        self.assertStatus(r, 200)
        doc = self.assertJson(r)
        # the issuer comes from the configuration, whichever server is used
        self.assertEqual(doc["issuer"], ac.credentials()["issuer"])
        self.assertEqual(doc["token_endpoint"], doc["issuer"] + "/token")
        self.assertEqual(doc["jwks_uri"], doc["issuer"] + "/jwks")

    def test_token_with_basic_auth(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"],
                             "basic", base=A)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        header, claims = ac.verify_jws(r.json["access_token"],
                                       ac.fetch_jwks("master", base=A))
        self.assertEqual(header["typ"], "at+jwt")
        self.assertEqual(claims["client_id"], c["client_id"])
        # a wrong secret through Apache is still a proper 401
        r = ac.token_request("master", c["client_id"], "wrong", "basic", base=A)
        self.assertOAuthError(r, 401, "invalid_client")
        self.assertTrue(r.header("WWW-Authenticate"))

    def test_admin_realm_create_with_bearer(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"],
                             base=A)
        self.assertStatus(r, 200)
        token = r.json["access_token"]
        rid = ac.unique("apache")
        self.addCleanup(ac.delete_realm_quietly, rid)
        r = ac.request("POST", "/api/admin/realms", base=A, token=token,
                       json_body={"name": "Via Apache", "realmId": rid,
                                  "description": "smoke"})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["realmId"], rid)
        self.assertTrue((r.header("Location") or "")
                        .endswith("/api/admin/realms/" + rid))
        # without the token Apache passes the request on and it is refused
        r = ac.request("GET", "/api/admin/realms", base=A)
        self.assertProblem(r, 401)
        # the realm is served through Apache too
        r = ac.get("/realms/%s/jwks" % rid, base=A)
        self.assertStatus(r, 200)
        self.assertTrue(r.json["keys"])


if __name__ == "__main__":
    unittest.main()
