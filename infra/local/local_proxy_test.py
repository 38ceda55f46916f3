#!/usr/bin/env python3
"""Tests of infra/local/local_proxy.py against a stand-in upstream (no watch needed).

    python3 infra/local/local_proxy_test.py        # a few seconds; standard library only

Pass-through (status, repeated and mixed-case headers, Content-Length and chunked
bodies both ways, HEAD, 204, Expect: 100-continue, keep-alive), the bound (never
more than --max-active requests upstream, the waiting room, the 503
local_overloaded refusal with Retry-After), a slot kept until the upstream has
answered even when the client left, a slot given back after --upstream-timeout,
and 502 local_upstream_unavailable when nothing listens upstream.
"""

import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import unittest

PROXY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "local_proxy.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.seen = []  # paths, in the order their handling started
        self.gates = {}  # path -> threading.Event the handler waits for
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.read(2)
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def handle_one(self):
        srv = self.server
        with srv.lock:
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
            srv.seen.append(self.path)
        try:
            body = self.read_body()
            gate = srv.gates.get(self.path)
            if gate is not None:
                gate.wait(30)
            if self.path == "/echo":
                self.send_response(201)
                self.send_header("X-Mixed-Case", "Keep Me")
                self.send_header("Set-Cookie", "a=1; Path=/")
                self.send_header("Set-Cookie", "b=2; Path=/")
                self.send_header("X-Method", self.command)
                self.send_header("X-Seen-Content-Type", self.headers.get("Content-Type", "-"))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            elif self.path == "/chunked":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for part in (b"hello ", b"chunked ", b"world"):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\n\r\n")
            elif self.path == "/empty":
                self.send_response(204)
                self.end_headers()
            else:
                payload = b'{"ok":true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
        finally:
            with srv.lock:
                srv.active -= 1

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_one


class ProxyTest(unittest.TestCase):
    extra_args = []

    @classmethod
    def setUpClass(cls):
        cls.upstream = Upstream()
        cls.port = free_port()
        cls.proc = subprocess.Popen(
            [sys.executable, PROXY, "--host", "127.0.0.1", "--port", str(cls.port),
             "--upstream-port", str(cls.upstream.port), *cls.extra_args],
            stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", cls.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the proxy did not start listening")

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(10)
        cls.proc.stderr.close()
        cls.upstream.shutdown()
        cls.upstream.server_close()

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)

    def request(self, method, path, body=None, headers=None):
        c = self.conn()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data


class PassThrough(ProxyTest):
    def test_status_headers_body(self):
        body = os.urandom(300_000)
        r, data = self.request("POST", "/echo", body, {"Content-Type": "application/pdf"})
        self.assertEqual(r.status, 201)
        self.assertEqual(data, body)
        self.assertEqual(r.getheader("X-Mixed-Case"), "Keep Me")
        self.assertEqual(r.msg.get_all("Set-Cookie"), ["a=1; Path=/", "b=2; Path=/"])
        self.assertEqual(r.getheader("X-Seen-Content-Type"), "application/pdf")

    def test_chunked_request_and_response(self):
        c = self.conn()
        c.request("POST", "/echo", body=iter([b"abc", b"", b"defgh"]),
                  headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
        r = c.getresponse()
        self.assertEqual(r.read(), b"abcdefgh")
        c.request("GET", "/chunked")
        r = c.getresponse()
        self.assertEqual(r.read(), b"hello chunked world")
        c.close()

    def test_head_204_and_keep_alive(self):
        c = self.conn()
        for method, path, status, body in [
            ("HEAD", "/echo", 201, b""), ("GET", "/empty", 204, b""), ("GET", "/", 200, b'{"ok":true}'),
        ]:
            c.request(method, path)
            r = c.getresponse()
            self.assertEqual((r.status, r.read()), (status, body))
        c.close()

    def test_expect_100_continue(self):
        body = os.urandom(2_000_000)
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as s:
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body))
            interim = s.recv(64)
            self.assertTrue(interim.startswith(b"HTTP/1.1 100"), interim)
            s.sendall(body)
            f = s.makefile("rb")
            status = f.readline()
            self.assertIn(b" 201 ", status)
            length = None
            while (line := f.readline()) != b"\r\n":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.assertEqual(f.read(length), body)

    def test_bad_request_line(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as s:
            s.sendall(b"NONSENSE\r\n\r\n")
            self.assertIn(b" 400 ", s.recv(4096).split(b"\r\n")[0] + b" ")


class Bounds(ProxyTest):
    extra_args = ["--max-active", "2", "--max-waiting", "1", "--wait-timeout", "20"]

    def test_bound_waiting_room_and_shedding(self):
        gate = self.upstream.gates["/slow"] = threading.Event()
        results = []

        def client():
            r, data = self.request("GET", "/slow")
            results.append((r.status, r.getheader("Retry-After"), data))

        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
            time.sleep(0.05)
        time.sleep(0.5)
        self.assertEqual(self.upstream.active, 2)  # two inside, one waiting, three refused
        shed = [r for r in results if r[0] == 503]
        self.assertEqual(len(shed), 3)
        status, retry_after, data = shed[0]
        self.assertEqual(retry_after, "1")
        body = json.loads(data)
        self.assertEqual(body["success"], False)
        self.assertEqual(body["error"]["code"], "local_overloaded")
        self.assertEqual(body["detail"], body["error"]["message"])
        gate.set()
        for t in threads:
            t.join(20)
        self.assertEqual(sorted(r[0] for r in results), [200, 200, 200, 503, 503, 503])
        self.assertEqual(self.upstream.max_active, 2)
        del self.upstream.gates["/slow"]


class SlotKeptAfterClientLeaves(ProxyTest):
    extra_args = ["--max-active", "1", "--max-waiting", "5", "--wait-timeout", "20"]

    def test_slot_released_only_when_upstream_answered(self):
        gate = self.upstream.gates["/held"] = threading.Event()
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            s.sendall(b"GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.3)
        # The client is gone; its request still occupies watch's queue: the next waits.
        done = []
        t = threading.Thread(target=lambda: done.append(self.request("GET", "/next")[0].status))
        t.start()
        time.sleep(0.5)
        self.assertEqual(done, [])
        self.assertNotIn("/next", self.upstream.seen)
        gate.set()
        t.join(10)
        self.assertEqual(done, [200])


class UpstreamTimeout(ProxyTest):
    extra_args = ["--max-active", "1", "--max-waiting", "5", "--upstream-timeout", "1"]

    def test_timeout_gives_the_slot_back(self):
        self.upstream.gates["/lost"] = threading.Event()  # never set: a request watch lost
        r, data = self.request("GET", "/lost")
        self.assertEqual(r.status, 504)
        self.assertEqual(json.loads(data)["error"]["code"], "local_upstream_timeout")
        r, _ = self.request("GET", "/after")
        self.assertEqual(r.status, 200)


class UpstreamDown(ProxyTest):
    def test_502_when_upstream_is_gone(self):
        self.upstream.shutdown()
        self.upstream.server_close()
        r, data = self.request("POST", "/echo", b"x" * 1000)
        self.assertEqual(r.status, 502)
        self.assertEqual(json.loads(data)["error"]["code"], "local_upstream_unavailable")

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(10)
        cls.proc.stderr.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
