"""``S`` on a seed: the time to the first suggestions, and to the learned ones.

Each run is a fresh ``python`` process driving the real app headless through
``App.run_test`` at 120×40 on seed 002 (``reader open``), with one of two stores:

* **empty** — nothing to learn: the first step marks the lexicon's suggestions
  (the stemmer alone: the lemma dictionary is not loaded yet in a fresh process),
  the second loads the dictionary and suggests again;
* **tagged** — the gold tags of the four other seeds (56 annotations): the second
  step also gathers the store's examples and trains the classifiers (importing
  scikit-learn), then saves ``.suggest-model.json``. A second ``S`` cycle in the
  same process is not measured: the screen keeps its suggestions.

Measured from the key (``S`` posted as the terminal driver posts it):
``first frame`` (the status says "computing…"), ``first suggestions`` (the first
frame after the quick step's suggestions reached the screen) and ``learned`` (the
first frame after the learning step's), each also as the process's CPU time (all
threads: what it cost the machine, without the waiting for a core that the other
helpers' load adds to the wall time). The reference is ``down``/``up`` on the same
document. Figures are printed, nothing is asserted.

Usage::

    python bench/bench_suggest_seed.py [--runs 5] [--timeout 120]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _bench import REPO, ms, percentile, print_table, run_child, timing_cells

SEED = "002_691f64315ff478ca.txt"


async def frame_after(clock: Any, count: int, started: float) -> float:
    """Seconds from ``started`` to the first frame after ``count`` frames were seen."""
    while len(clock.frames) <= count:
        await asyncio.sleep(0.001)
    return clock.frames[count] - started


async def frame_when(clock: Any, condition: Callable[[], bool], started: float) -> float:
    """Seconds from ``started`` to the first frame drawn after ``condition`` was last false.

    Counting from the frames seen at the last poll that found it false, not at the poll
    that found it true: the frame showing the change may come between the two (waiting
    for one after it then waited for ever when nothing more was drawn).
    """
    count = len(clock.frames)
    while True:
        before = len(clock.frames)
        if condition():
            return await frame_after(clock, count, started)
        count = before
        await asyncio.sleep(0.001)


async def child_run(corpus: Path, store: Path) -> dict[str, Any]:
    from _pilot import FrameClock
    from textual import events

    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen

    clock = FrameClock()
    app = make_app([corpus], store, open_path=corpus / SEED)
    async with app.run_test(size=(120, 40)):
        while not isinstance(app.screen, ReaderScreen):
            await asyncio.sleep(0.001)
        screen = app.screen
        await clock.settled(app)
        reference = []
        for name in ["down", "up"] * 10:
            measured = await clock.key(app, name)
            if measured is not None:
                reference.append(measured[0])
        mode = screen.suggesting
        count = len(clock.frames)
        cpu = time.process_time()
        started = time.perf_counter()
        app.post_message(events.Key("S", "S"))
        first_frame = await frame_after(clock, count, started)
        first = await frame_when(clock, lambda: mode.state is not None, started)
        first_cpu = time.process_time() - cpu
        learned = await frame_when(clock, lambda: not mode.learning, started)
        cpu = time.process_time() - cpu
        found = len(mode.state.suggestions) if mode.state else 0
    return {
        "reference": reference,
        "frame": first_frame,
        "first": first,
        "learned": learned,
        "cpu": cpu,
        "first_cpu": first_cpu,
        "suggestions": found,
    }


def child(argv: list[str], timeout: float) -> dict[str, Any] | None:
    """One child run's figures; None when it is still waiting after ``timeout`` seconds.

    A run that still waits (a frame that never comes) is counted, not measured.
    """
    try:
        return run_child(argv, timeout=timeout)  # type: ignore[no-any-return]
    except subprocess.TimeoutExpired:
        return None


def prepare(tmp: Path) -> tuple[Path, Path, Path]:
    """A copy of the seeds, an empty store and one with the other seeds' gold tags."""
    from reader.cli import main

    corpus = tmp / "corpus"
    shutil.copytree(REPO / "seeds", corpus)
    gold = (REPO / "tests/data/gold/seeds_gold.jsonl").read_text("utf-8").splitlines()
    others = tmp / "others.jsonl"
    others.write_text("\n".join(x for x in gold if SEED not in x) + "\n", "utf-8")
    tagged = tmp / "tagged"
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            main(["import", str(others), "--store", str(tagged), "--corpus", str(corpus)])
        finally:
            sys.stdout = stdout
    return corpus, tmp / "empty", tagged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="S on a seed: first and learned suggestions")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per store")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run is hung")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(child_run(*args.child))))
        return 0
    sys.path.insert(0, str(REPO))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus, empty, tagged = prepare(Path(tmp))
        runs: dict[str, list[dict[str, Any]]] = {"empty": [], "tagged": []}
        hung = {"empty": 0, "tagged": 0}
        for _ in range(args.runs):  # alternated, so that the load falls on both alike
            for name, template in (("empty", empty), ("tagged", tagged)):
                store = Path(tmp) / f"run-{name}"
                shutil.rmtree(store, ignore_errors=True)
                if template.exists():
                    shutil.copytree(template, store)
                result = child([__file__, "--child", str(corpus), str(store)], args.timeout)
                if result is None:
                    hung[name] += 1
                else:
                    runs[name].append(result)
    for name, results in runs.items():
        if not results:
            continue
        reference = [r for result in results for r in result["reference"]]
        rows.append([f"{name}: down/up (reference)", str(len(reference)),
                     *timing_cells(reference), ms(percentile(reference, 95)), ""])  # fmt: skip
        for key, label in (("frame", "S → first frame"), ("first", "S → first suggestions"),
                           ("learned", "S → learned suggestions")):  # fmt: skip
            values = [r[key] for r in results]
            rows.append([f"{name}: {label}", str(len(values)), *timing_cells(values),
                         ms(percentile(values, 95)), ""])  # fmt: skip
        for key, label in (("first_cpu", "CPU, S to first suggestions"),
                           ("cpu", "CPU, S to learned")):  # fmt: skip
            values = [r[key] for r in results]
            rows.append([f"{name}: {label}", str(len(values)), *timing_cells(values),
                         ms(percentile(values, 95)), ""])  # fmt: skip
    print_table(
        f"S on seed {SEED[:3]}, 120×40, {args.runs} fresh processes per store "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"{max([r['suggestions'] for r in runs['tagged']], default=0)} suggestions learned; "
        f"hung runs, left out: empty {hung['empty']}, tagged {hung['tagged']})",
        ["measure", "n", "median", "min – max", "p95", ""],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
