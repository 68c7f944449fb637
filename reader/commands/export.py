"""``reader export``: write the store's annotations as json, jsonl, csv, w3c, md or html.

    reader export --format FORMAT [--theme KEY…] [--doc PATH…] [--store DIR]
                  [--corpus PATH…] [-o FILE] [--force] [--excel]

Standard output unless ``-o`` is given; ``-o`` refuses to overwrite a file
without ``--force`` and writes atomically (a temporary file, then a rename), so
a failed export never leaves half a file. Large exports show a Rich progress
bar on stderr when it is a terminal (and the data is not going to it).
The store is opened read-only: exporting never changes it.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TextIO

from reader.commands._store_args import (
    add_store_options,
    gather_and_warn,
    open_corpus,
    open_store,
)
from reader.errors import UsageError
from reader.export import FORMATS, write
from reader.export.output import check_target, terminal_safe, write_file
from reader.export.progress import Tick
from reader.export.records import ExportData
from reader.export.sources import Corpus
from reader.store import Store

#: From this many annotations on, a terminal gets a progress bar.
PROGRESS_FROM = 5000


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Export annotations (to standard output unless -o is given)."
    )
    parser.add_argument("--format", "-f", required=True, choices=list(FORMATS))
    parser.add_argument(
        "--theme", nargs="+", action="extend", default=[], metavar="KEY",
        help="only passages with one of these themes",
    )  # fmt: skip
    parser.add_argument(
        "--doc", nargs="+", action="extend", default=[], metavar="PATH",
        help="only these documents (store keys, files or folders of the corpus)",
    )  # fmt: skip
    add_store_options(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument(
        "--excel", action="store_true",
        help="csv only: UTF-8 BOM and formula cells neutralised, for spreadsheets",
    )  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    if args.excel and args.format != "csv":
        raise UsageError("--excel applies only to --format csv")
    if args.force and args.output is None:
        raise UsageError("--force goes with -o FILE")
    if args.output is not None:
        check_target(args.output, args.force)  # fail before loading the store
    corpus = open_corpus(args.corpus)
    # What the store loads lives until the export is written, so the collector need
    # not walk it, then or later (with 100,000 annotations it did so for 0.4–0.6 s, a
    # fifth of the export). Cycles made after loading are still collected; a caller in
    # the same process (the tests) gets its collector back as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        store = open_store(args.store, must_exist=True, read_only=True)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    try:
        return _run(args, store, corpus)
    finally:
        gc.unfreeze()


def _run(args: argparse.Namespace, store: Store, corpus: Corpus) -> int:
    data = gather_and_warn(store, corpus, args.theme, args.doc)
    to_terminal = args.output is None and sys.stdout.isatty()
    show_bar = len(data.annotations) >= PROGRESS_FROM and sys.stderr.isatty() and not to_terminal
    if args.output is None:
        _export(args, data, terminal_safe(sys.stdout) if to_terminal else sys.stdout, show_bar)
        sys.stdout.flush()
    else:
        write_file(args.output, lambda out: _export(args, data, out, show_bar), force=args.force)
    return 0


def _export(args: argparse.Namespace, data: ExportData, out: TextIO, show_bar: bool) -> None:
    if not show_bar:
        write(args.format, data, out, excel=args.excel)
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"export {args.format}", total=len(data.annotations))
        tick: Tick = lambda n: progress.advance(task, n)  # noqa: E731
        write(args.format, data, out, tick=tick, excel=args.excel)
