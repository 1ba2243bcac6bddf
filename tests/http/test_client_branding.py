"""A client's branding override (issue 4, "styled by the realm's branding
document with the client's overrides"): the admin API field, checked as
the realm's document is; the hosted pages and theme.css showing the
client's values over the realm's; and the remember-me behaviour flag."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"


def clients_path(realm, client=None):
    p = "/realms/%s/clients" % ac.quote(realm)
    return p if client is None else p + "/" + ac.quote(client)


class ClientBrandingTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        r = ac.admin("PUT", "/realms/%s/settings/branding" % cls.realm,
                     {"title": "Realm Title", "primaryColor": "#aa0000",
                      "subtitle": "Realm subtitle"})
        assert r.status == 200, r
        cls.plain = ac.code_flow_client(cls.realm, pkceRequired=False)
        cls.branded = ac.code_flow_client(
            cls.realm, pkceRequired=False,
            branding={"title": "Acme <Shop>", "primaryColor": "#123456",
                      "backgroundUrl": "https://cdn.example/bg.png",
                      "rememberMe": False, "subtitle": None})
        cls.user = ac.user_with_password(cls.realm, PW)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def page(self, client, jar=None):
        r = ac.authorize_get(self.realm, {
            "client_id": client, "redirect_uri": CB, "response_type": "code",
            "scope": "openid", "state": "s"}, {} if jar is None else jar)
        self.assertStatus(r, 200)
        return r

    def theme_href(self, html):
        import re
        m = re.search(r'<link rel="stylesheet" href="([^"]*theme\.css[^"]*)"',
                      html)
        self.assertIsNotNone(m, html)
        return m.group(1).replace("&amp;", "&")

    # -- admin API

    def test_representation_keeps_set_members_only(self):
        r = ac.admin("GET", clients_path(self.realm, self.branded))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["branding"], {
            "title": "Acme <Shop>", "primaryColor": "#123456",
            "backgroundUrl": "https://cdn.example/bg.png",
            "rememberMe": False})
        r = ac.admin("GET", clients_path(self.realm, self.plain))
        self.assertEqual(r.json["branding"], {})

    def test_invalid_members_are_named(self):
        for body, field in (
                ({"primaryColor": "red"}, "branding.primaryColor"),
                ({"logoUrl": "javascript:alert(1)"}, "branding.logoUrl"),
                ({"colour": "#fff"}, "branding.colour"),
                ({"rememberMe": "yes"}, "branding.rememberMe"),
                ({"locale": "English"}, "branding.locale"),
                ({"version": 3}, "branding.version")):
            with self.subTest(field=field):
                r = ac.admin("POST", clients_path(self.realm), {
                    "clientId": ac.unique("c"), "branding": body})
                self.assertProblem(r, 400, field)
        r = ac.admin("POST", clients_path(self.realm), {
            "clientId": ac.unique("c"), "branding": "blue"})
        self.assertProblem(r, 400, "branding")

    def test_patch_and_put(self):
        c = ac.code_flow_client(self.realm, branding={"title": "One"})
        r = ac.admin("PATCH", clients_path(self.realm, c),
                     {"branding": {"subtitle": "Two"}})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["branding"], {"title": "One",
                                              "subtitle": "Two"})
        r = ac.admin("PATCH", clients_path(self.realm, c),
                     {"branding": {"title": None}})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["branding"], {"subtitle": "Two"})
        body = dict(r.json)
        body.pop("branding")
        for k in ("id", "version", "createdAt", "updatedAt"):
            body.pop(k)
        r = ac.admin("PUT", clients_path(self.realm, c), body)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["branding"], {})

    def test_export_import_round_trip(self):
        doc = ac.export_doc(self, self.realm)
        exported = [c for c in doc["clients"]
                    if c["clientId"] == self.branded][0]
        self.assertEqual(exported["branding"]["title"], "Acme <Shop>")
        copy = ac.renamed(doc, ac.unique("r"))
        r = ac.import_realm(copy)
        self.assertStatus(r, 201)
        self.addCleanup(ac.delete_realm_quietly, copy["realm"]["realmId"])
        r = ac.admin("GET", clients_path(copy["realm"]["realmId"],
                                         self.branded))
        self.assertEqual(r.json["branding"]["primaryColor"], "#123456")

    # -- pages

    def test_login_page_shows_the_clients_branding(self):
        html = self.page(self.branded).text
        self.assertIn("Acme &lt;Shop&gt;", html)
        self.assertNotIn("Acme <Shop>", html)
        self.assertNotIn("Realm Title", html)
        # not overridden: the realm's subtitle stays
        self.assertIn("Realm subtitle", html)
        href = self.theme_href(html)
        self.assertIn("client_id=" + self.branded, href)
        css = ac.get(href)
        self.assertStatus(css, 200)
        self.assertIn("--brand: #123456;", css.text)
        self.assertIn('url("https://cdn.example/bg.png")', css.text)
        self.assertNotIn("#aa0000", css.text)

    def test_other_clients_keep_the_realms_branding(self):
        html = self.page(self.plain).text
        self.assertIn("Realm Title", html)
        href = self.theme_href(html)
        self.assertNotIn("client_id", href)
        css = ac.get(href)
        self.assertIn("--brand: #aa0000;", css.text)
        self.assertNotIn("background-image", css.text)
        # an unknown client in the stylesheet URL falls back to the realm
        css = ac.get("/realms/%s/login-resources/theme.css?client_id=nope"
                     % self.realm)
        self.assertStatus(css, 200)
        self.assertIn("--brand: #aa0000;", css.text)

    # -- remember me

    def test_remember_me_sets_a_lasting_cookie(self):
        jar = {}
        form = ac.parse_forms(self.page(self.plain, jar).text)[0]
        self.assertNotIn("rememberMe", form["fields"])   # unchecked
        self.assertIn('name="rememberMe"', self.page(self.plain).text)
        fields = dict(form, fields=dict(form["fields"], rememberMe="on"))
        r = ac.submit_login(fields, jar, self.user["username"], PW)
        self.assertStatus(r, 302)
        cookie = [h for h in r.header_all("Set-Cookie")
                  if h.startswith("AUTHIO_SESSION=")][0]
        self.assertRegex(cookie, r"Max-Age=\d+")
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT remember_me FROM sessions WHERE session_hash = %s"
                % ac.sql_str(ac.sha256_hex(jar["AUTHIO_SESSION"]))), "1")

    def test_without_remember_me_the_cookie_ends_with_the_browser(self):
        jar = {}
        form = ac.parse_forms(self.page(self.plain, jar).text)[0]
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertStatus(r, 302)
        cookie = [h for h in r.header_all("Set-Cookie")
                  if h.startswith("AUTHIO_SESSION=")][0]
        self.assertNotIn("Max-Age", cookie)

    def test_client_turning_remember_me_off(self):
        jar = {}
        html = self.page(self.branded, jar).text
        self.assertNotIn('name="rememberMe"', html)
        form = ac.parse_forms(html)[0]
        # a forged box does not count where the flag is off
        fields = dict(form, fields=dict(form["fields"], rememberMe="on"))
        r = ac.submit_login(fields, jar, self.user["username"], PW)
        self.assertStatus(r, 302)
        cookie = [h for h in r.header_all("Set-Cookie")
                  if h.startswith("AUTHIO_SESSION=")][0]
        self.assertNotIn("Max-Age", cookie)


if __name__ == "__main__":
    unittest.main()
