"""``reader show PATH [--width N] [--bidi auto|app|terminal]``: print a document as laid out.

One screen line per output line, right-to-left paragraphs padded on the left so they end at
the right margin, and a blank line between paragraphs (the document's own blank lines are
kept as they are, and two paragraphs that follow each other directly get one between them).
Every control character of the document is printed as a visible placeholder, so the output
holds no escape sequence from the document. When stdout is a terminal, ``auto`` (the
default) writes the lines the way that terminal needs them, as the app does: wrapped in
``CSI 8 l``/``CSI 1 SP k`` … ``CSI 8 h``/``CSI 0 SP k`` where explicit mode works, words
with marks for Konsole, runs reversed for kitty, logical order for mlterm; ``app`` always
wraps in explicit mode.

The document is laid out and printed in batches of paragraphs (``layout.bulk``): a 20 MB file
starts printing at once. Imports stay light (no Textual) so the command starts quickly.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TextIO

from reader.commands.launch import bidi_terminal
from reader.corpus import Document, read_document
from reader.errors import UsageError
from reader.layout import BidiMode, document_direction
from reader.layout.bulk import layout_many
from reader.layout.engine import layout_texts
from reader.terminal.emit import mark_text, shape_text
from reader.terminal.session import switched, terminal_choice
from reader.terminal.strategy import Strategy

DEFAULT_WIDTH = 80
MIN_WIDTH = 2


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Print a document as the reader lays it out."
    )
    parser.add_argument("path", type=Path, help="the document")
    parser.add_argument(
        "--width", type=int, default=None, help="columns (default: the terminal's, or 80)"
    )
    parser.add_argument(
        "--bidi",
        choices=("auto", *(mode.value for mode in BidiMode)),
        default="auto",
        help="auto: app, written the way this terminal needs it (see `reader doctor`); "
        "app: reorder and shape here; terminal: leave it to the terminal",
    )
    return parser


# Paragraphs are laid out in batches (``layout.bulk``): big enough that the work per batch
# is small beside the work per character, small enough that output starts at once.
BATCH_CHARS = 1 << 17
BATCH_PARAGRAPHS = 1024


def render(doc: Document, width: int, mode: BidiMode = BidiMode.APP) -> Iterator[str]:
    """The output, one chunk per batch of paragraphs (each chunk ends with a newline)."""
    fallback_rtl = document_direction(doc.text)
    after_text = False
    batch: list[str | None] = []  # None: a blank paragraph
    size = 0
    for text in _lines(doc.text):
        batch.append(text if text.strip() else None)
        size += len(text)
        if size >= BATCH_CHARS or len(batch) >= BATCH_PARAGRAPHS:
            chunk, after_text = _laid_out(batch, width, mode, fallback_rtl, after_text)
            yield chunk
            batch, size = [], 0
    if batch:
        yield _laid_out(batch, width, mode, fallback_rtl, after_text)[0]


def _lines(text: str) -> Iterator[str]:
    """The document's paragraphs (its lines); the file's final newline starts none."""
    start = 0
    while (end := text.find("\n", start)) != -1:
        yield text[start:end]
        start = end + 1
    if start < len(text):
        yield text[start:]


def _laid_out(
    batch: list[str | None], width: int, mode: BidiMode, fallback_rtl: bool, after_text: bool
) -> tuple[str, bool]:
    """A batch's output, and whether its last paragraph had text (blank lines are kept as
    they are; two paragraphs that follow each other directly get one blank line between)."""
    texts = [text for text in batch if text is not None]
    if mode is BidiMode.APP:
        laid = iter(layout_many(texts, width, fallback_rtl))
    else:
        laid = iter(["\n".join(layout_texts(text, width, mode, fallback_rtl)) for text in texts])
    parts: list[str] = []
    for text in batch:
        if text is None:
            after_text = False
            parts.append("\n")
            continue
        body = next(laid) + "\n"
        parts.append(("\n" + body) if after_text else body)
        after_text = True
    return "".join(parts), after_text


def run(args: argparse.Namespace) -> int:
    width = args.width if args.width is not None else default_width()
    if width < MIN_WIDTH:
        raise UsageError(f"--width must be at least {MIN_WIDTH} (got {width})")
    doc = read_document(args.path)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")  # a non-UTF-8 locale prints "?" rather than failing
    mode, switch, rewrite = _for_terminal(args.bidi, out)
    with switch:
        for chunk in render(doc, width, mode):
            out.write(rewrite(chunk) if rewrite else chunk)
        out.flush()
    return 0


def _for_terminal(
    bidi: str, out: TextIO
) -> tuple[BidiMode, AbstractContextManager[None], Callable[[str], str] | None]:
    """Layout mode, what to switch around the output, and how each line is written.

    Off a terminal the text is written as the engine lays it out, with nothing around it.
    On one, ``auto`` follows the app's strategy (reader/terminal), but for mlterm: its
    switch would be put back when the command ends and mlterm would then reorder the
    printed lines again, so mlterm gets logical order and does the bidi itself.
    """
    if not out.isatty():
        return (BidiMode.TERMINAL if bidi == "terminal" else BidiMode.APP), nullcontext(), None
    if bidi != "auto":
        return BidiMode(bidi), bidi_terminal(bidi, out), None
    _detection, choice = terminal_choice("auto", os.environ, out)
    if choice.strategy in (Strategy.MLTERM, Strategy.TERMINAL):
        return BidiMode.TERMINAL, nullcontext(), None
    by_line = {Strategy.MARKS: mark_text, Strategy.SHAPER: shape_text}.get(choice.strategy)
    if by_line is None:
        return BidiMode.APP, switched(choice, out), None
    return BidiMode.APP, nullcontext(), lambda chunk: "\n".join(map(by_line, chunk.split("\n")))


def default_width() -> int:
    """The terminal's width, or 80 when stdout is not a terminal."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns or DEFAULT_WIDTH
