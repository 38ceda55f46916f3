#!/usr/bin/env bash
# Fuzzes the resume parser with cargo-fuzz (libFuzzer) for a fixed time.
#
# Usage: bash fuzz/run.sh [TARGET] [SECONDS]
#   TARGET   parse_pdf (default; the whole upload path), extract (rehearse_pdf::extract
#            alone), parse_text (the structure parser on text), or all (each for SECONDS)
#   SECONDS  how long to run each target (default 600)
# Environment:
#   FUZZ_SANITIZER   none (default) or address; see below
#   FUZZ_ARGS        extra libFuzzer options, e.g. "-jobs=2 -workers=2"
#   SHARED_CORPUS    where the public resume PDFs are (default ../shared/corpus/resumes/public)
#
# A crash (panic, overflow, stack overflow, timeout over 10 s, more than 2 GiB of
# memory) stops the run, is saved as fuzz/artifacts/TARGET/crash-* (or timeout-*,
# oom-*) and makes this script exit non-zero. Reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...
# (from fuzz/'s parent). The seed corpus is copied in at run time into
# fuzz/corpus/TARGET/, which libFuzzer grows; it, artifacts/ and target/ are git-ignored.
#
# Why RUSTC_BOOTSTRAP=1: cargo-fuzz compiles the targets with unstable compiler flags
# (-Zsanitizer, the sancov passes) that only a nightly compiler accepts, and the
# project has only the stable toolchain. RUSTC_BOOTSTRAP=1 makes stable rustc accept
# them (it is how the compiler builds itself). It is set here, for this tool only;
# nothing that ships is built with it.
#
# Why no AddressSanitizer by default: the code under test is safe Rust (the workspace
# denies unsafe_code), so the findings that matter are panics, overflows (debug
# assertions and overflow checks are on), hangs and memory blow-ups, which need no
# sanitizer; without it each input runs several times faster on the two shared
# cores. FUZZ_SANITIZER=address turns it back on.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$fuzz_dir/.." && pwd)"
target="${1:-parse_pdf}"
seconds="${2:-600}"
sanitizer="${FUZZ_SANITIZER:-none}"
shared_corpus="${SHARED_CORPUS:-$root/../shared/corpus/resumes/public}"

case "$target" in
    parse_pdf | extract | parse_text | all) ;;
    *) echo "unknown target '$target': parse_pdf, extract, parse_text or all" >&2; exit 2 ;;
esac
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "SECONDS must be a positive whole number, not '$seconds'" >&2
    exit 2
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz (crates.io) ..." >&2
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

seed() { # $1 = target: fills fuzz/corpus/$1 with the seeds that suit it
    local dir="$fuzz_dir/corpus/$1"
    mkdir -p "$dir"
    if [[ $1 == parse_text ]]; then
        cp "$fuzz_dir"/seeds/text/* "$dir"/
        # The public resumes as the extractor lays them out (bench/'s resume-quality
        # writes them in this target's notation); hand-made seeds alone if that fails.
        if compgen -G "$shared_corpus/*.pdf" >/dev/null; then
            (cd "$root" && cargo run --quiet --release -p rehearse-bench --bin resume-quality -- \
                "$shared_corpus" --dump-text "$dir") ||
                echo "note: could not extract the public PDFs' text; hand-made text seeds only" >&2
        fi
    else
        cp "$fuzz_dir"/seeds/pdf/*.pdf "$dir"/
        if compgen -G "$shared_corpus/*.pdf" >/dev/null; then
            cp "$shared_corpus"/*.pdf "$dir"/
        else
            echo "note: no PDFs in $shared_corpus; seeding with fuzz/seeds/pdf only" >&2
        fi
    fi
}

run() { # $1 = target
    local t="$1" extra=()
    [[ $t != parse_text ]] && extra+=("-dict=$fuzz_dir/pdf.dict")
    seed "$t"
    echo "fuzzing $t for ${seconds}s (sanitizer: $sanitizer) ..." >&2
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
    cargo fuzz run --fuzz-dir "$fuzz_dir" -O -a -s "$sanitizer" "$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        "${extra[@]}" ${FUZZ_ARGS:-}
}

cd "$root"
stamp="$(mktemp)"
trap 'rm -f "$stamp"' EXIT
status=0
if [[ $target == all ]]; then
    for t in parse_pdf extract parse_text; do
        run "$t" || status=$?
    done
else
    run "$target" || status=$?
fi
if ((status != 0)); then
    echo "fuzzing found a problem (exit $status); inputs saved under fuzz/artifacts/:" >&2
    find "$fuzz_dir/artifacts" -type f -newer "$stamp" 2>/dev/null >&2 || true
fi
exit "$status"
