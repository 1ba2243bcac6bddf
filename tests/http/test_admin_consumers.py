"""Consumers, the machine identities of a realm, through the real stack:
/api/admin/realms/{realmId}/consumers[/{consumerId}[/secrets|/usage]],
and their client-credentials tokens at /realms/{realmId}/token."""

import datetime
import json
import time
import unittest

import authio_client as ac
from authio_client import consumers_path as cpath
from test_bad_input import JsonRouteMatrix

ONE_MIB = 1024 * 1024


def today_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")


class ConsumerCrudTest(ac.RealmTestCase):

    def test_create_read_and_representation(self):
        cid = ac.unique("job")
        r = ac.admin("POST", cpath(self.realm),
                     {"consumerId": cid, "name": "Nightly job",
                      "description": "bills", "allowedScopes": ["profile", "email"],
                      "audience": ["https://api.example", "urn:b",
                                   "https://api.example"]})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        self.assertTrue((r.header("Location") or "").endswith(
            "/api/admin/realms/%s/consumers/%s" % (self.realm, cid)), repr(r))
        self.assertEqual(r.header("ETag"), '"%d"' % body["version"])
        self.assertEqual(body["consumerId"], cid)
        self.assertEqual(body["name"], "Nightly job")
        self.assertEqual(body["description"], "bills")
        self.assertIs(body["enabled"], True)
        self.assertEqual(body["allowedScopes"], ["email", "profile"])
        # duplicates are dropped, the order is kept
        self.assertEqual(body["audience"], ["https://api.example", "urn:b"])
        self.assertEqual(body["tokensIssued"], 0)
        self.assertIsNone(body["lastUsedAt"])
        self.assertEqual(body["version"], 1)
        self.assertRegex(body["id"], r"^[0-9a-f-]{36}$")
        self.assertRfc3339Utc(body["createdAt"])
        self.assertRfc3339Utc(body["updatedAt"])
        g = ac.admin("GET", cpath(self.realm, cid))
        self.assertStatus(g, 200)
        self.assertEqual(g.json, body)
        self.assertEqual(g.header("ETag"), '"1"')

    def test_defaults(self):
        cid, body = ac.create_consumer(self.realm)
        self.assertEqual(body["allowedScopes"], [])
        self.assertEqual(body["audience"], [])
        self.assertEqual(body["description"], "")
        self.assertIs(body["enabled"], True)

    def test_list_q_and_paging(self):
        realm, _ = ac.create_realm(self)
        names = ["alpha-1", "alpha-2", "alpha-3", "beta-1"]
        for n in names:
            ac.create_consumer(realm, n)
        ac.create_client(realm, "alpha-client")  # clients are not consumers
        r = ac.admin("GET", cpath(realm))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 4)
        self.assertEqual([i["consumerId"] for i in r.json["items"]], names)
        r = ac.admin("GET", cpath(realm) + "?q=alpha&limit=2&offset=1")
        self.assertEqual(r.json["total"], 3)
        self.assertEqual([i["consumerId"] for i in r.json["items"]],
                         ["alpha-2", "alpha-3"])
        # % and _ are literal in the prefix
        self.assertEqual(ac.admin("GET", cpath(realm) + "?q=%25").json["total"], 0)
        self.assertEqual(ac.admin("GET", cpath(realm) + "?q=alpha_").json["total"], 0)
        self.assertProblem(ac.admin("GET", cpath(realm) + "?limit=501"), 400,
                           field="limit")
        # another realm's consumers are not listed
        self.assertEqual(ac.admin("GET", cpath(self.realm) + "?q=alpha-")
                         .json["total"], 0)

    def test_put_replaces_and_bumps_version(self):
        cid, created = ac.create_consumer(self.realm, allowedScopes=["email"],
                                          audience=["a"])
        r = ac.admin("PUT", cpath(self.realm, cid),
                     {"consumerId": cid, "name": "Renamed", "enabled": False,
                      "audience": ["x", "y"]})
        self.assertStatus(r, 200)
        body = r.json
        self.assertEqual(body["name"], "Renamed")
        self.assertIs(body["enabled"], False)
        self.assertEqual(body["audience"], ["x", "y"])
        self.assertEqual(body["allowedScopes"], [])  # PUT replaces
        self.assertEqual(body["version"], created["version"] + 1)
        self.assertEqual(r.header("ETag"), '"%d"' % body["version"])
        self.assertEqual(ac.admin("GET", cpath(self.realm, cid)).json, body)

    def test_patch_merges(self):
        cid, created = ac.create_consumer(self.realm, description="keep me",
                                          allowedScopes=["email"])
        r = ac.request("PATCH", "/api/admin" + cpath(self.realm, cid),
                       body=json.dumps({"name": "Patched",
                                        "allowedScopes": ["email", "phone"]}),
                       headers={"Content-Type": "application/merge-patch+json",
                                "Authorization": "Bearer " + ac.admin_token()})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["name"], "Patched")
        self.assertEqual(r.json["description"], "keep me")
        self.assertEqual(r.json["allowedScopes"], ["email", "phone"])
        self.assertEqual(r.json["version"], created["version"] + 1)
        # null removes a member: it falls back to its default
        r = ac.admin("PATCH", cpath(self.realm, cid),
                     {"description": None, "allowedScopes": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "")
        self.assertEqual(r.json["allowedScopes"], [])
        # computed members are not editable
        self.assertProblem(ac.admin("PATCH", cpath(self.realm, cid),
                                    {"tokensIssued": 5}), 400,
                           field="tokensIssued")

    def test_realm_scopes_are_not_shared(self):
        # a scope of another realm is unknown here: only global scopes and
        # the realm's own are allowed (only global ones exist so far)
        r = ac.admin("POST", cpath(self.realm),
                     {"consumerId": ac.unique("m"),
                      "allowedScopes": ["openid", "offline_access"]})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["allowedScopes"], ["offline_access", "openid"])

    def test_delete_frees_the_name(self):
        cid, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        self.assertStatus(ac.token_request(self.realm, cid, secret), 200)
        self.assertStatus(ac.admin("DELETE", cpath(self.realm, cid)), 204)
        self.assertProblem(ac.admin("GET", cpath(self.realm, cid)), 404)
        self.assertProblem(ac.admin("DELETE", cpath(self.realm, cid)), 404)
        ac.settle()
        self.assertOAuthError(ac.token_request(self.realm, cid, secret), 401,
                              "invalid_client")
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM principal_names p JOIN realms r ON "
                "r.id = p.realm_id WHERE r.realm_id = %s AND p.name = %s"
                % (ac.sql_str(self.realm), ac.sql_str(cid))), "0")
        # the id may now name a client, then (once that is gone) a consumer
        ac.create_client(self.realm, client_id=cid)
        self.assertStatus(ac.admin("DELETE", "/realms/%s/clients/%s"
                                   % (self.realm, ac.quote(cid))), 204)
        again, _ = ac.create_consumer(self.realm, cid)
        self.assertEqual(again, cid)

    def test_sql_metacharacters_and_odd_ids(self):
        name = "Robert'); DROP TABLE consumers; -- \\ \u2713"
        for cid in ("svc:1+x y%2F?#&=", "\u00e9t\u00e9-job"):
            with self.subTest(cid=cid):
                got, body = ac.create_consumer(self.realm, cid, name=name)
                self.assertEqual(body["consumerId"], cid)
                g = ac.admin("GET", cpath(self.realm, cid))
                self.assertStatus(g, 200)
                self.assertEqual(g.json["name"], name)
                # RFC 6749 §2.3.1: form-urlencoded inside Basic, or posted
                secret, _ = ac.create_consumer_secret(self.realm, cid)
                for method in ("basic", "post"):
                    t = ac.token_request(self.realm, cid, secret, method)
                    self.assertStatus(t, 200)
                    self.assertEqual(ac.jose_payload_unverified(
                        t.json["access_token"])["sub"], cid)


