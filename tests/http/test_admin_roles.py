"""Roles in the admin REST API: realm roles, client roles and global roles
(/api/admin/realms/{r}/roles, /clients/{c}/roles, /api/admin/roles), their
composites and members, the role mappings of users, consumers and clients
(service roles), and the roles client-credentials tokens carry."""

import json
import unittest
import uuid

import authio_client as ac

ONE_MIB = 1024 * 1024


# -------------------------------------------------------------- paths

def realm_roles(realm, name=None, sub=None):
    p = "/realms/%s/roles" % ac.quote(realm)
    if name is not None:
        p += "/" + ac.quote(name)
    if sub is not None:
        p += "/" + sub
    return p


def client_roles(realm, client, name=None, sub=None):
    p = "/realms/%s/clients/%s/roles" % (ac.quote(realm), ac.quote(client))
    if name is not None:
        p += "/" + ac.quote(name)
    if sub is not None:
        p += "/" + sub
    return p


def global_roles(name=None, sub=None):
    p = "/roles"
    if name is not None:
        p += "/" + ac.quote(name)
    if sub is not None:
        p += "/" + sub
    return p


def user_roles(realm, user_id, effective=False):
    return "/realms/%s/users/%s/roles%s" % (
        ac.quote(realm), ac.quote(user_id), "/effective" if effective else "")


def consumer_roles(realm, consumer_id, effective=False):
    return "/realms/%s/consumers/%s/roles%s" % (
        ac.quote(realm), ac.quote(consumer_id),
        "/effective" if effective else "")


def service_roles(realm, client, effective=False):
    return "/realms/%s/clients/%s/service-roles%s" % (
        ac.quote(realm), ac.quote(client), "/effective" if effective else "")


# ------------------------------------------------------------ helpers

def create_role(path, name=None, description=None, token=None):
    name = name or ac.unique("role")
    body = {"name": name}
    if description is not None:
        body["description"] = description
    r = ac.admin("POST", path, body, token=token)
    if r.status != 201:
        raise AssertionError("create role %s: %r" % (name, r))
    return name, r.json


def create_global_role(tc, name=None):
    name, body = create_role(global_roles(), name or ac.unique("g"))
    tc.addCleanup(lambda: ac.admin("DELETE", global_roles(name)))
    return name, body


def names(group):
    return sorted(e["name"] for e in group)


def new_user(realm, username=None):
    rep = ac.create_user(realm, username)
    return rep["id"], rep["username"]


def new_consumer(realm, consumer_id=None):
    consumer_id, rep = ac.create_consumer(realm, consumer_id)
    return rep["id"], consumer_id


def events(realm, query):
    r = ac.admin("GET", "/realms/%s/events%s" % (ac.quote(realm), query))
    if r.status != 200:
        raise AssertionError("events: %r" % (r,))
    return r.json["items"]


master_token_with_roles = ac.master_token_with_roles


# ============================================================== CRUD

