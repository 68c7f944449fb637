"""Start-up to the first painted library screen: against hello world, and with a big store.

Method (the same for every app, runs interleaved so drift hits all alike):
each app is started as a fresh ``python`` process on a pseudo-terminal of
120×40, as a user starts it, through ``bench/_first_paint.py``. That wrapper
notes ``time.monotonic()`` once the app's first *complete* screen has been
written to the terminal and nothing is left to repaint — for hello world its
first frame, for the reader the library table showing every seed —
(*painted*), then once the app is *settled*: no worker (the library's index
scan), message, refresh or timer pending (``bench/_pilot.py``). The figures are
those instants minus the parent's ``time.monotonic()`` at spawn: interpreter
start, imports, building the app (collecting the corpus, opening the store)
and painting, all included. *CPU to painted* is the child's CPU time (all
threads) from its start to *painted*, *CPU to exit* its user + system time to
exit (``RUSAGE_CHILDREN``, settling and quitting included): the cost of starting
without the wait for a core that the machine's load adds to the wall times.
Medians, and the 95th percentile of the runs; ratios are of medians. The children
run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` removed), as on
a user's machine.
One warm-up run of each is discarded (it fills the OS page cache, writes the
bytecode and creates the stores and their library index).

The apps: a bare Textual "hello world"; ``reader seeds/`` with an empty store;
``reader seeds/`` with a store of 100,000 annotations on the same five
documents (``bench/_tagged.py``: 20,000 each, on their sentences, written
directly, once, into ``bench/output/stores/startup-100k``).

Targets (issue 13): reader (empty store) / hello ≤ 1.3; reader with the
100k store / reader with the empty store ≤ 1.1 (medians, painted).

Usage::

    python bench/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from statistics import median

from _bench import (
    OUTPUT,
    REPO,
    ms,
    paint_and_settle,
    percentile,
    print_table,
    print_verdict,
    timing_cells,
)

BIG_STORE = 100_000


def big_store(seeds: Path) -> Path:
    """The 100k-annotation store for the seeds (written once, reused while it matches)."""
    from _tagged import tag_library

    from reader.corpus import collect

    root = OUTPUT / "stores" / "startup-100k"
    stamp = root / "bench-stamp.json"
    entries, _ = collect([seeds])
    wanted = {"count": BIG_STORE, "docs": [e.rel for e in entries], "format": 2}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return root
    shutil.rmtree(root, ignore_errors=True)
    tag_library(root, [entry.load() for entry in entries], BIG_STORE)
    stamp.write_text(json.dumps(wanted))
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="start-up to first painted screen")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    store = OUTPUT / "stores" / "startup"
    store.mkdir(parents=True, exist_ok=True)
    seeds = REPO / "seeds"
    count = sum(1 for p in seeds.iterdir() if p.is_file())

    def reader(store: Path) -> list[str]:
        return ["reader", "--rows", str(count), str(seeds), "--store", str(store)]

    hello, empty, full = (
        "hello world (bare Textual)",
        "reader seeds/, empty store",
        f"reader seeds/, {BIG_STORE:,}-annotation store",
    )
    apps = {hello: ["hello"], empty: reader(store), full: reader(big_store(seeds))}
    painted: dict[str, list[float]] = {name: [] for name in apps}
    settled: dict[str, list[float]] = {name: [] for name in apps}
    cpu: dict[str, list[float]] = {name: [] for name in apps}
    painted_cpu: dict[str, list[float]] = {name: [] for name in apps}
    for which in apps.values():
        paint_and_settle(which)  # warm-up, discarded
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for name, which in apps.items():
            first, last, used, used_first = paint_and_settle(which)
            painted[name].append(first)
            settled[name].append(last)
            cpu[name].append(used)
            painted_cpu[name].append(used_first)
        loads.append(os.getloadavg()[0])
    rows = []
    for name in apps:
        rows.append(
            [
                name,
                *timing_cells(painted[name]),
                ms(percentile(painted[name], 95)),
                f"{median(painted[name]) / median(painted[hello]):.2f}×",
                f"{median(painted[name]) / median(painted[empty]):.2f}×",
                ms(median(settled[name])),
                f"{median(settled[name]) / median(settled[empty]):.2f}×",
                ms(median(painted_cpu[name])),
                ms(percentile(painted_cpu[name], 95)),
                f"{median(painted_cpu[name]) / median(painted_cpu[hello]):.2f}×",
                f"{median(painted_cpu[name]) / median(painted_cpu[empty]):.2f}×",
                ms(median(cpu[name])),
            ]
        )
    print_table(
        f"Start-up ({args.runs} runs each, interleaved, {time.perf_counter() - started:.0f} s, "
        f"load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores)",
        [
            "app",
            "painted median",
            "min – max",
            "p95",
            "÷ hello",
            "÷ empty store",
            "settled median",
            "settled ÷ empty store",
            "CPU to painted",
            "p95",
            "÷ hello",
            "÷ empty store",
            "CPU to exit",
        ],
        rows,
    )
    print_verdict("reader / hello world", median(painted[empty]) / median(painted[hello]), 1.3)
    print_verdict(
        "reader / hello world, CPU to painted",
        median(painted_cpu[empty]) / median(painted_cpu[hello]),
        1.3,
    )
    print_verdict("100k store / empty store", median(painted[full]) / median(painted[empty]), 1.1)
    print_verdict(
        "100k store / empty store, settled",
        median(settled[full]) / median(settled[empty]),
        1.1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
