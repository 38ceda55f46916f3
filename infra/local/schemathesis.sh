#!/usr/bin/env bash
# The API contract, tested: validates infra/openapi.yaml, then runs Schemathesis
# (property-based requests generated from it) against the local stack and fails
# on any server error or any response that does not match the document; then
# infra/local/history_acceptance.py (two users' interviews through the history
# routes), infra/local/answers_acceptance.py (answers, skips and retries) and
# infra/local/quota_acceptance.py (per-address and per-user quotas),
# infra/local/practice_acceptance.py (reports, direct uploads, the practice plan) on the
# same stack.
#
#   infra/local/schemathesis.sh                 the whole run (a few minutes)
#   infra/local/schemathesis.sh --seed 1234     extra arguments go to `schemathesis run`
#
# Uses the stack already answering on $PORT (default 8000) or starts one with
# infra/local/serve.sh, and then stops it again at the end. Installs its Python
# tools (infra/local/requirements-api-test.txt, pinned) into .local/api-test-venv.
# Offline and non-interactive: everything it talks to is on 127.0.0.1.
#
# Environment: PORT, SCHEMATHESIS_EXAMPLES (examples per operation and phase,
# default 25), STACK_TIMEOUT (seconds to wait for a stack it starts, default 1200).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
LOCAL=$ROOT/.local
PORT=${PORT:-8000}
BASE_URL=http://127.0.0.1:$PORT
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-25}
STACK_TIMEOUT=${STACK_TIMEOUT:-1200}
VENV=$LOCAL/api-test-venv
REQUIREMENTS=infra/local/requirements-api-test.txt
SPEC=infra/openapi.yaml

# Non-interactive whatever the caller: no prompts, no colour codes in logs, and
# nothing written into the tree (watch restarts on new files it does not ignore):
# no bytecode next to the hooks file.
exec </dev/null
export CI=true PYTHONDONTWRITEBYTECODE=1
# Hypothesis' own caches (.hypothesis/) go under .local/ too.
export HYPOTHESIS_STORAGE_DIRECTORY=$LOCAL/schemathesis/hypothesis-storage
mkdir -p "$LOCAL/logs" "$LOCAL/schemathesis"

# --- tools --------------------------------------------------------------------
want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)" != "$want" ]; then
  echo "==> installing $REQUIREMENTS into $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$want" >"$VENV/.requirements.sha256"
fi

echo "==> openapi-spec-validator $SPEC" >&2
"$VENV/bin/openapi-spec-validator" "$SPEC"

# --- the stack ----------------------------------------------------------------
serve_pid=""
stop_stack() {
  trap - EXIT INT TERM
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    echo "==> stopping the local stack this script started" >&2
    # serve.sh runs in its own session (setsid): Ctrl-C its whole process group,
    # as a terminal would; its own trap then stops Postgres and the S3 server.
    kill -INT -- "-$serve_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$serve_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -TERM -- "-$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

answering() { [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$BASE_URL/health" || true)" != "000" ]; }

if answering; then
  echo "==> using the stack already answering on $BASE_URL" >&2
else
  log=$LOCAL/logs/schemathesis-stack.log
  echo "==> starting the local stack (infra/local/serve.sh, log: ${log#"$ROOT"/})" >&2
  setsid bash infra/local/serve.sh >"$log" 2>&1 &
  serve_pid=$!
fi

echo "==> waiting for $BASE_URL/health" >&2
deadline=$((SECONDS + STACK_TIMEOUT))
until curl -s -m 60 "$BASE_URL/health" 2>/dev/null | grep -q '"status":"operational"'; do
  if [ -n "$serve_pid" ] && ! kill -0 "$serve_pid" 2>/dev/null; then
    echo "error: infra/local/serve.sh exited; the end of its log:" >&2
    tail -n 30 "$LOCAL/logs/schemathesis-stack.log" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: $BASE_URL/health did not report operational within ${STACK_TIMEOUT}s" >&2
    curl -s -m 10 "$BASE_URL/health" >&2 || true
    exit 1
  fi
  sleep 2
done

# cargo lambda watch compiles each function on its first request: call every
# operation once (anonymously, so nothing is changed) with a generous timeout,
# so that no generated request pays for a compilation.
echo "==> warming every function (first calls compile them)" >&2
"$VENV/bin/python" - "$SPEC" <<'PY' | while read -r method url; do
import re, sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
for path, item in spec["paths"].items():
    for method in ("get", "post", "put", "patch", "delete"):
        if method in item:
            print(method.upper(), re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path))
