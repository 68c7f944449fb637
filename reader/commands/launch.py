"""``reader [PATH…]`` opens the library; ``reader open PATH`` opens one document.

The app lays right-to-left text out itself; what the terminal must then be told (or how
each frame must be written) depends on the terminal. ``--bidi auto`` (the default)
detects it and picks a strategy (``reader.terminal``; ``reader doctor`` shows the
choice); ``--bidi app`` forces explicit mode, ``--bidi terminal`` hands logical text to
the terminal. Whatever is switched before the first frame is switched back on every way
out — a normal quit, an error, ctrl+c, SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from reader.terminal.session import switched, terminal_choice
from reader.terminal.strategy import BDSM_EXPLICIT, BDSM_IMPLICIT, explicit

__all__ = ["BDSM_EXPLICIT", "BDSM_IMPLICIT", "bidi_terminal", "build_parser", "run"]

DEFAULT_PATHS = ("seeds",)
DEFAULT_STORE = "annotations"
BIDI_CHOICES = ("auto", "app", "terminal")


def add_bidi_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bidi",
        choices=BIDI_CHOICES,
        default="auto",
        help="auto: detect the terminal and do what works there (see `reader doctor`); "
        "app: the app reorders and asks for explicit mode; terminal: the terminal reorders",
    )


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Read Arabic news articles and tag passages by theme.",
    )
    if prog.endswith(" open"):
        parser.add_argument("path", type=Path, help="the document to open in the reader")
    else:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="files and folders for the library (default: seeds/)",
        )
    parser.add_argument("--store", type=Path, default=Path(DEFAULT_STORE), help="store folder")
    add_bidi_option(parser)
    parser.add_argument("--annotator", default=None,
                        help="who you are: recorded on what you tag and curate")  # fmt: skip
    parser.add_argument("--curated", type=Path, default=None, metavar="DIR",
                        help="the curation screen's store (default: STORE-curated)")  # fmt: skip
    return parser


@contextmanager
def bidi_terminal(mode: str, out: TextIO | None = None) -> Iterator[None]:
    """Explicit bidi mode around a block in ``app`` mode (``reader show``), and always back."""
    stream = out if out is not None else sys.__stdout__
    if mode != "app":
        yield
        return
    with switched(explicit("reader show"), stream):
        yield


def run(args: argparse.Namespace) -> int:
    from reader.ui.idle_gc import hold_for_start, release_after_start

    hold_for_start()  # until the first frame (reader/ui/idle_gc.py); released on every way out
    try:
        return _run(args)
    finally:
        release_after_start()


def _run(args: argparse.Namespace) -> int:
    from reader.ui.app import make_app

    open_path: Path | None = getattr(args, "path", None)
    paths = (
        [open_path] if open_path is not None else (args.paths or [Path(p) for p in DEFAULT_PATHS])
    )
    stream = sys.__stderr__  # where Textual draws
    # Errors in the arguments (unreadable document, damaged store) surface before the
    # terminal is touched, and before it is asked anything.
    app = make_app(
        paths, args.store, "app", args.annotator, open_path=open_path, curated=args.curated
    )
    _detection, choice = terminal_choice(args.bidi, os.environ, stream)
    app.use_terminal(choice)
    if choice.warning:
        print(f"reader: {choice.warning}", file=sys.stderr)
    with switched(choice, stream):
        app.run()
    return app.return_code or 0
