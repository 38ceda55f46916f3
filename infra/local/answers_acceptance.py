#!/usr/bin/env python3
"""Answers, skips and retries, end to end through the running local stack
(docs/answers.md).

Checks over HTTP only, anonymous and signed in:
- the repeat trap: "I don't know." to one question and, a person's few seconds
  later, to the next moves the interview on (it used to replay forever);
- a double click (the same request at once) replays and stores one answer;
- a true retry naming its question (`question_id`) replays that question's result,
  and a different answer to it is 409 `question_already_answered`;
- an `Idempotency-Key` retry replays its own answer after the window, even when the
  same text was also given to another question; the key with another answer is 422
  `idempotency_key_reused`; a malformed key is 400 `invalid_idempotency_key`;
- the React client's flow (no `question_id`, no key: create, answers with two
  identical ones in a row, a skip, the summary with a token) completes.
Prints what it checked and exits non-zero on the first difference. Takes about a
minute: it waits out the 5-second replay window where a person would.

    infra/local/serve.sh                          # in another terminal
    python3 infra/local/answers_acceptance.py     # BASE_URL=http://127.0.0.1:8000

Tokens come from `cargo run -p rehearse-dev -- token` (the stack's .env secret).
Standard library only.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# A little over the API's replay window (DEFAULT_REPLAY_WINDOW, 5 s): the pause of
# a person who reads the next question before answering it.
PAUSE = 6.0
DONT_KNOW = "I don't know."

CREATE = {
    "resume_data": {
        "name": "Ada Lovelace",
        "skills": ["Rust", "PostgreSQL", "AWS"],
        "experience": [{"title": "Backend Engineer", "company": "Analytical Engines",
                        "duration": "2019 - Present",
                        "description": "Built a payments ledger in Rust on PostgreSQL."}],
    },
    "job_context": {"target_role": "Backend Engineer", "experience_level": "3-5",
                    "interview_type": "technical"},
    "num_questions": 4,
}


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok   {message}")


def call(method, path, token=None, body=None, key=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE_URL + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if key is not None:
        req.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def ok(method, path, token=None, body=None, key=None):
    status, payload = call(method, path, token, body, key)
    if status != 200 or not payload.get("success"):
        fail(f"{method} {path} -> {status} {json.dumps(payload)[:400]}")
    return payload


def mint():
    user = uuid.uuid4()
    out = subprocess.run(
        ["cargo", "run", "-q", "-p", "rehearse-dev", "--", "token",
         "--email", f"answers-{user}@example.com", "--user-id", str(user)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return out.stdout.strip()


def create(token=None):
    created = ok("POST", "/api/session/create-conversational", token, CREATE)
    return created["session_id"], created["current_question"]["id"]


def answer(session, text, token=None, key=None, **extra):
    return call("POST", "/api/session/conversational-answer", token,
                {"session_id": session, "answer_text": text, "time_taken_seconds": 20, **extra}, key)


def without_replayed(body):
    return {k: v for k, v in body.items() if k != "replayed"}


def repeat_trap(token, who):
    session, _ = create(token)
    status, first = answer(session, "I led our ledger's move to Rust.", token)
    check(status == 200 and first["question_number"] == 1, f"{who}: q1 answered")
    time.sleep(PAUSE)
    status, second = answer(session, DONT_KNOW, token)
    check(status == 200 and second["question_number"] == 2 and not second["replayed"],
          f"{who}: q2 answered \"{DONT_KNOW}\"")
    status, again = answer(session, DONT_KNOW, token)
    check(status == 200 and again["replayed"] and without_replayed(again) == without_replayed(second),
          f"{who}: the same request at once (a double click) replays q2's result")
    time.sleep(PAUSE)
    status, third = answer(session, DONT_KNOW, token)
    check(status == 200 and third["question_number"] == 3 and not third["replayed"],
          f"{who}: \"{DONT_KNOW}\" again {PAUSE:.0f} s later answers q3 (the trap is gone): "
          f"{json.dumps(third.get('progress'))}")
    check(third["next_question"] and third["next_question"]["id"] != second["next_question"]["id"],
          f"{who}: the next question moved on ({second['next_question']['id']} -> "
          f"{third['next_question']['id']})")
    return session


def retry_by_question_id():
    session, q1 = create()
    status, first = answer(session, DONT_KNOW, question_id=q1)
    check(status == 200 and first["question_number"] == 1, "q1 answered, naming question_id")
    time.sleep(PAUSE)
    status, second = answer(session, DONT_KNOW)
    check(status == 200 and second["question_number"] == 2, "the same text later, unnamed, answers q2")
    status, again = answer(session, DONT_KNOW, question_id=q1)
    check(status == 200 and again["replayed"] and without_replayed(again) == without_replayed(first),
          f"naming {q1} again replays q1's own result, after the window")
    status, body = answer(session, "Now I remember.", question_id=q1)
    check(status == 409 and body["error"]["code"] == "question_already_answered",
          f"another answer to {q1} is 409 question_already_answered")


def retry_by_idempotency_key():
    session, _ = create()
    k1, k2 = str(uuid.uuid4()), str(uuid.uuid4())
    status, first = answer(session, DONT_KNOW, key=k1)
    check(status == 200 and first["question_number"] == 1, "q1 answered under key 1")
    status, second = answer(session, DONT_KNOW, key=k2)
    check(status == 200 and second["question_number"] == 2 and not second["replayed"],
          "the same text at once under key 2 is a new answer, to q2")
    time.sleep(PAUSE)
    status, again = answer(session, DONT_KNOW, key=k1)
    check(status == 200 and again["replayed"] and without_replayed(again) == without_replayed(first),
          "key 1 again, after the window, replays q1's own result")
    status, body = answer(session, "Something else.", key=k1)
    check(status == 422 and body["error"]["code"] == "idempotency_key_reused",
          "key 1 with another answer is 422 idempotency_key_reused")
    status, body = answer(session, DONT_KNOW, key="not a key")
    check(status == 400 and body["error"]["code"] == "invalid_idempotency_key",
          "a key with a space is 400 invalid_idempotency_key")
    status, skipped = call("POST", "/api/session/skip", None, {"session_id": session}, str(uuid.uuid4()))
    check(status == 200 and skipped["result"]["skipped_question"]["number"] == 3,
          "a skip under a new key skips q3")


def react_client_flow(token):
    """The React client: no token until the summary, no question_id, no key."""
    session, _ = create()
    texts = ["I moved our ledger to Rust: p99 fell from 400 ms to 35 ms.", DONT_KNOW, DONT_KNOW]
    turns, done = 0, False
    while not done:
        if turns == 3:
            body = ok("POST", "/api/session/skip", None, {"session_id": session})
            check(not body["result"]["replayed"], f"turn {turns + 1}: skipped")
            done = body["result"]["status"] == "completed"
        else:
            text = texts[turns] if turns < len(texts) else "I would add a queue and measure again."
            status, body = answer(session, text)
            check(status == 200 and body["success"] and not body["replayed"],
                  f"turn {turns + 1}: {text!r} answered, progress {json.dumps(body.get('progress'))}")
            done = body["is_complete"]
        turns += 1
        if turns > 20:
            fail("the interview never ends")
        if not done:
            time.sleep(PAUSE)
    summary = ok("GET", f"/api/session/{session}/summary", token)
    s = summary["summary"]
    check(summary.get("saved_to_database") is True, "the summary with a token saves the session")
    check(s["questions_answered"] + s["questions_skipped"] == turns == s["total_questions"],
          f"every question reached: {s['questions_answered']} answered, {s['questions_skipped']} skipped, "
          f"{s['total_questions']} in all")
    answered = [a["answer_text"] for a in s["answers"]]
    check(answered[1] == answered[2] == DONT_KNOW, "questions 2 and 3 both stored \"I don't know.\"")


def main():
    status, _ = call("GET", "/health")
    if status != 200:
        fail(f"no stack answering on {BASE_URL} (start infra/local/serve.sh)")
    token = mint()
    print("--- the repeat trap")
    repeat_trap(None, "anonymous")
    repeat_trap(token, "signed in")
    print("--- a true retry by question_id")
    retry_by_question_id()
    print("--- an Idempotency-Key retry")
    retry_by_idempotency_key()
    print("--- the React client's flow")
    react_client_flow(token)
    print("all answer and retry checks passed")


if __name__ == "__main__":
    main()
