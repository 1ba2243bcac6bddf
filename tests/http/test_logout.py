"""OpenID Connect RP-Initiated Logout 1.0 (issue 4): /realms/{r}/logout
with id_token_hint, client_id, post_logout_redirect_uri (exact match
only), state and ui_locales; the confirmation page and its CSRF token;
the SSO session ended server side and its cookie cleared; the Keycloak
alias; discovery's end_session_endpoint.

Session-bound refresh tokens ending with the session are covered by the
store test (tests/store/test_store.c), not here: the refresh grant is
not issued over HTTP yet."""

import base64
import json
import time
import urllib.parse

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PL = "https://app.example/signed-out"
PW = "correct horse battery"
NAME = "<b>Shop & Co</b>"


class LogoutTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(
            cls.realm, pkceRequired=False, name=NAME,
            postLogoutRedirectUris=[PL, PL + "?tab=1"])
        cls.secret, _ = ac.create_secret(cls.realm, cls.client)
        cls.other = ac.code_flow_client(cls.realm, pkceRequired=False,
                                        postLogoutRedirectUris=[PL])
        cls.other_secret, _ = ac.create_secret(cls.realm, cls.other)
        cls.user = ac.user_with_password(cls.realm, PW)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    # ------------------------------------------------------------ helpers

    def sign_in(self, realm=None, client=None, secret=None, user=None):
        """Signs in over HTTP; (cookie jar, token response)."""
        realm = realm or self.realm
        client = client or self.client
        jar = {}
        r = ac.authorize_get(realm, {
            "client_id": client, "redirect_uri": CB, "response_type": "code",
            "scope": "openid", "state": "s", "nonce": "n"}, jar)
        self.assertStatus(r, 200)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar,
                            (user or self.user)["username"], PW)
        self.assertStatus(r, 302)
        code = ac.location_params(r)["code"]
        r = ac.token_request(realm, client, secret or self.secret, params={
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": CB})
        self.assertStatus(r, 200)
        self.assertIn(ac.AU_SESSION, jar)
        return jar, r.json

    def signed_in(self, jar, realm=None, client=None):
        """Whether the cookies of jar still carry a live SSO session."""
        r = ac.authorize_get(realm or self.realm, {
            "client_id": client or self.client, "redirect_uri": CB,
            "response_type": "code", "scope": "openid", "prompt": "none"},
            dict(jar))
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        if "code" in q:
            return True
        self.assertEqual(q.get("error"), "login_required", q)
        return False

    def logout(self, params, jar=None, method="GET", realm=None,
               path="/logout"):
        r = ac.logout_request(realm or self.realm, params, jar, method,
                              path)
        self.assertNot5xx(r)
        return r

    def assertPage(self, r, status):
        self.assertStatus(r, status)
        self.assertIn("text/html", r.header("Content-Type", ""))
        self.assertIsNone(r.header("Location"))
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        csp = r.header("Content-Security-Policy", "")
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertIn("no-store", r.header("Cache-Control", ""))

    def assertSignedOutPage(self, r, status=200):
        self.assertPage(r, status)
        self.assertIn('id="signed-out"', r.text)
        self.assertEqual(ac.parse_forms(r.text), [])

    def assertConfirmPage(self, r):
        self.assertPage(r, 200)
        forms = ac.parse_forms(r.text)
        self.assertEqual(len(forms), 1, r.text)
        f = forms[0]
        self.assertEqual(f["method"], "post")
        self.assertEqual(f["action"],
                         "/realms/%s/login-actions/logout" % self.realm)
        self.assertTrue(f["fields"].get("logoutreq"))
        self.assertEqual(len(f["fields"].get("csrf", "")), 43)
        return f

    def assertCookieCleared(self, r, realm=None):
        sets = [h for h in r.header_all("Set-Cookie") or []
                if h.startswith(ac.AU_SESSION + "=")]
        self.assertEqual(len(sets), 1, sets)
        attrs = [a.strip() for a in sets[0].split(";")]
        self.assertEqual(attrs[0], ac.AU_SESSION + "=")
        self.assertIn("Max-Age=0", attrs)
        self.assertIn("Path=/realms/%s/" % (realm or self.realm), attrs)
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Lax", attrs)

    def assertRedirect(self, r, status, uri, state):
        self.assertStatus(r, status)
        loc = r.header("Location")
        self.assertEqual(loc.split("?")[0], uri.split("?")[0])
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
        self.assertEqual(q.get("state"), [state] if state else None)
        return q

    # ------------------------------------------------------------ hint

    def test_hint_and_registered_uri_redirect_with_state(self):
        jar, tok = self.sign_in()
        old = dict(jar)
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL, "state": "st-1"},
                        jar)
        self.assertRedirect(r, 302, PL, "st-1")
        self.assertIn("no-store", r.header("Cache-Control", ""))
        self.assertCookieCleared(r)
        # the session ended server side: the old cookie is worth nothing
        self.assertFalse(self.signed_in(old))
        self.assertFalse(self.signed_in(jar))
        sid = ac.jose_payload_unverified(tok["id_token"])["sid"]
        if ac.db_available():
            self.assertIsNotNone(ac.db_scalar(
                "SELECT ended_at FROM sessions WHERE id = " + ac.sql_str(sid)))
        ev = ac.admin("GET", "/realms/%s/events?category=auth&type=logout"
                      "&resourceId=%s" % (self.realm, sid))
        self.assertStatus(ev, 200)
        self.assertEqual(ev.json["total"], 1)
        e = ev.json["items"][0]
        self.assertEqual(e["resourceType"], "session")
        self.assertEqual(e["clientId"], self.client)
        self.assertEqual(e["userId"], self.user["id"])
        self.assertEqual(e["details"]["method"], "id_token_hint")

    def test_es256_hint(self):
        c = ac.code_flow_client(self.realm, pkceRequired=False,
                                postLogoutRedirectUris=[PL],
                                tokenSettings={"signingAlg": "ES256"})
        secret, _ = ac.create_secret(self.realm, c)
        jar, tok = self.sign_in(client=c, secret=secret)
        self.assertEqual(ac.jose_header(tok["id_token"])["alg"], "ES256")
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL, "state": "es"}, jar)
        self.assertRedirect(r, 302, PL, "es")
        self.assertFalse(self.signed_in(jar))

    def test_registered_uri_with_a_query_keeps_it(self):
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL + "?tab=1",
                         "state": "x y"}, jar)
        q = self.assertRedirect(r, 302, PL, "x y")
        self.assertEqual(q["tab"], ["1"])

    def test_post_answers_303(self):
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL, "state": "p"},
                        jar, method="POST")
        self.assertRedirect(r, 303, PL, "p")
        self.assertFalse(self.signed_in(jar))

    def test_cross_site_post_without_cookie_ends_the_hints_session(self):
        # SameSite=Lax keeps the cookie off a cross-site POST; the hint's
        # sid names the session
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL, "state": "c"},
                        None, method="POST")
        self.assertRedirect(r, 303, PL, "c")
        self.assertFalse(self.signed_in(jar))

    def test_hint_without_uri_shows_signed_out(self):
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"]}, jar)
        self.assertSignedOutPage(r)
        self.assertCookieCleared(r)
        self.assertFalse(self.signed_in(jar))

    def test_client_id_agreeing_with_hint(self):
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "client_id": self.client,
                         "post_logout_redirect_uri": PL, "state": "a"}, jar)
        self.assertRedirect(r, 302, PL, "a")

    def test_client_id_mismatching_hint_is_an_error_page(self):
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "client_id": self.other,
                         "post_logout_redirect_uri": PL, "state": "m"}, jar)
        self.assertPage(r, 400)
        self.assertIn("client_id", r.text)
        self.assertTrue(self.signed_in(jar))

    def test_bad_hints_are_error_pages(self):
        jar, tok = self.sign_in()
        idt = tok["id_token"]
        h, p, s = idt.split(".")
        claims = ac.jose_payload_unverified(idt)
        claims["sub"] = "someone-else"
        forged_payload = ac.b64url(json.dumps(claims).encode())
        other_realm, _ = ac.create_realm(self)
        oc = ac.code_flow_client(other_realm, pkceRequired=False,
                                 postLogoutRedirectUris=[PL])
        osec, _ = ac.create_secret(other_realm, oc)
        ou = ac.user_with_password(other_realm, PW)
        _, foreign = self.sign_in(other_realm, oc, osec, ou)
        bad = {
            "forged payload": "%s.%s.%s" % (h, forged_payload, s),
            "bad signature": "%s.%s.%s" % (h, p, s[:-4] + (
                "AAAA" if not s.endswith("AAAA") else "BBBB")),
            "foreign realm": foreign["id_token"],
            "access token": tok["access_token"],
            "alg none": "%s.%s." % (ac.b64url(b'{"alg":"none"}'), p),
            "garbage": "not-a-jwt",
            "truncated": idt[:-10],
        }
        for what, hint in bad.items():
            with self.subTest(what):
                r = self.logout({"id_token_hint": hint,
                                 "post_logout_redirect_uri": PL,
                                 "state": "b"}, jar)
                self.assertPage(r, 400)
                self.assertIn("id_token_hint", r.text)
        self.assertTrue(self.signed_in(jar))

    def test_expired_hint_signed_by_a_rotated_key_is_still_a_hint(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False,
                                     postLogoutRedirectUris=[PL])
        secret, _ = ac.create_secret(realm, client)
        user = ac.user_with_password(realm, PW)
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                     {"idTokenLifetime": 1})
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()
        jar, tok = self.sign_in(realm, client, secret, user)
        kid = ac.jose_header(tok["id_token"])["kid"]
        r = ac.admin("POST", "/realms/%s/keys/%s/rotate" % (realm, kid))
        self.assertStatus(r, 201)
        ac.settle()
        time.sleep(2.1)
        self.assertLess(ac.jose_payload_unverified(tok["id_token"])["exp"],
                        time.time())
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL, "state": "e"},
                        jar, realm=realm)
        self.assertRedirect(r, 302, PL, "e")
        self.assertCookieCleared(r, realm)
        self.assertFalse(self.signed_in(jar, realm, client))

    # ------------------------------------------------- post-logout URI

    def test_unregistered_uri_is_never_followed(self):
        for uri in (PL + "/x", "https://evil.example/", PL.upper(),
                    PL + "?", CB, "javascript:alert(1)"):
            with self.subTest(uri):
                jar, tok = self.sign_in()
                r = self.logout({"id_token_hint": tok["id_token"],
                                 "post_logout_redirect_uri": uri,
                                 "state": "u"}, jar)
                self.assertSignedOutPage(r, 400)
                self.assertIn('id="notice"', r.text)
                self.assertNotIn("evil.example", r.text)
                self.assertFalse(self.signed_in(jar))

    def test_other_clients_uri_is_not_followed(self):
        jar, tok = self.sign_in()
        # registered for another client only
        r = ac.admin("PATCH", "/realms/%s/clients/%s" % (self.realm,
                                                       self.other),
                     {"postLogoutRedirectUris": [PL, PL + "/other"]})
        self.assertStatus(r, 200)
        ac.settle()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL + "/other"}, jar)
        self.assertSignedOutPage(r, 400)

    def test_uri_without_any_client_is_not_followed(self):
        jar = {}
        r = self.logout({"post_logout_redirect_uri": PL, "state": "n"}, jar)
        self.assertSignedOutPage(r, 400)

    def test_unknown_client_is_an_error_page(self):
        r = self.logout({"client_id": "nope-" + ac.unique(),
                         "post_logout_redirect_uri": PL})
        self.assertPage(r, 400)

    # ------------------------------------------------------ confirmation

    def test_no_hint_asks_to_confirm_then_logs_out(self):
        jar, _ = self.sign_in()
        r = self.logout({"client_id": self.client,
                         "post_logout_redirect_uri": PL, "state": "k"}, jar)
        f = self.assertConfirmPage(r)
        ac.cookies_from(r, jar)
        self.assertEqual(jar[ac.AU_CSRF], f["fields"]["csrf"])
        # the form's redirect goes to the client: form-action admits it
        self.assertIn("https://app.example",
                      r.header("Content-Security-Policy"))
        self.assertTrue(self.signed_in(jar))

        def confirm(fields, cookies):
            return ac.request("POST", f["action"], form=fields, headers={
                "Cookie": ac.cookie_header(cookies)})

        fields = f["fields"]
        no_csrf = {k: v for k, v in fields.items() if k != "csrf"}
        wrong = dict(fields, csrf=ac.b64url(b"x" * 32))
        no_cookie = {k: v for k, v in jar.items() if k != ac.AU_CSRF}
        for what, (flds, cookies) in {
                "no token": (no_csrf, jar),
                "wrong token": (wrong, jar),
                "no cookie": (fields, no_cookie),
                "cookie and token of another form": (
                    wrong, dict(jar, **{ac.AU_CSRF: wrong["csrf"]})),
        }.items():
            with self.subTest(what):
                r = confirm(flds, cookies)
                self.assertPage(r, 403)
                self.assertTrue(self.signed_in(jar))
        tampered = dict(fields, logoutreq=fields["logoutreq"][:-3] + "AAA")
        r = confirm(tampered, jar)
        self.assertPage(r, 400)
        self.assertTrue(self.signed_in(jar))

        r = confirm(fields, jar)
        self.assertRedirect(r, 303, PL, "k")
        self.assertCookieCleared(r)
        self.assertFalse(self.signed_in(jar))
        ev = ac.admin("GET", "/realms/%s/events?category=auth&type=logout"
                      % self.realm)
        self.assertIn("confirmed", [e["details"]["method"]
                                    for e in ev.json["items"]])

    def test_confirm_without_uri_shows_signed_out(self):
        jar, _ = self.sign_in()
        r = self.logout({}, jar)
        f = self.assertConfirmPage(r)
        ac.cookies_from(r, jar)
        r = ac.request("POST", f["action"], form=f["fields"],
                       headers={"Cookie": ac.cookie_header(jar)})
        self.assertSignedOutPage(r)
        self.assertFalse(self.signed_in(jar))

    def test_confirm_form_of_another_realm_is_refused(self):
        jar, _ = self.sign_in()
        r = self.logout({}, jar)
        f = self.assertConfirmPage(r)
        ac.cookies_from(r, jar)
        other, _ = ac.create_realm(self)
        r = ac.request("POST", "/realms/%s/login-actions/logout" % other,
                       form=f["fields"],
                       headers={"Cookie": ac.cookie_header(jar)})
        self.assertPage(r, 400)

    def test_hint_of_another_session_asks_to_confirm(self):
        jar_a, tok_a = self.sign_in()
        jar_b, _ = self.sign_in()
        r = self.logout({"id_token_hint": tok_a["id_token"],
                         "post_logout_redirect_uri": PL, "state": "o"},
                        jar_b)
        self.assertConfirmPage(r)
        self.assertTrue(self.signed_in(jar_a))
        self.assertTrue(self.signed_in(jar_b))

    def test_cross_site_post_without_cookie_or_hint_asks_to_confirm(self):
        r = self.logout({"client_id": self.client}, None, method="POST")
        self.assertConfirmPage(r)

    # ------------------------------------------------------------ misc

    def test_keycloak_alias(self):
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"],
                         "post_logout_redirect_uri": PL, "state": "kc"}, jar,
                        path="/protocol/openid-connect/logout")
        self.assertRedirect(r, 302, PL, "kc")
        self.assertFalse(self.signed_in(jar))
        r = self.logout({}, jar, method="POST",
                        path="/protocol/openid-connect/logout")
        self.assertNot5xx(r)

    def test_logout_without_session_is_idempotent(self):
        jar, tok = self.sign_in()
        params = {"id_token_hint": tok["id_token"],
                  "post_logout_redirect_uri": PL, "state": "i"}
        self.assertRedirect(self.logout(params, dict(jar)), 302, PL, "i")
        # again with the old cookie, and with none at all
        self.assertRedirect(self.logout(params, dict(jar)), 302, PL, "i")
        self.assertRedirect(self.logout(params, None), 302, PL, "i")
        r = self.logout({"client_id": self.client,
                         "post_logout_redirect_uri": PL, "state": "j"}, None)
        self.assertRedirect(r, 302, PL, "j")
        r = self.logout({}, None)
        self.assertSignedOutPage(r)
        self.assertCookieCleared(r)

    def test_pages_escape_state_and_client_name(self):
        jar, tok = self.sign_in()
        state = '<script>alert("x")</script>'
        r = self.logout({"client_id": self.client, "state": state,
                         "post_logout_redirect_uri": PL}, jar)
        self.assertConfirmPage(r)
        self.assertNotIn("<script", r.text)
        self.assertNotIn("<b>", r.text)
        self.assertIn("&lt;b&gt;Shop &amp; Co&lt;/b&gt;", r.text)
        r = self.logout({"id_token_hint": tok["id_token"], "state": state},
                        jar)
        self.assertSignedOutPage(r)
        self.assertNotIn("<script", r.text)
        self.assertIn("&lt;b&gt;Shop &amp; Co&lt;/b&gt;", r.text)
        jar, tok = self.sign_in()
        r = self.logout({"id_token_hint": tok["id_token"], "state": state,
                         "post_logout_redirect_uri": PL}, jar)
        self.assertStatus(r, 302)
        loc = r.header("Location")
        self.assertNotIn("<", loc)
        self.assertIn(urllib.parse.quote(state, safe=""), loc)

    def test_ui_locales_sets_the_page_language(self):
        r = self.logout({"ui_locales": "de-CH fr"})
        self.assertSignedOutPage(r)
        self.assertIn('<html lang="de">', r.text)
        r = self.logout({"ui_locales": '"><x'})
        self.assertSignedOutPage(r)
        self.assertIn('<html lang="en">', r.text)

    def test_bad_requests(self):
        r = ac.request("GET", "/realms/%s/logout?state=a&state=b"
                       % self.realm, headers=ac.HTML_ACCEPT)
        self.assertPage(r, 400)
        r = self.logout({"state": "s" * 2001})
        self.assertPage(r, 400)
        r = ac.request("GET", "/realms/no-such-realm-%s/logout"
                       % ac.unique(), headers=ac.HTML_ACCEPT)
        self.assertStatus(r, 404)

    def test_discovery_lists_end_session_endpoint_only(self):
        def doc():
            r = ac.get("/realms/%s/.well-known/openid-configuration"
                       % self.realm)
            self.assertStatus(r, 200)
            return r.json
        d = doc()
        self.assertEqual(d["end_session_endpoint"],
                         ac.issuer(self.realm) + "/logout")
        for k in ("frontchannel_logout_supported",
                  "backchannel_logout_supported",
                  "check_session_iframe"):
            self.assertNotIn(k, d)
