"""Refresh tokens (issue 4): issued with the code flow to clients allowed
the grant, rotated on every use, reuse of a spent one revokes the family
(RFC 9700 §4.14.2) unless within the realm's grace window, bound to the
client, session-bound ones die with the SSO session and offline ones
survive it; a replayed code revokes what was issued from it (RFC 9700
§4.5); /revoke and /introspect know refresh tokens."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase
from test_introspect_revoke import introspect, revoke

CB = "https://app.example/cb"
PW = "correct horse battery"
GRANTS = ("authorization_code", "refresh_token")


def refresh_client(realm, ctype="confidential", grants=GRANTS, **extra):
    body = {"redirectUris": [CB], "pkceRequired": False,
            "defaultScopes": ["openid", "profile", "email"],
            "optionalScopes": ["offline_access"]}
    if ctype == "public":
        body["tokenEndpointAuthMethod"] = "none"
        body["pkceRequired"] = True
    body.update(extra)
    client, _ = ac.create_client(realm, grant_types=grants, ctype=ctype,
                                 extra=body)
    secret = None
    if ctype == "confidential":
        secret, _ = ac.create_secret(realm, client)
    return client, secret


class RefreshTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client, cls.secret = refresh_client(cls.realm)
        cls.other, cls.other_secret = refresh_client(cls.realm)
        cls.user = ac.user_with_password(cls.realm, PW,
                                         email=ac.unique("e") + "@ex.org")

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    # -- helpers

    def sign_in(self, client=None, scope="openid profile", realm=None,
                user=None, jar=None, **kw):
        """Signs in (or reuses jar's session) and returns (code, jar)."""
        realm = realm or self.realm
        jar = {} if jar is None else jar
        p = {"client_id": client or self.client, "redirect_uri": CB,
             "response_type": "code", "scope": scope, "state": "s",
             "nonce": "n-1"}
        p.update(kw)
        r = ac.authorize_get(realm, p, jar)
        if r.status == 200:
            form = ac.parse_forms(r.text)[0]
            r = ac.submit_login(form, jar, (user or self.user)["username"],
                                PW)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q, r.header("Location"))
        return q["code"], jar

    def exchange(self, code, client=None, secret=None, realm=None, **kw):
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": CB}
        form.update(kw)
        return ac.token_request(realm or self.realm, client or self.client,
                                secret or self.secret, params=form)

    def refresh(self, token, client=None, secret=None, realm=None,
                method="basic", **kw):
        form = {"grant_type": "refresh_token", "refresh_token": token}
        form.update(kw)
        form = {k: v for k, v in form.items() if v is not None}
        if method is None:
            form["client_id"] = client
        return ac.token_request(realm or self.realm, client or self.client,
                                secret or self.secret, method=method,
                                params=form)

    def tokens(self, **kw):
        code, jar = self.sign_in(**kw)
        r = self.exchange(code)
        self.assertStatus(r, 200)
        self.assertIn("refresh_token", r.json)
        return r.json, jar

    def active(self, token, client=None, secret=None):
        r = introspect(self.realm, client or self.client,
                       secret or self.secret, token)
        self.assertStatus(r, 200)
        return r.json["active"]

    # -- issue and rotation

    def test_code_exchange_issues_refresh_token_only_when_allowed(self):
        body, _ = self.tokens()
        self.assertGreaterEqual(len(body["refresh_token"]), 43)
        no, no_secret = refresh_client(self.realm,
                                       grants=("authorization_code",))
        code, _ = self.sign_in(client=no)
        r = self.exchange(code, client=no, secret=no_secret)
        self.assertStatus(r, 200)
        self.assertNotIn("refresh_token", r.json)
        r = self.refresh("x" * 43, client=no, secret=no_secret)
        self.assertOAuthError(r, 400, "unauthorized_client")

    def test_refresh_rotates_and_issues_fresh_tokens(self):
        body, _ = self.tokens()
        jwks = ac.fetch_jwks(self.realm)
        _, first_id = ac.verify_jws(body["id_token"], jwks)
        r = self.refresh(body["refresh_token"])
        self.assertStatus(r, 200)
        self.assertIn("no-store", r.header("Cache-Control") or "")
        new = r.json
        self.assertNotEqual(new["refresh_token"], body["refresh_token"])
        self.assertNotEqual(new["access_token"], body["access_token"])
        self.assertEqual(new["token_type"], "Bearer")
        self.assertEqual(new["scope"], "openid profile")
        h, at = ac.verify_jws(new["access_token"], jwks)
        self.assertEqual(h["typ"], "at+jwt")
        self.assertEqual(at["sub"], self.user["id"])
        self.assertEqual(at["client_id"], self.client)
        self.assertEqual(at["sid"], first_id["sid"])
        _, idt = ac.verify_jws(new["id_token"], jwks)
        self.assertEqual(idt["sub"], first_id["sub"])
        self.assertEqual(idt["aud"], self.client)
        self.assertEqual(idt["auth_time"], first_id["auth_time"])
        self.assertEqual(idt["sid"], first_id["sid"])
        self.assertNotIn("nonce", idt)
        self.assertEqual(idt["preferred_username"], self.user["username"])
        # the new one works in turn
        r = self.refresh(new["refresh_token"])
        self.assertStatus(r, 200)

    def test_reuse_revokes_the_family(self):
        body, _ = self.tokens()
        old = body["refresh_token"]
        r = self.refresh(old)
        self.assertStatus(r, 200)
        second = r.json
        self.assertTrue(self.active(second["access_token"]))
        self.assertTrue(self.active(second["refresh_token"]))
        r = self.refresh(old)
        self.assertOAuthError(r, 400, "invalid_grant")
        self.assertIn("already used", r.json["error_description"])
        # the attacker's or the client's newer token is dead too, and so
        # are the access tokens issued with the family
        self.assertOAuthError(self.refresh(second["refresh_token"]), 400,
                              "invalid_grant")
        self.assertFalse(self.active(second["refresh_token"]))
        self.assertFalse(self.active(second["access_token"]))
        self.assertFalse(self.active(body["access_token"]))
        ev = ac.admin("GET", "/realms/%s/events?type=refresh_token.reuse"
                      % self.realm)
        self.assertStatus(ev, 200)
        self.assertGreaterEqual(ev.json["total"], 1)

    def test_bound_to_the_client(self):
        body, _ = self.tokens()
        r = self.refresh(body["refresh_token"], client=self.other,
                         secret=self.other_secret)
        self.assertOAuthError(r, 400, "invalid_grant")
        # not a reuse: the owner may still use it
        self.assertStatus(self.refresh(body["refresh_token"]), 200)

    def test_scope_may_narrow_not_widen(self):
        body, _ = self.tokens(scope="openid profile email")
        r = self.refresh(body["refresh_token"], scope="openid")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["scope"], "openid")
        at = ac.jose_payload_unverified(r.json["access_token"])
        self.assertEqual(at["scope"], "openid")
        # the new refresh token keeps the original scope (RFC 6749 §6)
        r = self.refresh(r.json["refresh_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["scope"], "openid profile email")
        r = self.refresh(r.json["refresh_token"], scope="openid admin")
        self.assertOAuthError(r, 400, "invalid_scope")
        self.assertIn("admin", r.json["error_description"])

    def test_bad_requests(self):
        r = self.refresh(None)
        self.assertOAuthError(r, 400, "invalid_request")
        self.assertIn("refresh_token", r.json["error_description"])
        r = self.refresh("not-a-token")
        self.assertOAuthError(r, 400, "invalid_grant")
        r = self.refresh("x", secret="wrong")
        self.assertOAuthError(r, 401, "invalid_client")
        # an access token is not a refresh token
        body, _ = self.tokens()
        self.assertOAuthError(self.refresh(body["access_token"]), 400,
                              "invalid_grant")

    def test_consumer_cannot_refresh(self):
        cid, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        r = self.refresh("x" * 43, client=cid, secret=secret)
        self.assertOAuthError(r, 400, "unauthorized_client")

    def test_disabled_user_cannot_refresh(self):
        u = ac.user_with_password(self.realm, PW)
        code, _ = self.sign_in(user=u)
        body = self.exchange(code).json
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"enabled": False})
        self.assertStatus(r, 200)
        self.assertOAuthError(self.refresh(body["refresh_token"]), 400,
                              "invalid_grant")

    def test_public_client_refreshes_with_client_id(self):
        pub, _ = refresh_client(self.realm, ctype="public")
        verifier, challenge = ac.pkce_pair()
        code, _ = self.sign_in(client=pub, code_challenge=challenge,
                               code_challenge_method="S256")
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": CB, "client_id": pub,
                "code_verifier": verifier}
        r = ac.token_request(self.realm, method=None, params=form)
        self.assertStatus(r, 200)
        r = self.refresh(r.json["refresh_token"], client=pub, method=None)
        self.assertStatus(r, 200)
        self.assertIn("refresh_token", r.json)
        # another client's id does not open it
        r = self.refresh(r.json["refresh_token"], client=self.other,
                         method=None)
        self.assertOAuthError(r, 401, "invalid_client")

    # -- sessions

    def test_session_bound_dies_with_session_offline_survives(self):
        u = ac.user_with_password(self.realm, PW)
        bound, jar = self.tokens(user=u)
        code, _ = self.sign_in(user=u, jar=jar,
                               scope="openid offline_access")
        off = self.exchange(code)
        self.assertStatus(off, 200)
        off = off.json
        self.assertIn("offline_access", off["scope"])
        r = introspect(self.realm, self.client, self.secret,
                       off["refresh_token"])
        self.assertTrue(r.json["active"])
        self.assertTrue(r.json["offline"])
        r = ac.admin("DELETE", ac.users_path(self.realm, u["id"],
                                             "sessions"))
        self.assertIn(r.status, (200, 204), repr(r))
        self.assertOAuthError(self.refresh(bound["refresh_token"]), 400,
                              "invalid_grant")
        r = self.refresh(off["refresh_token"])
        self.assertStatus(r, 200)
        # an offline token's access tokens name no session
        at = ac.jose_payload_unverified(r.json["access_token"])
        self.assertNotIn("sid", at)
        self.assertStatus(self.refresh(r.json["refresh_token"]), 200)

    # -- code replay (RFC 9700 §4.5)

    def test_code_replay_revokes_what_the_code_issued(self):
        code, _ = self.sign_in()
        first = self.exchange(code)
        self.assertStatus(first, 200)
        first = first.json
        self.assertTrue(self.active(first["access_token"]))
        r = self.exchange(code)
        self.assertOAuthError(r, 400, "invalid_grant")
        self.assertFalse(self.active(first["access_token"]))
        self.assertFalse(self.active(first["refresh_token"]))
        self.assertOAuthError(self.refresh(first["refresh_token"]), 400,
                              "invalid_grant")
        ev = ac.admin("GET", "/realms/%s/events?type=code.replay"
                      % self.realm)
        self.assertGreaterEqual(ev.json["total"], 1)

    def test_code_replay_after_rotation_revokes_the_family(self):
        code, _ = self.sign_in()
        first = self.exchange(code).json
        r = self.refresh(first["refresh_token"])
        self.assertStatus(r, 200)
        rotated = r.json
        self.assertOAuthError(self.exchange(code), 400, "invalid_grant")
        self.assertFalse(self.active(rotated["refresh_token"]))
        self.assertFalse(self.active(rotated["access_token"]))

    # -- revoke and introspect

    def test_revoke_refresh_token_revokes_family(self):
        body, _ = self.tokens()
        r = self.refresh(body["refresh_token"])
        newer = r.json
        # another client cannot revoke it (answer 200, no change)
        r = revoke(self.realm, self.other, self.other_secret,
                   newer["refresh_token"])
        self.assertStatus(r, 200)
        self.assertTrue(self.active(newer["refresh_token"]))
        r = revoke(self.realm, self.client, self.secret,
                   newer["refresh_token"],
                   extra=[("token_type_hint", "refresh_token")])
        self.assertStatus(r, 200)
        self.assertOAuthError(self.refresh(newer["refresh_token"]), 400,
                              "invalid_grant")
        self.assertFalse(self.active(newer["access_token"]))
        # the hint does not stop the search (RFC 7009 §2.1)
        body, _ = self.tokens()
        r = revoke(self.realm, self.client, self.secret,
                   body["refresh_token"],
                   extra=[("token_type_hint", "access_token")])
        self.assertStatus(r, 200)
        self.assertFalse(self.active(body["refresh_token"]))

    def test_introspect_refresh_token(self):
        body, _ = self.tokens()
        r = introspect(self.realm, self.client, self.secret,
                       body["refresh_token"])
        self.assertStatus(r, 200)
        j = r.json
        self.assertTrue(j["active"])
        self.assertEqual(j["client_id"], self.client)
        self.assertEqual(j["sub"], self.user["id"])
        self.assertEqual(j["scope"], "openid profile")
        self.assertEqual(j["iss"], ac.issuer(self.realm))
        self.assertGreater(j["exp"], time.time())
        self.assertFalse(j["offline"])
        # only its client sees it active
        self.assertFalse(self.active(body["refresh_token"], self.other,
                                     self.other_secret))
        self.refresh(body["refresh_token"])
        self.assertFalse(self.active(body["refresh_token"]))

    def test_discovery_lists_the_grant(self):
        d = ac.get("/realms/%s/.well-known/openid-configuration"
                   % self.realm).json
        self.assertIn("refresh_token", d["grant_types_supported"])


