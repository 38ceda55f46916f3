#!/usr/bin/env python3
"""The local stack's front door: a small HTTP/1.1 reverse proxy that bounds what
reaches `cargo lambda watch`.

    python3 infra/local/local_proxy.py --port 8000 --upstream-port 8001

cargo lambda watch 1.9.2 wedges for good once more than 100 requests for one
function are waiting inside it (its per-function queue is a bounded channel of
100 that is pushed into while the queue map's write lock is held, and the
function's next `/next` needs that lock: see docs/local-stack.md). This proxy
keeps at most --max-active requests (default 64, never more than 100) inside
watch at a time; up to --max-waiting more wait here, in arrival order, for at most
--wait-timeout seconds; anything beyond that is answered at once with

    503 {"success": false, "detail": ..., "error": {"code": "local_overloaded", ...}}
    Retry-After: 1

A request keeps its slot until watch has answered it completely, whether or not
its client is still there (watch cannot take back a queued request), or until
--upstream-timeout seconds (default 900) have passed: watch loses a request that
an instance was handling when it restarted the function after a file change, and
such a slot must come back eventually (the client then gets 504
local_upstream_timeout if it is still waiting).

Everything else passes through unchanged, byte for byte: the request line, the
headers, the body (streamed, Content-Length or chunked, `Expect: 100-continue`
answered by watch itself), the status line, the response headers and body. One
upstream connection per request (closed after the answer); the client side keeps
its connection alive as HTTP/1.1 allows. Standard library only.

The public socket is bound at once (so a port already in use fails fast) but only
listens once watch accepts connections; --pid-file is written after the bind. The
proxy exits when its parent process does (it is started by serve.sh), on SIGTERM
and on SIGINT.
"""

import argparse
import asyncio
import collections
import contextlib
import json
import os
import signal
import socket
import sys
import time

HEAD_LIMIT = 256 * 1024  # request or response head (line + headers)
CHUNK = 64 * 1024
WATCH_QUEUE_CAPACITY = 100  # cargo-lambda-watch state.rs: channel::<InvokeRequest>(100)
CLIENT_IDLE_TIMEOUT = 600.0  # an idle keep-alive client connection is closed after this
UPSTREAM_CONNECT_TIMEOUT = 5.0
DRAIN_LIMIT = 16 * 1024 * 1024  # request body read and dropped before a refusal, at most


def log(msg):
    print(f"local-proxy: {msg}", file=sys.stderr, flush=True)


class BadRequest(Exception):
    def __init__(self, status, reason, message):
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message


