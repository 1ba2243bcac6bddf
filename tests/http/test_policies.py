"""Identity policies of settings/policies (issue 5): password rules on the
admin API and the hosted update-password page (each rule refuses at its
boundary and accepts just inside it, every violation at once), the
denylist, history, maximum age, username rules, the hashing cost and the
upgrade of old hashes at sign-in, and the lockout: a timeline with short
configured times, permanent lockout, the per-IP limit and the lock
event."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
BAD = "Invalid username or password."


def put_policies(tc, realm, doc):
    r = ac.admin("PUT", "/realms/%s/settings/policies" % realm, doc)
    tc.assertIn(r.status, (200, 204), repr(r))


def set_password(realm, uid, pw, temporary=False):
    return ac.admin("PUT", ac.users_path(realm, uid, "password"),
                    {"password": pw, "temporary": temporary})


def stored_hash(uid):
    return ac.db_scalar("SELECT password_hash FROM users WHERE id = %s"
                        % ac.sql_str(uid))


def rules(resp, field="password"):
    return sorted(e["rule"] for e in resp.json["errors"]
                  if e["field"] == field)


# (rule, password policy, refused at the boundary, accepted just inside)
CASES = [
    ("minLength", {"minLength": 10}, "abcdefghi", "abcdefghij"),
    ("maxLength", {"maxLength": 12}, "abcdefghijklm", "abcdefghijkl"),
    ("digits", {"digits": 2}, "abcdefgh1", "abcdefgh12"),
    ("lowerCase", {"lowerCase": 2}, "ABCDEFGHa", "ABCDEFGHab"),
    ("upperCase", {"upperCase": 2}, "abcdefghA", "abcdefghAB"),
    ("specialChars", {"specialChars": 2}, "abcdefgh!", "abcdefgh!é"),
    ("regex", {"regex": "^[a-z]+-[0-9]+$"}, "abcdefgh-1x",
     "abcdefgh-12"),
    ("notUsername", {"notUsername": True},
     lambda u: u["username"].upper(), lambda u: u["username"] + "+x"),
    ("notContainsUsername", {"notContainsUsername": True,
                             "notUsername": False},
     lambda u: "xx" + u["username"].upper() + "yy",
     lambda u: "xx" + u["username"][:-1] + "yy"),
    ("notEmail", {"notEmail": True}, lambda u: u["email"].upper(),
     lambda u: u["email"] + "x"),
    ("denylist", {"denylist": True}, "PassWord1", "PassWord1x#q"),
]


class PolicyTestCase(AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def sign_in(self, username, password, realm=None, client=None):
        realm = realm or self.realm
        jar = {}
        r = ac.authorize_get(realm, {
            "client_id": client or self.client, "redirect_uri": CB,
            "response_type": "code", "scope": "openid", "state": "s"}, jar)
        self.assertStatus(r, 200)
        return ac.submit_login(ac.parse_forms(r.text)[0], jar, username,
                               password), jar


class PasswordRulesApiTest(PolicyTestCase):

    def check(self, policy, bad, good, rule, user=None):
        put_policies(self, self.realm, {"password": policy})
        u = user or ac.create_user(self.realm, email=ac.unique("e") +
                                   "@example.com")
        r = set_password(self.realm, u["id"], bad(u) if callable(bad)
                         else bad)
        self.assertProblem(r, 400, "password")
        self.assertEqual(rules(r), [rule])
        self.assertTrue(all(e["message"] for e in r.json["errors"]))
        r = set_password(self.realm, u["id"], good(u) if callable(good)
                         else good)
        self.assertStatus(r, 204)

    def test_each_rule_at_its_boundary(self):
        for rule, policy, bad, good in CASES:
            with self.subTest(rule=rule):
                self.check(policy, bad, good, rule)

    def test_denylist_off_accepts_common_passwords(self):
        put_policies(self, self.realm, {"password": {"denylist": False}})
        u = ac.create_user(self.realm)
        self.assertStatus(set_password(self.realm, u["id"], "QWERTY123"), 204)
        put_policies(self, self.realm, {})
        r = set_password(self.realm, u["id"], "qwerty123")
        self.assertEqual(rules(r), ["denylist"])

    def test_every_violation_at_once(self):
        put_policies(self, self.realm, {"password": {
            "minLength": 12, "digits": 1, "upperCase": 1, "specialChars": 1,
            "notUsername": True, "regex": "^x"}})
        u = ac.create_user(self.realm, username="dragonfly")
        r = set_password(self.realm, u["id"], "dragonfly")
        self.assertProblem(r, 400, "password")
        self.assertEqual(rules(r), sorted([
            "minLength", "digits", "upperCase", "specialChars",
            "notUsername", "regex", "denylist"]))
        self.assertIn("7 rules", r.json["detail"])
        put_policies(self, self.realm, {})

    def test_history(self):
        put_policies(self, self.realm, {"password": {"history": 2}})
        u = ac.create_user(self.realm)
        for pw in ("first pass 1", "second pass 2"):
            self.assertStatus(set_password(self.realm, u["id"], pw), 204)
        for pw in ("first pass 1", "second pass 2"):
            self.assertEqual(rules(set_password(self.realm, u["id"], pw)),
                             ["history"])
        self.assertStatus(set_password(self.realm, u["id"], "third pass 3"),
                          204)
        # the last two are now third and second: first is allowed again
        self.assertStatus(set_password(self.realm, u["id"], "first pass 1"),
                          204)
        put_policies(self, self.realm, {})


class HostedPageTest(PolicyTestCase):

    def update_form(self, u, temp="temporary pass 1", policy=None):
        put_policies(self, self.realm, {})
        self.assertStatus(set_password(self.realm, u["id"], temp, True), 204)
        if policy is not None:
            put_policies(self, self.realm, policy)
        r, jar = self.sign_in(u["username"], temp)
        self.assertStatus(r, 200)
        return ac.parse_forms(r.text)[0], jar

    def post_new(self, form, jar, pw):
        fields = dict(form["fields"], **{"password-new": pw,
                                         "password-confirm": pw})
        r = ac.request("POST", form["action"], form=fields, headers=dict(
            ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar)))
        ac.cookies_from(r, jar)
        return r

    def problems(self, html):
        start = html.find('id="problems"')
        if start < 0:
            return []
        block = html[start:html.find("</ul>", start)]
        return [li.split("</li>")[0] for li in block.split("<li>")[1:]]

    def test_a_message_per_rule_then_accepted_inside(self):
        u = ac.create_user(self.realm)
        form, jar = self.update_form(u, policy={"password": {
            "minLength": 12, "digits": 2, "upperCase": 1,
            "denylist": True}})
        r = self.post_new(form, jar, "password1")
        self.assertStatus(r, 400)
        msgs = self.problems(r.text)
        self.assertEqual(len(msgs), 4, msgs)
        self.assertIn("Use at least 12 characters.", msgs)
        self.assertIn("Include at least 2 digits.", msgs)
        self.assertIn("Include at least 1 upper-case letter.", msgs)
        self.assertTrue(any("too common" in m for m in msgs), msgs)
        self.assertNotIn("AUTHIO_SESSION", jar)
        # one short of the boundary: only that rule
        form = ac.parse_forms(r.text)[0]
        r = self.post_new(form, jar, "Abcdefghij1")
        self.assertStatus(r, 400)
        self.assertEqual(self.problems(r.text),
                         ["Use at least 12 characters.",
                          "Include at least 2 digits."])
        form = ac.parse_forms(r.text)[0]
        r = self.post_new(form, jar, "Abcdefghij12")
        self.assertStatus(r, 302)
        self.assertIn("code", ac.location_params(r))
        put_policies(self, self.realm, {})

    def test_each_rule_at_its_boundary_on_the_page(self):
        for rule, policy, bad, good in CASES:
            with self.subTest(rule=rule):
                u = ac.create_user(self.realm, email=ac.unique("e") +
                                   "@example.com")
                form, jar = self.update_form(u, policy={"password": policy})
                r = self.post_new(form, jar, bad(u) if callable(bad) else bad)
                self.assertStatus(r, 400)
                self.assertEqual(len(self.problems(r.text)), 1, r.text)
                r = self.post_new(ac.parse_forms(r.text)[0], jar,
                                  good(u) if callable(good) else good)
                self.assertStatus(r, 302)
        put_policies(self, self.realm, {})

    def test_history_on_the_hosted_page(self):
        u = ac.create_user(self.realm)
        form, jar = self.update_form(u, "temporary pass 9",
                                     {"password": {"history": 1}})
        r = self.post_new(form, jar, "temporary pass 9")
        self.assertStatus(r, 400)
        self.assertEqual(self.problems(r.text),
                         ["Do not reuse your last password."])
        put_policies(self, self.realm, {})

    def test_max_age_forces_a_change(self):
        put_policies(self, self.realm, {"password": {"maxAgeDays": 1}})
        u = ac.create_user(self.realm)
        self.assertStatus(set_password(self.realm, u["id"], "aged pass 11"),
                          204)
        r, _ = self.sign_in(u["username"], "aged pass 11")
        self.assertStatus(r, 302)          # fresh: no change asked
        ac.db_query("UPDATE users SET password_changed_at = "
                    "UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE id = %s"
                    % ac.sql_str(u["id"]))
        r, jar = self.sign_in(u["username"], "aged pass 11")
        self.assertStatus(r, 200)
        self.assertIn("Your password has expired", r.text)
        self.assertIn("change your password", r.text)
        self.assertNotIn("AUTHIO_SESSION", jar)
        r = self.post_new(ac.parse_forms(r.text)[0], jar, "younger pass 12")
        self.assertStatus(r, 302)
        self.assertIn("AUTHIO_SESSION", jar)
        r, _ = self.sign_in(u["username"], "younger pass 12")
        self.assertStatus(r, 302)
        put_policies(self, self.realm, {})


class UsernameRulesTest(PolicyTestCase):

    def create(self, username, **fields):
        body = {"username": username}
        body.update(fields)
        return ac.admin("POST", ac.users_path(self.realm), body)

    def test_each_rule_at_its_boundary(self):
        put_policies(self, self.realm, {"username": {
            "minLength": 3, "maxLength": 8, "pattern": "^[a-z0-9.]+$",
            "reserved": ["Admin", "root"]}})
        for bad, rule in (("ab", "minLength"), ("abcdefghi", "maxLength"),
                          ("ab_c", "pattern"), ("admin", "reserved"),
                          ("ROOT", "reserved")):
            with self.subTest(bad=bad):
                r = self.create(bad)
                self.assertProblem(r, 400, "username")
                self.assertEqual(rules(r, "username"), [rule])
        for good in ("abc", "abcdefgh", "a.b.c", "admins"):
            with self.subTest(good=good):
                self.assertStatus(self.create(good), 201)
        # all rules at once
        r = self.create("a_")
        self.assertEqual(rules(r, "username"), ["minLength", "pattern"])
        # an update is judged too
        u = ac.create_user(self.realm, username="okname")
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"username": "root"})
        self.assertEqual(rules(r, "username"), ["reserved"])
        # an existing user whose name a later rule forbids stays editable
        # while the name is kept
        put_policies(self, self.realm, {"username": {"minLength": 7}})
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"firstName": "Ok"})
        self.assertStatus(r, 200)
        r = ac.admin("PATCH", ac.users_path(self.realm, u["id"]),
                     {"username": "short"})
        self.assertEqual(rules(r, "username"), ["minLength"])
        put_policies(self, self.realm, {})

    def test_email_as_username(self):
        put_policies(self, self.realm, {"username": {
            "emailAsUsername": True}})
        r = self.create("someone")
        self.assertEqual(rules(r, "username"), ["emailAsUsername"])
        r = self.create("other", email="x@example.com")
        self.assertEqual(rules(r, "username"), ["emailAsUsername"])
        email = ac.unique("m") + "@Example.com"
        self.assertStatus(self.create(email, email=email), 201)
        put_policies(self, self.realm, {})


class HashingTest(PolicyTestCase):

    def test_algorithm_refused_by_name(self):
        r = ac.admin("PUT", "/realms/%s/settings/policies" % self.realm,
                     {"hashing": {"algorithm": "argon2id"}})
        self.assertProblem(r, 400, "hashing.algorithm")
        self.assertIn("argon2id", r.json["errors"][0]["message"])
        for cost in (9, 18):
            r = ac.admin("PUT", "/realms/%s/settings/policies" % self.realm,
                         {"hashing": {"cost": cost}})
            self.assertProblem(r, 400, "hashing.cost")

    def test_cost_applies_and_old_hashes_are_upgraded_at_sign_in(self):
        put_policies(self, self.realm, {"hashing": {"cost": 12}})
        u = ac.create_user(self.realm)
        self.assertStatus(set_password(self.realm, u["id"], "cost pass 12"),
                          204)
        self.assertTrue(stored_hash(u["id"]).startswith(
            "$scrypt$ln=12,r=8,p=1$"))
        version = ac.admin("GET", ac.users_path(self.realm, u["id"])
                           ).json["version"]
        put_policies(self, self.realm, {"hashing": {"cost": 11}})
        r, _ = self.sign_in(u["username"], "wrong pass")
        self.assertStatus(r, 401)
        self.assertIn("ln=12,", stored_hash(u["id"]))  # not on a failure
        r, _ = self.sign_in(u["username"], "cost pass 12")
        self.assertStatus(r, 302)
        self.assertTrue(stored_hash(u["id"]).startswith(
            "$scrypt$ln=11,r=8,p=1$"))
        # an upgrade is no edit: version and history stay
        self.assertEqual(ac.admin("GET", ac.users_path(
            self.realm, u["id"])).json["version"], version)
        r, _ = self.sign_in(u["username"], "cost pass 12")
        self.assertStatus(r, 302)
        # the hosted page hashes at the realm's cost as well
        self.assertStatus(set_password(self.realm, u["id"], "tmp pass 99",
                                       True), 204)
        r, jar = self.sign_in(u["username"], "tmp pass 99")
        form = ac.parse_forms(r.text)[0]
        fields = dict(form["fields"], **{"password-new": "hosted pass 10",
                                         "password-confirm": "hosted pass 10"})
        put_policies(self, self.realm, {"hashing": {"cost": 10}})
        r = ac.request("POST", form["action"], form=fields, headers=dict(
            ac.HTML_ACCEPT, Cookie=ac.cookie_header(jar)))
        self.assertStatus(r, 302)
        self.assertTrue(stored_hash(u["id"]).startswith("$scrypt$ln=10,"))
        put_policies(self, self.realm, {})


class LockoutTest(PolicyTestCase):

    PW = "lockout pass 1"

    def locked(self, realm, uid):
        return ac.admin("GET", ac.users_path(realm, uid)).json["locked"]

    def test_timeline_wait_increment_and_cap(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        put_policies(self, realm, {"lockout": {
            "maxFailures": 2, "waitIncrementSeconds": 3,
            "maxWaitSeconds": 4, "failureResetSeconds": 60}})
        u = ac.user_with_password(realm, self.PW)
        name = u["username"]
        wrong, _ = self.sign_in(name, "nope", realm, client)
        self.assertStatus(wrong, 401)
        self.assertFalse(self.locked(realm, u["id"]))
        self.assertStatus(self.sign_in(name, "nope", realm, client)[0], 401)
        self.assertTrue(self.locked(realm, u["id"]))
        # locked: the right password gets exactly the wrong password's page
        r, _ = self.sign_in(name, self.PW, realm, client)
        self.assertStatus(r, 401)
        self.assertIn(BAD, r.text)
        self.assertEqual(r.text.split('class="message"')[1][:80],
                         wrong.text.split('class="message"')[1][:80])
        # (times are whole seconds: each wait leaves a second to spare)
        time.sleep(4.2)                    # first lock: 3 s
        self.assertFalse(self.locked(realm, u["id"]))
        # two more failures without a success between: 2 x 3 s, capped
        # at 4
        for _ in range(2):
            self.assertStatus(self.sign_in(name, "nope", realm, client)[0],
                              401)
        t = time.time()
        time.sleep(1.5)
        self.assertStatus(self.sign_in(name, self.PW, realm, client)[0], 401)
        time.sleep(max(0, t + 5.1 - time.time()))
        self.assertStatus(self.sign_in(name, self.PW, realm, client)[0], 302)
        ev = ac.admin("GET", "/realms/%s/events?type=user.locked" % realm)
        self.assertStatus(ev, 200)
        self.assertEqual(ev.json["total"], 2)
        item = ev.json["items"][0]
        self.assertEqual(item["category"], "auth")
        self.assertEqual(item["userId"], u["id"])
        self.assertIs(item["details"]["permanent"], False)

    def test_failures_reset_after_quiet_period(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        put_policies(self, realm, {"lockout": {
            "maxFailures": 2, "failureResetSeconds": 2}})
        u = ac.user_with_password(realm, self.PW)
        self.assertStatus(self.sign_in(u["username"], "x", realm, client)[0],
                          401)
        time.sleep(3.2)
        self.assertStatus(self.sign_in(u["username"], "x", realm, client)[0],
                          401)
        self.assertFalse(self.locked(realm, u["id"]))

    def test_permanent_after_temporary_lockouts(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        put_policies(self, realm, {"lockout": {
            "maxFailures": 1, "waitIncrementSeconds": 1,
            "maxWaitSeconds": 1, "permanentAfter": 1}})
        u = ac.user_with_password(realm, self.PW)
        self.sign_in(u["username"], "x", realm, client)   # lock 1: 1 s
        time.sleep(2.2)
        self.sign_in(u["username"], "x", realm, client)   # lock 2: for good
        time.sleep(2.2)
        r, _ = self.sign_in(u["username"], self.PW, realm, client)
        self.assertStatus(r, 401)
        self.assertIn(BAD, r.text)
        self.assertTrue(self.locked(realm, u["id"]))
        ev = ac.admin("GET", "/realms/%s/events?type=user.locked" % realm)
        self.assertEqual(ev.json["total"], 2)
        self.assertEqual(sorted(e["details"]["permanent"]
                                for e in ev.json["items"]), [False, True])
        self.assertStatus(ac.admin("POST", ac.users_path(
            realm, u["id"], "unlock")), 204)
        self.assertStatus(self.sign_in(u["username"], self.PW, realm,
                                       client)[0], 302)

    def test_per_ip_limit_blocks_spraying_without_locking(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        put_policies(self, realm, {"lockout": {
            "maxFailures": 5, "perIpMaxFailures": 3,
            "failureResetSeconds": 2}})
        users = [ac.user_with_password(realm, self.PW) for _ in range(2)]
        for name in (users[0]["username"], "nobody-here", "nobody-else"):
            self.assertStatus(self.sign_in(name, "spray", realm, client)[0],
                              401)
        r, _ = self.sign_in(users[1]["username"], self.PW, realm, client)
        self.assertStatus(r, 401)
        self.assertIn(BAD, r.text)
        for u in users:
            self.assertFalse(self.locked(realm, u["id"]))
        # another realm is not affected
        self.assertStatus(self.sign_in("x", "y")[0], 401)
        time.sleep(3.2)
        self.assertStatus(self.sign_in(users[1]["username"], self.PW, realm,
                                       client)[0], 302)

    def test_disabled_lockout_never_locks(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        put_policies(self, realm, {"lockout": {"enabled": False,
                                               "maxFailures": 1}})
        u = ac.user_with_password(realm, self.PW)
        for _ in range(3):
            self.sign_in(u["username"], "x", realm, client)
        self.assertFalse(self.locked(realm, u["id"]))
        self.assertStatus(self.sign_in(u["username"], self.PW, realm,
                                       client)[0], 302)


if __name__ == "__main__":
    unittest.main()
