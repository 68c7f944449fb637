"""``reader merge``: merge stores into one, by id, or curated by agreement or majority vote.

    reader merge STORE… --into DIR [--strategy union|agree|majority] [--min-votes N]
                 [--confidence X] [--annotator NAME] [--format text|json] [--corpus PATH…]

The input stores are only read. ``DIR`` is a new folder or an existing store (which may
be one of the inputs); its records are written a document at a time through the store
(one durable write per document and annotator), and a record already there in the same
or a newer version is left alone — so running the same merge again writes nothing, and
a merge cut short is finished by running it again. ``--annotator`` is who you are: the
curator, recorded on the records ``agree`` and ``majority`` make. The report says what
became of every input annotation and lists the conflicts (see :mod:`reader.merge`); a
record the target refuses (its id another annotator's there) is named on stderr, exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.commands._store_args import open_corpus, warn
from reader.errors import ReaderError, UsageError
from reader.export.output import terminal_safe
from reader.export.records import json_safe, visible
from reader.merge import STRATEGIES, Merge, merge
from reader.merge_report import plain_text
from reader.pool import read_stores
from reader.store import Annotation, Store, default_annotator
from reader.store.repo import DOCS_DIR, META_FILE
from reader.store.storage import atomic_write
from reader.store.themes import THEMES_FILE


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Merge annotation stores into one (the inputs are only read)."
    )
    parser.add_argument("stores", nargs="+", type=Path, metavar="STORE", help="store folders")
    parser.add_argument("--into", type=Path, required=True, metavar="DIR",
                        help="the merged store: a new folder or an existing store")  # fmt: skip
    parser.add_argument("--strategy", choices=STRATEGIES, default="union",
                        help="union (default): everything, by id; agree: spans every annotator "
                        "gave the same themes; majority: the set of themes most voted")  # fmt: skip
    parser.add_argument("--min-votes", type=int, metavar="N",
                        help="majority: votes a set of themes needs (default: over half "
                        "the document's annotators)")  # fmt: skip
    parser.add_argument("--confidence", type=float, default=0.0, metavar="X",
                        help="majority: share of the votes cast the winner needs, 0–1")  # fmt: skip
    parser.add_argument("--annotator", metavar="NAME",
                        help="who you are: the curator of agreed records "
                        "(default: $READER_ANNOTATOR or the login name)")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json"), default="text", help="the report")
    parser.add_argument(
        "--corpus", type=Path, nargs="+", action="extend", metavar="PATH",
        help="folders or files holding the documents, to re-anchor edited ones "
        "(default: the folders the stores remember tagging from, else seeds/ if present)",
    )  # fmt: skip
    return parser


def _check_target(into: Path) -> None:
    if into.exists() and not into.is_dir():
        raise UsageError("--into: not a folder", into)
    if into.is_dir():
        is_store = (into / META_FILE).exists() or (into / DOCS_DIR).exists()
        if not is_store and any(into.iterdir()):
            raise UsageError("--into: a folder that is neither a store nor empty", into)


def _copy_themes(stores: list[Path], into: Path) -> None:
    """Give a new merged store the first input's theme file, so its keys stay known."""
    if (into / THEMES_FILE).exists():
        return
    for store in stores:
        if (store / THEMES_FILE).is_file():
            try:
                into.mkdir(parents=True, exist_ok=True)
                data = (store / THEMES_FILE).read_bytes()
            except OSError as exc:
                raise UsageError(f"cannot copy the theme file: {exc.strerror}", into) from None
            atomic_write(into / THEMES_FILE, data, backup=False)
            return


def write(result: Merge, target: Store) -> tuple[int, int, list[str]]:
    """Put the merged records into ``target``: (written, already there as new or newer,
    why each record that could not be written was refused, one line each).

    One durable write per document and annotator (:meth:`Store.put_many`), not one per
    record."""
    unchanged = 0
    # What the target holds, read once (asking for each id would look in every file).
    before = {held.id: held for held in target.all_annotations()} if result.result else {}
    by_doc: dict[str, list[Annotation]] = {}
    for ann in result.result:
        held = before.get(ann.id)
        if held is not None and held.updated >= ann.updated:
            unchanged += 1
        else:
            by_doc.setdefault(ann.doc, []).append(ann)
    written, refused = 0, []
    for rel in sorted(by_doc):
        anns = by_doc[rel]
        try:
            why = target.put_many(rel, anns)
        except ReaderError as exc:
            why = {ann.id: str(exc) for ann in anns}
        written += len(anns) - len(why)
        refused += [f"{ident}: {reason}; not written" for ident, reason in sorted(why.items())]
    return written, unchanged, refused


def run(args: argparse.Namespace) -> int:
    if args.min_votes is not None and args.min_votes < 1:
        raise UsageError("--min-votes must be 1 or more")
    if not 0.0 <= args.confidence <= 1.0:
        raise UsageError("--confidence must be between 0 and 1")
    if args.strategy != "majority" and (args.min_votes is not None or args.confidence):
        raise UsageError("--min-votes and --confidence go with --strategy majority")
    _check_target(args.into)
    corpus = open_corpus(args.corpus, args.stores)
    pool = read_stores(args.stores, corpus)
    warn(pool.problems)
    warn(corpus.problems)
    curator = args.annotator or default_annotator()
    result = merge(
        pool.annotations,
        pool.superseded,
        strategy=args.strategy,
        curator=curator,
        min_votes=args.min_votes,
        confidence=args.confidence,
    )
    _copy_themes(args.stores, args.into)
    target = Store(args.into, curator)
    try:
        if target.read_only:
            raise UsageError(f"cannot write the merged store: {'; '.join(target.problems)}")
        written, unchanged, refused = write(result, target)
        problems = target.problems
    finally:
        target.close()
    warn(problems)
    warn(f"{visible(str(args.into))}: {line}" for line in refused)
    tty = sys.stdout.isatty()
    out = terminal_safe(sys.stdout) if tty else sys.stdout
    if args.format == "json":
        report = {
            "strategy": result.strategy,
            "into": str(args.into),
            "written": written,
            "unchanged": unchanged,
            "annotations": [f.as_dict() for f in result.fates],
            "conflicts": [c.as_dict() for c in result.conflicts],
        }
        out.write(json_safe(json.dumps(report, ensure_ascii=False, indent=1)) + "\n")
    else:
        out.write(plain_text(result, str(args.into), written, unchanged))
    out.flush()
    return 1 if refused else 0