class Head:
    """A parsed request or response head; `raw` is forwarded unchanged."""

    def __init__(self, raw):
        self.raw = raw
        lines = raw[:-4].split(b"\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name != name.strip():
                raise BadRequest(400, "Bad Request", "malformed header line")
            self.headers.append((name.strip().lower(), value.strip()))

    def values(self, name):
        return [v for n, v in self.headers if n == name]

    def tokens(self, name):
        return [t.strip().lower() for v in self.values(name) for t in v.split(b",") if t.strip()]


def body_framing(head):
    """('none'|'length'|'chunked', length) of a message body, per RFC 9112 6.3."""
    te = head.tokens(b"transfer-encoding")
    cl = head.values(b"content-length")
    if te:
        if cl:
            raise BadRequest(400, "Bad Request", "both Transfer-Encoding and Content-Length")
        if te[-1] != b"chunked":
            raise BadRequest(400, "Bad Request", "unsupported Transfer-Encoding")
        return "chunked", 0
    if cl:
        values = {v.strip() for v in b",".join(cl).split(b",")}
        if len(values) != 1 or not next(iter(values)).isdigit():
            raise BadRequest(400, "Bad Request", "invalid Content-Length")
        n = int(next(iter(values)))
        return ("length", n) if n > 0 else ("none", 0)
    return "none", 0


async def copy_body(reader, framing, length, write):
    """Copies one message body from `reader`, raw (chunk framing included), to
    `write(bytes)` (an async callable). Raises IncompleteReadError on a short body."""
    if framing == "length":
        left = length
        while left:
            data = await reader.read(min(CHUNK, left))
            if not data:
                raise asyncio.IncompleteReadError(b"", left)
            left -= len(data)
            await write(data)
    elif framing == "chunked":
        while True:
            line = await reader.readuntil(b"\r\n")
            await write(line)
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise BadRequest(400, "Bad Request", "malformed chunk size") from None
            if size == 0:
                while True:  # trailer section, up to its empty line
                    line = await reader.readuntil(b"\r\n")
                    await write(line)
                    if line == b"\r\n":
                        return
            left = size + 2  # the chunk and its CRLF
            while left:
                data = await reader.read(min(CHUNK, left))
                if not data:
                    raise asyncio.IncompleteReadError(b"", left)
                left -= len(data)
                await write(data)
    elif framing == "eof":
        while True:
            data = await reader.read(CHUNK)
            if not data:
                return
            await write(data)


class Limiter:
    """At most `max_active` admitted at a time; up to `max_waiting` wait (FIFO)."""

    def __init__(self, max_active, max_waiting):
        self.max_active, self.max_waiting = max_active, max_waiting
        self.active = 0
        self.waiters = collections.deque()

    async def acquire(self, timeout):
        if self.active < self.max_active and not self.waiters:
            self.active += 1
            return True
        if len(self.waiters) >= self.max_waiting:
            return False
        fut = asyncio.get_running_loop().create_future()
        self.waiters.append(fut)
        try:
            await asyncio.wait({fut}, timeout=timeout)
        finally:
            if not fut.done():
                fut.cancel()
                with contextlib.suppress(ValueError):
                    self.waiters.remove(fut)
        if fut.cancelled():
            return False
        return True  # release() handed its slot over

    def release(self):
        self.active -= 1
        while self.waiters:
            fut = self.waiters.popleft()
            if not fut.done():
                self.active += 1
                fut.set_result(True)
                return


class Proxy:
    def __init__(self, args):
        self.args = args
        self.limiter = Limiter(args.max_active, args.max_waiting)
        self.counts = collections.Counter()
        self.reported = collections.Counter()
        self.last_report = time.monotonic()

    # ---------------------------------------------------------------- reporting
    def note(self, what):
        self.counts[what] += 1
        now = time.monotonic()
        if now - self.last_report >= 5.0:
            self.report(now)

    def report(self, now=None):
        new = {k: v - self.reported[k] for k, v in self.counts.items() if v - self.reported[k]}
        if new:
            parts = ", ".join(f"{v} {k}" for k, v in sorted(new.items()))
            log(f"{parts} (now {self.limiter.active} in watch, {len(self.limiter.waiters)} waiting)")
        self.reported = collections.Counter(self.counts)
        self.last_report = now or time.monotonic()

    # ------------------------------------------------------------ own answers
    def error_response(self, req, status, reason, code, message, retry_after=None):
        body = json.dumps(
            {"success": False, "detail": message, "error": {"code": code, "message": message}}
        ).encode()
        lines = [
            f"HTTP/1.1 {status} {reason}",
            "content-type: application/json",
            f"content-length: {len(body)}",
            "connection: close",
        ]
        if retry_after is not None:
            lines.append(f"retry-after: {retry_after}")
        origin = req.values(b"origin") if req is not None else []
        if origin:  # as watch's permissive CORS layer would, so browsers can read it
            lines.append("access-control-allow-origin: " + origin[0].decode("latin-1"))
            lines.append("access-control-allow-credentials: true")
            lines.append("vary: origin")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    async def refuse(self, reader, writer, req, framing, length, status, reason, code, message,
                     retry_after=None):
        """Answers with our own error and closes: reads and drops a modest request
        body first (closing on unread data would reset the connection and could
        lose the answer), except when the client waits for 100-continue."""
        expects = req is not None and b"100-continue" in req.tokens(b"expect")
        if not expects and framing != "none" and (framing == "chunked" or length <= DRAIN_LIMIT):
            async def drop(_):
                return None

            with contextlib.suppress(Exception):
                await asyncio.wait_for(copy_body(reader, framing, length, drop), 10)
        with contextlib.suppress(Exception):
            writer.write(self.error_response(req, status, reason, code, message, retry_after))
            await writer.drain()
        return False

    # --------------------------------------------------------------- serving
    async def handle_client(self, reader, writer):
        sock = writer.get_extra_info("socket")
        with contextlib.suppress(OSError, AttributeError):
            # asyncio sets TCP_NODELAY only on sockets made with proto=IPPROTO_TCP;
            # without it, Nagle + delayed ACKs add ~40 ms to keep-alive requests.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                try:
                    raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CLIENT_IDLE_TIMEOUT)
                except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError):
                    return
                except asyncio.LimitOverrunError:
                    await self.refuse(reader, writer, None, "none", 0, 431,
                                      "Request Header Fields Too Large", "local_bad_request",
                                      "request head too large")
                    return
                raw = raw.lstrip(b"\r\n")  # RFC 9112 2.2: empty lines before a request
                if not raw.strip():
                    continue
                if not await self.serve_one(raw, reader, writer):
                    return
        except Exception as e:  # never let one connection take the proxy down
            log(f"connection error: {type(e).__name__}: {e}")
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def serve_one(self, raw, reader, writer):
        """One request; True when the client connection can carry another one."""
        try:
            req = Head(raw)
            parts = req.first.split(b" ")
            if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
                raise BadRequest(400, "Bad Request", "malformed request line")
            method, version = parts[0], parts[2]
            framing, length = body_framing(req)
        except BadRequest as e:
            self.note("bad requests")
            return await self.refuse(reader, writer, None, "none", 0, e.status, e.reason,
                                     "local_bad_request", e.message)

        admitted = await self.limiter.acquire(self.args.wait_timeout)
        if not admitted:
            self.note("shed (local_overloaded)")
            return await self.refuse(
                reader, writer, req, framing, length, 503, "Service Unavailable",
                "local_overloaded",
                "the local stack is busy (cargo lambda watch takes at most "
                f"{self.args.max_active} requests at a time); retry shortly",
                retry_after=1,
            )
        try:
            return await asyncio.wait_for(
                self.exchange(req, method, version, framing, length, reader, writer),
                self.args.upstream_timeout,
            )
        except asyncio.TimeoutError:
            self.note("upstream timeouts (local_upstream_timeout)")
            if not getattr(writer, "_rehearse_head_sent", False):
                with contextlib.suppress(Exception):
                    writer.write(self.error_response(
                        req, 504, "Gateway Timeout", "local_upstream_timeout",
                        f"cargo lambda watch did not answer within {self.args.upstream_timeout:g} s"))
                    await writer.drain()
            return False
        finally:
            self.limiter.release()

    async def exchange(self, req, method, version, framing, length, reader, writer):
        writer._rehearse_head_sent = False
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(self.args.upstream_host, self.args.upstream_port,
                                        limit=HEAD_LIMIT),
                UPSTREAM_CONNECT_TIMEOUT,
            )
        except (OSError, asyncio.TimeoutError) as e:
            self.note("upstream unavailable (local_upstream_unavailable)")
            return await self.refuse(
                reader, writer, req, framing, length, 502, "Bad Gateway",
                "local_upstream_unavailable",
                f"cargo lambda watch is not answering on {self.args.upstream_host}:"
                f"{self.args.upstream_port} ({type(e).__name__}); is it (re)starting?",
                retry_after=1,
            )
        pump = None
        try:
            up_writer.write(req.raw)

            async def to_upstream(data):
                up_writer.write(data)
                await up_writer.drain()

            if framing != "none":
                pump = asyncio.ensure_future(copy_body(reader, framing, length, to_upstream))
            else:
                await up_writer.drain()

            # The response head (and any interim 1xx), while the body is still going up.
            while True:
                head_task = asyncio.ensure_future(up_reader.readuntil(b"\r\n\r\n"))
                if pump is not None and not pump.done():
                    await asyncio.wait({head_task, pump}, return_when=asyncio.FIRST_COMPLETED)
                    if pump.done() and pump.exception() is not None and not head_task.done():
                        # The client went away or sent a broken body: watch never got
                        # a whole request, so nothing of it is queued there.
                        head_task.cancel()
                        return False
                try:
                    raw = await head_task
                except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError) as e:
                    self.note("upstream broke (local_upstream_unavailable)")
                    if writer._rehearse_head_sent:
                        return False
                    with contextlib.suppress(Exception):
                        writer.write(self.error_response(
                            req, 502, "Bad Gateway", "local_upstream_unavailable",
                            f"cargo lambda watch closed the connection ({type(e).__name__})",
                            retry_after=1))
                        await writer.drain()
                    return False
                resp = Head(raw)
                status = int(resp.first.split(b" ", 2)[1])
                if 100 <= status < 200 and status != 101:
                    if version != b"HTTP/1.0":
                        await self.to_client(writer, raw)
                    continue
                break

            if method == b"HEAD" or status in (204, 304) or status < 200:
                resp_framing, resp_length = "none", 0
            else:
                resp_framing, resp_length = body_framing(resp)
                if resp_framing == "none" and not resp.values(b"content-length"):
                    resp_framing = "eof"
            writer._rehearse_head_sent = True
            await self.to_client(writer, raw)
            if status == 101:
                return False  # no protocol switches here (watch makes none)

            async def to_client(data):
                await self.to_client(writer, data)

            await copy_body(up_reader, resp_framing, resp_length, to_client)

            keep = not getattr(writer, "_rehearse_client_gone", False)
            keep = keep and resp_framing != "eof"
            keep = keep and b"close" not in resp.tokens(b"connection")
            keep = keep and b"close" not in req.tokens(b"connection")
            if version == b"HTTP/1.0":
                keep = keep and b"keep-alive" in req.tokens(b"connection")
            if pump is not None:
                if not pump.done():
                    keep = False  # answered before the whole body was sent: cannot resync
                elif pump.exception() is not None:
                    keep = False
            return keep
        finally:
            if pump is not None and not pump.done():
                pump.cancel()
            with contextlib.suppress(Exception):
                up_writer.close()

    @staticmethod
    async def to_client(writer, data):
        """Writes to the client; once it is gone, keeps quiet (the caller goes on
        reading watch's answer to the end, so the slot is released only then)."""
        if getattr(writer, "_rehearse_client_gone", False):
            return
        try:
            writer.write(data)
            await writer.drain()
        except (ConnectionError, OSError):
            writer._rehearse_client_gone = True


