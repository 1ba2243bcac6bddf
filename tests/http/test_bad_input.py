"""Bad input on every route of the slice: malformed JSON, wrong content
types, oversized bodies, invalid UTF-8, unknown fields, SQL metacharacters
and very long values each get a 4xx naming the problem; nothing produces
a 5xx, and nothing half-written stays in the database."""

import json
import unittest

import authio_client as ac
from authio_client import AuthioTestCase

MARK = "@@BADUTF8@@"
ONE_MIB = 1024 * 1024


def bad_bodies(good, text_field):
    """(label, content-type, body bytes, accepted statuses) variants of a
    valid JSON body `good`; text_field is a string member of it."""
    js = json.dumps(good)
    utf8 = json.dumps(dict(good, **{text_field: "x" + MARK + "y"}))
    deep = dict(good)
    deep["nested"] = None
    deep_js = json.dumps(deep).replace("null", "[" * 100 + "]" * 100)
    deeper_js = json.dumps(deep).replace("null", "[" * 50000 + "]" * 50000)
    big = json.dumps(dict(good, **{text_field: "b" * (ONE_MIB + 10)}))
    ct = "application/json"
    return [
        ("truncated", ct, js[:-3].encode(), (400,)),
        ("syntax", ct, b"{name: 'x', realmId: y}", (400,)),
        ("trailing garbage", ct, (js + " xyz").encode(), (400,)),
        ("two documents", ct, (js + js).encode(), (400,)),
        ("array", ct, json.dumps([good]).encode(), (400,)),
        ("string", ct, b'"x"', (400,)),
        ("number", ct, b"5", (400,)),
        ("null", ct, b"null", (400,)),
        ("empty", ct, b"", (400,)),
        ("whitespace", ct, b"  \n ", (400,)),
        ("invalid utf-8", ct, utf8.replace(MARK, "\udcff\udcfe").encode(
            "utf-8", "surrogateescape"), (400,)),
        ("overlong utf-8", ct, utf8.replace(MARK, "\udcc0\udcaf").encode(
            "utf-8", "surrogateescape"), (400,)),
        ("truncated utf-8", ct, utf8.replace(MARK, "\udce2\udc9c").encode(
            "utf-8", "surrogateescape"), (400,)),
        ("invalid escape", ct, utf8.replace(MARK, "\\q").encode(), (400,)),
        ("control character", ct, utf8.replace(MARK, "\n").encode(), (400,)),
        ("depth 100", ct, deep_js.encode(), (400,)),
        ("depth 50000", ct, deeper_js.encode(), (400,)),
        ("number overflow", ct, js.replace(
            json.dumps(good[text_field]), "1e999", 1).encode(), (400,)),
        ("text/plain", "text/plain", js.encode(), (400, 415)),
        ("form", "application/x-www-form-urlencoded",
         b"name=x&realmId=y", (400, 415)),
        ("xml", "application/xml", b"<realm/>", (400, 415)),
        ("no content type", None, js.encode(), (400, 415)),
        ("over 1 MiB", ct, big.encode(), (413,)),
    ]


