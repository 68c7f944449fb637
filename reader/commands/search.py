"""``reader search QUERY [PATH…]``: every occurrence of a query in the corpus, in context.

    reader search QUERY [PATH…] [--format text|jsonl] [--store DIR] [--width N]
                        [--bidi app|terminal] [--context N] [--limit N]

The matching is the reader's ``/`` (:func:`reader.arabic.find_all`: بيونج يانج
finds بيونغ يانغ) over every document under ``PATH…`` (default ``seeds/``),
through the search index kept in the store folder (:mod:`reader.search`).
``text`` prints one concordance line per hit — ``file:start-end`` then the hit's
paragraph around it, laid out by the engine with the hit in the middle;
``jsonl`` prints one object per hit (doc, path, start, end, match, before,
after). Exit status: 0 with hits, 1 without, 2 for bad input (as grep).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

from reader.commands.launch import DEFAULT_PATHS, DEFAULT_STORE, bidi_terminal
from reader.corpus import collect, decode_bytes
from reader.errors import DocumentError, UsageError
from reader.export.records import json_safe, visible
from reader.kwic import context, kwic
from reader.layout import BidiMode
from reader.search import Hit, SearchIndex
from reader.wording import plural

#: Fallback when stdout is not a terminal and no --width is given.
DEFAULT_WIDTH = 100
#: Code points of context each side of a hit (jsonl) and the most laid out (text).
DEFAULT_CONTEXT = 60


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Find every occurrence of QUERY in the documents, Arabic spelling variants "
        "folded as the reader's / folds them (Pyongyang spelt with either g letter matches both).",
    )
    parser.add_argument("query", metavar="QUERY", help="words to find (quote several)")
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: seeds/)"
    )
    parser.add_argument("--format", choices=("text", "jsonl"), default="text")
    parser.add_argument(
        "--store", type=Path, default=Path(DEFAULT_STORE), metavar="DIR",
        help="store folder, where the search index is kept (default: annotations/)",
    )  # fmt: skip
    parser.add_argument("--width", type=int, default=None, help="columns for --format text")
    parser.add_argument(
        "--context", type=int, default=DEFAULT_CONTEXT, metavar="N",
        help=f"code points of context each side, jsonl (default: {DEFAULT_CONTEXT})",
    )  # fmt: skip
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="at most N hits")
    parser.add_argument("--bidi", choices=("app", "terminal"), default="app",
                        help="app: print visual order; terminal: logical order")  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    if not args.query.split():
        raise UsageError("give something to search for")
    if args.width is not None and args.width < 20:
        raise UsageError("--width must be at least 20")
    if args.context < 0 or (args.limit is not None and args.limit < 1):
        raise UsageError("--context must be 0 or more and --limit 1 or more")
    paths = args.paths or [Path(p) for p in DEFAULT_PATHS]
    entries, problems = collect(paths)
    if problems:
        raise DocumentError(problems[0].reason, problems[0].path)
    if not entries:
        raise UsageError(f"no documents found in {', '.join(map(str, paths))}")
    index = SearchIndex(args.store, read_only=not args.store.is_dir())
    try:
        hits = index.search(args.query, entries, limit=args.limit)
    finally:
        index.close()
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")  # a non-UTF-8 locale prints "?" rather than failing
    if args.format == "jsonl":
        write_jsonl(hits, out, args.context)
    else:
        mode = BidiMode(args.bidi)
        width = args.width or (
            shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if out.isatty() else DEFAULT_WIDTH
        )
        explicit = bidi_terminal(mode.value, out) if out.isatty() else nullcontext()
        with explicit:
            write_text(hits, out, width, mode)
    out.flush()
    return 0 if hits else 1


class _Texts:
    """The text of each document hit, read once (the index has no original text)."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._text = ""

    def of(self, hit: Hit) -> str:
        if hit.entry.path != self._path:
            self._path = hit.entry.path
            try:
                self._text = decode_bytes(self._path.read_bytes())[0]
            except (OSError, DocumentError):  # gone or changed since it was indexed
                self._text = ""
        return self._text


def write_jsonl(hits: Sequence[Hit], out: TextIO, chars: int) -> None:
    texts = _Texts()
    for hit in hits:
        found = context(texts.of(hit), hit.start, hit.end, chars)
        record = {
            "doc": hit.rel,
            "path": str(hit.entry.path),
            "start": hit.start,
            "end": hit.end,
            "match": found.match,
            "before": found.before,
            "after": found.after,
        }
        # C1 and bidi controls of the text stay raw under ensure_ascii=False: escape them.
        out.write(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")


def write_text(hits: Sequence[Hit], out: TextIO, width: int, mode: BidiMode) -> None:
    """``file:start-end`` and the concordance line, one hit a line, then the count."""
    texts = _Texts()
    where = [f"{visible(hit.rel)}:{hit.start}-{hit.end}" for hit in hits]
    gutter = max(map(len, where), default=0) + 2
    room = max(10, width - gutter)
    for place, hit in zip(where, hits, strict=True):
        # The hit is in the middle: each side shows half the room (ligatures take two letters).
        found = context(texts.of(hit), hit.start, hit.end, room // 2 + 8)
        out.write(f"{place:<{gutter}}{kwic(found, room, mode).text().rstrip()}\n")
    documents = len({hit.entry.path for hit in hits})
    out.write(f"{plural(len(hits), 'hit')} in {plural(documents, 'document')}\n")
