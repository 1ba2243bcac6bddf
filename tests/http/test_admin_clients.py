"""The admin REST API for clients and their secrets:
/api/admin/realms/{realmId}/clients[/{clientId}[/secrets]]."""

import re
import unittest

import authio_client as ac


def clients_path(realm, client=None):
    p = "/realms/%s/clients" % ac.quote(realm)
    if client is not None:
        p += "/" + ac.quote(client)
    return p


class ClientTest(ac.RealmTestCase):
    def test_create_with_seed_body(self):
        realm, _ = ac.create_realm(self)
        r = ac.admin("POST", clients_path(realm),
                     {"clientId": "billing-api", "name": "Billing API",
                      "type": "confidential",
                      "grantTypes": ["client_credentials"]})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        self.assertTrue((r.header("Location") or "").endswith(
            "/api/admin/realms/%s/clients/billing-api" % realm), repr(r))
        self.assertEqual(body.get("clientId"), "billing-api")
        self.assertEqual(body.get("name"), "Billing API")
        self.assertEqual(body.get("type"), "confidential")
        self.assertIs(body.get("enabled"), True)
        self.assertEqual(body.get("grantTypes"), ["client_credentials"])
        for k in ("secret", "clientSecret", "secretHash"):
            self.assertNotIn(k, body)
        g = ac.admin("GET", clients_path(realm, "billing-api"))
        self.assertStatus(g, 200)
        for k in ("clientId", "name", "type", "enabled", "grantTypes"):
            self.assertEqual(g.json.get(k), body[k], k)
        # the duplicate
        d = ac.admin("POST", clients_path(realm),
                     {"clientId": "billing-api", "name": "Other",
                      "type": "confidential",
                      "grantTypes": ["client_credentials"]})
        self.assertProblem(d, 409)
        self.assertEqual(ac.admin("GET", clients_path(realm, "billing-api"))
                         .json["name"], "Billing API")
        # the same clientId in another realm is another client
        other, _ = ac.create_realm(self)
        ac.create_client(other, client_id="billing-api")

    def test_get_unknown_client_is_404(self):
        self.assertProblem(ac.admin("GET", clients_path(self.realm,
                                                        ac.unique("ghost"))),
                           404)

    def test_clients_of_unknown_realm_are_404(self):
        nope = ac.unique("nope")
        self.assertProblem(ac.admin("GET", clients_path(nope)), 404)
        self.assertProblem(ac.admin("GET", clients_path(nope, "x")), 404)
        r = ac.admin("POST", clients_path(nope),
                     {"clientId": "x1", "name": "x", "type": "confidential",
                      "grantTypes": ["client_credentials"]})
        self.assertProblem(r, 404)
        self.assertRealmAbsent(nope)

    def test_list(self):
        realm, _ = ac.create_realm(self)
        a, _ = ac.create_client(realm)
        b, _ = ac.create_client(realm)
        r = ac.admin("GET", clients_path(realm))
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(body.get("total"), 2)
        self.assertEqual(sorted(i["clientId"] for i in body["items"]),
                         sorted([a, b]))
        # clients of other realms are not listed
        self.assertNotIn("admin-cli", [i["clientId"] for i in body["items"]])

    def test_validation(self):
        base = {"name": "V", "type": "confidential",
                "grantTypes": ["client_credentials"]}
        cases = [
            ({}, "clientId"),
            ({"clientId": ""}, "clientId"),
            ({"clientId": "a/b"}, "clientId"),
            ({"clientId": 7}, "clientId"),
            ({"clientId": "c" * 10000}, "clientId"),
            ({"type": "bogus"}, "type"),
            ({"type": 1}, "type"),
            ({"grantTypes": ["client_credentials", "telepathy"]}, "grantTypes"),
            ({"grantTypes": "client_credentials"}, "grantTypes"),
            ({"grantTypes": [1]}, "grantTypes"),
            ({"name": 5}, "name"),
            ({"name": "n" * 10000}, "name"),
            ({"enabled": "yes"}, "enabled"),
            ({"foo": 1}, "foo"),
        ]
        for extra, field in cases:
            cid = ac.unique("v")
            body = dict(base, clientId=cid)
            body.update(extra)
            if not extra:
                del body["clientId"]
            with self.subTest(field=field, extra=str(extra)[:50]):
                r = ac.admin("POST", clients_path(self.realm), body)
                self.assertProblem(r, 400, field=field)
                self.assertClientAbsent(self.realm, cid)
        g = ac.admin("GET", "/realms/" + self.realm)
        self.assertEqual(g.json["statistics"]["totalClients"],
                         ac.admin("GET", clients_path(self.realm)).json["total"])

    def test_sql_metacharacters_are_stored_verbatim(self):
        name = "Robert'); DROP TABLE clients; -- \\ \u2713"
        cid, body = ac.create_client(self.realm, name=name)
        self.assertEqual(body["name"], name)
        self.assertEqual(ac.admin("GET", clients_path(self.realm, cid))
                         .json["name"], name)


