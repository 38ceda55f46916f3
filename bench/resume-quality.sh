#!/usr/bin/env bash
# The resume parser's accuracy and speed report, in one run:
#   1. makes sure pypdf is importable (pip installs it from PyPI when missing),
#   2. builds bench/ (`resume-quality`) in release mode,
#   3. times pypdf's text extraction of every corpus PDF (bench/pypdf_extract.py),
#   4. runs resume-quality, which times parse_pdf on the same files, scores each
#      against its .json ground truth and prints per-file results, per-field
#      P/R/F1, both median times with their ratio, and PASS/FAIL for each bar.
#
# Usage (from anywhere; paths are resolved against the caller's directory):
#   bash bench/resume-quality.sh [CORPUS_DIR] [--runs N] [--warmup N] [--json OUT.json]
#                                [--details] [--check]
# CORPUS_DIR defaults to ../shared/corpus/resumes/public beside the repository.
# --details lists each file's misses; --check exits 1 when a bar fails (the report is
# informational by default: the parser is still being improved).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/../shared/corpus/resumes/public"
runs=20
warmup=2
passthrough=()

absolute() { # a path made absolute against the caller's directory
    case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}

while (($#)); do
    case "$1" in
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --warmup) warmup="${2:?--warmup needs a value}"; shift 2 ;;
        --json) passthrough+=(--json "$(absolute "${2:?--json needs a value}")"); shift 2 ;;
        --details | --check) passthrough+=("$1"); shift ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) corpus="$(absolute "$1")"; shift ;;
    esac
done
if [[ ! -d $corpus ]]; then
    echo "corpus directory not found: $corpus" >&2
    exit 2
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import pypdf' 2>/dev/null; then
    echo "installing pypdf (PyPI) ..." >&2
    PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check pypdf
fi

cd "$root"
# Build first so that compiling never overlaps a timed run.
cargo build --quiet --release -p rehearse-bench --bin resume-quality

pypdf_json="$(mktemp "${TMPDIR:-/tmp}/pypdf-times.XXXXXX.json")"
trap 'rm -f "$pypdf_json"' EXIT
echo "timing pypdf on $corpus ($runs runs per file) ..." >&2
"$python" "$root/bench/pypdf_extract.py" "$corpus" --runs "$runs" --warmup "$warmup" --out "$pypdf_json"

echo "timing and scoring rehearse_resume::parse_pdf ..." >&2
cargo run --quiet --release -p rehearse-bench --bin resume-quality -- \
    "$corpus" --runs "$runs" --warmup "$warmup" --pypdf "$pypdf_json" ${passthrough[@]+"${passthrough[@]}"}
