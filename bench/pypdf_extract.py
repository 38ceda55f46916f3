#!/usr/bin/env python3
"""Time pypdf's text extraction of every PDF in a directory and print JSON.

The baseline for bench/resume-quality.sh: for each X.pdf, the median wall time of
`pypdf.PdfReader(<the file's bytes>)` plus `page.extract_text()` of every page, over
--runs runs after --warmup untimed runs. The file is read into memory once, as the
Rust side does, so neither side times the disk.

Output: {"pypdf_version", "python", "runs", "warmup",
         "files": {"X.pdf": {"median_ms", "pages", "chars", "error"}}}
"""

import argparse
import io
import json
import logging
import pathlib
import platform
import statistics
import sys
import time

import pypdf


def extract_all(data: bytes) -> tuple[int, int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    chars = 0
    for page in reader.pages:
        chars += len(page.extract_text() or "")
    return len(reader.pages), chars


def measure(path: pathlib.Path, runs: int, warmup: int) -> dict:
    data = path.read_bytes()
    try:
        for _ in range(warmup):
            extract_all(data)
        times = []
        pages = chars = 0
        for _ in range(runs):
            start = time.perf_counter_ns()
            pages, chars = extract_all(data)
            times.append((time.perf_counter_ns() - start) / 1e6)
        return {
            "median_ms": statistics.median(times),
            "pages": pages,
            "chars": chars,
            "error": None,
        }
    except Exception as e:  # a file pypdf cannot read is reported, not fatal
        return {"median_ms": None, "pages": None, "chars": None, "error": f"{type(e).__name__}: {e}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--out", type=pathlib.Path, help="write the JSON here instead of stdout")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    # pypdf logs recoverable oddities of real files as warnings; they are not results.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    pdfs = sorted(p for p in args.corpus.iterdir() if p.suffix.lower() == ".pdf")
    if not pdfs:
        print(f"no .pdf files in {args.corpus}", file=sys.stderr)
        return 1
    report = {
        "pypdf_version": pypdf.__version__,
        "python": platform.python_version(),
        "runs": args.runs,
        "warmup": args.warmup,
        "files": {p.name: measure(p, args.runs, args.warmup) for p in pdfs},
    }
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
