"""The authorization code grant at /token (issue 4): confidential and
public clients, PKCE S256, single use, binding to client and redirect URI,
expiry, and the ID token (verified against the JWKS with jwcrypto)."""

import base64
import hashlib
import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"


def at_hash(access_token):
    d = hashlib.sha256(access_token.encode("ascii")).digest()[:16]
    return base64.urlsafe_b64encode(d).rstrip(b"=").decode("ascii")


class CodeFlowTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.conf = ac.code_flow_client(cls.realm, pkceRequired=False)
        cls.secret, _ = ac.create_secret(cls.realm, cls.conf)
        cls.other = ac.code_flow_client(cls.realm, pkceRequired=False)
        cls.other_secret, _ = ac.create_secret(cls.realm, cls.other)
        cls.pub = ac.code_flow_client(cls.realm, ctype="public",
                                      tokenEndpointAuthMethod="none")
        cls.user = ac.user_with_password(
            cls.realm, PW, email=ac.unique("e") + "@ex.org",
            firstName="Ada", lastName="Lovelace")
        r = ac.admin("POST", "/realms/%s/roles" % cls.realm,
                     {"name": "reader"})
        assert r.status == 201, r
        r = ac.admin("POST", ac.users_path(cls.realm, cls.user["id"], "roles"),
                     [{"name": "reader"}])
        assert r.status == 204, r

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def get_code(self, client=None, realm=None, **kw):
        realm = realm or self.realm
        p = {"client_id": client or self.conf, "redirect_uri": CB,
             "response_type": "code", "scope": "openid profile email",
             "state": "st", "nonce": "nonce-1"}
        p.update(kw)
        jar = {}
        r = ac.authorize_get(realm, p, jar)
        self.assertStatus(r, 200)
        form = ac.parse_forms(r.text)[0]
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q, r.header("Location"))
        return q["code"]

    def exchange(self, code, client=None, secret=None, realm=None,
                 method="basic", **kw):
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": CB}
        form.update(kw)
        form = {k: v for k, v in form.items() if v is not None}
        if method is None:
            form["client_id"] = client
        return ac.token_request(realm or self.realm, client or self.conf,
                                secret or self.secret, method=method,
                                params=form)

    def test_confidential_client_gets_tokens(self):
        code = self.get_code()
        r = self.exchange(code)
        self.assertStatus(r, 200)
        body = r.json
        self.assertEqual(body["token_type"], "Bearer")
        self.assertIsInstance(body["expires_in"], int)
        self.assertEqual(body["scope"], "openid profile email")
        self.assertIn("no-store", r.header("Cache-Control") or "")
        jwks = ac.fetch_jwks(self.realm)
        h, at = ac.verify_jws(body["access_token"], jwks)
        self.assertEqual(h["typ"], "at+jwt")
        self.assertEqual(at["sub"], self.user["id"])
        self.assertEqual(at["client_id"], self.conf)
        self.assertEqual(at["scope"], "openid profile email")
        self.assertEqual(at["iss"], ac.issuer(self.realm))
        self.assertIn("reader", at["realm_access"]["roles"])
        self.assertTrue(at.get("sid"))
        h, idt = ac.verify_jws(body["id_token"], jwks)
        self.assertEqual(idt["iss"], ac.issuer(self.realm))
        self.assertEqual(idt["sub"], self.user["id"])
        self.assertEqual(idt["aud"], self.conf)
        self.assertEqual(idt["azp"], self.conf)
        self.assertEqual(idt["nonce"], "nonce-1")
        self.assertEqual(idt["at_hash"], at_hash(body["access_token"]))
        self.assertEqual(idt["sid"], at["sid"])
        now = time.time()
        self.assertLessEqual(abs(idt["iat"] - now), 60)
        self.assertGreater(idt["exp"], now)
        self.assertLessEqual(idt["auth_time"], idt["iat"])
        self.assertEqual(idt["preferred_username"], self.user["username"])
        self.assertEqual(idt["given_name"], "Ada")
        self.assertEqual(idt["family_name"], "Lovelace")
        self.assertEqual(idt["name"], "Ada Lovelace")
        self.assertEqual(idt["email"], self.user["email"])
        self.assertIn("email_verified", idt)
        self.assertEqual(idt["amr"], ["pwd"])

    def test_scope_decides_id_token_claims(self):
        r = self.exchange(self.get_code(scope="openid"))
        self.assertStatus(r, 200)
        _, idt = ac.verify_jws(r.json["id_token"], ac.fetch_jwks(self.realm))
        for claim in ("email", "name", "preferred_username", "given_name"):
            self.assertNotIn(claim, idt)
        r = self.exchange(self.get_code(scope="profile"))
        self.assertStatus(r, 200)
        self.assertNotIn("id_token", r.json)       # no openid, no ID token

    def test_client_secret_post(self):
        r = self.exchange(self.get_code(), method="post")
        self.assertStatus(r, 200)

    def test_code_replay_is_invalid_grant(self):
        code = self.get_code()
        self.assertStatus(self.exchange(code), 200)
        self.assertOAuthError(self.exchange(code), 400, "invalid_grant")

    def test_unknown_code(self):
        self.assertOAuthError(self.exchange(ac.b64url(b"z" * 32)), 400,
                              "invalid_grant")

    def test_missing_code(self):
        self.assertOAuthError(self.exchange(None), 400, "invalid_request")

    def test_code_of_another_client(self):
        code = self.get_code()
        r = self.exchange(code, client=self.other, secret=self.other_secret)
        self.assertOAuthError(r, 400, "invalid_grant")
        # and it was spent by the attempt
        self.assertOAuthError(self.exchange(code), 400, "invalid_grant")

    def test_redirect_uri_mismatch(self):
        code = self.get_code()
        r = self.exchange(code, redirect_uri=CB + "/x")
        self.assertOAuthError(r, 400, "invalid_grant")

    def test_wrong_secret_is_invalid_client(self):
        r = self.exchange(self.get_code(), secret="wrong")
        self.assertOAuthError(r, 401, "invalid_client")

    def test_confidential_client_without_secret_is_invalid_client(self):
        r = self.exchange(self.get_code(), method=None)
        self.assertOAuthError(r, 401, "invalid_client")

    def test_public_client_with_pkce(self):
        verifier, challenge = ac.pkce_pair()
        code = self.get_code(client=self.pub, code_challenge=challenge,
                             code_challenge_method="S256")
        r = self.exchange(code, client=self.pub, method=None,
                          code_verifier=verifier)
        self.assertStatus(r, 200)
        _, idt = ac.verify_jws(r.json["id_token"], ac.fetch_jwks(self.realm))
        self.assertEqual(idt["aud"], self.pub)

    def test_pkce_wrong_or_missing_verifier(self):
        verifier, challenge = ac.pkce_pair()
        for v in ("A" * 43, None, verifier + "x", "short"):
            with self.subTest(verifier=v):
                code = self.get_code(client=self.pub, code_challenge=challenge,
                                     code_challenge_method="S256")
                r = self.exchange(code, client=self.pub, method=None,
                                  code_verifier=v)
                self.assertOAuthError(r, 400, "invalid_grant")

    def test_verifier_without_challenge_is_refused(self):
        verifier, _ = ac.pkce_pair()
        r = self.exchange(self.get_code(), code_verifier=verifier)
        self.assertOAuthError(r, 400, "invalid_grant")

    def test_confidential_client_with_pkce(self):
        verifier, challenge = ac.pkce_pair()
        code = self.get_code(code_challenge=challenge,
                             code_challenge_method="S256")
        self.assertStatus(self.exchange(code, code_verifier=verifier), 200)

    def test_expired_code(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        secret, _ = ac.create_secret(realm, client)
        ac.user_with_password(realm, PW, username=self.user["username"])
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                     {"authCodeLifetime": 1})
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()
        code = self.get_code(client=client, realm=realm)
        time.sleep(2.1)
        r = self.exchange(code, client=client, secret=secret, realm=realm)
        self.assertOAuthError(r, 400, "invalid_grant")

    def test_id_token_by_client_signing_alg(self):
        """ES256 and EdDSA clients get ID tokens of their algorithm, with
        at_hash by that algorithm's hash (SHA-512 for Ed25519)."""
        r = ac.admin("POST", "/realms/%s/keys" % self.realm, {"alg": "EdDSA"})
        self.assertStatus(r, 201)
        ac.settle()          # publish before sign
        for alg, hfn, n in (("ES256", hashlib.sha256, 16),
                            ("EdDSA", hashlib.sha512, 32)):
            with self.subTest(alg=alg):
                c = ac.code_flow_client(self.realm, pkceRequired=False,
                                        tokenSettings={"signingAlg": alg})
                secret, _ = ac.create_secret(self.realm, c)
                r = self.exchange(self.get_code(client=c), client=c,
                                  secret=secret)
                self.assertStatus(r, 200)
                jwks = ac.fetch_jwks(self.realm)
                h, idt = ac.verify_jws(r.json["id_token"], jwks)
                self.assertEqual(h["alg"], alg)
                d = hfn(r.json["access_token"].encode("ascii")).digest()[:n]
                self.assertEqual(idt["at_hash"], base64.urlsafe_b64encode(
                    d).rstrip(b"=").decode("ascii"))

    def test_discovery_lists_the_code_flow(self):
        d = ac.get("/realms/%s/.well-known/openid-configuration"
                   % self.realm).json
        iss = ac.issuer(self.realm)
        self.assertEqual(d["authorization_endpoint"], iss + "/authorize")
        self.assertEqual(d["response_types_supported"], ["code"])
        self.assertIn("authorization_code", d["grant_types_supported"])
        self.assertEqual(d["code_challenge_methods_supported"], ["S256"])
        self.assertEqual(set(d["response_modes_supported"]),
                         {"query", "form_post"})
        self.assertIn("none", d["token_endpoint_auth_methods_supported"])
        self.assertIn("RS256", d["id_token_signing_alg_values_supported"])
        for c in ("sub", "nonce", "at_hash", "auth_time", "email"):
            self.assertIn(c, d["claims_supported"])
        self.assertTrue(d["authorization_response_iss_parameter_supported"])
        # request objects are refused at /authorize, and the defaults of
        # OIDC Discovery would say otherwise for request_uri
        self.assertIs(d["request_parameter_supported"], False)
        self.assertIs(d["request_uri_parameter_supported"], False)


if __name__ == "__main__":
    unittest.main()
