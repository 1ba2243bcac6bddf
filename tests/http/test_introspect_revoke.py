"""Token introspection (RFC 7662) and revocation (RFC 7009): the answers
for valid, expired, revoked, foreign and garbage tokens, client
authentication, the Keycloak-style aliases, and that a revoked master
token no longer opens the admin API."""

import time

import authio_client as ac


def introspect(realm, client_id, secret, token, method="basic",
               path="/introspect", extra=None):
    form = [] if token is None else [("token", token)]
    form += list(extra or [])
    headers = {}
    if method == "basic":
        headers["Authorization"] = ac.basic_auth(client_id, secret)
    elif method == "post":
        form += [("client_id", client_id), ("client_secret", secret)]
    return ac.request("POST", "/realms/%s%s" % (ac.quote(realm), path),
                      form=form, headers=headers)


def revoke(realm, client_id, secret, token, path="/revoke", extra=None):
    return introspect(realm, client_id, secret, token, path=path,
                      extra=extra)


def token_of(tc, realm, client_id, secret):
    r = ac.token_request(realm, client_id, secret)
    tc.assertStatus(r, 200)
    return r.json["access_token"]


class IntrospectTest(ac.RealmTestCase):
    fixture = "secret"

    def active(self, r):
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertIsInstance(body.get("active"), bool, body)
        return body

    def assertInactive(self, r):
        body = self.active(r)
        self.assertEqual(body, {"active": False})

    def test_valid_token_is_active_with_its_claims(self):
        token = token_of(self, self.realm, self.client, self.secret)
        _, claims = ac.verify_jws(token, ac.fetch_jwks(self.realm))
        for method in ("basic", "post"):
            body = self.active(introspect(self.realm, self.client,
                                          self.secret, token, method))
            self.assertIs(body["active"], True)
            for k in ("scope", "client_id", "sub", "aud", "iss", "exp",
                      "iat", "jti", "realm_access"):
                self.assertEqual(body.get(k), claims.get(k), k)
            self.assertEqual(body.get("token_type"), "Bearer")
            self.assertEqual(body["client_id"], self.client)
            self.assertEqual(body["iss"], ac.issuer(self.realm))

    def test_hint_is_accepted(self):
        token = token_of(self, self.realm, self.client, self.secret)
        for hint in ("access_token", "refresh_token", "bogus"):
            body = self.active(introspect(
                self.realm, self.client, self.secret, token,
                extra=[("token_type_hint", hint)]))
            self.assertIs(body["active"], True, hint)

    def test_another_client_of_the_realm_may_introspect(self):
        other, _ = ac.create_client(self.realm)
        osecret, _ = ac.create_secret(self.realm, other)
        token = token_of(self, self.realm, self.client, self.secret)
        body = self.active(introspect(self.realm, other, osecret, token))
        self.assertIs(body["active"], True)
        self.assertEqual(body["client_id"], self.client)

    def test_consumer_token_and_consumer_caller(self):
        cid, _ = ac.create_consumer(self.realm)
        csecret, _ = ac.create_consumer_secret(self.realm, cid)
        token = token_of(self, self.realm, cid, csecret)
        body = self.active(introspect(self.realm, cid, csecret, token))
        self.assertIs(body["active"], True)
        self.assertEqual(body["client_id"], cid)
        self.assertEqual(body["sub"], cid)

    def test_garbage_is_inactive(self):
        real = token_of(self, self.realm, self.client, self.secret)
        h, p, s = real.split(".")
        flipped = s[:-2] + ("AA" if s[-2:] != "AA" else "BB")
        for bad in ("garbage", "a.b.c", real + "x", h + "." + p + "." +
                    flipped, h + "." + p + ".", "x" * 8000,
                    ac.b64url(b'{"alg":"none","typ":"at+jwt"}') + "." + p
                    + "."):
            self.assertInactive(introspect(self.realm, self.client,
                                           self.secret, bad))

    def test_token_of_another_realm_is_inactive(self):
        other_realm, client, secret = ac.realm_with_client(self)
        token = token_of(self, other_realm, client, secret)
        self.assertInactive(introspect(self.realm, self.client, self.secret,
                                       token))
        # and the master admin token is nothing here either
        self.assertInactive(introspect(self.realm, self.client, self.secret,
                                       ac.admin_token()))

    def test_missing_token_is_400(self):
        r = introspect(self.realm, self.client, self.secret, None)
        self.assertOAuthError(r, 400, "invalid_request")
        r = introspect(self.realm, self.client, self.secret, "")
        self.assertOAuthError(r, 400, "invalid_request")

    def test_repeated_parameter_is_400(self):
        token = token_of(self, self.realm, self.client, self.secret)
        r = introspect(self.realm, self.client, self.secret, token,
                       extra=[("token", token)])
        self.assertOAuthError(r, 400, "invalid_request")

    def test_bad_client_auth_is_401(self):
        token = token_of(self, self.realm, self.client, self.secret)
        for cid, sec, method in ((self.client, "wrong", "basic"),
                                 (self.client, "wrong", "post"),
                                 ("nobody", self.secret, "basic"),
                                 (None, None, None)):
            r = introspect(self.realm, cid, sec, token, method)
            self.assertOAuthError(r, 401, "invalid_client")
            self.assertNotIn("active", r.json)

    def test_public_client_cannot_introspect(self):
        pub, _ = ac.create_client(self.realm, ctype="public",
                                  grant_types=("authorization_code",),
                                  extra={"redirectUris":
                                         ["https://app.example/cb"]})
        token = token_of(self, self.realm, self.client, self.secret)
        r = ac.request("POST", "/realms/%s/introspect" % self.realm,
                       form={"token": token, "client_id": pub})
        self.assertOAuthError(r, 401, "invalid_client")

    def test_unknown_realm(self):
        r = introspect("no-such-realm-x", self.client, self.secret, "t")
        self.assertEqual(r.status, 404, r)

    def test_alias(self):
        token = token_of(self, self.realm, self.client, self.secret)
        body = self.active(introspect(
            self.realm, self.client, self.secret, token,
            path="/protocol/openid-connect/token/introspect"))
        self.assertIs(body["active"], True)

    def test_get_is_not_allowed(self):
        r = ac.request("GET", "/realms/%s/introspect" % self.realm)
        self.assertIn(r.status, (404, 405), r)


