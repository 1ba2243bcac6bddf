"""Realm export and import: GET /api/admin/realms/{realmId}/export,
POST /api/admin/realms/import, and `authioctl export` / `authioctl import`.

A rich realm is built through the API once (settings changed from their
defaults, realm scopes with claims, realm, client and global roles with
composites, clients with every field, consumers, users, extra keys),
exported, imported under another realmId and exported again: the two
documents must be equal apart from the realmId (and, without
includeSecrets, the key material and settings secrets, which are not
carried).  With includeSecrets the copy works: the original client and
consumer secrets obtain tokens from the new realm, signed by the imported
keys.
"""

import json
import os
import subprocess
import tempfile
import unittest

import authio_client as ac
from authio_client import quote

BIN = os.environ.get("AUTHIO_BIN", "")
CONFIG = os.environ.get("AUTHIO_CONFIG", "")

SECRET_MEMBERS = ("secrets", "secretHash", "passwordHash", "privateJwk")


def realm_path(realm, *rest):
    return "/realms/%s" % quote(realm) + "".join("/" + quote(s) for s in rest)


def must(resp, *statuses):
    if resp.status not in statuses:
        raise AssertionError("expected %s, got %r" % (statuses, resp))
    return resp


def walk(o):
    """Every (key, value) pair of a JSON document, nested ones included."""
    if isinstance(o, dict):
        for k, v in o.items():
            yield k, v
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)


def public_ec_jwk():
    from jwcrypto import jwk
    key = jwk.JWK.generate(kty="EC", crv="P-256", kid=ac.unique("jk"))
    return json.loads(key.export_public())


