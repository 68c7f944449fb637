"""Suggestion mode on a 2 MB document: the worker's time, and keys while it runs and after.

Each run is a fresh ``python`` process driving the real app headless through
``App.run_test`` at 120×40 on the first ~2 M characters of the generated big
document (``bench/output/big.txt``, made by ``gen_corpus.py``):

* **reference** — ``down``/``up`` with suggestion mode off;
* **S, first** — the frame that says ``suggestions: computing…``, and *settled*
  leaving out the worker and the 50 ms timer that starts it (the screen as it
  stands while it computes);
* **S → suggestions marked** — until the worker's suggestions are on screen and
  the screen is settled, the worker included (``suggest_document`` in a thread);
* **keys while computing** — ``down``/``up`` until the worker is done (settled
  leaving out the worker): the UI keeps answering, slowed by sharing the
  interpreter (the GIL) with the worker;
* **in the mode** — ``S`` (off and on again, the suggestions known), ``>`` (next
  open suggestion), ``a`` (accept: a durable store write, then on to the next),
  ``r`` (reject: a durable write of ``suggestions.json``, then on to the next),
  ``down``/``up``: 35 presses of each key a run, *settled* leaving out the
  background (the learning step that starts 2 s after the last accept or reject:
  a timer, then a worker; ``bench/_pilot.py``).

*Frame* is the first frame after the key, *settled* when nothing is left that
will change the screen (both as ``bench/_pilot.py`` says; Textual's 60 fps frame
pacing included). *CPU* is the process's, all threads: while the worker runs it
holds the worker's share too. Figures are printed, nothing is asserted.

A key is posted ``--gap`` seconds (default 0.03) after the last frame, as in
``bench_tags.py``: Textual paints one frame per 1/60 s slot, and a key posted at
once after the previous one settled (as this bench did before) waited up to
16.7 ms for the next slot, a wait no one reviewing suggestions meets (``--gap 0``
measures that way).

Usage::

    python bench/bench_suggest_ui.py [--runs 3] [--gap 0.03]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench import OUTPUT, median_p95, print_table, run_child, timing_cells
from gen_corpus import ensure

CHARS = 2_000_000
MOVES = ["down", "up"] * 10
#: Presses of each key in the mode, a run.
PRESSES = 35


async def child_run(document: Path, gap: float) -> dict[str, Any]:
    from _pilot import FrameClock

    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen
    from reader.ui.widgets.document_view import DocumentView

    clock = FrameClock(gap)

    async def keys(app: Any, names: list[str]) -> list[list[float]]:
        out = []
        for name in names:
            # The learning step after accepts and rejects is background work: left out.
            measured = await clock.key(app, name, workers=False)
            if measured is not None:
                out.append(list(measured))
        return out

    with tempfile.TemporaryDirectory() as store:
        app = make_app([document], store, open_path=document)
        async with app.run_test(size=(120, 40)):
            while not app.screen.query(DocumentView):
                await asyncio.sleep(0.001)
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            await clock.settled(app)
            reference = await keys(app, MOVES)

            started = time.perf_counter()
            toggle = await clock.key(app, "S", workers=False)
            during: list[list[float]] = []
            while screen.suggesting.state is None:
                name = "down" if len(during) % 2 == 0 else "up"
                measured = await clock.key(app, name, workers=False)
                if measured is not None:
                    during.append(list(measured))
                if time.perf_counter() - started > 120:
                    raise SystemExit("suggestions not ready after 120 s")
            marked = await clock.settled(app) - started
            state = screen.suggesting.state
            found = len(state.suggestions)
            toggles = await keys(app, ["S"] * (2 * PRESSES))
            nexts = await keys(app, ["greater_than_sign"] * PRESSES)
            accepts = await keys(app, ["a"] * PRESSES)
            rejects = await keys(app, ["r"] * PRESSES)
            moves = await keys(app, MOVES)
    return {
        "chars": len(screen.document.text),
        "suggestions": found,
        "reference": reference,
        "toggle": list(toggle) if toggle else None,
        "marked": marked,
        "during": during,
        "toggles": toggles,
        "next": nexts,
        "accept": accepts,
        "reject": rejects,
        "moves": moves,
    }


def child_main(document: Path, gap: float) -> int:
    print(json.dumps(asyncio.run(child_run(document, gap))))
    return 0


def cut(big: Path, out: Path, chars: int = CHARS) -> Path:
    """The first ``chars`` characters of ``big``, ending at a line end."""
    text = big.read_text("utf-8")[:chars]
    out.write_text(text[: text.rfind("\n") + 1], "utf-8")
    return out


def row(name: str, samples: list[list[float]], target: str = "") -> list[str]:
    if not samples:
        return [name, "0", "—", "—", "—", target]
    frames = [s[0] for s in samples]
    settled = [s[1] for s in samples]
    return [
        name,
        str(len(samples)),
        median_p95(frames),
        median_p95(settled),
        median_p95([s[2] for s in samples]),
        target,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="suggestion mode on a 2 MB document")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # one run, JSON out
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument(
        "--gap", type=float, default=0.03, help="seconds after the last frame before a key"
    )
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child, args.gap)
    ensure()
    with tempfile.TemporaryDirectory() as tmp:
        document = cut(OUTPUT / "big.txt", Path(tmp) / "two-mb.txt")
        child = [__file__, "--child", str(document), "--gap", str(args.gap)]
        loads, runs = [os.getloadavg()[0]], []
        for _ in range(args.runs):
            runs.append(run_child(child))
            loads.append(os.getloadavg()[0])
    first = runs[0]

    def all_of(key: str) -> list[list[float]]:
        return [s for r in runs for s in r[key]]

    marked = [r["marked"] for r in runs]
    print_table(
        f"Suggestion mode, {first['chars'] / 1e6:.1f} M characters, {first['suggestions']} "
        f"suggestions, 120×40, {args.runs} runs, keys {args.gap * 1000:g} ms after the last "
        f"frame (load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores)",
        ["measure", "n", "frame median / p95", "settled median / p95", "CPU median / p95",
         "target"],
        [
            row("down/up, mode off (reference)", all_of("reference")),
            row("S, first (settled: worker left out)", [r["toggle"] for r in runs if r["toggle"]]),
            [
                "S → suggestions marked (worker included)",
                str(len(marked)),
                "—",
                " / ".join(timing_cells(marked, "s")),
                "—",
                "in a worker",
            ],
            row("down/up while computing (worker left out)", all_of("during"), "answers"),
            row("S, suggestions known (off, on)", all_of("toggles"), "p95 ≤ 50 ms"),
            row("> next suggestion", all_of("next"), "p95 ≤ 50 ms"),
            row("a accept (store write)", all_of("accept"), "p95 ≤ 50 ms"),
            row("r reject (suggestions.json write)", all_of("reject"), "p95 ≤ 50 ms"),
            row("down/up, mode on", all_of("moves"), "p95 ≤ 50 ms"),
        ],
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
