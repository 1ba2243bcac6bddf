"""/healthz, OIDC discovery and the JWKS, through the real stack."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase


class HealthTest(AuthioTestCase):

    def test_healthz_reports_ok_and_database(self):
        r = ac.get("/healthz")
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(body.get("status"), "ok", r)
        self.assertEqual(body.get("database"), "ok", r)


class DiscoveryTest(AuthioTestCase):

    def discovery(self, realm, **kw):
        return ac.get("/realms/%s/.well-known/openid-configuration"
                      % ac.quote(realm), **kw)

    def check_document(self, realm, r):
        self.assertStatus(r, 200)
        doc = self.assertJson(r)
        iss = ac.issuer(realm)
        self.assertEqual(doc.get("issuer"), iss)
        self.assertEqual(doc.get("jwks_uri"), iss + "/jwks")
        self.assertEqual(doc.get("token_endpoint"), iss + "/token")
        self.assertIn("client_credentials", doc.get("grant_types_supported", []))
        methods = doc.get("token_endpoint_auth_methods_supported", [])
        self.assertIn("client_secret_basic", methods)
        self.assertIn("client_secret_post", methods)
        cc = (r.header("Cache-Control") or "").lower()
        self.assertRegex(cc, r"(^|[ ,])max-age=\d+", repr(r))
        return doc

    def test_master_discovery(self):
        self.check_document("master", self.discovery("master"))

    def test_new_realm_discovery(self):
        realm, _ = ac.create_realm(self)
        doc = self.check_document(realm, self.discovery(realm))
        self.assertTrue(doc["issuer"].startswith(ac.issuer_base() + "/realms/"))

    def test_issuer_is_not_taken_from_host_header(self):
        for headers in ({"Host": "evil.example"},
                        {"Host": "evil.example:4443"},
                        {"X-Forwarded-Host": "evil.example",
                         "X-Forwarded-Proto": "https"}):
            with self.subTest(headers=headers):
                r = self.discovery("master", headers=headers)
                doc = self.check_document("master", r)
                self.assertNotIn("evil.example", r.text)
                self.assertEqual(doc["issuer"], ac.credentials()["issuer"])

    def test_issuer_of_token_is_not_taken_from_host_header(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"],
                             extra_headers={"Host": "evil.example"})
        self.assertStatus(r, 200)
        claims = ac.jose_payload_unverified(r.json["access_token"])
        self.assertEqual(claims["iss"], c["issuer"])

    def test_unknown_realm_is_404(self):
        r = self.discovery(ac.unique("nope"))
        self.assertStatus(r, 404)
        self.assertNotIn("issuer", r.json or {})

    def test_discovery_wrong_method_is_405(self):
        r = ac.request("POST", "/realms/master/.well-known/openid-configuration",
                       form={"a": "b"})
        self.assertStatus(r, 405)
        self.assertIn("GET", r.header("Allow") or "")

    def test_head_discovery(self):
        r = ac.request("HEAD", "/realms/master/.well-known/openid-configuration")
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")

    def test_metadata_cacheable_for_metadata_max_age(self):
        # authio sends max-age = [server] metadata_max_age; behind the
        # shipped nginx site a repeat within that time is a cache hit
        max_age = ac._server_setting("metadata_max_age", 300)
        for path in ("/.well-known/openid-configuration", "/jwks",
                     "/protocol/openid-connect/certs"):
            with self.subTest(path=path):
                # the pair may straddle the entry's expiry, or follow a
                # change by another test: within the bound, a pair agrees
                def repeat_is_a_hit():
                    first = ac.get("/realms/master" + path)
                    second = ac.get("/realms/master" + path)
                    self.assertStatus(second, 200)
                    self.assertEqual(second.header("Cache-Control"),
                                     "public, max-age=%d" % max_age)
                    self.assertEqual(first.body, second.body)
                    status = second.header("X-Cache-Status")
                    if status is not None:  # nginx, not Apache
                        self.assertEqual(status, "HIT")
                ac.eventually(repeat_is_a_hit)

    def test_errors_are_not_cached(self):
        name = ac.unique("nope")
        for _ in range(2):
            r = self.discovery(name)
            self.assertStatus(r, 404)
            self.assertNotEqual(r.header("X-Cache-Status"), "HIT")


class JwksTest(AuthioTestCase):

    def check_keys(self, doc):
        self.assertIsInstance(doc, dict)
        keys = doc.get("keys")
        self.assertIsInstance(keys, list)
        self.assertTrue(keys)
        kids = []
        for k in keys:
            self.assertIsInstance(k.get("kid"), str, k)
            self.assertTrue(k["kid"])
            kids.append(k["kid"])
            for m in ac.PRIVATE_MEMBERS:
                self.assertNotIn(m, k, "private member %r published" % m)
        self.assertEqual(len(kids), len(set(kids)), "duplicate kid")
        rsa = [k for k in keys if k.get("kty") == "RSA" and k.get("alg") == "RS256"]
        ec = [k for k in keys if k.get("kty") == "EC" and k.get("alg") == "ES256"]
        self.assertTrue(rsa, "no RS256 key: %r" % keys)
        self.assertTrue(ec, "no ES256 key: %r" % keys)
        for k in rsa:
            self.assertEqual(k.get("use"), "sig")
            self.assertTrue(k.get("n") and k.get("e"))
            n = ac.base64.urlsafe_b64decode(ac._pad(k["n"]))
            self.assertGreaterEqual(len(n) * 8, 2048, "RSA key below 2048 bits")
        for k in ec:
            self.assertEqual(k.get("use"), "sig")
            self.assertEqual(k.get("crv"), "P-256")
            self.assertTrue(k.get("x") and k.get("y"))
        # every key must be usable by an independent JOSE library
        for k in keys:
            ac.jwk.JWK(**k)
        return keys

    def test_new_realm_has_rs256_and_es256_keys(self):
        realm, _ = ac.create_realm(self)
        r = ac.get("/realms/%s/jwks" % realm)
        self.assertStatus(r, 200)
        self.assertIn(r.content_type, ("application/json",
                                       "application/jwk-set+json"))
        self.check_keys(r.json)
        cc = (r.header("Cache-Control") or "").lower()
        self.assertRegex(cc, r"(^|[ ,])max-age=\d+", repr(r))

    def test_master_jwks(self):
        self.check_keys(ac.fetch_jwks("master"))

    def test_realms_have_their_own_keys(self):
        a, _ = ac.create_realm(self)
        b, _ = ac.create_realm(self)
        ka = {k["kid"] for k in ac.fetch_jwks(a)["keys"]}
        kb = {k["kid"] for k in ac.fetch_jwks(b)["keys"]}
        self.assertFalse(ka & kb, "two realms share a kid")
        na = {k.get("n") for k in ac.fetch_jwks(a)["keys"] if k.get("n")}
        nb = {k.get("n") for k in ac.fetch_jwks(b)["keys"] if k.get("n")}
        self.assertFalse(na & nb, "two realms share an RSA key")

    def test_unknown_realm_jwks_is_404(self):
        r = ac.get("/realms/%s/jwks" % ac.unique("nope"))
        self.assertStatus(r, 404)
        self.assertNotIn("keys", r.json or {})

    def test_keycloak_certs_alias(self):
        realm, _ = ac.create_realm(self)
        direct = ac.fetch_jwks(realm)
        r = ac.get("/realms/%s/protocol/openid-connect/certs" % realm)
        self.assertStatus(r, 200)
        self.check_keys(r.json)
        self.assertEqual(sorted(k["kid"] for k in r.json["keys"]),
                         sorted(k["kid"] for k in direct["keys"]))

    def test_keycloak_token_alias(self):
        realm, client, secret = ac.realm_with_client(self)
        r = ac.request("POST", "/realms/%s/protocol/openid-connect/token" % realm,
                       form={"grant_type": "client_credentials"},
                       headers={"Authorization": ac.basic_auth(client, secret)})
        self.assertStatus(r, 200)
        _, claims = ac.verify_jws(r.json["access_token"], ac.fetch_jwks(realm))
        self.assertEqual(claims["iss"], ac.issuer(realm))

    def test_jwks_wrong_method_is_405(self):
        r = ac.request("DELETE", "/realms/master/jwks")
        self.assertStatus(r, 405)
        self.assertIn("GET", r.header("Allow") or "")


if __name__ == "__main__":
    unittest.main()
