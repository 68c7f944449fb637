"""Corpus search on the 10,000-file library: the search index cold and warm, and `reader search`.

    python bench/bench_search.py [--runs 7]

Figures, all on ``bench/output/library`` (``gen_corpus.py``) with a fresh store:

* **cold**: building the index from nothing (read, decode, fold, insert every file,
  then the inverted index), once;
* **warm refresh**: checking every file against the index when none changed (a stat
  each and the index's rows): what every search pays first;
* **warm search** per query: ``SearchIndex.search`` including that refresh — the
  figure the ≤ 1 s target is about — and without it (``refresh=False``, what the
  concordance screen pays for a second query), median and p95 of ``--runs``;
* **reader search** end to end: a fresh ``python -m reader search`` process, output to
  ``/dev/null`` (interpreter, imports, listing the folder, stat of every file, search,
  reading the hit files for context, laying out each line, printing), median of 3, with
  the child's CPU time (user + system);
* **references in the same run**: the same query by ``find_all`` over every document
  read and decoded afresh (what searching without an index costs), and the stat of
  every file alone (the floor of any freshness check).

The generated library is the worst case for an inverted index: every article is made of
the seeds' paragraphs, so the common words are in nearly every file and the index
narrows nothing; only a numbered headline is rare.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _bench import OUTPUT, REPO, ms, percentile, print_table, summary

sys.path.insert(0, str(REPO))

import gen_corpus

from reader.arabic import find_all
from reader.corpus import collect, decode_bytes
from reader.search import SearchIndex

#: (label, query): how many files hold it decides how much is searched.
QUERIES = (
    ("rare: a numbered headline", "(٤٢٤١)"),
    ("common: بيونج يانج", "بيونج يانج"),
    ("very common: روسيا", "روسيا"),
    ("absent", "كلمةغيرموجودة"),
)


def timed(func: Callable[[], object], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall times of ``runs`` calls; their CPU times are appended to ``cpu`` if given."""
    times = []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - began)
        if cpu is not None:
            cpu.append(time.process_time() - began_cpu)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    gen_corpus.ensure()
    library = OUTPUT / "library"
    entries, _ = collect([library])
    print(f"{len(entries)} files in {library}; load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as store_dir:
        store = Path(store_dir)
        index = SearchIndex(store)
        began = time.perf_counter()
        read = index.refresh(entries)
        cold = time.perf_counter() - began
        size = (store / ".search.sqlite").stat().st_size
        print(f"cold build: {read} files read in {cold:.1f} s; index {size / 1e6:.0f} MB")

        rows = []
        for label, func in (
            ("stat of every file (reference)", lambda: [os.stat(e.path) for e in entries]),
            ("warm refresh (nothing changed)", lambda: index.refresh(entries)),
        ):
            cpu: list[float] = []
            wall = timed(func, args.runs, cpu)
            rows.append([label, ms(summary(wall)[0]), ms(percentile(wall, 95)),
                         ms(summary(cpu)[0]), ""])  # fmt: skip
        for label, query in QUERIES:
            hits = index.search(query, entries)
            files = len({hit.entry for hit in hits})
            cpu = []
            full = timed(lambda q=query: index.search(q, entries), args.runs, cpu)
            bare = timed(lambda q=query: index.search(q, entries, refresh=False), args.runs)
            rows.append([f"{label}: {len(hits)} hits in {files} files", ms(summary(full)[0]),
                         ms(percentile(full, 95)), ms(summary(cpu)[0]),
                         ms(summary(bare)[0])])  # fmt: skip
        print_table(
            "Warm search, 10,000 files (SearchIndex.search)",
            ["what", "median", "p95", "median CPU", "median without refresh"],
            rows,
        )

        def scan(query: str) -> int:
            count = 0
            for entry in entries:
                try:
                    text = decode_bytes(entry.path.read_bytes())[0]
                except Exception:  # the empty and binary files
                    continue
                count += len(find_all(text, query))
            return count

        naive = timed(lambda: scan("بيونج يانج"), 1)[0]
        warm = summary(timed(lambda: index.search("بيونج يانج", entries), 3))[0]
        print(
            f"reference: find_all over every file read afresh, بيونج يانج: {naive:.2f} s "
            f"= {naive / warm:.1f}× the warm indexed search"
        )

        cli_rows = []
        for (label, query), fmt in (
            (QUERIES[0], "text"), (QUERIES[1], "jsonl"), (QUERIES[1], "text")
        ):  # fmt: skip
            argv = [sys.executable, "-m", "reader", "search", query, str(library),
                    "--store", str(store), "--format", fmt]  # fmt: skip
            times, cpu = [], []
            for _ in range(3):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                began = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, check=False, cwd=REPO)
                times.append(time.perf_counter() - began)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            cli_rows.append([f"{label}, --format {fmt}", ms(summary(times)[0]), ms(max(times)),
                             ms(summary(cpu)[0])])  # fmt: skip
        python = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 3)
        cli_rows.append(["python -c pass (reference)", ms(summary(python)[0]), ms(max(python)), ""])
        print_table("reader search end to end (output to /dev/null)",
                    ["query", "median", "max", "median CPU"], cli_rows)  # fmt: skip
        index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
