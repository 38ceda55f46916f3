#!/usr/bin/env python3
"""Regenerates the interview routes' API Gateway (HTTP API v2) events.

    python3 events/make-session-events.py

Signed-in events carry a placeholder token (`rehearse-dev event` signs it, tests
replace it); bodies and paths carry the placeholder session id
00000000-0000-4000-8000-000000000000, which tests replace with the session they
created (`rehearse_session_store::testing::for_session`).
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOKEN = "Bearer REPLACE_ME_run_rehearse-dev_event_to_sign_this_event"
SESSION = "00000000-0000-4000-8000-000000000000"
RESUME = "3f0c2a8e-5d1b-4c7e-9a2f-6b8d0e1c4a57"
# A client's name for one submission (docs/answers.md): resent with the same
# request, it replays the stored result however late.
IDEMPOTENCY_KEY = "7d9c2f4e-1b3a-4c5d-8e6f-0a1b2c3d4e5f"

RESUME_DATA = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "skills": ["Rust", "Python", "PostgreSQL", "Docker", "AWS"],
    "experience": [
        {
            "title": "Senior Backend Engineer",
            "company": "Analytical Engines Ltd",
            "duration": "2019 - Present",
            "description": "Built a payments ledger in Rust on PostgreSQL handling 2M transactions a day.",
        },
        {
            "title": "Software Engineer",
            "company": "Difference Systems",
            "duration": "2016 - 2019",
            "description": "Moved batch jobs from cron to an event-driven pipeline on AWS Lambda.",
        },
    ],
    "projects": [
        {
            "title": "Note Engine",
            "tech": ["Rust", "WebAssembly"],
            "description": "A music notation renderer compiled to WebAssembly.",
        }
    ],
    "education": [{"degree": "BSc", "field": "Mathematics", "institution": "University of London"}],
}

JOB = {
    "target_role": "Backend Engineer",
    "experience_level": "3-5",
    "interview_type": "technical",
    "company": "Acme",
}

ANSWER = (
    "At Analytical Engines I led the move of our payments ledger to Rust. The situation was "
    "a Python service that fell over at peak load; my task was to keep p99 latency under 50 ms. "
    "I profiled it, rewrote the hot path with tokio and batched PostgreSQL writes, and as a "
    "result p99 dropped from 400 ms to 35 ms and we cut two database replicas."
)


def event(method, route, path, body=None, signed_in=False, path_parameters=None, headers_extra=None):
    headers = {
        "accept": "application/json",
        "host": "api.rehearse.example",
        "user-agent": "curl/8.5.0",
        "x-amzn-trace-id": "Root=1-65f1c2a1-0a1b2c3d4e5f60718293a4b5",
        "x-forwarded-for": "203.0.113.10",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    text = None
    if body is not None:
        text = body if isinstance(body, str) else json.dumps(body)
        headers["content-length"] = str(len(text.encode()))
        headers["content-type"] = "application/json"
    else:
        headers["content-length"] = "0"
    if signed_in:
        headers["authorization"] = TOKEN
    headers.update(headers_extra or {})
    out = {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "r3h34rs3",
            "domainName": "api.rehearse.example",
            "domainPrefix": "api",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.10",
                "userAgent": "curl/8.5.0",
            },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": "25/Nov/2026:00:00:00 +0000",
            "timeEpoch": 1795564800000,
        },
        "isBase64Encoded": False,
    }
    if path_parameters:
        out["pathParameters"] = path_parameters
    if text is not None:
        out["body"] = text
    return out


def write(function, case, ev):
    d = HERE / function
    d.mkdir(exist_ok=True)
    (d / f"{case}.json").write_text(json.dumps(ev, indent=2, ensure_ascii=False) + "\n")


def post(function, path, case, body, signed_in=False, headers_extra=None):
    write(function, case, event("POST", path, path, body, signed_in, None, headers_extra))


def main():
    create = {"resume_data": RESUME_DATA, "job_context": JOB, "num_questions": 5}
    for function, path in [
        ("session-create-conversational", "/api/session/create-conversational"),
        ("session-create", "/api/session/create"),
    ]:
        post(function, path, "anonymous", create)
        # The old client also sent its own idea of the user: ignored.
        post(function, path, "signed-in", {**create, "user_id": "00000000-0000-4000-8000-000000000001"}, True)
        post(function, path, "too-many-questions", {**create, "num_questions": 21})
    f, p = "session-create-conversational", "/api/session/create-conversational"
    post(f, p, "resume-id", {"resume_id": RESUME, "job_context": JOB, "num_questions": 5}, True)
    # A practice plan's next interview: at least half behavioral, STAR-shaped.
    post(f, p, "focused", {**create, "num_questions": 10,
                           "focus": {"categories": ["behavioral"], "dimensions": ["structure"]}}, True)
    post(f, p, "bad-focus", {**create, "focus": {"categories": ["closing"]}})
    route = "/api/db/sessions/{session_id}/report"
    path = f"/api/db/sessions/{SESSION}/report"
    params = {"session_id": SESSION}
    for case, signed_in, accept, query in [
        ("signed-in", True, "application/pdf", None),
        ("markdown", True, "text/markdown", None),
        ("letter", True, "application/json", {"format": "pdf", "page": "letter"}),
        ("anonymous", False, "text/markdown", None),
        ("anonymous-pdf", False, "application/pdf", None),
        ("bad-format", True, "application/json", {"format": "docx"}),
    ]:
        ev = event("GET", route, path, None, signed_in, params, {"accept": accept})
        if query:
            ev["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
            ev["queryStringParameters"] = query
        write("session-report-get", case, ev)
    write("session-report-get", "invalid-id",
          event("GET", route, "/api/db/sessions/not-a-uuid/report", None, True,
                {"session_id": "not-a-uuid"}))
    for case, signed_in in [("signed-in", True), ("anonymous", False)]:
        write("practice-plan-get", case,
              event("GET", "/api/db/practice-plan", "/api/db/practice-plan", None, signed_in))
    post(f, p, "resume-id-anonymous", {"resume_id": RESUME, "job_context": JOB, "num_questions": 5})
    post(f, p, "default-count", {"job_context": {**JOB, "interview_type": "mixed"}})
    post(f, p, "zero-questions", {**create, "num_questions": 0})
    post(f, p, "bad-level", {**create, "job_context": {**JOB, "experience_level": "wizard"}})
    post(f, p, "not-json", '{"job_context": ')

    route = "/api/session/{session_id}"
    for case, signed_in in [("anonymous", False), ("signed-in", True)]:
        write("session-get", case, event("GET", route, f"/api/session/{SESSION}", None, signed_in, {"session_id": SESSION}))
        write(
            "session-summary-get",
            case,
            event("GET", route + "/summary", f"/api/session/{SESSION}/summary", None, signed_in, {"session_id": SESSION}),
        )
    write("session-get", "invalid-id", event("GET", route, "/api/session/not-a-uuid", None, False, {"session_id": "not-a-uuid"}))

    answer = {"session_id": SESSION, "answer_text": ANSWER, "time_taken_seconds": 42}
    for function, path in [
        ("session-conversational-answer", "/api/session/conversational-answer"),
        ("session-answer", "/api/session/answer"),
    ]:
        post(function, path, "anonymous", answer)
        post(function, path, "signed-in", answer, True)
        post(function, path, "idempotency-key", answer, False, {"idempotency-key": IDEMPOTENCY_KEY})
    f, p = "session-conversational-answer", "/api/session/conversational-answer"
    post(f, p, "empty-answer", {**answer, "answer_text": "   "})
    post(f, p, "too-long-answer", {**answer, "answer_text": "word " * 2000 + "x"})
    post(f, p, "with-question-id", {**answer, "question_id": "q1"})
    post(f, p, "missing-session-id", {"answer_text": ANSWER})

    post("session-skip", "/api/session/skip", "anonymous", {"session_id": SESSION})
    post("session-skip", "/api/session/skip", "signed-in", {"session_id": SESSION}, True)
    post("session-skip", "/api/session/skip", "idempotency-key", {"session_id": SESSION}, False,
         {"idempotency-key": IDEMPOTENCY_KEY})

    post("session-complete", "/api/db/sessions/complete", "signed-in", {"session_id": SESSION}, True)
    post("session-complete", "/api/db/sessions/complete", "anonymous", {"session_id": SESSION})

    evaluate = {
        "question": "Tell me about a time you improved the performance of a service.",
        "answer": ANSWER,
        "job_context": JOB,
        "question_metadata": {"category": "behavioral", "difficulty": "medium"},
    }
    post("answer-evaluate", "/api/evaluate/answer", "anonymous", evaluate)
    post("answer-evaluate", "/api/evaluate/answer", "empty-answer", {**evaluate, "answer": ""})
    post("answer-evaluate", "/api/evaluate/answer", "missing-question", {"answer": ANSWER})

    generate = {"resume_data": RESUME_DATA, "job_context": JOB, "num_questions": 5}
    post("questions-generate", "/api/questions/generate", "anonymous", generate)
    post("questions-generate", "/api/questions/generate", "resume-id", {"resume_id": RESUME, "job_context": JOB, "num_questions": 3}, True)
    post("questions-generate", "/api/questions/generate", "resume-id-anonymous", {"resume_id": RESUME, "job_context": JOB})
    post("questions-generate", "/api/questions/generate", "too-many-questions", {**generate, "num_questions": 21})

    sweeper = HERE / "sweeper"
    sweeper.mkdir(exist_ok=True)
    (sweeper / "scheduled.json").write_text(
        json.dumps(
            {
                "version": "0",
                "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
                "detail-type": "Scheduled Event",
                "source": "aws.events",
                "account": "123456789012",
                "time": "2026-11-25T03:00:00Z",
                "region": "us-east-1",
                "resources": ["arn:aws:events:us-east-1:123456789012:rule/rehearse-sweeper-hourly"],
                "detail": {},
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
