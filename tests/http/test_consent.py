"""Consent for clients with consentRequired (issue 4): the page after
sign-in, Allow and Deny, remembered per user and client, asked again for
new scopes or prompt=consent, consent_required for prompt=none."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"


class ConsentTest(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False,
                                         consentRequired=True,
                                         name="<b>Shop</b>")

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def params(self, **kw):
        p = {"client_id": self.client, "redirect_uri": CB,
             "response_type": "code", "scope": "openid", "state": "cs"}
        p.update(kw)
        return p

    def signed_in(self, **kw):
        """A fresh user signed in; returns (jar, consent page response)."""
        u = ac.user_with_password(self.realm, PW)
        jar = {}
        r = ac.authorize_get(self.realm, self.params(**kw), jar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, u["username"], PW)
        return jar, r

    def consent_form(self, r):
        self.assertStatus(r, 200)
        self.assertIsNone(r.header("Location"))
        forms = ac.parse_forms(r.text)
        self.assertEqual(len(forms), 1, r.text)
        self.assertTrue(forms[0]["action"].endswith("/login-actions/consent"))
        return forms[0]

    def decide(self, form, jar, decision, drop=()):
        fields = dict(form["fields"], decision=decision)
        for k in drop:
            fields.pop(k)
        r = ac.request("POST", form["action"], form=fields,
                       headers=dict(ac.HTML_ACCEPT,
                                    Cookie=ac.cookie_header(jar)))
        ac.cookies_from(r, jar)
        return r

    def test_allow_then_remembered(self):
        jar, r = self.signed_in()
        form = self.consent_form(r)
        self.assertIn("openid", r.text)
        self.assertNotIn("<b>Shop</b>", r.text)
        self.assertIn("&lt;b&gt;Shop&lt;/b&gt;", r.text)
        r = self.decide(form, jar, "approve")
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q)
        self.assertEqual(q["state"], "cs")
        # remembered: the next authorize answers at once
        r = ac.authorize_get(self.realm, self.params(state="2"), jar)
        self.assertStatus(r, 302)
        self.assertIn("code", ac.location_params(r))
        # a new scope asks again; prompt=none cannot
        r = ac.authorize_get(self.realm, self.params(
            scope="openid email", prompt="none"), jar)
        self.assertEqual(ac.location_params(r).get("error"),
                         "consent_required")
        r = ac.authorize_get(self.realm, self.params(scope="openid email"),
                             jar)
        form = self.consent_form(r)
        self.assertIn("email", r.text)
        self.assertIn("code", ac.location_params(
            self.decide(form, jar, "approve")))
        # prompt=consent asks even when remembered
        r = ac.authorize_get(self.realm, self.params(prompt="consent"), jar)
        self.consent_form(r)
        # and the union is remembered: both scope sets answer at once
        for scope in ("openid", "openid email", "email"):
            r = ac.authorize_get(self.realm, self.params(scope=scope), jar)
            self.assertIn("code", ac.location_params(r), scope)

    def test_deny(self):
        jar, r = self.signed_in()
        r = self.decide(self.consent_form(r), jar, "deny")
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertEqual(q.get("error"), "access_denied")
        self.assertEqual(q.get("state"), "cs")
        self.assertNotIn("code", q)
        # nothing remembered
        r = ac.authorize_get(self.realm, self.params(), jar)
        self.consent_form(r)

    def test_consent_without_csrf_or_session(self):
        jar, r = self.signed_in()
        form = self.consent_form(r)
        r = self.decide(form, jar, "approve", drop=("csrf",))
        self.assertStatus(r, 403)
        self.assertIsNone(r.header("Location"))
        no_session = {"AUTHIO_CSRF": jar["AUTHIO_CSRF"]}
        r = self.decide(form, no_session, "approve")
        self.assertStatus(r, 400)
        self.assertIsNone(r.header("Location"))


if __name__ == "__main__":
    unittest.main()
