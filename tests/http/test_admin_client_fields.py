"""The rest of a client's fields in the admin REST API -- redirect URIs,
post-logout URIs, web origins, PKCE and consent flags, token endpoint
authentication, JWKS, user access, default/optional scopes -- and the
users assigned to a client (/clients/{clientId}/users)."""

import base64
import hashlib
import json
import unittest

import authio_client as ac


ONE_MIB = 1024 * 1024


def client_path(realm, client=None):
    p = "/realms/%s/clients" % ac.quote(realm)
    if client is not None:
        p += "/" + ac.quote(client)
    return p


def users_path(realm, client):
    return client_path(realm, client) + "/users"


def rsa_public_jwk(kid="k1"):
    """A real RSA public key as a JWK (the JWKS of the master realm is a
    convenient source of one)."""
    keys = [k for k in ac.fetch_jwks("master")["keys"] if k["kty"] == "RSA"]
    k = {m: keys[0][m] for m in ("kty", "n", "e")}
    k["kid"] = kid
    return k


def ec_public_jwk(kid="e1"):
    keys = [k for k in ac.fetch_jwks("master")["keys"] if k["kty"] == "EC"]
    k = {m: keys[0][m] for m in ("kty", "crv", "x", "y")}
    k["kid"] = kid
    return k


def make_user(realm, username=None):
    rep = ac.create_user(realm, username)
    return rep["id"], rep["username"]