class ExpiryTest(ac.AuthioTestCase):
    def test_expired_token_is_inactive_and_cannot_be_revoked(self):
        realm, client, secret = ac.realm_with_client(self)
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                     {"accessTokenLifetime": 1})
        self.assertIn(r.status, (200, 204), r)
        ac.settle()
        r = ac.token_request(realm, client, secret)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["expires_in"], 1)
        token = r.json["access_token"]
        time.sleep(2.2)
        r = introspect(realm, client, secret, token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"active": False})
        r = revoke(realm, client, secret, token)
        self.assertStatus(r, 200)

    def test_expired_revocations_are_purged(self):
        if not ac.db_available():
            self.skipTest("no database access")
        realm, client, secret = ac.realm_with_client(self)
        self.assertIn(ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                               {"accessTokenLifetime": 1}).status,
                      (200, 204))
        ac.settle()
        short = token_of(self, realm, client, secret)
        self.assertStatus(revoke(realm, client, secret, short), 200)
        jti = ac.jose_payload_unverified(short)["jti"]
        count = ("SELECT COUNT(*) FROM revoked_tokens WHERE jti = %s"
                 % ac.sql_str(jti))
        self.assertEqual(ac.db_scalar(count), "1")
        time.sleep(2.2)
        # the next revocation (any realm) drops rows of expired tokens
        realm2, client2, secret2 = ac.realm_with_client(self)
        self.assertStatus(revoke(realm2, client2, secret2, token_of(
            self, realm2, client2, secret2)), 200)
        self.assertEqual(ac.db_scalar(count), "0")


