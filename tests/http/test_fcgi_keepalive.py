"""authiod's FastCGI connections kept open (FCGI_KEEP_CONN), as nginx's
`fastcgi_keep_conn on` uses them: several requests on one connection,
management records, idle connections that must not pin a worker, a stalled
request that must not hold the others for long, SIGTERM with idle
connections, and a TCP listening socket.

Each test starts its own authiod (as test_daemon does) and speaks raw
FastCGI records to it over the socket.
"""
import os
import socket
import struct
import time
import unittest

from test_daemon import BIN, CONFIG, DaemonCase, wait_for

BEGIN, ABORT, END, PARAMS, STDIN, STDOUT = 1, 2, 3, 4, 5, 6
GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE = 9, 10, 11


def record(rtype, rid, content=b""):
    return struct.pack(">BBHHBB", 1, rtype, rid, len(content), 0, 0) + content


def nv(name, value):
    out = b""
    for part in (name, value):
        n = len(part)
        out += bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return out + name + value


def request_bytes(rid, uri, keep=True, method="GET", body=b""):
    params = b"".join(nv(k.encode(), v.encode()) for k, v in (
        ("REQUEST_METHOD", method), ("REQUEST_URI", uri),
        ("SERVER_PROTOCOL", "HTTP/1.1"), ("REMOTE_ADDR", "127.0.0.1"),
        ("CONTENT_LENGTH", str(len(body))),
        ("CONTENT_TYPE", "application/x-www-form-urlencoded")))
    out = record(BEGIN, rid, struct.pack(">HB5x", 1, 1 if keep else 0))
    out += record(PARAMS, rid, params) + record(PARAMS, rid)
    for i in range(0, len(body), 65535):
        out += record(STDIN, rid, body[i:i + 65535])
    return out + record(STDIN, rid)


