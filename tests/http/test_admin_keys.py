"""The admin REST API for a realm's keys:
/api/admin/realms/{realmId}/keys[/{kid}[/rotate]].

Keys are published in the JWKS at once but sign only once every cached
copy of the JWKS can hold them (publish before sign); the test stack runs
with metadata_max_age=2 and cache_ttl=1, so that takes three seconds."""

import json
import os
import subprocess
import time
import unittest

import authio_client as ac
from test_bad_input import ONE_MIB, JsonRouteMatrix


def keys_path(realm, kid=None, rotate=False):
    p = "/realms/%s/keys" % ac.quote(realm)
    if kid is not None:
        p += "/" + ac.quote(kid)
    if rotate:
        p += "/rotate"
    return p


def key_of(realm, alg, status="active"):
    r = ac.admin("GET", keys_path(realm) + "?status=" + status)
    mine = [k for k in r.json["items"] if k["alg"] == alg]
    if len(mine) != 1:
        raise AssertionError("%d %s %s keys in %s" % (len(mine), status, alg,
                                                       realm))
    return mine[0]


def jwks_kids(realm):
    return {k["kid"]: k for k in ac.fetch_jwks(realm)["keys"]}


def token_kid(realm, client, secret):
    t = ac.token_request(realm, client, secret)
    if t.status != 200:
        raise AssertionError("token: %r" % t)
    return ac.jose_header(t.json["access_token"])["kid"], t.json["access_token"]


class KeyReadTest(ac.RealmTestCase):

    def test_new_realm_has_rs256_and_es256_public_only(self):
        r = ac.admin("GET", keys_path(self.realm))
        self.assertStatus(r, 200)
        body = self.assertJson(r)
        self.assertEqual(body["total"], 2)
        self.assertEqual(sorted(k["alg"] for k in body["items"]),
                         ["ES256", "RS256"])
        published = jwks_kids(self.realm)
        for k in body["items"]:
            self.assertEqual(k["use"], "sig")
            self.assertEqual(k["status"], "active")
            self.assertEqual(k["version"], 1)
            created = self.assertRfc3339Utc(k["createdAt"])
            # a realm's first keys sign at once: nothing was published before
            self.assertEqual(self.assertRfc3339Utc(k["activatedAt"]), created)
            self.assertIsNone(k["rotatedAt"])
            self.assertIsNone(k["retiredAt"])
            self.assertEqual(k["publicJwk"]["kid"], k["kid"])
            for member in ac.PRIVATE_MEMBERS:
                self.assertNotIn(member, k["publicJwk"])
            self.assertIn(k["kid"], published)
        self.assertNotIn("sealed", r.text)
        self.assertNotIn("private", r.text.lower())

    def test_get_one_with_etag(self):
        k = key_of(self.realm, "RS256")
        r = ac.admin("GET", keys_path(self.realm, k["kid"]))
        self.assertStatus(r, 200)
        self.assertEqual(r.json, k)
        self.assertEqual(r.header("ETag"), '"%d"' % k["version"])

    def test_status_filter_and_paging(self):
        self.assertEqual(ac.admin("GET", keys_path(self.realm) +
                                  "?status=active").json["total"], 2)
        self.assertEqual(ac.admin("GET", keys_path(self.realm) +
                                  "?status=retired").json["total"], 0)
        page = ac.admin("GET", keys_path(self.realm) + "?limit=1&offset=1")
        self.assertEqual(page.json["total"], 2)
        self.assertEqual(len(page.json["items"]), 1)
        kid = key_of(self.realm, "ES256")["kid"]
        q = ac.admin("GET", keys_path(self.realm) + "?q=" + ac.quote(kid[:6]))
        self.assertIn(kid, [k["kid"] for k in q.json["items"]])
        for query, field in (("?status=gone", "status"), ("?limit=0", "limit"),
                             ("?offset=-1", "offset")):
            with self.subTest(query=query):
                self.assertProblem(ac.admin("GET", keys_path(self.realm) + query),
                                   400, field=field)

    def test_unknown_kid_and_realm_are_404(self):
        ghost = "no-such-kid-" + ac.unique("k")
        for method, path, body in (
                ("GET", keys_path(self.realm, ghost), None),
                ("PATCH", keys_path(self.realm, ghost), {"status": "passive"}),
                ("DELETE", keys_path(self.realm, ghost), None),
                ("POST", keys_path(self.realm, ghost, rotate=True), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body), 404)
        nope = ac.unique("nope")
        self.assertProblem(ac.admin("GET", keys_path(nope)), 404)
        self.assertProblem(ac.admin("POST", keys_path(nope), {"alg": "ES256"}),
                           404)
        self.assertRealmAbsent(nope)


