"""``reader show PATH [--width N] [--bidi app|terminal]``: print a document as laid out.

One screen line per output line, right-to-left paragraphs padded on the left so they end at
the right margin, and a blank line between paragraphs (the document's own blank lines are
kept as they are, and two paragraphs that follow each other directly get one between them).
Every control character of the document is printed as a visible placeholder, so the output
holds no escape sequence from the document; when stdout is a terminal and the mode is
``app``, the output is wrapped in ``CSI 8 l`` … ``CSI 8 h`` so that a terminal doing bidi
does not reorder the lines a second time.

The document is laid out and printed paragraph by paragraph: a 20 MB file starts printing at
once. Imports stay light (no Textual) so the command starts quickly.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from reader.commands.launch import bidi_terminal
from reader.corpus import Document, read_document
from reader.errors import UsageError
from reader.layout import BidiMode, document_direction
from reader.layout.engine import layout_texts

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
        choices=[mode.value for mode in BidiMode],
        default=BidiMode.APP.value,
        help="app: reorder and shape here (default); terminal: leave it to the terminal",
    )
    return parser


def render(doc: Document, width: int, mode: BidiMode = BidiMode.APP) -> Iterator[str]:
    """The output, one chunk per paragraph (each chunk ends with a newline)."""
    fallback_rtl = document_direction(doc.text)
    after_text = False
    last = doc.paragraph_count - 1
    for paragraph in doc.paragraphs():
        if paragraph.index == last and not paragraph.text:
            break  # the file's final newline ends the last line; it starts no paragraph
        if paragraph.blank:
            after_text = False
            yield "\n"
            continue
        # The same lines as layout_paragraph(...)'s text(), without line objects or the
        # layout cache: each paragraph is printed once.
        body = "\n".join(layout_texts(paragraph.text, width, mode, fallback_rtl)) + "\n"
        yield ("\n" + body) if after_text else body
        after_text = True


def run(args: argparse.Namespace) -> int:
    width = args.width if args.width is not None else default_width()
    if width < MIN_WIDTH:
        raise UsageError(f"--width must be at least {MIN_WIDTH} (got {width})")
    doc = read_document(args.path)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")  # a non-UTF-8 locale prints "?" rather than failing
    mode = BidiMode(args.bidi)
    explicit = bidi_terminal(mode.value, out) if out.isatty() else nullcontext()
    with explicit:
        for chunk in render(doc, width, mode):
            out.write(chunk)
        out.flush()
    return 0


def default_width() -> int:
    """The terminal's width, or 80 when stdout is not a terminal."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns or DEFAULT_WIDTH
