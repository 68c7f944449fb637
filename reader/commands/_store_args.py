"""Options and set-up shared by ``reader export``, ``reader import`` and ``reader stats``.

Each needs a store (``--store``) and the corpus its keys refer to (``--corpus``:
the store knows documents by their path inside the corpus, not where it is).
Problems that do not stop the command (a damaged store file, an unreadable
document) are printed to stderr as warnings, one line each.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from reader.errors import UsageError
from reader.export.gather import gather
from reader.export.records import ExportData, visible
from reader.export.sources import DEFAULT_CORPUS, Corpus, corpus_paths
from reader.store import DEFAULT_STORE_DIR, Store


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", type=Path, default=DEFAULT_STORE_DIR, metavar="DIR",
        help=f"store folder (default: {DEFAULT_STORE_DIR})",
    )  # fmt: skip
    parser.add_argument(
        "--corpus", type=Path, nargs="+", action="extend", metavar="PATH",
        help="folders or files holding the documents (default: the folders the store remembers"
        f" tagging from, else {DEFAULT_CORPUS}/ if present)",
    )  # fmt: skip


def add_by_option(parser: argparse.ArgumentParser) -> None:
    """``--by NAME…``: whose annotations (``--annotator`` says who you are, everywhere)."""
    parser.add_argument(
        "--by", nargs="+", action="extend", default=[], metavar="NAME",
        help="only annotations by these annotators",
    )  # fmt: skip


def open_store(path: Path, *, must_exist: bool, read_only: bool, scan: bool = True) -> Store:
    """The store at ``path``; reading commands refuse a folder that is not there.

    Without ``scan`` no document's files are read yet (a streamed export reads them one
    by one); the temporary files of killed writers are removed either way.
    """
    if must_exist and not path.is_dir():
        raise UsageError("no store here (give the store folder with --store)", path)
    store = Store(path, read_only=read_only, scan=scan)
    if not scan:
        store.remove_stale_temporaries()
    return store


def open_corpus(given: list[Path] | None, stores: Sequence[Path] = ()) -> Corpus:
    """``--corpus``, else the corpus folders the stores remember, else ``seeds/`` here."""
    return Corpus.open(corpus_paths(given, stores), strict=bool(given))


def warn(lines: Iterable[str]) -> None:
    """Print each line as a warning; file names may hold controls, so they are made visible."""
    for line in lines:
        print(f"reader: warning: {visible(' '.join(line.split()))}", file=sys.stderr)


def gather_and_warn(
    store: Store,
    corpus: Corpus,
    themes: Sequence[str],
    docs: Sequence[str],
    annotators: Sequence[str] = (),
) -> ExportData:
    """Read what to export or count, close the store, and warn of its and the corpus's problems."""
    with gathered(store, corpus, themes, docs, annotators) as data:
        return data


@contextlib.contextmanager
def gathered(
    store: Store,
    corpus: Corpus,
    themes: Sequence[str],
    docs: Sequence[str],
    annotators: Sequence[str] = (),
    *,
    stream: bool = False,
    helpers: int = 0,
) -> Iterator[ExportData]:
    """What to export or count, while the store is open (read one document at a time with
    ``stream``, and by up to ``helpers`` helper processes where the writer can use them);
    then the store is closed and its and the corpus's problems are warned of."""
    try:
        yield gather(store, corpus, themes, docs, annotators, stream=stream, helpers=helpers)
        problems = store.problems
    finally:
        store.close()
    warn(problems)
    warn(corpus.problems)