class SecretTest(ac.RealmTestCase):
    def secrets_path(self, client):
        return clients_path(self.realm, client) + "/secrets"

    def test_create_secret(self):
        cid, _ = ac.create_client(self.realm)
        r = ac.admin("POST", self.secrets_path(cid), {"label": "ci"})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        for k in ("id", "secret", "label", "createdAt", "expiresAt"):
            self.assertIn(k, body)
        secret = body["secret"]
        self.assertIsInstance(secret, str)
        self.assertGreaterEqual(len(secret), 43)
        self.assertRegex(secret, r"^[A-Za-z0-9_-]+$")
        self.assertEqual(body["label"], "ci")
        self.assertRfc3339Utc(body["createdAt"])
        if body["expiresAt"] is not None:
            self.assertRfc3339Utc(body["expiresAt"])
        self.assertEqual(r.header("Cache-Control"), "no-store")

        # it works at once
        t = ac.token_request(self.realm, cid, secret)
        self.assertStatus(t, 200)

        # it is never shown again
        for path in (clients_path(self.realm, cid), clients_path(self.realm)):
            g = ac.admin("GET", path)
            self.assertStatus(g, 200)
            self.assertNotIn(secret, g.text)

        if ac.db_available():
            rows = ac.db_query(
                "SELECT s.id, s.label, s.secret_hash FROM secrets s "
                "JOIN clients c ON c.id = s.client_id "
                "JOIN realms r ON r.id = c.realm_id "
                "WHERE r.realm_id = %s AND c.client_id = %s"
                % (ac.sql_str(self.realm), ac.sql_str(cid)))
            self.assertEqual(len(rows), 1)
            _, label, digest = rows[0]
            self.assertEqual(label, "ci")
            self.assertNotEqual(digest, secret)
            self.assertNotIn(secret, "\t".join(v or "" for v in rows[0]))
            self.assertTrue(re.fullmatch(r"[0-9a-f]{64}", digest or "")
                            or len(digest or "") >= 43, digest)
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM secrets WHERE secret_hash = %s"
                % ac.sql_str(secret)), "0")
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM secrets WHERE INSTR(CONCAT_WS('|', id, "
                "label, secret_hash), %s) > 0" % ac.sql_str(secret)), "0")

    def test_secret_without_body(self):
        cid, _ = ac.create_client(self.realm)
        r = ac.admin("POST", self.secrets_path(cid))
        self.assertStatus(r, 201)
        self.assertIn(r.json.get("label"), ("", None))
        self.assertStatus(ac.token_request(self.realm, cid, r.json["secret"]),
                          200)

    def test_two_secrets_live_at_once(self):
        cid, _ = ac.create_client(self.realm)
        s1, b1 = ac.create_secret(self.realm, cid, label="old")
        s2, b2 = ac.create_secret(self.realm, cid, label="new")
        self.assertNotEqual(s1, s2)
        self.assertNotEqual(b1["id"], b2["id"])
        for s in (s1, s2):
            for method in ("basic", "post"):
                self.assertStatus(ac.token_request(self.realm, cid, s, method),
                                  200)

    def test_secret_of_one_client_does_not_work_for_another(self):
        a, _ = ac.create_client(self.realm)
        b, _ = ac.create_client(self.realm)
        sa, _ = ac.create_secret(self.realm, a)
        ac.create_secret(self.realm, b)
        self.assertOAuthError(ac.token_request(self.realm, b, sa), 401,
                              "invalid_client")

    def test_secrets_are_random(self):
        cid, _ = ac.create_client(self.realm)
        seen = {ac.create_secret(self.realm, cid)[0] for _ in range(5)}
        self.assertEqual(len(seen), 5)

    def test_secret_for_unknown_client_is_404(self):
        r = ac.admin("POST", self.secrets_path(ac.unique("ghost")),
                     {"label": "x"})
        self.assertProblem(r, 404)
        r = ac.admin("POST", "/realms/%s/clients/x/secrets" % ac.unique("nope"),
                     {"label": "x"})
        self.assertProblem(r, 404)


if __name__ == "__main__":
    unittest.main()