class Conn:
    """One FastCGI connection with a record reader."""

    def __init__(self, address, timeout=10):
        family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
        self.s = socket.socket(family, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(address)
        self.buf = b""

    def close(self):
        self.s.close()

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk

    def read_record(self):
        self._need(8)
        _, rtype, rid, clen, pad, _ = struct.unpack(">BBHHBB", self.buf[:8])
        self._need(8 + clen + pad)
        content = self.buf[8:8 + clen]
        self.buf = self.buf[8 + clen + pad:]
        return rtype, rid, content

    def request(self, rid, uri, keep=True, method="GET", body=b""):
        """Sends one request; returns (status, body) from its records."""
        self.s.sendall(request_bytes(rid, uri, keep, method, body))
        return self.response(rid)

    def response(self, rid):
        out = b""
        while True:
            rtype, got, content = self.read_record()
            if rtype == STDOUT and got == rid:
                out += content
            elif rtype == END and got == rid:
                break
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        for line in head.decode("latin-1").split("\r\n"):
            if line.lower().startswith("status:"):
                status = int(line.split(":", 1)[1].split()[0])
        return status, payload

    def closed_by_peer(self, timeout):
        self.s.settimeout(timeout)
        try:
            return self.s.recv(1) == b""
        except (socket.timeout, ConnectionResetError):
            return False


@unittest.skipUnless(BIN and CONFIG, "needs AUTHIO_BIN and AUTHIO_CONFIG")
class KeepAliveTest(DaemonCase):
    def test_requests_on_one_kept_connection(self):
        self.start()
        c = Conn(self.sock)
        for rid in (1, 1, 2, 300):
            status, body = c.request(rid, "/healthz")
            self.assertEqual(status, 200, body)
        # a POST with a body, then a request the web server does not keep
        status, body = c.request(5, "/realms/master/token", method="POST",
                                 body=b"grant_type=client_credentials")
        self.assertEqual(status, 401, body)
        status, _ = c.request(6, "/healthz", keep=False)
        self.assertEqual(status, 200)
        self.assertTrue(c.closed_by_peer(5))
        c.close()

    def test_body_over_max_body_is_413_and_the_connection_goes_on(self):
        self.start(max_body="1024")
        c = Conn(self.sock)
        for size in (5000, 70000):  # one STDIN record, then several
            status, body = c.request(1, "/realms/master/token", method="POST",
                                     body=b"a=" + b"x" * size)
            self.assertEqual(status, 413, body)
        status, body = c.request(2, "/realms/master/token", method="POST",
                                 body=b"grant_type=client_credentials")
        self.assertEqual(status, 401, body)
        c.close()

    def test_management_records(self):
        self.start()
        c = Conn(self.sock)
        c.s.sendall(record(GET_VALUES, 0, nv(b"FCGI_MPXS_CONNS", b"") +
                           nv(b"FCGI_MAX_CONNS", b"")) + record(77, 0, bytes(8)))
        rtype, rid, content = c.read_record()
        self.assertEqual((rtype, rid), (GET_VALUES_RESULT, 0))
        self.assertIn(nv(b"FCGI_MPXS_CONNS", b"0"), content)
        self.assertIn(b"FCGI_MAX_CONNS", content)
        rtype, rid, content = c.read_record()
        self.assertEqual((rtype, rid, content[0]), (UNKNOWN_TYPE, 0, 77))
        # the connection still serves requests
        self.assertEqual(c.request(1, "/healthz")[0], 200)
        c.close()

    def test_idle_kept_connections_do_not_pin_workers(self):
        self.start(workers="2")
        idle = [Conn(self.sock) for _ in range(8)]
        for i, c in enumerate(idle):
            self.assertEqual(c.request(i + 1, "/healthz")[0], 200)
        # every worker now holds idle connections; new ones are served
        t0 = time.time()
        for _ in range(4):
            c = Conn(self.sock)
            self.assertEqual(c.request(1, "/healthz", keep=False)[0], 200)
            c.close()
        # and so are the idle ones, in any order
        for c in reversed(idle):
            self.assertEqual(c.request(9, "/healthz")[0], 200)
            c.close()
        self.assertLess(time.time() - t0, 3)

    def test_stalled_request_is_dropped_and_does_not_hold_others(self):
        self.start(workers="1")
        stalled = Conn(self.sock, timeout=30)
        stalled.s.sendall(request_bytes(1, "/healthz")[:20])
        time.sleep(0.3)
        t0 = time.time()
        c = Conn(self.sock, timeout=30)
        self.assertEqual(c.request(1, "/healthz")[0], 200)
        # the one worker waited at most its read timeout for the stalled one
        self.assertLess(time.time() - t0, 8)
        self.assertTrue(stalled.closed_by_peer(10))
        self.assertEqual(c.request(2, "/healthz")[0], 200)
        stalled.close()
        c.close()

    def test_malformed_record_closes_only_its_connection(self):
        self.start(workers="1")
        good = Conn(self.sock)
        self.assertEqual(good.request(1, "/healthz")[0], 200)
        bad = Conn(self.sock)
        bad.s.sendall(b"\x02" + record(BEGIN, 1, bytes(8))[1:])
        self.assertTrue(bad.closed_by_peer(5))
        self.assertEqual(good.request(2, "/healthz")[0], 200)
        bad.close()
        good.close()

    def test_sigterm_closes_idle_connections_and_exits(self):
        self.start(workers="2")
        idle = [Conn(self.sock) for _ in range(4)]
        for c in idle:
            self.assertEqual(c.request(1, "/healthz")[0], 200)
        t0 = time.time()
        self.proc.terminate()
        self.proc.wait(15)
        self.assertLess(time.time() - t0, 5)
        for c in idle:
            self.assertTrue(c.closed_by_peer(2))
            c.close()

    def test_stopping_worker_answers_then_gives_the_connection_up(self):
        # while it drains, a worker still answers on the connections it
        # holds, follows the answer with a record after END_REQUEST (nginx
        # then does not keep the connection) and closes it
        self.start(workers="1")
        c = Conn(self.sock)
        self.assertEqual(c.request(1, "/healthz")[0], 200)
        self.proc.terminate()
        time.sleep(0.2)
        self.assertEqual(c.request(2, "/healthz")[0], 200)
        self.assertEqual(c.read_record()[:2], (7, 2))  # empty FCGI_STDERR
        self.assertTrue(c.closed_by_peer(5))
        c.close()
        self.proc.wait(15)

    def test_tcp_listen_socket_keeps_connections(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        self.write_config(listen="127.0.0.1:%d" % port)
        import subprocess
        self.proc = subprocess.Popen([os.path.join(BIN, "authiod"), "-c", self.conf],
                                     stdout=self.log, stderr=self.log)

        def connectable():
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                return True
            except OSError:
                return False
        self.assertTrue(wait_for(connectable))
        c = Conn(("127.0.0.1", port))
        for rid in (1, 2, 3):
            self.assertEqual(c.request(rid, "/healthz")[0], 200)
        self.assertEqual(c.request(4, "/healthz", keep=False)[0], 200)
        self.assertTrue(c.closed_by_peer(5))
        c.close()


if __name__ == "__main__":
    unittest.main()
