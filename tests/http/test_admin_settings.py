"""The admin REST API for a realm's settings documents:
/api/admin/realms/{realmId}/settings/{branding,policies,tokens}."""

import json
import time
import unittest

import authio_client as ac
from test_bad_input import ONE_MIB, JsonRouteMatrix

TOKENS_DEFAULTS = {
    "accessTokenLifetime": 300, "idTokenLifetime": 300,
    "refreshTokenIdle": 1800, "refreshTokenMax": 36000,
    "ssoSessionIdle": 1800, "ssoSessionMax": 36000, "authCodeLifetime": 60,
    "deviceCodeLifetime": 600, "signingAlg": "RS256", "keyRotationDays": 90,
    "secretLifetimeDays": 0, "refreshReuseGraceSeconds": 0,
    "idTokenOnRefresh": True,
}

POLICIES_DEFAULTS = {
    "password": {"minLength": 8, "maxLength": 1024, "digits": 0,
                 "lowerCase": 0, "upperCase": 0, "specialChars": 0,
                 "notUsername": True, "notContainsUsername": False,
                 "notEmail": True, "history": 0, "maxAgeDays": 0,
                 "regex": "", "denylist": True},
    "hashing": {"algorithm": "scrypt", "cost": 15},
    "username": {"minLength": 1, "maxLength": 255, "pattern": "",
                 "reserved": [], "emailAsUsername": False},
    "lockout": {"enabled": True, "maxFailures": 5, "waitIncrementSeconds": 60,
                "maxWaitSeconds": 900, "failureResetSeconds": 43200,
                "permanentAfter": 0, "perIpMaxFailures": 100},
    "emailVerification": {"required": False, "linkLifetimeSeconds": 43200},
    "mail": {"from": "", "fromName": "", "replyTo": "",
             "transport": "sendmail", "sendmailPath": "/usr/sbin/sendmail",
             "smtpHost": "", "smtpPort": 587, "smtpStartTls": True,
             "smtpUser": "", "smtpPassword": ""},
}

BRANDING_DEFAULTS = {
    "title": "", "subtitle": "", "primaryColor": "", "backgroundColor": "",
    "logoUrl": "", "backgroundUrl": "", "rememberMe": True,
    "registrationAllowed": False, "forgotPassword": True, "locale": "en",
}

DEFAULTS = {"tokens": TOKENS_DEFAULTS, "policies": POLICIES_DEFAULTS,
            "branding": BRANDING_DEFAULTS}


def settings_path(realm, name):
    return "/realms/%s/settings/%s" % (ac.quote(realm), ac.quote(name))


def doc_only(body):
    return {k: v for k, v in body.items() if k not in ("version", "updatedAt")}


def merged(base, change):
    out = json.loads(json.dumps(base))
    for k, v in change.items():
        if isinstance(v, dict):
            out[k] = merged(out.get(k, {}), v)
        else:
            out[k] = v
    return out


