"""POST /realms/{r}/login-actions/authenticate (issue 4): CSRF, one
message for unknown user and wrong password, disabled users, the SSO
session cookie, codes redirected with state and iss, SSO reuse, prompt
and max_age, form_post."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"


class LoginTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False)
        cls.user = ac.user_with_password(cls.realm, PW,
                                         email=ac.unique("m") + "@ex.org")

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def params(self, **kw):
        p = {"client_id": self.client, "redirect_uri": CB,
             "response_type": "code", "scope": "openid", "state": "s-9",
             "nonce": "n-9"}
        p.update(kw)
        return {k: v for k, v in p.items() if v is not None}

    def login_form(self, jar, **kw):
        r = ac.authorize_get(self.realm, self.params(**kw), jar)
        self.assertStatus(r, 200)
        return ac.parse_forms(r.text)[0]

    def assertCode(self, r, state="s-9", realm=None):
        self.assertStatus(r, 302)
        self.assertTrue(r.header("Location").startswith(CB + "?"))
        q = ac.location_params(r)
        self.assertRegex(q.get("code", ""), r"^[A-Za-z0-9_-]{43}$")
        self.assertEqual(q.get("state"), state)
        self.assertEqual(q.get("iss"), ac.issuer(realm or self.realm))
        self.assertNotIn("error", q)
        return q["code"]

    def assertLoginFailed(self, r, status=401):
        self.assertStatus(r, status)
        self.assertIsNone(r.header("Location"))
        self.assertIn("Invalid username or password.", r.text)
        self.assertFalse(any(h.startswith("AUTHIO_SESSION=")
                             for h in r.header_all("Set-Cookie")))
        # the page offers the form again
        self.assertEqual(len(ac.parse_forms(r.text)), 1)

    def test_login_gives_a_code_and_a_session_cookie(self):
        jar = {}
        form = self.login_form(jar)
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertCode(r)
        cookie = [h for h in r.header_all("Set-Cookie")
                  if h.startswith("AUTHIO_SESSION=")]
        self.assertEqual(len(cookie), 1, r.header_all("Set-Cookie"))
        self.assertIn("HttpOnly", cookie[0])
        self.assertIn("SameSite=Lax", cookie[0])
        self.assertIn("Path=/realms/%s/" % self.realm, cookie[0])
        self.assertNotIn("Secure", cookie[0])       # plain http here
        if ac.db_available():
            token = jar["AUTHIO_SESSION"]
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM sessions WHERE session_hash = %s"
                % ac.sql_str(ac.sha256_hex(token))), "1")
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM sessions WHERE session_hash = %s"
                % ac.sql_str(token)), "0")

    def test_login_by_email(self):
        jar = {}
        r = ac.submit_login(self.login_form(jar), jar, self.user["email"], PW)
        self.assertCode(r)

    def test_sso_second_authorize_needs_no_password(self):
        jar = {}
        self.assertCode(ac.submit_login(self.login_form(jar), jar,
                                        self.user["username"], PW))
        r = ac.authorize_get(self.realm, self.params(state="again"), jar)
        self.assertCode(r, state="again")
        # prompt=none answers silently with a session
        r = ac.authorize_get(self.realm, self.params(prompt="none",
                                                     state="p"), jar)
        self.assertCode(r, state="p")
        # prompt=login asks again
        r = ac.authorize_get(self.realm, self.params(prompt="login"), jar)
        self.assertStatus(r, 200)
        self.assertEqual(len(ac.parse_forms(r.text)), 1)
        # max_age=0 after a second: too old, asks again
        time.sleep(1.1)
        r = ac.authorize_get(self.realm, self.params(max_age="0"), jar)
        self.assertStatus(r, 200)
        # prompt=none with max_age exceeded: login_required
        r = ac.authorize_get(self.realm, self.params(prompt="none",
                                                     max_age="0"), jar)
        self.assertEqual(ac.location_params(r).get("error"),
                         "login_required")

    def test_forged_session_cookie_is_no_session(self):
        jar = {"AUTHIO_SESSION": ac.b64url(b"x" * 32)}
        r = ac.authorize_get(self.realm, self.params(prompt="none"), jar)
        self.assertEqual(ac.location_params(r).get("error"),
                         "login_required")

    def test_wrong_password_and_unknown_user_look_the_same(self):
        jar = {}
        form = self.login_form(jar)
        t0 = time.monotonic()
        wrong = ac.submit_login(form, jar, self.user["username"], "nope-nope")
        t1 = time.monotonic()
        unknown = ac.submit_login(form, jar, ac.unique("ghost"), "nope-nope")
        t2 = time.monotonic()
        self.assertLoginFailed(wrong)
        self.assertLoginFailed(unknown)
        strip = (lambda s: s.split("<footer", 1)[0]
                 .replace(self.user["username"], "X"))
        self.assertEqual(
            ac.parse_forms(wrong.text)[0]["fields"].keys(),
            ac.parse_forms(unknown.text)[0]["fields"].keys())
        self.assertIn("Invalid username or password.", strip(unknown.text))
        # both pay for a password hash: within a factor of 3 of each other
        a, b = t1 - t0, t2 - t1
        self.assertLess(max(a, b), 3 * min(a, b) + 0.05, (a, b))

    def test_missing_csrf_is_refused(self):
        for drop, jar_drop in ((("csrf",), False), ((), True)):
            with self.subTest(drop=drop, jar_drop=jar_drop):
                jar = {}
                form = self.login_form(jar)
                if jar_drop:
                    jar.pop("AUTHIO_CSRF")
                r = ac.submit_login(form, jar, self.user["username"], PW,
                                    drop=drop)
                self.assertStatus(r, 403)
                self.assertIsNone(r.header("Location"))
                self.assertNotIn("AUTHIO_SESSION", jar)

    def test_wrong_csrf_is_refused(self):
        jar = {}
        form = self.login_form(jar)
        form["fields"]["csrf"] = ac.b64url(b"y" * 32)
        jar["AUTHIO_CSRF"] = form["fields"]["csrf"]   # attacker sets both
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertStatus(r, 403)

    def test_tampered_request_is_refused(self):
        jar = {}
        form = self.login_form(jar)
        blob = form["fields"]["authreq"]
        form["fields"]["authreq"] = blob[:-2] + ("AA" if blob[-2:] != "AA"
                                                 else "BB")
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertStatus(r, 400)
        self.assertIsNone(r.header("Location"))

    def test_request_of_another_realm_is_refused(self):
        other, _ = ac.create_realm(self)
        jar = {}
        form = self.login_form(jar)
        form["action"] = "/realms/%s/login-actions/authenticate" % other
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertStatus(r, 400)

    def test_disabled_user_cannot_sign_in(self):
        u = ac.user_with_password(self.realm, PW)
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"enabled": False},
                     headers={"Content-Type": "application/merge-patch+json"})
        self.assertStatus(r, 200)
        jar = {}
        r = ac.submit_login(self.login_form(jar), jar, u["username"], PW)
        self.assertStatus(r, 403)
        self.assertIsNone(r.header("Location"))
        self.assertNotIn("AUTHIO_SESSION", jar)

    def test_disabled_user_loses_sso(self):
        u = ac.user_with_password(self.realm, PW)
        jar = {}
        self.assertCode(ac.submit_login(self.login_form(jar), jar,
                                        u["username"], PW))
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"enabled": False},
                     headers={"Content-Type": "application/merge-patch+json"})
        self.assertStatus(r, 200)
        r = ac.authorize_get(self.realm, self.params(prompt="none"), jar)
        self.assertEqual(ac.location_params(r).get("error"),
                         "login_required")

    def test_assigned_user_access(self):
        client = ac.code_flow_client(self.realm, pkceRequired=False,
                                     userAccess="assigned")
        u = ac.user_with_password(self.realm, PW)
        jar = {}
        r = ac.submit_login(self.login_form(jar, client_id=client), jar,
                            u["username"], PW)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertEqual(q.get("error"), "access_denied")
        self.assertNotIn("code", q)
        self.assertEqual(q.get("state"), "s-9")
        r = ac.admin("POST", "/realms/%s/clients/%s/users"
                     % (self.realm, client), [{"id": u["id"]}])
        self.assertIn(r.status, (200, 204), repr(r))
        r = ac.authorize_get(self.realm, self.params(client_id=client), jar)
        self.assertCode(r)

    def test_lockout_after_failures(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        u = ac.user_with_password(realm, PW)
        r = ac.admin("PUT", "/realms/%s/settings/policies" % realm,
                     {"lockout": {"maxFailures": 2,
                                  "waitIncrementSeconds": 600}})
        self.assertIn(r.status, (200, 204), repr(r))
        jar = {}
        r = ac.authorize_get(realm, self.params(client_id=client), jar)
        form = ac.parse_forms(r.text)[0]
        for _ in range(2):
            self.assertStatus(ac.submit_login(form, jar, u["username"], "no"),
                              401)
        # a locked account answers as a wrong password does (issue 5)
        r = ac.submit_login(form, jar, u["username"], PW)
        self.assertStatus(r, 401)
        self.assertIn("Invalid username or password.", r.text)
        self.assertIsNone(r.header("Location"))
        g = ac.admin("GET", ac.users_path(realm, u["id"]))
        self.assertIs(g.json["locked"], True)
        self.assertStatus(ac.admin("POST", ac.users_path(realm, u["id"],
                                                         "unlock")), 204)
        r = ac.submit_login(form, jar, u["username"], PW)
        self.assertCode(r, realm=realm)

    def test_success_clears_failures(self):
        u = ac.user_with_password(self.realm, PW)
        jar = {}
        form = self.login_form(jar)
        self.assertStatus(ac.submit_login(form, jar, u["username"], "x"), 401)
        self.assertCode(ac.submit_login(form, jar, u["username"], PW))
        g = ac.admin("GET", ac.users_path(self.realm, u["id"]))
        self.assertEqual(g.json.get("failedLogins", 0), 0)

    def test_inactive_realm_cannot_sign_in(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        u = ac.user_with_password(realm, PW)
        jar = {}
        r = ac.authorize_get(realm, self.params(client_id=client), jar)
        self.assertStatus(r, 200)
        form = ac.parse_forms(r.text)[0]
        r = ac.admin("PATCH", "/realms/" + realm, {"status": "inactive"},
                     headers={"Content-Type": "application/merge-patch+json"})
        self.assertStatus(r, 200)
        ac.settle()
        r = ac.submit_login(form, jar, u["username"], PW)
        self.assertStatus(r, 403)
        self.assertIsNone(r.header("Location"))
        self.assertNotIn("AUTHIO_SESSION", jar)
        r = ac.authorize_get(realm, self.params(client_id=client), jar)
        self.assertStatus(r, 403)
        self.assertIsNone(r.header("Location"))

    def test_form_post_response_mode(self):
        jar = {}
        form = self.login_form(jar, response_mode="form_post")
        r = ac.submit_login(form, jar, self.user["username"], PW)
        self.assertStatus(r, 200)
        posted = ac.parse_forms(r.text)
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted[0]["action"], CB)
        self.assertEqual(posted[0]["method"], "post")
        f = posted[0]["fields"]
        self.assertRegex(f.get("code", ""), r"^[A-Za-z0-9_-]{43}$")
        self.assertEqual(f.get("state"), "s-9")
        self.assertEqual(f.get("iss"), ac.issuer(self.realm))
        self.assertIn('type="submit"', r.text)     # works without JS
        self.assertIn("frame-ancestors 'none'",
                      r.header("Content-Security-Policy"))

    def test_login_page_keeps_escaping_the_username(self):
        jar = {}
        r = ac.submit_login(self.login_form(jar), jar,
                            '"><script>alert(1)</script>', "x")
        self.assertStatus(r, 401)
        self.assertNotIn("<script>alert(1)", r.text)


if __name__ == "__main__":
    unittest.main()
