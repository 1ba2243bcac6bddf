"""The proof of issue 4: certified OpenID Connect client libraries from npm
and a real browser drive authio's flows over HTTP, through nginx.

- openid-client v6 (tests/oidc/v6.mjs): code + PKCE for confidential
  (client_secret_basic, client_secret_post) and public clients, with
  response_mode form_post, prompt=none, replay, wrong verifier and
  tampered state; client credentials, private_key_jwt, introspection,
  revocation, the Keycloak-style paths; and -- guarded by discovery,
  which lists only what works -- refresh with rotation and reuse
  detection, code replay revoking its tokens, userinfo, RP-initiated
  logout and the device flow.
- openid-client v5 used the way next-auth v4 uses it
  (tests/oidc/nextauth-v5.mjs): Issuer.discover on the wellKnown URL,
  callback() with state, nonce and PKCE checks.
- headless Chromium driven by playwright-core (tests/oidc/browser.mjs):
  signs in on the branded hosted page and lands on the client's redirect
  URI with a code, then gets a form_post response posted by the page
  itself; the login page's screenshot is saved as a test artifact
  ($AU_ARTIFACT_DIR, default tests/artifacts/login-page.png).

The node scripts print one JSON object each; these tests set up the realm
through the admin API and assert on what the libraries report.  Without
tests/oidc/node_modules (scripts/oidc-deps.sh installs it) the module is
skipped -- except under CI=true, where that is a failure.
"""

import json
import os
import shutil
import socket
import struct
import subprocess
import unittest
import urllib.parse

from jwcrypto import jwk

import authio_client as ac
from authio_client import AuthioTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
OIDC_DIR = os.path.normpath(os.path.join(HERE, "..", "oidc"))
ARTIFACTS = os.environ.get("AU_ARTIFACT_DIR") or os.path.normpath(
    os.path.join(HERE, "..", "artifacts"))
CHROMIUM = os.environ.get("AU_CHROMIUM", "/usr/bin/chromium")
PW = "correct horse battery staple"
CB = "https://app.example/cb"
AFTER = "https://app.example/signed-out"
NODE = None


def find_node():
    """$AU_NODE, else the node scripts/oidc-deps.sh installed from npm
    where the system's is too old, else the node on PATH."""
    local = os.path.join(OIDC_DIR, ".node", "node_modules", ".bin", "node")
    for n in (os.environ.get("AU_NODE"), local):
        if n and os.access(n, os.X_OK):
            return n
    return shutil.which("node")


def setUpModule():
    global NODE
    why = None
    NODE = find_node()
    if NODE is None:
        why = "node is not installed (run scripts/oidc-deps.sh)"
    elif not os.path.isdir(os.path.join(OIDC_DIR, "node_modules",
                                        "openid-client")):
        why = ("tests/oidc/node_modules is missing: run "
               "scripts/oidc-deps.sh (scripts/test.sh does)")
    else:
        v = subprocess.run([NODE, "--version"], capture_output=True,
                           text=True, timeout=30).stdout.strip()
        if int(v.lstrip("v").split(".")[0]) < 20:
            why = "node %s is too old: openid-client v6 and " \
                  "playwright-core need Node.js 20 or newer" % v
    if why is None:
        return
    if os.environ.get("CI") == "true":
        raise AssertionError("CI must run the client-library proofs: " + why)
    raise unittest.SkipTest(why)


