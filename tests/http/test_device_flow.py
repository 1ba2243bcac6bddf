"""The device authorization grant, RFC 8628 (issue 4): the
device_authorization endpoint (and Keycloak's auth/device alias), polling
/token with authorization_pending, slow_down, access_denied, expired_token
and single use, and the verification page a person uses over plain HTTP:
code entry, sign-in, approval with CSRF, denial, wrong codes and their
rate limit."""

import re
import time
import unittest
import urllib.parse

import authio_client as ac
from authio_client import AuthioTestCase

GRANT = "urn:ietf:params:oauth:grant-type:device_code"
PW = "correct horse battery"
USER_CODE = re.compile(r"^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")


def device_client(realm, ctype="confidential", grants=(GRANT,), **extra):
    """A client registered for the device grant; (clientId, secret)."""
    body = {"defaultScopes": ["openid", "profile"],
            "optionalScopes": ["email"]}
    if ctype == "public":
        body["tokenEndpointAuthMethod"] = "none"
    body.update(extra)
    cid, _ = ac.create_client(realm, grant_types=grants, ctype=ctype,
                              extra=body)
    secret = ac.create_secret(realm, cid)[0] if ctype != "public" else None
    return cid, secret


def client_form(cid, secret, form, path):
    """POSTs form as cid: Basic for a confidential client, client_id alone
    for a public one."""
    hdrs = {}
    form = dict(form)
    if secret is None:
        form["client_id"] = cid
    else:
        hdrs["Authorization"] = ac.basic_auth(cid, secret)
    return ac.request("POST", path, form=form, headers=hdrs)


class DeviceFlowTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.dev, cls.dev_secret = device_client(cls.realm,
                                                name="<i>Living room TV</i>")
        cls.other, cls.other_secret = device_client(cls.realm)
        cls.pub, _ = device_client(cls.realm, ctype="public")
        cls.nogrant, cls.nogrant_secret = device_client(
            cls.realm, grants=("client_credentials",))
        cls.user = ac.user_with_password(
            cls.realm, PW, email=ac.unique("d") + "@ex.org",
            firstName="Grace", lastName="Hopper")

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    # ------------------------------------------------------------ device

    def authorize(self, cid=None, secret=None, realm=None, path=None,
                  **form):
        realm = realm or self.realm
        if cid is None:
            cid, secret = self.dev, self.dev_secret
        path = path or "/realms/%s/device_authorization" % ac.quote(realm)
        return client_form(cid, secret, form, path)

    def started(self, cid=None, secret=None, realm=None, **form):
        r = self.authorize(cid, secret, realm, **form)
        self.assertStatus(r, 200)
        return self.assertJson(r)

    def poll(self, device_code, cid=None, secret=None, realm=None):
        if cid is None:
            cid, secret = self.dev, self.dev_secret
        return client_form(cid, secret,
                           {"grant_type": GRANT, "device_code": device_code},
                           "/realms/%s/token" % ac.quote(realm or self.realm))

    # ----------------------------------------------------------- browser

    def page(self, method, url, jar, form=None):
        hdrs = dict(ac.HTML_ACCEPT)
        if jar:
            hdrs["Cookie"] = ac.cookie_header(jar)
        r = ac.request(method, url, form=form, headers=hdrs)
        ac.cookies_from(r, jar)
        return r

    def entry_form(self, jar, realm=None, query=None):
        url = "/realms/%s/device" % ac.quote(realm or self.realm)
        if query is not None:
            url += "?" + urllib.parse.urlencode(query)
        r = self.page("GET", url, jar)
        self.assertStatus(r, 200)
        forms = ac.parse_forms(r.text)
        self.assertEqual(len(forms), 1, r.text)
        return forms[0]

    def enter_code(self, jar, user_code, realm=None):
        """Types user_code on the verification page; the answer."""
        form = self.entry_form(jar, realm)
        fields = dict(form["fields"], user_code=user_code)
        return self.page("POST", form["action"], jar, fields)

    def approval_form(self, r):
        self.assertStatus(r, 200)
        forms = ac.parse_forms(r.text)
        self.assertEqual(len(forms), 1, r.text)
        self.assertTrue(forms[0]["action"].endswith("/login-actions/device"),
                        forms[0])
        return forms[0]

    def signed_in_approval(self, jar, user_code, user=None, realm=None):
        """Enters the code without a session, signs in; the approval
        form."""
        r = self.enter_code(jar, user_code, realm)
        self.assertStatus(r, 200)
        login = ac.parse_forms(r.text)[0]
        self.assertTrue(login["action"].endswith("/login-actions/authenticate"))
        r = ac.submit_login(login, jar, (user or self.user)["username"], PW)
        return self.approval_form(r)

    def decide(self, form, jar, decision, drop=()):
        fields = dict(form["fields"], decision=decision)
        for k in drop:
            fields.pop(k, None)
        return self.page("POST", form["action"], jar, fields)

    # ------------------------------------------------------------- tests

    def test_authorization_response(self):
        r = self.authorize(scope="openid email")
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertRegex(body["user_code"], USER_CODE)
        self.assertGreaterEqual(len(body["device_code"]), 43)
        issuer = ac.issuer(self.realm)
        self.assertEqual(body["verification_uri"], issuer + "/device")
        self.assertEqual(body["verification_uri_complete"],
                         issuer + "/device?user_code=" + body["user_code"])
        self.assertEqual(body["expires_in"], 600)
        self.assertEqual(body["interval"], 5)
        # the code is stored only as its hash
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM device_codes WHERE device_code_hash = %s"
                % ac.sql_str(ac.sha256_hex(body["device_code"]))), "1")

    def test_user_codes_differ_and_use_the_alphabet(self):
        codes = {self.started()["user_code"] for _ in range(5)}
        self.assertEqual(len(codes), 5)
        for c in codes:
            self.assertRegex(c, USER_CODE)

    def test_full_flow_confidential_client(self):
        d = self.started(scope="openid profile email")
        r = self.poll(d["device_code"])
        self.assertOAuthError(r, 400, "authorization_pending")
        jar = {}
        # verification_uri_complete prefills the code
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
            d["verification_uri_complete"]).query))
        form = self.entry_form(jar, query=query)
        self.assertEqual(form["fields"]["user_code"], d["user_code"])
        r = self.page("POST", form["action"], jar, form["fields"])
        self.assertStatus(r, 200)
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        self.assertIn("frame-ancestors 'none'",
                      r.header("Content-Security-Policy"))
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar,
                            self.user["username"], PW)
        form = self.approval_form(r)
        self.assertIn(d["user_code"], r.text)
        self.assertIn("&lt;i&gt;Living room TV&lt;/i&gt;", r.text)
        self.assertNotIn("<i>Living room TV</i>", r.text)
        for scope in ("openid", "profile", "email"):
            self.assertIn('<li class="scope">%s</li>' % scope, r.text)
        r = self.decide(form, jar, "approve")
        self.assertStatus(r, 200)
        self.assertIn("return to your device", r.text)
        self.assertIn('data-result="approved"', r.text)
        r = self.poll(d["device_code"])
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(body["token_type"], "Bearer")
        self.assertEqual(body["scope"], "openid profile email")
        jwks = ac.fetch_jwks(self.realm)
        _, at = ac.verify_jws(body["access_token"], jwks)
        self.assertEqual(at["sub"], self.user["id"])
        self.assertEqual(at["client_id"], self.dev)
        self.assertEqual(at["scope"], "openid profile email")
        _, idt = ac.verify_jws(body["id_token"], jwks)
        self.assertEqual(idt["iss"], ac.issuer(self.realm))
        self.assertEqual(idt["aud"], self.dev)
        self.assertEqual(idt["azp"], self.dev)
        self.assertEqual(idt["sub"], self.user["id"])
        self.assertEqual(idt["sid"], at["sid"])
        self.assertEqual(idt["email"], self.user["email"])
        self.assertEqual(idt["name"], "Grace Hopper")
        self.assertLessEqual(idt["auth_time"], idt["iat"])
        self.assertGreater(idt["auth_time"], time.time() - 120)
        self.assertNotIn("nonce", idt)
        self.assertIn("at_hash", idt)
        # exactly once
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "invalid_grant")
        # the code cannot be entered again
        r = self.enter_code(jar, d["user_code"])
        self.assertStatus(r, 400)
        self.assertIn("not valid or has expired", r.text)

    def test_public_client_and_existing_session(self):
        d1 = self.started(self.pub, None, scope="openid")
        self.assertOAuthError(self.poll(d1["device_code"], self.pub, None),
                              400, "authorization_pending")
        jar = {}
        form = self.signed_in_approval(jar, d1["user_code"])
        self.assertStatus(self.decide(form, jar, "approve"), 200)
        r = self.poll(d1["device_code"], self.pub, None)
        self.assertStatus(r, 200)
        self.assertIn("id_token", r.json)
        # signed in already: a second code goes straight to approval,
        # typed in lower case without its dash
        d2 = self.started(self.pub, None)
        r = self.enter_code(jar, d2["user_code"].replace("-", "").lower())
        form = self.approval_form(r)
        self.assertStatus(self.decide(form, jar, "approve"), 200)
        r = self.poll(d2["device_code"], self.pub, None)
        self.assertStatus(r, 200)
        _, at = ac.verify_jws(r.json["access_token"],
                              ac.fetch_jwks(self.realm))
        self.assertEqual(at["sub"], self.user["id"])
        self.assertEqual(at["scope"], "openid profile")

    def test_deny(self):
        d = self.started()
        jar = {}
        form = self.signed_in_approval(jar, d["user_code"])
        r = self.decide(form, jar, "deny")
        self.assertStatus(r, 200)
        self.assertIn("Access denied", r.text)
        self.assertIn('data-result="denied"', r.text)
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "access_denied")
        # decided: approving afterwards is refused
        r = self.decide(form, jar, "approve")
        self.assertStatus(r, 400)
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "access_denied")

    def test_slow_down_and_interval_grows(self):
        d = self.started()
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "authorization_pending")
        r = self.poll(d["device_code"])
        self.assertOAuthError(r, 400, "slow_down")
        self.assertIn("10 seconds", r.json["error_description"])
        # the original interval is no longer enough: it grew to 10 s
        time.sleep(6)
        r = self.poll(d["device_code"])
        self.assertOAuthError(r, 400, "slow_down")
        self.assertIn("15 seconds", r.json["error_description"])

    def test_wrong_client_gets_invalid_grant(self):
        d = self.started()
        self.assertOAuthError(
            self.poll(d["device_code"], self.other, self.other_secret),
            400, "invalid_grant")
        self.assertOAuthError(self.poll(d["device_code"], self.pub, None),
                              400, "invalid_grant")
        # still pending for its own client
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "authorization_pending")

    def test_unknown_or_missing_device_code(self):
        self.assertOAuthError(self.poll(ac.unique("nope") * 3), 400,
                              "invalid_grant")
        r = client_form(self.dev, self.dev_secret, {"grant_type": GRANT},
                        "/realms/%s/token" % self.realm)
        self.assertOAuthError(r, 400, "invalid_request")

    def test_client_without_the_grant(self):
        r = self.authorize(self.nogrant, self.nogrant_secret)
        self.assertOAuthError(r, 400, "unauthorized_client")
        d = self.started()
        self.assertOAuthError(
            self.poll(d["device_code"], self.nogrant, self.nogrant_secret),
            400, "unauthorized_client")

    def test_client_authentication_and_scope(self):
        r = self.authorize(self.dev, "wrong-secret")
        self.assertOAuthError(r, 401, "invalid_client")
        r = client_form(self.dev, None, {}, "/realms/%s/device_authorization"
                        % self.realm)
        self.assertOAuthError(r, 401, "invalid_client")
        r = self.authorize(scope="openid admin")
        self.assertOAuthError(r, 400, "invalid_scope")
        self.assertIn("admin", r.json["error_description"])

    def test_keycloak_alias(self):
        r = self.authorize(path="/realms/%s/protocol/openid-connect/auth/device"
                           % self.realm)
        self.assertStatus(r, 200)
        self.assertRegex(r.json["user_code"], USER_CODE)
        self.assertOAuthError(self.poll(r.json["device_code"]), 400,
                              "authorization_pending")

    def test_discovery(self):
        doc = ac.get("/realms/%s/.well-known/openid-configuration"
                     % self.realm).json
        self.assertEqual(doc["device_authorization_endpoint"],
                         ac.issuer(self.realm) + "/device_authorization")
        self.assertIn(GRANT, doc["grant_types_supported"])

    def test_unknown_user_code_on_the_page(self):
        jar = {}
        for typed in ("BBBB-BBBB", "AEIO-U123", "", "x" * 200):
            with self.subTest(typed=typed[:20]):
                r = self.enter_code(jar, typed)
                self.assertStatus(r, 400)
                self.assertIn("not valid or has expired", r.text)
                # the form is shown again
                self.assertEqual(len(ac.parse_forms(r.text)), 1)

    def test_csrf_missing_on_code_entry(self):
        d = self.started()
        jar = {}
        form = self.entry_form(jar)
        fields = dict(form["fields"], user_code=d["user_code"])
        del fields["csrf"]
        r = self.page("POST", form["action"], jar, fields)
        self.assertStatus(r, 403)
        self.assertNotIn("login-actions", r.text)

    def test_csrf_missing_on_approve(self):
        d = self.started()
        jar = {}
        form = self.signed_in_approval(jar, d["user_code"])
        r = self.decide(form, jar, "approve", drop=("csrf",))
        self.assertStatus(r, 403)
        # a wrong cookie is refused as well
        bad = dict(jar, AUTHIO_CSRF="x" * 43)
        r = self.decide(form, bad, "approve")
        self.assertStatus(r, 403)
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "authorization_pending")
        # the real form still works
        self.assertStatus(self.decide(form, jar, "approve"), 200)

    def test_disabled_user_cannot_approve(self):
        u = ac.user_with_password(self.realm, PW)
        d = self.started()
        jar = {}
        form = self.signed_in_approval(jar, d["user_code"], user=u)
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"enabled": False})
        self.assertIn(r.status, (200, 204), r)
        r = self.decide(form, jar, "approve")
        self.assertStatus(r, 400)
        self.assertOAuthError(self.poll(d["device_code"]), 400,
                              "authorization_pending")

    def test_unassigned_user_is_denied(self):
        cid, secret = device_client(self.realm, userAccess="assigned")
        d = self.started(cid, secret)
        jar = {}
        form = self.signed_in_approval(jar, d["user_code"])
        r = self.decide(form, jar, "approve")
        self.assertStatus(r, 200)
        self.assertIn('data-result="denied"', r.text)
        self.assertIn("no access to this application", r.text)
        self.assertOAuthError(self.poll(d["device_code"], cid, secret), 400,
                              "access_denied")

    def test_disabled_client_cannot_be_approved(self):
        cid, secret = device_client(self.realm)
        d = self.started(cid, secret)
        jar = {}
        form = self.signed_in_approval(jar, d["user_code"])
        r = ac.admin("PATCH", "/realms/%s/clients/%s" % (self.realm, cid),
                     {"enabled": False})
        self.assertIn(r.status, (200, 204), r)
        ac.settle()
        r = self.decide(form, jar, "approve")
        self.assertStatus(r, 400)
        r = self.enter_code(jar, d["user_code"])
        self.assertStatus(r, 400)


