"""The admin REST API for users: /api/admin/realms/{realmId}/users[/{userId}
[/password|/unlock|/sessions]] -- create, look up, search, replace, patch,
delete, passwords (scrypt, never shown), lockouts and sessions, with every
failure class and the audit events."""

import json
import re
import unittest
import uuid

import authio_client as ac
from test_bad_input import JsonRouteMatrix

SECRET_KEYS = ("password", "passwordHash", "password_hash", "hash",
               "credentials", "secret")


users_path = ac.users_path
create_user = ac.create_user


def set_password(realm, user_id, password, temporary=None):
    body = {"password": password}
    if temporary is not None:
        body["temporary"] = temporary
    return ac.admin("PUT", users_path(realm, user_id, "password"), body)


def events(tc, realm, user_id):
    r = ac.admin("GET", "/realms/%s/events?resourceType=user&resourceId=%s"
                 "&limit=500" % (ac.quote(realm), ac.quote(user_id)))
    tc.assertStatus(r, 200)
    return r


class UserCrudTest(ac.RealmTestCase):

    def test_create_read_and_representation(self):
        name = ac.unique("Alice")
        r = ac.admin("POST", users_path(self.realm),
                     {"username": name.upper(), "email": name + "@Example.com",
                      "firstName": "Alice", "lastName": "Liddell",
                      "emailVerified": True,
                      "attributes": {"dept": ["research", "board"],
                                     "phone": "+44 1865"},
                      "requiredActions": ["VERIFY_EMAIL", "VERIFY_EMAIL",
                                          "CONFIGURE_TOTP"]})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        uid = body["id"]
        self.assertTrue(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                     r"[89ab][0-9a-f]{3}-[0-9a-f]{12}", uid))
        self.assertTrue((r.header("Location") or "").endswith(
            "/api/admin/realms/%s/users/%s" % (self.realm, uid)), repr(r))
        self.assertEqual(r.header("ETag"), '"1"')
        # stored lower-cased like Keycloak; email keeps its spelling
        self.assertEqual(body["username"], name.lower())
        self.assertEqual(body["email"], name + "@Example.com")
        self.assertEqual(body["attributes"],
                         {"dept": ["research", "board"], "phone": "+44 1865"})
        self.assertEqual(body["requiredActions"],
                         ["VERIFY_EMAIL", "CONFIGURE_TOTP"])
        self.assertIs(body["emailVerified"], True)
        self.assertIs(body["enabled"], True)
        self.assertIs(body["locked"], False)
        self.assertIs(body["passwordSet"], False)
        self.assertEqual(body["version"], 1)
        self.assertRfc3339Utc(body["createdAt"])
        self.assertRfc3339Utc(body["updatedAt"])
        for k in SECRET_KEYS:
            self.assertNotIn(k, body)
        g = ac.admin("GET", users_path(self.realm, uid))
        self.assertStatus(g, 200)
        self.assertEqual(g.header("ETag"), '"1"')
        self.assertEqual(g.json, body)

    def test_defaults(self):
        body = create_user(self.realm)
        self.assertIsNone(body["email"])
        self.assertEqual(body["firstName"], "")
        self.assertEqual(body["lastName"], "")
        self.assertIs(body["emailVerified"], False)
        self.assertIs(body["enabled"], True)
        self.assertEqual(body["attributes"], {})
        self.assertEqual(body["requiredActions"], [])

    def test_validation_names_the_field(self):
        long_local = "l" * 65 + "@example.com"
        cases = [
            ({}, "username"),
            ({"username": None}, "username"),
            ({"username": ""}, "username"),
            ({"username": 7}, "username"),
            ({"username": "two words"}, "username"),
            ({"username": "nb\u00a0sp"}, "username"),
            ({"username": "zero\u200bwidth"}, "username"),
            ({"username": "tab\there"}, "username"),
            ({"username": "u" * 256}, "username"),
            ({"email": "no-at-sign"}, "email"),
            ({"email": "two@@example.com"}, "email"),
            ({"email": "a@b@example.com"}, "email"),
            ({"email": "@example.com"}, "email"),
            ({"email": "name@"}, "email"),
            ({"email": "sp ace@example.com"}, "email"),
            ({"email": "x@example..com"}, "email"),
            ({"email": "x@.example.com"}, "email"),
            ({"email": "x@example.com."}, "email"),
            ({"email": "<x@example.com>"}, "email"),
            ({"email": long_local}, "email"),
            ({"email": "e" * 310 + "@example.com"}, "email"),
            ({"email": 5}, "email"),
            ({"emailVerified": "yes"}, "emailVerified"),
            ({"firstName": 5}, "firstName"),
            ({"lastName": "n" * 300}, "lastName"),
            ({"enabled": 1}, "enabled"),
            ({"attributes": "dept=research"}, "attributes"),
            ({"attributes": ["dept"]}, "attributes"),
            ({"attributes": {"dept": 5}}, "attributes"),
            ({"attributes": {"dept": [1, 2]}}, "attributes"),
            ({"attributes": {"dept": {"nested": "x"}}}, "attributes"),
            ({"attributes": {"dept": None}}, "attributes"),
            ({"attributes": {"dept": ["ok", None]}}, "attributes"),
            ({"attributes": {"": "x"}}, "attributes"),
            ({"attributes": {"k" * 256: "x"}}, "attributes"),
            ({"attributes": {"dept": "v" * 2001}}, "attributes"),
            ({"attributes": {"dept": ["v"] * 101}}, "attributes"),
            ({"attributes": {"a%d" % i: "x" for i in range(101)}},
             "attributes"),
            ({"attributes": {"dept": "line\nbreak"}}, "attributes"),
            ({"requiredActions": ["FLY"]}, "requiredActions"),
            ({"requiredActions": ["update_password"]}, "requiredActions"),
            ({"requiredActions": "VERIFY_EMAIL"}, "requiredActions"),
            ({"requiredActions": [5]}, "requiredActions"),
            ({"password": "secret123"}, "password"),
            ({"id": str(uuid.uuid4())}, "id"),
            ({"locked": False}, "locked"),
            ({"nickname": "x"}, "nickname"),
        ]
        before = ac.admin("GET", users_path(self.realm)).json["total"]
        for extra, field in cases:
            body = {"username": ac.unique("v")}
            body.update(extra)
            if not extra:
                del body["username"]
            with self.subTest(field=field, extra=str(extra)[:60]):
                r = ac.admin("POST", users_path(self.realm), body)
                problem = self.assertProblem(r, 400, field=field)
                self.assertIn(field, problem["detail"])
        self.assertEqual(ac.admin("GET", users_path(self.realm)).json["total"],
                         before, "a rejected create left a user behind")

    def test_valid_edge_values(self):
        # exactly at the limits, and international text
        body = create_user(self.realm, username="\u00e9l\u00e8ve-" + ac.unique("x"),
                           email="x@" + "d" * 60 + ".example",
                           firstName="Zo\u00eb \u2713",
                           attributes={"k" * 255: "v" * 2000,
                                       "list": ["a"] * 100})
        self.assertTrue(body["username"].startswith("\u00e9l\u00e8ve-"))
        self.assertEqual(body["firstName"], "Zo\u00eb \u2713")
        self.assertEqual(len(body["attributes"]["list"]), 100)

    def test_sql_metacharacters_are_stored_verbatim(self):
        name = "o'brien\\\"%_;--" + ac.unique("q")
        body = create_user(self.realm, username=name,
                           lastName="Robert'); DROP TABLE users; --")
        g = ac.admin("GET", users_path(self.realm, body["id"])).json
        self.assertEqual(g["username"], name)
        self.assertEqual(g["lastName"], "Robert'); DROP TABLE users; --")

    def test_duplicates_are_409_naming_the_field(self):
        name = ac.unique("dup")
        first = create_user(self.realm, username=name,
                            email=name + "@example.com")
        r = ac.admin("POST", users_path(self.realm),
                     {"username": name.upper()})
        self.assertProblem(r, 409, field="username")
        r = ac.admin("POST", users_path(self.realm),
                     {"username": ac.unique("other"),
                      "email": name.upper() + "@EXAMPLE.com"})
        self.assertProblem(r, 409, field="email")
        # users without an email never collide
        create_user(self.realm)
        create_user(self.realm)
        # renaming onto a taken username or email, by PUT and by PATCH
        second = create_user(self.realm, email=ac.unique("s") + "@example.com")
        r = ac.admin("PATCH", users_path(self.realm, second["id"]),
                     {"email": first["email"]})
        self.assertProblem(r, 409, field="email")
        r = ac.admin("PUT", users_path(self.realm, second["id"]),
                     {"username": name})
        self.assertProblem(r, 409, field="username")
        self.assertEqual(ac.admin("GET", users_path(self.realm, second["id"]))
                         .json["version"], 1)
        # keeping one's own email is no conflict
        r = ac.admin("PATCH", users_path(self.realm, first["id"]),
                     {"firstName": "Same"})
        self.assertStatus(r, 200)
        # the same username and email in another realm are other users
        other, _ = ac.create_realm(self)
        create_user(other, username=name, email=first["email"])

    def test_unknown_and_malformed_ids_are_404(self):
        ghost = str(uuid.uuid4())
        for uid in (ghost, "not-a-uuid", ghost.upper(), ghost[:-1],
                    ghost + "0", "%27%20OR%201%3D1"):
            for method, tail, body in (
                    ("GET", None, None), ("PUT", None, {"username": "x"}),
                    ("PATCH", None, {"firstName": "x"}),
                    ("DELETE", None, None),
                    ("PUT", "password", {"password": "long enough"}),
                    ("POST", "unlock", None), ("GET", "sessions", None),
                    ("DELETE", "sessions", None)):
                with self.subTest(uid=uid, method=method, tail=tail):
                    path = users_path(self.realm, tail=None) + "/" + uid
                    if tail:
                        path += "/" + tail
                    self.assertProblem(ac.admin(method, path, body), 404)

    def test_users_of_unknown_realm_are_404(self):
        nope = ac.unique("nope")
        self.assertProblem(ac.admin("GET", users_path(nope)), 404)
        self.assertProblem(ac.admin("POST", users_path(nope),
                                    {"username": "x"}), 404)
        self.assertProblem(ac.admin("GET", users_path(nope,
                                                      str(uuid.uuid4()))),
                           404)
        self.assertRealmAbsent(nope)

    def test_a_user_of_another_realm_is_404(self):
        other, _ = ac.create_realm(self)
        theirs = create_user(other)
        self.assertProblem(ac.admin("GET", users_path(self.realm,
                                                      theirs["id"])), 404)
        self.assertProblem(ac.admin("DELETE", users_path(self.realm,
                                                         theirs["id"])), 404)
        self.assertStatus(ac.admin("GET", users_path(other, theirs["id"])),
                          200)


