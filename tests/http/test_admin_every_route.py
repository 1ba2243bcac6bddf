"""Failure classes every admin route shares, checked on every route that
docs/admin-api.yaml describes (a unit test keeps that file and the route
table identical): 401 without a token, 403 with a master-realm token that
holds no role, 413 for a body over the limit, and never a 5xx."""

import os
import re
import unittest

import authio_client as ac

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs",
                   "admin-api.yaml")
SAMPLE = {"realmId": "master", "clientId": "admin-cli",
          "consumerId": "no-such-consumer", "secretId": "x", "roleName": "admin",
          "scopeName": "openid", "kid": "x",
          "userId": "00000000-0000-4000-8000-000000000000",
          "name": "tokens"}


def operations():
    """(METHOD, path) of every operation in the OpenAPI file, path
    parameters filled with sample values."""
    ops, path = [], None
    with open(DOC, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^  (/\S*):\s*$", line)
            if m:
                path = m.group(1)
                continue
            m = re.match(r"^    (get|post|put|patch|delete):", line)
            if m and path:
                filled = re.sub(r"\{(\w+)\}",
                                lambda p: SAMPLE.get(p.group(1), "x"), path)
                ops.append((m.group(1).upper(), "/api/admin" + filled))
    return ops


class EveryAdminRouteTest(ac.AuthioTestCase):

    @classmethod
    def setUpClass(cls):
        cls.ops = operations()
        if len(cls.ops) < 100:
            raise AssertionError("only %d operations read from %s"
                                 % (len(cls.ops), DOC))

    def test_without_a_token_401(self):
        for method, path in self.ops:
            with self.subTest(method=method, path=path):
                r = ac.request(method, path, json_body={} if method in (
                    "POST", "PUT", "PATCH") else None)
                self.assertProblem(r, 401)
                self.assertTrue((r.header("WWW-Authenticate") or "")
                                .startswith("Bearer"))

    def test_a_token_without_roles_403(self):
        client, secret = ac.master_client_without_admin(self)
        t = ac.token_request("master", client, secret)
        self.assertStatus(t, 200)
        for method, path in self.ops:
            with self.subTest(method=method, path=path):
                r = ac.request(method, path, token=t.json["access_token"],
                               json_body={} if method in ("POST", "PUT",
                                                          "PATCH") else None)
                self.assertProblem(r, 403)

    def test_a_body_over_the_limit_413(self):
        big = b'{"name": "' + b"x" * (1024 * 1024 + 16) + b'"}'
        for method, path in self.ops:
            if method == "GET":
                continue
            with self.subTest(method=method, path=path):
                r = ac.request(method, path, token=ac.admin_token(), body=big,
                               headers={"Content-Type": "application/json"})
                self.assertEqual(r.status, 413, repr(r)[:300])


if __name__ == "__main__":
    unittest.main()
