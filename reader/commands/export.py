"""``reader export``: write the store's annotations in any format of :data:`reader.export.FORMATS`.

    reader export --format FORMAT [--theme KEY…] [--doc PATH…] [--by NAME…] [--store DIR]
                  [--corpus PATH…] [-o FILE] [--force] [--no-excel]

Standard output unless ``-o`` is given (``qdpx`` and ``brat`` need it: a zip
and a folder); ``-o`` refuses to overwrite without ``--force`` and writes
atomically (a temporary file or folder, then a rename), so a failed export
never leaves half a file. Passages a format cannot carry (orphaned ones in the
formats that ship the text) are reported on stderr, one line per reason.
Large exports show a Rich progress bar on stderr when it is a terminal (and
the data is not going to it). A big ``jsonl`` or ``csv`` export uses every core: helper
processes prepare the documents ahead of the one being written (``reader.export.ahead``).
The store is opened read-only: exporting never changes it. ``csv`` is written for
spreadsheets unless ``--no-excel`` is given: a UTF-8 BOM (so Excel reads the Arabic) and
cells that would start a formula kept as text (CSV injection).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from reader.commands._store_args import (
    add_by_option,
    add_store_options,
    gathered,
    open_corpus,
    open_store,
    warn,
)
from reader.errors import UsageError
from reader.export import FORMATS, KINDS, export_to_path, write
from reader.export.ahead import helper_count
from reader.export.output import check_target, terminal_safe
from reader.export.progress import Tick
from reader.export.records import ExportData

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
    add_by_option(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument(
        "--excel", action=argparse.BooleanOptionalAction, default=None,
        help="csv only: a UTF-8 BOM and formula cells kept as text, for spreadsheets "
        "(the default); --no-excel writes plain RFC 4180 CSV",
    )  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    if args.excel is not None and args.format != "csv":
        raise UsageError("--excel and --no-excel apply only to --format csv")
    args.excel = args.format == "csv" and args.excel is not False  # Excel-safe by default
    if args.force and args.output is None:
        raise UsageError("--force goes with -o FILE")
    if args.output is None and args.format in KINDS:
        raise UsageError(f"--format {args.format} writes a {KINDS[args.format]}: give it with -o")
    if args.output is not None:  # fail before loading the store
        if KINDS.get(args.format) == "folder":
            if _taken(args.output) and not args.force:
                raise UsageError("already exists (use --force to overwrite)", args.output)
        else:
            check_target(args.output, args.force)
    corpus = open_corpus(args.corpus, [args.store])
    store = open_store(args.store, must_exist=True, read_only=True, scan=False)
    # Streamed: one document's annotations read, written and dropped at a time (a million
    # are never all held at once); the store's problems are warned of once all were read.
    # A big jsonl or csv export has helper processes do documents ahead, on the other cores.
    helpers = helper_count()
    with gathered(
        store, corpus, args.theme, args.doc, args.by, stream=True, helpers=helpers
    ) as data:
        to_terminal = args.output is None and sys.stdout.isatty()
        # Counting streamed annotations reads them once more: only for a bar that shows.
        show_bar = (
            sys.stderr.isatty() and not to_terminal and len(data.annotations) >= PROGRESS_FROM
        )
        out = terminal_safe(sys.stdout) if to_terminal else sys.stdout
        warnings = _export(args, data, out, show_bar)
        if args.output is None:
            sys.stdout.flush()
    warn(warnings)
    return 0


def _taken(path: Path) -> bool:
    """A file, or a folder that is not empty (an empty one may receive a brat export)."""
    return path.exists() and not (path.is_dir() and not any(path.iterdir()))


def _export(args: argparse.Namespace, data: ExportData, out: TextIO, show_bar: bool) -> list[str]:
    if not show_bar:
        return _write(args, data, out, None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"export {args.format}", total=len(data.annotations))
        tick: Tick = lambda n: progress.advance(task, n)  # noqa: E731
        return _write(args, data, out, tick)


def _write(args: argparse.Namespace, data: ExportData, out: TextIO, tick: Tick | None) -> list[str]:
    if args.output is None:
        return write(args.format, data, out, tick=tick, excel=args.excel)
    return export_to_path(
        args.format, data, args.output, force=args.force, tick=tick, excel=args.excel
    )