class UserUpdateTest(ac.RealmTestCase):

    def test_put_replaces_editable_fields(self):
        u = create_user(self.realm, email=ac.unique("p") + "@example.com",
                        firstName="First", attributes={"a": "1"},
                        requiredActions=["VERIFY_EMAIL"])
        new_name = ac.unique("Renamed")
        r = ac.admin("PUT", users_path(self.realm, u["id"]),
                     {"username": new_name, "lastName": "Last",
                      "enabled": False})
        self.assertStatus(r, 200)
        body = r.json
        self.assertEqual(body["username"], new_name.lower())
        self.assertEqual(body["lastName"], "Last")
        # absent fields take their defaults
        self.assertIsNone(body["email"])
        self.assertEqual(body["firstName"], "")
        self.assertEqual(body["attributes"], {})
        self.assertEqual(body["requiredActions"], [])
        self.assertIs(body["enabled"], False)
        self.assertEqual(body["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual(body["id"], u["id"])
        self.assertEqual(body["createdAt"], u["createdAt"])
        self.assertEqual(ac.admin("GET", users_path(self.realm, u["id"])).json,
                         body)

    def test_patch_merges_and_null_removes(self):
        u = create_user(self.realm, email=ac.unique("m") + "@example.com",
                        firstName="Keep", lastName="Me",
                        attributes={"a": "1", "b": ["x", "y"], "c": "3"},
                        requiredActions=["VERIFY_EMAIL"])
        r = ac.request("PATCH", "/api/admin" + users_path(self.realm, u["id"]),
                       body=json.dumps({"attributes": {"a": None, "b": ["z"],
                                                       "d": "4"},
                                        "lastName": None,
                                        "emailVerified": True}),
                       headers={"Content-Type": "application/merge-patch+json",
                                "Authorization": "Bearer " + ac.admin_token()})
        self.assertStatus(r, 200)
        body = r.json
        self.assertEqual(body["attributes"], {"b": ["z"], "c": "3", "d": "4"})
        self.assertEqual(body["firstName"], "Keep")
        self.assertEqual(body["lastName"], "")
        self.assertIs(body["emailVerified"], True)
        self.assertEqual(body["email"], u["email"])
        self.assertEqual(body["requiredActions"], ["VERIFY_EMAIL"])
        self.assertEqual(body["version"], 2)
        # null removes the email; removing every attribute leaves {}
        r = ac.admin("PATCH", users_path(self.realm, u["id"]),
                     {"email": None, "attributes": None,
                      "requiredActions": []})
        self.assertStatus(r, 200)
        self.assertIsNone(r.json["email"])
        self.assertEqual(r.json["attributes"], {})
        self.assertEqual(r.json["requiredActions"], [])
        # the freed email can be used by someone else
        create_user(self.realm, email=u["email"])

    def test_patch_refuses_bad_input_and_changes_nothing(self):
        u = create_user(self.realm)
        for patch, field in (({"bogus": 1}, "bogus"),
                             ({"enabled": 3}, "enabled"),
                             ({"username": None}, "username"),
                             ({"username": "has space"}, "username"),
                             ({"email": "nope"}, "email"),
                             ({"attributes": {"x": 1}}, "attributes"),
                             ({"attributes": "x"}, "attributes"),
                             ({"requiredActions": ["NOPE"]}, "requiredActions"),
                             ({"passwordSet": True}, "passwordSet"),
                             ({"id": str(uuid.uuid4())}, "id")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", users_path(self.realm,
                                                                u["id"]),
                                            patch), 400, field=field)
        r = ac.request("PATCH", "/api/admin" + users_path(self.realm, u["id"]),
                       body="[1]", headers={
                           "Content-Type": "application/json",
                           "Authorization": "Bearer " + ac.admin_token()})
        self.assertProblem(r, 400)
        self.assertEqual(ac.admin("GET", users_path(self.realm, u["id"]))
                         .json["version"], 1)

    def test_if_match(self):
        u = create_user(self.realm)
        path = users_path(self.realm, u["id"])
        stale = '"%d"' % u["version"]
        first = ac.admin("PUT", path, {"username": u["username"],
                                       "firstName": "A"},
                         headers={"If-Match": stale})
        self.assertStatus(first, 200)
        for method, body in (("PUT", {"username": u["username"]}),
                             ("PATCH", {"firstName": "B"}),
                             ("DELETE", None)):
            with self.subTest(method=method):
                self.assertProblem(ac.admin(method, path, body,
                                            headers={"If-Match": stale}), 412)
        self.assertProblem(ac.admin("PUT", path, {"username": u["username"]},
                                    headers={"If-Match": "nonsense"}), 400,
                           field="If-Match")
        now = ac.admin("GET", path).json
        self.assertEqual(now["firstName"], "A")
        self.assertEqual(now["version"], 2)
        # the current version is accepted, and so is *
        r = ac.admin("PATCH", path, {"firstName": "C"},
                     headers={"If-Match": '"2"'})
        self.assertStatus(r, 200)
        self.assertStatus(ac.admin("DELETE", path, headers={"If-Match": "*"}),
                          204)

    def test_delete(self):
        name = ac.unique("del")
        u = create_user(self.realm, username=name, email=name + "@example.com")
        self.assertStatus(set_password(self.realm, u["id"], "a fine password"),
                          204)
        self.assertStatus(ac.admin("DELETE", users_path(self.realm, u["id"])),
                          204)
        self.assertProblem(ac.admin("GET", users_path(self.realm, u["id"])), 404)
        self.assertProblem(ac.admin("DELETE", users_path(self.realm, u["id"])),
                           404)
        if ac.db_available():
            for table in ("users WHERE id", "user_password_history WHERE user_id"):
                self.assertEqual(ac.db_scalar("SELECT COUNT(*) FROM %s = %s"
                                              % (table, ac.sql_str(u["id"]))),
                                 "0", table)
        # username and email are free again
        again = create_user(self.realm, username=name, email=name + "@example.com")
        self.assertNotEqual(again["id"], u["id"])

    def test_realm_statistics_count_users(self):
        realm, _ = ac.create_realm(self)
        ids = [create_user(realm)["id"] for _ in range(3)]
        stats = ac.admin("GET", "/realms/" + realm).json["statistics"]
        self.assertEqual(stats["totalUsers"], 3)
        ac.admin("DELETE", users_path(realm, ids[0]))
        stats = ac.admin("GET", "/realms/" + realm).json["statistics"]
        self.assertEqual(stats["totalUsers"], 2)


