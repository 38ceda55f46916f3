#!/usr/bin/env bash
# Builds the Lambda zips: `cargo lambda build --release --arm64 --output-format zip`
# for the function crates (every directory under functions/, or only the names
# given), then prints each zip's size against the 4 MB goal (4,000,000 bytes),
# the total, and the wall-clock build time. Output: target/lambda/<name>/bootstrap.zip.
# When a function with `model = true` (infra/routes.toml) is among them, the
# embedding-model layer they share is zipped too (models/layer.sh) and counted
# once in the total: target/lambda/embedding-model-layer.zip.
#
#   bash infra/package.sh                   # all functions
#   bash infra/package.sh health-get dashboard-get  # just these
#
# A full build links 28 LTO'd binaries: expect tens of minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=infra/local/lib.sh
. infra/local/lib.sh

readonly GOAL_BYTES=4000000
# Lambda's hard limit for a zip uploaded directly; past it a deploy fails.
readonly LIMIT_BYTES=$((50 * 1024 * 1024))
readonly TARGET=aarch64-unknown-linux-gnu
readonly LAMBDA_DIR=target/lambda

all_functions() {
  local d
  for d in functions/*/; do
    [ -f "$d/Cargo.toml" ] && basename "$d"
  done
}

if [ "$#" -gt 0 ]; then
  names=("$@")
  for n in "${names[@]}"; do
    if ! [ -f "functions/$n/Cargo.toml" ]; then
      echo "package.sh: no function crate functions/$n (known: $(all_functions | tr '\n' ' '))" >&2
      exit 2
    fi
  done
else
  mapfile -t names < <(all_functions)
fi

ensure_cargo_lambda
# cargo-lambda cross-compiles with Zig but needs Rust's std for the target.
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$TARGET"; then
  echo "==> rustup target add $TARGET" >&2
  rustup target add "$TARGET"
fi

packages=()
for n in "${names[@]}"; do
  packages+=(-p "$n")
  # A stale zip from an earlier build must not pass for this one.
  rm -f "$LAMBDA_DIR/$n/bootstrap.zip"
done

echo "==> cargo lambda build --release --arm64 --output-format zip (${#names[@]} functions)" >&2
started=$(date +%s)
cargo lambda build --release --arm64 --output-format zip --locked \
  --lambda-dir "$LAMBDA_DIR" "${packages[@]}"
elapsed=$(($(date +%s) - started))

mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

total=0
over_goal=0
over_limit=0
printf '\n%-32s %10s %8s %8s  %s\n' function "zip bytes" "zip MiB" "bin MiB" "vs 4 MB goal"
for n in "${names[@]}"; do
  zip="$LAMBDA_DIR/$n/bootstrap.zip"
  if ! [ -f "$zip" ]; then
    echo "package.sh: $zip was not produced" >&2
    exit 1
  fi
  size=$(stat -c %s "$zip")
  # The uncompressed bootstrap, as the zip's own listing reports it.
  unzipped=$(python3 -c 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$zip")
  total=$((total + size))
  verdict=ok
  if [ "$size" -gt "$LIMIT_BYTES" ]; then
    verdict="OVER Lambda's 50 MB limit"
    over_limit=$((over_limit + 1))
  elif [ "$size" -gt "$GOAL_BYTES" ]; then
    verdict="over goal by $((size - GOAL_BYTES)) bytes"
    over_goal=$((over_goal + 1))
  fi
  printf '%-32s %10d %8s %8s  %s\n' "$n" "$size" "$(mib "$size")" "$(mib "$unzipped")" "$verdict"
done
# The model layer, once for all the functions that read it.
model_functions=$(python3 -c '
import sys, tomllib
fs = tomllib.load(open("infra/routes.toml", "rb"))["function"]
print(" ".join(n for n in sys.argv[1:] if fs.get(n, {}).get("model")))' "${names[@]}")
zips=${#names[@]}
if [ -n "$model_functions" ]; then
  layer=$(bash models/layer.sh --zip)
  size=$(stat -c %s "$layer.zip")
  unzipped=$(du -sb "$layer" | cut -f1)
  total=$((total + size))
  zips=$((zips + 1))
  printf '%-32s %10d %8s %8s  %s\n' "embedding-model (layer)" "$size" "$(mib "$size")" \
    "$(mib "$unzipped")" "shared by: $model_functions"
fi
printf '%-32s %10d %8s\n' "total ($zips zips)" "$total" "$(mib "$total")"
printf 'build time: %dm%02ds wall clock; %d over the 4 MB goal\n' \
  $((elapsed / 60)) $((elapsed % 60)) "$over_goal"

# Over the goal is worth knowing; over Lambda's limit cannot deploy.
[ "$over_limit" -eq 0 ]