class JsonRouteMatrix:
    """Mixin: subclasses define good_body(), text_field, path(),
    method, snapshot() and the state that must not change."""

    method = "POST"
    text_field = "name"

    def good_body(self):
        raise NotImplementedError

    def path(self):
        raise NotImplementedError

    def snapshot(self, good):
        """State that a rejected request must leave as it was."""
        raise NotImplementedError

    def send(self, ctype, body):
        headers = {}
        if ctype is not None:
            headers["Content-Type"] = ctype
        return ac.request(self.method, "/api/admin" + self.path(), body=body,
                          headers=headers, token=ac.admin_token())

    def check_rejected(self, r, statuses):
        self.assertIn(r.status, statuses, repr(r))
        if r.status != 413:  # 413 may come from the web server itself
            self.assertProblem(r, r.status)
        else:
            self.assertNot5xx(r)

    skip_variants = ()

    def test_bad_bodies(self):
        labels = [v[0] for v in bad_bodies(self.good_body(), self.text_field)]
        for i, label in enumerate(labels):
            if label in self.skip_variants:
                continue
            good = self.good_body()  # fresh unique names for each variant
            _, ctype, body, statuses = bad_bodies(good, self.text_field)[i]
            with self.subTest(body=label):
                before = self.snapshot(good)
                r = self.send(ctype, body)
                self.check_rejected(r, statuses)
                self.assertEqual(self.snapshot(good), before,
                                 "state changed by a rejected request")

    def test_unknown_field(self):
        good = self.good_body()
        before = self.snapshot(good)
        r = self.send("application/json",
                      json.dumps(dict(good, unexpectedField=1)).encode())
        self.assertProblem(r, 400, field="unexpectedField")
        self.assertEqual(self.snapshot(good), before)

    def test_very_long_values(self):
        good = self.good_body()
        for field, value in good.items():
            if not isinstance(value, str):
                continue
            with self.subTest(field=field):
                good = self.good_body()
                before = self.snapshot(good)
                if field in ("realmId", "clientId") and field in good:
                    # the identity itself: a long one must not be created
                    body = dict(good, **{field: "a" * 10000})
                else:
                    body = dict(good, **{field: "v" * 10000})
                r = self.send("application/json", json.dumps(body).encode())
                self.assertProblem(r, 400, field=field)
                self.assertEqual(self.snapshot(good), before)

    def test_json_with_charset_is_accepted(self):
        good = self.good_body()
        r = self.send("application/json; charset=utf-8",
                      json.dumps(good).encode())
        self.assertIn(r.status, (200, 201), repr(r))

    def test_duplicate_keys_do_not_crash(self):
        good = self.good_body()
        js = json.dumps(good)
        dup = js[:-1] + ", %s: %s}" % (json.dumps(self.text_field),
                                       json.dumps("second"))
        r = self.send("application/json", dup.encode())
        self.assertNot5xx(r)
        if r.status >= 400:
            self.assertProblem(r, r.status)

    def test_nul_and_lone_surrogate_do_not_crash(self):
        for label, value in (("nul", "a\u0000b"), ("surrogate", None)):
            good = self.good_body()
            if value is None:
                js = json.dumps(good).replace(
                    json.dumps(good[self.text_field]), '"a\\ud800b"', 1)
            else:
                js = json.dumps(dict(good, **{self.text_field: value}))
            with self.subTest(value=label):
                before = self.snapshot(good)
                r = self.send("application/json", js.encode())
                self.assertNot5xx(r)
                if r.status >= 400:
                    # refused as a bad field or as a bad body
                    body = self.assertProblem(r, 400)
                    if body.get("errors"):
                        self.assertProblem(r, 400, field=self.text_field)
                    self.assertEqual(self.snapshot(good), before)
                elif value is not None:
                    # accepted: then stored exactly, not cut at the NUL
                    self.assertEqual(r.json.get(self.text_field), value)


class RealmCreateBadInput(JsonRouteMatrix, AuthioTestCase):

    def good_body(self):
        rid = ac.unique("bad")
        self.addCleanup(ac.delete_realm_quietly, rid)
        return {"name": "Bad input", "realmId": rid, "description": "d"}

    def path(self):
        return "/realms"

    def snapshot(self, good):
        return ac.admin("GET", "/realms/" + good["realmId"]).status


class RealmUpdateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    method = "PUT"

    def good_body(self):
        return {"name": "Updated " + ac.unique("n"), "description": "d",
                "status": "active"}

    def path(self):
        return "/realms/" + self.realm

    def snapshot(self, good):
        r = ac.admin("GET", self.path())
        return (r.status, r.json.get("name"), r.json.get("description"),
                r.json.get("status"), r.json.get("version"))


class ClientCreateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    def good_body(self):
        return {"clientId": ac.unique("c"), "name": "Bad input client",
                "type": "confidential", "grantTypes": ["client_credentials"]}

    def path(self):
        return "/realms/%s/clients" % self.realm

    def snapshot(self, good):
        one = ac.admin("GET", "/realms/%s/clients/%s"
                       % (self.realm, ac.quote(good["clientId"]))).status
        stats = ac.admin("GET", "/realms/" + self.realm).json["statistics"]
        return one, stats["totalClients"]


class SecretCreateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    text_field = "label"
    fixture = "client"

    def good_body(self):
        return {"label": "label " + ac.unique("l")}

    def path(self):
        return "/realms/%s/clients/%s/secrets" % (self.realm, self.client)

    def snapshot(self, good):
        if not ac.db_available():
            return None
        return ac.db_scalar(
            "SELECT COUNT(*) FROM secrets s JOIN clients c ON c.id = s.client_id"
            " JOIN realms r ON r.id = c.realm_id WHERE r.realm_id = %s AND "
            "c.client_id = %s" % (ac.sql_str(self.realm),
                                  ac.sql_str(self.client)))

    # the body is optional here (an empty one creates a secret without a
    # label), so the empty variants are valid requests
    skip_variants = ("empty", "whitespace")


class TokenBadInput(ac.RealmTestCase):
    fixture = "secret"

    def post(self, body, ctype="application/x-www-form-urlencoded", auth=True):
        headers = {"Content-Type": ctype}  # None: no Content-Type at all
        if auth:
            headers["Authorization"] = ac.basic_auth(self.client, self.secret)
        return ac.request("POST", "/realms/%s/token" % self.realm, body=body,
                          headers=headers)

    def assertRefused(self, r, statuses=(400, 401)):
        self.assertIn(r.status, statuses, repr(r))
        body = self.assertJson(r)
        self.assertIsInstance(body.get("error"), str, repr(r))
        self.assertNotIn("access_token", body)

    def test_bad_form_bodies(self):
        cases = [
            ("bad percent", b"grant_type=client%ZZcredentials"),
            ("truncated percent", b"grant_type=client_credentials%"),
            ("invalid utf-8", b"grant_type=client_credentials&scope=%FF%FE"),
            ("raw invalid utf-8", b"grant_type=client_credentials&scope=\xff"),
            ("nul", b"grant_type=client_credentials%00"),
            ("no equals", b"grant_type"),
            ("only separators", b"&&&=&=="),
            ("empty name", b"=client_credentials"),
            ("json", b'{"grant_type":"client_credentials"}'),
            ("long scope", b"grant_type=client_credentials&scope="
             + b"s" * 10000),
        ]
        for label, body in cases:
            with self.subTest(body=label):
                r = self.post(body)
                self.assertRefused(r, (400,))

    def test_many_unknown_parameters(self):
        # RFC 6749 §3.2: unknown parameters are ignored -- or refused by a
        # limit; never a crash
        body = b"grant_type=client_credentials&" + b"&".join(
            b"p%d=v" % i for i in range(5000))
        r = self.post(body)
        self.assertIn(r.status, (200, 400, 413), repr(r))

    def test_bad_content_types(self):
        for ctype in ("application/json", "text/plain", "multipart/form-data",
                      None):
            with self.subTest(ctype=ctype):
                r = self.post(b"grant_type=client_credentials", ctype=ctype)
                self.assertRefused(r, (400, 415))
                self.assertEqual(r.json.get("error"), "invalid_request")

    def test_oversized_body(self):
        r = self.post(b"grant_type=client_credentials&scope="
                      + b"s" * (ONE_MIB + 10))
        self.assertEqual(r.status, 413, repr(r))

    def test_bad_client_ids(self):
        for cid in ("' OR '1'='1", "x\"; DROP TABLE clients; --",
                    "c" * 5000, "\u00e9\u2713", "%", "a\u0000b", ""):
            for method in ("basic", "post"):
                with self.subTest(client_id=cid[:30], method=method):
                    r = ac.token_request(self.realm, cid, self.secret, method)
                    self.assertRefused(r)
        # and a raw invalid UTF-8 byte in the Basic credentials
        raw = ac.base64.b64encode(b"\xff\xfe:" + self.secret.encode()).decode()
        r = ac.request("POST", "/realms/%s/token" % self.realm,
                       form={"grant_type": "client_credentials"},
                       headers={"Authorization": "Basic " + raw})
        self.assertRefused(r)

    def test_long_secret(self):
        for method in ("basic", "post"):
            with self.subTest(method=method):
                r = ac.token_request(self.realm, self.client, "s" * 5000, method)
                self.assertRefused(r)

    def test_still_works_afterwards(self):
        self.assertStatus(ac.token_request(self.realm, self.client,
                                           self.secret), 200)


