"""Admin events: every change through /api/admin leaves an audit record
(who, what, which resource, before/after without secrets), and
GET /api/admin/realms/{realmId}/events lists them with filters."""

import datetime
import json
import unittest

from authio_client import (RealmTestCase, admin, create_client, create_secret,
                           quote, unique)


class AdminEventsTest(RealmTestCase):

    def events(self, query=""):
        r = admin("GET", "/realms/%s/events%s" % (quote(self.realm), query))
        self.assertStatus(r, 200)
        self.assertIsInstance(r.json["items"], list)
        self.assertIsInstance(r.json["total"], int)
        return r.json

    def test_client_lifecycle_is_recorded_newest_first(self):
        cid, _ = create_client(self.realm, name="Before")
        r = admin("PATCH", "/realms/%s/clients/%s" % (quote(self.realm),
                                                     quote(cid)),
                  {"name": "After"})
        self.assertStatus(r, 200)
        self.assertStatus(admin("DELETE", "/realms/%s/clients/%s"
                                % (quote(self.realm), quote(cid))), 204)
        got = self.events("?resourceId=" + quote(cid))
        types = [e["type"] for e in got["items"]]
        self.assertEqual(types, ["client.delete", "client.update",
                                 "client.create"])
        self.assertEqual(got["total"], 3)
        upd = got["items"][1]
        self.assertEqual(upd["category"], "admin")
        self.assertEqual(upd["resourceType"], "client")
        self.assertEqual(upd["actor"], "admin-cli")
        self.assertRegex(upd["requestId"], r"^[0-9a-f]{16}$")
        self.assertEqual(upd["details"]["before"]["name"], "Before")
        self.assertEqual(upd["details"]["after"]["name"], "After")
        self.assertRfc3339Utc(upd["time"][:19] + "Z")
        self.assertNotIn("after", got["items"][0]["details"])

    def test_secret_events_never_hold_the_secret(self):
        cid, _ = create_client(self.realm)
        secret, meta = create_secret(self.realm, cid, label="ci")
        got = self.events("?type=secret.create&resourceType=secret")
        mine = [e for e in got["items"]
                if e["resourceId"] == "%s/secrets/%s" % (cid, meta["id"])]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["details"]["after"]["label"], "ci")
        self.assertNotIn(secret, json.dumps(mine[0]))

    def test_filters_combine_and_page(self):
        for _ in range(3):
            create_client(self.realm)
        all_creates = self.events("?type=client.create&limit=500")
        self.assertGreaterEqual(all_creates["total"], 3)
        page = self.events("?type=client.create&limit=2&offset=1")
        self.assertEqual(page["total"], all_creates["total"])
        self.assertEqual([e["id"] for e in page["items"]],
                         [e["id"] for e in all_creates["items"][1:3]])
        self.assertEqual(self.events("?actor=nobody-" + unique())["total"], 0)
        self.assertEqual(self.events("?category=auth")["total"], 0)

    def test_time_range(self):
        create_client(self.realm)
        now = datetime.datetime.now(datetime.timezone.utc)
        later = (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        earlier = (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.assertEqual(self.events("?from=" + later)["total"], 0)
        self.assertGreater(self.events("?from=%s&to=%s" % (earlier, later))
                           ["total"], 0)
        self.assertEqual(self.events("?to=" + earlier)["total"], 0)

    def test_bad_filters_are_400_naming_the_parameter(self):
        for q, field in (("?from=yesterday", "from"),
                         ("?to=2026-13-99T00:00:00Z", "to"),
                         ("?category=nope", "category"),
                         ("?limit=0", "limit")):
            r = admin("GET", "/realms/%s/events%s" % (quote(self.realm), q))
            self.assertProblem(r, 400, field)

    def test_unknown_realm_is_404(self):
        self.assertProblem(admin("GET", "/realms/%s/events" % unique("nx")),
                           404)


class RealmEventsTest(unittest.TestCase):

    def test_realm_create_and_update_are_recorded(self):
        from authio_client import create_realm
        realm, _ = create_realm(self)
        r = admin("PATCH", "/realms/" + realm, {"description": "changed"})
        self.assertEqual(r.status, 200, r)
        r = admin("GET", "/realms/%s/events?resourceType=realm" % realm)
        self.assertEqual([e["type"] for e in r.json["items"]],
                         ["realm.update", "realm.create"])
        self.assertEqual(r.json["items"][0]["details"]["after"]["description"],
                         "changed")


if __name__ == "__main__":
    unittest.main()
