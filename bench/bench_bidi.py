"""Benchmark: resolve UAX #9 levels for 1 MB of text built by repeating the seeds.

Prints the median and spread (min–max) in ms of ``resolve_levels`` over every paragraph, the
same for GNU FriBidi's command line on the same text (``fribidi --levels --novisual``, which
resolves and prints the levels of each line), measured in the same run, and the ratio.

Usage: python bench/bench_bidi.py [--repeat N] [--size BYTES]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from reader.layout.uax9 import line_levels, resolve_levels, visual_order

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build_text(size: int) -> str:
    """The seeds' text repeated until it holds ``size`` bytes of UTF-8."""
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    seeds = seeds if seeds.endswith("\n") else seeds + "\n"
    copies = -(-size // len(seeds.encode("utf-8")))
    return seeds * copies


def time_ours(paragraphs: list[str], repeat: int) -> tuple[list[float], list[float]]:
    resolve, full = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for p in paragraphs:
            resolve_levels(p)
        resolve.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        for p in paragraphs:
            levels, para = resolve_levels(p)
            visual_order(line_levels(p, levels, 0, len(p), para))
        full.append((time.perf_counter() - t0) * 1000)
    return resolve, full


def time_fribidi(path: Path, args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(["fribidi", *args, str(path)], check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def show(name: str, times: list[float]) -> float:
    med = statistics.median(times)
    print(f"{name:<48} median {med:8.1f} ms   spread {min(times):8.1f}–{max(times):8.1f} ms")
    return med


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    text = build_text(args.size)
    paragraphs = text.split("\n")
    print(
        f"text: {len(text.encode('utf-8')):,} bytes, {len(text):,} code points, "
        f"{len(paragraphs):,} paragraphs; {args.repeat} runs each"
    )
    resolve_levels(paragraphs[0])  # warm the class map
    resolve, full = time_ours(paragraphs, args.repeat)
    ours = show("reader resolve_levels (X1–I2)", resolve)
    show("reader resolve_levels + L1 + L2 order", full)
    if shutil.which("fribidi") is None:
        print("fribidi: not installed, no ratio")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "text.txt"
        path.write_text(text, encoding="utf-8")
        ref = show(
            "fribidi --levels --novisual --nobreak",
            time_fribidi(path, ["--levels", "--novisual", "--nobreak"], args.repeat),
        )
        show(
            "fribidi --levels --novisual --rtl",
            time_fribidi(path, ["--levels", "--novisual", "--rtl"], args.repeat),
        )
    print(f"ratio reader/fribidi (resolve, median): {ours / ref:.2f}x  (target ≤ 10x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
