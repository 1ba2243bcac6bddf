"""Shared helpers of authio's end-to-end HTTP tests.

The tests talk to the real stack (nginx or Apache -> authiod -> MariaDB)
over HTTP only, with the Python standard library, and verify tokens with
jwcrypto -- a JOSE implementation independent of the server's own.

Environment (set by scripts/test.sh):
  AUTHIO_URL           base URL of nginx in front of authiod
  AUTHIO_APACHE_URL    base URL of Apache in front of the same authiod
  AUTHIO_CREDENTIALS   JSON file {"issuer","client_id","client_secret"} of
                       the bootstrapped master-realm client admin-cli
  AUTHIO_DB_SOCKET, AUTHIO_DB_USER, AUTHIO_DB_PASSWORD, AUTHIO_DB_NAME
                       the application's MariaDB, used only to assert
                       database state the API cannot show
  AUTHIO_CONFIG        authiod's configuration file (read for cache_ttl)

Every helper that creates something uses a fresh random name, so tests are
independent of each other and of their order.
"""

import base64
import configparser
import datetime
import http.client
import json
import os
import secrets as _secrets
import subprocess
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from jwcrypto import jwk, jws
from jwcrypto.common import json_decode


# --------------------------------------------------------------- settings

BASE_URL = os.environ.get("AUTHIO_URL", "http://127.0.0.1:8080").rstrip("/")
APACHE_URL = (os.environ.get("AUTHIO_APACHE_URL") or "").rstrip("/")
TIMEOUT = float(os.environ.get("AUTHIO_HTTP_TIMEOUT", "30"))

_creds = None


def credentials():
    """The admin-cli credentials written by `authioctl bootstrap`."""
    global _creds
    if _creds is None:
        path = os.environ.get("AUTHIO_CREDENTIALS")
        if not path:
            raise unittest.SkipTest("AUTHIO_CREDENTIALS is not set")
        with open(path, encoding="utf-8") as f:
            _creds = json.load(f)
        for k in ("issuer", "client_id", "client_secret"):
            if not isinstance(_creds.get(k), str) or not _creds[k]:
                raise AssertionError("credentials file lacks %r" % k)
    return _creds


def issuer_base():
    """The configured base_url: the master issuer minus "/realms/master".

    The issuer is derived from configuration, never from the request, so
    it is what every issuer of every realm must start with, whichever web
    server (nginx or Apache) the request came through."""
    iss = credentials()["issuer"]
    suffix = "/realms/master"
    if not iss.endswith(suffix):
        raise AssertionError("master issuer %r does not end in %s"
                             % (iss, suffix))
    return iss[: -len(suffix)]


def issuer(realm):
    return issuer_base() + "/realms/" + realm


_cache_ttl = None


def _server_setting(name, default):
    """An integer [server] setting of the stack's authio.conf."""
    path = os.environ.get("AUTHIO_CONFIG")
    if path and os.path.exists(path):
        cp = configparser.ConfigParser(interpolation=None,
                                       inline_comment_prefixes=("#", ";"))
        try:
            cp.read(path, encoding="utf-8")
            if cp.has_option("server", name):
                return int(cp.get("server", name))
        except (configparser.Error, ValueError):
            pass
    return default


def cache_ttl():
    """Seconds a change may take to show anywhere: workers trust cached
    realm data for [server] cache_ttl, and discovery and JWKS may be cached
    (by clients and the web server's cache, which honours Cache-Control)
    for [server] metadata_max_age.  The two stack: a worker still serving
    its cached realm just before cache_ttl ends hands nginx a document
    that nginx then keeps for metadata_max_age."""
    global _cache_ttl
    if _cache_ttl is None:
        _cache_ttl = (_server_setting("cache_ttl", 5) +
                      _server_setting("metadata_max_age", 300))
    return _cache_ttl


def settle():
    """Waits until no worker or cache can still serve realm data from
    before an admin change (the design bounds both, see cache_ttl())."""
    time.sleep(cache_ttl() + 1)


