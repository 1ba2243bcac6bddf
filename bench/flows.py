"""bench/flows.py — the drivers of bench/flows.sh (stdlib only).

  flows.py hash-rate SECONDS PROCS LN R P
      scrypt (OpenSSL's, through hashlib) at cost 2^LN, r, p on PROCS
      processes for SECONDS: prints "hashes/s ms-per-hash".
  flows.py logins BASE REALM CLIENT SECRET PASSWORD SECONDS CONC USER...
      complete logins on CONC threads for SECONDS — GET /authorize (a
      fresh browser: the login page), POST the login form, exchange the
      code at /token — prints "logins/s p50-ms p99-ms count failures".
  flows.py refresh-tokens BASE REALM CLIENT SECRET PASSWORD N USER...
      N logins; prints one refresh token per line.
"""

import base64
import hashlib
import html.parser
import http.client
import json
import multiprocessing
import os
import sys
import threading
import time
import urllib.parse

CB = "https://app.example/cb"


def scrypt_loop(args):
    seconds, ln, r, p = args
    n, end = 0, time.monotonic() + seconds
    salt = os.urandom(16)
    while time.monotonic() < end:
        hashlib.scrypt(b"correct horse battery", salt=salt, n=1 << ln, r=r,
                       p=p, maxmem=256 << 20, dklen=32)
        n += 1
    return n


def hash_rate(seconds, procs, ln, r, p):
    with multiprocessing.Pool(procs) as pool:
        t0 = time.monotonic()
        counts = pool.map(scrypt_loop, [(seconds, ln, r, p)] * procs)
        elapsed = time.monotonic() - t0
    total = sum(counts)
    print("%.1f %.1f" % (total / elapsed, 1000.0 * elapsed * procs / total))


class Forms(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action")
        elif tag == "input" and a.get("name") and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value") or ""


class Browser:
    """One keep-alive connection and a cookie jar."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.jar = {}

    def call(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.jar:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.jar.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=h)
        resp = self.conn.getresponse()
        data = resp.read()
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.jar[name.strip()] = rest.split(";", 1)[0]
        return resp.status, dict((k.lower(), v) for k, v in
                                 resp.getheaders()), data


def login(base, realm, client, secret, user, password, br=None):
    """One complete login; returns the token response (dict)."""
    br = br or Browser(base)
    br.jar = {}
    q = urllib.parse.urlencode({
        "client_id": client, "redirect_uri": CB, "response_type": "code",
        "scope": "openid profile", "state": "s", "nonce": "n"})
    st, _, body = br.call("GET", "/realms/%s/authorize?%s" % (realm, q),
                          headers={"Accept": "text/html"})
    if st != 200:
        raise RuntimeError("authorize: %d" % st)
    f = Forms()
    f.feed(body.decode("utf-8"))
    fields = dict(f.fields, username=user, password=password)
    st, h, _ = br.call("POST", f.action, body=fields,
                       headers={"Accept": "text/html"})
    loc = h.get("location", "")
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query).get("code")
    if st != 302 or not code:
        raise RuntimeError("login: %d %s" % (st, loc[:80]))
    basic = base64.b64encode(("%s:%s" % (client, secret)).encode()).decode()
    st, _, body = br.call("POST", "/realms/%s/token" % realm,
                          body={"grant_type": "authorization_code",
                                "code": code[0], "redirect_uri": CB},
                          headers={"Authorization": "Basic " + basic})
    if st != 200:
        raise RuntimeError("token: %d %s" % (st, body[:200]))
    return json.loads(body)


def logins(base, realm, client, secret, password, seconds, conc, users):
    lat, fails, lock = [], [0], threading.Lock()
    end = time.monotonic() + seconds

    def run(i):
        br = Browser(base)
        k = i
        while time.monotonic() < end:
            t0 = time.monotonic()
            try:
                login(base, realm, client, secret, users[k % len(users)],
                      password, br)
                ok = True
            except Exception:
                ok = False
                br = Browser(base)
            dt = time.monotonic() - t0
            with lock:
                if ok:
                    lat.append(dt)
                else:
                    fails[0] += 1
            k += conc

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    lat.sort()

    def pct(p):
        return 1000.0 * lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0

    print("%.1f %.1f %.1f %d %d" % (len(lat) / elapsed, pct(0.5), pct(0.99),
                                    len(lat), fails[0]))


def main(argv):
    cmd = argv[1]
    if cmd == "hash-rate":
        hash_rate(float(argv[2]), int(argv[3]), int(argv[4]), int(argv[5]),
                  int(argv[6]))
    elif cmd == "logins":
        base, realm, client, secret, password = argv[2:7]
        logins(base, realm, client, secret, password, float(argv[7]),
               int(argv[8]), argv[9:])
    elif cmd == "refresh-tokens":
        base, realm, client, secret, password = argv[2:7]
        n, users = int(argv[7]), argv[8:]
        for i in range(n):
            t = login(base, realm, client, secret, users[i % len(users)],
                      password)
            print(t["refresh_token"])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
