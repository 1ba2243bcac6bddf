"""Keys over time: automatic rotation (settings/tokens keyRotationDays),
retirement after the longest token lifetime, emergency rotation,
`authioctl rotate-keys --due` and `authioctl rekey`.

The test seam for "a key older than the rotation period": a realm is
exported with its private keys and imported again with the keys' createdAt
and activatedAt set days back — the admin API's own import, no SQL.  The
realm's token lifetimes are set to a few seconds, so retirement (rotation
+ publication delay + the longest lifetime) happens within the test.  The
test stack runs with metadata_max_age=2 and cache_ttl=1: a successor is
published three seconds before it signs."""

import datetime
import os
import subprocess
import threading
import time
import unittest

import authio_client as ac
from test_admin_keys import keys_path, token_kid
from test_introspect_revoke import introspect

BIN = os.environ.get("AUTHIO_BIN", "")
CONFIG = os.environ.get("AUTHIO_CONFIG", "")
HAVE_CTL = bool(BIN and CONFIG and os.access(CONFIG, os.R_OK))
LIFETIME = 6


def authioctl(*args, config=None):
    return subprocess.run([os.path.join(BIN, "authioctl"), "-c",
                           config or CONFIG] + list(args),
                          capture_output=True, text=True, timeout=120)


def days_ago(days):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(
        days=days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def aged_realm(tc, days=3, rotation_days=1, lifetime=LIFETIME):
    """(realm, client, secret): a realm whose keys have signed for `days`
    days, with keyRotationDays and every token lifetime set as given."""
    src, client, secret = ac.realm_with_client(tc)
    doc = ac.renamed(ac.export_doc(tc, src, include_secrets=True),
                     ac.unique("rot"))
    for k in doc["keys"]:
        k["createdAt"] = k["activatedAt"] = days_ago(days)
    doc["settings"]["tokens"].update({
        "keyRotationDays": rotation_days, "accessTokenLifetime": lifetime,
        "idTokenLifetime": lifetime, "refreshTokenIdle": lifetime,
        "refreshTokenMax": lifetime})
    r = ac.import_realm(doc)
    if r.status != 201:
        raise AssertionError("import: %r" % r)
    realm = doc["realm"]["realmId"]
    tc.addCleanup(ac.delete_realm_quietly, realm)
    return realm, client, secret


def keys(realm, alg="RS256", status=None):
    r = ac.admin("GET", keys_path(realm) + "?limit=100" +
                 ("&status=" + status if status else ""))
    return [k for k in r.json["items"] if k["alg"] == alg]


def jwks_kids(realm):
    return {k["kid"] for k in ac.fetch_jwks(realm)["keys"]}


def active(realm, client, secret, token):
    r = introspect(realm, client, secret, token)
    if r.status != 200:
        raise AssertionError("introspect: %r" % r)
    return r.json["active"]


def wait_for(pred, timeout):
    """pred()'s first truthy value within timeout seconds (else falsy)."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(0.2)


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


class RotationTimelineTest(ac.AuthioTestCase):
    """The workers rotate lazily: publish, sign, keep verifying, retire."""

    def test_timeline(self):
        realm, client, secret = aged_realm(self)
        old = keys(realm)[0]["kid"]
        kid, before = token_kid(realm, client, secret)
        self.assertEqual(kid, old)

        # a worker notices the aged key: a successor, published first
        def rotated():
            ac.fetch_jwks(realm)    # lazy: traffic drives the workers
            ks = keys(realm)
            return len(ks) == 2 and ks
        ks = wait_for(rotated, timeout=15)
        self.assertTrue(ks, "no successor appeared")
        new = [k for k in ks if k["kid"] != old][0]
        self.assertEqual(new["status"], "active")
        self.assertEqual([k["status"] for k in ks if k["kid"] == old],
                         ["passive"])
        self.assertIn(new["kid"], jwks_kids(realm))
        if time.time() < parse_time(new["activatedAt"]) - 1:
            # in the JWKS, not yet signing
            self.assertEqual(token_kid(realm, client, secret)[0], old)
        ev = ac.admin("GET", "/realms/%s/events?type=key.rotate"
                      % ac.quote(realm)).json["items"]
        self.assertEqual({(e["actor"], e["resourceId"]) for e in ev
                          if e["resourceId"] == old}, {("authio", old)})
        self.assertEqual(len(ev), 2)   # RS256 and ES256

        # the successor signs; the token signed before still verifies
        self.assertTrue(wait_for(
            lambda: token_kid(realm, client, secret)[0] == new["kid"],
            timeout=10))
        ac.verify_jws(before, ac.fetch_jwks(realm))
        self.assertIn(old, jwks_kids(realm))

        # after the longest token lifetime the old key is retired
        self.assertTrue(wait_for(
            lambda: jwks_kids(realm) and [k["status"] for k in keys(realm)
                                          if k["kid"] == old] == ["retired"],
            timeout=LIFETIME + 15))
        self.assertTrue(wait_for(lambda: old not in jwks_kids(realm),
                                      timeout=5))
        with self.assertRaises(Exception):
            ac.verify_jws(before, ac.fetch_jwks(realm))
        self.assertFalse(active(realm, client, secret, before))
        ev = ac.admin("GET", "/realms/%s/events?type=key.retire"
                      % ac.quote(realm)).json["items"]
        self.assertIn(old, [e["resourceId"] for e in ev])
        # the successor is not due: nothing else moves
        self.assertEqual([k["status"] for k in keys(realm)
                          if k["kid"] == new["kid"]], ["active"])

    def test_rotation_off(self):
        realm, client, secret = aged_realm(self, rotation_days=0)
        old = keys(realm)[0]["kid"]
        for _ in range(3):
            self.assertEqual(token_kid(realm, client, secret)[0], old)
            ac.settle()
        self.assertEqual(len(keys(realm)), 1)

    def test_not_yet_due(self):
        realm, client, secret = aged_realm(self, days=3, rotation_days=30)
        for _ in range(2):
            token_kid(realm, client, secret)
            ac.settle()
        self.assertEqual(len(keys(realm)), 1)


class EmergencyRotationTest(ac.RealmTestCase):
    """POST /keys/{kid}/rotate {"emergency": true}: the compromised key is
    retired at once, its tokens stop verifying, the successor signs."""

    def test_emergency(self):
        client, _ = ac.create_client(self.realm)
        secret, _ = ac.create_secret(self.realm, client)
        old = keys(self.realm, status="active")[0]
        kid, tok = token_kid(self.realm, client, secret)
        self.assertEqual(kid, old["kid"])
        self.assertTrue(active(self.realm, client, secret, tok))
        r = ac.admin("POST", keys_path(self.realm, old["kid"], rotate=True),
                     {"emergency": True})
        self.assertStatus(r, 201)
        new = r.json
        self.assertEqual(new["activatedAt"], new["createdAt"])
        self.assertEqual(ac.admin("GET", keys_path(self.realm, old["kid"]))
                         .json["status"], "retired")
        self.assertTrue(wait_for(
            lambda: old["kid"] not in jwks_kids(self.realm), timeout=5))
        self.assertTrue(wait_for(
            lambda: not active(self.realm, client, secret, tok), timeout=5))
        self.assertTrue(wait_for(
            lambda: token_kid(self.realm, client, secret)[0] == new["kid"],
            timeout=5))

    def test_emergency_ends_userinfo(self):
        realm, _ = ac.create_realm(self)
        conf = ac.code_flow_client(realm, pkceRequired=False)
        secret, _ = ac.create_secret(realm, conf)
        user = ac.user_with_password(realm, "correct horse battery")
        tok = ac.code_flow_tokens(realm, conf, secret, user["username"],
                                  "correct horse battery")["access_token"]

        def userinfo():
            return ac.request("GET", "/realms/%s/userinfo" % ac.quote(realm),
                              token=tok).status
        self.assertEqual(userinfo(), 200)
        kid = ac.jose_header(tok)["kid"]
        self.assertStatus(ac.admin("POST", keys_path(realm, kid, rotate=True),
                                   {"emergency": True}), 201)
        self.assertTrue(wait_for(lambda: userinfo() == 401, timeout=5))

    def test_refusals(self):
        k = keys(self.realm, "ES256", status="active")[0]
        path = keys_path(self.realm, k["kid"], rotate=True)
        for body, field in (({"emergency": "yes"}, "emergency"),
                            ({"retire": True}, "retire")):
            with self.subTest(body=body):
                self.assertProblem(ac.admin("POST", path, body), 400, field)
        self.assertEqual(keys(self.realm, "ES256", "active")[0]["kid"],
                         k["kid"])


@unittest.skipUnless(HAVE_CTL, "needs AUTHIO_BIN and a readable AUTHIO_CONFIG")
class RotateDueCommandTest(ac.AuthioTestCase):
    """authioctl rotate-keys --due [REALM]: cron's half; racing runs (and
    workers) make exactly one successor per algorithm."""

    def test_concurrent_runs_make_one_successor(self):
        realm, client, secret = aged_realm(self)
        results = []

        def run():
            results.append(authioctl("rotate-keys", "--due", realm))

        def fetch():
            for _ in range(5):
                ac.fetch_jwks(realm)
        threads = [threading.Thread(target=run) for _ in range(4)]
        threads += [threading.Thread(target=fetch) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for p in results:
            self.assertEqual(p.returncode, 0, p.stderr)
        for alg in ("RS256", "ES256"):
            with self.subTest(alg=alg):
                self.assertEqual(len(keys(realm, alg, "active")), 1)
                self.assertEqual(len(keys(realm, alg, "passive")), 1)
        ev = ac.admin("GET", "/realms/%s/events?type=key.rotate"
                      % ac.quote(realm)).json
        self.assertEqual(ev["total"], 2)
        # nothing more is due: a second run is quiet
        p = authioctl("rotate-keys", "--due", realm)
        self.assertEqual((p.returncode, p.stdout), (0, ""))

    def test_all_realms_and_refusals(self):
        realm, _, _ = aged_realm(self)
        p = authioctl("rotate-keys", "--due")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(keys(realm, "RS256", "passive")), 1)
        p = authioctl("rotate-keys", "--due", ac.unique("nope"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("does not exist", p.stderr)


@unittest.skipUnless(HAVE_CTL, "needs AUTHIO_BIN and a readable AUTHIO_CONFIG")
class RekeyCommandTest(ac.AuthioTestCase):
    """authioctl rekey --new-master-key FILE re-seals every private key and
    settings secret; the other key then opens them, the old one no more.
    The test rekeys there and back, so the running stack keeps working."""

    def test_rekey_there_and_back(self):
        realm, client, secret = ac.realm_with_client(self)
        r = ac.admin("PUT", "/realms/%s/settings/policies" % ac.quote(realm),
                     {"mail": {"smtpPassword": "s3cret-smtp"}})
        self.assertStatus(r, 200)
        with open(CONFIG) as f:
            conf = f.read()
        current = [line.split("=", 1)[1].strip() for line in conf.splitlines()
                   if line.strip().startswith("master_key_file")][0]
        newkey = os.path.join(os.path.dirname(CONFIG),
                              ac.unique("master") + ".key")
        newconf = newkey + ".conf"
        with open(newconf, "w") as f:
            f.write(conf.replace(current, newkey))
        self.addCleanup(lambda: [os.path.exists(p) and os.unlink(p)
                                 for p in (newkey, newconf)])
        p = authioctl("rekey", "--new-master-key", newkey)
        try:
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("re-sealed", p.stdout)
            self.assertIn("master_key_file = " + newkey, p.stdout)
            # the new key opens the realm's keys and its SMTP password
            e = authioctl("export", realm, "--include-secrets",
                          config=newconf)
            self.assertEqual(e.returncode, 0, e.stderr)
            self.assertIn("s3cret-smtp", e.stdout)
            self.assertIn("privateJwk", e.stdout)
            # the old key no longer does
            e = authioctl("export", realm, "--include-secrets")
            self.assertNotEqual(e.returncode, 0)
            # the same key twice is refused, nothing changes
            p2 = authioctl("rekey", "--new-master-key", newkey,
                           config=newconf)
            self.assertEqual(p2.returncode, 1)
            self.assertIn("current master key", p2.stderr)
        finally:
            back = authioctl("rekey", "--new-master-key", current,
                             config=newconf)
        self.assertEqual(back.returncode, 0, back.stderr)
        e = authioctl("export", realm, "--include-secrets")
        self.assertEqual(e.returncode, 0, e.stderr)
        self.assertIn("s3cret-smtp", e.stdout)
        ac.settle()
        self.assertTrue(wait_for(
            lambda: ac.token_request(realm, client, secret).status == 200,
            timeout=5))


if __name__ == "__main__":
    unittest.main()