class KeyCreateTest(ac.RealmTestCase):

    def test_generate_every_algorithm(self):
        for alg, use, kty in (("PS256", "sig", "RSA"), ("EdDSA", "sig", "OKP"),
                              ("ES256", None, "EC"),
                              ("RSA-OAEP-256", "enc", "RSA"),
                              ("ECDH-ES", None, "EC")):
            with self.subTest(alg=alg):
                body = {"alg": alg} if use is None else {"alg": alg, "use": use}
                t0 = time.time()
                r = ac.admin("POST", keys_path(self.realm), body)
                self.assertStatus(r, 201)
                k = self.assertJson(r)
                self.assertTrue(r.header("Location", "").endswith(
                    "/api/admin" + keys_path(self.realm, k["kid"])), repr(r))
                self.assertEqual(r.header("ETag"), '"1"')
                self.assertEqual(k["alg"], alg)
                self.assertEqual(k["use"], "enc" if alg in (
                    "RSA-OAEP-256", "ECDH-ES") else "sig")
                self.assertEqual(k["status"], "active")
                self.assertEqual(k["publicJwk"]["kty"], kty)
                self.assertEqual(k["publicJwk"]["use"], k["use"])
                for member in ac.PRIVATE_MEMBERS:
                    self.assertNotIn(member, k["publicJwk"])
                # publish before sign: it may sign only once every cached
                # JWKS can hold it (metadata_max_age + cache_ttl later)
                created = self.assertRfc3339Utc(k["createdAt"])
                activated = self.assertRfc3339Utc(k["activatedAt"])
                self.assertGreaterEqual(activated - created, 2)
                self.assertGreater(activated, t0)
                got = ac.admin("GET", keys_path(self.realm, k["kid"]))
                self.assertEqual(got.json, k)

        def published():
            kids = jwks_kids(self.realm)
            uses = sorted((v["alg"], v.get("use")) for v in kids.values())
            self.assertIn(("RSA-OAEP-256", "enc"), uses)
            self.assertIn(("ECDH-ES", "enc"), uses)
            self.assertIn(("EdDSA", "sig"), uses)
            self.assertIn(("PS256", "sig"), uses)
            for v in kids.values():
                for member in ac.PRIVATE_MEMBERS:
                    self.assertNotIn(member, v)
        ac.eventually(published)

    def test_validation(self):
        before = ac.admin("GET", keys_path(self.realm)).json["total"]
        for body, field in (({}, "alg"), ({"alg": "HS256"}, "alg"),
                            ({"alg": "none"}, "alg"), ({"alg": 256}, "alg"),
                            ({"alg": "RS256", "use": "enc"}, "use"),
                            ({"alg": "RSA-OAEP-256", "use": "sig"}, "use"),
                            ({"alg": "ES256", "use": "both"}, "use"),
                            ({"alg": "ES256", "kid": "mine"}, "kid"),
                            ({"alg": "ES256", "d": "private"}, "d"),
                            ({"alg": "ES256", "status": "passive"}, "status")):
            with self.subTest(body=body):
                self.assertProblem(ac.admin("POST", keys_path(self.realm), body),
                                   400, field=field)
        self.assertEqual(ac.admin("GET", keys_path(self.realm)).json["total"],
                         before)

    def test_encryption_keys_never_sign(self):
        realm, client, secret = ac.realm_with_client(self)
        enc = ac.admin("POST", keys_path(realm), {"alg": "RSA-OAEP-256"}).json
        ac.settle()
        kid, _ = token_kid(realm, client, secret)
        self.assertEqual(kid, key_of(realm, "RS256")["kid"])
        self.assertNotEqual(kid, enc["kid"])
        self.assertEqual(jwks_kids(realm)[enc["kid"]]["use"], "enc")

    def test_create_is_audited(self):
        k = ac.admin("POST", keys_path(self.realm), {"alg": "EdDSA"}).json
        r = ac.admin("GET", "/realms/%s/events?type=key.create&resourceId=%s"
                     % (ac.quote(self.realm), ac.quote(k["kid"])))
        self.assertEqual(r.json["total"], 1)
        ev = r.json["items"][0]
        self.assertEqual(ev["resourceType"], "key")
        self.assertEqual(ev["details"]["after"]["kid"], k["kid"])
        self.assertEqual(ev["details"]["after"]["publicJwk"], k["publicJwk"])
        for member in ("d", "p", "q", "sealed"):
            self.assertNotIn('"%s"' % member, json.dumps(ev))


