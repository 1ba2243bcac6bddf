"""GET /api/admin/realms/{realmId}/posture: each finding appears when its
weakness is there and disappears once fixed, and the score moves with it
(100 - 15 per high, 8 per medium, 3 per low finding).

Aged resources (a key that signed for days, a secret created 100 days
ago) come from the admin API's realm import with createdAt set back; the
two weaknesses the API cannot create (an http redirect URI outside
loopback, a public client without PKCE: both refused at registration, but
present in databases from before those rules) are written with the test
DB helper."""

import datetime
import time

import authio_client as ac
from test_key_rotation import aged_realm, keys, keys_path

WEIGHT = {"high": 15, "medium": 8, "low": 3}


def posture(realm, token=None):
    r = ac.admin("GET", "/realms/%s/posture" % ac.quote(realm), token=token)
    if r.status != 200:
        raise AssertionError("posture: %r" % r)
    return r.json


def ids(p, resource=None):
    return [f["id"] for f in p["findings"]
            if resource is None or f.get("resource") == resource]


def at(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def secrets_path(realm, client, *rest):
    return "/".join(["/realms/%s/clients/%s/secrets" % (ac.quote(realm),
                                                        ac.quote(client))]
                    + list(rest))


class PostureTestCase(ac.AuthioTestCase):

    def realm(self):
        realm, _ = ac.create_realm(self)
        return realm

    def assertFinding(self, p, fid, resource=None, present=True):
        found = fid in ids(p, resource)
        self.assertEqual(found, present, "%s %s in %r" % (
            fid, "missing" if present else "still", p["findings"]))

    def assertScore(self, p):
        expected = max(0, 100 - sum(WEIGHT[f["severity"]]
                                    for f in p["findings"]))
        self.assertEqual(p["score"], expected)
        for f in p["findings"]:
            self.assertIn(f["severity"], WEIGHT)
            self.assertTrue(f["message"] and f["fix"])

    def cycle(self, realm, fid, resource, fix, severity):
        """fid is there; after fix() it is gone and the score rose by the
        finding's weight."""
        before = posture(realm)
        self.assertFinding(before, fid, resource)
        self.assertScore(before)
        self.assertEqual([f["severity"] for f in before["findings"]
                          if f["id"] == fid
                          and (resource is None
                               or f.get("resource") == resource)],
                         [severity])
        fix()
        after = posture(realm)
        self.assertFinding(after, fid, resource, present=False)
        self.assertScore(after)
        if before["score"] > 0:
            self.assertEqual(after["score"],
                             min(100, before["score"] + WEIGHT[severity]))
        return after

    def put_settings(self, realm, name, doc):
        self.assertStatus(ac.admin("PUT", "/realms/%s/settings/%s"
                                   % (ac.quote(realm), name), doc), 200)


class SettingsFindingsTest(PostureTestCase):

    def test_a_fresh_realm(self):
        p = posture(self.realm())
        self.assertEqual(ids(p), ["email-verification-off"])
        self.assertEqual(p["score"], 97)

    def test_rotation_off(self):
        realm = self.realm()
        self.put_settings(realm, "tokens", {"keyRotationDays": 0})
        self.cycle(realm, "key-rotation-off", None, lambda: self.put_settings(
            realm, "tokens", {"keyRotationDays": 90}), "medium")

    def test_lockout_disabled(self):
        realm = self.realm()
        self.put_settings(realm, "policies", {"lockout": {"enabled": False}})
        self.cycle(realm, "lockout-disabled", None, lambda: self.put_settings(
            realm, "policies", {}), "high")

    def test_weak_password_policy(self):
        realm = self.realm()
        for weak in ({"minLength": 6}, {"denylist": False}):
            with self.subTest(weak=weak):
                self.put_settings(realm, "policies", {"password": weak})
                self.cycle(realm, "weak-password-policy", None,
                           lambda: self.put_settings(realm, "policies", {}),
                           "medium")

    def test_email_verification_off(self):
        realm = self.realm()
        self.cycle(realm, "email-verification-off", None,
                   lambda: self.put_settings(realm, "policies", {
                       "emailVerification": {"required": True}}), "low")

    def test_viewer_may_read_others_may_not(self):
        realm = self.realm()
        viewer = ac.master_token_with_roles(self, "realm-viewer:" + realm)
        self.assertEqual(posture(realm, token=viewer)["score"], 97)
        other = ac.master_token_with_roles(self, "realm-viewer:" + realm
                                           + "-other")
        r = ac.admin("GET", "/realms/%s/posture" % ac.quote(realm),
                     token=other)
        self.assertProblem(r, 403)
        self.assertProblem(ac.admin("GET", "/realms/%s/posture"
                                    % ac.unique("nope")), 404)


class KeyFindingsTest(PostureTestCase):

    def test_key_rotation_overdue(self):
        realm, _, _ = aged_realm(self, days=3, rotation_days=1)
        p = posture(realm)
        rs = keys(realm)[0]["kid"]
        es = keys(realm, "ES256")[0]["kid"]
        self.assertFinding(p, "key-rotation-overdue", rs)
        self.assertFinding(p, "key-rotation-overdue", es)
        self.assertStatus(ac.admin("POST", keys_path(realm, es, rotate=True)),
                          201)
        self.cycle(realm, "key-rotation-overdue", rs, lambda: ac.admin(
            "POST", keys_path(realm, rs, rotate=True)), "high")


class SecretFindingsTest(PostureTestCase):

    def test_secret_expiring(self):
        realm = self.realm()
        client, _ = ac.create_client(realm)
        r = ac.admin("POST", secrets_path(realm, client),
                     {"expiresAt": at(5 * 86400)})
        self.assertStatus(r, 201)
        sid = r.json["id"]
        self.cycle(realm, "secret-expiring", client + "/" + sid,
                   lambda: self.assertStatus(ac.admin(
                       "POST", secrets_path(realm, client, sid, "rotate"),
                       {"gracePeriodSeconds": 3600}), 201), "medium")

    def test_secret_expired(self):
        realm = self.realm()
        client, _ = ac.create_client(realm)
        r = ac.admin("POST", secrets_path(realm, client), {"expiresAt": at(2)})
        sid = r.json["id"]
        time.sleep(3)
        self.cycle(realm, "secret-expired", client + "/" + sid,
                   lambda: ac.create_secret(realm, client), "high")

    def test_consumer_secret_expiring(self):
        realm = self.realm()
        consumer, _ = ac.create_consumer(realm)
        r = ac.admin("POST", ac.consumers_path(realm, consumer, "secrets"),
                     {"expiresAt": at(86400)})
        self.assertStatus(r, 201)
        self.cycle(realm, "secret-expiring", consumer + "/" + r.json["id"],
                   lambda: ac.create_consumer_secret(realm, consumer),
                   "medium")

    def test_client_without_secret(self):
        realm = self.realm()
        client, _ = ac.create_client(realm)
        self.cycle(realm, "client-without-secret", client,
                   lambda: ac.create_secret(realm, client), "medium")

    def test_old_secret_never_rotated_and_unused_client(self):
        src, client, secret = ac.realm_with_client(self)
        doc = ac.renamed(ac.export_doc(self, src, include_secrets=True),
                         ac.unique("old"))
        for s in doc["clients"][0]["secrets"]:
            s["createdAt"] = at(-100 * 86400)
        self.assertStatus(ac.import_realm(doc), 201)
        realm = doc["realm"]["realmId"]
        self.addCleanup(ac.delete_realm_quietly, realm)
        p = posture(realm)
        self.assertFinding(p, "unused-client", client)
        # a token: the client is in use again
        self.cycle(realm, "unused-client", client, lambda: self.assertStatus(
            ac.token_request(realm, client, secret), 200), "low")
        sid = ac.admin("GET", secrets_path(realm, client)).json[
            "items"][0]["id"]
        self.cycle(realm, "secret-never-rotated", client + "/" + sid,
                   lambda: self.assertStatus(ac.admin(
                       "POST", secrets_path(realm, client, sid, "rotate"),
                       {"gracePeriodSeconds": 0}), 201), "medium")


class ClientFindingsTest(PostureTestCase):

    def test_public_client_without_pkce(self):
        # registration refuses it: written with the DB helper
        realm = self.realm()
        client, _ = ac.create_client(
            realm, ctype="public", grant_types=("authorization_code",),
            extra={"redirectUris": ["https://app.example/cb"],
                   "tokenEndpointAuthMethod": "none"})
        ac.db_query(
            "UPDATE clients c JOIN realms r ON r.id = c.realm_id "
            "SET c.pkce_required = 0 WHERE r.realm_id = %s AND "
            "c.client_id = %s" % (ac.sql_str(realm), ac.sql_str(client)))
        self.cycle(realm, "public-client-without-pkce", client,
                   lambda: self.assertStatus(ac.admin(
                       "PATCH", "/realms/%s/clients/%s" % (
                           ac.quote(realm), ac.quote(client)),
                       {"pkceRequired": True}), 200), "high")

    def test_http_redirect_uri(self):
        # registration refuses it (oauth_uri.h): written with the DB helper
        realm = self.realm()
        client, _ = ac.create_client(
            realm, grant_types=("authorization_code",),
            extra={"redirectUris": ["http://127.0.0.1:8080/cb"]})
        ac.create_secret(realm, client)
        uri = "http://app.example/cb"
        ac.db_query(
            "INSERT INTO client_uris (id, client_id, kind, uri, uri_sha256) "
            "SELECT UUID(), c.id, 'redirect', %s, SHA2(%s, 256) FROM clients c"
            " JOIN realms r ON r.id = c.realm_id WHERE r.realm_id = %s AND "
            "c.client_id = %s" % (ac.sql_str(uri), ac.sql_str(uri),
                                  ac.sql_str(realm), ac.sql_str(client)))
        p = posture(realm)
        self.assertEqual([f["id"] for f in p["findings"]
                          if f["id"] == "http-redirect-uri"],
                         ["http-redirect-uri"])    # loopback is fine
        self.cycle(realm, "http-redirect-uri", client,
                   lambda: self.assertStatus(ac.admin(
                       "PATCH", "/realms/%s/clients/%s" % (
                           ac.quote(realm), ac.quote(client)),
                       {"redirectUris": ["http://127.0.0.1:8080/cb",
                                         "https://app.example/cb"]}), 200),
                   "high")


class AdminFindingsTest(PostureTestCase):

    def test_admin_without_recent_login(self):
        realm = self.realm()
        role = "realm-admin:" + realm
        r = ac.admin("POST", "/realms/master/roles", {"name": role})
        self.assertIn(r.status, (201, 409))
        self.addCleanup(ac.admin, "DELETE", "/realms/master/roles/"
                        + ac.quote(role))
        user = ac.create_user("master")
        self.addCleanup(ac.admin, "DELETE", ac.users_path("master",
                                                          user["id"]))
        path = "/realms/master/users/%s/roles" % ac.quote(user["id"])
        self.assertStatus(ac.admin("POST", path, [{"name": role}]), 204)
        self.cycle(realm, "admin-without-recent-login", user["username"],
                   lambda: self.assertStatus(ac.admin(
                       "DELETE", path, [{"name": role}]), 204), "medium")
