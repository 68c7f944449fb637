"""Key press → repainted screen in the reader, on every seed, at 100×30 and 160×45.

The real app runs headless (``App.run_test``). Each key is posted as the
terminal driver posts it; *frame* is the first frame rendered after it, so the
figure holds the handler (store writes for tagging), layout of newly visible
lines, rendering, and Textual's 60 fps frame pacing (up to 16.7 ms); *settled*
is when nothing is left that will change the screen (``bench/_pilot.py``:
the annotation panel's update, a second frame, a worker, all included).
The reference, measured in the same run, is ``t`` — it only changes the
legend's marked theme: the pipeline from key to frame with almost no work.

Target: p95 ≤ 50 ms (settled). Printed, never asserted.

Usage::

    python bench/bench_keys.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

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


sys.path.insert(0, str(REPO / "bench"))
from _pilot import FrameClock  # noqa: E402

FRAMES = FrameClock()


async def one_document(
    path: Path, size: tuple[int, int], samples: dict[str, list[tuple[float, float, float]]]
) -> None:
    with tempfile.TemporaryDirectory() as store:
        app = make_app([path], store, "app", "bench", open_path=path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await FRAMES.settled(app)
            for group, key in SCRIPT:
                took = await FRAMES.key(app, key, timeout=1.0)
                if took is not None:
                    samples[group].append(took)
                # The reference: a bound key that repaints and does nothing else (the
                # legend's followed theme), i.e. the pipeline from key to frame alone.
                took = await FRAMES.key(app, REFERENCE_KEY, timeout=1.0)
                if took is not None:
                    samples["reference"].append(took)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over every seed and size")
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds (all five by default)")
    args = parser.parse_args()
    seeds = sorted((REPO / "seeds").glob("*.txt"))[: args.seeds]
    samples: dict[str, list[tuple[float, float, float]]] = defaultdict(list)

    async def run_all() -> None:
        for _ in range(args.rounds):
            for size in SIZES:
                for seed in seeds:
                    await one_document(seed, size, samples)

    asyncio.run(run_all())
    keys = [value for group, values in samples.items() if group != "reference" for value in values]
    reference = statistics.median(s[1] for s in samples["reference"])
    print(
        f"key → frame and → settled, {len(seeds)} seeds × {len(SIZES)} sizes × {args.rounds} rounds"
    )
    print(
        f"{'keys':<10} {'n':>5} {'frame med':>10} {'frame p95':>10} {'settled med':>12}"
        f" {'settled p95':>12} {'CPU p95':>9} {'× ref':>7}"
    )
    for group, values in [*sorted(samples.items()), ("all keys", keys)]:
        frames = [v[0] for v in values]
        settled = [v[1] for v in values]
        med = statistics.median(settled)
        print(
            f"{group:<10} {len(values):>5} {statistics.median(frames) * 1000:>8.1f}ms"
            f" {percentile(frames, 95) * 1000:>8.1f}ms {med * 1000:>10.1f}ms"
            f" {percentile(settled, 95) * 1000:>10.1f}ms"
            f" {percentile([v[2] for v in values], 95) * 1000:>7.1f}ms {med / reference:>6.2f}×"
        )
    p95 = percentile([v[1] for v in keys], 95) * 1000
    print(f"target p95 ≤ 50 ms (settled): {'met' if p95 <= 50 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
