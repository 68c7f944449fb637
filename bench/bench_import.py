"""``reader import`` of many records into one document (issue 12, item 8: 200,000 in < 30 s).

Writes a ``jsonl`` export of N annotations (default 200,000) of one seed document
(its sentences in turn, each record complete and anchored on the seed's text), then
runs ``python -m reader import FILE --store S --corpus seeds/`` end to end in a new
process, into a fresh store each run, alternating run by run with a reference: a new
``python`` process that reads the same file, ``json.loads`` each line and writes it
back with ``json.dumps`` to one file, fsynced once (no checks, no store) — the floor
for a Python program doing the job. Wall time, CPU time (user + system) and peak RSS
of each process (``wait4``).

Run: ``python bench/bench_import.py [--count N] [--runs 3]``. Prints figures, asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

from _bench import REPO, measured, print_table

from reader.corpus import read_document
from reader.store.model import context

SEEDS = REPO / "seeds"
SEED = SEEDS / "000_0430b5cc33e0e526.txt"
TARGET_S = 30.0

FLOOR = """
import json, os, sys
source, out = sys.argv[1:]
with open(source, encoding="utf-8") as lines, open(out, "w", encoding="utf-8") as target:
    for line in lines:
        target.write(json.dumps(json.loads(line), ensure_ascii=False) + "\\n")
    target.flush()
    os.fsync(target.fileno())
"""


def export(path: Path, count: int) -> None:
    doc = read_document(SEED, SEEDS)
    spans = list(doc.all_sentences())
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            span = spans[n % len(spans)]
            quote, prefix, suffix = context(doc.text, span.start, span.end)
            record = {
                "id": str(uuid.UUID(int=n + 1, version=4)), "doc": doc.rel,
                "doc_sha256": doc.sha256, "start": span.start, "end": span.end,
                "quote": quote, "prefix": prefix, "suffix": suffix, "themes": ["arms"],
                "note": "", "annotator": "bench", "created": "2026-11-21T13:00:00.000Z",
                "updated": "2026-11-21T13:00:00.000Z", "status": "anchored",
            }  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


Sample = tuple[float, float, float]  # wall s, CPU s, peak RSS MB


def run(count: int, runs: int) -> tuple[list[Sample], list[Sample]]:
    """``reader import`` of ``count`` records and the bare-Python floor, ``runs`` each,
    alternating run by run (both see the same load)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory(prefix="bench_import_") as name:
        tmp = Path(name)
        source = tmp / "export.jsonl"
        export(source, count)
        ours: list[Sample] = []
        floor: list[Sample] = []
        for n in range(runs):
            store = tmp / f"store{n}"
            ours.append(measured([sys.executable, "-m", "reader", "import", str(source),
                                  "--store", str(store), "--corpus", str(SEEDS)], env))  # fmt: skip
            floor.append(measured([sys.executable, "-c", FLOOR, str(source), str(tmp / "f")], env))
    return ours, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200_000, help="records in the export")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ours, floor = run(args.count, args.runs)
    rows = []
    for label, samples in (("reader import", ours), ("bare Python floor", floor)):
        walls = [s[0] for s in samples]
        rows.append([
            label, f"{statistics.median(walls):.2f} s", f"{min(walls):.2f}–{max(walls):.2f} s",
            f"{statistics.median(s[1] for s in samples):.2f} s",
            f"{max(s[2] for s in samples):.0f} MB",
            f"{statistics.median(walls) / statistics.median(s[0] for s in floor):.2f}×",
        ])  # fmt: skip
    print_table(
        f"{args.count:,} records into one document, {args.runs} runs alternating "
        f"(load {os.getloadavg()[0]:.1f})",
        ["process", "wall median", "min–max", "CPU", "peak RSS", "÷ floor"],
        rows,
    )
    median = statistics.median(s[0] for s in ours)
    print(f"target: < {TARGET_S:.0f} s — {'met' if median < TARGET_S else 'NOT met'}"
          f" ({median:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