class UserListTest(unittest.TestCase):
    """A realm of its own, so totals are exact."""

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.users = {}
        for name, email in (("amy", "amy@example.com"),
                            ("amelia", "zed@corp.example"),
                            ("bob", "bob@example.com"),
                            ("bobby", None),
                            ("carol", "AMY.Alt@example.com"),
                            ("dan_x", "dan@example.com"),
                            ("danxy", "danxy@example.com")):
            cls.users[name] = create_user(cls.realm, username=name,
                                          email=email)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def names(self, query):
        r = ac.admin("GET", users_path(self.realm) + query)
        self.assertEqual(r.status, 200, repr(r))
        return [u["username"] for u in r.json["items"]], r.json["total"]

    def test_all_in_username_order(self):
        self.assertEqual(self.names(""),
                         (["amelia", "amy", "bob", "bobby", "carol", "dan_x",
                           "danxy"], 7))

    def test_paging_keeps_the_total(self):
        self.assertEqual(self.names("?limit=2"), (["amelia", "amy"], 7))
        self.assertEqual(self.names("?limit=2&offset=2"), (["bob", "bobby"], 7))
        self.assertEqual(self.names("?limit=2&offset=6"), (["danxy"], 7))
        self.assertEqual(self.names("?offset=7"), ([], 7))
        self.assertEqual(self.names("?q=b&limit=1&offset=1"), (["bobby"], 2))
        for q, field in (("?limit=0", "limit"), ("?limit=501", "limit"),
                         ("?offset=-1", "offset"), ("?limit=x", "limit")):
            r = ac.admin("GET", users_path(self.realm) + q)
            self.assertEqual(r.status, 400, repr(r))

    def test_exact_lookup_by_username(self):
        self.assertEqual(self.names("?username=bob"), (["bob"], 1))
        self.assertEqual(self.names("?username=BOB"), (["bob"], 1))
        self.assertEqual(self.names("?username=bo"), ([], 0))
        self.assertEqual(self.names("?username=bob&offset=1"), ([], 1))
        r = ac.admin("GET", users_path(self.realm) + "?username=amy")
        self.assertEqual(r.json["items"][0]["id"], self.users["amy"]["id"])

    def test_exact_lookup_by_email(self):
        self.assertEqual(self.names("?email=zed@corp.example"), (["amelia"], 1))
        self.assertEqual(self.names("?email=ZED@Corp.Example"), (["amelia"], 1))
        self.assertEqual(self.names("?email=zed@corp"), ([], 0))
        self.assertEqual(self.names("?email=" + ac.quote("amy.alt@example.com")),
                         (["carol"], 1))
        # both must hold when both are given
        self.assertEqual(self.names("?username=bob&email=bob@example.com"),
                         (["bob"], 1))
        self.assertEqual(self.names("?username=bob&email=amy@example.com"),
                         ([], 0))

    def test_prefix_search_on_username_and_email(self):
        # "am" starts amy and amelia, and carol's email AMY.Alt@...
        self.assertEqual(self.names("?q=am"), (["amelia", "amy", "carol"], 3))
        self.assertEqual(self.names("?q=AM"), (["amelia", "amy", "carol"], 3))
        self.assertEqual(self.names("?q=zed"), (["amelia"], 1))
        self.assertEqual(self.names("?q=bob"), (["bob", "bobby"], 2))
        self.assertEqual(self.names("?q=nobody"), ([], 0))
        # % and _ are literal, not wildcards
        self.assertEqual(self.names("?q=dan_"), (["dan_x"], 1))
        self.assertEqual(self.names("?q=%25"), ([], 0))
        # it is a prefix, not a substring
        self.assertEqual(self.names("?q=example"), ([], 0))

    def test_list_shows_no_secrets(self):
        self.assertEqual(set_password(self.realm, self.users["bob"]["id"],
                                      "list-secret-pw").status, 204)
        r = ac.admin("GET", users_path(self.realm))
        self.assertNotIn("list-secret-pw", r.text)
        self.assertNotIn("$scrypt$", r.text)
        bob = [u for u in r.json["items"] if u["username"] == "bob"][0]
        self.assertIs(bob["passwordSet"], True)
        for k in SECRET_KEYS:
            self.assertNotIn(k, bob)


