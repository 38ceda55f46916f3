#!/usr/bin/env bash
# Runs every check CI runs: formatting, lints, and all tests (which start their own
# Postgres, PgBouncer and S3 server). Installs the Postgres and PgBouncer packages
# first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=infra/local/lib.sh
. infra/local/lib.sh

ensure_postgres
ensure_pgbouncer

echo "==> cargo fmt --check" >&2
cargo fmt --all -- --check
echo "==> cargo clippy" >&2
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> cargo test" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked 2>&1 | tee "$log" || status=$?
# One closing line for the whole run (cargo prints one per test binary).
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
