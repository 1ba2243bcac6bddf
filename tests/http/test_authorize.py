"""GET/POST /realms/{r}/authorize (issue 4): request validation, the error
page for an unknown client or redirect URI, redirected errors with state
and iss, PKCE rules, and the hosted login page (escaping, CSRF, headers)."""

import unittest
import urllib.parse

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"


def authorize(realm, params, method="GET", path="/authorize", headers=None):
    url = "/realms/%s%s" % (ac.quote(realm), path)
    hdrs = dict(ac.HTML_ACCEPT, **(headers or {}))
    if method == "GET":
        return ac.get(url + "?" + urllib.parse.urlencode(params),
                      headers=hdrs)
    return ac.request("POST", url, form=params, headers=hdrs)


class AuthorizeTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.conf = ac.code_flow_client(cls.realm, pkceRequired=False,
                                       name="<script>alert(1)</script>")
        cls.pub = ac.code_flow_client(cls.realm, ctype="public",
                                      tokenEndpointAuthMethod="none")
        cls.two = ac.code_flow_client(
            cls.realm, pkceRequired=False,
            redirect_uris=[CB, "https://app.example/other"])
        cls.verifier, cls.challenge = ac.pkce_pair()

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def params(self, client=None, **kw):
        p = {"client_id": client or self.conf, "redirect_uri": CB,
             "response_type": "code", "scope": "openid", "state": "st-1"}
        p.update(kw)
        return {k: v for k, v in p.items() if v is not None}

    def assertErrorPage(self, r, status=400):
        self.assertStatus(r, status)
        self.assertIsNone(r.header("Location"), repr(r))
        self.assertEqual(r.content_type, "text/html", repr(r))
        self.assertNotIn("<script>", r.text)

    def assertRedirectError(self, r, error, state="st-1"):
        self.assertStatus(r, 302)
        loc = r.header("Location")
        self.assertTrue(loc.startswith(CB + "?"), loc)
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
        self.assertEqual(q.get("error"), [error], loc)
        self.assertTrue(q.get("error_description", [""])[0], loc)
        if state is None:
            self.assertNotIn("state", q)
        else:
            self.assertEqual(q.get("state"), [state], loc)
        self.assertEqual(q.get("iss"), [ac.issuer(self.realm)], loc)
        self.assertNotIn("code", q)
        return q

    # -- stage one: never a redirect

    def test_unknown_client_is_an_error_page(self):
        self.assertErrorPage(authorize(self.realm,
                                       self.params(client="nobody")))

    def test_missing_client_id_is_an_error_page(self):
        p = self.params()
        del p["client_id"]
        self.assertErrorPage(authorize(self.realm, p))

    def test_unregistered_redirect_uri_is_an_error_page(self):
        for uri in ("https://evil.example/cb", CB + "/", CB + "?x=1",
                    "https://APP.example/cb", "http://app.example/cb"):
            with self.subTest(uri=uri):
                self.assertErrorPage(authorize(
                    self.realm, self.params(redirect_uri=uri)))

    def test_missing_redirect_uri_with_several_registered(self):
        self.assertErrorPage(authorize(
            self.realm, self.params(client=self.two, redirect_uri=None)))

    def test_missing_redirect_uri_with_one_registered_is_used(self):
        r = authorize(self.realm, self.params(redirect_uri=None))
        self.assertStatus(r, 200)

    def test_repeated_parameter_is_an_error_page(self):
        url = ("/realms/%s/authorize?client_id=%s&client_id=%s&"
               "redirect_uri=%s&response_type=code"
               % (self.realm, self.conf, self.conf, urllib.parse.quote(CB)))
        self.assertErrorPage(ac.get(url, headers=ac.HTML_ACCEPT))

    def test_unknown_realm(self):
        r = authorize("no-such-realm-x", self.params())
        self.assertStatus(r, 404)
        self.assertIsNone(r.header("Location"))

    # -- stage two: redirected with state and iss

    def test_unsupported_response_type(self):
        for rt in ("token", "id_token", "code token"):
            with self.subTest(rt=rt):
                self.assertRedirectError(authorize(
                    self.realm, self.params(response_type=rt)),
                    "unsupported_response_type")

    def test_missing_response_type(self):
        self.assertRedirectError(authorize(
            self.realm, self.params(response_type=None)), "invalid_request")

    def test_error_without_state_has_no_state(self):
        self.assertRedirectError(authorize(
            self.realm, self.params(response_type="token", state=None)),
            "unsupported_response_type", state=None)

    def test_public_client_requires_pkce(self):
        self.assertRedirectError(authorize(
            self.realm, self.params(client=self.pub)), "invalid_request")

    def test_pkce_required_client_requires_pkce(self):
        c = ac.code_flow_client(self.realm, pkceRequired=True)
        self.assertRedirectError(authorize(
            self.realm, self.params(client=c)), "invalid_request")

    def test_plain_pkce_is_refused(self):
        self.assertRedirectError(authorize(self.realm, self.params(
            client=self.pub, code_challenge=self.verifier,
            code_challenge_method="plain")), "invalid_request")

    def test_challenge_without_method_is_refused(self):
        self.assertRedirectError(authorize(self.realm, self.params(
            client=self.pub, code_challenge=self.challenge)),
            "invalid_request")

    def test_malformed_challenge_is_refused(self):
        for ch in ("short", "x" * 129, "a" * 42 + "!"):
            with self.subTest(ch=ch):
                self.assertRedirectError(authorize(self.realm, self.params(
                    client=self.pub, code_challenge=ch,
                    code_challenge_method="S256")), "invalid_request")

    def test_scope_not_allowed(self):
        self.assertRedirectError(authorize(
            self.realm, self.params(scope="openid phone")), "invalid_scope")

    def test_bad_response_mode_and_prompt_and_max_age(self):
        for kw in ({"response_mode": "fragment"}, {"prompt": "bogus"},
                   {"prompt": "none login"}, {"max_age": "-1"},
                   {"max_age": "soon"}):
            with self.subTest(kw=kw):
                self.assertRedirectError(authorize(
                    self.realm, self.params(**kw)), "invalid_request")

    def test_request_objects_are_not_supported(self):
        self.assertRedirectError(authorize(
            self.realm, self.params(request="e30.e30.")),
            "request_not_supported")

    def test_prompt_none_without_session_is_login_required(self):
        self.assertRedirectError(authorize(
            self.realm, self.params(prompt="none")), "login_required")

    def test_form_post_error(self):
        r = authorize(self.realm, self.params(response_type="token",
                                              response_mode="form_post"))
        self.assertStatus(r, 200)
        forms = ac.parse_forms(r.text)
        self.assertEqual(len(forms), 1)
        self.assertEqual(forms[0]["action"], CB)
        self.assertEqual(forms[0]["method"], "post")
        self.assertEqual(forms[0]["fields"].get("error"),
                         "unsupported_response_type")
        self.assertEqual(forms[0]["fields"].get("state"), "st-1")
        self.assertIn("<button", r.text)    # works without JavaScript

    # -- the login page

    def login_page(self, **kw):
        r = authorize(self.realm, self.params(**kw))
        self.assertStatus(r, 200)
        self.assertEqual(r.content_type, "text/html")
        return r

    def test_login_page_has_the_form(self):
        for method in ("GET", "POST"):
            for path in ("/authorize", "/protocol/openid-connect/auth"):
                with self.subTest(method=method, path=path):
                    r = authorize(self.realm, self.params(
                        client=self.pub, code_challenge=self.challenge,
                        code_challenge_method="S256"), method, path)
                    self.assertStatus(r, 200)
                    forms = ac.parse_forms(r.text)
                    self.assertEqual(len(forms), 1)
                    f = forms[0]
                    self.assertEqual(f["method"], "post")
                    self.assertEqual(f["action"], "/realms/%s/login-actions/"
                                     "authenticate" % self.realm)
                    for name in ("authreq", "csrf", "username", "password"):
                        self.assertIn(name, f["fields"])
                    jar = ac.cookies_from(r)
                    self.assertEqual(jar.get("AUTHIO_CSRF"), f["fields"]["csrf"])
                    set_cookie = r.header("Set-Cookie")
                    self.assertIn("HttpOnly", set_cookie)
                    self.assertIn("SameSite=Lax", set_cookie)
                    self.assertIn("Path=/realms/%s/" % self.realm, set_cookie)

    def test_sealed_request_is_opaque(self):
        r = self.login_page(state="visible-state-value", nonce="n-123")
        blob = ac.parse_forms(r.text)[0]["fields"]["authreq"]
        self.assertNotIn("visible-state-value", blob)
        self.assertNotIn(CB, blob)
        self.assertNotIn("visible-state-value",
                         ac.b64url_decode_loose(blob))

    def test_login_hint_prefills_username_escaped(self):
        r = self.login_page(login_hint='"><img src=x onerror=alert(1)>')
        self.assertNotIn("<img src=x", r.text)
        self.assertEqual(ac.parse_forms(r.text)[0]["fields"]["username"],
                         '"><img src=x onerror=alert(1)>')

    def test_client_name_is_escaped(self):
        r = self.login_page()
        self.assertNotIn("<script>alert(1)</script>", r.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", r.text)

    def test_branding_title_is_shown_escaped(self):
        realm, _ = ac.create_realm(self)
        c = ac.code_flow_client(realm, pkceRequired=False)
        r = ac.admin("PUT", "/realms/%s/settings/branding" % realm,
                     {"title": "<script>x()</script> Acme",
                      "subtitle": "Sign in & go"})
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()
        r = authorize(realm, self.params(client=c))
        self.assertStatus(r, 200)
        self.assertNotIn("<script>x()</script>", r.text)
        self.assertIn("&lt;script&gt;x()&lt;/script&gt; Acme", r.text)
        self.assertIn("Sign in &amp; go", r.text)

    def test_branding_colours_through_the_theme_stylesheet(self):
        realm, _ = ac.create_realm(self)
        c = ac.code_flow_client(realm, pkceRequired=False)
        r = authorize(realm, self.params(client=c))
        self.assertNotIn("theme.css", r.text)      # nothing to theme yet
        r = ac.admin("PUT", "/realms/%s/settings/branding" % realm,
                     {"primaryColor": "#aa0011", "backgroundColor": "#fafafa"})
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()
        r = authorize(realm, self.params(client=c))
        href = "/realms/%s/login-resources/theme.css" % realm
        self.assertIn('href="%s"' % href, r.text)
        css = ac.get(href)
        self.assertStatus(css, 200)
        self.assertEqual(css.content_type, "text/css")
        self.assertIn("--brand: #aa0011;", css.text)
        self.assertIn("--bg: #fafafa;", css.text)
        self.assertStatus(ac.admin("PUT", "/realms/%s/settings/branding"
                                   % realm, {"primaryColor": "red;}"}), 400)

    def test_login_page_security_headers(self):
        r = self.login_page()
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        csp = r.header("Content-Security-Policy") or ""
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("form-action 'self' https://app.example", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertIn("no-store", r.header("Cache-Control") or "")
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer")


if __name__ == "__main__":
    unittest.main()
