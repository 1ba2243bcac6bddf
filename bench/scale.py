"""bench/scale.py — the HTTP half of bench/scale.sh.

  scale.py create-realm   BASE CREDS REALM
  scale.py create-realms  BASE CREDS COUNT     (realms bench-0001..)
  scale.py measure        BASE CREDS USERS CLIENTS REALMS
"""

import base64
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse

REPEAT = 30


class Conn:
    """One keep-alive HTTP/1.1 connection with the admin token."""

    def __init__(self, base, creds):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.c = http.client.HTTPConnection(self.host, self.port, timeout=120)
        c = json.load(open(creds))
        basic = base64.b64encode(("%s:%s" % (c["client_id"],
                                             c["client_secret"])).encode())
        status, body = self.call("POST", "/realms/master/token",
                                 b"grant_type=client_credentials",
                                 {"Authorization": "Basic " + basic.decode(),
                                  "Content-Type":
                                  "application/x-www-form-urlencoded"})
        if status != 200:
            raise SystemExit("no admin token: %d %s" % (status, body[:200]))
        self.token = json.loads(body)["access_token"]

    def call(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            try:
                self.c.request(method, path, body=body, headers=headers or {})
                r = self.c.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.c.close()
                self.c = http.client.HTTPConnection(self.host, self.port,
                                                    timeout=120)
                if attempt == 2:
                    raise

    def api(self, method, path, doc=None):
        headers = {"Authorization": "Bearer " + self.token}
        body = None
        if doc is not None:
            body = json.dumps(doc).encode()
            headers["Content-Type"] = "application/json"
        return self.call(method, "/api/admin" + path, body, headers)


def create_realm(conn, realm_id):
    status, body = conn.api("POST", "/realms", {"name": "Realm " + realm_id,
                                                "realmId": realm_id})
    if status not in (201, 409):
        raise SystemExit("creating %s: %d %s" % (realm_id, status, body[:300]))


def create_realms(base, creds, count):
    ids = ["bench-%04d" % i for i in range(1, count + 1)]
    errors = []

    def work(part):
        try:
            conn = Conn(base, creds)
            for rid in part:
                create_realm(conn, rid)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(ids[i::2],))
               for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit("realm creation failed: %r" % errors[0])


def timed(conn, label, method, path, api=True, want=200, check=None):
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        status, body = (conn.api(method, path) if api
                        else conn.call(method, path))
        times.append((time.perf_counter() - t0) * 1000)
        if status != want:
            raise SystemExit("%s: %s -> %d %s" % (label, path, status,
                                                  body[:300]))
    if check is not None:
        check(json.loads(body))
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print("%-44s p50 %6.1f ms   p95 %6.1f ms   max %6.1f ms"
          % (label, statistics.median(times), p95, times[-1]))
    return p95


def total_is(n):
    def check(doc):
        if doc.get("total") != n:
            raise SystemExit("expected total %d, got %r" % (n, doc.get("total")))
    return check


def items_are(n):
    def check(doc):
        if len(doc.get("items", [])) != n:
            raise SystemExit("expected %d items, got %d"
                             % (n, len(doc.get("items", []))))
    return check


def measure(base, creds, users, clients, realms):
    conn = Conn(base, creds)
    s = "/realms/scale"
    last = "bench-%04d" % realms
    worst = []
    print("realm 'scale': %d users, %d clients; %d more realms"
          % (users, clients, realms))
    worst.append(timed(conn, "users: first page (50)", "GET",
                       s + "/users?limit=50", check=total_is(users)))
    worst.append(timed(conn, "users: page at offset %d" % (users // 2), "GET",
                       s + "/users?limit=50&offset=%d" % (users // 2)))
    worst.append(timed(conn, "users: last page", "GET",
                       s + "/users?limit=50&offset=%d" % (users - 50),
                       check=items_are(50)))
    worst.append(timed(conn, "users: 500 per page", "GET",
                       s + "/users?limit=500&offset=1000", check=items_are(500)))
    worst.append(timed(conn, "users: prefix q=user04211", "GET",
                       s + "/users?q=user04211", check=total_is(10)))
    worst.append(timed(conn, "users: exact username", "GET",
                       s + "/users?username=user042117", check=total_is(1)))
    worst.append(timed(conn, "users: exact email", "GET",
                       s + "/users?email=user042117@example.com",
                       check=total_is(1)))
    worst.append(timed(conn, "clients: first page (50)", "GET",
                       s + "/clients?limit=50", check=total_is(clients)))
    worst.append(timed(conn, "clients: last page", "GET",
                       s + "/clients?limit=50&offset=%d" % (clients - 50),
                       check=items_are(50)))
    worst.append(timed(conn, "clients: 500 per page", "GET",
                       s + "/clients?limit=500&offset=2000",
                       check=items_are(500)))
    worst.append(timed(conn, "clients: prefix q=app0421", "GET",
                       s + "/clients?q=app0421", check=total_is(10)))
    worst.append(timed(conn, "clients: one by clientId", "GET",
                       s + "/clients/app04217"))
    worst.append(timed(conn, "realm 'scale' with statistics", "GET", s))
    worst.append(timed(conn, "realms: first page (of %d)" % (realms + 2),
                       "GET", "/realms?limit=50"))
    worst.append(timed(conn, "realms: last page", "GET",
                       "/realms?limit=50&offset=%d" % (realms - 48)))
    worst.append(timed(conn, "realms: prefix q=bench-09", "GET",
                       "/realms?q=bench-09"))
    worst.append(timed(conn, "realm %s" % last, "GET", "/realms/" + last))
    timed(conn, "discovery of %s" % last, "GET",
          "/realms/%s/.well-known/openid-configuration" % last, api=False)
    timed(conn, "JWKS of %s" % last, "GET", "/realms/%s/jwks" % last,
          api=False)
    print("slowest admin request p95: %.1f ms (target < 50 ms)" % max(worst))


def main(argv):
    cmd, base, creds = argv[1], argv[2], argv[3]
    if cmd == "create-realm":
        create_realm(Conn(base, creds), argv[4])
    elif cmd == "create-realms":
        create_realms(base, creds, int(argv[4]))
    elif cmd == "measure":
        measure(base, creds, int(argv[4]), int(argv[5]), int(argv[6]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
