"""Security headers, escaped HTML error pages and X-Request-Id."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase

HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


class HtmlErrorPageTest(AuthioTestCase):

    def check_page_headers(self, r):
        self.assertEqual(r.content_type, "text/html", repr(r))
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        csp = r.header("Content-Security-Policy") or ""
        self.assertIn("default-src", csp, repr(r))
        self.assertNotIn("'unsafe-eval'", csp)
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer")
        self.assertTrue(r.header("X-Request-Id"))

    def test_not_found_page(self):
        r = ac.get("/realms/nope/xyz", headers=HTML)
        self.assertStatus(r, 404)
        self.check_page_headers(r)
        self.assertIn("<html", r.text.lower())

    def test_markup_in_path_is_escaped(self):
        for path in ("/realms/nope/%3Cscript%3Ealert(1)%3C/script%3E",
                     "/%3Cscript%3Ealert(1)%3C/script%3E",
                     "/realms/%3Cscript%3Ealert(1)%3C/script%3E/xyz",
                     "/realms/nope/xyz?a=%3Cscript%3Ealert(1)%3C/script%3E",
                     "/realms/nope/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"):
            with self.subTest(path=path):
                r = ac.get(path, headers=HTML)
                self.assert4xx(r)
                body = r.text.lower()
                self.assertNotIn("<script>", body)
                self.assertNotIn("<img src=x", body)
                if r.content_type == "text/html":
                    self.check_page_headers(r)

    def test_realm_name_in_page_is_escaped(self):
        # realm data in pages is escaped, too
        rid, _ = ac.create_realm(self, name="<script>alert(1)</script>")
        r = ac.get("/realms/%s/nothing-here" % rid, headers=HTML)
        self.assert4xx(r)
        self.assertNotIn("<script>", r.text.lower())

    def test_request_id_header_is_not_reflected_raw(self):
        r = ac.get("/realms/nope/xyz",
                   headers=dict(HTML, **{"X-Request-Id": "<script>x</script>"}))
        self.assertStatus(r, 404)
        self.assertNotIn("<script>", r.text.lower())
        self.assertNotIn("<", r.header("X-Request-Id") or "")


class RequestIdTest(AuthioTestCase):

    def test_every_response_has_a_request_id(self):
        c = ac.credentials()
        responses = {
            "healthz": ac.get("/healthz"),
            "discovery": ac.get("/realms/master/.well-known/openid-configuration"),
            "jwks": ac.get("/realms/master/jwks"),
            "token 200": ac.token_request("master", c["client_id"],
                                          c["client_secret"]),
            "token 401": ac.token_request("master", c["client_id"], "wrong"),
            "token 400": ac.request("POST", "/realms/master/token",
                                    form={"grant_type": "foo"}),
            "admin 200": ac.admin("GET", "/realms"),
            "admin 201": ac.admin("POST", "/realms",
                                  {"name": "x", "realmId": ac.unique("rid")}),
            "admin 400": ac.admin("POST", "/realms", {"name": "x"}),
            "admin 401": ac.request("GET", "/api/admin/realms"),
            "admin 404": ac.admin("GET", "/realms/" + ac.unique("nope")),
            "404": ac.get("/no/such/route"),
            "405": ac.request("DELETE", "/healthz"),
            "html 404": ac.get("/realms/nope/xyz", headers=HTML),
        }
        if responses["admin 201"].status == 201:
            self.addCleanup(ac.delete_realm_quietly,
                            responses["admin 201"].json["realmId"])
        ids = []
        for name, r in responses.items():
            with self.subTest(response=name):
                self.assertNot5xx(r)
                rid = r.header("X-Request-Id")
                self.assertTrue(rid, repr(r))
                self.assertRegex(rid, r"^[A-Za-z0-9._:-]{8,128}$")
                ids.append(rid)
        self.assertEqual(len(ids), len(set(ids)), "request ids repeat")

    def test_token_responses_are_not_cached(self):
        c = ac.credentials()
        r = ac.token_request("master", c["client_id"], c["client_secret"])
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(r.header("Pragma"), "no-cache")
        r = ac.token_request("master", c["client_id"], "wrong")
        self.assertStatus(r, 401)
        self.assertIn("no-store", r.header("Cache-Control") or "")


if __name__ == "__main__":
    unittest.main()
