"""``reader import``: bring annotations from an export, a REFI-QDA project or a brat folder.

    reader import FILE [--store DIR] [--corpus PATH…] [--into FOLDER]

A ``.qdpx``/``.qde`` (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder…) or a brat
folder goes through :mod:`reader.exchange`: its sources are matched to corpus
documents (new ones are written to ``--into FOLDER``), its codes to themes
(new ones added to ``themes.toml``), its selections re-anchored; all or
nothing. Otherwise:

The format is told from the content. Each annotation is checked against its
document's text (found in the corpus by its store key): kept when its quote is
at its offsets, re-anchored by quote and context when it moved, orphaned when
the quote is gone. An id already in the store is kept once. A ``json`` export's
theme set becomes the store's ``themes.toml`` when the store has none. Prints one summary
line (added, updated, unchanged, re-anchored, orphaned, rejected); the reasons
for rejected records go to stderr. Exit status 0, or 1 when records were
rejected; a file that is not an export at all is an error (exit 2), and then
nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from reader.commands._store_args import add_store_options, open_corpus, open_store, warn
from reader.errors import UsageError
from reader.exchange.foreign import is_exchange, run_exchange
from reader.export.importer import MAX_LISTED, adopt_themes, import_into, parse
from reader.export.records import visible


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Import annotations from a json, jsonl or w3c export, a REFI-QDA project"
        " (.qdpx, .qde) or a brat standoff folder.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the file (or brat folder) to read")
    add_store_options(parser)
    parser.add_argument(
        "--into", type=Path, metavar="FOLDER",
        help="qdpx/brat: where sources that are not in the corpus are saved (inside the corpus)",
    )  # fmt: skip
    return parser


class Progress:
    """Lines on stderr while a long import writes: at most one every 2 s, none for a short one."""

    EVERY = 2.0

    def __init__(self, source: Path) -> None:
        self.source = visible(str(source))
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.EVERY and done < total:
            self.last = now
            print(f"reader: {self.source}: {done:,} of {total:,} records written", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if is_exchange(args.file):
        return run_exchange(args.file, args.store, args.corpus, args.into, warn)
    if args.into is not None:
        raise UsageError("--into goes with a qdpx, qde or brat import")
    parsed = parse(args.file)  # every problem with the file itself is raised before any write
    corpus = open_corpus(args.corpus, [args.store])
    documents = corpus.load(ann.doc for ann in parsed.annotations)
    theme_problems: list[str] = []
    themes_file = adopt_themes(args.store, parsed, theme_problems)
    warn(f"{args.file}: {line}" for line in theme_problems)
    store = open_store(args.store, must_exist=False, read_only=False)
    try:
        summary = import_into(store, parsed, documents, Progress(args.file))
        if summary.added or summary.updated:  # the documents' folders, for exports and stats
            for doc in documents.values():
                store.note_corpus(doc)
        problems = store.problems
    finally:
        store.close()
    warn(corpus.problems)
    warn(problems)
    listed = summary.problems[:MAX_LISTED]
    warn(f"{args.file}: rejected {line}" for line in listed)
    if len(summary.problems) > len(listed):
        warn([f"{args.file}: … and {len(summary.problems) - len(listed)} more rejected"])
    if themes_file is not None:
        print(f"{visible(str(args.file))}: theme set written to {visible(str(themes_file))}")
    # The file may come from anyone, its name too: controls drawn, not sent to the terminal.
    print(f"{visible(str(args.file))}: {summary.line()} ({parsed.fmt})")
    return 1 if summary.rejected else 0