class KeyRotationTest(ac.AuthioTestCase):
    """Publish before sign, end to end through nginx and its JWKS cache."""

    def test_rotate_publishes_first_then_signs(self):
        realm, client, secret = ac.realm_with_client(self)
        old = key_of(realm, "RS256")
        kid, old_token = token_kid(realm, client, secret)
        self.assertEqual(kid, old["kid"])

        r = ac.admin("POST", keys_path(realm, old["kid"], rotate=True))
        self.assertStatus(r, 201)
        new = self.assertJson(r)
        self.assertTrue(r.header("Location", "").endswith(
            "/api/admin" + keys_path(realm, new["kid"])), repr(r))
        self.assertNotEqual(new["kid"], old["kid"])
        self.assertEqual((new["alg"], new["use"], new["status"]),
                         ("RS256", "sig", "active"))
        rotated = ac.admin("GET", keys_path(realm, old["kid"])).json
        self.assertEqual(rotated["status"], "passive")
        self.assertIsNotNone(rotated["rotatedAt"])
        self.assertEqual(rotated["version"], old["version"] + 1)

        # at once: the old key still signs, even though it is passive now
        for _ in range(3):
            kid, _ = token_kid(realm, client, secret)
            self.assertEqual(kid, old["kid"])

        # the new key is published (within the caches' bound) before it signs
        def both_published():
            kids = jwks_kids(realm)
            self.assertIn(new["kid"], kids)
            self.assertIn(old["kid"], kids)
        ac.eventually(both_published)

        ac.settle()
        kid, new_token = token_kid(realm, client, secret)
        self.assertEqual(kid, new["kid"])
        jwks = ac.fetch_jwks(realm)
        ac.verify_jws(new_token, jwks)
        # the passive key still verifies what it signed
        header, _ = ac.verify_jws(old_token, jwks)
        self.assertEqual(header["kid"], old["kid"])

        # retired: gone from the JWKS
        r = ac.admin("PATCH", keys_path(realm, old["kid"]), {"status": "retired"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "retired")
        self.assertIsNotNone(r.json["retiredAt"])

        # once every worker's and nginx's cache is past its bound; nginx
        # (fastcgi_cache_use_stale updating) may still hand out the expired
        # copy for the moment it takes to store the fresh one
        ac.settle()

        def retired_unpublished():
            self.assertNotIn(old["kid"], jwks_kids(realm))
            with self.assertRaises(AssertionError):
                ac.verify_jws(old_token, ac.fetch_jwks(realm))
        ac.eventually(retired_unpublished, timeout=2)
        kid, _ = token_kid(realm, client, secret)
        self.assertEqual(kid, new["kid"])

        types = [e["type"] for e in ac.admin(
            "GET", "/realms/%s/events?resourceType=key" % ac.quote(realm))
            .json["items"]]
        self.assertEqual(types[:2], ["key.update", "key.rotate"])
        rot = ac.admin("GET", "/realms/%s/events?type=key.rotate"
                       % ac.quote(realm)).json["items"][0]
        self.assertEqual(rot["resourceId"], old["kid"])
        self.assertEqual(rot["details"]["before"]["status"], "active")
        self.assertEqual(rot["details"]["after"]["kid"], new["kid"])

    def test_es256_client_follows_rotation(self):
        realm, client, secret = ac.realm_with_client(self)
        r = ac.admin("PATCH", "/realms/%s/clients/%s" % (ac.quote(realm),
                                                        ac.quote(client)),
                     {"tokenSettings": {"signingAlg": "ES256"}})
        self.assertStatus(r, 200)
        ac.settle()
        old = key_of(realm, "ES256")
        self.assertEqual(token_kid(realm, client, secret)[0], old["kid"])
        new = ac.admin("POST", keys_path(realm, old["kid"], rotate=True)).json
        self.assertEqual(new["alg"], "ES256")
        self.assertEqual(token_kid(realm, client, secret)[0], old["kid"])
        ac.settle()
        kid, token = token_kid(realm, client, secret)
        self.assertEqual(kid, new["kid"])
        self.assertEqual(ac.jose_header(token)["alg"], "ES256")
        ac.verify_jws(token, ac.fetch_jwks(realm))

    def test_retired_key_cannot_be_rotated(self):
        realm, _ = ac.create_realm(self)
        k = ac.admin("POST", keys_path(realm), {"alg": "EdDSA"}).json
        self.assertStatus(ac.admin("PATCH", keys_path(realm, k["kid"]),
                                   {"status": "retired"}), 200)
        self.assertProblem(ac.admin("POST", keys_path(realm, k["kid"],
                                                      rotate=True)), 409)
        self.assertProblem(ac.admin("POST", keys_path(realm, k["kid"],
                                                      rotate=True),
                                    {"alg": "RS256"}), 400, field="alg")


class KeyStatusTest(ac.RealmTestCase):

    def patch(self, realm, kid, status, **kw):
        return ac.admin("PATCH", keys_path(realm, kid), {"status": status}, **kw)

    def test_last_active_rs256_key_stays(self):
        realm, _ = ac.create_realm(self)
        rs = key_of(realm, "RS256")
        for status in ("passive", "retired"):
            with self.subTest(status=status):
                body = self.assertProblem(self.patch(realm, rs["kid"], status),
                                          409, field="status")
                self.assertIn("RS256", body["detail"])
        self.assertEqual(ac.admin("GET", keys_path(realm, rs["kid"]))
                         .json["status"], "active")
        # with a successor the old one may go
        new = ac.admin("POST", keys_path(realm), {"alg": "RS256"}).json
        r = self.patch(realm, rs["kid"], "retired")
        self.assertStatus(r, 200)
        # and now the successor is the last one
        self.assertProblem(self.patch(realm, new["kid"], "passive"), 409,
                           field="status")

    def test_algorithm_named_by_a_client_keeps_an_active_key(self):
        realm, _ = ac.create_realm(self)
        es = key_of(realm, "ES256")
        cid, _ = ac.create_client(realm, extra={
            "tokenSettings": {"signingAlg": "ES256"}})
        body = self.assertProblem(self.patch(realm, es["kid"], "passive"), 409,
                                  field="status")
        self.assertIn(cid, body["detail"])
        self.assertStatus(ac.admin("DELETE", "/realms/%s/clients/%s"
                                   % (ac.quote(realm), ac.quote(cid))), 204)
        # nobody names ES256 any more: it may become passive, and back
        r = self.patch(realm, es["kid"], "passive")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["version"], es["version"] + 1)
        self.assertEqual(key_of(realm, "ES256", "passive")["kid"], es["kid"])
        # still published: it verifies what it signed
        ac.eventually(lambda: self.assertIn(es["kid"], jwks_kids(realm)))
        # a client cannot name an algorithm without an active key
        ac.settle()
        self.assertProblem(ac.admin("POST", "/realms/%s/clients" % ac.quote(realm),
                                    {"clientId": ac.unique("c"),
                                     "tokenSettings": {"signingAlg": "ES256"}}),
                           400, field="tokenSettings.signingAlg")
        r = self.patch(realm, es["kid"], "active")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "active")

    def test_algorithm_named_by_the_tokens_settings_keeps_an_active_key(self):
        realm, _ = ac.create_realm(self)
        es = key_of(realm, "ES256")
        self.assertStatus(ac.admin("PUT", "/realms/%s/settings/tokens"
                                   % ac.quote(realm), {"signingAlg": "ES256"}),
                          200)
        body = self.assertProblem(self.patch(realm, es["kid"], "retired"), 409,
                                  field="status")
        self.assertIn("signingAlg", body["detail"])

    def test_unchanged_status_is_a_no_op(self):
        realm, _ = ac.create_realm(self)
        es = key_of(realm, "ES256")
        r = self.patch(realm, es["kid"], "active")
        self.assertStatus(r, 200)
        self.assertEqual(r.json, es)

    def test_reactivated_retired_key_is_published_again_before_it_signs(self):
        realm, _ = ac.create_realm(self)
        k = ac.admin("POST", keys_path(realm), {"alg": "PS256"}).json
        self.assertStatus(self.patch(realm, k["kid"], "retired"), 200)
        t0 = time.time()
        r = self.patch(realm, k["kid"], "active")
        self.assertStatus(r, 200)
        self.assertIsNone(r.json["retiredAt"])
        self.assertGreater(self.assertRfc3339Utc(r.json["activatedAt"]), t0)

        def published():
            self.assertIn(k["kid"], jwks_kids(realm))
        ac.eventually(published)

    def test_patch_validation(self):
        es = key_of(self.realm, "ES256")
        for patch, field in (({"status": "gone"}, "status"),
                             ({"status": None}, "status"),
                             ({"status": 1}, "status"),
                             ({"alg": "RS256"}, "alg"),
                             ({"publicJwk": {}}, "publicJwk"),
                             ({"kid": "x"}, "kid")):
            with self.subTest(patch=patch):
                self.assertProblem(ac.admin("PATCH", keys_path(
                    self.realm, es["kid"]), patch), 400, field=field)
        self.assertProblem(ac.request(
            "PATCH", "/api/admin" + keys_path(self.realm, es["kid"]),
            body="[1]", headers={"Content-Type": "application/json",
                                 "Authorization": "Bearer " + ac.admin_token()}),
            400)
        self.assertEqual(ac.admin("GET", keys_path(self.realm, es["kid"])).json,
                         es)

    def test_merge_patch_content_type(self):
        realm, _ = ac.create_realm(self)
        k = ac.admin("POST", keys_path(realm), {"alg": "EdDSA"}).json
        r = ac.request("PATCH", "/api/admin" + keys_path(realm, k["kid"]),
                       body=json.dumps({"status": "passive"}),
                       headers={"Content-Type": "application/merge-patch+json",
                                "Authorization": "Bearer " + ac.admin_token()})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "passive")


