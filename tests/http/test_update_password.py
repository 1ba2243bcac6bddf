"""The UPDATE_PASSWORD required action on the hosted login (issue 4): a
user whose password an administrator set as temporary signs in, is asked
for a new one before any session or code exists, and continues to the
application; the form's failures (mismatch, length, CSRF, a request not
meant for it) are refused without a session."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
TEMP = "temporary pass 1"
NEW = "brand new secret 2"


class UpdatePasswordTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def temp_user(self):
        u = ac.create_user(self.realm)
        r = ac.admin("PUT", ac.users_path(self.realm, u["id"], "password"),
                     {"password": TEMP, "temporary": True})
        self.assertStatus(r, 204)
        return u

    def sign_in(self, user, password=TEMP, jar=None):
        jar = {} if jar is None else jar
        r = ac.authorize_get(self.realm, {
            "client_id": self.client, "redirect_uri": CB,
            "response_type": "code", "scope": "openid", "state": "s1"}, jar)
        self.assertStatus(r, 200)
        return ac.submit_login(ac.parse_forms(r.text)[0], jar,
                               user["username"], password), jar

    def new_password(self, form, jar, new=NEW, confirm=None, drop=()):
        fields = dict(form["fields"])
        fields["password-new"] = new
        fields["password-confirm"] = new if confirm is None else confirm
        for k in drop:
            fields.pop(k, None)
        hdrs = dict(ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar))
        r = ac.request("POST", form["action"], form=fields, headers=hdrs)
        ac.cookies_from(r, jar)
        return r

    def test_temporary_password_must_be_changed(self):
        u = self.temp_user()
        r, jar = self.sign_in(u)
        self.assertStatus(r, 200)
        self.assertIn("change your password", r.text)
        self.assertNotIn("AUTHIO_SESSION", jar)
        self.assertIn("frame-ancestors 'none'",
                      r.header("Content-Security-Policy"))
        form = ac.parse_forms(r.text)[0]
        self.assertTrue(form["action"].endswith(
            "/login-actions/update-password"), form)
        r = self.new_password(form, jar)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q)
        self.assertEqual(q["state"], "s1")
        self.assertIn("AUTHIO_SESSION", jar)
        # the action is gone: the old password fails, the new one works
        # without the extra step
        user = ac.admin("GET", ac.users_path(self.realm, u["id"])).json
        self.assertNotIn("UPDATE_PASSWORD", user["requiredActions"])
        r, _ = self.sign_in(u)
        self.assertStatus(r, 401)
        r, _ = self.sign_in(u, NEW)
        self.assertStatus(r, 302)
        ev = ac.admin("GET", "/realms/%s/events?type=password.update"
                      % self.realm)
        self.assertStatus(ev, 200)
        self.assertGreaterEqual(ev.json["total"], 1)

    def test_bad_new_passwords_are_refused(self):
        u = self.temp_user()
        r, jar = self.sign_in(u)
        form = ac.parse_forms(r.text)[0]
        for new, confirm, text in (
                (NEW, NEW + "x", "do not match"),
                ("short", "short", "Use at least 8 characters"),
                ("", "", "Enter a new password")):
            with self.subTest(text=text):
                r = self.new_password(form, jar, new, confirm)
                self.assertStatus(r, 400)
                self.assertIn(text, r.text)
                self.assertNotIn("AUTHIO_SESSION", jar)
                form = ac.parse_forms(r.text)[0]
        # the temporary password still stands
        user = ac.admin("GET", ac.users_path(self.realm, u["id"])).json
        self.assertIn("UPDATE_PASSWORD", user["requiredActions"])

    def test_csrf_and_foreign_requests_are_refused(self):
        u = self.temp_user()
        r, jar = self.sign_in(u)
        form = ac.parse_forms(r.text)[0]
        r = self.new_password(form, jar, drop=("csrf",))
        self.assertStatus(r, 403)
        # a sign-in request (no user sealed in it) cannot set a password
        r = ac.authorize_get(self.realm, {
            "client_id": self.client, "redirect_uri": CB,
            "response_type": "code", "scope": "openid"}, jar)
        login = ac.parse_forms(r.text)[0]
        login["action"] = form["action"]
        r = self.new_password(login, jar)
        self.assertStatus(r, 400)
        # nor can the update form's request sign in
        upd = dict(form, action=form["action"].replace(
            "update-password", "authenticate"))
        r = ac.submit_login(upd, jar, u["username"], TEMP)
        self.assertStatus(r, 400)
        self.assertNotIn("AUTHIO_SESSION", jar)
        user = ac.admin("GET", ac.users_path(self.realm, u["id"])).json
        self.assertIn("UPDATE_PASSWORD", user["requiredActions"])

    def test_wrong_temporary_password_gets_no_form(self):
        u = self.temp_user()
        r, jar = self.sign_in(u, "not the password")
        self.assertStatus(r, 401)
        self.assertNotIn("update-password", r.text)

    def test_disabled_meanwhile(self):
        u = self.temp_user()
        r, jar = self.sign_in(u)
        form = ac.parse_forms(r.text)[0]
        self.assertStatus(ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                                   {"enabled": False}), 200)
        r = self.new_password(form, jar)
        self.assertStatus(r, 400)
        self.assertNotIn("AUTHIO_SESSION", jar)


if __name__ == "__main__":
    unittest.main()
