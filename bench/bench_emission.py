"""What the emission layer costs: frames rewritten for Konsole (``marks``) and kitty (``shaper``).

The real reader runs headless (``App.run_test``) on a seed at 100×30 and 160×45 under
each strategy; the same keys (moving by sentence, paragraph and page) are pressed in
each. Two figures per strategy:

* **emitter per frame**: time spent in ``Emitter.update`` for each frame (the strips of
  the frame rewritten, or taken from the emitter's cache), median and p95;
* **key → settled**: from a key to the screen having nothing left to repaint (handler,
  layout, rendering, the emitter, Textual's 60 fps pacing), median and p95, and its ratio
  to the same keys with no emitter (``explicit``, the reference, measured in the same run,
  strategies alternated round by round).

Printed, never asserted. Usage::

    python bench/bench_emission.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _pilot import FrameClock  # noqa: E402

from reader.terminal.strategy import Choice, Strategy  # noqa: E402
from reader.ui import emission  # noqa: E402
from reader.ui.app import make_app  # noqa: E402

SEED = REPO / "seeds" / "000_0430b5cc33e0e526.txt"
SIZES = ((100, 30), (160, 45))
KEYS = ("j", "j", "j", "k", "J", "J", "K", "pagedown", "pagedown", "pageup", "j", "p", "j")
STRATEGIES = (Strategy.EXPLICIT, Strategy.MARKS, Strategy.SHAPER)

emitter_times: dict[tuple[str, tuple[int, int]], list[float]] = defaultdict(list)
current_size: list[tuple[int, int]] = [SIZES[0]]


def _time_emitter() -> None:
    original = emission.Emitter.update

    def timed(self: emission.Emitter, renderable: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, renderable)
        finally:
            key = (str(self.strategy), current_size[0])
            emitter_times[key].append(time.perf_counter() - started)

    emission.Emitter.update = timed  # type: ignore[method-assign]


async def one_run(
    clock: FrameClock, strategy: Strategy, size: tuple[int, int], store: Path
) -> list[float]:
    app = make_app([SEED], store, "app", "bench", open_path=SEED)
    app.use_terminal(Choice(strategy, "bench"))
    current_size[0] = size
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        await clock.settled(app)
        for key in KEYS:
            measured = await clock.key(app, key)
            if measured is not None:
                times.append(measured[1])
    return times


def fmt(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{statistics.median(ordered) * 1000:.2f} / {p95 * 1000:.2f}"


async def main(rounds: int) -> None:
    clock = FrameClock()
    _time_emitter()
    settled: dict[tuple[str, tuple[int, int]], list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(rounds):
            for size in SIZES:
                for strategy in STRATEGIES:
                    store = Path(tmp) / f"{round_}-{size[0]}-{strategy}"
                    settled[(str(strategy), size)] += await one_run(clock, strategy, size, store)
    print("| strategy | size | emitter per frame, ms (median / p95) | key → settled, ms | ratio |")
    print("|---|---|---|---|---|")
    for size in SIZES:
        reference = statistics.median(settled[(str(Strategy.EXPLICIT), size)])
        for strategy in STRATEGIES:
            values = settled[(str(strategy), size)]
            ratio = statistics.median(values) / reference
            frames = fmt(emitter_times[(str(strategy), size)])
            row = [str(strategy), f"{size[0]}×{size[1]}", frames, fmt(values), f"{ratio:.2f}"]
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))
