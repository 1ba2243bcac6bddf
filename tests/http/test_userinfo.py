"""The UserInfo endpoint (OIDC Core §5.3, issue 4): GET and POST, the
bearer token in the Authorization header or the form body (RFC 6750 §2.1,
§2.2), the claims each scope releases (the same as the ID token's), and
every refusal with its RFC 6750 §3 challenge."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"
KC = "/protocol/openid-connect/userinfo"

# what the ID token carries about the token itself, not the user
TOKEN_CLAIMS = {"iss", "aud", "exp", "iat", "auth_time", "nonce", "azp",
                "sid", "at_hash", "acr", "amr"}


def claim(name, source="attribute", value=None, **flags):
    c = {"claim": name, "source": source,
         "value": name if value is None else value}
    c.update(flags)
    return c


class UserinfoTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.scope = ac.unique("billing")
        r = ac.admin("POST", "/realms/%s/scopes" % cls.realm, {
            "name": cls.scope,
            "claims": [claim("tenant", "attribute", "tenant_id"),
                       claim("plan", "static", "gold"),
                       claim("groups", "roles", "realm"),
                       claim("seats", "attribute", "seats"),
                       claim("id_only", "static", "i", inUserinfo=False),
                       claim("ui_only", "static", "u", inIdToken=False),
                       claim("missing", "attribute", "no_such_attribute")]})
        assert r.status == 201, r
        cls.conf = ac.code_flow_client(cls.realm, pkceRequired=False,
                                       optionalScopes=[cls.scope])
        cls.secret, _ = ac.create_secret(cls.realm, cls.conf)
        cls.user = ac.user_with_password(
            cls.realm, PW, email=ac.unique("e") + "@ex.org",
            emailVerified=True, firstName="Ada", lastName="Lovelace",
            attributes={"tenant_id": "t-42", "seats": ["1", "2"],
                        "locale": "en-GB",
                        "picture": ["https://img.example/ada.png"]})
        r = ac.admin("POST", "/realms/%s/roles" % cls.realm,
                     {"name": "reader"})
        assert r.status == 201, r
        r = ac.admin("POST", ac.users_path(cls.realm, cls.user["id"], "roles"),
                     [{"name": "reader"}])
        assert r.status == 204, r
        # a client-credentials client that may ask for openid
        cls.machine, _ = ac.create_client(
            cls.realm, extra={"defaultScopes": ["openid", "profile"]})
        cls.machine_secret, _ = ac.create_secret(cls.realm, cls.machine)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def tokens(self, scope="openid", user=None, realm=None, client=None,
               secret=None):
        return ac.code_flow_tokens(realm or self.realm, client or self.conf,
                                   secret or self.secret,
                                   (user or self.user)["username"], PW,
                                   scope=scope)

    def fresh_user(self, realm=None, **fields):
        return ac.user_with_password(realm or self.realm, PW, **fields)

    def assertUserinfo(self, r):
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertIn("no-store", r.header("Cache-Control") or "")
        self.assertEqual(body["sub"], self.user["id"])
        return body

    def assertBearerError(self, r, status, error):
        body = self.assertOAuthError(r, status, error)
        challenge = r.header("WWW-Authenticate") or ""
        self.assertTrue(challenge.startswith('Bearer realm="'), challenge)
        self.assertIn('error="%s"' % error, challenge)
        self.assertIn('error_description="', challenge)
        self.assertIn("no-store", r.header("Cache-Control") or "")
        return body

    # ---------------------------------------------------- the three ways

    def test_get_with_header_openid_only_is_just_sub(self):
        at = self.tokens()["access_token"]
        body = self.assertUserinfo(ac.userinfo(self.realm, at))
        self.assertEqual(set(body), {"sub"})

    def test_post_with_header(self):
        at = self.tokens("openid email")["access_token"]
        body = self.assertUserinfo(ac.userinfo(self.realm, at, "POST"))
        self.assertEqual(body["email"], self.user["email"])

    def test_post_with_form_body(self):
        at = self.tokens("openid email")["access_token"]
        body = self.assertUserinfo(ac.userinfo(self.realm, None, "POST",
                                               body_token=at))
        self.assertEqual(body["email"], self.user["email"])

    def test_keycloak_alias_get_and_post(self):
        at = self.tokens()["access_token"]
        self.assertUserinfo(ac.userinfo(self.realm, at, path=KC))
        self.assertUserinfo(ac.userinfo(self.realm, None, "POST",
                                        body_token=at, path=KC))

    # ------------------------------------------------- claims by scope

    def test_profile_scope(self):
        at = self.tokens("openid profile")["access_token"]
        body = self.assertUserinfo(ac.userinfo(self.realm, at))
        self.assertEqual(body["preferred_username"], self.user["username"])
        self.assertEqual(body["name"], "Ada Lovelace")
        self.assertEqual(body["given_name"], "Ada")
        self.assertEqual(body["family_name"], "Lovelace")
        self.assertIsInstance(body["updated_at"], int)
        self.assertLessEqual(abs(body["updated_at"] - time.time()), 3600)
        # standard profile claims the user has as attributes
        self.assertEqual(body["locale"], "en-GB")
        self.assertEqual(body["picture"], "https://img.example/ada.png")
        for c in ("email", "email_verified", "tenant", "plan"):
            self.assertNotIn(c, body)

    def test_email_scope(self):
        at = self.tokens("openid email")["access_token"]
        body = self.assertUserinfo(ac.userinfo(self.realm, at))
        self.assertEqual(body["email"], self.user["email"])
        self.assertIs(body["email_verified"], True)
        for c in ("name", "preferred_username", "locale"):
            self.assertNotIn(c, body)

    def test_email_scope_without_an_email(self):
        u = self.fresh_user()
        at = self.tokens("openid email", user=u)["access_token"]
        r = ac.userinfo(self.realm, at)
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"sub": u["id"]})

    def test_realm_scope_claims(self):
        at = self.tokens("openid " + self.scope)["access_token"]
        body = self.assertUserinfo(ac.userinfo(self.realm, at))
        self.assertEqual(body["tenant"], "t-42")
        self.assertEqual(body["plan"], "gold")
        self.assertIn("reader", body["groups"])
        self.assertEqual(body["seats"], ["1", "2"])
        self.assertEqual(body["ui_only"], "u")
        self.assertNotIn("id_only", body)      # inUserinfo false
        self.assertNotIn("missing", body)      # the user has no value
        self.assertNotIn("email", body)

    def test_id_token_carries_the_same_claims(self):
        scope = "openid profile email " + self.scope
        tok = self.tokens(scope)
        _, idt = ac.verify_jws(tok["id_token"], ac.fetch_jwks(self.realm))
        body = self.assertUserinfo(ac.userinfo(self.realm,
                                               tok["access_token"]))
        about_user = {k: v for k, v in idt.items() if k not in TOKEN_CLAIMS}
        # the scope's destination flags are the only difference
        self.assertEqual(about_user.pop("id_only"), "i")
        self.assertEqual(body.pop("ui_only"), "u")
        self.assertEqual(about_user, body)
        self.assertEqual(idt["tenant"], "t-42")
        self.assertEqual(idt["email"], self.user["email"])

    def test_discovery(self):
        iss = ac.issuer(self.realm)

        def listed():
            d = ac.get("/realms/%s/.well-known/openid-configuration"
                       % self.realm).json
            self.assertEqual(d["userinfo_endpoint"], iss + "/userinfo")
            for c in ("sub", "tenant", "plan", "updated_at", "locale",
                      "picture", "email_verified"):
                self.assertIn(c, d["claims_supported"])
            self.assertIn(self.scope, d["scopes_supported"])
            self.assertEqual(len(d["claims_supported"]),
                             len(set(d["claims_supported"])))
        ac.eventually(listed)

    # ------------------------------------------------------ refusals

    def test_no_token_is_a_bare_challenge(self):
        for method in ("GET", "POST"):
            with self.subTest(method=method):
                r = ac.userinfo(self.realm, method=method)
                self.assertStatus(r, 401)
                self.assertEqual(r.header("WWW-Authenticate"),
                                 'Bearer realm="%s"' % self.realm)
                self.assertEqual(r.body, b"")

    def test_other_scheme_is_no_bearer_token(self):
        r = ac.userinfo(self.realm, headers={
            "Authorization": ac.basic_auth(self.conf, self.secret)})
        self.assertStatus(r, 401)
        self.assertEqual(r.header("WWW-Authenticate"),
                         'Bearer realm="%s"' % self.realm)

    def test_body_of_a_get_is_not_read(self):
        """RFC 6750 §2.2: the form body method is not for GET."""
        at = self.tokens()["access_token"]
        r = ac.request("GET", "/realms/%s/userinfo" % self.realm,
                       form={"access_token": at})
        self.assertStatus(r, 401)
        self.assertNotIn("error=", r.header("WWW-Authenticate") or "")

    def test_garbage_token(self):
        for t in ("garbage", "a.b.c", ac.b64url(b"x" * 40)):
            with self.subTest(token=t):
                self.assertBearerError(ac.userinfo(self.realm, t), 401,
                                       "invalid_token")

    def test_malformed_header(self):
        for h in ("Bearer", "Bearer ", "Bearer a b", 'Bearer "x"'):
            with self.subTest(header=h):
                r = ac.userinfo(self.realm, headers={"Authorization": h})
                self.assertBearerError(r, 400, "invalid_request")

    def test_header_and_body_at_once(self):
        at = self.tokens()["access_token"]
        r = ac.userinfo(self.realm, at, "POST", body_token=at)
        self.assertBearerError(r, 400, "invalid_request")

    def test_repeated_body_token(self):
        at = self.tokens()["access_token"]
        r = ac.request("POST", "/realms/%s/userinfo" % self.realm,
                       form=[("access_token", at), ("access_token", at)])
        self.assertBearerError(r, 400, "invalid_request")

    def test_query_string_token_is_refused(self):
        at = self.tokens()["access_token"]
        r = ac.get("/realms/%s/userinfo?access_token=%s" % (self.realm, at))
        body = self.assertBearerError(r, 400, "invalid_request")
        self.assertIn("query", body["error_description"])

    def test_token_of_another_realm(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        secret, _ = ac.create_secret(realm, client)
        u = self.fresh_user(realm)
        at = self.tokens(user=u, realm=realm, client=client,
                         secret=secret)["access_token"]
        self.assertStatus(ac.userinfo(realm, at), 200)
        self.assertBearerError(ac.userinfo(self.realm, at), 401,
                               "invalid_token")

    def test_tampered_token(self):
        at = self.tokens()["access_token"]
        h, p, s = at.split(".")
        claims = ac.jose_payload_unverified(at)
        claims["sub"] = "00000000-0000-4000-8000-000000000000"
        forged = ".".join((h, ac.b64url(ac.json.dumps(claims).encode()), s))
        self.assertBearerError(ac.userinfo(self.realm, forged), 401,
                               "invalid_token")

    def test_expired_token(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        secret, _ = ac.create_secret(realm, client)
        u = self.fresh_user(realm)
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                     {"accessTokenLifetime": 1})
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()
        at = self.tokens(user=u, realm=realm, client=client,
                         secret=secret)["access_token"]
        time.sleep(2.1)
        body = self.assertBearerError(ac.userinfo(realm, at), 401,
                                      "invalid_token")
        self.assertIn("expired", body["error_description"])

    def test_revoked_token(self):
        at = self.tokens()["access_token"]
        self.assertUserinfo(ac.userinfo(self.realm, at))
        r = ac.request("POST", "/realms/%s/revoke" % self.realm,
                       form={"token": at},
                       headers={"Authorization":
                                ac.basic_auth(self.conf, self.secret)})
        self.assertStatus(r, 200)
        body = self.assertBearerError(ac.userinfo(self.realm, at), 401,
                                      "invalid_token")
        self.assertIn("revoked", body["error_description"])

    def test_client_credentials_token(self):
        r = ac.token_request(self.realm, self.machine, self.machine_secret,
                             params={"grant_type": "client_credentials",
                                     "scope": "openid"})
        self.assertStatus(r, 200)
        self.assertIn("openid", r.json["scope"])
        body = self.assertBearerError(
            ac.userinfo(self.realm, r.json["access_token"]), 401,
            "invalid_token")
        self.assertIn("user", body["error_description"])

    def test_consumer_token(self):
        cid, _ = ac.create_consumer(self.realm, allowedScopes=["openid"])
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        r = ac.token_request(self.realm, cid, secret)
        self.assertStatus(r, 200)
        self.assertBearerError(ac.userinfo(self.realm,
                                           r.json["access_token"]), 401,
                               "invalid_token")

    def test_token_without_openid(self):
        at = self.tokens("profile")["access_token"]
        r = ac.userinfo(self.realm, at)
        self.assertBearerError(r, 403, "insufficient_scope")
        self.assertIn('scope="openid"', r.header("WWW-Authenticate"))

    def test_disabled_user(self):
        u = self.fresh_user()
        at = self.tokens(user=u)["access_token"]
        self.assertStatus(ac.userinfo(self.realm, at), 200)
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"enabled": False})
        self.assertStatus(r, 200)
        self.assertBearerError(ac.userinfo(self.realm, at), 401,
                               "invalid_token")

    def test_deleted_user(self):
        u = self.fresh_user()
        at = self.tokens(user=u)["access_token"]
        self.assertStatus(ac.admin("DELETE", ac.users_path(self.realm,
                                                             u["id"])), 204)
        self.assertBearerError(ac.userinfo(self.realm, at), 401,
                               "invalid_token")

    def test_disabled_client(self):
        client = ac.code_flow_client(self.realm, pkceRequired=False)
        secret, _ = ac.create_secret(self.realm, client)
        at = self.tokens(client=client, secret=secret)["access_token"]
        self.assertStatus(ac.userinfo(self.realm, at), 200)
        r = ac.admin("PATCH", "/realms/%s/clients/%s" % (self.realm, client),
                     {"enabled": False})
        self.assertStatus(r, 200)

        def refused():
            self.assertBearerError(ac.userinfo(self.realm, at), 401,
                                   "invalid_token")
        ac.eventually(refused)

    def test_session_ended(self):
        u = self.fresh_user()
        at = self.tokens(user=u)["access_token"]
        self.assertTrue(ac.jose_payload_unverified(at).get("sid"))
        self.assertStatus(ac.userinfo(self.realm, at), 200)
        r = ac.admin("DELETE", ac.users_path(self.realm, u["id"], "sessions"))
        self.assertIn(r.status, (200, 204), repr(r))
        body = self.assertBearerError(ac.userinfo(self.realm, at), 401,
                                      "invalid_token")
        self.assertIn("session", body["error_description"])

    def test_inactive_realm(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        secret, _ = ac.create_secret(realm, client)
        u = self.fresh_user(realm)
        at = self.tokens(user=u, realm=realm, client=client,
                         secret=secret)["access_token"]
        r = ac.admin("PATCH", "/realms/" + realm, {"status": "inactive"})
        self.assertStatus(r, 200)

        def refused():
            self.assertOAuthError(ac.userinfo(realm, at), 400,
                                  "invalid_request")
        ac.eventually(refused)

    def test_unknown_realm(self):
        self.assertOAuthError(ac.userinfo(ac.unique("nope"), "x"), 404,
                              "invalid_request")


if __name__ == "__main__":
    unittest.main()
