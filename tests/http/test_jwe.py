"""Encrypted ID tokens and userinfo responses (issue 5, token &
encryption): for every key management x content encryption pair, the ID
token is signed then encrypted (a nested JWT, cty "JWT") and userinfo
answers application/jwt, both to the client's registered key -- decrypted
by jwcrypto and by npm jose (tests/oidc/jwe.mjs), two implementations
independent of authio's.  The admin API refuses encryption without a
suitable key, and discovery lists exactly what works."""

import json
import os
import shutil
import subprocess
import unittest

from jwcrypto import jwe, jwk

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"
ALGS = ("RSA-OAEP-256", "ECDH-ES")
ENCS = ("A128GCM", "A256GCM", "A128CBC-HS256")
HERE = os.path.dirname(os.path.abspath(__file__))
OIDC_DIR = os.path.normpath(os.path.join(HERE, "..", "oidc"))


def node():
    """The node that can run tests/oidc/jwe.mjs, or None."""
    local = os.path.join(OIDC_DIR, ".node", "node_modules", ".bin", "node")
    for n in (os.environ.get("AU_NODE"), local, shutil.which("node")):
        if n and os.access(n, os.X_OK) and os.path.isdir(
                os.path.join(OIDC_DIR, "node_modules", "jose")):
            return n
    return None


def jose_decrypt(compact, private_jwk, jwks, issuer, audience):
    """tests/oidc/jwe.mjs: npm jose decrypts (and verifies the inner JWS
    of a nested JWT); its JSON answer."""
    n = node()
    if n is None:
        if os.environ.get("CI") == "true":
            raise AssertionError("CI must decrypt with npm jose: run "
                                 "scripts/oidc-deps.sh")
        raise unittest.SkipTest("node or tests/oidc/node_modules/jose is "
                                "missing (run scripts/oidc-deps.sh)")
    p = subprocess.run([n, "jwe.mjs"], cwd=OIDC_DIR, capture_output=True,
                       text=True, timeout=60, input=json.dumps({
                           "jwe": compact, "privateJwk": private_jwk,
                           "jwks": jwks, "issuer": issuer,
                           "audience": audience}))
    if p.returncode != 0:
        raise AssertionError("jose refused it: %s" % p.stderr[-2000:])
    return json.loads(p.stdout)


class JweTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.user = ac.user_with_password(cls.realm, PW,
                                         email=ac.unique("e") + "@ex.org")
        cls.jwks = ac.fetch_jwks(cls.realm)
        cls.rsa = jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-enc",
                                   use="enc")
        cls.ec = jwk.JWK.generate(kty="EC", crv="P-256", kid="ec-enc",
                                  use="enc")
        cls.sig = jwk.JWK.generate(kty="EC", crv="P-256", kid="ec-sig",
                                   use="sig")

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def public_set(self, *keys):
        return {"keys": [k.export_public(as_dict=True) for k in keys]}

    def client(self, ts, keys=None):
        extra = {"redirectUris": [CB], "pkceRequired": False,
                 "defaultScopes": ["openid", "profile", "email"],
                 "tokenSettings": ts}
        if keys is not None:
            extra["jwks"] = self.public_set(*keys)
        cid, _ = ac.create_client(self.realm, grant_types=(
            "authorization_code",), extra=extra)
        secret, _ = ac.create_secret(self.realm, cid)
        return cid, secret

    def tokens(self, cid, secret):
        return ac.code_flow_tokens(self.realm, cid, secret,
                                   self.user["username"], PW,
                                   scope="openid profile email",
                                   nonce="n-jwe")

    def key_for(self, alg):
        return self.rsa if alg == "RSA-OAEP-256" else self.ec

    def private_jwk(self, alg):
        d = self.key_for(alg).export_private(as_dict=True)
        d["alg"] = alg
        return d

    def jwcrypto_decrypt(self, compact, alg, enc):
        t = jwe.JWE()
        t.deserialize(compact, key=self.key_for(alg))
        h = t.jose_header
        self.assertEqual(h["alg"], alg)
        self.assertEqual(h["enc"], enc)
        self.assertEqual(h.get("kid"),
                         self.key_for(alg).export_public(as_dict=True)["kid"])
        if alg == "ECDH-ES":
            self.assertEqual(h["epk"]["crv"], "P-256")
            self.assertNotIn("d", h["epk"])
        return h, t.payload.decode("utf-8")

    def test_every_pair_round_trips(self):
        iss = ac.issuer(self.realm)
        for alg in ALGS:
            for enc in ENCS:
                with self.subTest(alg=alg, enc=enc):
                    cid, secret = self.client({
                        "idTokenEncryption": {"alg": alg, "enc": enc},
                        "userinfoEncryption": {"alg": alg, "enc": enc}},
                        keys=(self.sig, self.rsa, self.ec))
                    tok = self.tokens(cid, secret)
                    idt = tok["id_token"]
                    self.assertEqual(idt.count("."), 4, idt[:80])
                    # jwcrypto: decrypt, then verify the inner JWS
                    h, inner = self.jwcrypto_decrypt(idt, alg, enc)
                    self.assertEqual(h["cty"], "JWT")
                    _, claims = ac.verify_jws(inner, self.jwks)
                    self.assertEqual(claims["aud"], cid)
                    self.assertEqual(claims["nonce"], "n-jwe")
                    self.assertEqual(claims["sub"], self.user["id"])
                    # npm jose: the same, independently
                    out = jose_decrypt(idt, self.private_jwk(alg),
                                       self.jwks, iss, cid)
                    self.assertEqual(out["protectedHeader"]["enc"], enc)
                    self.assertEqual(out["claims"]["sub"], self.user["id"])
                    self.assertEqual(out["claims"]["nonce"], "n-jwe")
                    # userinfo: application/jwt, encrypted JSON
                    r = ac.userinfo(self.realm, tok["access_token"])
                    self.assertStatus(r, 200)
                    self.assertEqual(r.content_type, "application/jwt")
                    body = r.body.decode("ascii").strip()
                    h, text = self.jwcrypto_decrypt(body, alg, enc)
                    self.assertNotIn("cty", h)
                    ui = json.loads(text)
                    self.assertEqual(ui["sub"], self.user["id"])
                    self.assertEqual(ui["email"], self.user["email"])
                    self.assertEqual(ui["iss"], iss)
                    self.assertEqual(ui["aud"], cid)
                    out = jose_decrypt(body, self.private_jwk(alg),
                                       self.jwks, iss, cid)
                    self.assertEqual(out["claims"]["sub"], self.user["id"])

    def test_only_one_of_them_encrypted(self):
        cid, secret = self.client({"userinfoEncryption": {
            "alg": "ECDH-ES", "enc": "A256GCM"}}, keys=(self.ec,))
        tok = self.tokens(cid, secret)
        self.assertEqual(tok["id_token"].count("."), 2)
        r = ac.userinfo(self.realm, tok["access_token"])
        self.assertEqual(r.content_type, "application/jwt")
        plain, psecret = self.client({}, keys=(self.ec,))
        r = ac.userinfo(self.realm, self.tokens(plain, psecret)
                        ["access_token"])
        self.assertEqual(r.content_type, "application/json")

    def assertRefused(self, ts, field, keys=None):
        body = {"clientId": ac.unique("c"), "name": "x",
                "type": "confidential", "grantTypes": ["authorization_code"],
                "redirectUris": [CB], "tokenSettings": ts}
        if keys is not None:
            body["jwks"] = self.public_set(*keys)
        r = ac.admin("POST", "/realms/%s/clients" % self.realm, body)
        self.assertProblem(r, 400, field)

    def test_encryption_needs_a_suitable_key(self):
        enc = {"alg": "ECDH-ES", "enc": "A128GCM"}
        self.assertRefused({"idTokenEncryption": enc},
                           "tokenSettings.idTokenEncryption.alg")
        self.assertRefused({"userinfoEncryption": enc},
                           "tokenSettings.userinfoEncryption.alg",
                           keys=(self.rsa,))
        self.assertRefused({"idTokenEncryption": enc},
                           "tokenSettings.idTokenEncryption.alg",
                           keys=(self.sig,))
        self.assertRefused({"idTokenEncryption": {"alg": "RSA-OAEP-256",
                                                  "enc": "A128GCM"}},
                           "tokenSettings.idTokenEncryption.alg",
                           keys=(self.ec,))
        self.assertRefused({"idTokenEncryption": {"alg": "RSA-OAEP",
                                                  "enc": "A128GCM"}},
                           "tokenSettings.idTokenEncryption.alg",
                           keys=(self.rsa,))
        self.assertRefused({"idTokenEncryption": {"alg": "RSA-OAEP-256",
                                                  "enc": "A192CBC-HS384"}},
                           "tokenSettings.idTokenEncryption.enc",
                           keys=(self.rsa,))

    def test_discovery_lists_exactly_what_works(self):
        d = ac.get("/realms/%s/.well-known/openid-configuration"
                   % self.realm).json
        for k in ("id_token_encryption_alg_values_supported",
                  "userinfo_encryption_alg_values_supported"):
            self.assertEqual(sorted(d[k]), sorted(ALGS))
        for k in ("id_token_encryption_enc_values_supported",
                  "userinfo_encryption_enc_values_supported"):
            self.assertEqual(sorted(d[k]), sorted(ENCS))
        # userinfo is encrypted, never signed
        self.assertNotIn("userinfo_signing_alg_values_supported", d)


if __name__ == "__main__":
    unittest.main()
