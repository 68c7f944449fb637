"""``reader tag``: record one annotation from the command line.

The same store code as the app: the call returns (and prints the new id) only
once the annotation is durably on disk. A quote that is not in the document,
a range outside it, or an unknown theme is a one-line error, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.commands._store_args import warn
from reader.corpus import Document, read_document
from reader.errors import UsageError
from reader.store import DEFAULT_STORE_DIR, Store


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Record one annotation and print its id once it is safely stored.",
    )
    parser.add_argument("path", type=Path, help="the document")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", help="the passage, exactly as it is in the text")
    where.add_argument("--start", type=int, help="first code point of the passage")
    parser.add_argument("--end", type=int, help="one past its last code point (with --start)")
    parser.add_argument(
        "--occurrence", type=int, default=1, help="which occurrence of --quote (default 1)"
    )
    parser.add_argument(
        "--theme", action="append", required=True, metavar="KEY", help="theme key (repeatable)"
    )
    parser.add_argument("--note", default="", help="a note on the annotation")
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE_DIR, help="store folder")
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="corpus root the document is known by (default: its folder)",
    )
    parser.add_argument("--annotator", default=None, help="name recorded on the annotation")
    return parser


def find_quote(doc: Document, quote: str, occurrence: int) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th (1-based) exact occurrence of ``quote``."""
    if not quote:
        raise UsageError("--quote is empty")
    if occurrence < 1:
        raise UsageError("--occurrence counts from 1")
    pos, seen = -1, 0
    while seen < occurrence:
        pos = doc.text.find(quote, pos + 1)
        if pos == -1:
            if seen == 0:
                raise UsageError("quote not found in the document", doc.path)
            raise UsageError(f"the quote occurs only {seen} time(s), not {occurrence}", doc.path)
        seen += 1
    return pos, pos + len(quote)


def run(args: argparse.Namespace) -> int:
    doc = read_document(args.path, args.root)
    if args.quote is not None:
        if args.end is not None:
            raise UsageError("--end goes with --start, not --quote")
        start, end = find_quote(doc, args.quote, args.occurrence)
    else:
        if args.end is None:
            raise UsageError("--start needs --end")
        start, end = args.start, args.end
    store = Store(args.store, args.annotator, scan=False)
    warn(store.problems)  # a broken themes.toml: the app's line, then the default themes
    try:
        # Not synced: the new annotation is made on the text as it is now; the others are
        # re-anchored when the document is next opened. A write reads only what it needs.
        ann = store.add(doc, start, end, args.theme, args.note)
    finally:
        store.close()
    print(ann.id, flush=True)
    return 0
