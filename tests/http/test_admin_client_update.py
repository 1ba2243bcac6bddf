"""Replacing (PUT), patching (PATCH, RFC 7396) and deleting clients,
with optimistic concurrency through ETag / If-Match."""
import json
import unittest

import authio_client as ac


def client_path(realm, client):
    return "/realms/%s/clients/%s" % (ac.quote(realm), ac.quote(client))


class ClientUpdateTest(ac.RealmTestCase):

    def new_client(self, **extra):
        cid, body = ac.create_client(self.realm, extra=extra or None)
        return cid, body

    def test_put_replaces_fields_and_bumps_version(self):
        cid, created = self.new_client()
        r = ac.admin("PUT", client_path(self.realm, cid),
                     {"clientId": cid, "name": "Renamed", "description": "d",
                      "type": "confidential",
                      "grantTypes": ["client_credentials", "refresh_token"],
                      "defaultScopes": ["email"]})
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(body["name"], "Renamed")
        self.assertEqual(body["grantTypes"], ["client_credentials", "refresh_token"])
        self.assertEqual(body["defaultScopes"], ["email"])
        self.assertEqual(body["version"], created["version"] + 1)
        self.assertEqual(r.header("ETag"), '"%d"' % body["version"])
        again = ac.admin("GET", client_path(self.realm, cid)).json
        self.assertEqual(again["name"], "Renamed")

    def test_if_match(self):
        cid, created = self.new_client()
        stale = '"%d"' % created["version"]
        body = {"clientId": cid, "grantTypes": ["client_credentials"]}
        first = ac.admin("PUT", client_path(self.realm, cid), body,
                         headers={"If-Match": stale})
        self.assertStatus(first, 200)
        second = ac.admin("PUT", client_path(self.realm, cid), body,
                          headers={"If-Match": stale})
        self.assertProblem(second, 412)
        patch = ac.admin("PATCH", client_path(self.realm, cid), {"name": "x"},
                         headers={"If-Match": stale})
        self.assertProblem(patch, 412)
        gone = ac.admin("DELETE", client_path(self.realm, cid),
                        headers={"If-Match": stale})
        self.assertProblem(gone, 412)
        self.assertProblem(ac.admin("PUT", client_path(self.realm, cid), body,
                                    headers={"If-Match": "nonsense"}), 400)
        self.assertStatus(ac.admin("GET", client_path(self.realm, cid)), 200)

    def test_put_refuses_bad_input_and_changes_nothing(self):
        cid, created = self.new_client()
        for body, field in (({"clientId": "other", "grantTypes": []}, "clientId"),
                            ({"grantTypes": ["client_credentials"]}, "clientId"),
                            ({"clientId": cid, "type": "bogus"}, "type"),
                            ({"clientId": cid, "grantTypes": ["password"]}, "grantTypes"),
                            ({"clientId": cid, "enabled": "yes"}, "enabled"),
                            ({"clientId": cid, "defaultScopes": ["no-such-scope"]},
                             "defaultScopes"),
                            ({"clientId": cid, "tokenSettings": {"signingAlg": "HS256"}},
                             "tokenSettings.signingAlg"),
                            ({"clientId": cid, "secret": "x"}, "secret")):
            with self.subTest(body=body):
                self.assertProblem(ac.admin("PUT", client_path(self.realm, cid), body),
                                   400, field=field)
        now = ac.admin("GET", client_path(self.realm, cid)).json
        self.assertEqual(now["version"], created["version"])
        self.assertEqual(now["name"], created["name"])

    def test_patch_merges(self):
        cid, created = self.new_client(description="keep me")
        r = ac.request("PATCH", "/api/admin" + client_path(self.realm, cid),
                       body=json.dumps({"name": "Patched",
                                        "tokenSettings": {"signingAlg": "ES256"}}),
                       headers={"Content-Type": "application/merge-patch+json",
                                "Authorization": "Bearer " + ac.admin_token()})
        self.assertStatus(r, 200)
        body = r.json
        self.assertEqual(body["name"], "Patched")
        self.assertEqual(body["description"], "keep me")
        self.assertEqual(body["tokenSettings"], {"signingAlg": "ES256"})
        self.assertEqual(body["grantTypes"], created["grantTypes"])
        # null removes a member: the description falls back to its default
        r = ac.admin("PATCH", client_path(self.realm, cid), {"description": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "")
        # tokens of the client are now ES256
        secret, _ = ac.create_secret(self.realm, cid)
        t = ac.token_request(self.realm, cid, secret)
        self.assertStatus(t, 200)
        self.assertEqual(ac.jose_header(t.json["access_token"])["alg"], "ES256")

    def test_patch_refuses_bad_input(self):
        cid, created = self.new_client()
        for patch, field in (({"bogus": 1}, "bogus"), ({"enabled": 3}, "enabled"),
                             ({"clientId": "renamed"}, "clientId"),
                             ({"clientId": None}, "clientId")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", client_path(self.realm, cid), patch),
                                   400, field=field)
        self.assertProblem(ac.request("PATCH", "/api/admin" + client_path(self.realm, cid),
                                      body="[1]", headers={
                                          "Content-Type": "application/json",
                                          "Authorization": "Bearer " + ac.admin_token()}),
                           400)
        self.assertEqual(ac.admin("GET", client_path(self.realm, cid)).json["version"],
                         created["version"])

    def test_disabling_a_client_stops_its_tokens(self):
        cid, _ = self.new_client()
        secret, _ = ac.create_secret(self.realm, cid)
        self.assertStatus(ac.token_request(self.realm, cid, secret), 200)
        r = ac.admin("PATCH", client_path(self.realm, cid), {"enabled": False})
        self.assertStatus(r, 200)
        self.assertFalse(r.json["enabled"])
        ac.settle()
        for _ in range(4):
            t = ac.token_request(self.realm, cid, secret)
            self.assertOAuthError(t, 401, "invalid_client")
            self.assertIn("disabled", t.json["error_description"])
        self.assertStatus(ac.admin("PATCH", client_path(self.realm, cid),
                                   {"enabled": True}), 200)
        ac.settle()
        self.assertStatus(ac.token_request(self.realm, cid, secret), 200)

    def test_delete_removes_client_and_frees_its_id(self):
        cid, _ = self.new_client()
        secret, _ = ac.create_secret(self.realm, cid)
        self.assertStatus(ac.admin("DELETE", client_path(self.realm, cid)), 204)
        self.assertProblem(ac.admin("GET", client_path(self.realm, cid)), 404)
        self.assertProblem(ac.admin("DELETE", client_path(self.realm, cid)), 404)
        ac.settle()
        self.assertOAuthError(ac.token_request(self.realm, cid, secret), 401,
                              "invalid_client")
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM clients c JOIN realms r ON r.id = c.realm_id "
                "WHERE r.realm_id = %s AND c.client_id = %s"
                % (ac.sql_str(self.realm), ac.sql_str(cid))), "0")
        # the id can be registered again
        again, _ = ac.create_client(self.realm, client_id=cid)
        self.assertEqual(again, cid)

    def test_unknown_client_is_404(self):
        for method, body in (("PUT", {"clientId": "nope"}), ("PATCH", {"name": "x"}),
                             ("DELETE", None)):
            with self.subTest(method=method):
                self.assertProblem(ac.admin(method, client_path(self.realm, "nope"), body),
                                   404)


if __name__ == "__main__":
    unittest.main()
