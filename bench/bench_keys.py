"""Key press → repainted screen in the reader, on every seed, at 100×30 and 160×45.

The real app runs headless (``App.run_test``). Each key is posted as the
terminal driver posts it; the clock stops at the first frame rendered after it,
so the figure holds the handler (store writes for tagging), layout of newly
visible lines, rendering, and Textual's 60 fps frame pacing (up to 16.7 ms).
The reference, measured in the same run, is ``t`` — it only changes the
legend's marked theme: the pipeline from key to frame with almost no work.

Target: p95 ≤ 50 ms. Printed, never asserted.

Usage::

    python bench/bench_keys.py [--rounds 3]
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

from textual import events
from textual.app import App

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.ui.app import make_app  # noqa: E402

SIZES = ((100, 30), (160, 45))
#: Key groups as a user presses them: moving, tagging (a store write each), history, panel.
SCRIPT: tuple[tuple[str, str], ...] = (
    *(("move", k) for k in ("j", "j", "j", "k", "J", "K", "pagedown", "pagedown", "pageup")),
    *(("move", k) for k in ("left", "left", "right", "shift+left", "shift+right", "p", "j")),
    ("tag", "1"), ("tag", "2"), ("move", "j"), ("tag", "3"), ("tag", "3"), ("tag", "4"),
    ("history", "u"), ("history", "u"), ("history", "ctrl+r"),
    ("jump", "g"), ("jump", "right_square_bracket"), ("jump", "right_square_bracket"),
    ("jump", "left_square_bracket"), ("jump", "G"),
    ("panel", "tab"), ("panel", "down"), ("panel", "escape"),
)  # fmt: skip
REFERENCE_KEY = "t"


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: p95 of 20 samples is the 19th."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


class Frames:
    """Notes the time of every frame the app renders.

    Wraps ``App._display`` — private Textual API, acceptable in a bench and nowhere
    else: every rendered frame, headless included, goes through it.
    """

    def __init__(self) -> None:
        self.seen = asyncio.Event()
        self.last = 0.0
        original = App._display

        def display(app: App[Any], screen: Any, renderable: Any) -> None:
            original(app, screen, renderable)
            if renderable is not None:
                self.last = time.perf_counter()
                self.seen.set()

        App._display = display  # type: ignore[method-assign]

    async def key(self, app: App[Any], key: str) -> float | None:
        """Seconds from posting ``key`` (as the terminal driver does) to the next frame."""
        # Start from a quiet screen: no frame for 50 ms (a key's later frames, like the
        # annotation panel's list after a tag, must not be taken for this key's frame).
        while True:
            self.seen.clear()
            await asyncio.sleep(0.05)
            if not self.seen.is_set():
                break
        started = time.perf_counter()
        app.post_message(events.Key(key, key if len(key) == 1 else None))
        try:
            await asyncio.wait_for(self.seen.wait(), 1.0)
        except TimeoutError:
            return None  # nothing changed on screen
        return self.last - started


FRAMES = Frames()


async def one_document(path: Path, size: tuple[int, int], samples: dict[str, list[float]]) -> None:
    with tempfile.TemporaryDirectory() as store:
        app = make_app([path], store, "app", "bench", open_path=path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for group, key in SCRIPT:
                took = await FRAMES.key(app, key)
                if took is not None:
                    samples[group].append(took)
                # The reference: a bound key that repaints and does nothing else (the
                # legend's followed theme), i.e. the pipeline from key to frame alone.
                took = await FRAMES.key(app, REFERENCE_KEY)
                if took is not None:
                    samples["reference"].append(took)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over every seed and size")
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds (all five by default)")
    args = parser.parse_args()
    seeds = sorted((REPO / "seeds").glob("*.txt"))[: args.seeds]
    samples: dict[str, list[float]] = defaultdict(list)

    async def run_all() -> None:
        for _ in range(args.rounds):
            for size in SIZES:
                for seed in seeds:
                    await one_document(seed, size, samples)

    asyncio.run(run_all())
    keys = [value for group, values in samples.items() if group != "reference" for value in values]
    reference = statistics.median(samples["reference"])
    print(f"key → repaint, {len(seeds)} seeds × {len(SIZES)} sizes × {args.rounds} rounds")
    print(f"{'keys':<10} {'n':>5} {'median':>9} {'p95':>9} {'min – max':>19} {'× ref':>7}")
    for group, values in [*sorted(samples.items()), ("all keys", keys)]:
        med = statistics.median(values)
        p95 = percentile(values, 95)
        print(
            f"{group:<10} {len(values):>5} {med * 1000:>7.1f}ms {p95 * 1000:>7.1f}ms"
            f" {min(values) * 1000:>8.1f} – {max(values) * 1000:>6.1f}ms {med / reference:>6.2f}×"
        )
    p95 = percentile(keys, 95) * 1000
    print(f"target p95 ≤ 50 ms: {'met' if p95 <= 50 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