class ConsumerErrorsTest(ac.RealmTestCase):

    def test_validation_400_names_the_field(self):
        cases = [
            ({"consumerId": None}, "consumerId"),
            ({"consumerId": ""}, "consumerId"),
            ({"consumerId": "a/b"}, "consumerId"),
            ({"consumerId": 7}, "consumerId"),
            ({"consumerId": "c" * 256}, "consumerId"),
            ({"consumerId": "a\nb"}, "consumerId"),
            ({"name": 5}, "name"),
            ({"name": "n" * 256}, "name"),
            ({"description": "d" * 1001}, "description"),
            ({"enabled": "yes"}, "enabled"),
            ({"allowedScopes": "email"}, "allowedScopes"),
            ({"allowedScopes": [1]}, "allowedScopes"),
            ({"allowedScopes": ["email", "no-such-scope"]}, "allowedScopes"),
            ({"audience": "https://a"}, "audience"),
            ({"audience": [""]}, "audience"),
            ({"audience": ["a" * 256]}, "audience"),
            ({"audience": [None]}, "audience"),
            ({"audience": ["x"] * 33}, "audience"),
            ({"secret": "x"}, "secret"),
            ({"id": "00000000-0000-4000-8000-000000000000"}, "id"),
            ({"unknownField": 1}, "unknownField"),
        ]
        for extra, field in cases:
            cid = ac.unique("v")
            body = dict({"consumerId": cid, "name": "V"}, **extra)
            if body["consumerId"] is None:
                del body["consumerId"]
            with self.subTest(field=field, extra=str(extra)[:60]):
                r = ac.admin("POST", cpath(self.realm), body)
                self.assertProblem(r, 400, field=field)
                self.assertProblem(ac.admin("GET", cpath(self.realm, cid)), 404)
        r = ac.admin("POST", cpath(self.realm),
                     {"consumerId": ac.unique("v"),
                      "allowedScopes": ["no-such-scope"]})
        self.assertIn("no-such-scope", json.dumps(r.json["errors"]))

    def test_put_and_patch_refuse_bad_input_and_change_nothing(self):
        cid, created = ac.create_consumer(self.realm, allowedScopes=["email"])
        for body, field in (({"consumerId": "other"}, "consumerId"),
                            ({"name": "x"}, "consumerId"),
                            ({"consumerId": cid, "allowedScopes": ["nope"]},
                             "allowedScopes"),
                            ({"consumerId": cid, "audience": [""]}, "audience"),
                            ({"consumerId": cid, "bogus": 1}, "bogus")):
            with self.subTest(put=body):
                self.assertProblem(ac.admin("PUT", cpath(self.realm, cid), body),
                                   400, field=field)
        for patch, field in (({"consumerId": "renamed"}, "consumerId"),
                             ({"consumerId": None}, "consumerId"),
                             ({"enabled": 3}, "enabled"),
                             ({"allowedScopes": ["nope"]}, "allowedScopes"),
                             ({"bogus": 1}, "bogus")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", cpath(self.realm, cid), patch),
                                   400, field=field)
        self.assertProblem(ac.request(
            "PATCH", "/api/admin" + cpath(self.realm, cid), body="[1]",
            headers={"Content-Type": "application/json",
                     "Authorization": "Bearer " + ac.admin_token()}), 400)
        self.assertEqual(ac.admin("GET", cpath(self.realm, cid)).json, created)

    def test_401_without_a_token(self):
        cid, _ = ac.create_consumer(self.realm)
        _, s = ac.create_consumer_secret(self.realm, cid)
        for method, path in (("GET", cpath(self.realm)),
                             ("POST", cpath(self.realm)),
                             ("GET", cpath(self.realm, cid)),
                             ("PUT", cpath(self.realm, cid)),
                             ("PATCH", cpath(self.realm, cid)),
                             ("DELETE", cpath(self.realm, cid)),
                             ("GET", cpath(self.realm, cid, "usage")),
                             ("GET", cpath(self.realm, cid, "secrets")),
                             ("POST", cpath(self.realm, cid, "secrets")),
                             ("DELETE", cpath(self.realm, cid, "secrets", s["id"])),
                             ("POST", cpath(self.realm, cid, "secrets", s["id"],
                                            "rotate"))):
            with self.subTest(method=method, path=path):
                r = ac.request(method, "/api/admin" + path,
                               json_body={"consumerId": cid})
                self.assertProblem(r, 401)
                self.assertIn("Bearer", r.header("WWW-Authenticate") or "")
        self.assertStatus(ac.admin("GET", cpath(self.realm, cid)), 200)
        self.assertEqual(ac.admin("GET", cpath(self.realm, cid, "secrets"))
                         .json["items"][0]["status"], "active")

    def test_403_without_the_admin_role(self):
        client, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", client, secret).json["access_token"]
        cid, _ = ac.create_consumer(self.realm)
        fresh = ac.unique("m")
        for method, path, body in (
                ("GET", cpath(self.realm), None),
                ("POST", cpath(self.realm), {"consumerId": fresh}),
                ("GET", cpath(self.realm, cid), None),
                ("PATCH", cpath(self.realm, cid), {"name": "x"}),
                ("DELETE", cpath(self.realm, cid), None),
                ("GET", cpath(self.realm, cid, "usage"), None),
                ("POST", cpath(self.realm, cid, "secrets"), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.request(method, "/api/admin" + path,
                                              json_body=body, token=token), 403)
        self.assertProblem(ac.admin("GET", cpath(self.realm, fresh)), 404)
        self.assertEqual(ac.admin("GET", cpath(self.realm, cid)).json["name"],
                         "Consumer " + cid)

    def test_404(self):
        nope = ac.unique("ghost")
        for method, path, body in (
                ("GET", cpath(self.realm, nope), None),
                ("PUT", cpath(self.realm, nope), {"consumerId": nope}),
                ("PATCH", cpath(self.realm, nope), {"name": "x"}),
                ("DELETE", cpath(self.realm, nope), None),
                ("GET", cpath(self.realm, nope, "usage"), None),
                ("GET", cpath(self.realm, nope, "secrets"), None),
                ("POST", cpath(self.realm, nope, "secrets"), None),
                ("GET", cpath(ac.unique("r")), None),
                ("POST", cpath(ac.unique("r")), {"consumerId": nope})):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body), 404)
        # a client is not a consumer, even though they share ids
        cid, _ = ac.create_client(self.realm)
        self.assertProblem(ac.admin("GET", cpath(self.realm, cid)), 404)
        self.assertProblem(ac.admin("GET", "/realms/%s/clients/%s" % (
            self.realm, ac.quote(ac.create_consumer(self.realm)[0]))), 404)

    def test_409_ids_are_shared_with_clients(self):
        cid, _ = ac.create_consumer(self.realm)
        self.assertProblem(ac.admin("POST", cpath(self.realm),
                                    {"consumerId": cid, "name": "again"}), 409)
        # a client cannot take a consumer's id ...
        self.assertProblem(ac.admin("POST", "/realms/%s/clients" % self.realm,
                                    {"clientId": cid,
                                     "grantTypes": ["client_credentials"]}), 409)
        self.assertClientAbsent(self.realm, cid)
        # ... nor a consumer a client's
        client, _ = ac.create_client(self.realm)
        r = ac.admin("POST", cpath(self.realm), {"consumerId": client})
        self.assertProblem(r, 409)
        self.assertIn(client, r.json["detail"])
        self.assertProblem(ac.admin("GET", cpath(self.realm, client)), 404)
        # the same id in another realm is another consumer
        other, _ = ac.create_realm(self)
        ac.create_consumer(other, cid)
        self.assertEqual(ac.admin("GET", cpath(self.realm, cid)).json["name"],
                         "Consumer " + cid)

    def test_412_stale_if_match(self):
        cid, created = ac.create_consumer(self.realm)
        stale = '"%d"' % created["version"]
        first = ac.admin("PUT", cpath(self.realm, cid),
                         {"consumerId": cid, "name": "first"},
                         headers={"If-Match": stale})
        self.assertStatus(first, 200)
        for method, body in (("PUT", {"consumerId": cid, "name": "second"}),
                             ("PATCH", {"name": "second"}), ("DELETE", None)):
            with self.subTest(method=method):
                self.assertProblem(ac.admin(method, cpath(self.realm, cid), body,
                                            headers={"If-Match": stale}), 412)
        self.assertProblem(ac.admin("PUT", cpath(self.realm, cid),
                                    {"consumerId": cid},
                                    headers={"If-Match": "nonsense"}), 400,
                           field="If-Match")
        now = ac.admin("GET", cpath(self.realm, cid)).json
        self.assertEqual(now["name"], "first")
        # the current version works
        ok = ac.admin("PATCH", cpath(self.realm, cid), {"name": "third"},
                      headers={"If-Match": '"%d"' % now["version"]})
        self.assertStatus(ok, 200)
        self.assertStatus(ac.admin("DELETE", cpath(self.realm, cid),
                                   headers={"If-Match": ok.header("ETag")}), 204)

    def test_413_body_over_the_limit(self):
        cid = ac.unique("big")
        big = {"consumerId": cid, "description": "b" * (ONE_MIB + 10)}
        r = ac.admin("POST", cpath(self.realm), big)
        self.assertEqual(r.status, 413, repr(r))
        self.assertProblem(ac.admin("GET", cpath(self.realm, cid)), 404)
        existing, created = ac.create_consumer(self.realm)
        r = ac.admin("PUT", cpath(self.realm, existing),
                     dict(big, consumerId=existing))
        self.assertEqual(r.status, 413, repr(r))
        self.assertEqual(ac.admin("GET", cpath(self.realm, existing)).json,
                         created)


class ConsumerCreateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    """Malformed bodies, content types, oversized values on POST."""

    def good_body(self):
        return {"consumerId": ac.unique("m"), "name": "Bad input consumer"}

    def path(self):
        return cpath(self.realm)

    def snapshot(self, good):
        one = ac.admin("GET", cpath(self.realm, good["consumerId"])).status
        return one, ac.admin("GET", cpath(self.realm)).json["total"]


class ConsumerEventsTest(ac.RealmTestCase):

    def events(self, query):
        r = ac.admin("GET", "/realms/%s/events%s" % (self.realm, query))
        self.assertStatus(r, 200)
        return r.json["items"]

    def test_lifecycle_is_recorded(self):
        cid, _ = ac.create_consumer(self.realm, name="Before")
        self.assertStatus(ac.admin("PATCH", cpath(self.realm, cid),
                                   {"name": "After"}), 200)
        self.assertStatus(ac.admin("DELETE", cpath(self.realm, cid)), 204)
        got = self.events("?resourceType=consumer&resourceId=" + ac.quote(cid))
        self.assertEqual([e["type"] for e in got],
                         ["consumer.delete", "consumer.update", "consumer.create"])
        self.assertEqual(got[1]["details"]["before"]["name"], "Before")
        self.assertEqual(got[1]["details"]["after"]["name"], "After")
        self.assertEqual(got[1]["actor"], "admin-cli")
        self.assertNotIn("after", got[0]["details"])

    def test_secret_events_never_hold_the_secret(self):
        cid, _ = ac.create_consumer(self.realm)
        s1, b1 = ac.create_consumer_secret(self.realm, cid, label="ci")
        r = ac.admin("POST", cpath(self.realm, cid, "secrets", b1["id"], "rotate"),
                     {"gracePeriodSeconds": 60})
        self.assertStatus(r, 201)
        s2, b2 = r.json["secret"], r.json
        self.assertStatus(ac.admin("DELETE", cpath(self.realm, cid, "secrets",
                                                   b2["id"])), 204)
        got = self.events("?resourceType=secret&limit=500")
        mine = {(e["type"], e["resourceId"]) for e in got
                if e["resourceId"].startswith(cid + "/")}
        self.assertEqual(mine, {
            ("secret.create", "%s/secrets/%s" % (cid, b1["id"])),
            ("secret.rotate", "%s/secrets/%s" % (cid, b2["id"])),
            ("secret.revoke", "%s/secrets/%s" % (cid, b2["id"]))})
        text = json.dumps(got)
        self.assertNotIn(s1, text)
        self.assertNotIn(s2, text)