def build_rich_realm(tc):
    """A realm holding one of everything; returns a dict of what the
    tests need (names, secrets)."""
    realm, _ = ac.create_realm(None, description="export source")
    tc.addClassCleanup(ac.delete_realm_quietly, realm)
    f = {"realm": realm}
    admin = ac.admin

    # settings changed from their defaults
    must(admin("PUT", realm_path(realm, "settings", "branding"),
               {"title": "Acme Login", "primaryColor": "#336699",
                "locale": "de"}), 200)
    must(admin("PUT", realm_path(realm, "settings", "tokens"),
               {"accessTokenLifetime": 600, "signingAlg": "ES256"}), 200)
    must(admin("PUT", realm_path(realm, "settings", "policies"),
               {"password": {"minLength": 10},
                "mail": {"from": "noreply@example.com", "transport": "smtp",
                         "smtpHost": "mail.example.com", "smtpUser": "u",
                         "smtpPassword": "smtp-Pa55"}}), 200)

    # keys: a rotated RS256 key, and PS256, EdDSA, ECDH-ES keys
    keys = admin("GET", realm_path(realm, "keys") + "?status=active").json
    rs = [k for k in keys["items"] if k["alg"] == "RS256"][0]
    must(admin("POST", realm_path(realm, "keys", rs["kid"], "rotate")), 201)
    for alg in ("PS256", "EdDSA", "ECDH-ES"):
        must(admin("POST", realm_path(realm, "keys"), {"alg": alg}), 201)

    # realm scopes with claims
    f["scope"] = ac.unique("s")
    must(admin("POST", realm_path(realm, "scopes"), {
        "name": f["scope"], "description": "Department data",
        "includeInToken": False,
        "claims": [
            {"claim": "department", "source": "attribute",
             "value": "department"},
            {"claim": "tier", "source": "static", "value": "gold",
             "inIdToken": False},
            {"claim": "groups", "source": "roles", "value": "realm",
             "inUserinfo": False}]}), 201)
    must(admin("POST", realm_path(realm, "scopes"),
               {"name": ac.unique("s2")}), 201)

    # a global role (the import refers to it; it never creates it)
    f["global_role"] = ac.unique("g")
    must(admin("POST", "/roles", {"name": f["global_role"]}), 201)
    tc.addClassCleanup(lambda: admin("DELETE", "/roles/"
                                     + quote(f["global_role"])))

    # realm roles
    for name in ("viewer", "editor", "auditor"):
        must(admin("POST", realm_path(realm, "roles"),
                   {"name": name, "description": name.title()}), 201)

    # clients: one with every field, a private_key_jwt one, a public SPA
    f["web"] = ac.unique("web")
    must(admin("POST", realm_path(realm, "clients"), {
        "clientId": f["web"], "name": "Web", "description": "The web app",
        "type": "confidential", "enabled": True,
        "grantTypes": ["authorization_code", "refresh_token",
                       "client_credentials"],
        "redirectUris": ["https://app.example.com/cb",
                         "http://127.0.0.1:8000/cb"],
        "postLogoutRedirectUris": ["https://app.example.com/bye"],
        "webOrigins": ["https://app.example.com"],
        "pkceRequired": True, "consentRequired": True,
        "tokenEndpointAuthMethod": "client_secret_post",
        "userAccess": "assigned",
        "defaultScopes": ["profile", f["scope"]],
        "optionalScopes": ["email"],
        "tokenSettings": {"signingAlg": "ES256"}}), 201)
    f["jwt"] = ac.unique("jwt")
    must(admin("POST", realm_path(realm, "clients"), {
        "clientId": f["jwt"], "grantTypes": ["client_credentials"],
        "tokenEndpointAuthMethod": "private_key_jwt",
        "jwks": {"keys": [public_ec_jwk()]}}), 201)
    f["spa"] = ac.unique("spa")
    must(admin("POST", realm_path(realm, "clients"), {
        "clientId": f["spa"], "type": "public",
        "grantTypes": ["authorization_code"],
        "redirectUris": ["http://localhost:3000/cb"],
        "webOrigins": ["http://localhost:3000"]}), 201)

    # client roles with composites; role composites across owners
    croles = realm_path(realm, "clients", f["web"], "roles")
    must(admin("POST", croles, {"name": "reader"}), 201)
    must(admin("POST", croles, {"name": "writer"}), 201)
    must(admin("POST", croles + "/writer/composites",
               [{"name": "reader", "clientId": f["web"]},
                {"name": "viewer"}]), 204)
    must(admin("POST", realm_path(realm, "roles", "editor", "composites"),
               [{"name": "viewer"}, {"name": "writer", "clientId": f["web"]},
                {"name": f["global_role"], "global": True}]), 204)

    # service roles
    must(admin("POST", realm_path(realm, "clients", f["web"],
                                  "service-roles"),
               [{"name": "auditor"}, {"name": "reader", "clientId": f["web"]},
                {"name": f["global_role"], "global": True}]), 204)

    # client secrets: one active, one rotated (expiring), one revoked
    f["web_secret"], first = ac.create_secret(realm, f["web"], "primary")
    spath = realm_path(realm, "clients", f["web"], "secrets")
    must(admin("POST", spath + "/" + first["id"] + "/rotate",
               {"gracePeriodSeconds": 3600, "label": "next"}), 201)
    _, dead = ac.create_secret(realm, f["web"], "old")
    must(admin("DELETE", spath + "/" + dead["id"]), 204)
    ac.create_secret(realm, f["jwt"], "unused")

    # consumers
    f["consumer"], _ = ac.create_consumer(
        realm, ac.unique("m"), description="Billing job",
        allowedScopes=[f["scope"], "email"],
        audience=["https://api.example.com", "billing"])
    must(admin("POST", ac.consumers_path(realm, f["consumer"], "roles"),
               [{"name": "viewer"}, {"name": "reader", "clientId": f["web"]},
                {"name": f["global_role"], "global": True}]), 204)
    f["consumer_secret"], _ = ac.create_consumer_secret(realm, f["consumer"],
                                                        "job")
    ac.create_consumer(realm, ac.unique("m"), enabled=False)

    # users
    alice = ac.create_user(realm, "alice-" + ac.unique("u"),
                           email="alice@example.com", emailVerified=True,
                           firstName="Alice", lastName="Liddell",
                           attributes={"department": "R&D",
                                       "phones": ["1", "2"]},
                           requiredActions=["VERIFY_EMAIL"])
    bob = ac.create_user(realm, "bob-" + ac.unique("u"), enabled=False)
    ac.create_user(realm, "carol-" + ac.unique("u"))
    must(admin("PUT", ac.users_path(realm, alice["id"], "password"),
               {"password": "correct horse battery"}), 204)
    must(admin("POST", ac.users_path(realm, alice["id"], "roles"),
               [{"name": "editor"}, {"name": "reader", "clientId": f["web"]},
                {"name": f["global_role"], "global": True}]), 204)
    must(admin("POST", ac.users_path(realm, bob["id"], "roles"),
               [{"name": "viewer"}]), 204)
    must(admin("POST", realm_path(realm, "clients", f["web"], "users"),
               [{"id": alice["id"]}, {"id": bob["id"]}]), 204)
    f["alice"], f["bob"] = alice, bob
    return f


