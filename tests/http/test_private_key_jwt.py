"""private_key_jwt client authentication (RFC 7523 §2.2, OIDC Core §9) at
/token, /introspect and /revoke, and the enforcement of each client's
registered tokenEndpointAuthMethod.  Client keys are made with jwcrypto,
their public halves registered through the admin API, and the assertions
signed here."""

import hashlib
import hmac
import json
import secrets
import time

from jwcrypto import jwk, jws

import authio_client as ac

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def make_key(kty, kid):
    if kty == "RSA":
        return jwk.JWK.generate(kty="RSA", size=2048, kid=kid)
    if kty == "EC":
        return jwk.JWK.generate(kty="EC", crv="P-256", kid=kid)
    return jwk.JWK.generate(kty="OKP", crv="Ed25519", kid=kid)


def kid_of(key):
    return key.export_public(as_dict=True)["kid"]


def public(key, alg=None):
    d = key.export_public(as_dict=True)
    if alg:
        d["alg"] = alg
    return d


def signed(key, alg, claims, header=None):
    h = {"alg": alg, "kid": kid_of(key)}
    h.update(header or {})
    t = jws.JWS(json.dumps(claims).encode("utf-8"))
    t.add_signature(key, alg=alg, protected=json.dumps(h))
    return t.serialize(compact=True)


def unsigned(header, claims):
    return (ac.b64url(json.dumps(header).encode()) + "." +
            ac.b64url(json.dumps(claims).encode()) + ".")


def hs256(secret, claims, kid=None):
    h = {"alg": "HS256", "typ": "JWT"}
    if kid:
        h["kid"] = kid
    si = (ac.b64url(json.dumps(h).encode()) + "." +
          ac.b64url(json.dumps(claims).encode()))
    sig = hmac.new(secret.encode(), si.encode(), hashlib.sha256).digest()
    return si + "." + ac.b64url(sig)


def call(realm, assertion, path="/token", extra=None,
         atype=JWT_BEARER, headers=None):
    form = []
    if path.endswith("/token"):
        form.append(("grant_type", "client_credentials"))
    if atype is not None:
        form.append(("client_assertion_type", atype))
    if assertion is not None:
        form.append(("client_assertion", assertion))
    form += list(extra or [])
    return ac.request("POST", "/realms/%s%s" % (ac.quote(realm), path),
                      form=form, headers=headers or {})


