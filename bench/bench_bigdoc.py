"""One 20 MiB document in the reader: first screen, jump to the end, key → repaint, memory.

Each run is a fresh ``python`` process (so peak memory is this document's),
driving the real app headless through ``App.run_test`` at 120×40:

* **first screen** — from ``make_app(open_path=big.txt)`` (reading and decoding
  the 20 MiB included; imports excluded, they are bench_startup's) until the
  reader screen's first frame is rendered and nothing is left to repaint;
* **jump to end** — ``end`` pressed on the first sentence, until the frame
  showing the last sentence is rendered and the screen is clean;
* **key → repaint** — ``down``/``up``/``pagedown``/``pageup``/``J``/``K`` at the
  top, at 25 %, 50 %, 75 % of the text and at the end. A key is posted as the
  terminal driver posts it; *frame* is the first frame rendered after it (so
  Textual's 60 fps frame pacing, up to 16.7 ms, is inside the figure);
  *settled* is when the screen has nothing left to repaint.
* **CPU** — this process's CPU time over the same interval: what the work
  cost, without the waiting for a core that a busy machine adds to wall time;
* **peak memory** — ``ru_maxrss`` of the whole process at the end (Python,
  Textual and all), and the part added after the imports.

Frames are observed as ``bench/_pilot.py`` explains.

Targets: first screen ≤ 0.5 s; jump to end ≤ 0.2 s; key → repaint p95 ≤ 30 ms;
peak memory < 10× the file size.

Usage::

    python bench/bench_bigdoc.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

from _bench import (
    OUTPUT,
    REPO,
    median_p95,
    ms,
    percentile,
    print_table,
    run_child,
    timing_cells,
)
from gen_corpus import ensure

KEYS = ["down"] * 8 + ["up"] * 4 + ["pagedown"] * 4 + ["pageup"] * 2 + ["J"] * 3 + ["K"] * 2
#: At the end of the text the same keys, backwards first, so none is a no-op.
END_KEYS = ["up"] * 8 + ["pageup"] * 4 + ["K"] * 3 + ["down"] * 4 + ["pagedown"] * 2 + ["J"] * 2
SPOTS = (0.0, 0.25, 0.5, 0.75, 1.0)


async def child_run(document: Path) -> dict[str, Any]:
    from _pilot import FrameClock

    from reader.corpus import Span
    from reader.ui.app import make_app
    from reader.ui.widgets.document_view import DocumentView

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clock = FrameClock()

    with tempfile.TemporaryDirectory() as store:
        cpu = time.process_time()
        started = time.perf_counter()
        app = make_app([document], store, open_path=document)
        async with app.run_test(size=(120, 40)):
            while not app.screen.query(DocumentView):
                await asyncio.sleep(0.001)
            view = app.screen.query_one(DocumentView)
            first_screen = await clock.settled(app) - started
            first_cpu = time.process_time() - cpu
            view.focus()
            await clock.settled(app)
            jump = await clock.key(app, "end")
            text_length = len(view.document.text)
            latencies: list[tuple[float, float, float, str]] = []
            for spot in SPOTS:
                offset = min(int(text_length * spot), text_length - 1)
                paragraph = view.document.paragraph_at(offset)
                sentences = view.document.sentences(paragraph) or [Span(offset, offset)]
                view.select(sentences[0], center=True)
                await clock.settled(app)
                for name in KEYS if spot < 1.0 else END_KEYS:
                    measured = await clock.key(app, name)
                    if measured is not None:
                        latencies.append((*measured, name))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "first_screen": [first_screen, first_cpu],
        "jump_end": list(jump) if jump else None,
        "keys": latencies,
        "peak_rss": peak_kb * 1024,
        "added_rss": (peak_kb - baseline_kb) * 1024,
        "missed_keys": len(SPOTS) * len(KEYS) - len(latencies),
    }


def row(name: str, values: list[float], cpu: list[float], target: str) -> list[str]:
    if not values:
        return [name, "—", "—", "—", "—", target]
    return [name, *timing_cells(values), ms(percentile(values, 95)), median_p95(cpu), target]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the 20 MiB document in the reader")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(asyncio.run(child_run(args.child))))
        return 0
    ensure()
    big = OUTPUT / "big.txt"
    small = REPO / "seeds" / "001_7a27a54a086accf8.txt"
    size = big.stat().st_size
    runs: list[dict[str, Any]] = []
    smalls: list[dict[str, Any]] = []
    for _ in range(args.runs):  # alternate, so load on the machine hits both
        smalls.append(run_child([__file__, "--child", str(small)]))
        runs.append(run_child([__file__, "--child", str(big)]))
    keys = [k for r in runs for k in r["keys"]]
    jumps = [r["jump_end"] for r in runs if r["jump_end"]]
    print_table(
        f"{size / 1e6:.1f} MB document, 120×40, {args.runs} runs, {len(keys)} key presses "
        f"at 0/25/50/75/100 % (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        ["measure", "median", "min – max", "p95", "CPU median / p95", "target"],
        [
            row(
                "first screen, 11 KB seed (reference)",
                [r["first_screen"][0] for r in smalls],
                [r["first_screen"][1] for r in smalls],
                "",
            ),
            row(
                "first screen, 20 MB",
                [r["first_screen"][0] for r in runs],
                [r["first_screen"][1] for r in runs],
                "≤ 500 ms",
            ),
            row("jump to end (settled)", [j[1] for j in jumps], [j[2] for j in jumps], "≤ 200 ms"),
            row("key → first frame", [k[0] for k in keys], [k[2] for k in keys], "p95 ≤ 30 ms"),
            row("key → settled", [k[1] for k in keys], [k[2] for k in keys], "p95 ≤ 30 ms"),
        ],
    )
    names = sorted({k[3] for k in keys})
    print_table(
        "Keys one by one (all positions)",
        ["key", "presses", "frame median", "frame p95", "settled p95", "CPU median / p95"],
        [
            [
                name,
                len(group := [k for k in keys if k[3] == name]),
                ms(median([k[0] for k in group])),
                ms(percentile([k[0] for k in group], 95)),
                ms(percentile([k[1] for k in group], 95)),
                median_p95([k[2] for k in group]),
            ]
            for name in names
        ],
    )
    peak = max(r["peak_rss"] for r in runs)
    added = max(r["added_rss"] for r in runs)
    small_peak = max(r["peak_rss"] for r in smalls)
    print(
        f"peak RSS {peak / 1e6:.0f} MB = {peak / size:.1f}× the file "
        f"(after imports: +{added / 1e6:.0f} MB = {added / size:.1f}×; "
        f"the seed's run peaks at {small_peak / 1e6:.0f} MB); target < 10×"
    )
    missed = sum(r["missed_keys"] for r in runs)
    if missed:
        print(f"{missed} key presses changed nothing on screen and were not timed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
