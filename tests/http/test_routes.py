"""Routing: unknown routes are 404, a wrong method on a route is 405 with
Allow."""

import unittest

import authio_client as ac
from authio_client import AuthioTestCase


def allow(r):
    return {m.strip().upper() for m in (r.header("Allow") or "").split(",")
            if m.strip()}


class RoutesTest(AuthioTestCase):

    def test_unknown_routes_are_404(self):
        for path in ("/no/such/route",
                     "/realms/master/nope", "/realms/master/token/extra",
                     "/realms/master/.well-known/nope", "/healthz/x",
                     "/api/admin", "/api/admin/nope",
                     "/api/admin/realms/master/nope"):
            with self.subTest(path=path):
                r = ac.get(path, token=ac.admin_token(),
                           headers={"Accept": "application/json"})
                self.assertStatus(r, 404)

    def test_unknown_api_route_is_problem_json(self):
        r = ac.admin("GET", "/nope")
        self.assertProblem(r, 404)

    def test_wrong_method_is_405_with_allow(self):
        cases = [
            ("POST", "/healthz", {"GET"}),
            ("DELETE", "/realms/master/.well-known/openid-configuration",
             {"GET"}),
            ("PUT", "/realms/master/jwks", {"GET"}),
            ("GET", "/realms/master/token", {"POST"}),
            ("DELETE", "/realms/master/token", {"POST"}),
            ("PATCH", "/api/admin/realms", {"GET", "POST"}),
            ("DELETE", "/api/admin/realms", {"GET", "POST"}),
            ("POST", "/api/admin/realms/master", {"GET", "PUT", "DELETE"}),
            ("PUT", "/api/admin/realms/master/clients", {"GET", "POST"}),
        ]
        for method, path, expected in cases:
            with self.subTest(method=method, path=path):
                r = ac.request(method, path, token=ac.admin_token(),
                               body=b"" if method in ("POST", "PUT", "PATCH")
                               else None,
                               headers={"Accept": "application/json"})
                self.assertStatus(r, 405)
                self.assertTrue(expected <= allow(r),
                                "Allow %r lacks %r" % (r.header("Allow"),
                                                       expected))
                self.assertNotIn(method, allow(r))


if __name__ == "__main__":
    unittest.main()
