"""``reader [PATH…]`` opens the library; ``reader open PATH`` opens one document.

In ``app`` bidi mode the app reorders right-to-left text itself, so the
terminal is told to leave it alone: ECMA-48 BDSM explicit mode (``CSI 8 l``)
before the app starts, and implicit mode (``CSI 8 h``) restored on every way
out — a normal quit, an error, or Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

#: ECMA-48 Bi-Directional Support Mode: explicit (the app reorders) and implicit.
BDSM_EXPLICIT = "\x1b[8l"
BDSM_IMPLICIT = "\x1b[8h"

DEFAULT_PATHS = ("seeds",)
DEFAULT_STORE = "annotations"


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
    parser.add_argument(
        "--bidi",
        choices=("app", "terminal"),
        default="app",
        help="app: the app reorders right-to-left text; terminal: the terminal does",
    )
    parser.add_argument("--annotator", default=None, help="name recorded on new annotations")
    return parser


@contextmanager
def bidi_terminal(mode: str, out: TextIO | None = None) -> Iterator[None]:
    """Switch the terminal to explicit bidi mode for the app, and always back."""
    stream = out if out is not None else sys.__stdout__
    if mode != "app" or stream is None:
        yield
        return
    _write(stream, BDSM_EXPLICIT)
    try:
        yield
    finally:
        _write(stream, BDSM_IMPLICIT)


def _write(stream: TextIO, code: str) -> None:
    try:
        stream.write(code)
        stream.flush()
    except OSError:  # the terminal went away: nothing left to restore
        pass


def run(args: argparse.Namespace) -> int:
    from reader.ui.app import make_app

    open_path: Path | None = getattr(args, "path", None)
    paths = (
        [open_path] if open_path is not None else (args.paths or [Path(p) for p in DEFAULT_PATHS])
    )
    # Errors in the arguments (unreadable document, damaged store) surface here as one line,
    # before the terminal is touched.
    app = make_app(paths, args.store, args.bidi, args.annotator, open_path=open_path)
    with bidi_terminal(args.bidi):
        app.run()
    return app.return_code or 0