class RoleCrudTest(ac.RealmTestCase):
    fixture = "client"

    def test_create_get_and_names_that_need_encoding(self):
        for name in ("realm-admin:my-app", "read invoices", "a+b&c=d?e#f",
                     "\u00e9t\u00e9 \u2713"):
            with self.subTest(name=name):
                r = ac.admin("POST", realm_roles(self.realm),
                             {"name": name, "description": "d"})
                self.assertStatus(r, 201)
                body = self.assertJson(r)
                self.assertEqual(body["name"], name)
                self.assertEqual(body["description"], "d")
                self.assertIs(body["composite"], False)
                self.assertEqual(body["version"], 1)
                self.assertNotIn("clientId", body)
                self.assertNotIn("global", body)
                self.assertRfc3339Utc(body["createdAt"])
                self.assertEqual(r.header("ETag"), '"1"')
                loc = r.header("Location") or ""
                self.assertTrue(loc.endswith("/api/admin" + realm_roles(
                    self.realm, name)), loc)
                g = ac.admin("GET", realm_roles(self.realm, name))
                self.assertStatus(g, 200)
                self.assertEqual(g.json, body)
                self.assertEqual(g.header("ETag"), '"1"')

    def test_list_prefix_and_paging(self):
        realm, _ = ac.create_realm(self)
        for n in ("app:read", "app:write", "app_x", "other"):
            create_role(realm_roles(realm), n)
        r = ac.admin("GET", realm_roles(realm))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 4)
        self.assertEqual([i["name"] for i in r.json["items"]],
                         ["app:read", "app:write", "app_x", "other"])
        r = ac.admin("GET", realm_roles(realm) + "?q=app:")
        self.assertEqual([i["name"] for i in r.json["items"]],
                         ["app:read", "app:write"])
        # % and _ are literal in the prefix
        self.assertEqual(ac.admin("GET", realm_roles(realm) + "?q=app_")
                         .json["total"], 1)
        self.assertEqual(ac.admin("GET", realm_roles(realm) + "?q=%25")
                         .json["total"], 0)
        page = ac.admin("GET", realm_roles(realm) + "?offset=1&limit=2").json
        self.assertEqual(page["total"], 4)
        self.assertEqual([i["name"] for i in page["items"]],
                         ["app:write", "app_x"])
        for q in ("?limit=0", "?limit=501", "?offset=-1", "?limit=x"):
            with self.subTest(q=q):
                self.assertProblem(ac.admin("GET", realm_roles(realm) + q),
                                   400, field=q[1:q.index("=")])
        # client roles and global roles are separate lists
        self.assertEqual(ac.admin("GET", client_roles(realm, ac.create_client(
            realm)[0])).json, {"items": [], "total": 0})

    def test_duplicates_per_owner(self):
        name, _ = create_role(realm_roles(self.realm))
        self.assertProblem(ac.admin("POST", realm_roles(self.realm),
                                    {"name": name}), 409)
        # the same name as a client role, and for another client
        _, c = create_role(client_roles(self.realm, self.client), name)
        self.assertEqual(c["clientId"], self.client)
        other, _ = ac.create_client(self.realm)
        create_role(client_roles(self.realm, other), name)
        self.assertProblem(ac.admin("POST", client_roles(self.realm,
                                                         self.client),
                                    {"name": name}), 409)
        # names are case-sensitive
        create_role(realm_roles(self.realm), name.upper())
        # and in another realm
        realm2, _ = ac.create_realm(self)
        create_role(realm_roles(realm2), name)

    def test_validation(self):
        cases = [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": None}, "name"),
            ({"name": 7}, "name"),
            ({"name": "a/b"}, "name"),
            ({"name": "."}, "name"),
            ({"name": ".."}, "name"),
            ({"name": "x" * 256}, "name"),
            ({"name": "tab\there"}, "name"),
            ({"name": "nl\n"}, "name"),
            ({"name": "ok", "description": "d" * 1001}, "description"),
            ({"name": "ok", "description": 5}, "description"),
            ({"name": "ok", "composite": True}, "composite"),
            ({"name": "ok", "bogus": 1}, "bogus"),
        ]
        realm, _ = ac.create_realm(self)
        client, _ = ac.create_client(realm)
        for path in (realm_roles(realm), client_roles(realm, client)):
            for body, field in cases:
                with self.subTest(path=path, body=str(body)[:40]):
                    self.assertProblem(ac.admin("POST", path, body), 400,
                                       field=field)
            self.assertEqual(ac.admin("GET", path).json["total"], 0)
        self.assertProblem(ac.admin("POST", realm_roles(realm), body="[",
                                    headers={
                                        "Content-Type": "application/json"}),
                           400)
        self.assertStatus(ac.admin("POST", realm_roles(realm),
                                   {"name": "x" * 255}), 201)

    def test_put_patch_and_if_match(self):
        name, created = create_role(realm_roles(self.realm), description="one")
        path = realm_roles(self.realm, name)
        r = ac.admin("PUT", path, {"name": name, "description": "two"},
                     headers={"If-Match": '"1"'})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "two")
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual(r.json["id"], created["id"])
        # stale versions
        self.assertProblem(ac.admin("PUT", path, {"name": name},
                                    headers={"If-Match": '"1"'}), 412)
        self.assertProblem(ac.admin("PATCH", path, {"description": "x"},
                                    headers={"If-Match": '"1"'}), 412)
        self.assertProblem(ac.admin("DELETE", path,
                                    headers={"If-Match": '"1"'}), 412)
        self.assertProblem(ac.admin("PUT", path, {"name": name},
                                    headers={"If-Match": "nope"}), 400,
                           field="If-Match")
        # PATCH merges; null resets the description
        r = ac.request("PATCH", "/api/admin" + path,
                       body=json.dumps({"description": "three"}),
                       headers={"Content-Type": "application/merge-patch+json",
                                "If-Match": '"2"'}, token=ac.admin_token())
        self.assertStatus(r, 200)
        self.assertEqual((r.json["name"], r.json["description"],
                          r.json["version"]), (name, "three", 3))
        r = ac.admin("PATCH", path, {"description": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "")
        for patch, field in (({"name": None}, "name"), ({"name": "a/b"}, "name"),
                             ({"composite": True}, "composite"),
                             ({"id": "x"}, "id"), ({"bogus": 1}, "bogus")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", path, patch), 400,
                                   field=field)
        for body, field in (({"description": "x"}, "name"),
                            ({"name": name, "version": 9}, "version")):
            self.assertProblem(ac.admin("PUT", path, body), 400, field=field)
        self.assertEqual(ac.admin("GET", path).json["version"], 4)

    def test_rename(self):
        name, created = create_role(realm_roles(self.realm))
        taken, _ = create_role(realm_roles(self.realm))
        self.assertProblem(ac.admin("PUT", realm_roles(self.realm, name),
                                    {"name": taken}), 409)
        r = ac.admin("PATCH", realm_roles(self.realm, name),
                     {"name": name + ":renamed"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["id"], created["id"])
        self.assertProblem(ac.admin("GET", realm_roles(self.realm, name)), 404)
        self.assertStatus(ac.admin("GET", realm_roles(
            self.realm, name + ":renamed")), 200)

    def test_delete(self):
        name, _ = create_role(client_roles(self.realm, self.client))
        path = client_roles(self.realm, self.client, name)
        self.assertStatus(ac.admin("DELETE", path, headers={"If-Match": '"1"'}),
                          204)
        self.assertProblem(ac.admin("GET", path), 404)
        self.assertProblem(ac.admin("DELETE", path), 404)
        # the name is free again
        create_role(client_roles(self.realm, self.client), name)

    def test_not_found(self):
        ghost = ac.unique("ghost")
        for method, path, body in (
                ("GET", realm_roles(self.realm, ghost), None),
                ("PUT", realm_roles(self.realm, ghost), {"name": ghost}),
                ("PATCH", realm_roles(self.realm, ghost), {"description": ""}),
                ("DELETE", realm_roles(self.realm, ghost), None),
                ("GET", realm_roles(self.realm, ghost, "composites"), None),
                ("POST", realm_roles(self.realm, ghost, "composites"), []),
                ("GET", realm_roles(self.realm, ghost, "members"), None),
                ("GET", realm_roles(ghost), None),
                ("POST", realm_roles(ghost), {"name": "x"}),
                ("GET", client_roles(self.realm, ghost), None),
                ("POST", client_roles(self.realm, ghost), {"name": "x"}),
                ("GET", client_roles(self.realm, self.client, ghost), None),
                ("GET", global_roles(ghost), None),
                ("DELETE", global_roles(ghost), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body), 404)
        # a realm role is not found under a client, nor the reverse
        name, _ = create_role(realm_roles(self.realm))
        self.assertProblem(ac.admin("GET", client_roles(
            self.realm, self.client, name)), 404)
        self.assertProblem(ac.admin("GET", global_roles(name)), 404)

    def test_too_large(self):
        r = ac.admin("POST", realm_roles(self.realm),
                     {"name": "big", "description": "d" * (ONE_MIB + 10)})
        self.assertEqual(r.status, 413, repr(r))
        self.assertProblem(ac.admin("GET", realm_roles(self.realm, "big")), 404)
        r = ac.admin("POST", realm_roles(self.realm, "big", "composites"),
                     [{"name": "x" * 200}] * 6000)
        self.assertEqual(r.status, 413, repr(r))

    def test_events(self):
        name, _ = create_role(realm_roles(self.realm))
        ac.admin("PATCH", realm_roles(self.realm, name), {"description": "x"})
        ac.admin("DELETE", realm_roles(self.realm, name))
        got = events(self.realm, "?resourceType=role&resourceId="
                     + ac.quote(name))
        self.assertEqual([e["type"] for e in got],
                         ["role.delete", "role.update", "role.create"])
        self.assertEqual(got[2]["details"]["after"]["name"], name)
        self.assertEqual(got[1]["details"]["before"]["description"], "")
        self.assertEqual(got[1]["details"]["after"]["description"], "x")
        self.assertEqual(got[0]["actor"], "admin-cli")
        cname, _ = create_role(client_roles(self.realm, self.client))
        got = events(self.realm, "?type=role.create&resourceId="
                     + ac.quote("%s/roles/%s" % (self.client, cname)))
        self.assertEqual(len(got), 1)


class GlobalRoleTest(ac.AuthioTestCase):

    def test_crud_recorded_in_master(self):
        name, body = create_global_role(self)
        self.assertIs(body["global"], True)
        self.assertTrue(ac.admin("GET", global_roles()).json["total"] >= 1)
        r = ac.admin("GET", global_roles() + "?q=" + ac.quote(name))
        self.assertEqual([i["name"] for i in r.json["items"]], [name])
        self.assertProblem(ac.admin("POST", global_roles(), {"name": name}), 409)
        r = ac.admin("PUT", global_roles(name), {"name": name,
                                                 "description": "shared"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["description"], "shared")
        # a realm may have a role of the same name
        realm, _ = ac.create_realm(self)
        create_role(realm_roles(realm), name)
        got = events("master", "?resourceType=role&resourceId="
                     + ac.quote("global/" + name))
        self.assertEqual([e["type"] for e in got], ["role.update",
                                                    "role.create"])
        self.assertStatus(ac.admin("DELETE", global_roles(name)), 204)
        self.assertProblem(ac.admin("GET", global_roles(name)), 404)
        self.assertEqual(events("master", "?type=role.delete&resourceId="
                                + ac.quote("global/" + name))[0]["type"],
                         "role.delete")

    def test_global_composites_hold_only_global_roles(self):
        a, _ = create_global_role(self)
        b, _ = create_global_role(self)
        r = ac.admin("POST", global_roles(a, "composites"),
                     [{"name": b, "global": True}])
        self.assertStatus(r, 204)
        g = ac.admin("GET", global_roles(a, "composites"))
        self.assertStatus(g, 200)
        self.assertEqual(names(g.json["global"]), [b])
        self.assertEqual(g.json["realm"], [])
        self.assertIs(ac.admin("GET", global_roles(a)).json["composite"], True)
        self.assertProblem(ac.admin("POST", global_roles(a, "composites"),
                                    [{"name": b}]), 400, field="[0].global")
        self.assertProblem(ac.admin("POST", global_roles(b, "composites"),
                                    [{"name": a, "global": True}]), 400,
                           field="[0].name")
        self.assertStatus(ac.admin("DELETE", global_roles(a, "composites"),
                                   [{"name": b, "global": True}]), 204)
        self.assertEqual(ac.admin("GET", global_roles(a, "composites"))
                         .json["global"], [])
        got = events("master", "?resourceId=" + ac.quote("global/" + a))
        self.assertEqual([e["type"] for e in got][:2],
                         ["role.composites.remove", "role.composites.add"])
        # global roles have no member list
        self.assertProblem(ac.admin("GET", "/roles/%s/members" % ac.quote(a)),
                           404)


# ========================================================= composites

class CompositeTest(ac.RealmTestCase):
    fixture = "client"

    def test_add_get_remove(self):
        parent, _ = create_role(realm_roles(self.realm))
        child, _ = create_role(realm_roles(self.realm))
        crole, _ = create_role(client_roles(self.realm, self.client))
        g, _ = create_global_role(self)
        refs = [{"name": child}, {"name": crole, "clientId": self.client},
                {"name": g, "global": True}]
        path = realm_roles(self.realm, parent, "composites")
        self.assertStatus(ac.admin("POST", path, refs), 204)
        self.assertStatus(ac.admin("POST", path, refs), 204)  # idempotent
        r = ac.admin("GET", path)
        self.assertStatus(r, 200)
        self.assertEqual(names(r.json["realm"]), [child])
        self.assertEqual(list(r.json["clients"]), [self.client])
        self.assertEqual(names(r.json["clients"][self.client]), [crole])
        self.assertEqual(names(r.json["global"]), [g])
        self.assertIs(ac.admin("GET", realm_roles(self.realm, parent))
                      .json["composite"], True)
        # a client role may include realm roles too
        self.assertStatus(ac.admin("POST", client_roles(
            self.realm, self.client, crole, "composites"),
            [{"name": child}]), 204)
        self.assertEqual(names(ac.admin("GET", client_roles(
            self.realm, self.client, crole, "composites")).json["realm"]),
            [child])
        # removing
        self.assertStatus(ac.admin("DELETE", path, refs[:2]), 204)
        r = ac.admin("GET", path).json
        self.assertEqual((r["realm"], r["clients"], names(r["global"])),
                         ([], {}, [g]))
        self.assertStatus(ac.admin("DELETE", path, refs), 204)
        self.assertIs(ac.admin("GET", realm_roles(self.realm, parent))
                      .json["composite"], False)
        got = events(self.realm, "?resourceId=" + ac.quote(parent))
        self.assertEqual([e["type"] for e in got][:2],
                         ["role.composites.remove", "role.composites.remove"])
        add = [e for e in got if e["type"] == "role.composites.add"]
        self.assertEqual(add[0]["details"]["after"], refs)

    def test_bad_references_name_the_entry_and_change_nothing(self):
        parent, _ = create_role(realm_roles(self.realm))
        ok, _ = create_role(realm_roles(self.realm))
        path = realm_roles(self.realm, parent, "composites")
        cases = [
            ([{"name": ok}, {"name": "ghost"}], "[1].name"),
            ([{"name": "r", "clientId": "no-such-client"}], "[0].clientId"),
            ([{"name": "no-such-role", "clientId": self.client}], "[0].name"),
            ([{"name": ok, "global": True}], "[0].name"),
            ([{"name": ok}, 5], "[1]"),
            ([{}], "[0].name"),
            ([{"name": ""}], "[0].name"),
            ([{"name": 3}], "[0].name"),
            ([{"name": "x" * 256}], "[0].name"),
            ([{"name": ok, "bogus": 1}], "[0].bogus"),
            ([{"name": ok, "global": "yes"}], "[0].global"),
            ([{"name": ok, "clientId": self.client, "global": True}],
             "[0].global"),
            ([{"name": ok, "clientId": 5}], "[0].clientId"),
            ([{"name": ok}] * 501, "[]"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=str(body)[:60]):
                self.assertProblem(ac.admin("POST", path, body), 400,
                                   field=field)
                self.assertProblem(ac.admin("DELETE", path, body), 400,
                                   field=field)
        for raw in ('{"name": "x"}', '"x"', "", "[{]"):
            with self.subTest(raw=raw):
                self.assertProblem(ac.admin("POST", path, body=raw, headers={
                    "Content-Type": "application/json"}), 400)
        r = ac.admin("GET", path).json
        self.assertEqual((r["realm"], r["clients"], r["global"]), ([], {}, []))
        # every unknown entry is named at once
        r = ac.admin("POST", path, [{"name": "ghost1"}, {"name": ok},
                                    {"name": "ghost2"}])
        body = self.assertProblem(r, 400, field="[0].name")
        self.assertIn("[2].name", [e["field"] for e in body["errors"]])

    def test_cycles_are_refused(self):
        a, _ = create_role(realm_roles(self.realm), "a:" + ac.unique())
        b, _ = create_role(realm_roles(self.realm), "b:" + ac.unique())
        c, _ = create_role(client_roles(self.realm, self.client))
        d, _ = create_role(realm_roles(self.realm))
        self.assertProblem(ac.admin("POST", realm_roles(self.realm, a,
                                                        "composites"),
                                    [{"name": a}]), 400, field="[0].name")
        self.assertStatus(ac.admin("POST", realm_roles(self.realm, a,
                                                       "composites"),
                                   [{"name": b}, {"name": d}]), 204)
        self.assertStatus(ac.admin("POST", realm_roles(self.realm, b,
                                                       "composites"),
                                   [{"name": c, "clientId": self.client}]), 204)
        # c -> a closes a -> b -> c -> a; the other entries are not kept
        r = ac.admin("POST", client_roles(self.realm, self.client, c,
                                          "composites"),
                     [{"name": d}, {"name": a}])
        body = self.assertProblem(r, 400, field="[1].name")
        self.assertIn("cycle", body["errors"][0]["message"])
        self.assertEqual(ac.admin("GET", client_roles(
            self.realm, self.client, c, "composites")).json["realm"], [])
        # a diamond is not a cycle: d -> c while a -> b -> c and a -> d
        self.assertStatus(ac.admin("POST", realm_roles(self.realm, d,
                                                       "composites"),
                                   [{"name": c, "clientId": self.client}]), 204)
        self.assertProblem(ac.admin("POST", client_roles(
            self.realm, self.client, c, "composites"), [{"name": d}]), 400,
            field="[0].name")

    def test_deleting_a_role_drops_its_links(self):
        parent, _ = create_role(realm_roles(self.realm))
        child, _ = create_role(realm_roles(self.realm))
        path = realm_roles(self.realm, parent, "composites")
        self.assertStatus(ac.admin("POST", path, [{"name": child}]), 204)
        self.assertStatus(ac.admin("DELETE", realm_roles(self.realm, child)),
                          204)
        self.assertEqual(ac.admin("GET", path).json["realm"], [])
        self.assertIs(ac.admin("GET", realm_roles(self.realm, parent))
                      .json["composite"], False)

    def test_roles_of_another_realm_cannot_be_referenced(self):
        other, _ = ac.create_realm(self)
        foreign, _ = create_role(realm_roles(other))
        fclient, _ = ac.create_client(other)
        frole, _ = create_role(client_roles(other, fclient))
        parent, _ = create_role(realm_roles(self.realm))
        path = realm_roles(self.realm, parent, "composites")
        self.assertProblem(ac.admin("POST", path, [{"name": foreign}]), 400,
                           field="[0].name")
        self.assertProblem(ac.admin("POST", path, [{"name": frole,
                                                    "clientId": fclient}]),
                           400, field="[0].clientId")


# ============================================== members and mappings

class MappingTest(ac.RealmTestCase):
    fixture = "client"

    def chain(self):
        """a -> b -> c (realm roles), c -> a client role and a global role."""
        a, _ = create_role(realm_roles(self.realm))
        b, _ = create_role(realm_roles(self.realm))
        c, _ = create_role(realm_roles(self.realm))
        cr, _ = create_role(client_roles(self.realm, self.client))
        g, _ = create_global_role(self)
        for parent, refs in ((a, [{"name": b}]), (b, [{"name": c}]),
                             (c, [{"name": cr, "clientId": self.client},
                                  {"name": g, "global": True}])):
            self.assertStatus(ac.admin("POST", realm_roles(
                self.realm, parent, "composites"), refs), 204)
        return a, b, c, cr, g

    def check_principal(self, path_of, key, kind, event_type):
        a, b, c, cr, g = self.chain()
        other, _ = create_role(realm_roles(self.realm))
        refs = [{"name": a}, {"name": other}]
        self.assertStatus(ac.admin("POST", path_of(key), refs), 204)
        self.assertStatus(ac.admin("POST", path_of(key), refs[:1]), 204)
        r = ac.admin("GET", path_of(key))
        self.assertStatus(r, 200)
        self.assertEqual(names(r.json["realm"]), sorted([a, other]))
        self.assertEqual((r.json["clients"], r.json["global"]), ({}, []))
        self.assertTrue(all(set(e) == {"id", "name", "description",
                                       "composite"}
                            for e in r.json["realm"]))
        e = ac.admin("GET", path_of(key, True))
        self.assertStatus(e, 200)
        self.assertEqual(names(e.json["realm"]), sorted([a, b, c, other]))
        self.assertEqual(names(e.json["clients"][self.client]), [cr])
        self.assertEqual(names(e.json["global"]), [g])
        # remove one mapping; removing a role not held is no error
        self.assertStatus(ac.admin("DELETE", path_of(key),
                                   [{"name": other}, {"name": b}]), 204)
        self.assertEqual(names(ac.admin("GET", path_of(key)).json["realm"]),
                         [a])
        got = events(self.realm, "?resourceType=%s&resourceId=%s"
                     % (kind, ac.quote(key)))
        self.assertEqual([x["type"] for x in got][:3],
                         [event_type + ".remove", event_type + ".add",
                          event_type + ".add"])
        self.assertEqual(got[2]["details"]["after"], refs)
        # deleting a role removes it from the mappings
        self.assertStatus(ac.admin("DELETE", realm_roles(self.realm, c)), 204)
        e = ac.admin("GET", path_of(key, True)).json
        self.assertEqual(names(e["realm"]), sorted([a, b]))
        self.assertEqual((e["clients"], e["global"]), ({}, []))
        self.assertStatus(ac.admin("DELETE", realm_roles(self.realm, a)), 204)
        e = ac.admin("GET", path_of(key, True)).json
        self.assertEqual((e["realm"], e["clients"], e["global"]), ([], {}, []))
        # bad references
        self.assertProblem(ac.admin("POST", path_of(key), [{"name": "ghost"}]),
                           400, field="[0].name")
        self.assertProblem(ac.admin("POST", path_of(key), {"name": b}), 400)

    def test_user_roles(self):
        uid, _ = new_user(self.realm)
        self.check_principal(lambda k, eff=False: user_roles(self.realm, k, eff),
                             uid, "user", "user.roles")
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM user_roles WHERE user_id = %s"
                % ac.sql_str(uid)), "0")

    def test_consumer_roles(self):
        _, cons = new_consumer(self.realm)
        self.check_principal(
            lambda k, eff=False: consumer_roles(self.realm, k, eff), cons,
            "consumer", "consumer.roles")

    def test_service_roles(self):
        cid, _ = ac.create_client(self.realm)
        self.check_principal(
            lambda k, eff=False: service_roles(self.realm, k, eff), cid,
            "client", "client.service-roles")

    def test_unknown_principals(self):
        uid, _ = new_user(self.realm)
        other, _ = ac.create_realm(self)
        role, _ = create_role(realm_roles(self.realm))
        for path in (user_roles(self.realm, str(uuid.uuid4())),
                     user_roles(self.realm, "not-a-uuid"),
                     user_roles(self.realm, uid.upper()),
                     user_roles(other, uid),
                     consumer_roles(self.realm, ac.unique("ghost")),
                     consumer_roles(self.realm, self.client),
                     service_roles(self.realm, ac.unique("ghost")),
                     service_roles(ac.unique("nope"), self.client)):
            for method, body in (("GET", None), ("POST", [{"name": role}]),
                                 ("DELETE", [{"name": role}])):
                with self.subTest(path=path, method=method):
                    self.assertProblem(ac.admin(method, path, body), 404)
            self.assertProblem(ac.admin("GET", path + "/effective"), 404)

    def test_members_through_composites(self):
        a, b, c, cr, g = self.chain()
        u1, name1 = new_user(self.realm, "alice-" + ac.unique())
        u2, name2 = new_user(self.realm, "bob-" + ac.unique())
        _, cons = new_consumer(self.realm)
        self.assertStatus(ac.admin("POST", user_roles(self.realm, u1),
                                   [{"name": a}, {"name": c}]), 204)
        self.assertStatus(ac.admin("POST", user_roles(self.realm, u2),
                                   [{"name": b}]), 204)
        self.assertStatus(ac.admin("POST", consumer_roles(self.realm, cons),
                                   [{"name": cr, "clientId": self.client}]),
                          204)
        r = ac.admin("GET", realm_roles(self.realm, c, "members"))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 2)
        self.assertEqual(r.json["items"], [
            {"type": "user", "id": u1, "username": name1},
            {"type": "user", "id": u2, "username": name2}])
        r = ac.admin("GET", client_roles(self.realm, self.client, cr,
                                         "members")).json
        self.assertEqual(r["total"], 3)
        self.assertEqual(r["items"][2], {"type": "consumer",
                                         "consumerId": cons})
        page = ac.admin("GET", client_roles(self.realm, self.client, cr,
                                            "members") + "?offset=1&limit=1")
        self.assertEqual(page.json["total"], 3)
        self.assertEqual(page.json["items"], [r["items"][1]])
        self.assertEqual(ac.admin("GET", realm_roles(self.realm, a, "members"))
                         .json["items"], [{"type": "user", "id": u1,
                                           "username": name1}])
        self.assertProblem(ac.admin("GET", realm_roles(self.realm, a, "members")
                                    + "?limit=0"), 400, field="limit")


# ================================================ tokens carry roles

class TokenRolesTest(ac.RealmTestCase):

    def test_client_credentials_token_carries_effective_roles(self):
        app, _ = ac.create_client(self.realm)
        api, _ = ac.create_client(self.realm)
        cid, _ = ac.create_client(self.realm)
        secret, _ = ac.create_secret(self.realm, cid)
        top, _ = create_role(realm_roles(self.realm), "top:" + ac.unique())
        mid, _ = create_role(realm_roles(self.realm))
        low, _ = create_role(realm_roles(self.realm))
        read, _ = create_role(client_roles(self.realm, app), "invoice:read")
        write, _ = create_role(client_roles(self.realm, api), "write")
        g, _ = create_global_role(self)
        for parent, refs in ((top, [{"name": mid}]), (mid, [{"name": low},
                             {"name": read, "clientId": app},
                             {"name": g, "global": True}])):
            self.assertStatus(ac.admin("POST", realm_roles(
                self.realm, parent, "composites"), refs), 204)
        self.assertStatus(ac.admin("POST", service_roles(self.realm, cid), [
            {"name": top}, {"name": write, "clientId": api}]), 204)

        def claims():
            t = ac.token_request(self.realm, cid, secret)
            self.assertStatus(t, 200)
            _, c = ac.verify_jws(t.json["access_token"],
                                 ac.fetch_jwks(self.realm))
            return c

        c = claims()
        self.assertEqual(sorted(c["realm_access"]["roles"]),
                         sorted([top, mid, low, g]))
        self.assertEqual(c["resource_access"], {
            app: {"roles": [read]}, api: {"roles": [write]}})
        e = ac.admin("GET", service_roles(self.realm, cid, True)).json
        self.assertEqual(names(e["realm"]), sorted([top, mid, low]))

        # changes reach tokens within the cache bound
        self.assertStatus(ac.admin("DELETE", realm_roles(self.realm, mid,
                                                         "composites"),
                                   [{"name": read, "clientId": app}]), 204)

        def no_app_roles():
            self.assertEqual(list(claims()["resource_access"]), [api])
        ac.eventually(no_app_roles)
        # a global role's change bumps every realm
        self.assertStatus(ac.admin("DELETE", global_roles(g)), 204)

        def no_global():
            self.assertEqual(sorted(claims()["realm_access"]["roles"]),
                             sorted([top, mid, low]))
        ac.eventually(no_global)
        self.assertStatus(ac.admin("DELETE", service_roles(self.realm, cid), [
            {"name": top}, {"name": write, "clientId": api}]), 204)

        def none():
            c = claims()
            self.assertEqual(c["realm_access"]["roles"], [])
            self.assertNotIn("resource_access", c)
        ac.eventually(none)

    def test_consumer_token_carries_its_effective_roles(self):
        app, _ = ac.create_client(self.realm)
        cons, _ = ac.create_consumer(self.realm)
        secret, _ = ac.create_consumer_secret(self.realm, cons)
        top, _ = create_role(realm_roles(self.realm))
        low, _ = create_role(realm_roles(self.realm))
        read, _ = create_role(client_roles(self.realm, app))
        self.assertStatus(ac.admin("POST", realm_roles(
            self.realm, top, "composites"), [{"name": low}]), 204)
        self.assertStatus(ac.admin("POST", consumer_roles(self.realm, cons), [
            {"name": top}, {"name": read, "clientId": app}]), 204)

        def claims():
            t = ac.token_request(self.realm, cons, secret)
            self.assertStatus(t, 200)
            _, c = ac.verify_jws(t.json["access_token"],
                                 ac.fetch_jwks(self.realm))
            return c

        def roles_in_token():
            c = claims()
            self.assertEqual(c["sub"], cons)
            self.assertEqual(sorted(c["realm_access"]["roles"]),
                             sorted([top, low]))
            self.assertEqual(c["resource_access"], {app: {"roles": [read]}})
        ac.eventually(roles_in_token)

    def test_admin_cli_holds_admin_as_a_service_role(self):
        r = ac.admin("GET", service_roles("master", "admin-cli"))
        self.assertStatus(r, 200)
        self.assertIn("admin", names(r.json["realm"]))


# ======================================================= authorisation

class RoleAuthTest(ac.RealmTestCase):
    fixture = "client"

    def test_no_token(self):
        name, _ = create_role(realm_roles(self.realm))
        for method, path, body in (
                ("GET", realm_roles(self.realm), None),
                ("POST", realm_roles(self.realm), {"name": "x"}),
                ("DELETE", realm_roles(self.realm, name), None),
                ("POST", realm_roles(self.realm, name, "composites"), []),
                ("GET", global_roles(), None),
                ("POST", global_roles(), {"name": ac.unique()}),
                ("GET", service_roles(self.realm, self.client), None),
                ("POST", service_roles(self.realm, self.client),
                 [{"name": name}])):
            with self.subTest(method=method, path=path):
                r = ac.request(method, "/api/admin" + path, json_body=body)
                self.assertProblem(r, 401)
        self.assertStatus(ac.admin("GET", realm_roles(self.realm, name)), 200)

    def test_master_client_without_roles(self):
        client, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", client, secret).json["access_token"]
        for method, path, body in (
                ("GET", realm_roles(self.realm), None),
                ("POST", realm_roles(self.realm), {"name": "x"}),
                ("GET", global_roles(), None),
                ("POST", global_roles(), {"name": ac.unique()}),
                ("GET", service_roles(self.realm, self.client), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body, token=token),
                                   403)
        self.assertProblem(ac.admin("GET", realm_roles(self.realm, "x")), 404)

    def test_realm_viewer_reads_only(self):
        name, _ = create_role(realm_roles(self.realm))
        token = master_token_with_roles(self, "realm-viewer:" + self.realm)
        for path in (realm_roles(self.realm), realm_roles(self.realm, name),
                     realm_roles(self.realm, name, "composites"),
                     realm_roles(self.realm, name, "members"),
                     client_roles(self.realm, self.client),
                     service_roles(self.realm, self.client),
                     global_roles()):
            with self.subTest(path=path):
                self.assertStatus(ac.admin("GET", path, token=token), 200)
        for method, path, body in (
                ("POST", realm_roles(self.realm), {"name": "v"}),
                ("PUT", realm_roles(self.realm, name), {"name": name}),
                ("PATCH", realm_roles(self.realm, name), {"description": "v"}),
                ("DELETE", realm_roles(self.realm, name), None),
                ("POST", realm_roles(self.realm, name, "composites"), []),
                ("DELETE", realm_roles(self.realm, name, "composites"), []),
                ("POST", client_roles(self.realm, self.client), {"name": "v"}),
                ("POST", service_roles(self.realm, self.client),
                 [{"name": name}]),
                ("DELETE", service_roles(self.realm, self.client),
                 [{"name": name}]),
                ("POST", global_roles(), {"name": ac.unique()})):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body, token=token),
                                   403)
        self.assertProblem(ac.admin("GET", realm_roles(self.realm, "v")), 404)
        self.assertEqual(ac.admin("GET", realm_roles(self.realm, name))
                         .json["version"], 1)

    def test_realm_admin_of_one_realm(self):
        other, _ = ac.create_realm(self)
        token = master_token_with_roles(self, "realm-admin:" + self.realm)
        name, _ = create_role(realm_roles(self.realm), token=token)
        self.assertStatus(ac.admin("POST", service_roles(self.realm,
                                                         self.client),
                                   [{"name": name}], token=token), 204)
        self.assertEqual(events(self.realm, "?type=role.create&resourceId="
                                + ac.quote(name))[0]["actor"],
                         ac.jose_payload_unverified(token)["client_id"])
        for method, path, body in (
                ("GET", realm_roles(other), None),
                ("POST", realm_roles(other), {"name": "x"}),
                ("POST", global_roles(), {"name": ac.unique()}),
                ("PUT", global_roles("x"), {"name": "x"}),
                ("DELETE", global_roles("x"), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body, token=token),
                                   403)
        self.assertStatus(ac.admin("GET", global_roles(), token=token), 200)

    def test_realm_admin_of_master_cannot_grant_itself_admin(self):
        token = master_token_with_roles(self, "realm-admin:master")
        client = ac.jose_payload_unverified(token)["client_id"]
        self.assertStatus(ac.admin("GET", realm_roles("master"), token=token),
                          200)
        self.assertProblem(ac.admin("POST", service_roles("master", client),
                                    [{"name": "admin"}], token=token), 403)
        self.assertProblem(ac.admin("POST", realm_roles("master"),
                                    {"name": ac.unique()}, token=token), 403)
        self.assertEqual(names(ac.admin("GET", service_roles("master", client)
                                        ).json["realm"]), ["realm-admin:master"])


if __name__ == "__main__":
    unittest.main()
