"""Schemathesis hooks for infra/local/schemathesis.sh (loaded through `hooks` in
infra/local/schemathesis.toml).

1. Real ids. A generated session or resume id names nothing, so without help
   every answer, skip, summary, detail and delete would only ever be a 404 and
   their success responses would never be checked against the document. When
   REHEARSE_API_URL and REHEARSE_TOKEN are set (the script sets them), this
   module creates a pool of sessions (conversational and standard, the token
   user's and anonymous ones) and resumes once, at load, and the generated
   requests of those operations use one of them about two times in three (the
   rest keep their generated id). The sessions then get answered, skipped,
   finalized and deleted in every order the run comes up with. The user of
   REHEARSE_ACCOUNT_TOKEN (account deletion's own) gets a session and a resume.

2. The local emulator's own refusals are not the API's failures.
   `cargo lambda watch` turns each HTTP request into an API Gateway event before
   any function runs. A body it considers text (a JSON or text/* content type)
   that is not valid UTF-8 cannot be put into that event, and watch itself
   answers 500 with an RFC 7807 problem document (`{"type":
   "https://httpstatuses.com/500", ...}`, text/plain) without invoking any
   function. Schemathesis sends such bodies on purpose (malformed payloads,
   wrong content types). Those 500s say nothing about Rehearse, so exactly they
   are dropped: a 500 whose body is watch's problem document, for a request
   whose body is not UTF-8 or that carries a header value with bytes outside
   visible ASCII (API Gateway refuses those before any function too). Watch also, rarely, answers that document for a
   request its function served; such a 500 is dropped only when replaying the
   request reaches the function and gets a non-5xx answer (logged). Every
   response a function produces carries `success`, so any other 5xx, including
   a crashed function (which fails its replay too), still fails the run.
"""

from __future__ import annotations

import json
import os
import urllib.request

import schemathesis
from hypothesis import strategies as st

# --- 1. real ids ----------------------------------------------------------------

SESSION_BODY_OPERATIONS = {
    "session-answer",
    "session-conversational-answer",
    "session-skip",
    "session-complete",
}
SESSION_PATH_OPERATIONS = {"session-get", "session-summary-get", "session-history-get", "session-history-delete"}
RESUME_PATH_OPERATIONS = {"resume-delete"}


def _post(url: str, path: str, body: dict, token: str | None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def _create_fixtures() -> tuple[list[str], list[str]]:
    url, token = os.environ.get("REHEARSE_API_URL"), os.environ.get("REHEARSE_TOKEN")
    if not url or not token:
        return [], []
    context = {"target_role": "Backend Engineer", "experience_level": "3-5", "interview_type": "mixed"}
    resume = {"name": "Ada Lovelace", "skills": ["Rust", "PostgreSQL", "AWS Lambda"]}
    sessions = []
    for i in range(24):
        route = "/api/session/create-conversational" if i % 3 else "/api/session/create"
        owner = token if i % 4 else None  # every fourth one anonymous
        body = {"job_context": context, "resume_data": resume, "num_questions": 2 + i % 4}
        sessions.append(_post(url, route, body, owner)["session_id"])
    resumes = [
        _post(url, "/api/db/resume", {"file_name": f"fixture-{i}", "resume_data": resume}, token)["resume_id"]
        for i in range(8)
    ]
    # Something for the account deletion (run as its own user) to delete.
    account = os.environ.get("REHEARSE_ACCOUNT_TOKEN")
    if account:
        _post(url, "/api/db/resume", {"resume_data": resume}, account)
        _post(url, "/api/session/create", {"job_context": context, "num_questions": 1}, account)
    return sessions, resumes


SESSIONS, RESUMES = _create_fixtures()


def _operation_id(context) -> str | None:
    operation = getattr(context, "operation", None)
    return operation.definition.raw.get("operationId") if operation is not None else None


def _with_id(value, key: str, pool: list[str]):
    if not pool or not isinstance(value, dict):
        return st.just(value)
    real = st.sampled_from(pool).map(lambda id_: {**value, key: id_})
    return st.one_of(st.just(value), real, real)


@schemathesis.hook
def flatmap_body(context, body):
    if _operation_id(context) in SESSION_BODY_OPERATIONS:
        return _with_id(body, "session_id", SESSIONS)
    return st.just(body)


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    operation = _operation_id(context)
    if operation in SESSION_PATH_OPERATIONS:
        return _with_id(path_parameters, "session_id", SESSIONS)
    if operation in RESUME_PATH_OPERATIONS:
        return _with_id(path_parameters, "resume_id", RESUMES)
    return st.just(path_parameters)


# --- 2. the emulator's refusals -------------------------------------------------

WATCH_PROBLEM_TYPE = "https://httpstatuses.com/500"


def _is_utf8(body: object) -> bool:
    if body is None or isinstance(body, str):
        return True
    if isinstance(body, (bytes, bytearray)):
        try:
            bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    # A streamed or file body: not something this filter recognises.
    return True


def _headers_are_visible_ascii(headers) -> bool:
    for value in headers.values():
        raw = value.encode("latin-1", "replace") if isinstance(value, str) else bytes(value)
        if any(b < 0x20 or b > 0x7E for b in raw if b != 0x09):
            return False
    return True


def _is_watch_problem(status: int, content: bytes) -> bool:
    if status != 500:
        return False
    try:
        doc = json.loads(content)
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("type") == WATCH_PROBLEM_TYPE and "success" not in doc


def _replay_is_ours(request) -> bool:
    """Whether sending the same request again gets an answer from a function
    (JSON with `success`) that is not a server error."""
    import requests

    try:
        again = requests.Session().send(request, timeout=120)
    except requests.RequestException:
        return False
    if again.status_code >= 500:
        return False
    try:
        return "success" in again.json()
    except ValueError:
        return False


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure except the emulator's own 500s: for a non-UTF-8 text
    body always (see above); for any other request only when sending it again
    reaches the function and gets a non-5xx answer of its own. Watch
    occasionally answers its problem document for a request its function did
    serve (the function's log shows the response), which is not reproducible by
    replay; a crashing function fails again on the replay and is kept."""
    if response is None or not _is_watch_problem(response.status_code, response.content):
        return True
    if not _is_utf8(response.request.body):
        return False
    # A header value with bytes outside visible ASCII (schemathesis' negative
    # cases for Idempotency-Key): watch answers its problem document at once,
    # without invoking the function (latency 0 ms in its log); API Gateway
    # rejects such headers itself.
    if not _headers_are_visible_ascii(response.request.headers):
        return False
    if _replay_is_ours(response.request):
        detail = json.loads(response.content).get("detail", "")
        print(
            f"schemathesis hooks: emulator 500 on {response.request.method} "
            f"{response.request.url} not reproduced on replay (watch said: {detail!r}); dropped",
            flush=True,
        )
        return False
    return True