def eventually(fn, timeout=None, interval=0.2):
    """Calls fn() until it returns without AssertionError or timeout passes.

    Used only where the design allows a bounded delay: a worker may serve
    realm data cached for up to cache_ttl seconds."""
    if timeout is None:
        timeout = cache_ttl() + 2
    deadline = time.monotonic() + timeout
    while True:
        try:
            return fn()
        except AssertionError:
            if time.monotonic() >= deadline:
                raise
        time.sleep(interval)


# ------------------------------------------------------------------- HTTP

class Response:
    """status, headers (case-insensitive), body (bytes), json (parsed)."""

    def __init__(self, method, url, status, headers, body):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self._json = None
        self._json_done = False

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def header_all(self, name):
        return self.headers.get_all(name) or []

    @property
    def content_type(self):
        ct = self.headers.get("Content-Type") or ""
        return ct.split(";", 1)[0].strip().lower()

    @property
    def json(self):
        if not self._json_done:
            self._json_done = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        body = self.body[:600]
        return "<%s %s -> %d %s %r>" % (self.method, self.url, self.status,
                                        self.headers.get("Content-Type"),
                                        body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(method, path, headers=None, body=None, json_body=None,
            form=None, base=None, token=None):
    """One HTTP request; never raises on an HTTP error status.

    path is appended to base (default AUTHIO_URL) unless it is absolute.
    body: raw bytes or str; json_body: serialised as JSON; form: a dict or
    list of pairs, form-urlencoded.  token: sent as a Bearer credential.
    headers={"Content-Type": None} sends a body without any Content-Type."""
    url = path if path.startswith("http") else (base or BASE_URL) + path
    hdrs = dict(headers or {})
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json")
    elif form is not None:
        data = urllib.parse.urlencode(form).encode("ascii")
        hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = body.encode("utf-8") if isinstance(body, str) else body
    if token is not None:
        hdrs["Authorization"] = "Bearer " + token
    if data is not None and hdrs.get("Content-Type", "") is None:
        # urllib would add a form Content-Type: send none at all
        return _request_without_content_type(method, url, hdrs, data)
    req = urllib.request.Request(url, data=data, method=method)
    for k, v in hdrs.items():
        req.add_header(k, v)
    try:
        with _opener.open(req, timeout=TIMEOUT) as resp:
            return Response(method, url, resp.status, resp.headers,
                            resp.read())
    except urllib.error.HTTPError as e:
        try:
            content = e.read()
        finally:
            e.close()
        return Response(method, url, e.code, e.headers, content)


def _request_without_content_type(method, url, hdrs, data):
    parts = urllib.parse.urlsplit(url)
    conn_cls = (http.client.HTTPSConnection if parts.scheme == "https"
                else http.client.HTTPConnection)
    conn = conn_cls(parts.netloc, timeout=TIMEOUT)
    try:
        target = parts.path + ("?" + parts.query if parts.query else "")
        conn.putrequest(method, target)
        for k, v in hdrs.items():
            if v is not None:
                conn.putheader(k, v)
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        resp = conn.getresponse()
        return Response(method, url, resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def get(path, **kw):
    return request("GET", path, **kw)


def basic_auth(client_id, secret):
    """client_secret_basic per RFC 6749 §2.3.1: each part is
    application/x-www-form-urlencoded first, then "id:secret" in base64."""
    raw = (urllib.parse.quote_plus(client_id, safe="") + ":"
           + urllib.parse.quote_plus(secret, safe=""))
    return "Basic " + base64.b64encode(raw.encode("utf-8")).decode("ascii")


def quote(segment):
    """A path segment, percent-encoded."""
    return urllib.parse.quote(segment, safe="")


def unique(prefix="t"):
    """A fresh name valid as realmId / clientId: [a-z0-9][a-z0-9-]{1,62}."""
    return "%s-%s" % (prefix, _secrets.token_hex(6))


# ------------------------------------------------------------ OAuth bits

def token_request(realm, client_id=None, secret=None, method="basic",
                  params=None, base=None, extra_headers=None):
    """POST /realms/{realm}/token with grant_type=client_credentials.

    method: "basic" (Authorization header), "post" (form body) or None
    (no credentials).  params overrides/extends the form."""
    form = [("grant_type", "client_credentials")]
    if params is not None:
        form = list(params.items()) if isinstance(params, dict) else list(params)
    headers = dict(extra_headers or {})
    if method == "basic":
        headers["Authorization"] = basic_auth(client_id, secret)
    elif method == "post":
        form = form + [("client_id", client_id), ("client_secret", secret)]
    return request("POST", "/realms/%s/token" % quote(realm), form=form,
                   headers=headers, base=base)


_admin = {"token": None, "until": 0.0}


def admin_token(refresh=False):
    """An access token of the bootstrapped master-realm admin-cli."""
    now = time.time()
    if refresh or not _admin["token"] or now >= _admin["until"]:
        c = credentials()
        r = token_request("master", c["client_id"], c["client_secret"])
        if r.status != 200 or not r.json or "access_token" not in r.json:
            raise AssertionError("cannot get an admin token: %r" % (r,))
        _admin["token"] = r.json["access_token"]
        life = r.json.get("expires_in") or 60
        _admin["until"] = now + max(5, int(life) - 30)
    return _admin["token"]


def admin(method, path, json_body=None, token=None, **kw):
    """A request to the admin REST API with the admin-cli bearer token."""
    if token is None:
        token = admin_token()
    return request(method, "/api/admin" + path, json_body=json_body,
                   token=token, **kw)


# ----------------------------------------------------- admin API helpers

def _must(resp, status, what):
    if resp.status != status:
        raise AssertionError("%s: expected %d, got %r" % (what, status, resp))
    return resp


def create_realm(tc=None, realm_id=None, name=None, description="test realm",
                 cleanup=True):
    """Creates a realm; registers its deletion on test case tc."""
    realm_id = realm_id or unique("r")
    body = {"name": name or ("Realm " + realm_id), "realmId": realm_id,
            "description": description}
    r = _must(admin("POST", "/realms", body), 201, "create realm")
    if tc is not None and cleanup:
        tc.addCleanup(delete_realm_quietly, realm_id)
    return realm_id, r.json


def delete_realm_quietly(realm_id):
    try:
        admin("DELETE", "/realms/" + quote(realm_id))
    except Exception:  # cleanup must never mask the real failure
        pass


def create_client(realm_id, client_id=None, grant_types=("client_credentials",),
                  ctype="confidential", name=None, extra=None):
    client_id = client_id or unique("c")
    body = {"clientId": client_id, "name": name or ("Client " + client_id),
            "type": ctype, "grantTypes": list(grant_types)}
    if extra:
        body.update(extra)
    r = _must(admin("POST", "/realms/%s/clients" % quote(realm_id), body),
              201, "create client")
    return client_id, r.json


def create_secret(realm_id, client_id, label=None):
    body = {"label": label} if label is not None else None
    r = _must(admin("POST", "/realms/%s/clients/%s/secrets"
                    % (quote(realm_id), quote(client_id)), body),
              201, "create secret")
    return r.json["secret"], r.json


def realm_with_client(tc, grant_types=("client_credentials",)):
    """A fresh realm holding one confidential client with one secret."""
    realm_id, _ = create_realm(tc)
    client_id, _ = create_client(realm_id, grant_types=grant_types)
    secret, _ = create_secret(realm_id, client_id)
    return realm_id, client_id, secret


def master_client_without_admin(tc):
    """A second confidential client in the master realm holding no role."""
    client_id, _ = create_client("master", client_id=unique("noadmin"))
    tc.addCleanup(lambda: admin("DELETE", "/realms/master/clients/"
                                + quote(client_id)))
    secret, _ = create_secret("master", client_id)
    return client_id, secret


# ---------------------------------------------------------------- JOSE

def fetch_jwks(realm, base=None):
    r = get("/realms/%s/jwks" % quote(realm), base=base)
    if r.status != 200 or not isinstance(r.json, dict):
        raise AssertionError("JWKS of %s: %r" % (realm, r))
    return r.json


PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


def jose_header(compact):
    return json_decode(base64.urlsafe_b64decode(
        _pad(compact.split(".")[0])).decode("utf-8"))


def jose_payload_unverified(compact):
    return json_decode(base64.urlsafe_b64decode(
        _pad(compact.split(".")[1])).decode("utf-8"))


def _pad(s):
    return s + "=" * (-len(s) % 4)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def verify_jws(compact, jwks_doc):
    """Verifies a compact JWS against a JWKS document with jwcrypto.

    Returns (header, claims).  Raises AssertionError when the kid is not
    published or the signature does not verify."""
    header = jose_header(compact)
    kid = header.get("kid")
    alg = header.get("alg")
    if not kid:
        raise AssertionError("JWS header has no kid: %r" % header)
    matches = [k for k in jwks_doc.get("keys", []) if k.get("kid") == kid]
    if len(matches) != 1:
        raise AssertionError("kid %r is published %d times in the JWKS"
                             % (kid, len(matches)))
    key = jwk.JWK(**matches[0])
    obj = jws.JWS()
    obj.deserialize(compact)
    try:
        obj.verify(key, alg=alg)
    except Exception as e:  # jwcrypto raises InvalidJWSSignature & co.
        raise AssertionError("signature does not verify: %s" % e)
    return header, json.loads(obj.payload.decode("utf-8"))


# ------------------------------------------------------------ database

def db_available():
    return bool(os.environ.get("AUTHIO_DB_NAME")
                and (os.environ.get("AUTHIO_DB_SOCKET")
                     or os.environ.get("AUTHIO_DB_HOST")))


def db_query(sql):
    """Rows of one SQL statement through the mariadb client, as lists of
    strings (NULL as None)."""
    if not db_available():
        raise unittest.SkipTest("AUTHIO_DB_* is not set")
    cmd = ["mariadb", "--no-defaults", "--batch", "--raw", "-N"]
    if os.environ.get("AUTHIO_DB_SOCKET"):
        cmd += ["-S", os.environ["AUTHIO_DB_SOCKET"]]
    else:
        cmd += ["-h", os.environ["AUTHIO_DB_HOST"]]
    if os.environ.get("AUTHIO_DB_USER"):
        cmd += ["-u", os.environ["AUTHIO_DB_USER"]]
    if os.environ.get("AUTHIO_DB_PASSWORD"):
        cmd += ["-p" + os.environ["AUTHIO_DB_PASSWORD"]]
    cmd += [os.environ["AUTHIO_DB_NAME"], "-e", sql]
    out = subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    rows = []
    for line in out.stdout.decode("utf-8").splitlines():
        rows.append([None if v == "NULL" else v for v in line.split("\t")])
    return rows


def db_scalar(sql):
    rows = db_query(sql)
    return rows[0][0] if rows else None


def sql_str(s):
    """A SQL string literal (for test-generated values only)."""
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


# ------------------------------------------------------------ assertions

class AuthioTestCase(unittest.TestCase):
    """unittest.TestCase with authio's response assertions."""

    maxDiff = 4000

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, repr(resp))

    def assertNot5xx(self, resp):
        self.assertLess(resp.status, 500, repr(resp))

    def assert4xx(self, resp):
        self.assertTrue(400 <= resp.status < 500, repr(resp))

    def assertJson(self, resp, ctype="application/json"):
        self.assertEqual(resp.content_type, ctype, repr(resp))
        self.assertIsNotNone(resp.json, repr(resp))
        return resp.json

    def assertOAuthError(self, resp, status, error):
        """An RFC 6749 §5.2 error response."""
        self.assertEqual(resp.status, status, repr(resp))
        body = self.assertJson(resp)
        self.assertEqual(body.get("error"), error, repr(resp))
        desc = body.get("error_description")
        self.assertIsInstance(desc, str, repr(resp))
        self.assertTrue(desc.strip(), repr(resp))
        self.assertNotIn("access_token", body)
        return body

    def assertProblem(self, resp, status, field=None):
        """An RFC 9457 problem; with field, errors[] must name it."""
        self.assertEqual(resp.status, status, repr(resp))
        body = self.assertJson(resp, "application/problem+json")
        for k in ("type", "title", "status", "detail"):
            self.assertIn(k, body, repr(resp))
        self.assertIsInstance(body["type"], str)
        self.assertIsInstance(body["title"], str)
        self.assertIsInstance(body["detail"], str)
        self.assertEqual(body["status"], status, repr(resp))
        if field is not None:
            errors = body.get("errors")
            self.assertIsInstance(errors, list, repr(resp))
            for e in errors:
                self.assertIsInstance(e, dict, repr(resp))
                self.assertIsInstance(e.get("field"), str, repr(resp))
                self.assertIsInstance(e.get("message"), str, repr(resp))
            self.assertIn(field, [e.get("field") for e in errors], repr(resp))
        return body

    def assertRfc3339Utc(self, value):
        """YYYY-MM-DDTHH:MM:SS[.frac]Z, a real date; returns epoch seconds."""
        self.assertIsInstance(value, str)
        self.assertRegex(value,
                         r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
        dt = datetime.datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
        return dt.replace(tzinfo=datetime.timezone.utc).timestamp()

    def assertRealmAbsent(self, realm_id):
        r = admin("GET", "/realms/" + quote(realm_id))
        self.assertProblem(r, 404)

    def assertClientAbsent(self, realm_id, client_id):
        r = admin("GET", "/realms/%s/clients/%s"
                  % (quote(realm_id), quote(client_id)))
        self.assertProblem(r, 404)


class RealmTestCase(AuthioTestCase):
    """A test class sharing one realm (deleted afterwards), and with
    fixture = "client" or "secret" also a confidential client in it and a
    secret of that client: cls.realm, cls.client, cls.secret."""

    fixture = "realm"

    @classmethod
    def setUpClass(cls):
        cls.realm, _ = create_realm(None)
        if cls.fixture in ("client", "secret"):
            cls.client, _ = create_client(cls.realm)
        if cls.fixture == "secret":
            cls.secret, _ = create_secret(cls.realm, cls.client)

    @classmethod
    def tearDownClass(cls):
        delete_realm_quietly(cls.realm)


# ------------------------------------------- consumers slice (issue 3)

def consumers_path(realm_id, consumer_id=None, *rest):
    """/realms/{r}/consumers[/{id}[/rest...]], each segment encoded."""
    p = "/realms/%s/consumers" % quote(realm_id)
    if consumer_id is not None:
        p += "/" + quote(consumer_id)
    return p + "".join("/" + quote(s) for s in rest)


def create_consumer(realm_id, consumer_id=None, **fields):
    """Creates a consumer (fields: name, description, enabled,
    allowedScopes, audience); returns (consumerId, representation)."""
    consumer_id = consumer_id or unique("m")
    body = {"consumerId": consumer_id, "name": "Consumer " + consumer_id}
    body.update(fields)
    r = _must(admin("POST", consumers_path(realm_id), body), 201,
              "create consumer")
    return consumer_id, r.json


def create_consumer_secret(realm_id, consumer_id, label=None):
    body = {"label": label} if label is not None else None
    r = _must(admin("POST", consumers_path(realm_id, consumer_id, "secrets"),
                    body), 201, "create consumer secret")
    return r.json["secret"], r.json


# ----------------------------------------------- users slice (issue 3)

def users_path(realm, user_id=None, tail=None):
    """/realms/{r}/users[/{id}[/tail]]."""
    p = "/realms/%s/users" % quote(realm)
    if user_id is not None:
        p += "/" + quote(user_id)
    if tail is not None:
        p += "/" + tail
    return p


def create_user(realm, username=None, **fields):
    """Creates a user (fields: email, firstName, ...); returns its
    representation (with "id")."""
    body = {"username": username or unique("u")}
    body.update(fields)
    r = _must(admin("POST", users_path(realm), body), 201, "create user")
    return r.json


# ----------------------------------------------- roles slice (issue 3)

def master_token_with_roles(tc, *role_names):
    """A token of a fresh master-realm client holding the given master
    realm roles as service roles (the roles are created when missing and
    deleted afterwards)."""
    for name in role_names:
        r = admin("POST", "/realms/master/roles", {"name": name})
        if r.status == 201:
            tc.addCleanup(lambda n=name: admin(
                "DELETE", "/realms/master/roles/" + quote(n)))
        elif r.status != 409:
            raise AssertionError("master role %s: %r" % (name, r))
    client, secret = master_client_without_admin(tc)
    r = admin("POST", "/realms/master/clients/%s/service-roles"
              % quote(client), [{"name": n} for n in role_names])
    if r.status != 204:
        raise AssertionError("service roles: %r" % (r,))
    t = token_request("master", client, secret)
    if t.status != 200:
        raise AssertionError("token: %r" % (t,))
    return t.json["access_token"]


# ------------------------------------------ export / import slice (issue 3)

def export_realm(realm_id, include_secrets=False, token=None):
    """GET /realms/{r}/export[?includeSecrets=true] (the raw response)."""
    q = "?includeSecrets=true" if include_secrets else ""
    return admin("GET", "/realms/%s/export%s" % (quote(realm_id), q),
                 token=token)


def import_realm(doc, token=None):
    """POST /realms/import with doc (a dict, or raw bytes)."""
    if isinstance(doc, (bytes, str)):
        return request("POST", "/api/admin/realms/import", body=doc,
                       headers={"Content-Type": "application/json"},
                       token=token if token is not None else admin_token())
    return admin("POST", "/realms/import", doc, token=token)


def export_doc(tc, realm_id, include_secrets=False):
    """The export document of a realm (asserting a 200)."""
    r = export_realm(realm_id, include_secrets)
    if r.status != 200 or not isinstance(r.json, dict):
        raise AssertionError("export of %s: %r" % (realm_id, r))
    return r.json


def renamed(doc, realm_id):
    """A deep copy of an export document with another realmId."""
    copy = json.loads(json.dumps(doc))
    copy["realm"]["realmId"] = realm_id
    return copy


# ------------------------------------------ hosted login slice (issue 4)

import html.parser as _html_parser  # noqa: E402
import hashlib as _hashlib  # noqa: E402

HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


def pkce_pair():
    """(verifier, S256 challenge) per RFC 7636."""
    verifier = b64url(_secrets.token_bytes(32))
    challenge = b64url(_hashlib.sha256(verifier.encode("ascii")).digest())
    return verifier, challenge


class _FormParser(_html_parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"),
                               "method": (a.get("method") or "get").lower(),
                               "fields": {}})
        elif tag in ("input", "button") and self.forms and a.get("name"):
            # as a browser submits: unchecked boxes are left out
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def parse_forms(text):
    """Every <form> of a page: [{"action", "method", "fields": {..}}]."""
    p = _FormParser()
    p.feed(text)
    return p.forms


def cookies_from(resp, jar=None):
    """Updates jar (a dict) with the Set-Cookie headers of resp."""
    jar = {} if jar is None else jar
    for h in resp.header_all("Set-Cookie") or []:
        name, _, rest = h.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar):
    return "; ".join("%s=%s" % kv for kv in jar.items())