class UserPasswordTest(ac.RealmTestCase):

    def test_password_is_stored_as_scrypt_and_never_shown(self):
        u = create_user(self.realm)
        pw = "Tr0ub4dor&3 " + ac.unique("pw")
        r = set_password(self.realm, u["id"], pw)
        self.assertStatus(r, 204)
        self.assertEqual(r.body, b"")
        g = ac.admin("GET", users_path(self.realm, u["id"]))
        self.assertIs(g.json["passwordSet"], True)
        self.assertEqual(g.json["version"], 2)
        self.assertNotIn(pw, g.text)
        self.assertNotIn("scrypt", g.text)
        for k in SECRET_KEYS:
            self.assertNotIn(k, g.json)
        ev = events(self, self.realm, u["id"])
        self.assertNotIn(pw, ev.text)
        self.assertNotIn("$scrypt$", ev.text)
        types = [e["type"] for e in ev.json["items"]]
        self.assertEqual(types, ["user.password", "user.create"])
        self.assertEqual(ev.json["items"][0]["resourceType"], "user")
        if ac.db_available():
            phc = ac.db_scalar("SELECT password_hash FROM users WHERE id = %s"
                               % ac.sql_str(u["id"]))
            self.assertRegex(phc, r"^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}"
                                  r"\$[A-Za-z0-9+/]{43}$")
            self.assertNotIn(pw, phc)
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM user_password_history WHERE user_id = %s"
                % ac.sql_str(u["id"])), "1")
            self.assertIsNotNone(ac.db_scalar(
                "SELECT password_changed_at FROM users WHERE id = %s"
                % ac.sql_str(u["id"])))
            # a second password: a new salt, and the history grows
            self.assertStatus(set_password(self.realm, u["id"], pw), 204)
            again = ac.db_scalar("SELECT password_hash FROM users WHERE id = %s"
                                 % ac.sql_str(u["id"]))
            self.assertNotEqual(again, phc)
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM user_password_history WHERE user_id = %s"
                % ac.sql_str(u["id"])), "2")
            # nothing anywhere in the database holds the plain text
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM events WHERE INSTR(details, %s) > 0"
                % ac.sql_str(pw)), "0")

    def test_temporary_password_requires_an_update(self):
        u = create_user(self.realm, requiredActions=["VERIFY_EMAIL"])
        self.assertStatus(set_password(self.realm, u["id"], "temporary-1",
                                       temporary=True), 204)
        g = ac.admin("GET", users_path(self.realm, u["id"])).json
        self.assertEqual(g["requiredActions"], ["VERIFY_EMAIL",
                                                "UPDATE_PASSWORD"])
        # twice does not duplicate it
        self.assertStatus(set_password(self.realm, u["id"], "temporary-2",
                                       temporary=True), 204)
        g = ac.admin("GET", users_path(self.realm, u["id"])).json
        self.assertEqual(g["requiredActions"], ["VERIFY_EMAIL",
                                                "UPDATE_PASSWORD"])
        # a permanent password removes it (as Keycloak does)
        self.assertStatus(set_password(self.realm, u["id"], "permanent-1",
                                       temporary=False), 204)
        g = ac.admin("GET", users_path(self.realm, u["id"])).json
        self.assertEqual(g["requiredActions"], ["VERIFY_EMAIL"])
        ev = events(self, self.realm, u["id"]).json["items"]
        self.assertEqual([e["details"]["after"]["temporary"] for e in ev
                          if e["type"] == "user.password"],
                         [False, True, True])

    def test_bad_passwords_are_400(self):
        u = create_user(self.realm)
        for body, field in (({}, "password"),
                            ({"password": None}, "password"),
                            ({"password": 12345678}, "password"),
                            ({"password": "short"}, "password"),
                            ({"password": "1234567"}, "password"),
                            ({"password": "\u00e9" * 7}, "password"),
                            ({"password": "x" * 1025}, "password"),
                            ({"password": "ctrl\u0001chars"}, "password"),
                            ({"password": "long enough", "temporary": "yes"},
                             "temporary"),
                            ({"password": "long enough", "value": "x"},
                             "value")):
            with self.subTest(body=str(body)[:40]):
                r = ac.admin("PUT", users_path(self.realm, u["id"], "password"),
                             body)
                problem = self.assertProblem(r, 400, field=field)
                if isinstance(body.get("password"), str):
                    self.assertNotIn(body["password"], r.text)
                self.assertNotIn("ctrl", json.dumps(problem))
        # the limits themselves are fine: 8 and 1024 characters (not bytes)
        self.assertStatus(set_password(self.realm, u["id"], "\u00e9" * 8), 204)
        self.assertStatus(set_password(self.realm, u["id"], "\u2713" * 1024),
                          204)
        g = ac.admin("GET", users_path(self.realm, u["id"])).json
        self.assertEqual(g["version"], 3)


