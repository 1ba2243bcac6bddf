"""The product's setup journey, from zero to the first issued token, as
README.md shows it with curl: admin token -> realm -> confidential client
-> secret -> user (+ password) -> role, held by the user and by the
client -> token from the new realm carrying the role -> verified against
the new realm's JWKS with jwcrypto -> refused by the admin API (it is not
a master-realm admin token)."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase


class SetupJourneyTest(AuthioTestCase):

    def test_from_zero_to_first_token(self):
        # 1. the operator's admin token, itself verified independently
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"])
        self.assertStatus(r, 200)
        admin_token = r.json["access_token"]
        _, admin_claims = ac.verify_jws(admin_token, ac.fetch_jwks("master"))
        self.assertEqual(admin_claims["iss"], c["issuer"])
        self.assertIn("admin", admin_claims["realm_access"]["roles"])

        # 2. the realm, with the seed's body
        realm = ac.unique("my-app")
        self.addCleanup(ac.delete_realm_quietly, realm)
        r = ac.admin("POST", "/realms", {"name": "My Application",
                                         "realmId": realm,
                                         "description": "Production environment"},
                     token=admin_token)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "active")

        # discovery of the new realm points at its own endpoints
        d = ac.get("/realms/%s/.well-known/openid-configuration" % realm)
        self.assertStatus(d, 200)
        iss = ac.issuer(realm)
        self.assertEqual(d.json["issuer"], iss)
        self.assertEqual(d.json["jwks_uri"], iss + "/jwks")
        self.assertEqual(d.json["token_endpoint"], iss + "/token")

        # 3. the confidential client
        r = ac.admin("POST", "/realms/%s/clients" % realm,
                     {"clientId": "billing-api", "name": "Billing API",
                      "type": "confidential",
                      "grantTypes": ["client_credentials"]},
                     token=admin_token)
        self.assertStatus(r, 201)
        self.assertIs(r.json["enabled"], True)

        # 4. its secret, shown once
        r = ac.admin("POST", "/realms/%s/clients/billing-api/secrets" % realm,
                     {"label": "ci"}, token=admin_token)
        self.assertStatus(r, 201)
        secret = r.json["secret"]

        # 4b. a user with a password, and a role the user and the client hold
        r = ac.admin("POST", "/realms/%s/users" % realm,
                     {"username": "alice", "email": "alice@example.com",
                      "firstName": "Alice", "lastName": "Liddell"},
                     token=admin_token)
        self.assertStatus(r, 201)
        user_id = r.json["id"]
        r = ac.admin("PUT", "/realms/%s/users/%s/password" % (realm, user_id),
                     {"password": "correct horse battery staple",
                      "temporary": False}, token=admin_token)
        self.assertStatus(r, 204)
        r = ac.admin("POST", "/realms/%s/roles" % realm,
                     {"name": "invoices:read",
                      "description": "Read invoices"}, token=admin_token)
        self.assertStatus(r, 201)
        for path in ("/users/%s/roles" % user_id,
                     "/clients/billing-api/service-roles"):
            r = ac.admin("POST", "/realms/%s%s" % (realm, path),
                         [{"name": "invoices:read"}], token=admin_token)
            self.assertStatus(r, 204)
        r = ac.admin("GET", "/realms/%s/roles/invoices:read/members" % realm,
                     token=admin_token)
        self.assertStatus(r, 200)
        self.assertEqual([m.get("username") for m in r.json["items"]],
                         ["alice"])

        # 5. the first issued token, at the endpoint discovery names
        token_path = d.json["token_endpoint"][len(ac.issuer_base()):]
        r = ac.request("POST", token_path,
                       form={"grant_type": "client_credentials"},
                       headers={"Authorization":
                                ac.basic_auth("billing-api", secret)})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["token_type"], "Bearer")
        self.assertEqual(r.header("Cache-Control"), "no-store")
        token = r.json["access_token"]

        # 6. verified with jwcrypto against the JWKS fetched over HTTP
        jwks_path = d.json["jwks_uri"][len(ac.issuer_base()):]
        jwks = ac.get(jwks_path)
        self.assertStatus(jwks, 200)
        header, claims = ac.verify_jws(token, jwks.json)
        self.assertEqual(header["typ"], "at+jwt")
        self.assertEqual(header["alg"], "RS256")
        self.assertEqual(claims["iss"], iss)
        self.assertEqual(claims["client_id"], "billing-api")
        self.assertGreater(claims["exp"], time.time())
        self.assertTrue(claims["jti"])
        self.assertTrue(claims["sub"])
        self.assertTrue(claims["aud"])
        self.assertIsInstance(claims["scope"], str)
        self.assertEqual(claims["realm_access"]["roles"], ["invoices:read"])
        # ... and not against the master realm's keys
        with self.assertRaises(AssertionError):
            ac.verify_jws(token, ac.fetch_jwks("master"))

        # 7. the admin API refuses it: wrong realm
        r = ac.request("GET", "/api/admin/realms", token=token)
        self.assertProblem(r, 401)
        self.assertTrue((r.header("WWW-Authenticate") or "")
                        .lower().startswith("bearer"))
        r = ac.request("POST", "/api/admin/realms", token=token,
                       json_body={"name": "x", "realmId": ac.unique("no")})
        self.assertProblem(r, 401)

        # and the realm shows what was built
        r = ac.admin("GET", "/realms/" + realm, token=admin_token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["statistics"]["totalClients"], 1)
        self.assertEqual(r.json["statistics"]["totalUsers"], 1)


if __name__ == "__main__":
    unittest.main()
