"""Long runs of combining marks: the layout's time per mark at 10^4, 10^5 and 10^6 marks.

    python bench/bench_marks.py [--runs N]

Issue 12, item 2: ``ب`` + 100,000 × U+0651 took 16 s in ``reader show`` (the shaping made
one pass over the paragraph per mark) and a million hung. Linear time shows as a constant
time per mark: the last column is each size's time per mark over the 10^4 figure of the
same case, measured in the same run (≈ 1 everywhere when linear; it grew ×10 per decade
before the fix).

* *layout*: ``layout_paragraph`` at 80 columns with the caches cleared, then the cells of
  its first 30 lines (what one screen draws) — analysis, UAX #9, wrapping, shaping,
  sanitising, cells. Median of ``--runs`` (half as many at 10^6).
* *reader show*: ``python -m reader show FILE --width 80 > /dev/null``, a new process, as a
  user runs it; beside it the same command on plain Arabic prose of the same length (the
  reference: the ratio is what the marks cost over ordinary text).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _bench import REPO, print_table

sys.path.insert(0, str(REPO))

from reader.layout import BidiMode, clear_caches, layout_paragraph

SIZES = (10**4, 10**5, 10**6)
CASES: dict[str, tuple[Callable[[int], str], BidiMode]] = {
    "ب + shadda × N (app)": (lambda n: "ب" + "\u0651" * n + " هنا", BidiMode.APP),
    "ب + shadda × N (terminal)": (lambda n: "ب" + "\u0651" * n + " هنا", BidiMode.TERMINAL),
    "ب + (shadda, fatha) × N/2": (lambda n: "ب" + "\u0651\u064e" * (n // 2), BidiMode.APP),
    "marks alone (dotted circle)": (lambda n: "\u0651" * n, BidiMode.APP),
    "ب + ZWNJ + kasra × N/2": (lambda n: "ب" + "\u200c\u0650" * (n // 2), BidiMode.APP),
    "with an RLE (UAX #9 X1–X10)": (
        lambda n: "قال \u202bب" + "\u0651" * n + "\u202c",
        BidiMode.APP,
    ),
}
PROSE = "تزايد القلق في الغرب من التحالف بين روسيا وكوريا الشمالية. "


def layout_once(text: str, mode: BidiMode) -> float:
    clear_caches()
    start = time.perf_counter()
    for line in layout_paragraph(text, 80, mode)[:30]:
        line.cells  # noqa: B018 - the cells are the work
    return time.perf_counter() - start


def show_once(path: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", "show", str(path), "--width", "80"],
        stdout=subprocess.DEVNULL,
        check=True,
        env=env,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for name, (make, mode) in CASES.items():
        per_mark: dict[int, float] = {}
        for n in SIZES:
            text = make(n)
            runs = args.runs if n < 10**6 else max(1, args.runs // 2)
            median = statistics.median(layout_once(text, mode) for _ in range(runs))
            per_mark[n] = median / n
            ratio = per_mark[n] / per_mark[SIZES[0]]
            rows.append(
                (
                    name,
                    f"{n:,}",
                    f"{median * 1000:.1f} ms",
                    f"{per_mark[n] * 1e9:.0f} ns",
                    f"{ratio:.2f}",
                )
            )
    print_table(
        "layout: time per mark (ratio to the same case's 10^4 figure)",
        ["case", "marks", "layout + 30 lines of cells", "per mark", "ratio"],
        rows,
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            marks, prose = Path(tmp) / f"marks{n}.txt", Path(tmp) / f"prose{n}.txt"
            marks.write_text("ب" + "\u0651" * n + "\n", "utf-8")
            prose.write_text((PROSE * (n // len(PROSE) + 1))[: n + 1] + "\n", "utf-8")
            m_times, p_times = [], []
            for _ in range(max(1, args.runs // 2)):  # alternated: the same load for both
                m_times.append(show_once(marks))
                p_times.append(show_once(prose))
            m, p = statistics.median(m_times), statistics.median(p_times)
            rows.append((f"{n:,}", f"{m:.2f} s", f"{p:.2f} s", f"{m / p:.2f}"))
    print_table(
        "reader show --width 80 > /dev/null: ب + N × shadda, beside prose of the same length",
        ["code points", "marks", "prose", "marks / prose"],
        rows,
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
