"""Issue 13's store targets (and issue 12's big import) in one run, one table of verdicts.

Each figure beside its reference, measured in the same run (alternating run by run, or
interleaved call by call), by the benches that document the method:

1. ``bench_store.run_case``, 100,000 annotations in one document, in a new process: add
   and toggle p95 (``--writes`` calls each) against the fsync floor interleaved call by
   call (targets: ≤ 10 ms and ≤ 2× the floor's p95); the first write after each of 10
   fresh opens (target: no re-serialisation of the file, taken as p95 ≤ 0.1× a durable
   rewrite of the file's bytes alone, in the same process), beside the same floor;
2. ``bench_store.reader_tag``: ``reader tag`` end to end into that document, alternating
   with an empty store (≤ 2×);
3. ``bench_startup``'s method: start-up to the first painted library with a
   100,000-annotation store, alternating with an empty store (≤ 1.1×);
4. ``bench_import.run``: ``reader import`` of 200,000 records into one document,
   alternating with a bare-Python floor (< 30 s);
5. ``bench_export.end_to_end``: ``reader export -f jsonl`` of 1,000,000 annotations
   over 1,000 documents, alternating with a bare-Python floor (≤ 15 s, peak RSS of the
   process ≤ 1.5 GB = 1.5·10⁹ bytes).

The load average is printed before each step and beside each figure.

    python bench/bench_store_targets.py [--runs 3] [--writes 120]   # ~10–15 minutes
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

from _bench import REPO, paint_and_settle, percentile, print_table
from bench_export import end_to_end, prepare
from bench_import import run as run_import
from bench_startup import big_store
from bench_store import in_child, reader_tag

ROWS: list[list[str]] = []


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def row(figure: str, measured: str, reference: str, ratio: str, target: str, met: bool) -> None:
    ROWS.append([figure, measured, reference, ratio, target, "met" if met else "NOT met",
                 f"{os.getloadavg()[0]:.1f}"])  # fmt: skip


def writes(tmp: Path, count: int) -> None:
    case = in_child(100_000, False, count, tmp)
    floor95 = percentile(case["fsync"], 95)
    floor = f"fsync floor p95 {floor95:.2f} ms (p50 {median(case['fsync']):.2f})"
    for what in ("add", "toggle"):
        p50, p95 = median(case[what]), percentile(case[what], 95)
        row(f"{what}, 100k annotations in one document ({len(case[what])} calls)",
            f"p95 {p95:.2f} ms (p50 {p50:.2f})", floor, f"{p95 / floor95:.2f}×",
            "≤ 10 ms and ≤ 2×", p95 <= 10 and p95 <= 2 * floor95)  # fmt: skip
    firsts, rewrite = case["firsts"], median(case["rewrites"])
    p95 = percentile(firsts, 95)
    row(f"first write after open, 100k in one document ({len(firsts)} fresh opens)",
        f"p95 {p95:.2f} ms (p50 {median(firsts):.2f})",
        f"{floor}; the {case['log_mb']:.0f} MB file rewritten durably {rewrite:.0f} ms",
        f"{p95 / rewrite:.3f}× rewrite, {p95 / floor95:.2f}× floor",
        "no re-serialisation: ≤ 0.1× rewrite", p95 <= 0.1 * rewrite)  # fmt: skip


def tag(tmp: Path, runs: int) -> None:
    empty, full = reader_tag(tmp, 100_000, runs)
    ratio = median(full) / median(empty)
    row(f"`reader tag` end to end, 100k in one document ({runs} runs)",
        f"{median(full) * 1000:.0f} ms", f"empty store {median(empty) * 1000:.0f} ms",
        f"{ratio:.2f}×", "≤ 2×", ratio <= 2)  # fmt: skip


def startup(tmp: Path, runs: int) -> None:
    seeds = REPO / "seeds"
    count = sum(1 for p in seeds.iterdir() if p.is_file())
    empty_store = tmp / "startup-empty"
    apps = {name: ["reader", "--rows", str(count), str(seeds), "--store", str(store)]
            for name, store in (("empty", empty_store), ("full", big_store(seeds)))}  # fmt: skip
    painted: dict[str, list[float]] = {name: [] for name in apps}
    for which in apps.values():
        paint_and_settle(which)  # warm-up, discarded
    for _ in range(runs):
        for name, which in apps.items():
            painted[name].append(paint_and_settle(which)[0])
    full, empty = median(painted["full"]), median(painted["empty"])
    row(f"start-up to the first painted library, 100k-annotation store ({runs} runs)",
        f"{full * 1000:.0f} ms", f"empty store {empty * 1000:.0f} ms", f"{full / empty:.2f}×",
        "≤ 1.1×", full / empty <= 1.1)  # fmt: skip


def floor_cell(floor: list[tuple[float, float, float]]) -> str:
    return (
        f"bare Python {median(s[0] for s in floor):.1f} s (CPU {median(s[1] for s in floor):.1f} s)"
    )


def importing(runs: int) -> None:
    ours, floor = run_import(200_000, runs)
    wall, ref = median(s[0] for s in ours), median(s[0] for s in floor)
    row(f"`reader import` of 200k records into one document ({runs} runs)",
        f"{wall:.1f} s (CPU {median(s[1] for s in ours):.1f} s, RSS "
        f"{max(s[2] for s in ours):,.0f} MB)", floor_cell(floor), f"{wall / ref:.2f}×",
        "< 30 s", wall < 30)  # fmt: skip


def exporting(tmp: Path, runs: int) -> None:
    built = prepare(tmp, 1_000_000)
    print(f"1M-annotation store written in {built:.0f} s", flush=True)
    ours, floor = end_to_end(tmp, "jsonl", runs)
    wall, ref = median(s[0] for s in ours), median(s[0] for s in floor)
    rss = max(s[2] for s in ours)
    row(f"`reader export -f jsonl` of 1M annotations ({runs} runs)",
        f"{wall:.1f} s (CPU {median(s[1] for s in ours):.1f} s), peak RSS {rss:,.0f} MB",
        floor_cell(floor), f"{wall / ref:.2f}×", "≤ 15 s and ≤ 1.5 GB",
        wall <= 15 and rss * 2**20 <= 1.5e9)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of import and export")
    parser.add_argument("--tag-runs", type=int, default=9)
    parser.add_argument("--startup-runs", type=int, default=9)
    parser.add_argument("--writes", type=int, default=120, help="timed adds (and toggles)")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(f"commit {commit}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_targets_") as name:
        tmp = Path(name)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("add / toggle / first write", lambda: writes(tmp, args.writes)),
            ("reader tag", lambda: tag(tmp, args.tag_runs)),
            ("start-up", lambda: startup(tmp, args.startup_runs)),
            ("reader import", lambda: importing(args.runs)),
            ("reader export", lambda: exporting(tmp / "export", args.runs)),
        ]
        for label, step in steps:
            print(f"{label}: at {time.perf_counter() - started:.0f} s, load {load()}", flush=True)
            step()
    print_table(
        f"issue 13's store targets and issue 12's import, commit {commit}, "
        f"{time.perf_counter() - started:.0f} s, load now {load()}",
        ["figure", "measured", "reference, same run", "ratio", "target", "", "load"],
        ROWS,
    )


if __name__ == "__main__":
    main()
