"""Folding and search at document scale: is ``fold`` linear, and how fast is ``/``?

    python bench/bench_fold.py [--mb 20] [--runs 5]

Builds a document of about ``--mb`` million characters from the seeds (plain)
and a fully vocalised variant (a haraka after every letter: the worst case,
where half the characters vanish and the offset map has a run per letter).
Prints median and spread of ``fold``, the ratio to ``str.lower`` on the same
text (a C-speed linear pass, measured in the same run), the ratio between the
full size and a tenth of it (≈10 for linear time), and the time of a search
on an already folded document (the app folds once and caches).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.arabic import _folded, find_all, fold  # noqa: E402
from reader.corpus import read_document  # noqa: E402


def timed(func: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times) - min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="million characters")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seeds = "\n".join(read_document(p).text for p in sorted((ROOT / "seeds").glob("*.txt")))
    size = int(args.mb * 1_000_000)
    plain = (seeds * (size // len(seeds) + 1))[:size]
    vocalised = "".join(ch + "\u064e" if "\u0621" <= ch <= "\u064a" else ch for ch in plain)
    vocalised = vocalised[:size]
    print(f"fold over {size / 1e6:.1f} M characters, {args.runs} runs each")
    for name, text in (("plain", plain), ("vocalised", vocalised)):
        med, spread = timed(lambda t=text: fold(t), args.runs)
        ref, _ = timed(lambda t=text: t.lower(), args.runs)
        tenth, _ = timed(lambda t=text[: size // 10]: fold(t), args.runs)
        print(
            f"  {name:<9} median {med:6.2f} s  spread {spread:5.2f} s  "
            f"{med / ref:5.1f}× str.lower  full/tenth {med / tenth:4.1f}"
        )
    _folded.cache_clear()
    cold, _ = timed(lambda: (_folded.cache_clear(), find_all(plain, "بيونج يانج")), 3)
    warm, spread = timed(lambda: find_all(plain, "بيونج يانج"), args.runs)
    hits = len(find_all(plain, "بيونج يانج"))
    print(f"find_all 'بيونج يانج' ({hits} hits): first search {cold:.2f} s (folds the text), "
          f"then median {warm * 1000:.0f} ms  spread {spread * 1000:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
