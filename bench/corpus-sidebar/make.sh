#!/usr/bin/env bash
# Regenerates the sidebar corpus PDFs from their sources in src/, with the tools people
# make such CVs with (all from Debian's packages or PyPI):
#   *.html  Chromium's print to PDF (CSS grid and flexbox layouts)
#   *.fodt  LibreOffice Writer (written by src/libreoffice_cvs.py), soffice --convert-to pdf
#   *.tex   pdflatex (paracol two-column CVs)
#   *.py    reportlab (platypus frames, or a canvas drawn by hand)
# Usage: bash bench/corpus-sidebar/make.sh [NAME ...]   (NAME = a source's base name)
# Installs nothing; to get the tools on Debian:
#   apt-get install chromium libreoffice-writer texlive-latex-extra texlive-fonts-recommended \
#           lmodern fonts-liberation2 fonts-dejavu && pip install reportlab
# The ground truth (X.json) is written by hand from the rendered page and is not
# regenerated: change a source, then check its JSON still says what the page says.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
work="$(mktemp -d "${TMPDIR:-/tmp}/corpus-sidebar.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# pdfTeX and reportlab write this date instead of the clock's, so reruns are stable.
export SOURCE_DATE_EPOCH=1767225600 FORCE_SOURCE_DATE=1

python3 "$src/libreoffice_cvs.py" >/dev/null

build() { # build NAME: src/NAME.{html,fodt,tex,py} -> NAME.pdf
    local name="$1" out="$here/$1.pdf"
    if [[ -f $src/$name.html ]]; then
        chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
            --user-data-dir="$work/chromium" --print-to-pdf="$out" "file://$src/$name.html" 2>/dev/null
    elif [[ -f $src/$name.fodt ]]; then
        soffice -env:UserInstallation="file://$work/lo" --headless --convert-to pdf \
            --outdir "$work" "$src/$name.fodt" >/dev/null
        mv "$work/$name.pdf" "$out"
    elif [[ -f $src/$name.tex ]]; then
        pdflatex -interaction=nonstopmode -halt-on-error -output-directory "$work" "$src/$name.tex" >"$work/$name.log" \
            || { tail -20 "$work/$name.log" >&2; return 1; }
        mv "$work/$name.pdf" "$out"
    elif [[ -f $src/$name.py ]]; then
        python3 "$src/$name.py" "$out"
    else
        echo "no source for $name in $src" >&2
        return 1
    fi
    printf '%-40s %s\n' "$name.pdf" "$(pdfinfo "$out" 2>/dev/null | awk -F': +' '/^Producer/ {p=$2} /^Pages/ {n=$2} END {print n " page(s), " p}')"
}

if (($#)); then
    names=("$@")
else
    names=()
    for f in "$src"/*.html "$src"/*.fodt "$src"/*.tex "$src"/*.py; do
        [[ -e $f ]] || continue
        base="$(basename "$f")"
        [[ $base == libreoffice_cvs.py ]] && continue
        names+=("${base%.*}")
    done
fi
for name in "${names[@]}"; do
    build "$name"
done