class ConsumerSecretsTest(ac.RealmTestCase):

    def test_lifecycle(self):
        cid, _ = ac.create_consumer(self.realm)
        r = ac.admin("POST", cpath(self.realm, cid, "secrets"), {"label": "ci"})
        self.assertStatus(r, 201)
        b1 = self.assertJson(r)
        s1 = b1["secret"]
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertRegex(s1, r"^[A-Za-z0-9_-]{43,}$")
        for k in ("id", "label", "createdAt", "expiresAt", "lastUsedAt",
                  "status", "rotatedFrom"):
            self.assertIn(k, b1)
        self.assertEqual((b1["label"], b1["status"]), ("ci", "active"))
        # without a body too
        r = ac.admin("POST", cpath(self.realm, cid, "secrets"))
        self.assertStatus(r, 201)
        s2, b2 = r.json["secret"], r.json
        # both work at once, with either authentication method
        for s in (s1, s2):
            for method in ("basic", "post"):
                self.assertStatus(ac.token_request(self.realm, cid, s, method), 200)
        # the list shows metadata only
        listed = ac.admin("GET", cpath(self.realm, cid, "secrets"))
        self.assertStatus(listed, 200)
        self.assertEqual(listed.json["total"], 2)
        self.assertEqual({i["id"] for i in listed.json["items"]},
                         {b1["id"], b2["id"]})
        for i in listed.json["items"]:
            self.assertNotIn("secret", i)
        self.assertNotIn(s1, listed.text)
        self.assertNotIn(s2, listed.text)
        self.assertNotIn(s1, ac.admin("GET", cpath(self.realm, cid)).text)
        # stored as a hash, owned by the consumer and not by a client
        if ac.db_available():
            rows = ac.db_query(
                "SELECT s.client_id, s.secret_hash FROM secrets s JOIN consumers c "
                "ON c.id = s.consumer_id JOIN realms r ON r.id = c.realm_id "
                "WHERE r.realm_id = %s AND c.consumer_id = %s"
                % (ac.sql_str(self.realm), ac.sql_str(cid)))
            self.assertEqual(len(rows), 2)
            for client_id, digest in rows:
                self.assertIsNone(client_id)
                self.assertRegex(digest, r"^[0-9a-f]{64}$")
        # revoke one: it stops, the other keeps working
        self.assertStatus(ac.admin("DELETE", cpath(self.realm, cid, "secrets",
                                                   b1["id"])), 204)
        ac.settle()
        for _ in range(4):
            self.assertOAuthError(ac.token_request(self.realm, cid, s1), 401,
                                  "invalid_client")
            self.assertStatus(ac.token_request(self.realm, cid, s2), 200)
        for sid in (b1["id"], "00000000-0000-4000-8000-000000000000", "not-an-id"):
            with self.subTest(revoke=sid):
                self.assertProblem(ac.admin("DELETE", cpath(self.realm, cid,
                                                            "secrets", sid)), 404)
        self.assertProblem(ac.admin("POST", cpath(self.realm, cid, "secrets",
                                                  b1["id"], "rotate"),
                                    {"gracePeriodSeconds": 0}), 409)

    def test_rotate_with_grace_period(self):
        cid, _ = ac.create_consumer(self.realm)
        old, b_old = ac.create_consumer_secret(self.realm, cid, label="deploy")
        path = cpath(self.realm, cid, "secrets", b_old["id"], "rotate")
        for body, field in (({}, "gracePeriodSeconds"),
                            ({"gracePeriodSeconds": -1}, "gracePeriodSeconds"),
                            ({"gracePeriodSeconds": 60, "x": 1}, "x")):
            with self.subTest(body=body):
                self.assertProblem(ac.admin("POST", path, body), 400, field=field)
        r = ac.admin("POST", path, {"gracePeriodSeconds": 3})
        self.assertStatus(r, 201)
        new = r.json["secret"]
        self.assertEqual(r.json["rotatedFrom"], b_old["id"])
        self.assertEqual(r.json["label"], "deploy")
        self.assertStatus(ac.token_request(self.realm, cid, new), 200)
        self.assertStatus(ac.token_request(self.realm, cid, old), 200)
        time.sleep(4)
        ac.settle()
        for _ in range(4):
            self.assertOAuthError(ac.token_request(self.realm, cid, old), 401,
                                  "invalid_client")
            self.assertStatus(ac.token_request(self.realm, cid, new), 200)
        listed = {i["id"]: i for i in ac.admin(
            "GET", cpath(self.realm, cid, "secrets")).json["items"]}
        self.assertEqual(listed[b_old["id"]]["status"], "expired")

    def test_secret_of_one_consumer_is_not_another_ones(self):
        a, _ = ac.create_consumer(self.realm)
        b, _ = ac.create_consumer(self.realm)
        sa, _ = ac.create_consumer_secret(self.realm, a)
        _, meta_b = ac.create_consumer_secret(self.realm, b)
        self.assertOAuthError(ac.token_request(self.realm, b, sa), 401,
                              "invalid_client")
        # nor is another consumer's secret id reachable through this one
        self.assertProblem(ac.admin("DELETE", cpath(self.realm, a, "secrets",
                                                    meta_b["id"])), 404)
        self.assertProblem(ac.admin("POST", cpath(self.realm, a, "secrets",
                                                  meta_b["id"], "rotate"),
                                    {"gracePeriodSeconds": 0}), 404)


