"""Scopes in the admin REST API: a realm's own scopes
(/api/admin/realms/{realmId}/scopes[/{name}]) and the global scopes every
realm shares (/api/admin/scopes[/{name}]), their claim mappings, and how
they show in discovery."""

import json
import unittest

import authio_client as ac


BUILTIN = ("openid", "profile", "email", "address", "phone", "offline_access")
ONE_MIB = 1024 * 1024


def scopes_path(realm=None, name=None):
    p = "/realms/%s/scopes" % ac.quote(realm) if realm else "/scopes"
    if name is not None:
        p += "/" + ac.quote(name)
    return p


def claim(name, source="attribute", value=None, **flags):
    c = {"claim": name, "source": source,
         "value": name if value is None else value}
    c.update(flags)
    return c


def full(c):
    """A claim as the API shows it: every flag present, true by default."""
    out = dict(c)
    for k in ("inIdToken", "inAccessToken", "inUserinfo"):
        out.setdefault(k, True)
    return out


def discovery(realm):
    r = ac.get("/realms/%s/.well-known/openid-configuration" % ac.quote(realm))
    if r.status != 200:
        raise AssertionError("discovery of %s: %r" % (realm, r))
    return r.json


def master_client_with_role(tc, role):
    return ac.master_token_with_roles(tc, role)


