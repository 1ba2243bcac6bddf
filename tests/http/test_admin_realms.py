"""The admin REST API for realms: /api/admin/realms[/{realmId}]."""

import time
import unittest

import authio_client as ac
from authio_client import AuthioTestCase


def realm_path(realm_id):
    return "/realms/" + ac.quote(realm_id)


class RealmCreateTest(AuthioTestCase):

    def test_create_with_seed_body(self):
        rid = ac.unique("my-app")
        self.addCleanup(ac.delete_realm_quietly, rid)
        before = time.time()
        r = ac.admin("POST", "/realms", {"name": "My Application",
                                         "realmId": rid,
                                         "description": "Production environment"})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        loc = r.header("Location") or ""
        self.assertTrue(loc.endswith("/api/admin/realms/" + rid), repr(r))
        self.assertEqual(body.get("realmId"), rid)
        self.assertEqual(body.get("name"), "My Application")
        self.assertEqual(body.get("description"), "Production environment")
        self.assertEqual(body.get("status"), "active")
        self.assertIsInstance(body.get("id"), str)
        self.assertTrue(body["id"])
        self.assertNotEqual(body["id"], rid)
        created = self.assertRfc3339Utc(body.get("createdAt"))
        updated = self.assertRfc3339Utc(body.get("updatedAt"))
        self.assertLess(abs(created - before), 120, "createdAt is not now")
        self.assertGreaterEqual(updated, created)
        self.assertIsInstance(body.get("version"), int)
        self.assertEqual(body.get("statistics"),
                         {"totalClients": 0, "totalUsers": 0})
        # and it reads back the same
        g = ac.admin("GET", realm_path(rid))
        self.assertStatus(g, 200)
        for k in ("id", "realmId", "name", "description", "status",
                  "createdAt", "version"):
            self.assertEqual(g.json.get(k), body[k], k)
        self.assertEqual(g.header("ETag"), '"%d"' % body["version"])

    def test_create_without_description(self):
        rid = ac.unique("nodesc")
        self.addCleanup(ac.delete_realm_quietly, rid)
        r = ac.admin("POST", "/realms", {"name": "No description",
                                         "realmId": rid})
        self.assertStatus(r, 201)
        self.assertIn(r.json.get("description"), ("", None))

    def test_duplicate_is_409(self):
        rid, first = ac.create_realm(self, name="First")
        r = ac.admin("POST", "/realms", {"name": "Second", "realmId": rid})
        self.assertProblem(r, 409)
        g = ac.admin("GET", realm_path(rid))
        self.assertEqual(g.json["name"], "First")
        self.assertEqual(g.json["id"], first["id"])

    def test_duplicate_master_is_409(self):
        r = ac.admin("POST", "/realms", {"name": "Master again",
                                         "realmId": "master"})
        self.assertProblem(r, 409)

    def test_missing_name(self):
        for extra in ({}, {"name": ""}):
            rid = ac.unique("noname")
            body = dict(extra, realmId=rid, description="d")
            with self.subTest(body=body):
                r = ac.admin("POST", "/realms", body)
                self.assertProblem(r, 400, field="name")
                self.assertRealmAbsent(rid)

    def test_missing_realm_id(self):
        r = ac.admin("POST", "/realms", {"name": "No id"})
        self.assertProblem(r, 400, field="realmId")

    def test_bad_slugs(self):
        for slug in ("My App", "my app", "-x", "-abc", "a", "", "x" * 64,
                     "a" + "b" * 63, "x_y", "MyApp", "ABC", "a.b", "a/b",
                     "caf\u00e9", "a%20b", "abc\n", " abc", "abc;drop"):
            with self.subTest(slug=slug):
                r = ac.admin("POST", "/realms", {"name": "Bad", "realmId": slug})
                self.assertProblem(r, 400, field="realmId")
                if slug:  # not found, or refused as a bad path segment
                    self.assertIn(ac.admin("GET", realm_path(slug)).status,
                                  (400, 404))

    def test_good_slug_edges(self):
        two = (ac._secrets.choice("abcdefghijklmnopqrstuvwxyz")
               + ac._secrets.choice("0123456789"))
        for slug in (two, "9" + ac.unique("x"),
                     (ac.unique("l") + "-" * 10 + "z" * 63)[:63]):
            with self.subTest(slug=slug):
                self.addCleanup(ac.delete_realm_quietly, slug)
                r = ac.admin("POST", "/realms", {"name": "Edge", "realmId": slug})
                self.assertStatus(r, 201)
                self.assertEqual(r.json["realmId"], slug)

    def test_unknown_field(self):
        rid = ac.unique("unk")
        r = ac.admin("POST", "/realms", {"foo": 1, "name": "x", "realmId": rid})
        self.assertProblem(r, 400, field="foo")
        self.assertRealmAbsent(rid)

    def test_server_owned_fields_are_not_writable(self):
        for extra in ({"id": "00000000-0000-0000-0000-000000000000"},
                      {"createdAt": "2000-01-01T00:00:00Z"},
                      {"statistics": {"totalClients": 5, "totalUsers": 5}}):
            rid = ac.unique("ro")
            self.addCleanup(ac.delete_realm_quietly, rid)
            with self.subTest(extra=extra):
                r = ac.admin("POST", "/realms",
                             dict({"name": "x", "realmId": rid}, **extra))
                self.assertNot5xx(r)
                if r.status == 201:  # ignored rather than refused: not applied
                    for k, v in extra.items():
                        self.assertNotEqual(r.json.get(k), v)
                else:
                    self.assertProblem(r, 400, field=list(extra)[0])
                    self.assertRealmAbsent(rid)

    def test_wrong_types(self):
        cases = [("name", 5), ("name", None), ("name", ["x"]),
                 ("name", {"a": 1}), ("name", True), ("realmId", 5),
                 ("realmId", ["a"]), ("description", 5),
                 ("description", {"x": 1}), ("status", 1)]
        for field, value in cases:
            rid = ac.unique("type")
            body = {"name": "Typed", "realmId": rid, "description": "d"}
            body[field] = value
            with self.subTest(field=field, value=value):
                r = ac.admin("POST", "/realms", body)
                self.assertProblem(r, 400, field=field)
                self.assertRealmAbsent(rid)

    def test_bad_status_on_create(self):
        rid = ac.unique("st")
        r = ac.admin("POST", "/realms", {"name": "x", "realmId": rid,
                                         "status": "paused"})
        self.assertProblem(r, 400, field="status")
        self.assertRealmAbsent(rid)

    def test_very_long_values(self):
        for field in ("name", "description"):
            rid = ac.unique("long")
            body = {"name": "Long", "realmId": rid, "description": "d"}
            body[field] = "n" * 10000
            with self.subTest(field=field):
                r = ac.admin("POST", "/realms", body)
                self.assertProblem(r, 400, field=field)
                self.assertRealmAbsent(rid)
        r = ac.admin("POST", "/realms", {"name": "x", "realmId": "r" * 10000})
        self.assertProblem(r, 400, field="realmId")

    def test_sql_metacharacters_are_stored_verbatim(self):
        name = "x'); DROP TABLE realms; --"
        desc = "\" OR 1=1 -- \\ %_ ` \u00fcnic\u00f8de \u2713 \U0001F680 <b>&amp;"
        rid, body = ac.create_realm(self, name=name, description=desc)
        self.assertEqual(body["name"], name)
        self.assertEqual(body["description"], desc)
        g = ac.admin("GET", realm_path(rid))
        self.assertStatus(g, 200)
        self.assertEqual(g.json["name"], name)
        self.assertEqual(g.json["description"], desc)
        # the table is still there
        self.assertStatus(ac.admin("GET", "/realms"), 200)
        self.assertStatus(ac.admin("GET", "/realms/master"), 200)