class PrivateKeyJwtTest(ac.RealmTestCase):
    fixture = "secret"   # cls.client/cls.secret: a client_secret_basic one

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keys = {"RS256": make_key("RSA", "rsa-1"),
                    "PS256": make_key("RSA", "rsa-2"),
                    "ES256": make_key("EC", "ec-1"),
                    "EdDSA": make_key("OKP", "ed-1")}
        cls.pkj, _ = ac.create_client(cls.realm, extra={
            "tokenEndpointAuthMethod": "private_key_jwt",
            # rsa-1 is registered for RS256 only, the others for any
            # algorithm their type allows
            "jwks": {"keys": [public(k, "RS256" if a == "RS256" else None)
                              for a, k in cls.keys.items()]}})
        cls.iss = ac.issuer(cls.realm)

    def claims(self, **over):
        now = int(time.time())
        c = {"iss": self.pkj, "sub": self.pkj, "aud": self.iss + "/token",
             "exp": now + 60, "iat": now, "jti": secrets.token_hex(16)}
        for k, v in over.items():
            if v is None:
                c.pop(k, None)
            else:
                c[k] = v
        return c

    def assertion(self, alg="RS256", **over):
        return signed(self.keys[alg], alg, self.claims(**over))

    def assertRefused(self, r, words=None, status=401,
                      error="invalid_client"):
        body = self.assertOAuthError(r, status, error)
        if words:
            self.assertIn(words.lower(), body["error_description"].lower(),
                          body)

    # ---------------------------------------------------------- success

    def test_token_with_every_algorithm(self):
        for alg in ("RS256", "PS256", "ES256", "EdDSA"):
            r = call(self.realm, self.assertion(alg))
            self.assertStatus(r, 200)
            _, claims = ac.verify_jws(r.json["access_token"],
                                      ac.fetch_jwks(self.realm))
            self.assertEqual(claims["client_id"], self.pkj, alg)

    def test_audience_forms(self):
        for aud in (self.iss, self.iss + "/token",
                    self.iss + "/protocol/openid-connect/token",
                    ["https://elsewhere.example", self.iss]):
            r = call(self.realm, self.assertion(aud=aud))
            self.assertStatus(r, 200)

    def test_with_matching_client_id_and_alias(self):
        r = call(self.realm, self.assertion(), extra=[("client_id",
                                                       self.pkj)],
                 path="/protocol/openid-connect/token")
        self.assertStatus(r, 200)

    def test_introspect_and_revoke(self):
        r = call(self.realm, self.assertion())
        self.assertStatus(r, 200)
        token = r.json["access_token"]
        r = call(self.realm, self.assertion(),
                 path="/introspect", extra=[("token", token)])
        self.assertStatus(r, 200)
        self.assertIs(r.json["active"], True)
        r = call(self.realm, self.assertion("ES256"), path="/revoke",
                 extra=[("token", token)])
        self.assertStatus(r, 200)
        r = call(self.realm, self.assertion(),
                 path="/protocol/openid-connect/token/introspect",
                 extra=[("token", token)])
        self.assertEqual(r.json, {"active": False})

    # ---------------------------------------------------------- failures

    def test_wrong_audience(self):
        for aud in ("https://elsewhere.example", [self.iss + "x"],
                    ac.issuer("master") + "/token", 42):
            self.assertRefused(call(self.realm, self.assertion(aud=aud)),
                               "aud")
        self.assertRefused(call(self.realm, self.assertion(aud=None)),
                           "aud")

    def test_expired_missing_and_far_exp(self):
        now = int(time.time())
        self.assertRefused(call(self.realm, self.assertion(exp=now - 5)),
                           "expired")
        self.assertRefused(call(self.realm, self.assertion(exp=None)),
                           "exp")
        self.assertRefused(call(self.realm,
                                self.assertion(exp=now + 3600)),
                           "10 minutes")
        self.assertRefused(call(self.realm, self.assertion(exp="soon")),
                           "exp")
        self.assertRefused(call(self.realm, self.assertion(nbf=now + 600)),
                           "nbf")

    def test_replayed_jti(self):
        a = self.assertion()
        self.assertStatus(call(self.realm, a), 200)
        self.assertRefused(call(self.realm, a), "replayed")
        # the same jti in a fresh assertion is a replay too
        jti = secrets.token_hex(8)
        self.assertStatus(call(self.realm, self.assertion(jti=jti)), 200)
        self.assertRefused(call(self.realm, self.assertion("ES256",
                                                           jti=jti)),
                           "replayed")
        # a refused assertion (bad aud) does not burn its jti
        jti = secrets.token_hex(8)
        self.assertRefused(call(self.realm, self.assertion(
            jti=jti, aud="https://x.example")), "aud")
        self.assertStatus(call(self.realm, self.assertion(jti=jti)), 200)

    def test_expired_jtis_are_purged(self):
        if not ac.db_available():
            self.skipTest("no database access")
        jti = secrets.token_hex(8)
        digest = hashlib.sha256(jti.encode()).hexdigest()
        count = ("SELECT COUNT(*) FROM client_assertion_jtis WHERE "
                 "jti_sha256 = %s" % ac.sql_str(digest))
        self.assertStatus(call(self.realm, self.assertion(
            jti=jti, exp=int(time.time()) + 2)), 200)
        self.assertEqual(ac.db_scalar(count), "1")
        time.sleep(3.2)
        self.assertStatus(call(self.realm, self.assertion()), 200)
        self.assertEqual(ac.db_scalar(count), "0")

    def test_missing_jti(self):
        self.assertRefused(call(self.realm, self.assertion(jti=None)),
                           "jti")
        self.assertRefused(call(self.realm, self.assertion(jti="")), "jti")

    def test_wrong_key(self):
        stranger = make_key("RSA", "rsa-1")   # a registered kid, other key
        a = signed(stranger, "RS256", self.claims())
        self.assertRefused(call(self.realm, a), "signature")
        other = make_key("EC", "nobody")
        a = signed(other, "ES256", self.claims())
        self.assertRefused(call(self.realm, a), "signature")
        # right key, but registered for RS256 only
        a = signed(self.keys["RS256"], "PS256", self.claims())
        self.assertRefused(call(self.realm, a), "signature")

    def test_alg_none_and_hs256(self):
        self.assertRefused(call(self.realm, unsigned(
            {"alg": "none", "typ": "JWT"}, self.claims())), "JWS")
        self.assertRefused(call(self.realm, hs256(
            self.secret, self.claims(), kid="rsa-1")), "JWS")
        # HS256 keyed with the RSA public key (algorithm confusion)
        pem = self.keys["RS256"].export_to_pem().decode()
        self.assertRefused(call(self.realm, hs256(pem, self.claims())),
                           "JWS")

    def test_wrong_iss_or_sub(self):
        self.assertRefused(call(self.realm, self.assertion(iss=self.client)),
                           "iss")
        self.assertRefused(call(self.realm, self.assertion(sub="other")),
                           "sub")
        self.assertRefused(call(self.realm, self.assertion(iss=None)),
                           "iss")
        both = self.assertion(iss="no-such-client", sub="no-such-client")
        self.assertRefused(call(self.realm, both), "failed")
        r = call(self.realm, self.assertion(),
                 extra=[("client_id", self.client)])
        self.assertRefused(r, "client_id")

    def test_bad_assertion_type_or_missing_assertion(self):
        self.assertRefused(call(self.realm, self.assertion(),
                                atype="urn:x:saml"),
                           "client_assertion_type")
        self.assertRefused(call(self.realm, self.assertion(), atype=None),
                           "client_assertion_type")
        self.assertRefused(call(self.realm, None), "client_assertion")
        self.assertRefused(call(self.realm, "not.a.jws"), "JWS")

    def test_assertion_with_a_secret_too_is_400(self):
        r = call(self.realm, self.assertion(), headers={
            "Authorization": ac.basic_auth(self.pkj, "x")})
        self.assertRefused(r, "only one", 400, "invalid_request")
        r = call(self.realm, self.assertion(),
                 extra=[("client_secret", "x")])
        self.assertRefused(r, "only one", 400, "invalid_request")

    def test_secret_client_using_an_assertion(self):
        key = make_key("RSA", "k")
        a = signed(key, "RS256", self.claims(iss=self.client,
                                             sub=self.client))
        self.assertRefused(call(self.realm, a), "client_secret_basic")

    def test_private_key_jwt_client_using_a_secret(self):
        r = ac.admin("POST", "/realms/%s/clients/%s/secrets"
                     % (self.realm, self.pkj))
        secret = r.json["secret"] if r.status == 201 else "anything"
        for method in ("basic", "post"):
            r = ac.token_request(self.realm, self.pkj, secret, method)
            self.assertRefused(r, "private_key_jwt")
        r = ac.request("POST", "/realms/%s/introspect" % self.realm,
                       form={"token": "x"},
                       headers={"Authorization": ac.basic_auth(self.pkj,
                                                               secret)})
        self.assertRefused(r, "private_key_jwt")

    def test_consumer_cannot_use_an_assertion(self):
        cid, _ = ac.create_consumer(self.realm)
        key = make_key("RSA", "k")
        a = signed(key, "RS256", self.claims(iss=cid, sub=cid))
        self.assertRefused(call(self.realm, a), "secret")

    def test_jwks_uri_only_client(self):
        cid, _ = ac.create_client(self.realm, extra={
            "tokenEndpointAuthMethod": "private_key_jwt",
            "jwksUri": "https://keys.example/jwks"})
        a = signed(self.keys["RS256"], "RS256",
                   self.claims(iss=cid, sub=cid))
        self.assertRefused(call(self.realm, a), "jwksUri is not supported")

    def test_disabled_client(self):
        key = make_key("EC", "d1")
        cid, _ = ac.create_client(self.realm, extra={
            "tokenEndpointAuthMethod": "private_key_jwt",
            "jwks": {"keys": [public(key)]}, "enabled": False})
        a = signed(key, "ES256", self.claims(iss=cid, sub=cid))
        self.assertRefused(call(self.realm, a), "disabled")

    def test_secret_methods_accept_each_other(self):
        # the fixture client is client_secret_basic and may post its secret
        for method in ("basic", "post"):
            self.assertStatus(ac.token_request(self.realm, self.client,
                                               self.secret, method), 200)
        cid, _ = ac.create_client(self.realm, extra={
            "tokenEndpointAuthMethod": "client_secret_post"})
        sec, _ = ac.create_secret(self.realm, cid)
        for method in ("basic", "post"):
            self.assertStatus(ac.token_request(self.realm, cid, sec,
                                               method), 200)

    def test_public_client_cannot_use_a_secret(self):
        pub, _ = ac.create_client(self.realm, ctype="public",
                                  grant_types=("authorization_code",),
                                  extra={"redirectUris":
                                         ["https://app.example/cb"]})
        r = ac.token_request(self.realm, pub, "guess", "post")
        self.assertRefused(r, "none")

    def test_discovery(self):
        r = ac.get("/realms/%s/.well-known/openid-configuration"
                   % self.realm)
        doc = r.json
        for ep in ("token", "introspection", "revocation"):
            # public clients (none) exist at the token endpoint only
            self.assertEqual(
                sorted(doc["%s_endpoint_auth_methods_supported" % ep]),
                ["client_secret_basic", "client_secret_post"] +
                (["none"] if ep == "token" else []) + ["private_key_jwt"], ep)
            algs = doc["%s_endpoint_auth_signing_alg_values_supported" % ep]
            self.assertEqual(sorted(algs),
                             ["ES256", "EdDSA", "PS256", "RS256"], ep)
            self.assertNotIn("none", algs)
            self.assertNotIn("HS256", algs)