class RealmScopeTest(ac.RealmTestCase):

    def create(self, name=None, **body):
        name = name or ac.unique("s")
        body["name"] = name
        r = ac.admin("POST", scopes_path(self.realm), body)
        self.assertStatus(r, 201)
        return name, r.json

    def test_create_read_list(self):
        claims = [claim("tenant", "attribute", "tenant_id"),
                  claim("groups", "roles", "realm", inIdToken=False),
                  claim("plan", "static", "gold", inUserinfo=False),
                  claim("nick", "property", "username")]
        r = ac.admin("POST", scopes_path(self.realm),
                     {"name": "billing:read", "description": "Invoices",
                      "includeInToken": False, "claims": claims})
        self.assertStatus(r, 201)
        body = self.assertJson(r)
        self.assertTrue((r.header("Location") or "").endswith(
            "/api/admin/realms/%s/scopes/billing%%3Aread" % self.realm), repr(r))
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertEqual(body["name"], "billing:read")
        self.assertEqual(body["description"], "Invoices")
        self.assertIs(body["includeInToken"], False)
        self.assertIs(body["global"], False)
        self.assertEqual(body["claims"], [full(c) for c in claims])
        self.assertEqual(body["version"], 1)
        self.assertRfc3339Utc(body["createdAt"])
        g = ac.admin("GET", scopes_path(self.realm, "billing:read"))
        self.assertStatus(g, 200)
        self.assertEqual(g.json, body)
        self.assertEqual(g.header("ETag"), '"1"')

    def test_defaults(self):
        name, body = self.create()
        self.assertEqual(body["description"], "")
        self.assertIs(body["includeInToken"], True)
        self.assertEqual(body["claims"], [])
        _, body = self.create(claims=[claim("x")])
        self.assertEqual(body["claims"], [full(claim("x"))])

    def test_scope_token_charset(self):
        for name in ("a", "!", "#$%&'()+,-.:;<=>?@[]^_`{|}~", "x" * 255,
                     "urn:example:read"):
            with self.subTest(name=name):
                r = ac.admin("POST", scopes_path(self.realm), {"name": name})
                self.assertStatus(r, 201)
                self.assertEqual(ac.admin("GET", scopes_path(self.realm, name))
                                 .json["name"], name)

    def test_list_pages_and_filters(self):
        realm, _ = ac.create_realm(self)
        for n in ("read", "read:all", "write", "re_x", "re%y"):
            self.assertStatus(ac.admin("POST", scopes_path(realm),
                                       {"name": n}), 201)
        r = ac.admin("GET", scopes_path(realm))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 5)
        names = [i["name"] for i in r.json["items"]]
        self.assertEqual(names, sorted(names))
        # the realm's own scopes only: the global ones live under /scopes
        self.assertNotIn("openid", names)
        self.assertEqual([i["name"] for i in ac.admin(
            "GET", scopes_path(realm) + "?q=read").json["items"]],
            ["read", "read:all"])
        # % and _ are literal in the prefix
        self.assertEqual([i["name"] for i in ac.admin(
            "GET", scopes_path(realm) + "?q=re_").json["items"]], ["re_x"])
        self.assertEqual([i["name"] for i in ac.admin(
            "GET", scopes_path(realm) + "?q=re%25").json["items"]], ["re%y"])
        page = ac.admin("GET", scopes_path(realm) + "?offset=1&limit=2").json
        self.assertEqual(page["total"], 5)
        self.assertEqual([i["name"] for i in page["items"]], names[1:3])
        self.assertProblem(ac.admin("GET", scopes_path(realm) + "?limit=501"),
                           400, field="limit")

    def test_validation(self):
        good = claim("tenant")
        cases = [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": 5}, "name"),
            ({"name": "has space"}, "name"),
            ({"name": 'quo"te'}, "name"),
            ({"name": "back\\slash"}, "name"),
            ({"name": "a/b"}, "name"),
            ({"name": ".."}, "name"),
            ({"name": "caf\u00e9"}, "name"),
            ({"name": "x" * 256}, "name"),
            ({"description": "d" * 1001}, "description"),
            ({"description": 1}, "description"),
            ({"includeInToken": "yes"}, "includeInToken"),
            ({"claims": {"claim": "x"}}, "claims"),
            ({"claims": [good] * 101}, "claims"),
            ({"claims": ["tenant"]}, "claims[0]"),
            ({"claims": [good, {"source": "static", "value": "v"}]},
             "claims[1].claim"),
            ({"claims": [claim("")]}, "claims[0].claim"),
            ({"claims": [claim("has space")]}, "claims[0].claim"),
            ({"claims": [claim('q"uote')]}, "claims[0].claim"),
            ({"claims": [claim("c" * 256)]}, "claims[0].claim"),
            ({"claims": [claim("sub")]}, "claims[0].claim"),
            ({"claims": [claim("iss")]}, "claims[0].claim"),
            ({"claims": [claim("realm_access")]}, "claims[0].claim"),
            ({"claims": [{"claim": 7, "source": "static", "value": "v"}]},
             "claims[0].claim"),
            ({"claims": [claim("x", "telepathy")]}, "claims[0].source"),
            ({"claims": [{"claim": "x", "value": "v"}]}, "claims[0].source"),
            ({"claims": [{"claim": "x", "source": "static"}]},
             "claims[0].value"),
            ({"claims": [claim("x", "static", None) | {"value": 1}]},
             "claims[0].value"),
            ({"claims": [claim("x", "property", "password")]},
             "claims[0].value"),
            ({"claims": [claim("x", "roles", "client")]}, "claims[0].value"),
            ({"claims": [claim("x", "roles", "client:")]}, "claims[0].value"),
            ({"claims": [claim("x", "roles", "everything")]},
             "claims[0].value"),
            ({"claims": [claim("x", "attribute", "")]}, "claims[0].value"),
            ({"claims": [claim("x", "attribute", "a" * 256)]},
             "claims[0].value"),
            ({"claims": [claim("x", "static", "v" * 1001)]},
             "claims[0].value"),
            ({"claims": [claim("x", "static", "a\u0001b")]},
             "claims[0].value"),
            ({"claims": [claim("x", inIdToken="true")]}, "claims[0].inIdToken"),
            ({"claims": [claim("x", inAccessToken=1)]},
             "claims[0].inAccessToken"),
            ({"claims": [claim("x", inUserinfo=None)]}, "claims[0].inUserinfo"),
            ({"claims": [claim("x") | {"mapper": "y"}]}, "claims[0].mapper"),
            ({"claims": [claim("x"), claim("y"), claim("x", "static", "v")]},
             "claims[2].claim"),
            ({"bogus": 1}, "bogus"),
        ]
        total = ac.admin("GET", scopes_path(self.realm)).json["total"]
        for extra, field in cases:
            name = ac.unique("v")
            body = {"name": name}
            body.update(extra)
            if not extra:
                del body["name"]
            with self.subTest(field=field, body=json.dumps(extra)[:60]):
                r = ac.admin("POST", scopes_path(self.realm), body)
                self.assertProblem(r, 400, field=field)
                self.assertProblem(ac.admin("GET", scopes_path(self.realm,
                                                               name)), 404)
        # nothing was half-written
        self.assertEqual(ac.admin("GET", scopes_path(self.realm))
                         .json["total"], total)

    def test_static_value_may_be_empty(self):
        _, body = self.create(claims=[claim("flag", "static", "")])
        self.assertEqual(body["claims"][0]["value"], "")

    def test_duplicates_and_shadowing_are_409(self):
        name, _ = self.create()
        self.assertProblem(ac.admin("POST", scopes_path(self.realm),
                                    {"name": name}), 409)
        # the same name in another realm is another scope
        other, _ = ac.create_realm(self)
        self.assertStatus(ac.admin("POST", scopes_path(other), {"name": name}),
                          201)
        # a realm scope cannot shadow a global one
        for g in BUILTIN:
            with self.subTest(name=g):
                self.assertProblem(ac.admin("POST", scopes_path(self.realm),
                                            {"name": g}), 409)
        # nor a global scope a realm's
        self.assertProblem(ac.admin("POST", scopes_path(), {"name": name}), 409)
        self.assertProblem(ac.admin("GET", scopes_path(None, name)), 404)
        # names are case-sensitive, like scope tokens
        self.assertStatus(ac.admin("POST", scopes_path(self.realm),
                                   {"name": "EMAIL"}), 201)

    def test_put_replaces_and_bumps_version(self):
        name, created = self.create(description="old",
                                    claims=[claim("a"), claim("b")])
        r = ac.admin("PUT", scopes_path(self.realm, name),
                     {"name": name, "claims": [claim("c", "static", "1")]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        # PUT replaces: what is absent takes its default
        self.assertEqual(r.json["description"], "")
        self.assertIs(r.json["includeInToken"], True)
        self.assertEqual(r.json["claims"], [full(claim("c", "static", "1"))])
        self.assertEqual(r.json["createdAt"], created["createdAt"])
        self.assertEqual(ac.admin("GET", scopes_path(self.realm, name)).json,
                         r.json)
        # the name is the URL's
        self.assertProblem(ac.admin("PUT", scopes_path(self.realm, name),
                                    {"name": name + "x"}), 400, field="name")
        self.assertProblem(ac.admin("PUT", scopes_path(self.realm, name),
                                    {"description": "x"}), 400, field="name")
        self.assertProblem(ac.admin("PUT", scopes_path(self.realm, name),
                                    {"name": name, "claims": [claim("sub")]}),
                           400, field="claims[0].claim")
        self.assertEqual(ac.admin("GET", scopes_path(self.realm, name))
                         .json["version"], 2)

    def test_patch_merges(self):
        name, _ = self.create(description="keep", claims=[claim("a")])
        r = ac.request("PATCH", "/api/admin" + scopes_path(self.realm, name),
                       body=json.dumps({"includeInToken": False}),
                       headers={"Content-Type": "application/merge-patch+json",
                                "Authorization": "Bearer " + ac.admin_token()})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "keep")
        self.assertIs(r.json["includeInToken"], False)
        self.assertEqual(r.json["claims"], [full(claim("a"))])
        self.assertEqual(r.json["version"], 2)
        # claims are replaced as a whole (RFC 7396: arrays are values)
        r = ac.admin("PATCH", scopes_path(self.realm, name),
                     {"claims": [claim("b", inAccessToken=False)],
                      "description": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["claims"],
                         [full(claim("b", inAccessToken=False))])
        self.assertEqual(r.json["description"], "")
        for patch, field in (({"bogus": 1}, "bogus"),
                             ({"name": "other"}, "name"),
                             ({"name": None}, "name"),
                             ({"claims": [claim("x", "nowhere")]},
                              "claims[0].source"),
                             ({"includeInToken": 0}, "includeInToken")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", scopes_path(
                    self.realm, name), patch), 400, field=field)
        self.assertEqual(ac.admin("GET", scopes_path(self.realm, name))
                         .json["version"], 3)

    def test_if_match(self):
        name, created = self.create()
        stale = '"%d"' % created["version"]
        self.assertStatus(ac.admin("PUT", scopes_path(self.realm, name),
                                   {"name": name}, headers={"If-Match": stale}),
                          200)
        self.assertProblem(ac.admin("PUT", scopes_path(self.realm, name),
                                    {"name": name, "description": "lost"},
                                    headers={"If-Match": stale}), 412)
        self.assertProblem(ac.admin("PATCH", scopes_path(self.realm, name),
                                    {"description": "lost"},
                                    headers={"If-Match": stale}), 412)
        self.assertProblem(ac.admin("DELETE", scopes_path(self.realm, name),
                                    headers={"If-Match": stale}), 412)
        self.assertProblem(ac.admin("DELETE", scopes_path(self.realm, name),
                                    headers={"If-Match": "garbage"}), 400)
        now = ac.admin("GET", scopes_path(self.realm, name)).json
        self.assertEqual(now["description"], "")
        self.assertStatus(ac.admin("DELETE", scopes_path(self.realm, name),
                                   headers={"If-Match": '"%d"'
                                            % now["version"]}), 204)

    def test_unknown_is_404(self):
        ghost = ac.unique("ghost")
        for method, body in (("GET", None), ("PUT", {"name": ghost}),
                             ("PATCH", {"description": "x"}), ("DELETE", None)):
            with self.subTest(method=method):
                self.assertProblem(ac.admin(method, scopes_path(self.realm,
                                                                ghost), body),
                                   404)
        nope = ac.unique("nope")
        self.assertProblem(ac.admin("GET", scopes_path(nope)), 404)
        self.assertProblem(ac.admin("POST", scopes_path(nope), {"name": "x"}),
                           404)
        self.assertProblem(ac.admin("GET", scopes_path(nope, "x")), 404)
        self.assertRealmAbsent(nope)
        # a global scope is not a realm's
        self.assertProblem(ac.admin("GET", scopes_path(self.realm, "openid")),
                           404)

    def test_delete_removes_it_from_clients(self):
        name, _ = self.create()
        other, _ = self.create()
        cid, c = ac.create_client(self.realm, extra={
            "defaultScopes": [name, "openid"], "optionalScopes": [other]})
        self.assertEqual(c["defaultScopes"], sorted([name, "openid"]))
        self.assertStatus(ac.admin("DELETE", scopes_path(self.realm, name)),
                          204)
        self.assertProblem(ac.admin("GET", scopes_path(self.realm, name)), 404)
        self.assertProblem(ac.admin("DELETE", scopes_path(self.realm, name)),
                           404)
        now = ac.admin("GET", "/realms/%s/clients/%s" % (self.realm, cid)).json
        self.assertEqual(now["defaultScopes"], ["openid"])
        self.assertEqual(now["optionalScopes"], [other])
        # the client's representation changed: so did its version
        self.assertGreater(now["version"], c["version"])
        # the name can be used again
        self.assertStatus(ac.admin("POST", scopes_path(self.realm),
                                   {"name": name}), 201)

    def test_events(self):
        name, _ = self.create(claims=[claim("a")])
        self.assertStatus(ac.admin("PATCH", scopes_path(self.realm, name),
                                   {"description": "d"}), 200)
        self.assertStatus(ac.admin("DELETE", scopes_path(self.realm, name)),
                          204)
        r = ac.admin("GET", "/realms/%s/events?resourceType=scope&resourceId=%s"
                     % (self.realm, ac.quote(name)))
        self.assertStatus(r, 200)
        items = r.json["items"]
        self.assertEqual([e["type"] for e in items],
                         ["scope.delete", "scope.update", "scope.create"])
        create = items[2]["details"]
        self.assertEqual(create["after"]["claims"], [full(claim("a"))])
        update = items[1]["details"]
        self.assertEqual(update["before"]["description"], "")
        self.assertEqual(update["after"]["description"], "d")
        self.assertEqual(items[0]["details"]["before"]["name"], name)

    def test_discovery_lists_scopes_and_claims(self):
        realm, _ = ac.create_realm(self)
        ac.admin("POST", scopes_path(realm), {
            "name": "billing", "claims": [claim("tenant"),
                                          claim("plan", "static", "gold")]})

        def listed():
            d = discovery(realm)
            for s in BUILTIN + ("billing",):
                self.assertIn(s, d["scopes_supported"])
            for c in ("sub", "tenant", "plan", "email", "email_verified",
                      "name", "given_name", "family_name",
                      "preferred_username", "phone_number"):
                self.assertIn(c, d["claims_supported"])
            self.assertEqual(len(d["claims_supported"]),
                             len(set(d["claims_supported"])))
        ac.eventually(listed)
        self.assertStatus(ac.admin("DELETE", scopes_path(realm, "billing")),
                          204)

        def gone():
            d = discovery(realm)
            self.assertNotIn("billing", d["scopes_supported"])
            self.assertNotIn("tenant", d["claims_supported"])
        ac.eventually(gone)
        # another realm never saw it
        self.assertNotIn("billing", discovery(self.realm)["scopes_supported"])

    def test_oversized_body_is_413(self):
        r = ac.admin("POST", scopes_path(self.realm),
                     {"name": ac.unique("big"), "description": "b" * (ONE_MIB + 10)})
        self.assertEqual(r.status, 413, repr(r))
        name, _ = self.create()
        r = ac.admin("PUT", scopes_path(self.realm, name),
                     {"name": name, "claims": [claim("c", "static",
                                                     "v" * (ONE_MIB + 10))]})
        self.assertEqual(r.status, 413, repr(r))

    def test_no_token_is_401(self):
        name, _ = self.create()
        for method, path, body in (
                ("GET", scopes_path(self.realm), None),
                ("POST", scopes_path(self.realm), {"name": ac.unique("x")}),
                ("GET", scopes_path(self.realm, name), None),
                ("PUT", scopes_path(self.realm, name), {"name": name}),
                ("PATCH", scopes_path(self.realm, name), {"description": "x"}),
                ("DELETE", scopes_path(self.realm, name), None),
                ("GET", scopes_path(), None),
                ("POST", scopes_path(), {"name": ac.unique("x")}),
                ("DELETE", scopes_path(None, "openid"), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.request(method, "/api/admin" + path,
                                              json_body=body), 401)
        self.assertEqual(ac.admin("GET", scopes_path(self.realm, name))
                         .json["version"], 1)

    def test_without_admin_role_is_403(self):
        client, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", client, secret).json["access_token"]
        name, _ = self.create()
        for method, path, body in (
                ("GET", scopes_path(self.realm), None),
                ("POST", scopes_path(self.realm), {"name": ac.unique("x")}),
                ("PATCH", scopes_path(self.realm, name), {"description": "x"}),
                ("DELETE", scopes_path(self.realm, name), None),
                ("GET", scopes_path(), None),
                ("POST", scopes_path(), {"name": ac.unique("x")}),
                ("PUT", scopes_path(None, "profile"), {"name": "profile"})):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body, token=token),
                                   403)
        self.assertEqual(ac.admin("GET", scopes_path(self.realm, name))
                         .json["version"], 1)

    def test_realm_admin_manages_realm_scopes_and_reads_global_ones(self):
        if not ac.db_available():
            self.skipTest("needs the database to grant realm-admin")
        token = master_client_with_role(self, "realm-admin:" + self.realm)
        name = ac.unique("ra")
        r = ac.admin("POST", scopes_path(self.realm), {"name": name},
                     token=token)
        self.assertStatus(r, 201)
        self.assertStatus(ac.admin("GET", scopes_path(), token=token), 200)
        self.assertStatus(ac.admin("GET", scopes_path(None, "email"),
                                   token=token), 200)
        g = ac.unique("g")
        self.assertProblem(ac.admin("POST", scopes_path(), {"name": g},
                                    token=token), 403)
        self.assertProblem(ac.admin("PATCH", scopes_path(None, "email"),
                                    {"description": "x"}, token=token), 403)
        self.assertProblem(ac.admin("DELETE", scopes_path(None, "email"),
                                    token=token), 403)
        self.assertProblem(ac.admin("GET", scopes_path(None, g)), 404)
        # another realm is out of reach
        other, _ = ac.create_realm(self)
        self.assertProblem(ac.admin("POST", scopes_path(other), {"name": name},
                                    token=token), 403)
        # the event names who did it
        ev = ac.admin("GET", "/realms/%s/events?type=scope.create&resourceId=%s"
                      % (self.realm, ac.quote(name))).json["items"]
        self.assertEqual(len(ev), 1)
        self.assertTrue(ev[0]["actor"].startswith("noadmin-"), ev[0])