class RefreshSettingsTest(AuthioTestCase):
    """Lifetimes and the grace window come from settings/tokens."""

    def setUp(self):
        self.realm, _ = ac.create_realm(self)
        self.client, self.secret = refresh_client(self.realm)
        self.user = ac.user_with_password(self.realm, PW)
        self.t = RefreshTest("test_discovery_lists_the_grant")
        self.t.realm, self.t.client, self.t.secret = \
            self.realm, self.client, self.secret
        self.t.user = self.user

    def settings(self, **doc):
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % self.realm, doc)
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()

    def test_grace_window_allows_a_concurrent_refresh(self):
        self.settings(refreshReuseGraceSeconds=30)
        body, _ = self.t.tokens()
        a = self.t.refresh(body["refresh_token"])
        b = self.t.refresh(body["refresh_token"])
        self.assertStatus(a, 200)
        self.assertStatus(b, 200)
        # nothing was revoked: both successors work
        self.assertStatus(self.t.refresh(a.json["refresh_token"]), 200)
        self.assertStatus(self.t.refresh(b.json["refresh_token"]), 200)

    def test_idle_expiry(self):
        self.settings(refreshTokenIdle=1, refreshTokenMax=60)
        body, _ = self.t.tokens()
        time.sleep(2.1)
        r = self.t.refresh(body["refresh_token"])
        self.assertOAuthError(r, 400, "invalid_grant")
        self.assertIn("expired", r.json["error_description"])

    def test_absolute_expiry_caps_rotation(self):
        self.settings(refreshTokenIdle=3, refreshTokenMax=3)
        body, _ = self.t.tokens()
        time.sleep(1.5)
        r = self.t.refresh(body["refresh_token"])
        self.assertStatus(r, 200)
        # idle alone would allow 3 s more; the family ends first
        time.sleep(1.8)
        r = self.t.refresh(r.json["refresh_token"])
        self.assertOAuthError(r, 400, "invalid_grant")

    def test_id_token_left_out_of_refreshes_when_off(self):
        self.settings(idTokenOnRefresh=False)
        body, _ = self.t.tokens()
        self.assertIn("id_token", body)        # the sign-in keeps its own
        r = self.t.refresh(body["refresh_token"])
        self.assertStatus(r, 200)
        self.assertNotIn("id_token", r.json)
        self.assertIn("access_token", r.json)
        self.assertIn("refresh_token", r.json)
        # a client's tokenSettings turns it back on for that client
        on, on_secret = refresh_client(
            self.realm, tokenSettings={"idTokenOnRefresh": True})
        code, _ = self.t.sign_in(client=on)
        body = self.t.exchange(code, client=on, secret=on_secret).json
        r = self.t.refresh(body["refresh_token"], client=on,
                           secret=on_secret)
        self.assertStatus(r, 200)
        self.assertIn("id_token", r.json)

    def test_id_token_on_refresh_must_be_a_boolean(self):
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % self.realm,
                     {"idTokenOnRefresh": "no"})
        self.assertStatus(r, 400)
        self.assertIn("idTokenOnRefresh", r.text)


if __name__ == "__main__":
    unittest.main()