class UserAccountTest(ac.RealmTestCase):

    def test_unlock(self):
        u = create_user(self.realm)
        r = ac.admin("POST", users_path(self.realm, u["id"], "unlock"))
        self.assertStatus(r, 204)
        g = ac.admin("GET", users_path(self.realm, u["id"])).json
        self.assertIs(g["locked"], False)
        self.assertEqual(g["version"], 2)
        ev = events(self, self.realm, u["id"]).json["items"]
        self.assertEqual(ev[0]["type"], "user.unlock")
        self.assertEqual(ev[0]["details"]["after"],
                         {"locked": False, "failedLogins": 0})
        if ac.db_available():
            self.assertEqual(ac.db_query(
                "SELECT failed_logins, lockout_count, locked_until, "
                "locked_permanently FROM users WHERE id = %s"
                % ac.sql_str(u["id"])), [["0", "0", None, "0"]])

    def test_sessions_list_and_end(self):
        u = create_user(self.realm)
        r = ac.admin("GET", users_path(self.realm, u["id"], "sessions"))
        self.assertStatus(r, 200)
        self.assertEqual(self.assertJson(r), {"items": [], "total": 0})
        self.assertProblem(ac.admin("GET", users_path(self.realm, u["id"],
                                                      "sessions?limit=0")),
                           400, field="limit")
        r = ac.admin("DELETE", users_path(self.realm, u["id"], "sessions"))
        self.assertStatus(r, 204)
        ev = events(self, self.realm, u["id"]).json["items"]
        self.assertEqual(ev[0]["type"], "user.sessions.end")
        self.assertEqual(ev[0]["details"]["after"], {"sessionsEnded": 0})


