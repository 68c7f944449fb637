"""A library of 10,000 documents (53 MB): usable within 2 s, cold and warm index; scrolling.

Start-up is measured as ``bench_startup.py`` does (a fresh process on a
120×40 pty, ``bench/_first_paint.py`` noting the instant the screen is painted
and clean), for ``reader bench/output/library``:

* **usable** — the library table shows its first rows (enough to fill the
  screen) and the screen is painted: the user can move and open a document;
* **complete** — every title read: the same run, once the app is *settled*
  (``bench/_first_paint.py``): the index scan worker has read every file and
  finished, and the table is redrawn with every title, date and problem;
* **cold index** — ``<store>/.index.json`` deleted before each run;
  **warm** — left from the run before.

Until issue 13, "complete" waited only for the table to hold a row per file —
which it does from the first frame, titles still "…" — so it measured the
first batch (0.57 s) where every title read took 2.25 s.

Hello world is run alongside as the machine's yardstick. Then, in-process and
headless (``App.run_test``, 120×40), keys on the complete list: ``down``,
``pagedown``, ``ctrl+end``, ``pageup``, ``up``, ``ctrl+home``; key → first frame
and key → settled, as ``bench/_pilot.py`` explains.

Target: usable ≤ 2 s, cold and warm; scrolling smooth (p95 ≤ 30 ms).

Usage::

    python bench/bench_library.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from _bench import (
    OUTPUT,
    REPO,
    median_p95,
    ms,
    paint_and_settle,
    percentile,
    print_table,
    run_child,
    summary,
    timing_cells,
)
from gen_corpus import ensure

INDEX = ".index.json"
SCREENFUL = 30
# The table's vertical jumps are ctrl+end / ctrl+home (end and home scroll sideways).
KEYS = (
    ["down"] * 30 + ["pagedown"] * 10 + ["ctrl+end"] + ["pageup"] * 10 + ["up"] * 10 + ["ctrl+home"]
)


async def scroll_run(library: Path, store: Path, count: int) -> dict[str, Any]:
    from _pilot import FrameClock

    from reader.ui.app import make_app
    from reader.ui.widgets.document_table import DocumentTable

    clock = FrameClock()
    app = make_app([library], store)
    latencies: dict[str, list[tuple[float, float, float]]] = {}
    async with app.run_test(size=(120, 40)):
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            tables = app.screen.query(DocumentTable)
            if tables and tables.first().row_count >= count:
                break
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()  # the index scan, so keys are timed alone
        await clock.settled(app)
        for name in KEYS:
            measured = await clock.key(app, name)
            if measured is not None:
                latencies.setdefault(name, []).append(measured)
    return {name: values for name, values in latencies.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the 10,000-document library")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        library, store, count = args.child
        result = asyncio.run(scroll_run(Path(library), Path(store), int(count)))
        print(json.dumps(result))
        return 0
    ensure()
    library = OUTPUT / "library"
    count = sum(1 for _ in library.rglob("*.txt"))
    store = OUTPUT / "stores" / "library"
    store.mkdir(parents=True, exist_ok=True)

    def reader(rows: int) -> list[str]:
        return ["reader", "--rows", str(rows), str(library), "--store", str(store)]

    # The cold run deletes the index first; the warm one follows a run that completed it.
    cases = {"cold index": True, "warm index": False}
    paint_and_settle(reader(SCREENFUL))  # warm-up: page cache, store, index
    samples: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in cases}
    hello: list[float] = []
    for _ in range(args.runs):
        for name, cold in cases.items():
            if cold:
                (store / INDEX).unlink(missing_ok=True)
            samples[name].append(paint_and_settle(reader(SCREENFUL)))
        hello.append(paint_and_settle(["hello"])[0])
    rows = [["hello world (yardstick)", *timing_cells(hello), ""]]
    for name, runs in samples.items():
        rows.append([f"usable, {name}", *timing_cells([r[0] for r in runs]), "≤ 2 s"])
        rows.append(
            [f"complete (every title read), {name}", *timing_cells([r[1] for r in runs]), ""]
        )
    print_table(
        f"reader {library.relative_to(REPO)} ({count} files), 120×40 pty, {args.runs} runs",
        ["to first painted screen", "median", "min – max", "target"],
        rows,
    )

    latencies: dict[str, list[list[float]]] = run_child(
        [__file__, "--child", str(library), str(store), str(count)]
    )
    key_rows = []
    every = [triple for group in latencies.values() for triple in group]
    groups: list[tuple[str, list[list[float]]]] = [*latencies.items(), ("all keys", every)]
    for name, group in groups:
        frames = [triple[0] for triple in group]
        settled = [triple[1] for triple in group]
        cpu = [triple[2] for triple in group]
        key_rows.append(
            [
                name,
                len(group),
                ms(summary(frames)[0]),
                ms(percentile(frames, 95)),
                ms(summary(settled)[0]),
                ms(percentile(settled, 95)),
                median_p95(cpu),
            ]
        )
    print_table(
        f"Scrolling the {count}-row list (headless, 120×40)",
        [
            "key",
            "presses",
            "frame median",
            "frame p95",
            "settled median",
            "settled p95",
            "CPU median / p95",
        ],
        key_rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