def code_flow_client(realm, ctype="confidential", redirect_uris=None,
                     scopes=("openid", "profile", "email"), **extra):
    """A client for the authorization code flow; returns its clientId."""
    body = {"redirectUris": list(redirect_uris or ["https://app.example/cb"]),
            "defaultScopes": list(scopes)}
    body.update(extra)
    client_id, _ = create_client(realm, grant_types=("authorization_code",),
                                 ctype=ctype, extra=body)
    return client_id


def b64url_decode_loose(s):
    """Decodes base64url (padding optional) to text, replacing bad bytes."""
    return base64.urlsafe_b64decode(_pad(s)).decode("utf-8", "replace")


def user_with_password(realm, password="correct horse battery", **fields):
    """A user of realm with a (non-temporary) password; its representation."""
    u = create_user(realm, **fields)
    _must(admin("PUT", users_path(realm, u["id"], "password"),
                {"password": password, "temporary": False}),
          204, "set password")
    return u


def authorize_get(realm, params, jar=None):
    """GET /realms/{r}/authorize with the cookies of jar (updated)."""
    hdrs = dict(HTML_ACCEPT)
    if jar:
        hdrs["Cookie"] = cookie_header(jar)
    r = get("/realms/%s/authorize?%s" % (quote(realm),
                                          urllib.parse.urlencode(params)),
            headers=hdrs)
    if jar is not None:
        cookies_from(r, jar)
    return r