class ConsumerTokenTest(ac.RealmTestCase):

    def token(self, cid, secret, method="basic", scope=None):
        params = [("grant_type", "client_credentials")]
        if scope is not None:
            params.append(("scope", scope))
        return ac.token_request(self.realm, cid, secret, method, params=params)

    def verified_claims(self, r):
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        body = self.assertJson(r)
        self.assertEqual(body["token_type"], "Bearer")
        self.assertNotIn("refresh_token", body)
        header, claims = ac.verify_jws(body["access_token"],
                                       ac.fetch_jwks(self.realm))
        self.assertEqual(header["typ"], "at+jwt")
        self.assertEqual(claims["iss"], ac.issuer(self.realm))
        self.assertLessEqual(abs((claims["exp"] - claims["iat"])
                                 - body["expires_in"]), 5)
        self.assertEqual(set(body["scope"].split()), set(claims["scope"].split()))
        return claims

    def test_token_names_the_consumer_and_its_audience(self):
        cid, _ = ac.create_consumer(self.realm, allowedScopes=["email", "profile"],
                                    audience=["https://api.example", "urn:b"])
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        for method in ("basic", "post"):
            with self.subTest(method=method):
                claims = self.verified_claims(self.token(cid, secret, method))
                self.assertEqual(claims["sub"], cid)
                self.assertEqual(claims["client_id"], cid)
                self.assertEqual(claims["aud"], ["https://api.example", "urn:b"])
                self.assertEqual(set(claims["scope"].split()), {"email", "profile"})
                self.assertRegex(claims["jti"], r"^[0-9a-f-]{36}$")

    def test_audience_defaults_to_the_issuer(self):
        cid, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        claims = self.verified_claims(self.token(cid, secret))
        self.assertEqual(claims["aud"], ac.issuer(self.realm))
        self.assertEqual(claims["scope"], "")
        # a one-element audience
        self.assertStatus(ac.admin("PATCH", cpath(self.realm, cid),
                                   {"audience": ["https://one"]}), 200)
        ac.settle()
        claims = self.verified_claims(self.token(cid, secret))
        self.assertIn(claims["aud"], ("https://one", ["https://one"]))

    def test_scope_is_limited_to_allowed_scopes(self):
        cid, _ = ac.create_consumer(self.realm, allowedScopes=["email", "profile"])
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        claims = self.verified_claims(self.token(cid, secret, scope="email"))
        self.assertEqual(claims["scope"], "email")
        claims = self.verified_claims(self.token(cid, secret,
                                                 scope="profile email profile"))
        self.assertEqual(claims["scope"].split(), ["profile", "email"])
        for bad in ("openid", "email phone", "EMAIL", "nope"):
            with self.subTest(scope=bad):
                self.assertOAuthError(self.token(cid, secret, scope=bad), 400,
                                      "invalid_scope")
        # narrowing the allowed scopes applies to the next tokens
        self.assertStatus(ac.admin("PATCH", cpath(self.realm, cid),
                                   {"allowedScopes": ["profile"]}), 200)
        ac.settle()
        self.assertOAuthError(self.token(cid, secret, scope="email"), 400,
                              "invalid_scope")
        self.assertEqual(self.verified_claims(self.token(cid, secret))["scope"],
                         "profile")

    def test_usage_is_counted(self):
        cid, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        empty = ac.admin("GET", cpath(self.realm, cid, "usage"))
        self.assertStatus(empty, 200)
        self.assertEqual(empty.json["tokensIssued"], 0)
        self.assertIsNone(empty.json["lastUsedAt"])
        self.assertIsNone(empty.json["lastIp"])
        self.assertEqual([d["tokens"] for d in empty.json["days"]], [0] * 30)
        before = today_utc()
        for method in ("basic", "post", "basic"):
            self.assertStatus(self.token(cid, secret, method), 200)
        # refused requests are not usage
        self.assertOAuthError(self.token(cid, secret, scope="nope"), 400,
                              "invalid_scope")
        self.assertOAuthError(self.token(cid, "wrong"), 401, "invalid_client")
        r = ac.admin("GET", cpath(self.realm, cid, "usage"))
        self.assertStatus(r, 200)
        u = r.json
        self.assertEqual(u["tokensIssued"], 3)
        self.assertEqual(u["lastIp"], "127.0.0.1")
        self.assertLess(abs(self.assertRfc3339Utc(u["lastUsedAt"]) - time.time()),
                        60)
        days = u["days"]
        self.assertEqual(len(days), 30)
        dates = [d["date"] for d in days]
        self.assertEqual(dates, sorted(dates))
        self.assertEqual(len(set(dates)), 30)
        first = datetime.date.fromisoformat(dates[0])
        self.assertEqual(datetime.date.fromisoformat(dates[-1]) - first,
                         datetime.timedelta(days=29))
        self.assertEqual(sum(d["tokens"] for d in days), 3)
        if before == today_utc():  # not across midnight UTC
            self.assertEqual(dates[-1], before)
            self.assertEqual(days[-1]["tokens"], 3)
        # the representation shows the totals, the version did not move
        rep = ac.admin("GET", cpath(self.realm, cid)).json
        self.assertEqual(rep["tokensIssued"], 3)
        self.assertEqual(rep["lastUsedAt"], u["lastUsedAt"])
        self.assertEqual(rep["version"], 1)

    def test_disabled_consumer_is_refused(self):
        cid, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        self.assertStatus(self.token(cid, secret), 200)
        self.assertStatus(ac.admin("PATCH", cpath(self.realm, cid),
                                   {"enabled": False}), 200)
        ac.settle()
        for _ in range(4):
            r = self.token(cid, secret)
            self.assertOAuthError(r, 401, "invalid_client")
            self.assertIn("disabled", r.json["error_description"])
        # a wrong secret does not learn that the consumer is disabled
        r = self.token(cid, "wrong")
        self.assertOAuthError(r, 401, "invalid_client")
        self.assertNotIn("disabled", r.json["error_description"])
        self.assertEqual(ac.admin("GET", cpath(self.realm, cid, "usage"))
                         .json["tokensIssued"], 1)
        self.assertStatus(ac.admin("PATCH", cpath(self.realm, cid),
                                   {"enabled": True}), 200)
        ac.settle()
        self.assertStatus(self.token(cid, secret), 200)

    def test_expired_secret_is_refused(self):
        cid, _ = ac.create_consumer(self.realm)
        expires = (datetime.datetime.now(datetime.timezone.utc)
                   + datetime.timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        r = ac.admin("POST", cpath(self.realm, cid, "secrets"),
                     {"expiresAt": expires})
        self.assertStatus(r, 201)
        secret = r.json["secret"]
        time.sleep(4)
        for _ in range(4):
            self.assertOAuthError(self.token(cid, secret), 401, "invalid_client")

    def test_consumer_token_is_not_an_admin_token(self):
        cid, _ = ac.create_consumer("master", ac.unique("m"))
        self.addCleanup(lambda: ac.admin("DELETE", cpath("master", cid)))
        secret, _ = ac.create_consumer_secret("master", cid)
        r = ac.token_request("master", cid, secret)
        self.assertStatus(r, 200)
        self.assertProblem(ac.request("GET", "/api/admin/realms",
                                      token=r.json["access_token"]), 403)

    def test_consumer_of_another_realm_is_unknown(self):
        cid, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cid)
        other, _ = ac.create_realm(self)
        self.assertOAuthError(ac.token_request(other, cid, secret), 401,
                              "invalid_client")


if __name__ == "__main__":
    unittest.main()