class KeyDeleteTest(ac.RealmTestCase):

    def test_only_retired_keys_are_deleted(self):
        k = ac.admin("POST", keys_path(self.realm), {"alg": "EdDSA"}).json
        path = keys_path(self.realm, k["kid"])
        self.assertProblem(ac.admin("DELETE", path), 409)
        self.assertStatus(ac.admin("PATCH", path, {"status": "passive"}), 200)
        self.assertProblem(ac.admin("DELETE", path), 409)
        r = ac.admin("PATCH", path, {"status": "retired"})
        self.assertStatus(r, 200)
        self.assertStatus(ac.admin("DELETE", path), 204)
        self.assertProblem(ac.admin("GET", path), 404)
        self.assertProblem(ac.admin("DELETE", path), 404)
        events = ac.admin("GET", "/realms/%s/events?resourceId=%s" % (
            ac.quote(self.realm), ac.quote(k["kid"]))).json["items"]
        self.assertEqual([e["type"] for e in events],
                         ["key.delete", "key.update", "key.update",
                          "key.create"])
        self.assertEqual(events[0]["details"]["before"]["status"], "retired")
        self.assertNotIn("after", events[0]["details"])
        if ac.db_available():
            self.assertEqual(ac.db_scalar(
                "SELECT COUNT(*) FROM signing_keys WHERE kid = %s"
                % ac.sql_str(k["kid"])), "0")