def submit_login(form, jar, username, password, drop=()):
    """POSTs a parsed login form with credentials; fields in drop are
    left out."""
    fields = dict(form["fields"], username=username, password=password)
    for k in drop:
        fields.pop(k, None)
    hdrs = dict(HTML_ACCEPT)
    if jar:
        hdrs["Cookie"] = cookie_header(jar)
    r = request("POST", form["action"], form=fields, headers=hdrs)
    if jar is not None:
        cookies_from(r, jar)
    return r


def location_params(resp):
    """The query parameters of a redirect's Location, single-valued."""
    loc = resp.header("Location") or ""
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
    return {k: v[0] for k, v in q.items()}


def sha256_hex(s):
    return _hashlib.sha256(s.encode("utf-8")).hexdigest()


# ------------------------------------------- userinfo slice (issue 4)

def sign_in_for_code(realm, client_id, username, password,
                     redirect_uri="https://app.example/cb", **params):
    """Drives /authorize and the hosted login form over HTTP (fresh
    cookies) and returns the authorization code; params extend the
    authorization request (scope defaults to "openid")."""
    p = {"client_id": client_id, "redirect_uri": redirect_uri,
         "response_type": "code", "scope": "openid", "state": "st",
         "nonce": "n-" + _secrets.token_hex(4)}
    p.update(params)
    jar = {}
    r = authorize_get(realm, p, jar)
    if r.status != 200:
        raise AssertionError("authorize: %r" % (r,))
    r = submit_login(parse_forms(r.text)[0], jar, username, password)
    code = location_params(r).get("code")
    if r.status != 302 or not code:
        raise AssertionError("login gave no code: %r %s"
                             % (r, r.header("Location")))
    return code