def without_keys(doc):
    copy = json.loads(json.dumps(doc))
    copy.pop("keys", None)
    return copy


class ExportRoundTripTest(ac.AuthioTestCase):
    """Export, import as a copy, export again: the same document."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.f = build_rich_realm(cls)
        cls.realm = cls.f["realm"]

    def import_copy(self, doc):
        copy_id = ac.unique("copy")
        r = ac.import_realm(ac.renamed(doc, copy_id))
        self.addCleanup(ac.delete_realm_quietly, copy_id)
        self.assertStatus(r, 201)
        self.assertTrue(r.header("Location").endswith(
            "/api/admin/realms/" + copy_id), repr(r))
        self.assertEqual(r.json["realmId"], copy_id)
        self.assertEqual(r.json["statistics"],
                         {"totalClients": 3, "totalUsers": 3})
        return copy_id

    def test_document_shape(self):
        r = ac.export_realm(self.realm)
        self.assertStatus(r, 200)
        doc = self.assertJson(r)
        self.assertEqual(list(doc), ["authioExport", "realm", "settings",
                                     "scopes", "roles", "clients",
                                     "consumers", "users", "keys"])
        self.assertEqual(doc["authioExport"], 1)
        self.assertEqual(doc["realm"], {
            "realmId": self.realm, "name": "Realm " + self.realm,
            "description": "export source", "status": "active"})
        self.assertEqual(doc["settings"]["branding"]["title"], "Acme Login")
        self.assertEqual(doc["settings"]["policies"]["mail"]["smtpPassword"],
                         "********")
        self.assertEqual([c["clientId"] for c in doc["clients"]],
                         sorted(c["clientId"] for c in doc["clients"]))
        self.assertEqual([u["username"] for u in doc["users"]],
                         sorted(u["username"] for u in doc["users"]))
        web = [c for c in doc["clients"] if c["clientId"] == self.f["web"]][0]
        self.assertEqual([x["name"] for x in web["roles"]],
                         ["reader", "writer"])
        self.assertEqual(web["roles"][1]["composites"],
                         [{"name": "viewer"},
                          {"name": "reader", "clientId": self.f["web"]}])
        self.assertEqual(sorted(web["users"]),
                         sorted([self.f["alice"]["username"],
                                 self.f["bob"]["username"]]))
        editor = [x for x in doc["roles"] if x["name"] == "editor"][0]
        self.assertIn({"name": self.f["global_role"], "global": True},
                      editor["composites"])
        # no internal ids, versions or computed values; no secrets
        for key, value in walk(doc):
            self.assertNotIn(key, ("id", "version", "updatedAt", "locked",
                                   "passwordSet", "tokensIssued") +
                             SECRET_MEMBERS, key)
            if isinstance(value, str) and len(value) == 36:
                self.assertNotRegex(value, "^[0-9a-f-]{36}$",
                                    "an internal id leaked: %s" % key)
        # two exports of an unchanged realm are the same text
        self.assertEqual(ac.export_realm(self.realm).body, r.body)

    def test_round_trip_without_secrets(self):
        doc = ac.export_doc(self, self.realm)
        copy_id = self.import_copy(doc)
        again = ac.export_doc(self, copy_id)
        # settings secrets are not carried: the mask becomes "unset"
        self.assertEqual(
            again["settings"]["policies"]["mail"].pop("smtpPassword"), "")
        doc["settings"]["policies"]["mail"].pop("smtpPassword")
        self.assertEqual(without_keys(again),
                         without_keys(ac.renamed(doc, copy_id)))
        # fresh keys: none of the original's, every active algorithm
        old = {k["kid"] for k in doc["keys"]}
        self.assertFalse(old & {k["kid"] for k in again["keys"]})
        self.assertEqual(
            {(k["alg"], k["use"]) for k in again["keys"]},
            {(k["alg"], k["use"]) for k in doc["keys"]
             if k["status"] == "active"})
        # no secrets, no passwords
        r = ac.admin("GET", realm_path(copy_id, "clients", self.f["web"],
                                       "secrets"))
        self.assertEqual(r.json["total"], 0)
        u = ac.admin("GET", ac.users_path(copy_id) + "?username="
                     + quote(self.f["alice"]["username"])).json["items"][0]
        self.assertFalse(u["passwordSet"])
        self.assertEqual(ac.token_request(copy_id, self.f["web"],
                                          self.f["web_secret"],
                                          "post").status, 401)

    def test_round_trip_with_secrets(self):
        doc = ac.export_doc(self, self.realm, include_secrets=True)
        self.assertTrue(any(k == "privateJwk" for k, _ in walk(doc)))
        self.assertEqual(doc["settings"]["policies"]["mail"]["smtpPassword"],
                         "smtp-Pa55")
        alice = [u for u in doc["users"]
                 if u["username"] == self.f["alice"]["username"]][0]
        self.assertTrue(alice["passwordHash"].startswith("$scrypt$"))
        web = [c for c in doc["clients"] if c["clientId"] == self.f["web"]][0]
        self.assertEqual(sorted(s["status"] for s in web["secrets"]),
                         ["active", "active", "revoked"])
        copy_id = self.import_copy(doc)
        again = ac.export_doc(self, copy_id, include_secrets=True)
        self.assertEqual(again, ac.renamed(doc, copy_id))

        # the original secrets obtain tokens from the copy, signed by the
        # imported keys (ES256: the client's tokenSettings)
        jwks = ac.fetch_jwks(copy_id)
        for client, secret, method in (
                (self.f["web"], self.f["web_secret"], "post"),
                (self.f["consumer"], self.f["consumer_secret"], "basic")):
            with self.subTest(client=client):
                t = ac.token_request(copy_id, client, secret, method)
                self.assertStatus(t, 200)
                header, claims = ac.verify_jws(t.json["access_token"], jwks)
                self.assertIn(header["kid"], {k["kid"] for k in doc["keys"]})
                self.assertEqual(claims["iss"], ac.issuer(copy_id))
        self.assertEqual(ac.jose_header(ac.token_request(
            copy_id, self.f["web"], self.f["web_secret"],
            "post").json["access_token"])["alg"], "ES256")
        # the password hash survived: the user has the same password set
        u = ac.admin("GET", ac.users_path(copy_id) + "?username="
                     + quote(self.f["alice"]["username"])).json["items"][0]
        self.assertTrue(u["passwordSet"])

    def test_events(self):
        doc = ac.export_doc(self, self.realm)
        r = ac.admin("GET", realm_path(self.realm, "events")
                     + "?type=realm.export")
        self.assertEqual(r.json["items"][0]["details"],
                         {"includeSecrets": False})
        ac.export_doc(self, self.realm, include_secrets=True)
        r = ac.admin("GET", realm_path(self.realm, "events")
                     + "?type=realm.export")
        self.assertEqual(r.json["items"][0]["details"],
                         {"includeSecrets": True})
        copy_id = self.import_copy(doc)
        events = ac.admin("GET", realm_path(copy_id, "events")).json
        # one event for the whole import, none per resource
        self.assertEqual([e["type"] for e in events["items"]],
                         ["realm.import"])
        after = events["items"][0]["details"]["after"]
        self.assertEqual(after["counts"]["clients"], 3)
        self.assertEqual(after["counts"]["users"], 3)
        self.assertEqual(after["counts"]["consumers"], 2)
        self.assertEqual(after["counts"]["secrets"], 0)
        self.assertFalse(after["privateKeys"])
        self.assertNotIn("smtp-Pa55", json.dumps(events))


class ExportErrorsTest(ac.RealmTestCase):
    """Every failure class; a refused import leaves nothing behind."""

    fixture = "client"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ac.create_client(cls.realm, grant_types=("authorization_code",),
                         extra={"redirectUris": ["https://a.example/cb"]})
        cls.user = ac.create_user(cls.realm)
        cls.doc = ac.export_doc(None, cls.realm)

    def refused(self, doc, status, field=None):
        """Imports doc (as a fresh realm unless doc says otherwise) and
        asserts the problem and that no realm was created."""
        r = ac.import_realm(doc)
        realm_id = doc.get("realm", {}).get("realmId") if isinstance(
            doc, dict) else None
        if realm_id and realm_id != self.realm:
            self.addCleanup(ac.delete_realm_quietly, realm_id)
        self.assertProblem(r, status, field)
        if realm_id and realm_id != self.realm:
            self.assertRealmAbsent(realm_id)
        return r

    def fresh(self):
        return ac.renamed(self.doc, ac.unique("bad"))

    def test_400_bad_client_names_its_place_in_the_document(self):
        doc = self.fresh()
        doc["clients"][1]["redirectUris"] = ["https://ok.example/cb",
                                             "http://evil.example/cb"]
        r = self.refused(doc, 400, "clients[1].redirectUris[1]")
        self.assertTrue(r.json["detail"].startswith(
            "clients[1].redirectUris[1] "), r.json["detail"])

    def test_400_nested_fields(self):
        cases = [
            (lambda d: d["clients"][0].update(grantTypes=["password"]),
             "clients[0].grantTypes"),
            (lambda d: d["clients"][0].update(color="red"),
             "clients[0].color"),
            (lambda d: d["users"][0].update(email="not-an-email"),
             "users[0].email"),
            (lambda d: d["users"][0].update(roles=[{"name": "nope"}]),
             "users[0].roles[0].name"),
            (lambda d: d["roles"].append({"name": "r", "composites": [
                {"name": "no-such-global", "global": True}]}),
             "roles[0].composites[0].name"),
            (lambda d: d["scopes"].append({"name": "a b"}), "scopes[0].name"),
            (lambda d: d["realm"].update(name=""), "realm.name"),
            (lambda d: d["settings"]["tokens"].update(
                accessTokenLifetime=-1),
             "settings.tokens.accessTokenLifetime"),
            (lambda d: d["settings"].update(colors={}), "settings.colors"),
            (lambda d: d["keys"][0].update(alg="HS256"), "keys[0].alg"),
            (lambda d: d["users"].append("eve"), "users[1]"),
            (lambda d: d["users"][0].update(passwordHash="md5:abc"),
             "users[0].passwordHash"),
            (lambda d: d["clients"][0].update(secrets=[
                {"createdAt": "2030-01-01T00:00:00Z", "status": "active",
                 "secretHash": "XYZ"}]), "clients[0].secrets[0].secretHash"),
            (lambda d: d["clients"][0].update(users=["nobody"]),
             "clients[0].users[0]"),
        ]
        for change, field in cases:
            with self.subTest(field=field):
                doc = self.fresh()
                change(doc)
                self.refused(doc, 400, field)

    def test_400_duplicate_names_in_the_document(self):
        doc = self.fresh()
        doc["clients"].append(dict(doc["clients"][0]))
        self.refused(doc, 400, "clients[2].clientId")
        doc = self.fresh()
        doc["users"].append(dict(doc["users"][0]))
        self.refused(doc, 400, "users[1].username")

    def test_400_unknown_member_and_version(self):
        doc = self.fresh()
        doc["groups"] = []
        self.refused(doc, 400, "groups")
        doc = self.fresh()
        doc["authioExport"] = 2
        self.refused(doc, 400, "authioExport")
        doc = self.fresh()
        del doc["authioExport"]
        self.refused(doc, 400, "authioExport")
        self.assertProblem(ac.import_realm(b"[1, 2]"), 400)
        self.assertProblem(ac.import_realm(b'{"authioExport": 1,'), 400)
        self.assertProblem(ac.admin("GET", realm_path(self.realm, "export")
                                    + "?includeSecrets=yes"), 400,
                           "includeSecrets")

    def test_400_keys_all_or_none_private(self):
        doc = ac.renamed(ac.export_doc(self, self.realm, include_secrets=True),
                         ac.unique("bad"))
        del doc["keys"][1]["privateJwk"]
        self.refused(doc, 400, "keys[1].privateJwk")
        doc = ac.renamed(ac.export_doc(self, self.realm, include_secrets=True),
                         ac.unique("bad"))
        other = doc["keys"][1]["privateJwk"]
        doc["keys"][0]["privateJwk"] = other
        self.refused(doc, 400, "keys[0].privateJwk")

    def test_a_late_failure_leaves_nothing(self):
        # everything up to the last user is valid and was written
        doc = self.fresh()
        doc["users"].append({"username": "z-last", "requiredActions": ["FLY"]})
        self.refused(doc, 400, "users[1].requiredActions")
        r = ac.admin("GET", "/realms?q=" + quote(doc["realm"]["realmId"]))
        self.assertEqual(r.json["total"], 0)

    def test_401(self):
        r = ac.request("GET", "/api/admin" + realm_path(self.realm, "export"))
        self.assertProblem(r, 401)
        r = ac.request("POST", "/api/admin/realms/import",
                       json_body=self.fresh())
        self.assertProblem(r, 401)

    def test_403(self):
        client, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", client, secret).json["access_token"]
        self.assertProblem(ac.export_realm(self.realm, token=token), 403)
        self.refused_with(token, 403)

    def refused_with(self, token, status):
        doc = self.fresh()
        self.addCleanup(ac.delete_realm_quietly, doc["realm"]["realmId"])
        self.assertProblem(ac.import_realm(doc, token=token), status)
        self.assertRealmAbsent(doc["realm"]["realmId"])

    def test_403_realm_admin_may_not_export_secrets_or_import(self):
        if not ac.db_available():
            self.skipTest("needs the database to grant realm-admin")
        token = ac.master_token_with_roles(self, "realm-admin:" + self.realm)
        self.assertStatus(ac.export_realm(self.realm, token=token), 200)
        self.assertProblem(ac.export_realm(self.realm, include_secrets=True,
                                           token=token), 403)
        self.refused_with(token, 403)
        viewer = ac.master_token_with_roles(self, "realm-viewer:" + self.realm)
        self.assertStatus(ac.export_realm(self.realm, token=viewer), 200)

    def test_404(self):
        self.assertProblem(ac.export_realm(ac.unique("nope")), 404)

    def test_409_existing_realm_is_left_as_it_was(self):
        before = ac.admin("GET", realm_path(self.realm)).json
        doc = json.loads(json.dumps(self.doc))
        doc["realm"]["name"] = "Overwritten?"
        self.refused(doc, 409)
        after = ac.admin("GET", realm_path(self.realm)).json
        self.assertEqual(after, before)
        self.assertEqual(ac.export_doc(self, self.realm)["clients"],
                         self.doc["clients"])

    def test_413(self):
        doc = self.fresh()
        doc["users"] = [{"username": "u%06d" % i, "firstName": "x" * 200}
                        for i in range(5000)]
        body = json.dumps(doc).encode()
        self.assertGreater(len(body), 1024 * 1024)
        r = ac.import_realm(body)
        self.assertEqual(r.status, 413, repr(r))
        self.assertRealmAbsent(doc["realm"]["realmId"])


class ExportPagingTest(ac.RealmTestCase):
    """More users than one page of the export (500): every one, in order,
    each with its own role mappings."""

    def test_users_over_several_pages(self):
        if not ac.db_available():
            self.skipTest("needs the database to load many users")
        must(ac.admin("POST", realm_path(self.realm, "roles"),
                      {"name": "odd"}), 201)
        realm_uuid = ac.db_scalar("SELECT id FROM realms WHERE realm_id = "
                                  + ac.sql_str(self.realm))
        ac.db_query(
            "INSERT INTO users (id, realm_id, username, created_at, "
            "updated_at) SELECT UUID(), %s, CONCAT('p', LPAD(seq, 5, '0')), "
            "NOW(), NOW() FROM seq_1_to_1203" % ac.sql_str(realm_uuid))
        ac.db_query(
            "INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id "
            "FROM users u JOIN roles r ON r.realm_id = u.realm_id AND "
            "r.name = 'odd' WHERE u.realm_id = %s AND "
            "MOD(CAST(SUBSTRING(u.username, 2) AS UNSIGNED), 2) = 1"
            % ac.sql_str(realm_uuid))
        doc = ac.export_doc(self, self.realm, include_secrets=True)
        names = [u["username"] for u in doc["users"]]
        self.assertEqual(names, ["p%05d" % i for i in range(1, 1204)])
        for u in doc["users"]:
            odd = int(u["username"][1:]) % 2 == 1
            self.assertEqual(u["roles"], [{"name": "odd"}] if odd else [],
                             u["username"])
            self.assertNotIn("passwordHash", u)
        copy_id = ac.unique("copy")
        self.addCleanup(ac.delete_realm_quietly, copy_id)
        self.assertStatus(ac.import_realm(ac.renamed(doc, copy_id)), 201)
        self.assertEqual(ac.export_doc(self, copy_id, True)["users"],
                         doc["users"])


@unittest.skipUnless(BIN and CONFIG and os.path.exists(
    os.path.join(BIN, "authioctl")), "needs AUTHIO_BIN and AUTHIO_CONFIG")
class AuthioctlExportTest(ac.AuthioTestCase):
    """authioctl export / import: the same documents, without HTTP."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.client, _ = ac.create_client(cls.realm)
        cls.secret, _ = ac.create_secret(cls.realm, cls.client)
        ac.create_user(cls.realm, attributes={"a": "b"})

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def ctl(self, *args, stdin=None):
        return subprocess.run([os.path.join(BIN, "authioctl"), "-c", CONFIG]
                              + list(args), input=stdin, capture_output=True,
                              timeout=120)

    def test_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "realm.json")
            out = self.ctl("export", self.realm, "--include-secrets",
                           "-o", path)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            # the same document as over HTTP
            self.assertEqual(doc, ac.export_doc(self, self.realm, True))
            copy_id = ac.unique("ctl")
            self.addCleanup(ac.delete_realm_quietly, copy_id)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(ac.renamed(doc, copy_id), f)
            out = self.ctl("import", path)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn(copy_id, out.stdout.decode())
        self.assertEqual(ac.export_doc(self, copy_id, True),
                         ac.renamed(doc, copy_id))
        t = ac.token_request(copy_id, self.client, self.secret)
        self.assertStatus(t, 200)
        events = ac.admin("GET", realm_path(copy_id, "events")).json["items"]
        self.assertEqual([(e["type"], e["actor"]) for e in events
                          if e["type"] == "realm.import"],
                         [("realm.import", "authioctl")])
        # export to stdout; import from stdin
        out = self.ctl("export", copy_id)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout), ac.export_doc(self, copy_id))

    def test_refusals(self):
        doc = ac.renamed(ac.export_doc(self, self.realm), ac.unique("ctl"))
        doc["clients"][0]["redirectUris"] = ["not a uri"]
        out = self.ctl("import", "-", stdin=json.dumps(doc).encode())
        self.assertEqual(out.returncode, 1)
        self.assertIn(b"clients[0].redirectUris[0]", out.stderr)
        self.assertRealmAbsent(doc["realm"]["realmId"])
        out = self.ctl("import", "-", stdin=json.dumps(
            ac.export_doc(self, self.realm)).encode())
        self.assertEqual(out.returncode, 1)
        self.assertIn(b"already exists", out.stderr)
        out = self.ctl("export", ac.unique("nope"))
        self.assertEqual(out.returncode, 1)
        self.assertIn(b"does not exist", out.stderr)
        out = self.ctl("import", "-", stdin=b"not json")
        self.assertEqual(out.returncode, 1)


if __name__ == "__main__":
    unittest.main()
