"""``reader suggest``: list the sentences the theme lexicons (and what was learned) suggest.

    reader suggest PATH… [--theme KEY] [--format text|jsonl] [--store DIR]
                         [--explain] [--no-learn] [--width N] [--bidi app|terminal]

Terms come from the store's theme file (``<store>/themes.toml``), or the
shipped defaults (:data:`reader.lexicon.DEFAULT_TERMS`), matched with the lemma
dictionary. Sentences rejected in the store (``<store>/suggestions.json``) are
left out, and the store's learned model (:mod:`reader.learn`) scores every
sentence — reused from ``<store>/.suggest-model.json`` when it is current,
else trained in memory (this command writes nothing). ``jsonl`` prints one
object per suggestion (doc, start, end, themes, score, scores, terms, quote,
and with ``--explain`` the parts of each score); ``text`` draws each sentence
right-to-left through the layout engine. Every document is read before anything
is printed, so a bad path is one error line and no partial listing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from reader.commands._store_args import warn
from reader.corpus import Document, collect
from reader.errors import DocumentError, UsageError
from reader.export.records import json_safe
from reader.lemmas import load as load_lemmas
from reader.rejections import Rejections
from reader.suggest import Evidence, Lexicon, Suggestion, suggest_document

#: Fallback when stdout is not a terminal and no --width is given.
DEFAULT_WIDTH = 100


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="List sentences whose words match a theme's lexicon (suggested tags).",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument("--theme", action="append", metavar="KEY", help="only this theme")
    parser.add_argument("--format", choices=("text", "jsonl"), default="text")
    parser.add_argument("--store", type=Path, default=Path("annotations"), help="store folder")
    parser.add_argument("--width", type=int, default=None, help="columns for --format text")
    parser.add_argument("--bidi", choices=("app", "terminal"), default="app",
                        help="app: print visual order; terminal: logical order")  # fmt: skip
    parser.add_argument("--explain", action="store_true",
                        help="show the parts of each score: lexicon, model, features")  # fmt: skip
    parser.add_argument("--no-learn", action="store_true",
                        help="the lexicon alone: no learned model")  # fmt: skip
    return parser


def load_terms(store: Path) -> dict[str, tuple[str, ...]]:
    """Theme key → terms, from the store's theme file or the defaults."""
    from reader.store.themes import load_themes

    return {theme.key: theme.terms for theme in load_themes(store)}


def read_all(paths: Iterable[Path]) -> list[Document]:
    """Every document under ``paths``; the first unreadable one is the error."""
    paths = list(paths)
    entries, problems = collect(paths)
    if problems:
        raise DocumentError(problems[0].reason, problems[0].path)
    if not entries:
        raise UsageError(f"no documents found in {', '.join(map(str, paths))}")
    return [entry.load() for entry in entries]


def run(args: argparse.Namespace) -> int:
    terms = load_terms(args.store)
    wanted: list[str] = args.theme or list(terms)
    for key in wanted:
        if key not in terms:
            raise UsageError(f"unknown theme {key!r} (themes: {', '.join(terms)})")
    if args.width is not None and args.width < 20:
        raise UsageError("--width must be at least 20")
    documents = read_all(args.paths)
    lexicon = Lexicon(terms, lemmas=load_lemmas())
    rejections = Rejections(args.store, read_only=True)
    if rejections.problem:
        warn([rejections.problem])
    model = None
    if not args.no_learn:
        from reader.learn_store import learned_model

        model = learned_model(args.store, lexicon, documents)
    found = [
        (doc, s)
        for doc in documents
        for s in suggest_document(
            doc, lexicon, wanted, model if model and model.classifiers else None
        )
        if not rejections.is_rejected(doc, s.start, s.end)
    ]
    if args.format == "jsonl":
        write_jsonl(found, sys.stdout, args.explain)
    else:
        width = args.width or (
            shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
            if sys.stdout.isatty()
            else DEFAULT_WIDTH
        )
        write_text(found, sys.stdout, width, args.bidi, args.explain)
    return 0


def write_jsonl(
    found: list[tuple[Document, Suggestion]], out: TextIO, explain: bool = False
) -> None:
    for doc, suggestion in found:
        record = suggestion.to_json(doc.text[suggestion.start : suggestion.end], explain=explain)
        # C1 and bidi controls of the text stay raw under ensure_ascii=False: escape them.
        out.write(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")


def write_text(
    found: list[tuple[Document, Suggestion]],
    out: TextIO,
    width: int,
    bidi: str,
    explain: bool = False,
) -> None:
    """Per suggestion: where it is, a line per theme with its terms, then the sentence.

    Terms and sentence go through the layout engine (visual order in ``app``
    mode); the sentence is wrapped, not cut, and indented under its header.
    With ``explain``, a line per theme says what its score is made of.
    """
    from reader.layout import BidiMode, layout_line, layout_paragraph

    mode = BidiMode(bidi)
    for doc, s in found:
        out.write(f"{doc.rel}:{s.start}-{s.end}  score {s.score:.2f}  {', '.join(s.themes)}\n")
        for key in s.themes:
            line = f"{key} {s.scores[key]:.2f}: {'، '.join(s.terms[key]) or '(no term)'}"
            out.write("  " + layout_line(line, width - 2, mode).text().rstrip() + "\n")
            if explain and key in s.evidence:
                line = "    " + explanation(s.evidence[key])
                out.write("  " + layout_line(line, width - 2, mode).text().rstrip() + "\n")
        for visual in layout_paragraph(doc.text[s.start : s.end], width - 4, mode):
            out.write(("    " + visual.text()).rstrip() + "\n")
        out.write("\n")
    count = len(found)
    out.write(f"{count} suggestion{'s' if count != 1 else ''}\n")


def explanation(evidence: Evidence) -> str:
    """``lexicon 0.85 · model 0.93 · features صارو، سلح`` (the parts of one theme's score)."""
    parts = [f"lexicon {evidence.lexicon:.2f}"]
    if evidence.model is not None:
        parts.append(f"model {evidence.model:.2f}")
    if evidence.features:
        parts.append("features " + "، ".join(evidence.features))
    return " · ".join(parts)