class SettingsReadWriteTest(ac.RealmTestCase):

    def test_defaults_before_any_write(self):
        realm, _ = ac.create_realm(self)
        for name, defaults in DEFAULTS.items():
            with self.subTest(name=name):
                r = ac.admin("GET", settings_path(realm, name))
                self.assertStatus(r, 200)
                body = self.assertJson(r)
                self.assertEqual(doc_only(body), defaults)
                self.assertEqual(body["version"], 1)
                self.assertIsNone(body["updatedAt"])
                self.assertEqual(r.header("ETag"), '"1"')

    def test_put_sets_given_members_and_defaults_the_rest(self):
        realm, _ = ac.create_realm(self)
        change = {"password": {"minLength": 12, "digits": 1,
                               "regex": "^[^ ]+$"},
                  "username": {"reserved": ["admin", "root"],
                               "pattern": "^[a-z][a-z0-9._-]*$"},
                  "lockout": {"maxFailures": 3, "enabled": False},
                  "mail": {"from": "noreply@example.com", "transport": "smtp",
                           "smtpHost": "mail.example.com", "smtpPort": 465}}
        t0 = time.time()
        r = ac.admin("PUT", settings_path(realm, "policies"), change)
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(doc_only(body), merged(POLICIES_DEFAULTS, change))
        self.assertEqual(body["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertGreaterEqual(self.assertRfc3339Utc(body["updatedAt"]),
                                int(t0))
        self.assertEqual(ac.admin("GET", settings_path(realm, "policies")).json,
                         body)
        # absent = default: a second PUT replaces, it does not merge
        r = ac.admin("PUT", settings_path(realm, "policies"),
                     {"password": {"maxLength": 64}})
        self.assertStatus(r, 200)
        self.assertEqual(doc_only(r.json), merged(POLICIES_DEFAULTS, {
            "password": {"maxLength": 64}}))
        self.assertEqual(r.json["version"], 3)
        # null = default too, and {} restores every default
        r = ac.admin("PUT", settings_path(realm, "policies"),
                     {"password": None, "lockout": {"maxFailures": None}})
        self.assertEqual(doc_only(r.json), POLICIES_DEFAULTS)

    def test_branding_and_tokens(self):
        realm, _ = ac.create_realm(self)
        brand = {"title": "Acme Sign-in", "subtitle": "Welcome back",
                 "primaryColor": "#1a73e8", "backgroundColor": "#fff",
                 "logoUrl": "https://cdn.example.com/logo.svg",
                 "backgroundUrl": "/static/img/bg.jpg", "rememberMe": False,
                 "registrationAllowed": True, "forgotPassword": False,
                 "locale": "pt-BR"}
        r = ac.admin("PUT", settings_path(realm, "branding"), brand)
        self.assertStatus(r, 200)
        self.assertEqual(doc_only(r.json), brand)
        tokens = {"accessTokenLifetime": 900, "refreshTokenIdle": 3600,
                  "refreshTokenMax": 86400, "authCodeLifetime": 600,
                  "signingAlg": "ES256", "keyRotationDays": 0}
        r = ac.admin("PUT", settings_path(realm, "tokens"), tokens)
        self.assertStatus(r, 200)
        self.assertEqual(doc_only(r.json), dict(TOKENS_DEFAULTS, **tokens))

    def test_get_edit_put_round_trip(self):
        realm, _ = ac.create_realm(self)
        got = ac.admin("GET", settings_path(realm, "branding")).json
        got["title"] = "Edited"
        r = ac.admin("PUT", settings_path(realm, "branding"), got,
                     headers={"If-Match": '"%d"' % got["version"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["title"], "Edited")
        self.assertEqual(r.json["version"], got["version"] + 1)

    def test_access_token_lifetime_drives_token_expiry(self):
        realm, client, secret = ac.realm_with_client(self)
        t = ac.token_request(realm, client, secret)
        claims = ac.jose_payload_unverified(t.json["access_token"])
        self.assertEqual(t.json["expires_in"], 300)
        self.assertEqual(claims["exp"] - claims["iat"], 300)
        r = ac.admin("PUT", settings_path(realm, "tokens"),
                     {"accessTokenLifetime": 120})
        self.assertStatus(r, 200)
        ac.settle()
        for _ in range(3):   # whichever worker answers
            t = ac.token_request(realm, client, secret)
            self.assertStatus(t, 200)
            _, claims = ac.verify_jws(t.json["access_token"],
                                      ac.fetch_jwks(realm))
            self.assertEqual(t.json["expires_in"], 120)
            self.assertEqual(claims["exp"] - claims["iat"], 120)
        # other realms keep the default
        other, c2, s2 = ac.realm_with_client(self)
        self.assertEqual(ac.token_request(other, c2, s2).json["expires_in"],
                         300)


class SettingsValidationTest(ac.RealmTestCase):

    CASES = (
        ("tokens", {"accessTokenLifetime": 0}, "accessTokenLifetime"),
        ("tokens", {"accessTokenLifetime": 31536001}, "accessTokenLifetime"),
        ("tokens", {"accessTokenLifetime": "300"}, "accessTokenLifetime"),
        ("tokens", {"accessTokenLifetime": 1.5}, "accessTokenLifetime"),
        ("tokens", {"accessTokenLifetime": True}, "accessTokenLifetime"),
        ("tokens", {"authCodeLifetime": 601}, "authCodeLifetime"),
        ("tokens", {"keyRotationDays": -1}, "keyRotationDays"),
        ("tokens", {"refreshReuseGraceSeconds": 3600},
         "refreshReuseGraceSeconds"),
        ("tokens", {"refreshTokenIdle": 40000}, "refreshTokenIdle"),
        ("tokens", {"ssoSessionIdle": 7200, "ssoSessionMax": 3600},
         "ssoSessionIdle"),
        ("tokens", {"signingAlg": "HS256"}, "signingAlg"),
        ("tokens", {"signingAlg": "none"}, "signingAlg"),
        ("tokens", {"signingAlg": "EdDSA"}, "signingAlg"),   # no EdDSA key
        ("tokens", {"accesTokenLifetime": 300}, "accesTokenLifetime"),
        ("tokens", {"password": {"minLength": 8}}, "password"),
        ("policies", {"password": {"minLength": 0}}, "password.minLength"),
        ("policies", {"password": {"minLength": 2000}}, "password.minLength"),
        ("policies", {"password": {"minLength": 30, "maxLength": 20}},
         "password.minLength"),
        ("policies", {"password": {"bogus": 1}}, "password.bogus"),
        ("policies", {"password": 8}, "password"),
        ("policies", {"password": {"regex": "(unclosed"}}, "password.regex"),
        ("policies", {"password": {"regex": "(a{1000}){1000}"}},
         "password.regex"),
        ("policies", {"password": {"notEmail": "yes"}}, "password.notEmail"),
        ("policies", {"hashing": {"cost": 9}}, "hashing.cost"),
        ("policies", {"hashing": {"cost": 21}}, "hashing.cost"),
        ("policies", {"hashing": {"algorithm": "md5"}}, "hashing.algorithm"),
        ("policies", {"username": {"pattern": "[a-"}}, "username.pattern"),
        ("policies", {"username": {"reserved": "admin"}}, "username.reserved"),
        ("policies", {"username": {"reserved": [1]}}, "username.reserved"),
        ("policies", {"username": {"reserved": [""]}}, "username.reserved"),
        ("policies", {"username": {"minLength": 300}}, "username.minLength"),
        ("policies", {"lockout": {"maxFailures": 0}}, "lockout.maxFailures"),
        ("policies", {"lockout": {"waitIncrementSeconds": 1000,
                                  "maxWaitSeconds": 10}},
         "lockout.waitIncrementSeconds"),
        ("policies", {"emailVerification": {"linkLifetimeSeconds": 10}},
         "emailVerification.linkLifetimeSeconds"),
        ("policies", {"mail": {"transport": "carrier-pigeon"}},
         "mail.transport"),
        ("policies", {"mail": {"transport": "smtp"}}, "mail.smtpHost"),
        ("policies", {"mail": {"from": "not an address"}}, "mail.from"),
        ("policies", {"mail": {"replyTo": "a@b@c.d"}}, "mail.replyTo"),
        ("policies", {"mail": {"sendmailPath": "sendmail"}},
         "mail.sendmailPath"),
        ("policies", {"mail": {"sendmailPath": "/usr/sbin/sendmail; rm -rf /"}},
         "mail.sendmailPath"),
        ("policies", {"mail": {"smtpPort": 70000}}, "mail.smtpPort"),
        ("policies", {"mail": {"smtpPassword": 1234}}, "mail.smtpPassword"),
        ("policies", {"mail": {"smtpHost": "evil host"}}, "mail.smtpHost"),
        ("policies", {"accessTokenLifetime": 300}, "accessTokenLifetime"),
        ("branding", {"primaryColor": "red"}, "primaryColor"),
        ("branding", {"primaryColor": "#12345"}, "primaryColor"),
        ("branding", {"backgroundColor": "#ggg"}, "backgroundColor"),
        ("branding", {"logoUrl": "http://example.com/logo.png"}, "logoUrl"),
        ("branding", {"logoUrl": "javascript:alert(1)"}, "logoUrl"),
        ("branding", {"logoUrl": "//evil.example/x.png"}, "logoUrl"),
        ("branding", {"logoUrl": "https://x.example/a.png\")"}, "logoUrl"),
        ("branding", {"backgroundUrl": "/static/../etc/passwd"},
         "backgroundUrl"),
        ("branding", {"backgroundUrl": "/img/bg.png"}, "backgroundUrl"),
        ("branding", {"locale": "EN"}, "locale"),
        ("branding", {"locale": "english"}, "locale"),
        ("branding", {"locale": "en-"}, "locale"),
        ("branding", {"title": "t" * 256}, "title"),
        ("branding", {"title": "line\nbreak"}, "title"),
        ("branding", {"rememberMe": "true"}, "rememberMe"),
        ("branding", {"password": {}}, "password"),
    )

    def test_every_invalid_member_is_named(self):
        before = {n: ac.admin("GET", settings_path(self.realm, n)).json
                  for n in DEFAULTS}
        for name, body, field in self.CASES:
            with self.subTest(name=name, body=body):
                r = ac.admin("PUT", settings_path(self.realm, name), body)
                self.assertProblem(r, 400, field=field)
        for name in DEFAULTS:
            self.assertEqual(ac.admin("GET", settings_path(self.realm, name))
                             .json, before[name], name)

    def test_all_problems_at_once(self):
        r = ac.admin("PUT", settings_path(self.realm, "policies"),
                     {"password": {"minLength": -1, "nope": True},
                      "lockout": {"maxFailures": "5"}, "extra": 1})
        body = self.assertProblem(r, 400)
        self.assertEqual(sorted(e["field"] for e in body["errors"]),
                         ["extra", "lockout.maxFailures", "password.minLength",
                          "password.nope"])

    def test_bad_bodies(self):
        for body in ("[1]", "not json", "", "{\"title\": \"x\""):
            with self.subTest(body=body):
                r = ac.request("PUT", "/api/admin" + settings_path(
                    self.realm, "branding"), body=body,
                    headers={"Content-Type": "application/json"},
                    token=ac.admin_token())
                self.assertProblem(r, 400)

    def test_signing_alg_needs_an_active_key(self):
        realm, _ = ac.create_realm(self)
        self.assertProblem(ac.admin("PUT", settings_path(realm, "tokens"),
                                    {"signingAlg": "PS256"}), 400,
                           field="signingAlg")
        ps = ac.admin("POST", "/realms/%s/keys" % ac.quote(realm),
                      {"alg": "PS256"})
        self.assertStatus(ps, 201)
        r = ac.admin("PUT", settings_path(realm, "tokens"),
                     {"signingAlg": "PS256"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["signingAlg"], "PS256")


class SettingsSecretTest(ac.RealmTestCase):

    def test_smtp_password_is_sealed_and_never_shown(self):
        realm, _ = ac.create_realm(self)
        pw = "pw-" + ac.unique("s")
        mail = {"transport": "smtp", "smtpHost": "smtp.example.com",
                "smtpUser": "authio", "smtpPassword": pw}
        r = ac.admin("PUT", settings_path(realm, "policies"), {"mail": mail})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["mail"]["smtpPassword"], "********")
        self.assertNotIn(pw, r.text)
        got = ac.admin("GET", settings_path(realm, "policies"))
        self.assertEqual(got.json["mail"]["smtpPassword"], "********")
        self.assertNotIn(pw, got.text)
        stored = None
        if ac.db_available():
            stored = ac.db_scalar(
                "SELECT s.doc FROM realm_settings s JOIN realms r ON "
                "r.id = s.realm_id WHERE r.realm_id = %s AND s.name = "
                "'policies'" % ac.sql_str(realm))
            self.assertNotIn(pw, stored)
            self.assertIn("sealed", stored)
        # "********" keeps the stored secret
        got.json["mail"]["smtpUser"] = "renamed"
        r = ac.admin("PUT", settings_path(realm, "policies"), got.json)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["mail"]["smtpPassword"], "********")
        self.assertEqual(r.json["mail"]["smtpUser"], "renamed")
        if stored is not None:
            again = ac.db_scalar(
                "SELECT s.doc FROM realm_settings s JOIN realms r ON "
                "r.id = s.realm_id WHERE r.realm_id = %s AND s.name = "
                "'policies'" % ac.sql_str(realm))
            self.assertEqual(json.loads(again)["mail"]["smtpPassword"],
                             json.loads(stored)["mail"]["smtpPassword"])
        # the audit trail never holds it either
        events = ac.admin("GET", "/realms/%s/events?type=settings.update"
                          % ac.quote(realm))
        self.assertEqual(events.json["total"], 2)
        self.assertNotIn(pw, events.text)
        self.assertNotIn("sealed", events.text)
        ev = events.json["items"][0]
        self.assertEqual(ev["resourceType"], "settings")
        self.assertEqual(ev["resourceId"], "policies")
        self.assertEqual(ev["details"]["before"]["mail"]["smtpUser"], "authio")
        self.assertEqual(ev["details"]["after"]["mail"]["smtpUser"], "renamed")
        self.assertEqual(ev["details"]["after"]["mail"]["smtpPassword"],
                         "********")
        # absent (or "") clears it
        r = ac.admin("PUT", settings_path(realm, "policies"),
                     {"mail": {"transport": "sendmail"}})
        self.assertEqual(r.json["mail"]["smtpPassword"], "")
        r = ac.admin("PUT", settings_path(realm, "policies"),
                     {"mail": {"smtpPassword": ""}})
        self.assertEqual(r.json["mail"]["smtpPassword"], "")


class SettingsConcurrencyAndErrorsTest(ac.RealmTestCase):

    def test_if_match(self):
        realm, _ = ac.create_realm(self)
        path = settings_path(realm, "tokens")
        first = ac.admin("PUT", path, {"accessTokenLifetime": 600},
                         headers={"If-Match": '"1"'})
        self.assertStatus(first, 200)
        self.assertEqual(first.header("ETag"), '"2"')
        stale = ac.admin("PUT", path, {"accessTokenLifetime": 60},
                         headers={"If-Match": '"1"'})
        self.assertProblem(stale, 412)
        self.assertProblem(ac.admin("PUT", path, {"accessTokenLifetime": 60},
                                    headers={"If-Match": '"7"'}), 412)
        self.assertProblem(ac.admin("PUT", path, {"accessTokenLifetime": 60},
                                    headers={"If-Match": "v2"}), 400,
                           field="If-Match")
        self.assertEqual(ac.admin("GET", path).json["accessTokenLifetime"], 600)
        ok = ac.admin("PUT", path, {"accessTokenLifetime": 60},
                      headers={"If-Match": '"2"'})
        self.assertStatus(ok, 200)
        self.assertEqual(ok.json["version"], 3)

    def test_unknown_document_and_realm_are_404(self):
        for name in ("theme", "Tokens", "tokens.json", "x" * 300):
            with self.subTest(name=name[:20]):
                self.assertProblem(ac.admin("GET", settings_path(self.realm,
                                                                 name)), 404)
                self.assertProblem(ac.admin("PUT", settings_path(self.realm,
                                                                 name), {}),
                                   404)
        nope = ac.unique("nope")
        self.assertProblem(ac.admin("GET", settings_path(nope, "tokens")), 404)
        self.assertProblem(ac.admin("PUT", settings_path(nope, "tokens"), {}),
                           404)
        self.assertRealmAbsent(nope)

    def test_401_and_403(self):
        cid, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", cid, secret).json["access_token"]
        for method in ("GET", "PUT"):
            with self.subTest(method=method):
                path = "/api/admin" + settings_path(self.realm, "tokens")
                body = {"accessTokenLifetime": 1}
                self.assertProblem(ac.request(method, path, json_body=body),
                                   401)
                self.assertProblem(ac.request(method, path, json_body=body,
                                              token=token), 403)
        got = ac.admin("GET", settings_path(self.realm, "tokens")).json
        self.assertEqual(got["accessTokenLifetime"], 300)

    def test_413_body_over_the_limit(self):
        big = json.dumps({"title": "b" * (ONE_MIB + 10)})
        r = ac.request("PUT", "/api/admin" + settings_path(self.realm,
                                                           "branding"),
                       body=big, headers={"Content-Type": "application/json"},
                       token=ac.admin_token())
        self.assertEqual(r.status, 413, repr(r))
        self.assertEqual(ac.admin("GET", settings_path(self.realm, "branding"))
                         .json["title"], "")


class BrandingPutBadInput(JsonRouteMatrix, ac.RealmTestCase):
    method = "PUT"
    text_field = "title"

    def good_body(self):
        return {"title": "Sign in " + ac.unique("t"), "locale": "de",
                "primaryColor": "#abc"}

    def path(self):
        return settings_path(self.realm, "branding")

    def snapshot(self, good):
        r = ac.admin("GET", self.path())
        return r.json["version"], r.json["title"]


if __name__ == "__main__":
    unittest.main()
