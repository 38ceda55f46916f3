#!/usr/bin/env python3
"""Outages through the running local stack: 503s only, and healing without a
restart of the stack (docs/runbook.md).

Needs `infra/local/serve.sh` running (it stops and starts the stack's Postgres
and pauses its S3 server, so never run it against anything but the local stack):

1. Postgres stopped (fast shutdown, as in a restart): creating an interview
   answers 503 `database_unavailable` with Retry-After, never 500; Postgres
   started again: the same functions serve again (no stack restart).
2. The S3 server paused (SIGSTOP: connections accepted, nothing answered): a
   signed-in upload answers 503 `storage_unavailable` within the storage bound,
   a signed-in parse returns the resume unsaved; resumed (SIGCONT): the upload
   succeeds.

    python3 infra/local/outage_check.py          # BASE_URL=http://127.0.0.1:8000

Standard library only.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
LOCAL = os.path.join(ROOT, ".local")
PDF = os.path.join(ROOT, "bench", "corpus-sidebar", "amara-okafor-chromium-band.pdf")
CREATE = {
    "resume_data": {"name": "Ada Lovelace", "skills": ["Rust", "PostgreSQL"]},
    "job_context": {"target_role": "Backend Engineer", "experience_level": "3-5",
                    "interview_type": "technical"},
    "num_questions": 3,
}


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def request(method, path, body=None, headers=None, timeout=60):
    req = urllib.request.Request(f"{BASE_URL}{path}", data=body, method=method,
                                 headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, hdrs, raw = resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, dict(e.headers), e.read()
    elapsed = time.monotonic() - started
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = raw[:200]
    return status, {k.lower(): v for k, v in hdrs.items()}, payload, elapsed


def create():
    return request("POST", "/api/session/create-conversational", json.dumps(CREATE).encode(),
                   {"content-type": "application/json"})


def multipart(path, token):
    boundary = f"outage-{uuid.uuid4().hex}"
    with open(PDF, "rb") as f:
        pdf = f.read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    body += pdf + f"\r\n--{boundary}--\r\n".encode()
    return request("POST", path, body, {
        "content-type": f"multipart/form-data; boundary={boundary}",
        "authorization": f"Bearer {token}",
    })


def pg_ctl(*args):
    bin_dir = subprocess.run(
        ["bash", "-c", ". infra/local/lib.sh >/dev/null 2>&1; pg_bin_dir"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    cmd = [os.path.join(bin_dir, "pg_ctl"), "-D", os.path.join(LOCAL, "pg"), *args]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True)


def postgres_outage():
    status, _, body, _ = create()
    if status != 200:
        fail(f"before the outage: {status} {body}")
    pg_ctl("-m", "fast", "-w", "stop")
    try:
        for _ in range(3):
            status, headers, body, elapsed = create()
            if status != 503 or body["error"]["code"] != "database_unavailable":
                fail(f"with Postgres down: {status} {body}")
            if "retry-after" not in headers:
                fail(f"503 without Retry-After: {headers}")
        print(f"ok: Postgres down: 503 database_unavailable with Retry-After "
              f"{headers['retry-after']} ({elapsed:.1f} s)")
    finally:
        pg_ctl("-w", "-l", os.path.join(LOCAL, "logs", "postgres.log"), "start",
               "-o", f"-p {os.environ.get('LOCAL_PG_PORT', '54329')} -k {LOCAL}/run/pg "
                     "-c listen_addresses=127.0.0.1")
    for attempt in range(10):
        status, _, body, _ = create()
        if status == 200:
            print(f"ok: Postgres back: the same functions serve again (attempt {attempt + 1})")
            return
        if status != 503:
            fail(f"after the restart: {status} {body}")
        time.sleep(1)
    fail("still 503 ten seconds after Postgres came back")


def storage_outage():
    with open(os.path.join(LOCAL, "run", "s3.pid"), encoding="utf-8") as f:
        s3 = int(f.read().strip())
    token = subprocess.run(
        ["cargo", "run", "-q", "-p", "rehearse-dev", "--", "token",
         "--email", f"outage-{uuid.uuid4().hex[:8]}@example.com", "--ttl", "3600"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    status, _, body, _ = multipart("/api/db/resumes/upload", token)
    if status != 201:
        fail(f"upload before the outage: {status} {body}")
    os.kill(s3, signal.SIGSTOP)
    try:
        status, headers, body, elapsed = multipart("/api/db/resumes/upload", token)
        if status != 503 or body["error"]["code"] != "storage_unavailable":
            fail(f"upload with S3 paused: {status} {body}")
        if "retry-after" not in headers or elapsed > 15:
            fail(f"upload with S3 paused: {headers} after {elapsed:.1f} s")
        print(f"ok: S3 paused: upload 503 storage_unavailable after {elapsed:.1f} s")
        status, _, body, elapsed = multipart("/api/resume/parse", token)
        if status != 200 or body.get("saved_to_database") is not False \
                or body.get("save_error", {}).get("code") != "storage_unavailable":
            fail(f"parse with S3 paused: {status} {body}")
        print(f"ok: S3 paused: parse returns the resume unsaved ({elapsed:.1f} s)")
    finally:
        os.kill(s3, signal.SIGCONT)
    status, _, body, _ = multipart("/api/db/resumes/upload", token)
    if status != 201:
        fail(f"upload after S3 resumed: {status} {body}")
    print("ok: S3 resumed: upload stored again")


def main():
    status, _, body, _ = request("GET", "/health")
    if status != 200:
        fail(f"the stack is not up ({status} {body}); start infra/local/serve.sh")
    postgres_outage()
    storage_outage()


if __name__ == "__main__":
    main()