class PathBadInput(AuthioTestCase):
    """Strange realm ids and client ids in every path of the slice."""

    BAD = ["x" * 3000, "%FF%FE", "%C0%AF", "%00", "x'%20OR%20'1'%3D'1",
           "..", "%2E%2E", "a%2Fb", "%3Cscript%3E", "%25", "%20", "UPPER",
           "-x", "%E2%9C%93"]

    def test_public_endpoints(self):
        for seg in self.BAD:
            for tail in ("/.well-known/openid-configuration", "/jwks",
                         "/protocol/openid-connect/certs"):
                with self.subTest(realm=seg[:30], tail=tail):
                    r = ac.get("/realms/" + seg + tail)
                    self.assertIn(r.status, (400, 404), repr(r))
            with self.subTest(realm=seg[:30], tail="/token"):
                r = ac.request("POST", "/realms/" + seg + "/token",
                               form={"grant_type": "client_credentials"},
                               headers={"Authorization":
                                        ac.basic_auth("a", "b")})
                self.assertIn(r.status, (400, 401, 404), repr(r))
                self.assertNotIn("access_token", r.json or {})

    def test_admin_endpoints(self):
        realm, _ = ac.create_realm(self)
        for seg in self.BAD:
            for method, path in (("GET", "/realms/" + seg),
                                 ("PUT", "/realms/" + seg),
                                 ("DELETE", "/realms/" + seg),
                                 ("GET", "/realms/%s/clients" % seg),
                                 ("GET", "/realms/%s/clients/%s" % (realm, seg)),
                                 ("POST", "/realms/%s/clients/%s/secrets"
                                  % (realm, seg))):
                with self.subTest(method=method, path=path[:60]):
                    body = ({"name": "x", "description": "d", "status": "active"}
                            if method == "PUT" else None)
                    r = ac.admin(method, path, body)
                    self.assertIn(r.status, (400, 404), repr(r))
                    if r.status == 404 or "json" in r.content_type:
                        # (nginx itself may refuse some paths with a 400)
                        self.assertProblem(r, r.status)

    def test_bad_query_strings(self):
        for qs in ("q=%FF", "q=%00", "q=" + "q" * 5000, "q=%", "limit=%FF",
                   "%%%", "q=a&q=b", "q='%20OR%201=1--"):
            with self.subTest(qs=qs[:30]):
                r = ac.admin("GET", "/realms?" + qs)
                self.assertNot5xx(r)
                if r.status != 200:
                    self.assertProblem(r, 400)
                else:
                    self.assertIsInstance(r.json.get("items"), list)
        r = ac.get("/realms/master/.well-known/openid-configuration?%FF=%00&x")
        self.assertNot5xx(r)

    def test_server_healthy_after_abuse(self):
        r = ac.get("/healthz")
        self.assertStatus(r, 200)
        self.assertEqual(r.json.get("database"), "ok")


if __name__ == "__main__":
    unittest.main()