class KeyConcurrencyTest(ac.RealmTestCase):

    def test_if_match(self):
        k = ac.admin("POST", keys_path(self.realm), {"alg": "EdDSA"}).json
        path = keys_path(self.realm, k["kid"])
        stale = '"%d"' % k["version"]
        r = ac.admin("PATCH", path, {"status": "passive"},
                     headers={"If-Match": stale})
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), '"%d"' % (k["version"] + 1))
        self.assertProblem(ac.admin("PATCH", path, {"status": "retired"},
                                    headers={"If-Match": stale}), 412)
        self.assertProblem(ac.admin("POST", keys_path(self.realm, k["kid"],
                                                      rotate=True),
                                    headers={"If-Match": stale}), 412)
        current = r.header("ETag")
        self.assertStatus(ac.admin("PATCH", path, {"status": "retired"},
                                   headers={"If-Match": current}), 200)
        self.assertProblem(ac.admin("DELETE", path,
                                    headers={"If-Match": current}), 412)
        self.assertProblem(ac.admin("DELETE", path,
                                    headers={"If-Match": "bogus"}), 400,
                           field="If-Match")
        now = ac.admin("GET", path)
        self.assertStatus(ac.admin("DELETE", path,
                                   headers={"If-Match": now.header("ETag")}),
                          204)
        # the stale rotation created nothing
        self.assertEqual(ac.admin("GET", keys_path(self.realm) +
                                  "?status=active").json["total"], 2)


