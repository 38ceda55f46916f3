#!/usr/bin/env bash
# The resume parser's accuracy and speed report, in one run:
#   1. makes sure pypdf is importable (pip installs it from PyPI when missing),
#   2. builds bench/ (`resume-quality`) in release mode,
#   3. for each corpus, times pypdf's text extraction of every PDF
#      (bench/pypdf_extract.py), then runs resume-quality, which times parse_pdf on
#      the same files, scores each against its .json ground truth and prints
#      per-file results, per-field P/R/F1, both median times with their ratio, and
#      PASS/FAIL for each bar,
#   4. prints every field's figure for every corpus side by side, with its bar.
#
# Usage (from anywhere; paths are resolved against the caller's directory):
#   bash bench/resume-quality.sh [CORPUS_DIR ...] [--runs N] [--warmup N]
#                                [--json OUT.json] [--details] [--check]
# Without CORPUS_DIR: the public corpus (../shared/corpus/resumes/public beside the
# repository) and the sidebar corpus (bench/corpus-sidebar). --json writes every
# result (one summary per corpus, as a JSON array); --details lists each file's
# misses; --check exits 1 when a bar fails in any corpus (the report is
# informational by default).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpora=()
runs=20
warmup=2
json_out=""
check=0
passthrough=()

absolute() { # a path made absolute against the caller's directory
    case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}

while (($#)); do
    case "$1" in
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --warmup) warmup="${2:?--warmup needs a value}"; shift 2 ;;
        --json) json_out="$(absolute "${2:?--json needs a value}")"; shift 2 ;;
        --details) passthrough+=("$1"); shift ;;
        --check) check=1; shift ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) corpora+=("$(absolute "$1")"); shift ;;
    esac
done
if ((${#corpora[@]} == 0)); then
    corpora=("$root/../shared/corpus/resumes/public" "$root/bench/corpus-sidebar")
fi
for corpus in "${corpora[@]}"; do
    if [[ ! -d $corpus ]]; then
        echo "corpus directory not found: $corpus" >&2
        exit 2
    fi
done

python="${PYTHON:-python3}"
if ! "$python" -c 'import pypdf' 2>/dev/null; then
    echo "installing pypdf (PyPI) ..." >&2
    PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check pypdf
fi

cd "$root"
# Build first so that compiling never overlaps a timed run.
cargo build --quiet --release -p rehearse-bench --bin resume-quality

work="$(mktemp -d "${TMPDIR:-/tmp}/resume-quality.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failed=0
summaries=()
for i in "${!corpora[@]}"; do
    corpus="${corpora[$i]}"
    pypdf_json="$work/pypdf-$i.json"
    summary="$work/summary-$i.json"
    echo "timing pypdf on $corpus ($runs runs per file) ..." >&2
    "$python" "$root/bench/pypdf_extract.py" "$corpus" --runs "$runs" --warmup "$warmup" --out "$pypdf_json"

    echo "timing and scoring rehearse_resume::parse_pdf on $corpus ..." >&2
    ((i > 0)) && echo
    if ! cargo run --quiet --release -p rehearse-bench --bin resume-quality -- \
        "$corpus" --runs "$runs" --warmup "$warmup" --pypdf "$pypdf_json" --json "$summary" --check \
        ${passthrough[@]+"${passthrough[@]}"}; then
        failed=1
    fi
    summaries+=("$summary")
done

# Every field's figure in every corpus, side by side.
"$python" - "${summaries[@]}" <<'PY'
import json, os, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
names = [os.path.basename(os.path.normpath(r["corpus"])) for r in runs]
fields = []
for r in runs:
    for b in r["bars"]:
        if b["what"] not in fields:
            fields.append(b["what"])
def show(b):
    if b is None:
        return "-"
    if b["what"].startswith("speed"):
        value = f'{b["value"]:.1f}x'
    elif b["what"].endswith("F1"):
        value = f'{b["value"]:.3f}'
    else:
        value = f'{100 * b["value"]:.1f}%'
    verdict = {True: "", False: " FAIL", None: " n/m"}[b["pass"]]
    return value + verdict
width = max(14, *(len(n) for n in names))
print()
print("Per field, every corpus (bar in the last column):")
print(f'  {"field":<28}' + "".join(f" {n:>{width}}" for n in names) + "  bar")
for f in fields:
    cells = [next((b for b in r["bars"] if b["what"] == f), None) for r in runs]
    minimum = next(b["minimum"] for b in cells if b is not None)
    bar = f">= {minimum:.0f}x" if f.startswith("speed") else (f">= {minimum:.2f}" if f.endswith("F1") else f">= {100 * minimum:.0f}%")
    print(f"  {f:<28}" + "".join(f" {show(b):>{width}}" for b in cells) + f"  {bar}")
PY

if [[ -n $json_out ]]; then
    "$python" -c 'import json, sys; json.dump([json.load(open(p)) for p in sys.argv[2:]], open(sys.argv[1], "w"), indent=1)' \
        "$json_out" "${summaries[@]}"
fi
if ((check && failed)); then
    exit 1
fi