class ClientFieldsTest(ac.RealmTestCase):

    def post(self, **fields):
        cid = fields.pop("clientId", None) or ac.unique("cf")
        body = {"clientId": cid}
        body.update(fields)
        return cid, ac.admin("POST", client_path(self.realm), body)

    def assertRefused(self, field, realm=None, **fields):
        cid, r = self.post(**fields)
        self.assertProblem(r, 400, field=field)
        self.assertClientAbsent(realm or self.realm, cid)
        return r

    def test_defaults(self):
        _, r = self.post()
        self.assertStatus(r, 201)
        c = r.json
        self.assertEqual(c["redirectUris"], [])
        self.assertEqual(c["postLogoutRedirectUris"], [])
        self.assertEqual(c["webOrigins"], [])
        self.assertIs(c["pkceRequired"], True)
        self.assertIs(c["consentRequired"], False)
        self.assertEqual(c["tokenEndpointAuthMethod"], "client_secret_basic")
        self.assertIsNone(c["jwks"])
        self.assertIsNone(c["jwksUri"])
        self.assertEqual(c["userAccess"], "all")
        self.assertEqual(c["defaultScopes"], [])
        self.assertEqual(c["optionalScopes"], [])
        _, r = self.post(type="public")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["tokenEndpointAuthMethod"], "none")
        self.assertIs(r.json["pkceRequired"], True)

    def test_all_fields_round_trip(self):
        redirects = ["https://app.example.com/callback",
                     "https://app.example.com/Callback?x=1&y=%2F",
                     "http://localhost:3000/cb", "http://127.0.0.1/cb",
                     "http://[::1]:8080/cb", "com.example.app:/oauth2redirect",
                     "https://[2001:db8::1]/cb"]
        body = {"redirectUris": redirects,
                "postLogoutRedirectUris": ["https://app.example.com/bye"],
                "webOrigins": ["https://app.example.com",
                               "http://localhost:3000"],
                "pkceRequired": False, "consentRequired": True,
                "tokenEndpointAuthMethod": "private_key_jwt",
                "jwks": {"keys": [rsa_public_jwk(), ec_public_jwk()]},
                "userAccess": "assigned",
                "defaultScopes": ["openid", "profile"],
                "optionalScopes": ["email", "offline_access"]}
        cid, r = self.post(**body)
        self.assertStatus(r, 201)
        for k, v in body.items():
            self.assertEqual(r.json[k], v, k)
        g = ac.admin("GET", client_path(self.realm, cid))
        self.assertEqual(g.json, r.json)
        listed = [i for i in ac.admin("GET", client_path(self.realm) + "?q="
                                      + cid).json["items"]]
        self.assertEqual(listed, [r.json])
        if ac.db_available():
            rows = ac.db_query(
                "SELECT u.uri, u.uri_sha256, u.position FROM client_uris u "
                "JOIN clients c ON c.id = u.client_id JOIN realms r ON "
                "r.id = c.realm_id WHERE r.realm_id = %s AND c.client_id = %s "
                "AND u.kind = 'redirect' ORDER BY u.position"
                % (ac.sql_str(self.realm), ac.sql_str(cid)))
            self.assertEqual([row[0] for row in rows], redirects)
            for uri, digest, _ in rows:
                self.assertEqual(digest, hashlib.sha256(uri.encode()).hexdigest())

    def test_jwks_uri(self):
        cid, r = self.post(tokenEndpointAuthMethod="private_key_jwt",
                           jwksUri="https://app.example.com/jwks.json")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["jwksUri"], "https://app.example.com/jwks.json")
        self.assertIsNone(r.json["jwks"])
        # switching to inline keys means dropping the URL (RFC 7396 null)
        p = ac.admin("PATCH", client_path(self.realm, cid),
                     {"jwks": {"keys": [ec_public_jwk()]}})
        self.assertProblem(p, 400, field="jwksUri")
        p = ac.admin("PATCH", client_path(self.realm, cid),
                     {"jwks": {"keys": [ec_public_jwk()]}, "jwksUri": None})
        self.assertStatus(p, 200)
        self.assertEqual(p.json["jwks"], {"keys": [ec_public_jwk()]})
        self.assertIsNone(p.json["jwksUri"])

    def test_redirect_uri_rules(self):
        bad = [
            "/relative/cb", "app.example.com/cb", "//app.example.com/cb",
            "https://app.example.com/cb#frag", "https://app.example.com/cb#",
            "https://*.example.com/cb", "https://app.example.com/*",
            "http://app.example.com/cb", "http://10.0.0.1/cb",
            "http://localhost.evil.example/cb",
            "https://user:pw@app.example.com/cb",
            "https://app.example.com@evil.example/cb",
            "javascript:alert(1)", "data:text/html,x", "file:///etc/passwd",
            "https://app.example.com/c b", "https://app.example.com/\u00e9",
            "https://app.example.com/\r\nx", "https:///cb",
            "https://app.example.com:99999/cb", "com.example.app:", "",
            "https://app.example.com/" + "a" * 2000,
        ]
        for field in ("redirectUris", "postLogoutRedirectUris"):
            for uri in bad:
                with self.subTest(field=field, uri=uri[:50]):
                    r = self.assertRefused(
                        field + "[1]",
                        **{field: ["https://ok.example.com/cb", uri]})
                    self.assertIn(field + "[1]", r.json["detail"])

    def test_uri_list_shapes(self):
        ok = "https://app.example.com/cb"
        self.assertRefused("redirectUris[1]", redirectUris=[ok, ok])
        self.assertRefused("redirectUris[0]", redirectUris=[7])
        self.assertRefused("redirectUris[0]", redirectUris=[None])
        self.assertRefused("redirectUris", redirectUris=ok)
        self.assertRefused("redirectUris",
                           redirectUris=["https://a.example/%d" % i
                                         for i in range(51)])
        cid, r = self.post(redirectUris=["https://a.example/%d" % i
                                         for i in range(50)])
        self.assertStatus(r, 201)
        self.assertEqual(len(r.json["redirectUris"]), 50)
        # exact bytes: these differ only in case and are both kept
        cid, r = self.post(redirectUris=["https://a.example/CB",
                                         "https://a.example/cb"])
        self.assertStatus(r, 201)

    def test_web_origin_rules(self):
        for origin in ("https://app.example.com/", "https://app.example.com/x",
                       "https://app.example.com?q", "https://App.example.com",
                       "https://app.example.com:443", "http://app.example.com",
                       "https://*.example.com", "*", "null",
                       "com.example.app://x", "https://"):
            with self.subTest(origin=origin):
                self.assertRefused("webOrigins[0]", webOrigins=[origin])
        self.assertRefused("webOrigins[1]", webOrigins=[
            "https://a.example", "https://a.example"])

    def test_pkce_and_auth_method_rules(self):
        self.assertRefused("pkceRequired", type="public", pkceRequired=False)
        self.assertRefused("pkceRequired", pkceRequired="no")
        self.assertRefused("consentRequired", consentRequired=1)
        _, r = self.post(pkceRequired=False)
        self.assertStatus(r, 201)
        self.assertIs(r.json["pkceRequired"], False)
        self.assertRefused("tokenEndpointAuthMethod",
                           tokenEndpointAuthMethod="client_secret_jwt")
        self.assertRefused("tokenEndpointAuthMethod",
                           tokenEndpointAuthMethod=3)
        self.assertRefused("tokenEndpointAuthMethod",
                           tokenEndpointAuthMethod="none")
        for m in ("client_secret_basic", "client_secret_post",
                  "private_key_jwt"):
            with self.subTest(method=m):
                self.assertRefused("tokenEndpointAuthMethod", type="public",
                                   tokenEndpointAuthMethod=m)
        self.assertRefused("jwks", tokenEndpointAuthMethod="private_key_jwt")
        _, r = self.post(tokenEndpointAuthMethod="client_secret_post")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["tokenEndpointAuthMethod"],
                         "client_secret_post")
        self.assertRefused("userAccess", userAccess="some")
        self.assertRefused("userAccess", userAccess=True)

    def test_jwks_rules(self):
        rsa = rsa_public_jwk()
        cases = [
            ([], "jwks"),
            ("keys", "jwks"),
            ({}, "jwks.keys"),
            ({"keys": {}}, "jwks.keys"),
            ({"keys": []}, "jwks.keys"),
            ({"keys": [rsa_public_jwk("k%d" % i) for i in range(21)]},
             "jwks.keys"),
            ({"keys": [rsa, "x"]}, "jwks.keys[1]"),
            ({"keys": [dict(rsa, d="AQAB")]}, "jwks.keys[0]"),
            ({"keys": [dict(rsa, p="AQAB", q="AQAB")]}, "jwks.keys[0]"),
            ({"keys": [dict(ec_public_jwk(), d="AQAB")]}, "jwks.keys[0]"),
            ({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}, "jwks.keys[0]"),
            ({"keys": [{"kty": "RSA", "n": "!!", "e": "AQAB"}]},
             "jwks.keys[0]"),
            ({"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]},
             "jwks.keys[0]"),
            ({"keys": [{"kty": "XYZ"}]}, "jwks.keys[0]"),
            ({"keys": [rsa, rsa_public_jwk("k1")]}, "jwks.keys[1]"),
        ]
        for jwks, field in cases:
            with self.subTest(field=field, jwks=json.dumps(jwks)[:60]):
                self.assertRefused(field, jwks=jwks)
        self.assertRefused("jwksUri", jwks={"keys": [rsa]},
                           jwksUri="https://app.example.com/jwks")
        for uri in ("http://app.example.com/jwks", "jwks.json",
                    "https://app.example.com/jwks#k", "http://localhost/jwks"):
            with self.subTest(uri=uri):
                self.assertRefused("jwksUri", jwksUri=uri)
        # a JWK Set of public keys is fine for any confidential client
        _, r = self.post(jwks={"keys": [rsa]})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["jwks"], {"keys": [rsa]})

    def test_scope_kinds(self):
        self.assertRefused("optionalScopes[1]", defaultScopes=["openid", "email"],
                           optionalScopes=["profile", "email"])
        self.assertRefused("defaultScopes", defaultScopes=["no-such-scope"])
        cid, r = self.post(defaultScopes=["openid"], optionalScopes=["email"])
        self.assertStatus(r, 201)
        p = ac.admin("PATCH", client_path(self.realm, cid),
                     {"defaultScopes": ["openid", "email"]})
        self.assertProblem(p, 400, field="optionalScopes[0]")
        p = ac.admin("PATCH", client_path(self.realm, cid),
                     {"defaultScopes": ["openid", "email"],
                      "optionalScopes": []})
        self.assertStatus(p, 200)
        self.assertEqual(p.json["defaultScopes"], ["email", "openid"])
        self.assertEqual(p.json["optionalScopes"], [])

    def test_put_and_patch_of_the_new_fields(self):
        cid, r = self.post(redirectUris=["https://a.example/1",
                                         "https://a.example/2"],
                           webOrigins=["https://a.example"])
        self.assertStatus(r, 201)
        v = r.json["version"]
        p = ac.admin("PATCH", client_path(self.realm, cid),
                     {"redirectUris": ["https://a.example/3",
                                       "https://a.example/1"],
                      "consentRequired": True, "userAccess": "assigned"},
                     headers={"If-Match": '"%d"' % v})
        self.assertStatus(p, 200)
        self.assertEqual(p.json["redirectUris"], ["https://a.example/3",
                                                  "https://a.example/1"])
        self.assertEqual(p.json["webOrigins"], ["https://a.example"])
        self.assertIs(p.json["consentRequired"], True)
        self.assertEqual(p.json["userAccess"], "assigned")
        self.assertEqual(p.json["version"], v + 1)
        # stale If-Match: nothing changes
        self.assertProblem(ac.admin("PATCH", client_path(self.realm, cid),
                                    {"redirectUris": []},
                                    headers={"If-Match": '"%d"' % v}), 412)
        self.assertProblem(ac.admin("PATCH", client_path(self.realm, cid),
                                    {"redirectUris": ["https://a.example/#x"]}),
                           400, field="redirectUris[0]")
        self.assertEqual(ac.admin("GET", client_path(self.realm, cid))
                         .json["redirectUris"], p.json["redirectUris"])
        # PUT replaces: absent lists are emptied, flags take defaults
        u = ac.admin("PUT", client_path(self.realm, cid), {"clientId": cid})
        self.assertStatus(u, 200)
        self.assertEqual(u.json["redirectUris"], [])
        self.assertEqual(u.json["webOrigins"], [])
        self.assertIs(u.json["consentRequired"], False)
        self.assertEqual(u.json["userAccess"], "all")
        # a type change must bring a matching auth method along
        self.assertProblem(ac.admin("PATCH", client_path(self.realm, cid),
                                    {"type": "public", "grantTypes": [
                                        "authorization_code"]}),
                           400, field="tokenEndpointAuthMethod")
        t = ac.admin("PATCH", client_path(self.realm, cid),
                     {"type": "public", "grantTypes": ["authorization_code"],
                      "tokenEndpointAuthMethod": "none"})
        self.assertStatus(t, 200)
        self.assertEqual(t.json["type"], "public")

    def test_list_carries_each_clients_own_lists(self):
        realm, _ = ac.create_realm(self)
        made = {}
        for i in range(7):
            cid = "c%02d-%s" % (i, ac.unique("l"))
            body = {"clientId": cid,
                    "redirectUris": ["https://c%d.example/cb%d" % (i, j)
                                     for j in range(i % 3)],
                    "webOrigins": ["https://c%d.example" % i] if i % 2 else [],
                    "defaultScopes": ["openid"] if i % 2 else ["profile",
                                                               "email"]}
            r = ac.admin("POST", client_path(realm), body)
            self.assertStatus(r, 201)
            made[cid] = r.json
        page = ac.admin("GET", client_path(realm) + "?limit=4").json
        self.assertEqual(page["total"], 7)
        page2 = ac.admin("GET", client_path(realm) + "?limit=4&offset=4").json
        items = page["items"] + page2["items"]
        self.assertEqual([i["clientId"] for i in items], sorted(made))
        for item in items:
            self.assertEqual(item, made[item["clientId"]])

    def test_events_record_the_fields(self):
        cid, r = self.post(redirectUris=["https://a.example/cb"])
        ac.admin("PATCH", client_path(self.realm, cid),
                 {"redirectUris": ["https://b.example/cb"]})
        ev = ac.admin("GET", "/realms/%s/events?type=client.update&resourceId=%s"
                      % (self.realm, cid)).json["items"]
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]["details"]["before"]["redirectUris"],
                         ["https://a.example/cb"])
        self.assertEqual(ev[0]["details"]["after"]["redirectUris"],
                         ["https://b.example/cb"])

    def test_oversized_body_is_413(self):
        _, r = self.post(redirectUris=["https://a.example/" + "x" * (ONE_MIB + 10)])
        self.assertEqual(r.status, 413, repr(r))


