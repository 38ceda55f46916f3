#!/usr/bin/env python3
"""Per-address and per-user quotas, end to end through the running local stack
(docs/deploy.md, "Quotas").

`cargo lambda watch` reports every HTTP caller as 127.0.0.1, which is never
limited, so this invokes the function the way API Gateway does: the event from
`events/session-create-conversational/` is posted to the emulator's invoke
endpoint (what `cargo lambda invoke --data-file` does) with `sourceIp` set.

Checks:
- one non-loopback address gets its budget's worth of 200s (the budget read from
  `X-RateLimit-Limit`, which falls by one each time in `X-RateLimit-Remaining`),
  then 429 `rate_limited` with `Retry-After`;
- another address still gets 200;
- a signed-in user on the spent address is counted against their own budget;
- a caller over HTTP (loopback) is not limited at all.
Each run uses fresh addresses from the benchmarking range (198.18.0.0/15), so the
local database's counts from earlier runs do not interfere.

    infra/local/serve.sh                         # in another terminal
    python3 infra/local/quota_acceptance.py      # BASE_URL=http://127.0.0.1:8000

Standard library only.
"""

import base64
import json
import os
import random
import subprocess
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FUNCTION = "session-create-conversational"
EVENTS = os.path.join(ROOT, "events", FUNCTION)


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load(case):
    with open(os.path.join(EVENTS, f"{case}.json"), encoding="utf-8") as f:
        return json.load(f)


def invoke(event, source_ip, token=None):
    """POST the event to the emulator's Lambda invoke API; the function's API
    Gateway response: (status, lower-cased headers, body)."""
    event = json.loads(json.dumps(event))
    event["requestContext"]["http"]["sourceIp"] = source_ip
    headers = event.setdefault("headers", {})
    for name in [k for k in headers if k.lower() == "authorization"]:
        del headers[name]
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(
        f"{BASE_URL}/2015-03-31/functions/{FUNCTION}/invocations",
        data=json.dumps(event).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            out = json.loads(resp.read())
    except urllib.error.HTTPError as e:
        fail(f"the invoke API answered {e.code}: {e.read()[:300]!r}")
    status = out.get("statusCode")
    response_headers = {k.lower(): v for k, v in (out.get("headers") or {}).items()}
    body = out.get("body") or ""
    if out.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return status, response_headers, json.loads(body) if body else None


def over_http():
    req = urllib.request.Request(
        f"{BASE_URL}/api/session/create-conversational",
        data=json.dumps(json.loads(load("anonymous")["body"])).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=300) as resp:
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}


def quota(headers):
    try:
        return int(headers["x-ratelimit-limit"]), int(headers["x-ratelimit-remaining"])
    except (KeyError, ValueError):
        return None


def main():
    rng = random.SystemRandom()
    address = f"198.18.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    other = f"198.19.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    anonymous = load("anonymous")

    status, headers, body = invoke(anonymous, address)
    if status != 200 or quota(headers) is None:
        fail(f"first call from {address}: {status} {headers} {body}")
    limit, remaining = quota(headers)
    if remaining != limit - 1:
        fail(f"first call: limit {limit}, remaining {remaining}")
    for n in range(2, limit + 1):
        status, headers, body = invoke(anonymous, address)
        if status != 200 or quota(headers) != (limit, limit - n):
            fail(f"call {n} of {limit} from {address}: {status} {quota(headers)} {body}")
    status, headers, body = invoke(anonymous, address)
    if status != 429 or body["error"]["code"] != "rate_limited":
        fail(f"call {limit + 1} from {address}: {status} {body}")
    retry = int(headers.get("retry-after", "0"))
    if not 1 <= retry <= 86400 or quota(headers) != (limit, 0):
        fail(f"429 headers: {headers}")
    print(f"ok: {address} got {limit} sessions, then 429 rate_limited (Retry-After {retry} s)")

    status, headers, body = invoke(anonymous, other)
    if status != 200 or quota(headers) != (limit, limit - 1):
        fail(f"another address {other}: {status} {quota(headers)} {body}")
    print(f"ok: {other} still gets 200 ({quota(headers)[1]} left)")

    token = subprocess.run(
        ["cargo", "run", "-q", "-p", "rehearse-dev", "--", "token",
         "--email", f"quota-{rng.randrange(10**9)}@example.com", "--ttl", "3600"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()
    status, headers, body = invoke(load("signed-in"), address, token)
    if status != 200 or quota(headers) is None or quota(headers)[0] == limit:
        fail(f"signed in from the spent address: {status} {quota(headers)} {body}")
    user_limit, user_left = quota(headers)
    if user_left != user_limit - 1:
        fail(f"signed in: limit {user_limit}, remaining {user_left}")
    print(f"ok: a signed-in user on {address} is counted as themself ({user_left} of {user_limit} left)")

    for _ in range(limit + 1):
        status, headers = over_http()
        if status != 200 or quota(headers) is not None:
            fail(f"over HTTP (loopback): {status} {headers}")
    print(f"ok: {limit + 1} calls over HTTP (loopback) are not limited")


if __name__ == "__main__":
    main()