class GlobalScopeTest(ac.AuthioTestCase):

    def create(self, **body):
        name = ac.unique("gs")
        body["name"] = name
        r = ac.admin("POST", scopes_path(), body)
        self.assertStatus(r, 201)
        self.addCleanup(lambda: ac.admin("DELETE", scopes_path(None, name)))
        return name, r.json

    def test_builtins_have_claim_mappings(self):
        r = ac.admin("GET", scopes_path() + "?limit=500")
        self.assertStatus(r, 200)
        by_name = {s["name"]: s for s in r.json["items"]}
        for name in BUILTIN:
            self.assertIn(name, by_name)
            self.assertIs(by_name[name]["global"], True)
        profile = {c["claim"]: c for c in by_name["profile"]["claims"]}
        self.assertEqual(profile["name"], full(claim("name", "property", "name")))
        self.assertEqual(profile["given_name"]["value"], "firstName")
        self.assertEqual(profile["family_name"]["value"], "lastName")
        self.assertEqual(profile["preferred_username"]["value"], "username")
        self.assertEqual(profile["updated_at"]["value"], "updatedAt")
        self.assertEqual(by_name["email"]["claims"],
                         [full(claim("email", "property", "email")),
                          full(claim("email_verified", "property",
                                     "emailVerified"))])
        self.assertEqual(by_name["address"]["claims"],
                         [full(claim("address", "attribute", "address"))])
        self.assertEqual([c["claim"] for c in by_name["phone"]["claims"]],
                         ["phone_number", "phone_number_verified"])
        self.assertEqual(by_name["openid"]["claims"], [])
        g = ac.admin("GET", scopes_path(None, "profile"))
        self.assertStatus(g, 200)
        self.assertEqual(g.json, by_name["profile"])
        self.assertEqual(g.header("ETag"), '"%d"' % g.json["version"])

    def test_builtins_cannot_be_deleted(self):
        for name in BUILTIN:
            with self.subTest(name=name):
                self.assertProblem(ac.admin("DELETE", scopes_path(None, name)),
                                   409)
                self.assertStatus(ac.admin("GET", scopes_path(None, name)), 200)

    def test_builtin_can_be_edited(self):
        before = ac.admin("GET", scopes_path(None, "phone")).json
        self.addCleanup(lambda: ac.admin("PUT", scopes_path(None, "phone"), {
            "name": "phone", "description": before["description"],
            "includeInToken": before["includeInToken"],
            "claims": before["claims"]}))
        r = ac.admin("PATCH", scopes_path(None, "phone"),
                     {"description": "Your phone"},
                     headers={"If-Match": '"%d"' % before["version"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "Your phone")
        self.assertEqual(r.json["claims"], before["claims"])
        self.assertEqual(r.json["version"], before["version"] + 1)
        self.assertProblem(ac.admin("PATCH", scopes_path(None, "phone"),
                                    {"description": "x"},
                                    headers={"If-Match": '"%d"'
                                             % before["version"]}), 412)

    def test_lifecycle_reaches_every_realm_and_is_recorded_in_master(self):
        r1, _ = ac.create_realm(self)
        r2, _ = ac.create_realm(self)
        name, body = self.create(claims=[claim("org", "static", "acme")])
        self.assertIs(body["global"], True)
        self.assertProblem(ac.admin("POST", scopes_path(), {"name": name}),
                           409)
        # every realm offers it ...
        def offered(realm):
            d = discovery(realm)
            self.assertIn(name, d["scopes_supported"])
            self.assertIn("org", d["claims_supported"])
        for realm in (r1, r2):
            ac.eventually(lambda: offered(realm))
        # ... clients of any realm can hold it, and a realm cannot shadow it
        cid, c = ac.create_client(r1, extra={"optionalScopes": [name]})
        self.assertEqual(c["optionalScopes"], [name])
        self.assertProblem(ac.admin("POST", scopes_path(r2), {"name": name}),
                           409)
        # changes are recorded in the master realm
        self.assertStatus(ac.admin("PUT", scopes_path(None, name),
                                   {"name": name, "description": "Org"}), 200)
        self.assertStatus(ac.admin("DELETE", scopes_path(None, name)), 204)
        ev = ac.admin("GET", "/realms/master/events?resourceType=scope"
                      "&resourceId=" + ac.quote(name)).json["items"]
        self.assertEqual([e["type"] for e in ev],
                         ["scope.delete", "scope.update", "scope.create"])
        self.assertIs(ev[2]["details"]["after"]["global"], True)
        # deleting it removed it from the client and from every realm
        self.assertEqual(ac.admin("GET", "/realms/%s/clients/%s" % (r1, cid))
                         .json["optionalScopes"], [])
        for realm in (r1, r2):
            ac.eventually(lambda: self.assertNotIn(
                name, discovery(realm)["scopes_supported"]))
        self.assertProblem(ac.admin("GET", scopes_path(None, name)), 404)

    def test_validation_and_404(self):
        for body, field in (({"name": "a b"}, "name"), ({}, "name"),
                            ({"name": ac.unique("v"), "claims": [claim("aud")]},
                             "claims[0].claim"),
                            ({"name": ac.unique("v"), "x": 1}, "x")):
            with self.subTest(body=body):
                self.assertProblem(ac.admin("POST", scopes_path(), body), 400,
                                   field=field)
        ghost = ac.unique("ghost")
        for method, body in (("GET", None), ("PUT", {"name": ghost}),
                             ("PATCH", {"description": "x"}), ("DELETE", None)):
            with self.subTest(method=method):
                self.assertProblem(ac.admin(method, scopes_path(None, ghost),
                                            body), 404)

    def test_oversized_body_is_413(self):
        r = ac.admin("POST", scopes_path(), {"name": ac.unique("big"),
                                             "description": "b" * (ONE_MIB + 1)})
        self.assertEqual(r.status, 413, repr(r))


if __name__ == "__main__":
    unittest.main()
