"""id_token_hint and ui_locales at /authorize (OIDC Core §3.1.2.1, issue
4): a hint naming the signed-in user lets the session answer; one naming
someone else asks for a sign-in (login_required with prompt=none); a hint
that is not an ID token of the realm is an invalid_request sent back to
the client; an expired hint still counts.  ui_locales sets the pages'
language."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"


class AuthorizeHintTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False)
        cls.secret, _ = ac.create_secret(cls.realm, cls.client)
        cls.ada = ac.user_with_password(cls.realm, PW)
        cls.bob = ac.user_with_password(cls.realm, PW)
        cls.other_realm, _ = ac.create_realm(None)
        cls.other_client = ac.code_flow_client(cls.other_realm,
                                               pkceRequired=False)
        cls.other_secret, _ = ac.create_secret(cls.other_realm,
                                               cls.other_client)
        cls.other_user = ac.user_with_password(cls.other_realm, PW)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)
        ac.delete_realm_quietly(cls.other_realm)

    def params(self, **kw):
        p = {"client_id": self.client, "redirect_uri": CB,
             "response_type": "code", "scope": "openid", "state": "st"}
        p.update(kw)
        return p

    def signed_in(self, user):
        """A browser signed in as user and that user's ID token."""
        jar = {}
        r = ac.authorize_get(self.realm, self.params(), jar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, user["username"],
                            PW)
        code = ac.location_params(r)["code"]
        t = ac.token_request(self.realm, self.client, self.secret, params={
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": CB})
        self.assertStatus(t, 200)
        return jar, t.json["id_token"]

    def test_hint_of_the_signed_in_user_gets_a_code(self):
        jar, idt = self.signed_in(self.ada)
        r = ac.authorize_get(self.realm, self.params(
            id_token_hint=idt, prompt="none"), jar)
        self.assertStatus(r, 302)
        self.assertIn("code", ac.location_params(r))

    def test_hint_of_another_user_asks_for_sign_in(self):
        jar, _ = self.signed_in(self.ada)
        _, bob_idt = self.signed_in(self.bob)
        r = ac.authorize_get(self.realm, self.params(
            id_token_hint=bob_idt, prompt="none"), jar)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertEqual(q.get("error"), "login_required")
        self.assertEqual(q.get("state"), "st")
        r = ac.authorize_get(self.realm, self.params(id_token_hint=bob_idt),
                             jar)
        self.assertStatus(r, 200)
        self.assertEqual(len(ac.parse_forms(r.text)), 1)

    def test_bad_hints_are_invalid_request(self):
        jar, idt = self.signed_in(self.ada)
        fjar = {}
        r = ac.authorize_get(self.other_realm, {
            "client_id": self.other_client, "redirect_uri": CB,
            "response_type": "code", "scope": "openid"}, fjar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], fjar,
                            self.other_user["username"], PW)
        t = ac.token_request(self.other_realm, self.other_client,
                             self.other_secret, params={
                                 "grant_type": "authorization_code",
                                 "code": ac.location_params(r)["code"],
                                 "redirect_uri": CB})
        foreign = t.json["id_token"]
        access = t.json["access_token"]
        head, body, sig = idt.split(".")
        tampered = ".".join((head, body, sig[:-4] + ("AAAA" if sig[-4:] !=
                                                      "AAAA" else "BBBB")))
        for name, hint in (("garbage", "not-a-jwt"), ("tampered", tampered),
                           ("other realm", foreign),
                           ("access token", access)):
            with self.subTest(hint=name):
                r = ac.authorize_get(self.realm, self.params(
                    id_token_hint=hint), jar)
                self.assertStatus(r, 302)
                q = ac.location_params(r)
                self.assertEqual(q.get("error"), "invalid_request")
                self.assertIn("id_token_hint", q.get("error_description"))
                self.assertEqual(q.get("state"), "st")

    def test_expired_hint_still_counts(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        secret, _ = ac.create_secret(realm, client)
        user = ac.user_with_password(realm, PW)
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % realm,
                     {"idTokenLifetime": 1})
        self.assertIn(r.status, (200, 204), repr(r))
        ac.settle()
        jar = {}
        p = {"client_id": client, "redirect_uri": CB,
             "response_type": "code", "scope": "openid"}
        r = ac.authorize_get(realm, p, jar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, user["username"],
                            PW)
        t = ac.token_request(realm, client, secret, params={
            "grant_type": "authorization_code",
            "code": ac.location_params(r)["code"], "redirect_uri": CB})
        idt = t.json["id_token"]
        time.sleep(2.1)
        r = ac.authorize_get(realm, dict(p, id_token_hint=idt,
                                         prompt="none"), jar)
        self.assertStatus(r, 302)
        self.assertIn("code", ac.location_params(r))

    def test_ui_locales_sets_the_page_language(self):
        jar = {}
        r = ac.authorize_get(self.realm, self.params(ui_locales="de-CH fr"),
                             jar)
        self.assertStatus(r, 200)
        # de-CH has no catalogue of its own: German (test_locale.py
        # checks what the pages say)
        self.assertIn('<html lang="de"', r.text)
        # carried through a failed sign-in
        form = ac.parse_forms(r.text)[0]
        r = ac.submit_login(form, jar, self.ada["username"], "wrong")
        self.assertStatus(r, 401)
        self.assertIn('<html lang="de"', r.text)
        # anything that is not a language tag is ignored
        r = ac.authorize_get(self.realm, self.params(
            ui_locales='"><script>'), {})
        self.assertStatus(r, 200)
        self.assertNotIn("<script>", r.text)


if __name__ == "__main__":
    unittest.main()