class RevokeTest(ac.RealmTestCase):
    fixture = "secret"

    def is_active(self, token):
        r = introspect(self.realm, self.client, self.secret, token)
        self.assertStatus(r, 200)
        return r.json["active"]

    def test_revoke_own_token(self):
        token = token_of(self, self.realm, self.client, self.secret)
        other = token_of(self, self.realm, self.client, self.secret)
        self.assertTrue(self.is_active(token))
        r = revoke(self.realm, self.client, self.secret, token)
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertFalse(self.is_active(token))
        # only that jti: the client's other token lives on
        self.assertTrue(self.is_active(other))
        # revoking again is fine
        self.assertStatus(revoke(self.realm, self.client, self.secret,
                                 token), 200)
        if ac.db_available():
            jti = ac.jose_payload_unverified(token)["jti"]
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM revoked_tokens WHERE jti = %s"
                % ac.sql_str(jti)), "1")

    def test_alias_and_hint(self):
        token = token_of(self, self.realm, self.client, self.secret)
        r = revoke(self.realm, self.client, self.secret, token,
                   path="/protocol/openid-connect/revoke",
                   extra=[("token_type_hint", "access_token")])
        self.assertStatus(r, 200)
        self.assertFalse(self.is_active(token))

    def test_another_client_cannot_revoke(self):
        other, _ = ac.create_client(self.realm)
        osecret, _ = ac.create_secret(self.realm, other)
        token = token_of(self, self.realm, self.client, self.secret)
        r = revoke(self.realm, other, osecret, token)
        self.assertStatus(r, 200)
        self.assertTrue(self.is_active(token))

    def test_consumer_revokes_its_own_token_only(self):
        cid, _ = ac.create_consumer(self.realm)
        csecret, _ = ac.create_consumer_secret(self.realm, cid)
        mine = token_of(self, self.realm, cid, csecret)
        theirs = token_of(self, self.realm, self.client, self.secret)
        self.assertStatus(revoke(self.realm, cid, csecret, theirs), 200)
        self.assertTrue(self.is_active(theirs))
        self.assertStatus(revoke(self.realm, cid, csecret, mine), 200)
        self.assertFalse(self.is_active(mine))

    def test_unknown_and_invalid_tokens_are_200(self):
        for bad, hint in (("garbage", None), ("a.b.c", "access_token"),
                          (ac._secrets.token_urlsafe(32), "refresh_token"),
                          ("whatever", "unsupported_hint")):
            extra = [("token_type_hint", hint)] if hint else []
            r = revoke(self.realm, self.client, self.secret, bad,
                       extra=extra)
            self.assertStatus(r, 200)

    def test_token_of_another_realm_is_not_revoked(self):
        other_realm, client, secret = ac.realm_with_client(self)
        token = token_of(self, other_realm, client, secret)
        self.assertStatus(revoke(self.realm, self.client, self.secret,
                                 token), 200)
        r = introspect(other_realm, client, secret, token)
        self.assertIs(r.json["active"], True)

    def test_missing_token_and_bad_auth(self):
        r = revoke(self.realm, self.client, self.secret, None)
        self.assertOAuthError(r, 400, "invalid_request")
        token = token_of(self, self.realm, self.client, self.secret)
        r = revoke(self.realm, self.client, "wrong", token)
        self.assertOAuthError(r, 401, "invalid_client")
        self.assertTrue(self.is_active(token))


class RevokedAdminTokenTest(ac.AuthioTestCase):
    def test_revoked_admin_token_is_refused_by_the_admin_api(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"])
        self.assertStatus(r, 200)
        token = r.json["access_token"]
        self.assertStatus(ac.admin("GET", "/realms", token=token), 200)
        r = revoke("master", c["client_id"], c["client_secret"], token)
        self.assertStatus(r, 200)
        r = ac.admin("GET", "/realms", token=token)
        self.assertStatus(r, 401)
        self.assertIn("revoked", r.header("WWW-Authenticate", ""))
        # the shared helper's token is another jti and still works
        self.assertStatus(ac.admin("GET", "/realms"), 200)


class DiscoveryTest(ac.AuthioTestCase):
    def test_discovery_lists_the_endpoints(self):
        realm, _ = ac.create_realm(self)
        r = ac.get("/realms/%s/.well-known/openid-configuration" % realm)
        self.assertStatus(r, 200)
        doc = r.json
        iss = ac.issuer(realm)
        self.assertEqual(doc["introspection_endpoint"], iss + "/introspect")
        self.assertEqual(doc["revocation_endpoint"], iss + "/revoke")
        for k in ("introspection_endpoint_auth_methods_supported",
                  "revocation_endpoint_auth_methods_supported",
                  "token_endpoint_auth_methods_supported"):
            self.assertIn("client_secret_basic", doc[k], k)
            self.assertIn("client_secret_post", doc[k], k)
        # public clients authenticate nowhere but at /token (code flow)
        for k in ("introspection_endpoint_auth_methods_supported",
                  "revocation_endpoint_auth_methods_supported"):
            self.assertNotIn("none", doc[k], k)
        self.assertIn("none", doc["token_endpoint_auth_methods_supported"])