PY
  code=$(curl -s -o /dev/null -m 600 -X "$method" -w '%{http_code}' "$BASE_URL$url" || true)
  if [ "$code" = "000" ]; then
    echo "error: $method $url got no answer" >&2
    exit 1
  fi
done

# A user of its own: the run creates, finalizes and deletes that user's data
# (DELETE /api/db/account included), and nobody else's.
# Account deletion gets a second user (see schemathesis.toml).
TOKEN=$(cargo run -q -p rehearse-dev -- token --email schemathesis@example.com --ttl 7200)
REHEARSE_ACCOUNT_TOKEN=$(cargo run -q -p rehearse-dev -- token --email schemathesis-account@example.com --ttl 7200)
# Start both users from nothing: runs stay alike, and the local database does not
# grow by a run's worth of generated resumes and sessions each time.
for token in "$TOKEN" "$REHEARSE_ACCOUNT_TOKEN"; do
  curl -sf -o /dev/null -m 120 -X DELETE -H "Authorization: Bearer $token" "$BASE_URL/api/db/account"
done
# schemathesis_hooks.py creates its pool of real sessions and resumes with these.
export REHEARSE_API_URL=$BASE_URL REHEARSE_TOKEN=$TOKEN REHEARSE_ACCOUNT_TOKEN

# Checks: the contract, and only it.
# - not_a_server_error: no 5xx (stt-transcribe's documented 503 of an unconfigured
#   server is allowed in schemathesis.toml, and the local emulator's own refusals
#   of non-UTF-8 text bodies are dropped by schemathesis_hooks.py; both say why).
# - status_code_conformance, content_type_conformance, response_schema_conformance,
#   response_headers_conformance: every answer is documented, JSON, and matches
#   its schema and headers (WWW-Authenticate on 401).
# Not run:
# - unsupported_method (expects 405 for undocumented methods): cargo lambda watch,
#   like API Gateway HTTP APIs, answers a method it has no route for itself with a
#   non-JSON 404 before any function runs, so it would test the gateway, not
#   Rehearse (schemathesis.toml also stops the coverage phase from sending them).
# - negative_data_rejection: the handlers deliberately accept more than the
#   canonical form the document describes (the old client's aliases, numbers sent
#   as strings, unknown fields ignored), so "schema-invalid" is not "invalid".
# - positive_data_acceptance: many valid requests are refused for the state they
#   meet, not their shape (a generated session id names no session: 404; a valid
#   multipart upload of random bytes is not a PDF: 422).
checks=not_a_server_error,status_code_conformance,content_type_conformance
checks=$checks,response_schema_conformance,response_headers_conformance

# One worker: CPython 3.11 before 3.11.8 can fail parsing in two threads at once
# ("AST constructor recursion depth mismatch" from Hypothesis, seen here), and
# cargo lambda watch serves each function one request at a time anyway.
echo "==> schemathesis run $SPEC --url $BASE_URL (max $EXAMPLES examples per operation)" >&2
status=0
"$VENV/bin/schemathesis" --config-file infra/local/schemathesis.toml run "$SPEC" --no-color \
  --url "$BASE_URL" \
  --header "Authorization: Bearer $TOKEN" \
  --checks "$checks" \
  --max-examples "$EXAMPLES" \
  --workers 1 \
  --request-timeout 120 \
  "$@" || status=$?

# Then the history routes end to end, on the same stack: two users' completed
# interviews, their statistics, session lists and dashboards, isolation and
# deletion (fresh random users; the script deletes their accounts at the end).
echo "==> infra/local/history_acceptance.py against $BASE_URL" >&2
BASE_URL=$BASE_URL "$VENV/bin/python" infra/local/history_acceptance.py || status=1
echo "==> infra/local/answers_acceptance.py against $BASE_URL" >&2
BASE_URL=$BASE_URL "$VENV/bin/python" infra/local/answers_acceptance.py || status=1
echo "==> infra/local/quota_acceptance.py against $BASE_URL" >&2
BASE_URL=$BASE_URL "$VENV/bin/python" infra/local/quota_acceptance.py || status=1
echo "==> infra/local/practice_acceptance.py against $BASE_URL" >&2
BASE_URL=$BASE_URL "$VENV/bin/python" infra/local/practice_acceptance.py || status=1
echo "==> infra/local/overload_check.py: 200 concurrent clients, then the stack still answers" >&2
"$VENV/bin/python" infra/local/overload_check.py --url "$BASE_URL/" || status=1
exit "$status"