class UserEventsTest(ac.RealmTestCase):

    def test_lifecycle_is_recorded_newest_first(self):
        u = create_user(self.realm, firstName="Before")
        path = users_path(self.realm, u["id"])
        self.assertStatus(ac.admin("PATCH", path, {"firstName": "After"}), 200)
        self.assertStatus(set_password(self.realm, u["id"], "event-password"),
                          204)
        self.assertStatus(ac.admin("POST", path + "/unlock"), 204)
        self.assertStatus(ac.admin("DELETE", path + "/sessions"), 204)
        self.assertStatus(ac.admin("DELETE", path), 204)
        ev = events(self, self.realm, u["id"])
        items = ev.json["items"]
        self.assertEqual([e["type"] for e in items],
                         ["user.delete", "user.sessions.end", "user.unlock",
                          "user.password", "user.update", "user.create"])
        for e in items:
            self.assertEqual(e["resourceType"], "user")
            self.assertEqual(e["resourceId"], u["id"])
            self.assertEqual(e["actor"], "admin-cli")
            self.assertEqual(e["category"], "admin")
        upd = items[4]["details"]
        self.assertEqual(upd["before"]["firstName"], "Before")
        self.assertEqual(upd["after"]["firstName"], "After")
        self.assertEqual(items[5]["details"]["after"]["username"],
                         u["username"])
        self.assertEqual(items[0]["details"]["before"]["firstName"], "After")
        self.assertNotIn("after", items[0]["details"])
        self.assertNotIn("event-password", ev.text)
        self.assertNotIn("scrypt", ev.text)


