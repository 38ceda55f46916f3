#!/usr/bin/env bash
# Runs every check CI runs: formatting, the dependency audit (cargo deny), lints,
# all tests (which start their own Postgres, PgBouncer and S3 server), the
# infrastructure lints and the API contract test against the local stack.
# Installs the Postgres and PgBouncer packages first when they are missing (the
# Python and npm tools install themselves into .local/ and infra/ci/node_modules,
# cargo-deny into .local/cargo-deny).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=infra/local/lib.sh
. infra/local/lib.sh

ensure_postgres
ensure_pgbouncer

# A clean clone gains nothing from incremental compilation, and its caches
# roughly doubled target/ (a CI run once ran out of disk while linking).
if [[ "${CI:-}" == "true" ]]; then
    export CARGO_INCREMENTAL=0
fi

echo "==> cargo fmt --check" >&2
cargo fmt --all -- --check
# The dependency audit (deny.toml): licences, duplicate versions, wildcard
# requirements and sources. Offline once the crates are fetched (from crates.io);
# the RustSec advisories need GitHub and run in CI's `advisories` job.
ensure_cargo_deny
echo "==> cargo deny check licenses bans sources" >&2
cargo fetch --locked --quiet
"$CARGO_DENY" --offline --locked check licenses bans sources
echo "==> cargo clippy" >&2
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> cargo test" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$log" || status=$?
# One closing line for the whole run (cargo prints one per test binary).
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"

# The deployment and the API contract: template and workflow lints, then the
# OpenAPI document against the running local stack (started and stopped here).
echo "==> infra/local/local_proxy_test.py (the local stack's bounding proxy)" >&2
python3 infra/local/local_proxy_test.py || status=1
echo "==> infra/check.sh (cfn-lint, sam validate --lint, checkov, actionlint)" >&2
bash infra/check.sh || status=1
echo "==> infra/local/schemathesis.sh (the API against infra/openapi.yaml, then the history acceptance)" >&2
bash infra/local/schemathesis.sh || status=1
exit "$status"