def code_flow_tokens(realm, client_id, secret, username, password,
                     redirect_uri="https://app.example/cb", **params):
    """Signs in (sign_in_for_code) and exchanges the code with
    client_secret_basic; returns the token response's JSON."""
    code = sign_in_for_code(realm, client_id, username, password,
                            redirect_uri=redirect_uri, **params)
    r = token_request(realm, client_id, secret, params={
        "grant_type": "authorization_code", "code": code,
        "redirect_uri": redirect_uri})
    if r.status != 200:
        raise AssertionError("code exchange: %r" % (r,))
    return r.json


def userinfo(realm, token=None, method="GET", body_token=None, path=None,
             headers=None):
    """GET or POST /realms/{realm}/userinfo (or path under the realm):
    token as a Bearer header, body_token as the form's access_token."""
    url = "/realms/%s%s" % (quote(realm), path or "/userinfo")
    form = {"access_token": body_token} if body_token is not None else None
    return request(method, url, token=token, form=form, headers=headers)

# ------------------------------------------------- logout (issue 4 slice)

AU_SESSION = "AUTHIO_SESSION"
AU_CSRF = "AUTHIO_CSRF"


def logout_request(realm, params, jar=None, method="GET", path="/logout"):
    """GET (query) or POST (form) /realms/{r}{path} with the cookies of
    jar (updated from the answer)."""
    hdrs = dict(HTML_ACCEPT)
    if jar:
        hdrs["Cookie"] = cookie_header(jar)
    url = "/realms/%s%s" % (quote(realm), path)
    if method == "GET":
        if params:
            url += "?" + urllib.parse.urlencode(params)
        r = request("GET", url, headers=hdrs)
    else:
        r = request(method, url, form=params, headers=hdrs)
    if jar is not None:
        cookies_from(r, jar)
    return r
