"""Start-up to the first painted library screen, against a bare Textual hello world.

Method (the same for both apps, runs interleaved so drift hits both alike):
each app is started as a fresh ``python`` process on a pseudo-terminal of
120×40, as a user starts it, through ``bench/_first_paint.py``. That wrapper
notes ``time.monotonic()`` once the app's first *complete* screen has been
written to the terminal and nothing is left to repaint — for hello world its
first frame, for the reader the library table showing every seed — and quits.
The figure is that instant minus the parent's ``time.monotonic()`` at spawn:
interpreter start, imports, building the app (collecting the corpus, opening
the store) and painting, all included. One warm-up run of each is discarded
(it fills the OS page cache and creates the store).

Target: reader / hello ≤ 1.5 (median of the runs).

Usage::

    python bench/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import sys
import time

from _bench import OUTPUT, REPO, first_paint, print_table, print_verdict, summary, timing_cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="start-up to first painted screen")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    store = OUTPUT / "stores" / "startup"
    store.mkdir(parents=True, exist_ok=True)
    seeds = sorted(p for p in (REPO / "seeds").iterdir() if p.is_file())
    apps = {
        "hello world (bare Textual)": ["hello"],
        "reader seeds/ (library)": [
            "reader",
            "--rows",
            str(len(seeds)),
            str(REPO / "seeds"),
            "--store",
            str(store),
        ],
    }
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for which in apps.values():
        first_paint(which)  # warm-up, discarded
    started = time.perf_counter()
    for _ in range(args.runs):
        for name, which in apps.items():
            samples[name].append(first_paint(which))
    hello = summary(samples["hello world (bare Textual)"])[0]
    rows = []
    for name, values in samples.items():
        rows.append([name, *timing_cells(values), f"{summary(values)[0] / hello:.2f}×"])
    print_table(
        f"Start-up to first painted screen ({args.runs} runs each, interleaved, "
        f"{time.perf_counter() - started:.0f} s)",
        ["app", "median", "min – max", "ratio to hello"],
        rows,
    )
    reader = summary(samples["reader seeds/ (library)"])[0]
    print_verdict("reader / hello world", reader / hello, 1.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
