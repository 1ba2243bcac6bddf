"""The hosted pages and mails in the realm's language (issue 5): the
branding document's `locale` chooses the language of a realm (a client's
branding may override it), `ui_locales` at /authorize and /logout chooses
per request (first tag with a catalogue, a region falling back to its
language), and everything the pages say — labels, the wrong-password
message, a message per broken password rule with its count, expired
forms, the device pages, the reset mail — comes from
templates/messages/<lang>.hdf.  The admin API keeps answering in English.

Expected texts are read from the catalogues themselves, so the tests
check that the right catalogue was used, not a copy of its wording."""

import html
import os
import re
import unittest

import authio_client as ac
from authio_client import AuthioTestCase
import test_mail as tm

CB = "https://app.example/cb"
PW = "correct horse battery"
CATALOGUES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "..", "templates", "messages")


def catalogue(lang):
    out = {}
    with open(os.path.join(CATALOGUES, lang + ".hdf"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                key, _, text = line.partition(" = ")
                out[key] = text
    return out


CAT = {lang: catalogue(lang) for lang in ("en", "de", "fr", "es", "it")}


def say(lang, key, *args, count=None):
    """What the catalogue of lang says for key (the singular form when
    count is 1), with the placeholders filled in."""
    c = CAT[lang]
    text = c[key + ".one"] if count == 1 and key + ".one" in c else c[key]
    for i, a in enumerate(args):
        text = text.replace("{%d}" % i, str(a))
    return text


def plain(page):
    """The page's text: tags dropped, entities decoded, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text))


def part(lang, key):
    """The text of key before its first placeholder (what a page shows
    in front of the <strong> name it puts there)."""
    return say(lang, key).split("{0}")[0].strip()


def problems(page):
    """The items of the page's list of problems (templates/login/
    problems.cs); [] when it has none."""
    start = page.find('id="problems"')
    if start < 0:
        return []
    block = page[start:page.find("</ul>", start)]
    return [html.unescape(li.split("</li>")[0])
            for li in block.split("<li>")[1:]]


def put_branding(realm, doc):
    r = ac.admin("PUT", "/realms/%s/settings/branding" % realm, doc)
    assert r.status in (200, 204), r


class LocaleTestCase(AuthioTestCase):
    branding = {"locale": "de"}

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False)
        put_branding(cls.realm, cls.branding)
        ac.settle()

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def authorize(self, jar, client=None, **extra):
        params = {"client_id": client or self.client, "redirect_uri": CB,
                  "response_type": "code", "scope": "openid",
                  "state": "st"}
        params.update(extra)
        return ac.authorize_get(self.realm, params, jar)

    def assertSpeaks(self, r, lang, *keys):
        self.assertIn('<html lang="%s">' % lang, r.text)
        text = plain(r.text)
        for k in keys:
            self.assertIn(say(lang, k).split("{0}")[0].strip(), text, k)


class RealmLocaleTest(LocaleTestCase):

    def test_login_page_in_the_realm_language(self):
        r = self.authorize({})
        self.assertStatus(r, 200)
        self.assertSpeaks(r, "de", "usernameOrEmail", "password", "signIn",
                          "signInTo")
        text = plain(r.text)
        self.assertNotIn(say("en", "usernameOrEmail"), text)
        # the placeholder carries the client's name, in its place
        self.assertRegex(r.text, re.escape(html.escape(
            part("de", "signInTo"), quote=False)) +
            r'\s*<strong class="client-name">')

    def test_wrong_password_and_missing_fields(self):
        u = ac.user_with_password(self.realm, PW)
        jar = {}
        r = self.authorize(jar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, u["username"],
                            PW + "x")
        self.assertStatus(r, 401)
        self.assertSpeaks(r, "de", "badCredentials")
        self.assertNotIn(say("en", "badCredentials"), plain(r.text))
        # an unknown user reads the same
        r2 = self.authorize(jar)
        r2 = ac.submit_login(ac.parse_forms(r2.text)[0], jar,
                             ac.unique("nobody"), PW)
        self.assertStatus(r2, 401)
        self.assertIn(say("de", "badCredentials"), plain(r2.text))
        r3 = self.authorize(jar)
        r3 = ac.submit_login(ac.parse_forms(r3.text)[0], jar, "", "")
        self.assertStatus(r3, 400)
        self.assertIn(say("de", "enterCredentials"), plain(r3.text))

    def test_expired_form_says_so_in_the_realm_language(self):
        jar = {}
        r = self.authorize(jar)
        form = ac.parse_forms(r.text)[0]
        form["fields"]["authreq"] = form["fields"]["authreq"][:-4] + "AAAA"
        r = ac.submit_login(form, jar, "someone", PW)
        self.assertStatus(r, 400)
        self.assertSpeaks(r, "de", "formExpiredTitle", "formExpired",
                          "startAgain")

    def test_ui_locales_chooses_per_request(self):
        # the first tag with a catalogue, a region falling back to its
        # language; the choice is carried through the sealed form
        for asked, lang in (("fr-CA de", "fr"), ("ja es", "es"),
                            ("en-GB", "en"), ("ja", "de"),
                            ("x-<b> es", "es"), ("ENGLISH", "de")):
            with self.subTest(ui_locales=asked):
                jar = {}
                r = self.authorize(jar, ui_locales=asked)
                self.assertStatus(r, 200)
                self.assertSpeaks(r, lang, "signIn")
                r = ac.submit_login(ac.parse_forms(r.text)[0], jar,
                                    ac.unique("nobody"), PW)
                self.assertStatus(r, 401)
                self.assertSpeaks(r, lang, "badCredentials")

    def test_a_client_branding_locale_overrides_the_realm(self):
        client = ac.code_flow_client(self.realm, pkceRequired=False,
                                     branding={"locale": "es"})
        r = self.authorize({}, client=client)
        self.assertStatus(r, 200)
        self.assertSpeaks(r, "es", "signIn", "usernameOrEmail")
        # ui_locales still wins
        r = self.authorize({}, client=client, ui_locales="fr")
        self.assertSpeaks(r, "fr", "signIn")

    def test_logout_and_device_pages(self):
        r = ac.get("/realms/%s/logout" % self.realm,
                   headers=ac.HTML_ACCEPT)
        self.assertStatus(r, 200)
        self.assertSpeaks(r, "de", "signedOut")
        r = ac.get("/realms/%s/logout?ui_locales=fr-CH" % self.realm,
                   headers=ac.HTML_ACCEPT)
        self.assertSpeaks(r, "fr", "signedOut")
        r = ac.get("/realms/%s/device" % self.realm, headers=ac.HTML_ACCEPT)
        self.assertStatus(r, 200)
        self.assertSpeaks(r, "de", "deviceEnterCode", "deviceCode")

    def test_error_page_of_an_unknown_client_stays_english(self):
        # before a client is known the request is a developer's mistake:
        # the error page explains it in English, like error_description
        r = ac.authorize_get(self.realm, {"client_id": "nope",
                                          "redirect_uri": CB,
                                          "response_type": "code"}, {})
        self.assertStatus(r, 400)
        self.assertIn('<html lang="en">', r.text)


class PolicyMessagesTest(LocaleTestCase):
    branding = {"locale": "fr"}

    def put_policies(self, doc):
        r = ac.admin("PUT", "/realms/%s/settings/policies" % self.realm, doc)
        self.assertIn(r.status, (200, 204), repr(r))

    def test_a_message_per_rule_with_its_count(self):
        self.put_policies({})
        u = ac.create_user(self.realm)
        r = ac.admin("PUT", ac.users_path(self.realm, u["id"], "password"),
                     {"password": "temporary pass 1", "temporary": True})
        self.assertStatus(r, 204)
        self.put_policies({"password": {"minLength": 20, "digits": 2,
                                        "upperCase": 1, "history": 1}})
        jar = {}
        r = self.authorize(jar)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, u["username"],
                            "temporary pass 1")
        self.assertStatus(r, 200)
        self.assertSpeaks(r, "fr", "mustChangePassword", "newPassword")
        form = ac.parse_forms(r.text)[0]
        fields = dict(form["fields"], **{"password-new": "temporary pass 1",
                                         "password-confirm":
                                         "temporary pass 1"})
        r = ac.request("POST", form["action"], form=fields, headers=dict(
            ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar)))
        self.assertStatus(r, 400)
        self.assertEqual(problems(r.text), [
            say("fr", "pwMinLength", 20, count=20),
            say("fr", "pwDigits", 2, count=2),
            say("fr", "pwUpperCase", 1, count=1),
            say("fr", "pwHistory", 1, count=1)])
        # the singular forms are the catalogue's, not the plural's
        self.assertNotEqual(say("fr", "pwUpperCase", 1, count=1),
                            say("fr", "pwUpperCase", 1))
        # mismatched confirmation
        form = ac.parse_forms(r.text)[0]
        fields = dict(form["fields"], **{"password-new": "Abcdefghijkl12",
                                         "password-confirm": "other"})
        r = ac.request("POST", form["action"], form=fields, headers=dict(
            ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar)))
        self.assertStatus(r, 400)
        self.assertEqual(problems(r.text),
                         [say("fr", "passwordsDiffer")])
        self.put_policies({})

    def test_the_admin_api_answers_in_english(self):
        self.put_policies({"password": {"minLength": 14}})
        u = ac.create_user(self.realm)
        r = ac.admin("PUT", ac.users_path(self.realm, u["id"], "password"),
                     {"password": "short"})
        self.assertProblem(r, 400, "password")
        self.assertEqual([e["message"] for e in r.json["errors"]],
                         ["Use at least 14 characters."])
        self.put_policies({})


class ResetMailTest(tm.MailRealm):
    branding = {"forgotPassword": True, "registrationAllowed": True,
                "locale": "es"}
    policies = {"emailVerification": {"linkLifetimeSeconds": 7200},
                "username": {"reserved": ["admin"]},
                "password": {"minLength": 10}}

    def test_forgot_page_and_mail_in_the_realm_language(self):
        u = self.user()
        jar = {}
        r = self.start(jar)
        self.assertIn(say("es", "forgotPasswordLink"), plain(r.text))
        r = tm.get_page(tm.link_href(r.text, "forgot-password"), jar)
        self.assertStatus(r, 200)
        self.assertIn('<html lang="es">', r.text)
        self.assertIn(say("es", "forgotIntro"), plain(r.text))
        r = tm.post_form(tm.form_with(r.text, "reset-credentials"), jar,
                         username=u["username"])
        self.assertStatus(r, 200)
        self.assertIn(say("es", "forgotSent"), plain(r.text))
        m = self.mail.wait(u["email"])
        self.assertEqual(m["Subject"], say("es", "mailResetSubject"))
        text = tm.body(m, "plain")
        self.assertIn(say("es", "mailHello", u["username"]), text)
        self.assertIn(say("es", "mailLinkExpires",
                          say("es", "hours", 2, count=2)), text)
        htmlbody = plain(tm.body(m, "html"))
        self.assertIn(say("es", "mailResetButton"), htmlbody)
        self.assertIn('lang="es"', tm.body(m, "html"))
        # the link's page speaks the realm's language too
        r = tm.get_page(tm.path_of(tm.link_in(m)), jar)
        self.assertStatus(r, 200)
        self.assertIn(say("es", "chooseNewPasswordTitle"), plain(r.text))

    def test_mail_in_the_users_own_language(self):
        # a user whose locale attribute names a language authio has gets
        # mail in it; the pages stay in the realm's
        for attr, lang in (({"locale": "de-AT"}, "de"),
                           ({"locale": ["it", "fr"]}, "it"),
                           ({"locale": "tlh"}, "es")):
            with self.subTest(attr=attr):
                u = self.user(attributes=attr)
                jar = {}
                r = self.start(jar)
                r = tm.get_page(tm.link_href(r.text, "forgot-password"),
                                jar)
                r = tm.post_form(tm.form_with(r.text, "reset-credentials"),
                                 jar, username=u["username"])
                self.assertStatus(r, 200)
                self.assertIn('<html lang="es">', r.text)
                self.assertIn(say("es", "forgotSent"), plain(r.text))
                m = self.mail.wait(u["email"])
                self.assertEqual(m["Subject"], say(lang, "mailResetSubject"))
                self.assertIn(say(lang, "mailHello", u["username"]),
                              tm.body(m, "plain"))

    def test_registration_rules_in_the_realm_language(self):
        jar = {}
        r = self.start(jar)
        r = tm.get_page(tm.link_href(r.text, "create-account"), jar)
        self.assertStatus(r, 200)
        self.assertIn(say("es", "createAccount"), plain(r.text))
        form = tm.form_with(r.text, "registration")
        # every rule broken at once, the username's and the password's,
        # one item each
        r = tm.post_form(form, jar, username="admin", email=ac.unique("r") +
                         "@example.org", **{"password-new": "zq7",
                                            "password-confirm": "zq7"})
        self.assertStatus(r, 400)
        self.assertEqual(problems(r.text), [
            say("es", "unReserved"), say("es", "pwMinLength", 10)])
        r = tm.post_form(form, jar, username=ac.unique("r"),
                         email=ac.unique("r") + "@example.org",
                         **{"password-new": PW, "password-confirm": PW + "x"})
        self.assertStatus(r, 400)
        self.assertEqual(problems(r.text),
                         [say("es", "passwordsDiffer")])


if __name__ == "__main__":
    unittest.main()
