#!/usr/bin/env bash
# The scoring report (not a timed test), in one run:
#   1. agreement with the independent graded set (bench/scoring/graded-*.jsonl):
#      Spearman overall, per category and per grade band, mean absolute error,
#      and the bars (>= 0.85 overall, >= 0.7 per category, nothing graded >= 8
#      scored below 5, nothing graded <= 2 scored above 5), for the dev split and
#      the held-out test split (aggregates only for the latter);
#   2. what scoring costs: cold initialisation (model and tables), the first
#      answer after it, warm scoring of a 200-word answer (p50/p99), in fresh
#      processes, for this tree and, side by side, for the engine before semantic
#      scoring (BASE, built from git in a throwaway worktree).
#
# Usage: bash bench/scoring.sh [--split dev|test|all] [--verbose] [--no-baseline]
#   --verbose      per-answer lines (dev split only): grade, score, signals
#   BASE=<commit>  the engine to compare with (default: the last commit before
#                  semantic scoring)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-236b3f7}
baseline=1
args=()
for a in "$@"; do
    case "$a" in
        --no-baseline) baseline=0 ;;
        *) args+=("$a") ;;
    esac
done

echo "== agreement with the graded set (bench/scoring/)"
# The dev profile: agreement is a few seconds of scoring, and the release
# profile's fat LTO over the bench's database and S3 dependencies takes minutes.
cargo build --locked -q -p rehearse-bench --bin scoring-agreement
target/debug/scoring-agreement "${args[@]}"

echo "== cost: this tree"
cargo run --release --locked -q -p rehearse-interview --example latency

if [ "$baseline" = 1 ]; then
    echo "== cost: the engine at $BASE (before semantic scoring)"
    work=$(mktemp -d)
    trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
    git worktree add --detach -q "$work/tree" "$BASE"
    mkdir -p "$work/tree/shared/rehearse-interview/examples"
    # Same program; that engine has no warm-up (its tables fill on first use,
    # which the "first answer" line then shows).
    sed '/WARM_UP/d' shared/rehearse-interview/examples/latency.rs \
        > "$work/tree/shared/rehearse-interview/examples/latency.rs"
    (cd "$work/tree" && CARGO_TARGET_DIR="$work/target" \
        cargo run --release -q -p rehearse-interview --example latency)
fi
