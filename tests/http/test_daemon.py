"""authiod as a process: pre-forking, supervision, recycling, reload,
draining, and serving a socket handed over on fd 0.

Each test starts its own authiod on a private unix socket (a copy of the
suite's configuration with the socket, pid file and a few limits changed)
and talks FastCGI to it directly with cgi-fcgi, so what is tested is the
daemon itself, not the web server in front of it.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("AUTHIO_BIN", "")
CONFIG = os.environ.get("AUTHIO_CONFIG", "")


def rewrite_config(text, **server):
    """Returns the configuration with [server] keys replaced or added."""
    lines, section, seen = [], "", set()
    for line in text.splitlines():
        m = re.match(r"\s*\[(\w+)\]\s*$", line)
        if m:
            if section == "server":
                lines += ["%s = %s" % (k, v) for k, v in server.items() if k not in seen]
            section = m.group(1)
            lines.append(line)
            continue
        m = re.match(r"\s*(\w+)\s*=", line)
        if section == "server" and m and m.group(1) in server:
            seen.add(m.group(1))
            lines.append("%s = %s" % (m.group(1), server[m.group(1)]))
            continue
        lines.append(line)
    if section == "server":
        lines += ["%s = %s" % (k, v) for k, v in server.items() if k not in seen]
    return "\n".join(lines) + "\n"


def fcgi(sock, method, uri, body=b"", headers=None, timeout=20):
    """One FastCGI request through cgi-fcgi; returns (status, headers, body)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "REQUEST_METHOD": method, "REQUEST_URI": uri,
           "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
           "CONTENT_LENGTH": str(len(body))}
    for k, v in (headers or {}).items():
        if k.lower() == "content-type":
            env["CONTENT_TYPE"] = v
        else:
            env["HTTP_" + k.upper().replace("-", "_")] = v
    out = subprocess.run(["cgi-fcgi", "-bind", "-connect", sock], input=body,
                         env=env, capture_output=True, timeout=timeout).stdout
    head, _, payload = out.partition(b"\r\n\r\n")
    hdrs = {}
    for line in head.decode("latin-1").split("\r\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    status = int(hdrs.get("status", "200").split()[0])
    return status, hdrs, payload


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def wait_for(pred, timeout=10.0, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(step)
    return False


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return sorted(int(x) for x in f.read().split())
    except OSError:
        return []


class DaemonCase(unittest.TestCase):
    """A private authiod per test (also used by test_fcgi_keepalive)."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="authiod-test-")
        os.chmod(self.dir, 0o755)
        self.sock = os.path.join(self.dir, "d.sock")
        self.pidfile = os.path.join(self.dir, "d.pid")
        self.conf = os.path.join(self.dir, "d.conf")
        self.log = open(os.path.join(self.dir, "d.log"), "wb")
        self.proc = None

    def tearDown(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in getattr(self, "extra_pids", []):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def write_config(self, **server):
        self.write_config_from(CONFIG, **server)

    def write_config_from(self, path, **server):
        base = read(path)
        values = {"listen": self.sock, "pid_file": self.pidfile,
                  "socket_mode": "0666", "workers": "2"}
        values.update(server)
        with open(self.conf, "w") as f:
            f.write(rewrite_config(base, **values))

    def start(self, **server):
        self.write_config(**server)
        self.proc = subprocess.Popen([os.path.join(BIN, "authiod"), "-c", self.conf],
                                     stdout=self.log, stderr=self.log)
        self.assertTrue(wait_for(lambda: os.path.exists(self.sock)), "socket never appeared")
        self.assertTrue(wait_for(lambda: len(children(self.proc.pid)) >= int(server.get("workers", 2))))

    def health(self):
        status, _, body = fcgi(self.sock, "GET", "/healthz")
        self.assertEqual(status, 200, body)
        return json.loads(body)


@unittest.skipUnless(BIN and CONFIG and shutil.which("cgi-fcgi"),
                     "needs AUTHIO_BIN, AUTHIO_CONFIG and cgi-fcgi")
class DaemonTest(DaemonCase):
    def test_prefork_pid_file_and_health(self):
        self.start(workers="3")
        self.assertEqual(int(read(self.pidfile)), self.proc.pid)
        self.assertEqual(len(children(self.proc.pid)), 3)
        doc = self.health()
        self.assertEqual(doc["database"], "ok")
        self.assertIn(doc["worker"]["pid"], children(self.proc.pid))

    @unittest.skipUnless(os.geteuid() == 0, "needs root to drop privileges")
    def test_drops_privileges_after_reading_secrets(self):
        # the master reads the master key and database password as root,
        # then master and workers run as the configured user
        import pwd
        nobody = pwd.getpwnam("nobody")
        self.start(user="nobody", group="nogroup")
        for pid in [self.proc.pid] + children(self.proc.pid):
            uids = [l for l in read("/proc/%d/status" % pid).splitlines()
                    if l.startswith("Uid:")][0].split()[1:]
            self.assertEqual(set(int(u) for u in uids), {nobody.pw_uid})
        doc = self.health()
        self.assertEqual(doc["database"], "ok")

    def test_dead_worker_is_replaced(self):
        self.start()
        before = children(self.proc.pid)
        os.kill(before[0], signal.SIGKILL)
        self.assertTrue(wait_for(lambda: len(children(self.proc.pid)) == 2
                                 and before[0] not in children(self.proc.pid)))
        self.health()

    def test_workers_exit_when_master_is_killed(self):
        self.start()
        workers = children(self.proc.pid)
        self.proc.kill()
        self.proc.wait()
        self.assertTrue(wait_for(lambda: not any(
            os.path.exists("/proc/%d" % p) and read("/proc/%d/stat" % p).split()[2] != "Z"
            for p in workers)), "workers outlived their master")

    def test_worker_recycled_after_max_requests(self):
        self.start(workers="1", max_requests="3")
        first = children(self.proc.pid)
        pids = set()
        for _ in range(7):
            pids.add(self.health()["worker"]["pid"])
        self.assertGreaterEqual(len(pids), 3, "a worker served more than max_requests")
        self.assertNotIn(first[0], children(self.proc.pid))
        self.assertIsNone(self.proc.poll())

    def test_sighup_rolls_workers_and_bad_config_is_refused(self):
        self.start()
        old = set(children(self.proc.pid))
        os.kill(self.proc.pid, signal.SIGHUP)
        self.assertTrue(wait_for(lambda: len(children(self.proc.pid)) == 2
                                 and not old & set(children(self.proc.pid))))
        self.health()
        # a broken file is refused and the running workers keep serving
        with open(self.conf, "a") as f:
            f.write("\n[server]\nno_such_key = 1\n")
        current = set(children(self.proc.pid))
        os.kill(self.proc.pid, signal.SIGHUP)
        time.sleep(0.5)
        self.assertEqual(set(children(self.proc.pid)), current)
        self.health()
        self.log.flush()
        self.assertIn(b"reload refused", read(self.log.name, "rb"))

    def test_sigterm_drains_in_flight_request(self):
        self.start(workers="1")
        creds = json.loads(read(os.environ["AUTHIO_CREDENTIALS"]))
        import base64
        import urllib.parse
        basic = base64.b64encode(("%s:%s" % (urllib.parse.quote(creds["client_id"], safe=""),
                                             urllib.parse.quote(creds["client_secret"], safe="")))
                                 .encode()).decode()
        status, _, body = fcgi(self.sock, "POST", "/realms/master/token",
                               b"grant_type=client_credentials",
                               {"Content-Type": "application/x-www-form-urlencoded",
                                "Authorization": "Basic " + basic})
        self.assertEqual(status, 200, body)
        token = json.loads(body)["access_token"]
        # creating a realm generates an RSA key: slow enough to be in flight
        realm = "drain-%d" % os.getpid()
        payload = json.dumps({"name": "Drain", "realmId": realm}).encode()
        env_headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
        import threading
        result = {}

        def call():
            result["r"] = fcgi(self.sock, "POST", "/api/admin/realms", payload, env_headers)
        t = threading.Thread(target=call)
        t.start()
        time.sleep(0.03)
        self.proc.send_signal(signal.SIGTERM)
        t.join(30)
        self.assertEqual(self.proc.wait(30), 0)
        self.assertEqual(result["r"][0], 201, result["r"][2])
        self.assertFalse(os.path.exists(self.sock), "socket left behind")
        self.assertFalse(os.path.exists(self.pidfile), "pid file left behind")
        # clean up the realm through a fresh instance
        self.log.close()
        self.log = open(os.path.join(self.dir, "d2.log"), "wb")
        self.start(workers="1")
        status, _, _ = fcgi(self.sock, "DELETE", "/api/admin/realms/" + realm, b"",
                            {"Authorization": "Bearer " + token})
        self.assertEqual(status, 204)

    def test_serves_socket_on_fd0_under_spawn_fcgi(self):
        if not shutil.which("spawn-fcgi"):
            self.skipTest("spawn-fcgi not installed")
        self.write_config(listen="/nonexistent/unused.sock")
        pidfile = os.path.join(self.dir, "spawn.pid")
        subprocess.run(["spawn-fcgi", "-s", self.sock, "-M", "0666", "-P", pidfile, "--",
                        os.path.join(BIN, "authiod"), "-c", self.conf],
                       check=True, capture_output=True)
        self.assertTrue(wait_for(lambda: os.path.exists(pidfile)))
        self.extra_pids = [int(read(pidfile))]
        doc = self.health()
        self.assertEqual(doc["worker"]["pid"], self.extra_pids[0])

    def test_database_outage_is_503_not_a_crash(self):
        # workers connect lazily: without a database they keep running and
        # answer 503 (health) and problem+json 503 (everything needing it)
        outage = os.path.join(self.dir, "outage.conf")
        with open(outage, "w") as f:
            f.write(re.sub(r"(?m)^socket = .*$",
                           "socket = %s/no-such-mysqld.sock" % self.dir, read(CONFIG)))
        self.write_config_from(outage)
        self.proc = subprocess.Popen([os.path.join(BIN, "authiod"), "-c", self.conf],
                                     stdout=self.log, stderr=self.log)
        self.assertTrue(wait_for(lambda: len(children(self.proc.pid)) == 2))
        before = children(self.proc.pid)
        status, _, body = fcgi(self.sock, "GET", "/healthz")
        self.assertEqual(status, 503, body)
        self.assertEqual(json.loads(body)["database"], "unavailable")
        status, hdrs, body = fcgi(self.sock, "GET", "/realms/master/jwks")
        self.assertEqual(status, 503, body)
        self.assertEqual(hdrs.get("content-type"), "application/problem+json")
        self.assertIn("retry-after", hdrs)
        status, _, body = fcgi(self.sock, "POST", "/realms/master/token",
                               b"grant_type=client_credentials",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 503, body)
        self.assertEqual(children(self.proc.pid), before, "workers were restarted")

    def test_bad_listen_directory_fails_cleanly(self):
        self.write_config(listen=os.path.join(self.dir, "missing", "x.sock"))
        r = subprocess.run([os.path.join(BIN, "authiod"), "-c", self.conf],
                           capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"does not exist", r.stderr)


if __name__ == "__main__":
    unittest.main()
