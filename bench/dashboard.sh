#!/usr/bin/env bash
# The dashboard latency benchmark (not a timed test), in one run:
#   1. makes sure Postgres and PgBouncer are installed (as infra/local/test.sh does),
#   2. builds bench/ (`dashboard-latency`) in release mode,
#   3. runs it: a throwaway Postgres + PgBouncer (transaction mode) + S3 stack, the
#      migrations, 1,000 users × 50 sessions × 10 answers (+ 5 resumes each), then
#      the dashboard (one pipelined statement as the user, plus presigning) and a
#      bare SELECT 1 through the same pool, interleaved: both medians, the ratio
#      (goal ≤ 1.5×) and the EXPLAIN ANALYZE of each query. Nothing is kept.
#
# Usage: bash bench/dashboard.sh [--runs N] [--warmup N] [--direct]
#   --direct  bypass PgBouncer (connect straight to Postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/local/lib.sh

ensure_postgres
ensure_pgbouncer
cargo build --release --locked -q -p rehearse-bench --bin dashboard-latency
exec target/release/dashboard-latency "$@"
