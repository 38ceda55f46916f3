#!/usr/bin/env python3
"""History and dashboard, end to end through the running local stack.

Two fresh users: A completes two interviews, B one (and A also leaves one in
progress). Then checks, over HTTP only, that A's dashboard, statistics and
session list show exactly A's sessions with the averages and trend computed
here from the summaries the API returned; that B sees only B's; that each gets
404 for the other's session and anonymous gets 401; and that deleting one of
A's sessions keeps A's statistics exact. Prints what it compared and exits
non-zero on the first difference.

    infra/local/serve.sh                          # in another terminal
    python3 infra/local/history_acceptance.py     # BASE_URL=http://127.0.0.1:8000

Tokens come from `cargo run -p rehearse-dev -- token` (the stack's .env secret).
Standard library only.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

RESUME = {
    "name": "Grace Hopper",
    "email": "grace@example.com",
    "skills": ["Python", "PostgreSQL", "AWS", "Docker", "Kubernetes"],
    "experience": [
        {
            "title": "Senior Backend Engineer",
            "company": "Compiler Works",
            "duration": "2018 - Present",
            "description": "Built a billing service in Python on PostgreSQL serving 3M requests a day.",
        }
    ],
    "education": [{"degree": "BSc", "field": "Computer Science", "institution": "Yale"}],
}

GOOD = (
    "At Compiler Works I owned our billing service. The situation was a nightly batch that "
    "missed its window; my task was to make invoices real time. I profiled the queries, added "
    "covering indexes in PostgreSQL, moved the work to an event-driven pipeline on AWS and "
    "added idempotency keys, and as a result invoices went out within 2 seconds and failures "
    "dropped by 90 percent."
)
VAGUE = "I would probably just try something and see what happens."


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok   {message}")


def call(method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE_URL + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def ok(method, path, token=None, body=None):
    status, payload = call(method, path, token, body)
    if status != 200 or not payload.get("success"):
        fail(f"{method} {path} -> {status} {json.dumps(payload)[:400]}")
    return payload


def mint(email, user_id):
    out = subprocess.run(
        ["cargo", "run", "-q", "-p", "rehearse-dev", "--", "token",
         "--email", email, "--user-id", str(user_id)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return out.stdout.strip()


def interview(token, role, answers, complete=True):
    """One signed-in interview of len(answers) questions; returns the summary."""
    created = ok("POST", "/api/session/create", token, {
        "resume_data": RESUME,
        "job_context": {"target_role": role, "experience_level": "3-5",
                        "interview_type": "technical"},
        "num_questions": len(answers),
    })
    session = created["session_id"]
    for number, text in enumerate(answers, start=1):
        if text is not None:
            # The same text again within a few seconds is taken as a double
            # click and replayed (docs/answers.md): these answers differ, as a
            # real candidate's do, so nothing here depends on the window.
            text = f"{text} (Question {number} of my {role} interview.)"
        if text is None:
            ok("POST", "/api/session/skip", token, {"session_id": session})
        else:
            ok("POST", "/api/session/answer", token,
               {"session_id": session, "answer_text": text, "time_taken_seconds": 30})
    if not complete:
        return session, None
    summary = ok("GET", f"/api/session/{session}/summary", token)
    check(summary.get("saved_to_database") is True, f"{role}: summary saved to the database")
    return session, summary


def overall(summary):
    s = summary.get("summary", summary)
    return s.get("overall_score")


# The seed document's names, served next to this API's own with the same value
# (infra/openapi.yaml): seed name -> its original. A name mapped to itself is
# already this API's own (the check is then that it is there).
SEED_STATISTICS = {"total_sessions": "total_interviews", "average_score": "average_overall_score",
                   "last_activity_at": "last_interview_at"}
SEED_SESSION = {"job_role": "target_role"}
SEED_ANSWER = {"question_text": "question_text", "question_type": "category",
               "answer_text": "answer_text", "question_order": "question_number"}


def check_seed_names(obj, aliases, what):
    wrong = [seed for seed, original in aliases.items() if seed not in obj or obj[seed] != obj[original]]
    check(not wrong, f"{what}: seed names equal their originals ({', '.join(aliases)})"
          + (f"; wrong: {wrong}" if wrong else ""))


def check_session_seed_names(session, what):
    check_seed_names(session, SEED_SESSION, what)
    secs = session["total_time_seconds"]
    # Whole minutes, half a minute rounding up; null without a duration.
    expected = None if secs is None else (secs + 30) // 60
    check("duration_minutes" in session and session["duration_minutes"] == expected,
          f"{what}: duration_minutes {session.get('duration_minutes')!r} from {secs!r} s")


def main():
    status, _ = call("GET", "/health")
    if status != 200:
        fail(f"no stack answering on {BASE_URL} (start infra/local/serve.sh)")
    a_id, b_id = uuid.uuid4(), uuid.uuid4()
    token_a = mint(f"a-{a_id}@example.com", a_id)
    token_b = mint(f"b-{b_id}@example.com", b_id)

    a1, sum_a1 = interview(token_a, "Backend Engineer", [GOOD, GOOD, None, GOOD])
    a2, sum_a2 = interview(token_a, "Data Engineer", [VAGUE, GOOD, VAGUE])
    a_open, _ = interview(token_a, "Backend Engineer", [GOOD], complete=False)
    b1, sum_b1 = interview(token_b, "Product Manager", [GOOD, VAGUE])

    a_scores = [overall(sum_a1), overall(sum_a2)]
    check(all(isinstance(x, (int, float)) for x in a_scores), f"A's overall scores {a_scores}")

    # --- A's statistics -------------------------------------------------------
    stats = ok("GET", "/api/db/statistics", token_a)["statistics"]
    print("     A statistics:", json.dumps({k: v for k, v in stats.items() if k != "score_trend"}))
    check(stats["total_interviews"] == 2, "A: total_interviews 2 (the open session does not count)")
    check(stats["total_questions_answered"] == 6, "A: 6 questions answered")
    check(stats["total_questions_skipped"] == 1, "A: 1 question skipped")
    expect_avg = sum(a_scores) / 2
    check(abs(float(stats["average_overall_score"]) - expect_avg) < 0.01,
          f"A: average_overall_score {stats['average_overall_score']} = mean of {a_scores}")
    check(abs(float(stats["best_score"]) - max(a_scores)) < 0.01, f"A: best_score {max(a_scores)}")
    trend = stats["score_trend"]
    check([t["session_id"] for t in trend] == [a1, a2], "A: score_trend is A's two, oldest first")
    check([t["overall_score"] for t in trend] == a_scores, "A: score_trend scores match the summaries")
    check_seed_names(stats, SEED_STATISTICS, "A statistics")
    check(stats["last_activity_at"] is not None, "A: last_activity_at set")

    # --- A's session list and dashboard ----------------------------------------
    listed = ok("GET", "/api/db/sessions?limit=100", token_a)
    ids = [s["id"] for s in listed["sessions"]]
    check(sorted(ids) == sorted([a1, a2, a_open]) and listed["total"] == 3,
          "A: session list holds exactly A's three (newest first)")
    check(ids[0] == a_open, "A: newest first")
    for s in listed["sessions"]:
        check_session_seed_names(s, f"A session {s['id']}")
    check(listed["sessions"][0]["duration_minutes"] is None, "A: the open session has no duration_minutes")
    done = ok("GET", "/api/db/sessions?status=completed", token_a)
    check(sorted(s["id"] for s in done["sessions"]) == sorted([a1, a2]) and done["total"] == 2,
          "A: status=completed gives A's two")
    board = ok("GET", "/api/db/dashboard", token_a)
    check(board["statistics"] == stats, "A: dashboard statistics equal /api/db/statistics")
    check(sorted(s["id"] for s in board["recent_sessions"]) == sorted([a1, a2, a_open]),
          "A: dashboard recent_sessions are A's")
    for s in board["recent_sessions"]:
        check_session_seed_names(s, f"A dashboard session {s['id']}")

    detail = ok("GET", f"/api/db/sessions/{a1}", token_a)
    answers = detail["answers"]
    check([x["question_number"] for x in answers] == [1, 2, 3, 4], "A: detail answers in order")
    check(answers[2]["is_skipped"] is True, "A: the skipped question is marked")
    check_session_seed_names(detail["session"], "A detail")
    for x in answers:
        check_seed_names(x, SEED_ANSWER, f"A answer {x['question_number']}")

    # --- B ----------------------------------------------------------------------
    stats_b = ok("GET", "/api/db/statistics", token_b)["statistics"]
    check(stats_b["total_interviews"] == 1, "B: total_interviews 1")
    check(abs(float(stats_b["average_overall_score"]) - overall(sum_b1)) < 0.01, "B: average is B's")
    listed_b = ok("GET", "/api/db/sessions", token_b)
    check([s["id"] for s in listed_b["sessions"]] == [b1] and listed_b["total"] == 1,
          "B: session list holds only B's")
    board_b = ok("GET", "/api/db/dashboard", token_b)
    check([s["id"] for s in board_b["recent_sessions"]] == [b1], "B: dashboard shows only B's")

    # --- isolation and auth --------------------------------------------------------
    for method, path in [("GET", f"/api/db/sessions/{a1}"), ("DELETE", f"/api/db/sessions/{a1}")]:
        status, body = call(method, path, token_b)
        check(status == 404 and body["success"] is False, f"B: {method} A's session -> 404")
    for method, path in [("GET", "/api/db/sessions"), ("GET", "/api/db/statistics"),
                         ("GET", "/api/db/dashboard"), ("GET", f"/api/db/sessions/{a1}"),
                         ("DELETE", "/api/db/account")]:
        status, body = call(method, path)
        check(status == 401 and body["error"]["code"], f"anonymous: {method} {path} -> 401")

    # --- delete keeps statistics exact -------------------------------------------------
    ok("DELETE", f"/api/db/sessions/{a2}", token_a)
    stats = ok("GET", "/api/db/statistics", token_a)["statistics"]
    check(stats["total_interviews"] == 1 and stats["total_questions_answered"] == 3
          and abs(float(stats["average_overall_score"]) - a_scores[0]) < 0.01
          and [t["session_id"] for t in stats["score_trend"]] == [a1],
          "A: after deleting one, statistics are those of the other alone")

    # --- clean up: both accounts ------------------------------------------------
    ok("DELETE", "/api/db/account", token_a)
    ok("DELETE", "/api/db/account", token_b)
    stats = ok("GET", "/api/db/statistics", token_a)["statistics"]
    check(stats["total_interviews"] == 0 and stats["average_overall_score"] is None,
          "A: after account deletion, zeros and nulls")
    print("history acceptance: all checks passed")


if __name__ == "__main__":
    main()