def run_node(script, *args, env=None, timeout=120):
    """Runs tests/oidc/SCRIPT; returns its JSON result (a dict with "ok")."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    e.update(env or {})
    p = subprocess.run([NODE, script] + list(args), cwd=OIDC_DIR, env=e,
                       capture_output=True, text=True, timeout=timeout)
    lines = p.stdout.strip().splitlines()
    try:
        out = json.loads(lines[-1])
    except (IndexError, ValueError):
        raise AssertionError("%s %s printed no JSON (exit %d):\n%s\n%s"
                             % (script, " ".join(args), p.returncode,
                                p.stdout[-2000:], p.stderr[-4000:]))
    out["_stderr"] = p.stderr[-4000:]
    return out


def discovery(realm):
    r = ac.get("/realms/%s/.well-known/openid-configuration"
               % ac.quote(realm))
    assert r.status == 200, r
    return r.json


class LibraryTestCase(AuthioTestCase):
    """One realm with a user and a confidential client for every test."""

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = ac.create_realm(None)
        cls.issuer = ac.issuer(cls.realm)
        cls.user = ac.user_with_password(
            cls.realm, PW, email=ac.unique("e") + "@example.org",
            firstName="Grace", lastName="Hopper", emailVerified=True)
        cls.conf = ac.code_flow_client(cls.realm, redirect_uris=[CB],
                                       name="Proof App")
        cls.conf_secret, _ = ac.create_secret(cls.realm, cls.conf)

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)

    def env(self, client=None, secret=None, method="client_secret_basic",
            **more):
        e = {"OIDC_ISSUER": self.issuer,
             "OIDC_CLIENT_ID": client or self.conf,
             "OIDC_CLIENT_SECRET": (secret if secret is not None
                                    else self.conf_secret),
             "OIDC_AUTH_METHOD": method,
             "OIDC_REDIRECT_URI": CB,
             "OIDC_USERNAME": self.user["username"],
             "OIDC_PASSWORD": PW}
        e.update({"OIDC_" + k.upper(): v for k, v in more.items()})
        return e

    def ok(self, out):
        self.assertTrue(out.get("ok"), json.dumps(out, indent=1))
        return out

    def assertIdToken(self, facts, client, nonce_checked=True):
        """The ID token the library validated carries what issue 4 names."""
        self.assertTrue(facts["has_id_token"], facts)
        c = facts["id_token_claims"]
        self.assertEqual(c["iss"], self.issuer)
        self.assertEqual(c["sub"], self.user["id"])
        self.assertEqual(c["aud"], client)
        self.assertEqual(c["azp"], client)
        for k in ("exp", "iat", "auth_time", "sid", "at_hash"):
            self.assertIn(k, c)
        if nonce_checked:
            self.assertIn("nonce", c)
        self.assertEqual(c.get("email"), self.user["email"])
        self.assertEqual(c.get("name"), "Grace Hopper")
        self.assertEqual(c.get("preferred_username"), self.user["username"])
        self.assertEqual(facts["token_type"].lower(), "bearer")
        self.assertIsInstance(facts["expires_in"], int)
        at = facts["access_token_claims"]
        self.assertEqual(at["client_id"], client)
        self.assertEqual(at["sub"], self.user["id"])

    def assertOAuthFailure(self, failure, error):
        """A library error carrying an OAuth error code from the server."""
        self.assertIsNotNone(failure, "the library accepted it")
        got = (failure.get("error") or (failure.get("cause") or {}).get(
            "error") or (failure.get("body") or {}).get("error"))
        self.assertEqual(got, error, failure)

    def assertLibraryRefused(self, failure, word):
        """The library itself refused (before or without the server),
        naming what was wrong."""
        self.assertIsNotNone(failure, "the library accepted it")
        text = failure["message"] + " " + (failure.get("cause") or {}).get(
            "message", "")
        self.assertIn(word, text, failure)


class OpenIdClientV6Test(LibraryTestCase):
    """openid-client v6, the flows that work today."""

    def check_code_flow(self, out, client):
        self.ok(out)
        self.assertEqual(out["metadata_issuer"], self.issuer)
        # RFC 9207: the library checked iss in the authorization response.
        self.assertEqual(out["callback_params"].get("iss"), self.issuer)
        self.assertEqual(out["id_token_alg"], "RS256")
        self.assertIdToken(out, client)
        self.assertEqual(set(out["scope"].split()),
                         {"openid", "profile", "email"})
        # a replayed code is refused (test_code_replay_revokes_its_tokens
        # checks what it issued is revoked)
        self.assertOAuthFailure(out["replay"], "invalid_grant")
        self.assertOAuthFailure(out["wrong_verifier"], "invalid_grant")
        # a tampered state never reaches the server: the library stops
        self.assertLibraryRefused(out["tampered_state"], '"state"')
        # prompt=none without a session: the library accepts the error
        # response as authentic (state and iss check out) and reports it
        self.assertEqual(out["prompt_none"]["name"],
                         "AuthorizationResponseError", out["prompt_none"])
        self.assertEqual(out["prompt_none"]["error"], "login_required")
        # response_mode=form_post, the POST handed to the library
        fp = out["form_post"]
        self.assertEqual(fp["action"], CB)
        self.assertEqual(fp["fields"], ["code", "iss", "state"])
        self.assertIdToken(fp, client)

    def test_code_pkce_client_secret_basic(self):
        out = run_node("v6.mjs", "code", env=self.env())
        self.check_code_flow(out, self.conf)

    def test_code_pkce_client_secret_post(self):
        client = ac.code_flow_client(self.realm, redirect_uris=[CB],
                                     tokenEndpointAuthMethod=
                                     "client_secret_post")
        secret, _ = ac.create_secret(self.realm, client)
        out = run_node("v6.mjs", "code", env=self.env(
            client, secret, "client_secret_post"))
        self.check_code_flow(out, client)

    def test_code_pkce_public_client(self):
        client = ac.code_flow_client(self.realm, ctype="public",
                                     redirect_uris=[CB],
                                     tokenEndpointAuthMethod="none")
        out = run_node("v6.mjs", "code", env=self.env(client, "", "none"))
        self.check_code_flow(out, client)

    def test_keycloak_paths(self):
        """A client configured with Keycloak's endpoint paths works the
        same through /realms/{r}/protocol/openid-connect/..."""
        out = self.ok(run_node("v6.mjs", "keycloak_paths", env=self.env()))
        self.assertTrue(out["endpoints"]["token_endpoint"].endswith(
            "/protocol/openid-connect/token"))
        self.assertIdToken(out, self.conf)
        self.assertIs(out["introspection"]["active"], True)
        if "userinfo" in out:
            self.assertEqual(out["userinfo"]["sub"], self.user["id"])
        self.assertEqual(out["after_revocation"], {"active": False})

    def test_wrong_secret_is_refused(self):
        out = run_node("v6.mjs", "client_credentials", env=self.env(
            self.cc_client(), "wrong-secret", scope=""))
        self.assertFalse(out["ok"], out)
        # RFC 6749 §5.2: 401 with a challenge for the scheme the client
        # used, and invalid_client in the body
        self.assertEqual(out["error"]["status"], 401, out)
        self.assertEqual([c["scheme"].lower() for c in
                          out["error"]["challenges"]], ["basic"], out)
        self.assertOAuthFailure(out["error"], "invalid_client")

    def cc_client(self):
        client, _ = ac.create_client(self.realm)
        secret, _ = ac.create_secret(self.realm, client)
        self._cc_secret = secret
        return client

    def test_client_credentials(self):
        client = self.cc_client()
        out = self.ok(run_node("v6.mjs", "client_credentials", env=self.env(
            client, self._cc_secret, scope="")))
        self.assertTrue(out["has_access_token"])
        self.assertFalse(out["has_id_token"])
        self.assertFalse(out["has_refresh_token"])
        self.assertEqual(out["token_type"].lower(), "bearer")
        self.assertIsInstance(out["expires_in"], int)
        self.assertEqual(out["access_token_claims"]["client_id"], client)
        self.assertEqual(out["access_token_claims"]["iss"], self.issuer)

    def test_client_credentials_post(self):
        client = self.cc_client()
        out = self.ok(run_node("v6.mjs", "client_credentials", env=self.env(
            client, self._cc_secret, "client_secret_post", scope="")))
        self.assertTrue(out["has_access_token"])

    def test_private_key_jwt(self):
        """RFC 7523 client assertions made by the library (its own aud,
        jti and lifetime) at /token, /introspect and /revoke."""
        key = jwk.JWK.generate(kty="EC", crv="P-256", kid="proof-ec")
        client, _ = ac.create_client(self.realm, extra={
            "tokenEndpointAuthMethod": "private_key_jwt",
            "jwks": {"keys": [key.export_public(as_dict=True)]}})
        out = self.ok(run_node("v6.mjs", "revocation", env=self.env(
            client, "", "private_key_jwt",
            private_jwk=key.export_private())))
        self.assertIs(out["before"]["active"], True)
        self.assertEqual(out["before"]["client_id"], client)
        self.assertEqual(out["after"], {"active": False})
        # a secret is not what this client authenticates with
        out = run_node("v6.mjs", "client_credentials", env=self.env(
            client, "some-secret", scope=""))
        self.assertFalse(out["ok"], out)
        self.assertOAuthFailure(out["error"], "invalid_client")

    def test_introspection(self):
        client = self.cc_client()
        out = self.ok(run_node("v6.mjs", "introspection", env=self.env(
            client, self._cc_secret)))
        a = out["active"]
        self.assertIs(a["active"], True)
        self.assertEqual(a["client_id"], client)
        self.assertEqual(a["iss"], self.issuer)
        self.assertEqual(a["jti"], out["access_token_claims"]["jti"])
        self.assertEqual(a["exp"], out["access_token_claims"]["exp"])
        self.assertEqual(out["garbage"], {"active": False})

    def test_revocation(self):
        client = self.cc_client()
        out = self.ok(run_node("v6.mjs", "revocation", env=self.env(
            client, self._cc_secret)))
        self.assertIs(out["before"]["active"], True)
        self.assertEqual(out["after"], {"active": False})
        self.assertIsNone(out["garbage_revocation_error"])


class OpenIdClientV6GuardedTest(LibraryTestCase):
    """openid-client v6 for what discovery may not list yet: each test
    runs once the realm's discovery document advertises its endpoint or
    grant (authio lists only what works, so the guard is honest)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meta = discovery(cls.realm)

    def require(self, member, value=None):
        have = self.meta.get(member)
        if value is not None:
            if value not in (have or []):
                self.skipTest("discovery does not list %r in %s yet"
                              % (value, member))
        elif not have:
            self.skipTest("discovery has no %s yet" % member)

    def test_refresh_with_rotation(self):
        self.require("grant_types_supported", "refresh_token")
        client = ac.code_flow_client(
            self.realm, redirect_uris=[CB],
            grantTypes=["authorization_code", "refresh_token"],
            optionalScopes=["offline_access"])
        secret, _ = ac.create_secret(self.realm, client)
        out = self.ok(run_node("v6.mjs", "refresh", env=self.env(
            client, secret, scope="openid profile email offline_access")))
        self.assertTrue(out["first"]["has_refresh_token"], out)
        self.assertIdToken(out["first"], client)
        r = out["refreshed"]
        self.assertTrue(r["has_access_token"])
        self.assertTrue(r["has_refresh_token"])
        self.assertTrue(out["rotated"], "the refresh token was not rotated")
        if r["has_id_token"]:
            self.assertTrue(out["same_sub"])
            self.assertIdToken(r, client, nonce_checked=False)
        # reuse of the spent token: refused, and the family is revoked
        self.assertOAuthFailure(out["reuse"], "invalid_grant")
        self.assertOAuthFailure(out["family_after_reuse"], "invalid_grant")

    def test_code_replay_revokes_its_tokens(self):
        # oauth_token.c: revoking what a replayed code issued (RFC 9700
        # §4.5) comes with the refresh token grant.
        self.require("grant_types_supported", "refresh_token")
        client = ac.code_flow_client(
            self.realm, redirect_uris=[CB],
            grantTypes=["authorization_code", "refresh_token"],
            optionalScopes=["offline_access"])
        secret, _ = ac.create_secret(self.realm, client)
        out = self.ok(run_node("v6.mjs", "code_replay", env=self.env(
            client, secret, scope="openid offline_access")))
        self.assertIs(out["before"]["active"], True)
        self.assertOAuthFailure(out["replay"], "invalid_grant")
        self.assertEqual(out["access_token_after"], {"active": False})
        self.assertTrue(out["has_refresh_token"], out)
        self.assertEqual(out["refresh_token_after"], {"active": False})
        self.assertOAuthFailure(out["refresh_after"], "invalid_grant")

    def test_userinfo(self):
        self.require("userinfo_endpoint")
        out = self.ok(run_node("v6.mjs", "userinfo", env=self.env()))
        u = out["userinfo"]
        self.assertEqual(u["sub"], self.user["id"])
        self.assertEqual(u.get("email"), self.user["email"])
        self.assertEqual(u.get("given_name"), "Grace")
        self.assertEqual(u.get("family_name"), "Hopper")
        self.assertEqual(u.get("preferred_username"), self.user["username"])
        # the library's own subject check, and a 401 for a broken token
        self.assertIsNotNone(out["wrong_subject"])
        bad = out["bad_token"]
        self.assertIsNotNone(bad)
        self.assertIn("invalid_token", json.dumps(bad), bad)

    def test_rp_initiated_logout(self):
        self.require("end_session_endpoint")
        client = ac.code_flow_client(self.realm, redirect_uris=[CB],
                                     postLogoutRedirectUris=[AFTER])
        secret, _ = ac.create_secret(self.realm, client)
        out = self.ok(run_node("v6.mjs", "logout", env=self.env(
            client, secret, post_logout_redirect_uri=AFTER)))
        landed = urllib.parse.urlsplit(out["landed"] or "")
        self.assertEqual("%s://%s%s" % (landed.scheme, landed.netloc,
                                        landed.path), AFTER, out)
        q = urllib.parse.parse_qs(landed.query)
        self.assertEqual(q.get("state"), [out["state"]])
        # the SSO session ended: prompt=none now answers login_required
        after = urllib.parse.urlsplit(out["prompt_none_after"] or "")
        self.assertEqual(urllib.parse.parse_qs(after.query).get("error"),
                         ["login_required"], out)
        # with id_token_hint, no confirmation was asked for
        self.assertFalse(out["confirmed"], out)
        # never redirected to a URI the client did not register
        self.assertIsNone(out["unregistered"]["landed"], out)
        self.assertLess(out["unregistered"]["status"], 500)
        # without a hint the user confirms, then lands where registered
        nohint = out["without_hint"]
        self.assertTrue(nohint["confirmed"], out)
        self.assertTrue((nohint["landed"] or "").startswith(AFTER + "?"), out)

    def test_device_flow(self):
        self.require("device_authorization_endpoint")
        self.require("grant_types_supported",
                     "urn:ietf:params:oauth:grant-type:device_code")
        client, _ = ac.create_client(
            self.realm, grant_types=(
                "urn:ietf:params:oauth:grant-type:device_code",),
            extra={"defaultScopes": ["openid", "profile", "email"]})
        secret, _ = ac.create_secret(self.realm, client)
        out = self.ok(run_node("v6.mjs", "device", env=self.env(
            client, secret), timeout=150))
        a = out["authorization"]
        self.assertRegex(a["user_code"], r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
        self.assertEqual(a["verification_uri"],
                         self.issuer + "/device")
        self.assertTrue(a["verification_uri_complete"].startswith(
            a["verification_uri"]))
        self.assertIsInstance(a["expires_in"], int)
        self.assertIdToken(out, client, nonce_checked=False)
        self.assertOAuthFailure(out["denied"], "access_denied")


class NextAuthStyleV5Test(LibraryTestCase):
    """openid-client v5 exactly as next-auth v4 drives it, configured only
    with the realm's wellKnown URL, a client id and secret, and scope
    "openid profile email"."""

    def test_nextauth_flow(self):
        out = self.ok(run_node("nextauth-v5.mjs", env=self.env(
            well_known=self.issuer + "/.well-known/openid-configuration")))
        self.assertEqual(out["issuer"], self.issuer)
        self.assertEqual(out["id_token_alg"], "RS256")
        self.assertIdToken(out, self.conf)
        self.assertEqual(out["profile"]["email"], self.user["email"])
        self.assertEqual(out["profile"]["sub"], self.user["id"])
        if discovery(self.realm).get("userinfo_endpoint"):
            self.assertEqual(out["userinfo"]["sub"], self.user["id"])
            self.assertEqual(out["userinfo"]["email"], self.user["email"])
        # what the library must refuse
        self.assertEqual(out["tampered_state"]["name"], "RPError",
                         out["tampered_state"])
        self.assertIn("state mismatch", out["tampered_state"]["message"])
        self.assertEqual(out["wrong_nonce"]["name"], "RPError")
        self.assertIn("nonce mismatch", out["wrong_nonce"]["message"])
        self.assertEqual(out["wrong_verifier"]["name"], "OPError")
        self.assertEqual(out["wrong_verifier"]["error"], "invalid_grant")
        self.assertEqual(out["replay"]["error"], "invalid_grant")


def free_port():
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("%s is not a PNG" % path)
    return struct.unpack(">II", head[16:24])


class BrowserTest(LibraryTestCase):
    """Headless Chromium signs in on the branded hosted login page."""

    def test_chromium_signs_in(self):
        if not os.access(CHROMIUM, os.X_OK):
            msg = "%s is missing (apt-get install chromium)" % CHROMIUM
            if os.environ.get("CI") == "true":
                self.fail(msg)
            self.skipTest(msg)
        r = ac.admin("PUT", "/realms/%s/settings/branding"
                     % ac.quote(self.realm),
                     {"title": "Proof Corp", "subtitle": "Sign in with Chromium",
                      "primaryColor": "#7b1fa2", "backgroundColor": "#f3e5f5"})
        self.assertStatus(r, 200)
        port = free_port()
        cb = "http://127.0.0.1:%d/cb" % port
        client = ac.code_flow_client(self.realm, redirect_uris=[cb],
                                     name="Browser Proof")
        secret, _ = ac.create_secret(self.realm, client)
        ac.settle()                      # the branding reaches every worker
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = os.path.join(ARTIFACTS, "login-page.png")
        if os.path.exists(shot):
            os.unlink(shot)
        out = self.ok(run_node("browser.mjs", env=self.env(
            client, "", redirect_uri=cb, screenshot=shot,
            chromium=CHROMIUM), timeout=180))
        self.assertEqual(out["title"], "Proof Corp")
        self.assertIn("Browser Proof", out["client_name"])
        landed = urllib.parse.urlsplit(out["landed"])
        self.assertEqual("%s://%s%s" % (landed.scheme, landed.netloc,
                                        landed.path), cb)
        q = urllib.parse.parse_qs(landed.query)
        self.assertEqual(q.get("state"), [out["state"]])
        self.assertEqual(q.get("iss"), [self.issuer])
        self.assertTrue(q.get("code", [""])[0])
        self.assertTrue(os.path.exists(shot), shot)
        w, h = png_size(shot)
        self.assertGreaterEqual(w, 320)
        self.assertGreaterEqual(h, 240)
        self.assertGreater(os.path.getsize(shot), 5000)
        # the code Chromium brought back is a real one
        r = ac.token_request(self.realm, client, secret, params={
            "grant_type": "authorization_code", "code": q["code"][0],
            "redirect_uri": cb, "code_verifier": out["code_verifier"]})
        self.assertStatus(r, 200)
        self.assertIn("id_token", r.json)
        # response_mode=form_post, signed in already: the page posted the
        # response to the redirect URI by itself (the CSP admits its
        # script), with no password prompt
        fp = out["form_post"]
        self.assertEqual(out["csp_violations"], [])
        self.assertTrue(fp["autosubmitted"], out)
        a = fp["arrival"]
        self.assertEqual(a["method"], "POST")
        self.assertEqual(a["url"], cb)
        self.assertEqual(a["form"].get("state"), fp["state"])
        self.assertEqual(a["form"].get("iss"), self.issuer)
        r = ac.token_request(self.realm, client, secret, params={
            "grant_type": "authorization_code", "code": a["form"]["code"],
            "redirect_uri": cb, "code_verifier": fp["code_verifier"]})
        self.assertStatus(r, 200)


if __name__ == "__main__":
    unittest.main()