class DeviceExpiryTest(AuthioTestCase):
    """A realm whose tokens settings give device codes one second."""

    def test_expired_code(self):
        realm, _ = ac.create_realm(None)
        try:
            r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                         {"deviceCodeLifetime": 1})
            self.assertStatus(r, 200)
            ac.settle()
            cid, secret = device_client(realm)
            r = client_form(cid, secret, {},
                            "/realms/%s/device_authorization" % realm)
            self.assertStatus(r, 200)
            d = r.json
            self.assertEqual(d["expires_in"], 1)
            time.sleep(2.1)
            r = client_form(cid, secret, {"grant_type": GRANT,
                                          "device_code": d["device_code"]},
                            "/realms/%s/token" % realm)
            self.assertOAuthError(r, 400, "expired_token")
            # the page does not take it either
            jar = {}
            url = "/realms/%s/device" % realm
            r = ac.request("GET", url, headers=ac.HTML_ACCEPT)
            ac.cookies_from(r, jar)
            fields = dict(ac.parse_forms(r.text)[0]["fields"],
                          user_code=d["user_code"])
            r = ac.request("POST", url, form=fields, headers=dict(
                ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar)))
            self.assertStatus(r, 400)
            self.assertIn("not valid or has expired", r.text)
        finally:
            ac.delete_realm_quietly(realm)


class DeviceGuessingTest(AuthioTestCase):
    """Wrong user codes are rate limited per realm and client address."""

    def test_too_many_wrong_codes(self):
        realm, _ = ac.create_realm(None)
        try:
            cid, secret = device_client(realm)
            d = client_form(cid, secret, {},
                            "/realms/%s/device_authorization" % realm).json
            url = "/realms/%s/device" % realm
            jar = {}
            r = ac.request("GET", url, headers=ac.HTML_ACCEPT)
            ac.cookies_from(r, jar)
            csrf = ac.parse_forms(r.text)[0]["fields"]["csrf"]
            hdrs = dict(ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar))
            for i in range(10):
                r = ac.request("POST", url, headers=hdrs, form={
                    "csrf": csrf, "user_code": "BBBB-BBB%s" % "CDFGHJKLMN"[i]})
                self.assertStatus(r, 400)
            # now even the right code is refused
            r = ac.request("POST", url, headers=hdrs, form={
                "csrf": csrf, "user_code": d["user_code"]})
            self.assertStatus(r, 429)
            self.assertIn("Too many wrong codes", r.text)
        finally:
            ac.delete_realm_quietly(realm)


if __name__ == "__main__":
    unittest.main()