class KeyAuthTest(ac.RealmTestCase):

    def test_401_without_a_token(self):
        kid = key_of(self.realm, "ES256")["kid"]
        for method, path in (("GET", keys_path(self.realm)),
                             ("POST", keys_path(self.realm)),
                             ("GET", keys_path(self.realm, kid)),
                             ("PATCH", keys_path(self.realm, kid)),
                             ("DELETE", keys_path(self.realm, kid)),
                             ("POST", keys_path(self.realm, kid, rotate=True))):
            with self.subTest(method=method, path=path):
                r = ac.request(method, "/api/admin" + path,
                               json_body={"status": "retired"})
                self.assertProblem(r, 401)

    def test_403_without_the_admin_role(self):
        cid, secret = ac.master_client_without_admin(self)
        token = ac.token_request("master", cid, secret).json["access_token"]
        kid = key_of(self.realm, "ES256")["kid"]
        for method, path, body in (
                ("GET", keys_path(self.realm), None),
                ("POST", keys_path(self.realm), {"alg": "ES256"}),
                ("GET", keys_path(self.realm, kid), None),
                ("PATCH", keys_path(self.realm, kid), {"status": "retired"}),
                ("DELETE", keys_path(self.realm, kid), None),
                ("POST", keys_path(self.realm, kid, rotate=True), None)):
            with self.subTest(method=method, path=path):
                self.assertProblem(ac.admin(method, path, body, token=token), 403)
        self.assertEqual(ac.admin("GET", keys_path(self.realm)).json["total"], 2)
        self.assertEqual(key_of(self.realm, "ES256")["kid"], kid)

    def test_413_body_over_the_limit(self):
        kid = key_of(self.realm, "ES256")["kid"]
        big = json.dumps({"alg": "ES256", "x": "b" * (ONE_MIB + 10)})
        for method, path in (("POST", keys_path(self.realm)),
                             ("PATCH", keys_path(self.realm, kid))):
            with self.subTest(method=method):
                r = ac.request(method, "/api/admin" + path, body=big,
                               headers={"Content-Type": "application/json"},
                               token=ac.admin_token())
                self.assertEqual(r.status, 413, repr(r))
        self.assertEqual(ac.admin("GET", keys_path(self.realm)).json["total"], 2)