def bind_sockets(hosts, port):
    # SO_REUSEADDR (needed to bind again over the last run's TIME_WAIT connections)
    # lets Linux bind a port that another socket has bound but not yet listened on;
    # a port someone listens on still fails. Check for a listener explicitly too.
    for host in hosts:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((host, port)) == 0:
                raise OSError(98, f"something already listens on {host}:{port}")
    socks = []
    for host in hosts:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            s = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        except OSError as e:
            log(f"skipping {host}: {e}")
            continue
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            s.close()
            if family == socket.AF_INET6 and e.errno in (99,):  # EADDRNOTAVAIL: no IPv6 here
                log(f"skipping {host}: {e}")
                continue
            for other in socks:
                other.close()
            raise
        s.setblocking(False)
        socks.append(s)
    return socks


async def wait_for_upstream(host, port):
    while True:
        try:
            _, w = await asyncio.wait_for(asyncio.open_connection(host, port), 1.0)
            w.close()
            return
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(0.1)


async def main_async(args, socks):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

    async def watch_parent():
        if not args.parent_pid:
            return
        while os.getppid() == args.parent_pid:
            await asyncio.sleep(0.5)
        log(f"parent process {args.parent_pid} is gone: stopping")
        if not stop.done():
            stop.set_result(None)

    tasks = [asyncio.ensure_future(watch_parent())]
    proxy = Proxy(args)
    servers = []
    try:
        # Listen only once watch answers: until then the port is bound (no one else
        # can take it) and connections are refused, as they were before watch started.
        upstream = asyncio.ensure_future(wait_for_upstream(args.upstream_host, args.upstream_port))
        await asyncio.wait({upstream, stop}, return_when=asyncio.FIRST_COMPLETED)
        if not upstream.done():
            upstream.cancel()
            return
        try:
            for s in socks:
                servers.append(await asyncio.start_server(
                    proxy.handle_client, sock=s, limit=HEAD_LIMIT, backlog=1024))
        except OSError as e:
            log(f"cannot listen on port {args.port}: {e}")
            raise SystemExit(1) from None
        where = ", ".join(f"{s.getsockname()[0]}:{s.getsockname()[1]}" for s in socks)
        log(f"listening on {where} -> cargo lambda watch on {args.upstream_host}:{args.upstream_port} "
            f"(at most {args.max_active} requests in watch, {args.max_waiting} waiting)")

        async def periodic_report():
            while True:
                await asyncio.sleep(5.0)
                proxy.report()

        tasks.append(asyncio.ensure_future(periodic_report()))
        await stop
    finally:
        for t in tasks:
            t.cancel()
        for server in servers:
            server.close()
        proxy.report()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", action="append", default=None,
                   help="address to listen on (repeatable; default 127.0.0.1 and ::1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--upstream-host", default="127.0.0.1")
    p.add_argument("--upstream-port", type=int, default=8001)
    p.add_argument("--max-active", type=int, default=64,
                   help=f"requests inside watch at a time (1-{WATCH_QUEUE_CAPACITY})")
    p.add_argument("--max-waiting", type=int, default=256, help="requests waiting here for a slot")
    p.add_argument("--wait-timeout", type=float, default=30.0, help="seconds a request may wait for a slot")
    p.add_argument("--upstream-timeout", type=float, default=900.0,
                   help="seconds watch may take to answer before the slot is given back")
    p.add_argument("--parent-pid", type=int, default=0, help="exit when this parent process is gone")
    p.add_argument("--pid-file", default=None, help="written once the port is bound")
    args = p.parse_args()
    if not 1 <= args.max_active <= WATCH_QUEUE_CAPACITY:
        p.error(f"--max-active must be 1..{WATCH_QUEUE_CAPACITY}: above that cargo lambda watch 1.9.2 "
                "can deadlock (docs/local-stack.md)")
    if args.max_waiting < 0 or args.wait_timeout < 0 or args.upstream_timeout <= 0:
        p.error("--max-waiting, --wait-timeout must be >= 0 and --upstream-timeout > 0")
    hosts = args.host or ["127.0.0.1", "::1"]
    try:
        socks = bind_sockets(hosts, args.port)
    except OSError as e:
        log(f"cannot listen on port {args.port}: {e}")
        return 1
    if not socks:
        log("no address to listen on")
        return 1
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write(f"{os.getpid()}\n")
    try:
        asyncio.run(main_async(args, socks))
    finally:
        if args.pid_file:
            with contextlib.suppress(OSError):
                os.unlink(args.pid_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