class ClientUsersTest(ac.RealmTestCase):
    fixture = "client"

    def test_assign_list_unassign(self):
        cid, _ = ac.create_client(self.realm)
        a, an = make_user(self.realm, "alice-" + ac.unique("u"))
        b, bn = make_user(self.realm, "bob-" + ac.unique("u"))
        path = users_path(self.realm, cid)
        self.assertEqual(ac.admin("GET", path).json, {"items": [], "total": 0})
        r = ac.admin("POST", path, [{"id": a}, {"id": b}])
        self.assertStatus(r, 204)
        self.assertEqual(r.body, b"")
        # assigning twice changes nothing
        self.assertStatus(ac.admin("POST", path, [{"id": a}, {"id": a}]), 204)
        got = ac.admin("GET", path)
        self.assertStatus(got, 200)
        self.assertEqual(got.json["total"], 2)
        self.assertEqual(got.json["items"], [{"id": a, "username": an},
                                             {"id": b, "username": bn}])
        self.assertEqual(ac.admin("GET", path + "?q=bob").json["items"],
                         [{"id": b, "username": bn}])
        self.assertEqual(ac.admin("GET", path + "?limit=1&offset=1")
                         .json["items"], [{"id": b, "username": bn}])
        self.assertStatus(ac.admin("DELETE", path, [{"id": a}]), 204)
        self.assertStatus(ac.admin("DELETE", path, [{"id": a}]), 204)
        self.assertEqual(ac.admin("GET", path).json["items"],
                         [{"id": b, "username": bn}])
        ev = ac.admin("GET", "/realms/%s/events?resourceType=client&resourceId=%s"
                      % (self.realm, cid)).json["items"]
        types = [e["type"] for e in ev]
        self.assertEqual(types[:4], ["client.users.remove", "client.users.remove",
                                     "client.users.add", "client.users.add"])
        self.assertEqual(ev[3]["details"]["after"]["users"],
                         [{"id": a}, {"id": b}])
        # deleting the client removes its assignments
        self.assertStatus(ac.admin("DELETE", client_path(self.realm, cid)), 204)
        self.assertEqual(ac.db_scalar(
            "SELECT COUNT(*) FROM client_users WHERE user_id = %s"
            % ac.sql_str(b)), "0")

    def test_bad_bodies(self):
        path = users_path(self.realm, self.client)
        mine, _ = make_user(self.realm)
        other_realm, _ = ac.create_realm(self)
        foreign, _ = make_user(other_realm)
        cases = [
            ([], "[0]"),
            ([{"id": mine}] * 101, "[100]"),
            (["x"], "[0]"),
            ([{"id": mine}, {}], "[1].id"),
            ([{"id": 5}], "[0].id"),
            ([{"id": "not-a-uuid"}], "[0].id"),
            ([{"id": mine.upper()}], "[0].id"),
            ([{"id": mine, "username": "x"}], "[0].username"),
            ([{"id": mine}, {"id": foreign}], "[1].id"),
            ([{"id": "00000000-0000-4000-8000-00000000dead"}], "[0].id"),
        ]
        for method in ("POST", "DELETE"):
            for body, field in cases:
                with self.subTest(method=method, field=field):
                    self.assertProblem(ac.admin(method, path, body), 400,
                                       field=field)
            for raw in (b'{"id": "x"}', b"[", b"", b"null"):
                with self.subTest(method=method, raw=raw):
                    self.assertProblem(ac.request(
                        method, "/api/admin" + path, body=raw,
                        headers={"Content-Type": "application/json"},
                        token=ac.admin_token()), 400)
        # nothing was assigned by the refused requests
        self.assertEqual(ac.admin("GET", path).json["total"], 0)
        big = json.dumps([{"id": mine}]) + " " * (ONE_MIB + 10)
        r = ac.request("POST", "/api/admin" + path, body=big,
                       headers={"Content-Type": "application/json"},
                       token=ac.admin_token())
        self.assertEqual(r.status, 413, repr(r))

    def test_404_401_403(self):
        uid, _ = make_user(self.realm)
        ghost = ac.unique("ghost")
        for method, body in (("GET", None), ("POST", [{"id": uid}]),
                             ("DELETE", [{"id": uid}])):
            with self.subTest(method=method):
                self.assertProblem(ac.admin(method, users_path(self.realm,
                                                               ghost), body),
                                   404)
                self.assertProblem(ac.admin(method, users_path(
                    ac.unique("nope"), self.client), body), 404)
                self.assertProblem(ac.request(
                    method, "/api/admin" + users_path(self.realm, self.client),
                    json_body=body), 401)
        client, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", client, secret).json["access_token"]
        for method, body in (("GET", None), ("POST", [{"id": uid}]),
                             ("DELETE", [{"id": uid}])):
            with self.subTest(method=method, token="no admin role"):
                self.assertProblem(ac.admin(method, users_path(
                    self.realm, self.client), body, token=token), 403)
        self.assertEqual(ac.admin("GET", users_path(self.realm, self.client))
                         .json["total"], 0)


if __name__ == "__main__":
    unittest.main()