BIN = os.environ.get("AUTHIO_BIN", "")
CONFIG = os.environ.get("AUTHIO_CONFIG", "")


@unittest.skipUnless(BIN and CONFIG and os.access(CONFIG, os.R_OK),
                     "needs AUTHIO_BIN and a readable AUTHIO_CONFIG")
class RotateKeysCommandTest(ac.AuthioTestCase):
    """authioctl rotate-keys REALM [--alg ALG]: the operator's rotation,
    with the same publish-before-sign rule and audit trail as the API."""

    def authioctl(self, *args):
        return subprocess.run([os.path.join(BIN, "authioctl"), "-c", CONFIG]
                              + list(args), capture_output=True, text=True,
                              timeout=60)

    def test_rotate_one_algorithm_then_all(self):
        realm, client, secret = ac.realm_with_client(self)
        rs, es = key_of(realm, "RS256"), key_of(realm, "ES256")
        p = self.authioctl("rotate-keys", realm, "--alg", "RS256")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(rs["kid"], p.stdout)
        new_rs = key_of(realm, "RS256")
        self.assertNotEqual(new_rs["kid"], rs["kid"])
        self.assertEqual(key_of(realm, "RS256", "passive")["kid"], rs["kid"])
        self.assertEqual(key_of(realm, "ES256")["kid"], es["kid"])
        # published before it signs
        self.assertEqual(token_kid(realm, client, secret)[0], rs["kid"])
        ac.settle()
        self.assertEqual(token_kid(realm, client, secret)[0], new_rs["kid"])
        ev = ac.admin("GET", "/realms/%s/events?type=key.rotate"
                      % ac.quote(realm)).json["items"][0]
        self.assertEqual((ev["actor"], ev["resourceId"]),
                         ("authioctl", rs["kid"]))
        self.assertEqual(ev["details"]["after"]["kid"], new_rs["kid"])
        # without --alg: every active key
        p = self.authioctl("rotate-keys", realm)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotEqual(key_of(realm, "ES256")["kid"], es["kid"])
        self.assertNotEqual(key_of(realm, "RS256")["kid"], new_rs["kid"])

    def test_refusals(self):
        realm, _ = ac.create_realm(self)
        for args, text in (((ac.unique("nope"),), "does not exist"),
                           ((realm, "--alg", "HS256"), "unknown algorithm"),
                           ((realm, "--alg", "EdDSA"), "no active key")):
            with self.subTest(args=args):
                p = self.authioctl("rotate-keys", *args)
                self.assertEqual(p.returncode, 1, p.stdout)
                self.assertIn(text, p.stderr)
        self.assertEqual(ac.admin("GET", keys_path(realm)).json["total"], 2)


class KeyCreateBadInput(JsonRouteMatrix, ac.RealmTestCase):
    text_field = "alg"

    def good_body(self):
        return {"alg": "ES256", "use": "sig"}

    def path(self):
        return keys_path(self.realm)

    def snapshot(self, good):
        return ac.admin("GET", keys_path(self.realm)).json["total"]


if __name__ == "__main__":
    unittest.main()
