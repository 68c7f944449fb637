"""Benchmark of the layout engine (issue 2): prints figures, asserts nothing.

1. The five seeds at width 100, cold (caches cleared): microseconds per line, and
   milliseconds per screenful of 50 lines (target: at most 5 ms, well under a frame).
2. About 1 MB of text made by repeating the seeds, laid out paragraph by paragraph at width
   100, against the ``fribidi`` command (GNU FriBidi, C) doing the same — levels, shaping,
   mirroring, reordering and line breaking at width 100 — on the same file, in the same run.
   Target: within 10× of FriBidi. The figure that counts is the one doing FriBidi's job:
   every line's visual text (shaped, reordered, mirrored, aligned), i.e. ``layout_paragraph``
   and ``VisualLine.text()`` for every line. Also shown: wrapping only (what the app pays up
   front: lines are reordered when drawn) and every line's cells built (the maps between
   columns and offsets that the app needs for highlights, which FriBidi does not make).
3. The worst cases of issue 6: the same megabyte as a single line, the same without a single
   space, 100,000 empty lines, and hostile single paragraphs (harakat only, escape sequences,
   lam-alef without spaces, wide characters, zero-width spaces, bidi overrides, emoji) at two
   sizes, to show the time grows linearly.

Each figure is the median of several runs, with the spread (min–max). Times are CPU
seconds (this process's, and FriBidi's as a child process), so that other work on a shared
machine does not blur the ratio; wall-clock time is the same on an idle machine.
Usage: python bench/bench_layout.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reader.corpus import read_document
from reader.layout import clear_caches, layout_paragraph

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100
SCREEN = 50


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """CPU seconds of each run."""
    times = []
    for _ in range(repeat):
        clear_caches()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return times


def summary(times: list[float], scale: float = 1.0, unit: str = "ms") -> str:
    values = [t * scale for t in times]
    return (
        f"median {statistics.median(values):9.3f} {unit}  "
        f"(spread {min(values):.3f}–{max(values):.3f})"
    )


def lay_out(paragraphs: list[str], cells: bool, text: bool = False) -> int:
    """Lay out each paragraph cold; returns the number of lines."""
    count = 0
    for paragraph in paragraphs:
        clear_caches()  # repeated paragraphs must not be served from the cache
        lines = layout_paragraph(paragraph, WIDTH)
        count += len(lines)
        if text:
            for line in lines:
                line.text()  # what FriBidi prints: the line's visual text
        if cells:
            for line in lines:
                line.cells  # noqa: B018  (builds the line's cells)
    return count


def seeds() -> tuple[str, list[str]]:
    texts = [read_document(p).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    text = "\n".join(texts)
    return text, text.split("\n")


def screenfuls(paragraphs: list[str]) -> list[list[str]]:
    """Consecutive groups of paragraphs filling (at least) 50 lines each."""
    groups: list[list[str]] = []
    group: list[str] = []
    lines = 0
    for text in paragraphs:
        group.append(text)
        lines += len(layout_paragraph(text, WIDTH))
        if lines >= SCREEN:
            groups.append(group)
            group, lines = [], 0
    clear_caches()
    return groups


def bench_seeds(repeat: int) -> None:
    _, paragraphs = seeds()
    n_lines = lay_out(paragraphs, cells=True)
    per_line = [t / n_lines for t in timed(lambda: lay_out(paragraphs, True), repeat)]
    print(f"seeds at width {WIDTH}: {len(paragraphs)} paragraphs, {n_lines} lines")
    print(f"  per line (cells built)      {summary(per_line, 1e6, 'µs')}")
    screens = screenfuls(paragraphs)
    per_screen: list[float] = []
    for _ in range(repeat):
        for group in screens:
            clear_caches()
            start = time.process_time()
            lines = [line for text in group for line in layout_paragraph(text, WIDTH)][:SCREEN]
            for line in lines:
                line.cells  # noqa: B018
            per_screen.append(time.process_time() - start)
    print(f"  per screenful of {SCREEN} lines   {summary(per_screen, 1e3)}  target ≤ 5 ms")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fribidi_seconds(path: Path, repeat: int) -> list[float]:
    """CPU seconds of ``fribidi --width 100 FILE`` (reorder, shape, mirror, break lines)."""
    times = []
    for _ in range(repeat):
        start = child_cpu()
        subprocess.run(
            ["fribidi", "--width", str(WIDTH), str(path)], stdout=subprocess.DEVNULL, check=True
        )
        times.append(child_cpu() - start)
    return times


def bench_megabyte(repeat: int) -> None:
    text, _ = seeds()
    copies = 1_000_000 // len(text.encode("utf-8")) + 1
    big = "\n".join([text] * copies)
    paragraphs = big.split("\n")
    size = len(big.encode("utf-8"))
    # Interleaved, so that a change of load on a shared machine hits every figure alike.
    wrap_only: list[float] = []
    visual_text: list[float] = []
    with_cells: list[float] = []
    reference: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "big.txt")
        path.write_text(big + "\n", "utf-8")
        for _ in range(repeat):
            reference += fribidi_seconds(path, 1)
            visual_text += timed(lambda: lay_out(paragraphs, False, text=True), 1)
            wrap_only += timed(lambda: lay_out(paragraphs, False), 1)
            with_cells += timed(lambda: lay_out(paragraphs, True), 1)
    ref = statistics.median(reference)
    print(f"\n{size / 1e6:.2f} MB ({len(big)} code points, {len(paragraphs)} paragraphs), "
          f"width {WIDTH}")  # fmt: skip
    print(f"  fribidi (C)                  {summary(reference, 1e3)}")
    figures = (
        ("engine, every line's text", visual_text, "  ← FriBidi's job (target ≤ 10×)"),
        ("engine, wrap only", wrap_only, ""),
        ("engine, every line's cells", with_cells, "  (+ cell↔offset maps)"),
    )
    for label, times, note in figures:
        ratio = statistics.median(times) / ref
        print(f"  {label:28s} {summary(times, 1e3)}  ratio {ratio:5.1f}× fribidi{note}")

    line = big.replace("\n", " ")
    for label, single in (("one 1 MB line", line), ("no spaces at all", line.replace(" ", ""))):
        first: list[float] = []
        for _ in range(repeat):
            clear_caches()
            start = time.process_time()
            lines = layout_paragraph(single, WIDTH)
            lines[len(lines) // 2].cells  # noqa: B018  (drawing one screen line)
            first.append(time.process_time() - start)
        print(f"  {label:28s} {summary(first, 1e3)}  ({len(lines)} lines)")
    empty = [""] * 100_000
    print(
        f"  {'100,000 empty lines':28s} {summary(timed(lambda: lay_out(empty, True), repeat), 1e3)}"
    )


HOSTILE = {
    "harakat only": "\u064e",
    "escape sequences": "\x1b]52;c;QUJD\x07",
    "lam-alef, no spaces": "لا",
    "wide characters": "中",
    "zero-width spaces": "\u200b",
    "bidi overrides": "\u202e\u202c",
    "emoji + VS16": "☺\ufe0f",
}


def bench_hostile(repeat: int) -> None:
    """Single-paragraph worst cases at 200k and 400k code points: time should double."""
    print("\nhostile single paragraphs (wrap + one line drawn), 200k → 400k code points")
    for label, unit in HOSTILE.items():
        medians = []
        for size in (200_000, 400_000):
            text = unit * (size // len(unit))
            times: list[float] = []
            for _ in range(repeat):
                clear_caches()
                start = time.process_time()
                lines = layout_paragraph(text, WIDTH)
                lines[len(lines) // 2].cells  # noqa: B018
                times.append(time.process_time() - start)
            medians.append(statistics.median(times))
        print(f"  {label:22s} {medians[0] * 1e3:8.1f} ms → {medians[1] * 1e3:8.1f} ms"
              f"  (×{medians[1] / medians[0]:.1f}; linear is ×2)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_seeds(args.repeat)
    bench_megabyte(args.repeat)
    bench_hostile(max(3, args.repeat // 2))


if __name__ == "__main__":
    main()
