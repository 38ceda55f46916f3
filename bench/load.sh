#!/usr/bin/env bash
# The Lambda-shaped load run (a benchmark, not a timed test), in one run:
#   1. makes sure Postgres and PgBouncer are installed (as infra/local/test.sh does),
#   2. builds the six functions an interview goes through and bench/ (`load`),
#      debug by default (LOAD_PROFILE=release for release builds: fat LTO, slow
#      on 2 cores), and copies the function binaries aside, so a rebuild during
#      the run does not swap them under the running instances,
#   3. runs `load`: the test harness's Postgres + PgBouncer (transaction mode) +
#      S3 server, each function's instances as real processes under a Runtime
#      API the bench implements, N interview clients (anonymous and signed in),
#      then per-route latencies, throughput, server connections, and the
#      verification of every interview's rows and every user's statistics.
#
# Usage: bash bench/load.sh [--interviews 200] [--concurrency 200] [--questions 5]
#          [--signed-in-share 0.5] [--interviews-per-user 4] [--max-instances 120]
#          [--pool-size N] [--restart-postgres-at S] [--downtime 3] [--timeout 30]
#   bash bench/load.sh                            # 200 concurrent interviews
#   bash bench/load.sh --restart-postgres-at 10   # Postgres restarted 10 s in
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/local/lib.sh

ensure_postgres
ensure_pgbouncer

profile="${LOAD_PROFILE:-debug}"
functions=(session-create-conversational session-conversational-answer session-summary-get
           session-history-list dashboard-get session-history-get)
flags=(--locked -q)
[ "$profile" = release ] && flags+=(--release)
packages=()
for f in "${functions[@]}"; do packages+=(-p "$f"); done
cargo build "${flags[@]}" "${packages[@]}" -p rehearse-bench --bin load

bin="target/load-bin/$profile"
mkdir -p "$bin"
for f in "${functions[@]}"; do
    cp -f "target/$profile/$f" "$bin/$f.tmp" && mv -f "$bin/$f.tmp" "$bin/$f"
done
echo "load: $profile builds of ${functions[*]}" >&2
exec "target/$profile/load" --bin-dir "$bin" "$@"
