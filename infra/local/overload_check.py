#!/usr/bin/env python3
"""N concurrent clients against the local stack, then: does it still answer?

    python3 infra/local/overload_check.py                      # 200 x GET / on :8000
    python3 infra/local/overload_check.py --clients 128 --url http://127.0.0.1:9300/

Every client opens its own connection and, once all of them are connected (a
barrier), sends its request at the same moment; --rounds sends that many requests
one after another on each connection. A client that gets no answer within
--timeout seconds counts as "no answer". Afterwards a single GET of --probe-url
(default: --url) must answer within --probe-within seconds.

Passes (exit 0) when every request got an HTTP answer, every answer is a 2xx/3xx/4xx
or the local stack's documented shed (503 with code local_overloaded), and the
probe answered in time. Standard library only; prints one JSON summary line.
cargo lambda watch 1.9.2 without the bounding proxy (docs/local-stack.md) fails
this from about 102 concurrent clients of one function: nothing answers any more.
"""

import argparse
import collections
import http.client
import json
import sys
import threading
import time
import urllib.parse


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8000/", help="URL every client requests")
    p.add_argument("--method", default="GET")
    p.add_argument("--body", default=None, help="request body (sent as application/json)")
    p.add_argument("--clients", type=int, default=200, help="concurrent connections")
    p.add_argument("--rounds", type=int, default=1, help="requests per connection, one after another")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds a client waits for each answer")
    p.add_argument("--probe-url", default=None, help="URL probed afterwards (default: --url)")
    p.add_argument("--probe-within", type=float, default=10.0, help="seconds the probe may take")
    return p.parse_args()


def one_client(url, method, body, rounds, timeout, barrier, results, lock):
    u = urllib.parse.urlsplit(url)
    path = (u.path or "/") + (("?" + u.query) if u.query else "")
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    outcomes = []
    try:
        conn.connect()
    except OSError as e:
        outcomes.append(("connect-error", type(e).__name__, 0.0))
    try:
        barrier.wait(timeout=timeout)
    except threading.BrokenBarrierError:
        pass
    if not outcomes:
        for _ in range(rounds):
            started = time.monotonic()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                code = None
                if resp.status == 503:
                    try:
                        code = json.loads(data)["error"]["code"]
                    except (ValueError, KeyError, TypeError):
                        code = None
                outcomes.append((resp.status, code, time.monotonic() - started))
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as e:
                outcomes.append(("no-answer", type(e).__name__, time.monotonic() - started))
                break
    conn.close()
    with lock:
        results.extend(outcomes)


def probe(url, within):
    u = urllib.parse.urlsplit(url)
    path = (u.path or "/") + (("?" + u.query) if u.query else "")
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=within)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp.status, round(time.monotonic() - started, 3)
    except (OSError, http.client.HTTPException) as e:
        return type(e).__name__, round(time.monotonic() - started, 3)


def main():
    a = parse_args()
    results, lock = [], threading.Lock()
    barrier = threading.Barrier(a.clients)
    threads = [
        threading.Thread(
            target=one_client,
            args=(a.url, a.method, a.body, a.rounds, a.timeout, barrier, results, lock),
            daemon=True,
        )
        for _ in range(a.clients)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    counts = collections.Counter()
    for status, code, _ in results:
        key = str(status) if code is None else f"{status} {code}"
        counts[key] += 1
    latencies = sorted(r[2] for r in results if isinstance(r[0], int))
    bad = sum(
        n
        for key, n in counts.items()
        if not (key[:1] in "234" and key[:3].isdigit()) and key != "503 local_overloaded"
    )
    probe_status, probe_seconds = probe(a.probe_url or a.url, a.probe_within)
    ok = bad == 0 and isinstance(probe_status, int) and probe_status < 500
    summary = {
        "url": a.url,
        "clients": a.clients,
        "rounds": a.rounds,
        "requests": len(results),
        "outcomes": dict(sorted(counts.items())),
        "burst_seconds": round(elapsed, 2),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "probe": {"status": probe_status, "seconds": probe_seconds},
        "pass": ok,
    }
    print(json.dumps(summary))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