class RealmReadTest(AuthioTestCase):

    def test_get_unknown_is_404(self):
        r = ac.admin("GET", realm_path(ac.unique("nope")))
        self.assertProblem(r, 404)

    def test_get_master(self):
        r = ac.admin("GET", "/realms/master")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["realmId"], "master")
        self.assertEqual(r.json["status"], "active")
        self.assertGreaterEqual(r.json["statistics"]["totalClients"], 1)

    def test_list(self):
        rid, _ = ac.create_realm(self)
        r = ac.admin("GET", "/realms")
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertIsInstance(body.get("items"), list)
        self.assertIsInstance(body.get("total"), int)
        self.assertGreaterEqual(body["total"], 2)
        self.assertGreaterEqual(body["total"], len(body["items"]))
        for item in body["items"]:
            self.assertIn("realmId", item)
            self.assertIn("name", item)
            self.assertIn("status", item)

    def test_query_prefix_and_paging(self):
        prefix = ac.unique("lp")
        ids = sorted(prefix + s for s in ("-a", "-b", "-c"))
        for rid in ids:
            ac.create_realm(self, realm_id=rid)
        # another realm that only contains the prefix in the middle
        ac.create_realm(self, realm_id="z" + prefix)
        r = ac.admin("GET", "/realms?q=" + prefix)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 3)
        self.assertEqual(sorted(i["realmId"] for i in r.json["items"]), ids)
        seen = []
        for offset in range(3):
            r = ac.admin("GET", "/realms?q=%s&limit=1&offset=%d"
                         % (prefix, offset))
            self.assertStatus(r, 200)
            self.assertEqual(r.json["total"], 3)
            self.assertEqual(len(r.json["items"]), 1)
            seen.append(r.json["items"][0]["realmId"])
        self.assertEqual(sorted(seen), ids)
        r = ac.admin("GET", "/realms?q=%s&limit=2&offset=3" % prefix)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["items"], [])
        self.assertEqual(r.json["total"], 3)

    def test_query_wildcards_are_literal(self):
        for q in ("%25", "_", "%25%25", "m%25", "ma_ter", "%5C"):
            with self.subTest(q=q):
                r = ac.admin("GET", "/realms?q=" + q)
                self.assertNot5xx(r)
                if r.status == 200:
                    self.assertEqual(r.json["total"], 0, repr(r))
                    self.assertEqual(r.json["items"], [])
                else:
                    self.assertProblem(r, 400)

    def test_bad_paging(self):
        for qs in ("limit=0", "limit=501", "offset=-1", "limit=abc",
                   "offset=abc", "limit=-5", "limit=1.5",
                   "limit=99999999999999999999"):
            with self.subTest(qs=qs):
                r = ac.admin("GET", "/realms?" + qs)
                body = self.assertProblem(r, 400)
                param = qs.split("=")[0]
                fields = [e.get("field") for e in body.get("errors") or []]
                self.assertTrue(param in fields or param in body["detail"],
                                repr(r))

    def test_good_paging_bounds(self):
        for qs in ("limit=1", "limit=500", "offset=0", "limit=500&offset=100000"):
            with self.subTest(qs=qs):
                r = ac.admin("GET", "/realms?" + qs)
                self.assertStatus(r, 200)
                n = int(qs.split("&")[0].split("=")[1]) if "limit" in qs else None
                if n:
                    self.assertLessEqual(len(r.json["items"]), n)

    def test_statistics_count_clients(self):
        rid, _ = ac.create_realm(self)
        ac.create_client(rid)
        ac.create_client(rid)
        r = ac.admin("GET", realm_path(rid))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["statistics"]["totalClients"], 2)
        self.assertEqual(r.json["statistics"]["totalUsers"], 0)


