#!/usr/bin/env bash
# Cold starts of the functions (a benchmark, not a timed test), in one run:
#   1. makes sure Postgres and PgBouncer are installed (as infra/local/test.sh does),
#   2. builds the function binaries with the release profile infra/package.sh
#      ships (`cargo build --release --locked`: the same profile and code; for
#      this machine's architecture, since the arm64 zips cannot run here) and
#      `cold-start-hello`, a lambda_http hello world built with that profile,
#      then copies them aside (target/cold-start-bin), so a rebuild during the
#      run does not swap them under it,
#   3. runs `cold-start`: each function as a fresh process under a Runtime API
#      (bench/rehearse-bench/src/load_lambda.rs) against the test harness's
#      Postgres (through PgBouncer, transaction mode) and S3 server, N cold runs
#      each: init (spawn to the first /next), the first invocation, warm
#      p50/p99, peak RSS; one Markdown table, every figure also as a multiple
#      of the hello's. Goals: init <= 2x the hello's, RSS <= 3x.
#
# Usage: bash bench/cold-start.sh [--runs 7] [--warm 50] [--case F=CASE]...
#          [--also F=CASE]... [--env NAME=VALUE]... [FUNCTION...]
#   bash bench/cold-start.sh                                 # every function
#   bash bench/cold-start.sh --also resume-parse=signed-in health-get resume-parse
#   COLD_START_BUILD=0 bash bench/cold-start.sh   # reuse target/cold-start-bin as it is
# A first build of every function with fat LTO takes tens of minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/local/lib.sh

ensure_postgres
ensure_pgbouncer

bin=target/cold-start-bin
# The functions named on the command line (the words not starting with --, and
# not the value of an option), else all of them.
functions=()
prev=
for a in "$@"; do
  case "$prev" in --runs|--warm|--case|--also|--env|--bin-dir) prev=; continue ;; esac
  case "$a" in --*) prev=$a ;; *) functions+=("$a") ;; esac
done
if [ "${#functions[@]}" -eq 0 ]; then
  for d in functions/*/; do
    [ -f "$d/Cargo.toml" ] && functions+=("$(basename "$d")")
  done
fi

if [ "${COLD_START_BUILD:-1}" != 0 ]; then
  packages=()
  for f in "${functions[@]}"; do packages+=(-p "$f"); done
  echo "==> cargo build --release --locked (${#functions[@]} functions)" >&2
  cargo build --release --locked "${packages[@]}"
  cargo build --release --locked -q -p rehearse-bench --bin cold-start --bin cold-start-hello
  mkdir -p "$bin"
  for f in "${functions[@]}" cold-start-hello; do
    cp -f "target/release/$f" "$bin/$f.tmp" && mv -f "$bin/$f.tmp" "$bin/$f"
  done
fi
exec target/release/cold-start --bin-dir "$bin" "$@"
