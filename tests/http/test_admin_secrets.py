"""Client secrets beyond creation: listing (metadata only), revocation and
rotation with a grace period, through the real stack."""
import time
import unittest

import authio_client as ac


def secrets_path(realm, client, *rest):
    return "/realms/%s/clients/%s/secrets" % (ac.quote(realm), ac.quote(client)) + \
        "".join("/" + ac.quote(p) for p in rest)


class SecretLifecycleTest(ac.RealmTestCase):

    def new_client(self):
        cid, _ = ac.create_client(self.realm)
        return cid

    def test_list_shows_metadata_never_values(self):
        cid = self.new_client()
        s1, b1 = ac.create_secret(self.realm, cid, label="one")
        s2, b2 = ac.create_secret(self.realm, cid, label="two")
        r = ac.admin("GET", secrets_path(self.realm, cid))
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(body["total"], 2)
        self.assertEqual({i["id"] for i in body["items"]}, {b1["id"], b2["id"]})
        for item in body["items"]:
            self.assertEqual(item["status"], "active")
            self.assertRfc3339Utc(item["createdAt"])
            self.assertNotIn("secret", item)
            self.assertNotIn("hash", item)
            self.assertIn("lastUsedAt", item)
        self.assertNotIn(s1, r.text)
        self.assertNotIn(s2, r.text)

    def test_last_used_at_follows_authentication(self):
        cid = self.new_client()
        s1, b1 = ac.create_secret(self.realm, cid, label="used")
        _, b2 = ac.create_secret(self.realm, cid, label="idle")
        for _ in range(3):
            self.assertStatus(ac.token_request(self.realm, cid, s1), 200)
        # a failed attempt is no use of any secret
        self.assertEqual(ac.token_request(self.realm, cid, "wrong").status,
                         401)
        items = {i["id"]: i for i in ac.admin(
            "GET", secrets_path(self.realm, cid)).json["items"]}
        used = self.assertRfc3339Utc(items[b1["id"]]["lastUsedAt"])
        self.assertLess(abs(used - time.time()), 90)
        self.assertIsNone(items[b2["id"]]["lastUsedAt"])

    def test_revoke_stops_the_secret_and_keeps_the_others(self):
        cid = self.new_client()
        s1, b1 = ac.create_secret(self.realm, cid)
        s2, _ = ac.create_secret(self.realm, cid)
        r = ac.admin("DELETE", secrets_path(self.realm, cid, b1["id"]))
        self.assertStatus(r, 204)
        ac.settle()  # other workers may trust their cache for cache_ttl
        for _ in range(4):
            self.assertOAuthError(ac.token_request(self.realm, cid, s1), 401,
                                  "invalid_client")
            self.assertStatus(ac.token_request(self.realm, cid, s2), 200)
        listed = ac.admin("GET", secrets_path(self.realm, cid)).json["items"]
        self.assertEqual({i["id"]: i["status"] for i in listed}[b1["id"]], "revoked")
        # revoking again, or an unknown or malformed id, is 404
        for sid in (b1["id"], "00000000-0000-4000-8000-000000000000", "not-an-id",
                    "\u2713"):
            with self.subTest(sid=sid):
                self.assertProblem(ac.admin("DELETE", secrets_path(self.realm, cid, sid)),
                                   404)

    def test_rotate_with_grace_period(self):
        cid = self.new_client()
        old, b_old = ac.create_secret(self.realm, cid, label="deploy")
        r = ac.admin("POST", secrets_path(self.realm, cid, b_old["id"], "rotate"),
                     {"gracePeriodSeconds": 3})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        new = body["secret"]
        self.assertEqual(body["rotatedFrom"], b_old["id"])
        self.assertEqual(body["label"], "deploy")
        self.assertEqual(r.header("Cache-Control"), "no-store")
        # both work during the grace period
        self.assertStatus(ac.token_request(self.realm, cid, new), 200)
        self.assertStatus(ac.token_request(self.realm, cid, old), 200)
        listed = {i["id"]: i for i in
                  ac.admin("GET", secrets_path(self.realm, cid)).json["items"]}
        self.assertIsNotNone(listed[b_old["id"]]["expiresAt"])
        # after it, only the successor
        time.sleep(4)
        ac.settle()
        for _ in range(4):
            self.assertOAuthError(ac.token_request(self.realm, cid, old), 401,
                                  "invalid_client")
            self.assertStatus(ac.token_request(self.realm, cid, new), 200)
        listed = {i["id"]: i for i in
                  ac.admin("GET", secrets_path(self.realm, cid)).json["items"]}
        self.assertEqual(listed[b_old["id"]]["status"], "expired")
        # an expired secret cannot be rotated again
        again = ac.admin("POST", secrets_path(self.realm, cid, b_old["id"], "rotate"),
                         {"gracePeriodSeconds": 0})
        self.assertProblem(again, 409)

    def test_rotate_refuses_bad_input(self):
        cid = self.new_client()
        _, b = ac.create_secret(self.realm, cid)
        path = secrets_path(self.realm, cid, b["id"], "rotate")
        for body, field in (({}, "gracePeriodSeconds"),
                            ({"gracePeriodSeconds": -1}, "gracePeriodSeconds"),
                            ({"gracePeriodSeconds": 99999999}, "gracePeriodSeconds"),
                            ({"gracePeriodSeconds": "60"}, "gracePeriodSeconds"),
                            ({"gracePeriodSeconds": 60, "extra": 1}, "extra"),
                            ({"gracePeriodSeconds": 60, "expiresAt": "2001-01-01T00:00:00Z"},
                             "expiresAt")):
            with self.subTest(body=body):
                self.assertProblem(ac.admin("POST", path, body), 400, field=field)
        # nothing changed: the secret is still active without an expiry
        item = ac.admin("GET", secrets_path(self.realm, cid)).json["items"][0]
        self.assertEqual(item["status"], "active")
        self.assertIsNone(item["expiresAt"])
        self.assertProblem(ac.admin("POST", secrets_path(self.realm, cid, "nope", "rotate"),
                                    {"gracePeriodSeconds": 0}), 404)

    def test_revoked_secret_cannot_be_rotated(self):
        cid = self.new_client()
        _, b = ac.create_secret(self.realm, cid)
        self.assertStatus(ac.admin("DELETE", secrets_path(self.realm, cid, b["id"])), 204)
        r = ac.admin("POST", secrets_path(self.realm, cid, b["id"], "rotate"),
                     {"gracePeriodSeconds": 0})
        self.assertProblem(r, 409)

    def test_unknown_client_or_realm_is_404(self):
        self.assertProblem(ac.admin("GET", secrets_path(self.realm, "nope")), 404)
        self.assertProblem(ac.admin("GET", secrets_path(ac.unique("r"), "nope")), 404)

    def test_secret_routes_need_admin(self):
        cid = self.new_client()
        _, b = ac.create_secret(self.realm, cid)
        for method, path in (("GET", secrets_path(self.realm, cid)),
                             ("DELETE", secrets_path(self.realm, cid, b["id"])),
                             ("POST", secrets_path(self.realm, cid, b["id"], "rotate"))):
            with self.subTest(method=method):
                r = ac.request(method, "/api/admin" + path)
                self.assertStatus(r, 401)
                self.assertIn("Bearer", r.header("WWW-Authenticate") or "")


if __name__ == "__main__":
    unittest.main()