class RealmUpdateTest(AuthioTestCase):

    def test_put(self):
        rid, created = ac.create_realm(self)
        r = ac.admin("PUT", realm_path(rid),
                     {"name": "New", "description": "d", "status": "inactive"})
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(body["name"], "New")
        self.assertEqual(body["description"], "d")
        self.assertEqual(body["status"], "inactive")
        self.assertEqual(body["realmId"], rid)
        self.assertEqual(body["id"], created["id"])
        self.assertEqual(body["createdAt"], created["createdAt"])
        self.assertGreater(body["version"], created["version"])
        self.assertEqual(r.header("ETag"), '"%d"' % body["version"])
        g = ac.admin("GET", realm_path(rid))
        self.assertEqual(g.json["name"], "New")
        self.assertEqual(g.json["status"], "inactive")
        self.assertEqual(g.json["version"], body["version"])
        self.assertGreaterEqual(self.assertRfc3339Utc(g.json["updatedAt"]),
                                self.assertRfc3339Utc(created["updatedAt"]))
        # and back
        r = ac.admin("PUT", realm_path(rid),
                     {"name": "New", "description": "d", "status": "active"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "active")
        self.assertGreater(r.json["version"], body["version"])

    def test_patch_changes_only_what_it_names(self):
        rid, created = ac.create_realm(self, description="kept")
        r = ac.admin("PATCH", realm_path(rid), {"name": "Patched"},
                     headers={"If-Match": '"%d"' % created["version"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["name"], "Patched")
        self.assertEqual(r.json["description"], "kept")
        self.assertEqual(r.json["status"], "active")
        self.assertEqual(r.json["version"], created["version"] + 1)
        # a stale version, bad values, unknown fields and a renaming are refused
        self.assertProblem(ac.admin("PATCH", realm_path(rid), {"name": "x"},
                                    headers={"If-Match": '"%d"' % created["version"]}),
                           412)
        for patch, field in (({"status": "asleep"}, "status"), ({"name": None}, "name"),
                             ({"name": 7}, "name"), ({"color": "red"}, "color"),
                             ({"realmId": "other-id"}, "realmId")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", realm_path(rid), patch), 400,
                                   field=field)
        self.assertEqual(ac.admin("GET", realm_path(rid)).json["name"], "Patched")
        self.assertProblem(ac.admin("PATCH", realm_path(ac.unique("r")), {"name": "x"}),
                           404)
        self.assertProblem(ac.admin("PATCH", "/realms/master", {"status": "inactive"}),
                           400, field="status")

    def test_put_with_same_realm_id_in_body(self):
        rid, _ = ac.create_realm(self)
        r = ac.admin("PUT", realm_path(rid), {"realmId": rid, "name": "Same",
                                              "description": "",
                                              "status": "active"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["name"], "Same")

    def test_put_bad_status(self):
        rid, created = ac.create_realm(self)
        for status in ("disabled", "ACTIVE", "", 1):
            with self.subTest(status=status):
                r = ac.admin("PUT", realm_path(rid),
                             {"name": "x", "description": "d", "status": status})
                self.assertProblem(r, 400, field="status")
        self.assertUnchanged(rid, created)

    def assertUnchanged(self, rid, created):
        g = ac.admin("GET", realm_path(rid))
        self.assertStatus(g, 200)
        for k in ("name", "description", "status", "version"):
            self.assertEqual(g.json[k], created[k], k)

    def test_put_other_realm_id_in_body(self):
        rid, created = ac.create_realm(self)
        other = ac.unique("other")
        r = ac.admin("PUT", realm_path(rid), {"realmId": other, "name": "x",
                                              "description": "d",
                                              "status": "active"})
        self.assertProblem(r, 400, field="realmId")
        self.assertUnchanged(rid, created)
        self.assertRealmAbsent(other)

    def test_put_validation(self):
        rid, created = ac.create_realm(self)
        cases = [({"name": "", "description": "d", "status": "active"}, "name"),
                 ({"name": 5, "description": "d", "status": "active"}, "name"),
                 ({"name": "n" * 10000, "description": "d", "status": "active"},
                  "name"),
                 ({"name": "x", "description": "d" * 10000, "status": "active"},
                  "description"),
                 ({"name": "x", "description": "d", "status": "active",
                   "bar": True}, "bar")]
        for body, field in cases:
            with self.subTest(field=field, body=str(body)[:60]):
                r = ac.admin("PUT", realm_path(rid), body)
                self.assertProblem(r, 400, field=field)
        self.assertUnchanged(rid, created)

    def test_if_match(self):
        rid, created = ac.create_realm(self)
        v = created["version"]
        body = {"name": "One", "description": "d", "status": "active"}
        r = ac.admin("PUT", realm_path(rid), body,
                     headers={"If-Match": '"%d"' % v})
        self.assertStatus(r, 200)
        v2 = r.json["version"]
        self.assertGreater(v2, v)
        # the old version is stale now
        stale = ac.admin("PUT", realm_path(rid), dict(body, name="Two"),
                         headers={"If-Match": '"%d"' % v})
        self.assertProblem(stale, 412)
        g = ac.admin("GET", realm_path(rid))
        self.assertEqual(g.json["name"], "One")
        self.assertEqual(g.json["version"], v2)
        self.assertEqual(g.header("ETag"), '"%d"' % v2)
        # the current ETag works
        r = ac.admin("PUT", realm_path(rid), dict(body, name="Three"),
                     headers={"If-Match": g.header("ETag")})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["name"], "Three")

    def test_put_unknown_is_404(self):
        rid = ac.unique("nope")
        r = ac.admin("PUT", realm_path(rid),
                     {"name": "x", "description": "d", "status": "active"})
        self.assertProblem(r, 404)
        self.assertRealmAbsent(rid)  # PUT does not create


class RealmDeleteTest(AuthioTestCase):

    def test_delete_removes_everything(self):
        rid, created = ac.create_realm(self)
        c1, _ = ac.create_client(rid)
        c2, _ = ac.create_client(rid)
        s1, _ = ac.create_secret(rid, c1)
        ac.create_secret(rid, c2)
        self.assertStatus(ac.token_request(rid, c1, s1), 200)
        uuid = None
        if ac.db_available():
            uuid = ac.db_scalar("SELECT id FROM realms WHERE realm_id = %s"
                                % ac.sql_str(rid))
            self.assertGreaterEqual(int(ac.db_scalar(
                "SELECT COUNT(*) FROM signing_keys WHERE realm_id = %s"
                % ac.sql_str(uuid))), 2)

        r = ac.admin("DELETE", realm_path(rid))
        self.assertStatus(r, 204)
        self.assertEqual(r.body, b"")
        self.assertRealmAbsent(rid)
        # workers may serve what they cached for up to cache_ttl seconds
        ac.settle()
        for _ in range(3):  # several requests, to reach several workers
            self.assertStatus(ac.get(
                "/realms/%s/.well-known/openid-configuration" % rid), 404)
            self.assertStatus(ac.get("/realms/%s/jwks" % rid), 404)
            t = ac.token_request(rid, c1, s1)
            self.assert4xx(t)
            self.assertNotIn("access_token", t.json or {})
        self.assertProblem(ac.admin("GET", "/realms/%s/clients/%s" % (rid, c1)),
                           404)
        self.assertProblem(ac.admin("DELETE", realm_path(rid)), 404)

        if uuid is not None:
            for table in ("realm_settings", "principal_names", "clients",
                          "consumers", "secrets", "users", "roles", "scopes",
                          "signing_keys", "sessions", "auth_codes",
                          "refresh_tokens", "device_codes", "revoked_tokens",
                          "events"):
                with self.subTest(table=table):
                    n = ac.db_scalar("SELECT COUNT(*) FROM %s WHERE realm_id = %s"
                                     % (table, ac.sql_str(uuid)))
                    self.assertEqual(n, "0", "%s rows left" % table)
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM realms WHERE id = %s" % ac.sql_str(uuid)),
                "0")

    def test_deleted_realm_metadata_is_not_served_from_a_cache(self):
        # discovery and JWKS fetched before the deletion must not outlive
        # it beyond the documented bounds (cache_ttl in the workers,
        # metadata_max_age in the web server's cache)
        rid, _ = ac.create_realm(self)
        self.assertStatus(ac.get("/realms/%s/.well-known/openid-configuration"
                                 % rid), 200)
        self.assertStatus(ac.get("/realms/%s/jwks" % rid), 200)
        self.assertStatus(ac.admin("DELETE", realm_path(rid)), 204)
        ac.settle()
        for path in ("/.well-known/openid-configuration", "/jwks"):
            with self.subTest(path=path):
                r = ac.get("/realms/" + rid + path)
                self.assertStatus(r, 404)

    def test_recreate_after_delete(self):
        rid, first = ac.create_realm(self)
        self.assertStatus(ac.admin("DELETE", realm_path(rid)), 204)
        rid2, second = ac.create_realm(self, realm_id=rid)
        self.assertNotEqual(first["id"], second["id"])
        self.assertEqual(second["statistics"]["totalClients"], 0)

    def test_delete_master_is_refused(self):
        r = ac.admin("DELETE", "/realms/master")
        self.assertIn(r.status, (400, 409), repr(r))
        self.assertProblem(r, r.status)
        self.assertStatus(ac.admin("GET", "/realms/master"), 200)
        self.assertStatus(ac.get("/realms/master/jwks"), 200)

    def test_delete_unknown_is_404(self):
        self.assertProblem(ac.admin("DELETE", realm_path(ac.unique("nope"))),
                           404)

    def test_delete_does_not_touch_other_realms(self):
        a, _ = ac.create_realm(self)
        b, _ = ac.create_realm(self)
        cb, _ = ac.create_client(b)
        sb, _ = ac.create_secret(b, cb)
        self.assertStatus(ac.admin("DELETE", realm_path(a)), 204)
        self.assertStatus(ac.admin("GET", realm_path(b)), 200)
        self.assertStatus(ac.token_request(b, cb, sb), 200)


if __name__ == "__main__":
    unittest.main()