class UserAuthTest(ac.RealmTestCase):

    def requests(self, uid):
        return (("GET", users_path(self.realm), None),
                ("POST", users_path(self.realm), {"username": ac.unique("f")}),
                ("GET", users_path(self.realm, uid), None),
                ("PATCH", users_path(self.realm, uid), {"firstName": "x"}),
                ("DELETE", users_path(self.realm, uid), None),
                ("PUT", users_path(self.realm, uid, "password"),
                 {"password": "forbidden-pw"}),
                ("POST", users_path(self.realm, uid, "unlock"), None),
                ("GET", users_path(self.realm, uid, "sessions"), None),
                ("DELETE", users_path(self.realm, uid, "sessions"), None))

    def test_without_a_token_is_401(self):
        u = create_user(self.realm)
        for method, path, body in self.requests(u["id"]):
            with self.subTest(method=method, path=path):
                r = ac.request(method, "/api/admin" + path, json_body=body)
                self.assertProblem(r, 401)
        r = ac.request("GET", "/api/admin" + users_path(self.realm),
                       token="not.a.token")
        self.assertProblem(r, 401)
        self.assertEqual(ac.admin("GET", users_path(self.realm, u["id"]))
                         .json["version"], 1)

    def test_without_the_admin_role_is_403(self):
        u = create_user(self.realm)
        client, secret = ac.master_client_without_admin(self)
        t = ac.token_request("master", client, secret)
        self.assertStatus(t, 200)
        token = t.json["access_token"]
        for method, path, body in self.requests(u["id"]):
            with self.subTest(method=method, path=path):
                r = ac.request(method, "/api/admin" + path, json_body=body,
                               token=token)
                self.assertProblem(r, 403)
        g = ac.admin("GET", users_path(self.realm, u["id"])).json
        self.assertEqual(g["version"], 1)
        self.assertIs(g["passwordSet"], False)


class UserCreateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    """Malformed bodies, 413, unknown fields and long values on POST."""
    text_field = "firstName"

    def good_body(self):
        name = ac.unique("bad")
        return {"username": name, "email": name + "@example.com",
                "firstName": "Bad input", "lastName": "User"}

    def path(self):
        return users_path(self.realm)

    def snapshot(self, good):
        r = ac.admin("GET", users_path(self.realm) + "?username="
                     + ac.quote(good["username"]))
        return r.json["total"]


class UserUpdateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    method = "PUT"
    text_field = "firstName"

    def setUp(self):
        self.user = create_user(self.realm)

    def good_body(self):
        return {"username": self.user["username"],
                "firstName": "Updated " + ac.unique("n")}

    def path(self):
        return users_path(self.realm, self.user["id"])

    def snapshot(self, good):
        r = ac.admin("GET", self.path())
        return r.status, r.json.get("firstName"), r.json.get("version")


class UserPasswordBadInput(JsonRouteMatrix, ac.RealmTestCase):
    method = "PUT"
    text_field = "password"

    def setUp(self):
        self.user = create_user(self.realm)

    def good_body(self):
        return {"password": "good password " + ac.unique("p"),
                "temporary": False}

    def path(self):
        return users_path(self.realm, self.user["id"], "password")

    def snapshot(self, good):
        r = ac.admin("GET", users_path(self.realm, self.user["id"]))
        return r.json["passwordSet"], r.json["version"]

    def test_json_with_charset_is_accepted(self):
        r = self.send("application/json; charset=utf-8",
                      json.dumps(self.good_body()).encode())
        self.assertStatus(r, 204)


if __name__ == "__main__":
    unittest.main()
