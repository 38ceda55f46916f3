#!/usr/bin/env bash
# The local Rehearse stack in one command: installs what is missing, starts Postgres
# and an S3-compatible server (data in .local/, git-ignored, reused across runs),
# creates the bucket, applies the migrations, and serves every function with
# `cargo lambda watch` on http://localhost:8000 (the API Gateway paths).
#
#   infra/local/serve.sh          bring everything up; Ctrl-C stops all of it
#   infra/local/serve.sh stop     stop servers left behind by a killed run
#
# Port 8000 is infra/local/local_proxy.py, which passes everything through to
# `cargo lambda watch` on 127.0.0.1:$WATCH_PORT but lets at most
# $LOCAL_PROXY_MAX_ACTIVE requests into it at a time and answers the excess with
# 503 local_overloaded: watch 1.9.2 deadlocks for good once more than 100
# requests for one function are inside it (docs/local-stack.md).
# Environment: PORT (8000), WATCH_PORT (PORT + 1), LOCAL_PROXY_MAX_ACTIVE (64,
# at most 100), LOCAL_PROXY_MAX_WAITING (256), LOCAL_PROXY_WAIT_TIMEOUT (30 s),
# LOCAL_PROXY_UPSTREAM_TIMEOUT (900 s); LOCAL_PROXY=0 serves watch directly on
# PORT as before (and can wedge).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
LOCAL=$ROOT/.local
# shellcheck source=infra/local/lib.sh
. infra/local/lib.sh

PORT=${PORT:-8000}
mkdir -p "$LOCAL/logs" "$LOCAL/run"

# --- configuration ----------------------------------------------------------
if [ ! -f .env ]; then
  secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 48)
  sed "s|^SUPABASE_JWT_SECRET=.*|SUPABASE_JWT_SECRET=$secret|" .env.example >.env
  echo "==> created .env from .env.example (with a fresh SUPABASE_JWT_SECRET)" >&2
fi
set -a
# shellcheck disable=SC1091
. ./.env
set +a

PG_DATA=$LOCAL/pg
PG_RUN=$LOCAL/run/pg
S3_PID=$LOCAL/run/s3.pid
PROXY_PID=$LOCAL/run/local-proxy.pid
# After .env, so that .env may set them too.
WATCH_PORT=${WATCH_PORT:-$((PORT + 1))}
LOCAL_PROXY=${LOCAL_PROXY:-1}

pg_as() {
  # Postgres refuses to run as root: run its tools as the `postgres` user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [ -f "$PG_DATA/postmaster.pid" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

# The proxy recorded in $PROXY_PID (it writes that file itself once its port is
# bound and removes it when it exits), if it is still running.
stop_proxy() {
  local pid
  pid=$(cat "$PROXY_PID" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q local_proxy.py; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    echo "==> stopped the local proxy" >&2
  fi
  rm -f "$PROXY_PID"
}

stop_all() {
  stop_proxy
  if [ -f "$S3_PID" ]; then
    kill "$(cat "$S3_PID")" 2>/dev/null || true
    rm -f "$S3_PID"
    echo "==> stopped the S3 server" >&2
  fi
  if [ -n "${PG_BIN:-}" ] && pg_running; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    echo "==> stopped Postgres" >&2
  fi
}

ensure_postgres
PG_BIN=$(pg_bin_dir)

if [ "${1:-}" = "stop" ]; then
  stop_all
  exit 0
fi

ensure_cargo_lambda

started_pg=""
started_s3=""
proxy_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$proxy_pid" ] && kill -0 "$proxy_pid" 2>/dev/null; then
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
    echo "==> stopped the local proxy" >&2
  fi
  if [ -n "$started_s3" ] && [ -f "$S3_PID" ]; then
    kill "$(cat "$S3_PID")" 2>/dev/null || true
    rm -f "$S3_PID"
    echo "==> stopped the S3 server" >&2
  fi
  if [ -n "$started_pg" ] && pg_running; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
    echo "==> stopped Postgres" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> building the local tools" >&2
cargo build --quiet -p rehearse-dev -p migrate

# --- Postgres ---------------------------------------------------------------
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  echo "==> initdb $PG_DATA" >&2
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA"; fi
  pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C >"$LOCAL/logs/initdb.log"
fi
mkdir -p "$PG_RUN"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_RUN" "$LOCAL/logs"; fi
if pg_running; then
  echo "==> Postgres already running" >&2
else
  echo "==> starting Postgres on 127.0.0.1:$LOCAL_PG_PORT" >&2
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$LOCAL/logs/postgres.log" \
    -o "-p $LOCAL_PG_PORT -k $PG_RUN -c listen_addresses=127.0.0.1" start >/dev/null
  started_pg=1
fi
if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$LOCAL_PG_PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'rehearse'" | grep -q 1; then
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$LOCAL_PG_PORT" -U postgres rehearse
  echo "==> created database rehearse" >&2
fi

# --- S3 ---------------------------------------------------------------------
if [ -f "$S3_PID" ] && kill -0 "$(cat "$S3_PID")" 2>/dev/null; then
  echo "==> S3 server already running" >&2
else
  echo "==> starting the S3 server on 127.0.0.1:$LOCAL_S3_PORT" >&2
  nohup target/debug/rehearse-dev s3-server --port "$LOCAL_S3_PORT" "$LOCAL/s3" \
    >"$LOCAL/logs/s3.log" 2>&1 &
  echo $! >"$S3_PID"
  started_s3=1
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$LOCAL_S3_PORT") 2>/dev/null && break
    sleep 0.1
  done
fi
target/debug/rehearse-dev ensure-bucket

# --- schema -----------------------------------------------------------------
echo "==> applying migrations" >&2
target/debug/migrate

# --- API --------------------------------------------------------------------
if [ "$LOCAL_PROXY" = 0 ]; then
  echo "==> serving the API on http://localhost:$PORT, cargo lambda watch without the proxy" \
    "(wedges at ~100 concurrent requests for one function; Ctrl-C stops the whole stack)" >&2
  cargo lambda watch -P "$PORT" --env-file .env
  exit
fi

# The front door (infra/local/local_proxy.py, standard library only): binds $PORT
# now (a port in use fails here), listens once watch answers on $WATCH_PORT, and
# exits with this script (it watches its parent; cleanup also stops it).
stop_proxy # one left behind by a killed run
python3 infra/local/local_proxy.py --port "$PORT" \
  --upstream-host 127.0.0.1 --upstream-port "$WATCH_PORT" \
  --max-active "${LOCAL_PROXY_MAX_ACTIVE:-64}" --max-waiting "${LOCAL_PROXY_MAX_WAITING:-256}" \
  --wait-timeout "${LOCAL_PROXY_WAIT_TIMEOUT:-30}" \
  --upstream-timeout "${LOCAL_PROXY_UPSTREAM_TIMEOUT:-900}" \
  --parent-pid $$ --pid-file "$PROXY_PID" &
proxy_pid=$!
until [ -f "$PROXY_PID" ]; do
  if ! kill -0 "$proxy_pid" 2>/dev/null; then
    proxy_pid=""
    echo "error: infra/local/local_proxy.py could not take port $PORT (see above)" >&2
    exit 1
  fi
  sleep 0.1
done

echo "==> serving the API on http://localhost:$PORT: infra/local/local_proxy.py in front of" \
  "cargo lambda watch on 127.0.0.1:$WATCH_PORT (Ctrl-C stops the whole stack)" >&2
cargo lambda watch -A 127.0.0.1 -P "$WATCH_PORT" --env-file .env
