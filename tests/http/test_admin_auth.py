"""Who may call the admin REST API: master-realm bearer tokens holding the
admin role (401 without a valid token, 403 without the role)."""

import json
import unittest

import authio_client as ac
from authio_client import AuthioTestCase


class AdminAuthTest(AuthioTestCase):

    def assert401(self, r):
        self.assertProblem(r, 401)
        www = r.header("WWW-Authenticate") or ""
        self.assertTrue(www.lower().startswith("bearer"), repr(r))
        self.assertNotIn("items", r.json)

    def test_admin_token_is_accepted(self):
        r = ac.admin("GET", "/realms")
        self.assertStatus(r, 200)
        self.assertIsInstance(r.json.get("items"), list)

    def test_no_token(self):
        for method, path, body in (("GET", "/api/admin/realms", None),
                                   ("GET", "/api/admin/realms/master", None),
                                   ("POST", "/api/admin/realms",
                                    {"name": "x", "realmId": ac.unique("na")}),
                                   ("DELETE", "/api/admin/realms/master", None)):
            with self.subTest(method=method, path=path):
                r = ac.request(method, path, json_body=body)
                self.assert401(r)
                if body:
                    self.assertRealmAbsent(body["realmId"])
        # master still exists: the DELETE above was refused
        self.assertStatus(ac.admin("GET", "/realms/master"), 200)

    def test_garbage_tokens(self):
        for tok in ("garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30.",
                    "x" * 5000, ac.admin_token() + "x", "Bearer"):
            with self.subTest(token=tok[:40]):
                self.assert401(ac.request("GET", "/api/admin/realms",
                                          token=tok))

    def test_wrong_scheme(self):
        c = ac.credentials()
        for value in (ac.basic_auth(c["client_id"], c["client_secret"]),
                      "Token " + ac.admin_token(),
                      "Bearer",
                      "Bearer  "):
            with self.subTest(value=value[:30]):
                r = ac.request("GET", "/api/admin/realms",
                               headers={"Authorization": value})
                self.assertProblem(r, 401)
                self.assertTrue(r.header("WWW-Authenticate"), repr(r))

    def test_bearer_scheme_is_case_insensitive(self):
        r = ac.request("GET", "/api/admin/realms",
                       headers={"Authorization": "bearer " + ac.admin_token()})
        self.assertStatus(r, 200)

    def test_tampered_signature(self):
        h, p, s = ac.admin_token().split(".")
        # flip bits in the middle of the signature
        sig = bytearray(ac.base64.urlsafe_b64decode(ac._pad(s)))
        sig[len(sig) // 2] ^= 0x01
        self.assert401(ac.request("GET", "/api/admin/realms",
                                  token="%s.%s.%s" % (h, p, ac.b64url(bytes(sig)))))

    def test_tampered_payload(self):
        h, p, s = ac.admin_token().split(".")
        claims = ac.jose_payload_unverified(ac.admin_token())
        claims["exp"] = claims["exp"] + 3600
        claims["client_id"] = "someone-else"
        p2 = ac.b64url(json.dumps(claims).encode())
        self.assert401(ac.request("GET", "/api/admin/realms",
                                  token="%s.%s.%s" % (h, p2, s)))

    def test_alg_none_is_refused(self):
        claims = ac.jose_payload_unverified(ac.admin_token())
        header = ac.jose_header(ac.admin_token())
        header["alg"] = "none"
        tok = "%s.%s." % (ac.b64url(json.dumps(header).encode()),
                          ac.b64url(json.dumps(claims).encode()))
        self.assert401(ac.request("GET", "/api/admin/realms", token=tok))

    def test_hs256_with_public_key_is_refused(self):
        # the classic algorithm-confusion attack: HMAC keyed with the
        # published RSA key must not verify
        token = ac.admin_token()
        header = ac.jose_header(token)
        jwks = ac.fetch_jwks("master")
        pub = [k for k in jwks["keys"] if k["kid"] == header["kid"]][0]
        key = ac.jwk.JWK(**pub)
        pem = key.export_to_pem()
        hkey = ac.jwk.JWK(kty="oct", k=ac.b64url(pem))
        claims = ac.jose_payload_unverified(token)
        obj = ac.jws.JWS(json.dumps(claims).encode())
        obj.add_signature(hkey, None, {"alg": "HS256", "typ": "at+jwt",
                                       "kid": header["kid"]})
        forged = obj.serialize(compact=True)
        self.assert401(ac.request("GET", "/api/admin/realms", token=forged))

    def test_token_of_another_realm(self):
        realm, client, secret = ac.realm_with_client(self)
        r = ac.token_request(realm, client, secret)
        self.assertStatus(r, 200)
        self.assert401(ac.request("GET", "/api/admin/realms",
                                  token=r.json["access_token"]))

    def test_token_of_realm_named_like_admin_client(self):
        # a client named admin-cli in another realm is not the admin
        realm, _ = ac.create_realm(self)
        ac.create_client(realm, client_id="admin-cli")
        secret, _ = ac.create_secret(realm, "admin-cli")
        r = ac.token_request(realm, "admin-cli", secret)
        self.assertStatus(r, 200)
        self.assert401(ac.request("GET", "/api/admin/realms",
                                  token=r.json["access_token"]))

    def test_master_token_without_admin_role(self):
        client, secret = ac.master_client_without_admin(self)
        r = ac.token_request("master", client, secret)
        self.assertStatus(r, 200)
        token = r.json["access_token"]
        roles = (ac.jose_payload_unverified(token).get("realm_access")
                 or {}).get("roles") or []
        self.assertNotIn("admin", roles)
        rid = ac.unique("forbid")
        for method, path, body in (("GET", "/api/admin/realms", None),
                                   ("POST", "/api/admin/realms",
                                    {"name": "x", "realmId": rid}),
                                   ("GET", "/api/admin/realms/master", None)):
            with self.subTest(method=method, path=path):
                r = ac.request(method, path, json_body=body, token=token)
                self.assertProblem(r, 403)
        self.assertRealmAbsent(rid)


if __name__ == "__main__":
    unittest.main()
