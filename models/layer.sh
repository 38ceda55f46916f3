#!/usr/bin/env bash
# Lays out the embedding-model Lambda layer: the token-embedding table at
# rehearse/static-minilm.bin (Lambda unpacks a layer under /opt, where the
# functions with `model = true` in infra/routes.toml read it through
# REHEARSE_EMBEDDING_TABLE) and the model's licence beside it.
#
#   bash models/layer.sh [LAYER_DIR] [--zip]
#       LAYER_DIR default: target/lambda/embedding-model-layer
#       --zip also writes LAYER_DIR.zip (what Lambda receives; infra/package.sh)
#
# infra/template.yaml's EmbeddingModelLayer ships LAYER_DIR as it is, so run
# this before `sam build` (the deploy workflow does). The table is the one the
# binaries are compiled against: REHEARSE_MODEL_DIR's, or models/out (built
# first when missing, as rehearse-embed's build script would). A function
# refuses to start on a table from another build, so the layer must never be
# distilled separately from the binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

layer=target/lambda/embedding-model-layer
zip=false
for arg in "$@"; do
  case "$arg" in
    --zip) zip=true ;;
    -*) echo "layer.sh: unknown option $arg" >&2; exit 2 ;;
    *) layer=$arg ;;
  esac
done

if [ -n "${REHEARSE_MODEL_DIR:-}" ]; then
  src=$REHEARSE_MODEL_DIR
else
  src=models/out
  bash models/build.sh "$src" >&2
fi
for f in static-minilm.bin LICENSE-all-MiniLM-L6-v2.txt; do
  if ! [ -f "$src/$f" ]; then
    echo "layer.sh: $src/$f is missing (run models/build.sh, or fix REHEARSE_MODEL_DIR)" >&2
    exit 1
  fi
done

rm -rf "$layer"
mkdir -p "$layer/rehearse"
cp "$src/static-minilm.bin" "$src/LICENSE-all-MiniLM-L6-v2.txt" "$layer/rehearse/"
# `sam build` runs this (the layer's BuildMethod is makefile) in a copy of
# LAYER_DIR and ships what it puts in ARTIFACTS_DIR: the layer then travels
# inside .aws-sam/build with the functions, as the deploy jobs expect.
printf '%s\n' \
  '# Written by models/layer.sh for `sam build` (infra/template.yaml, EmbeddingModelLayer).' \
  'build-EmbeddingModelLayer:' \
  '	mkdir -p "$(ARTIFACTS_DIR)/rehearse"' \
  '	cp rehearse/static-minilm.bin rehearse/LICENSE-all-MiniLM-L6-v2.txt "$(ARTIFACTS_DIR)/rehearse/"' \
  > "$layer/Makefile"
if $zip; then
  rm -f "$layer.zip"
  python3 - "$layer" "$layer.zip" <<'PY'
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for d, _, files in os.walk(os.path.join(root, "rehearse")):
        for f in sorted(files):
            path = os.path.join(d, f)
            z.write(path, os.path.relpath(path, root))
PY
fi
echo "$layer"
