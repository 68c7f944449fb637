"""``reader agree``: how far annotators agree, per theme and overall, on what they all coded.

    reader agree STORE [STORE…] [--by NAME…] [--theme KEY…] [--format text|json]
                 [--corpus PATH…]

The stores are read-only and pooled by annotation id (the newest version of an id
wins), so two people's stores, or one shared folder holding both, give the same
figures. The annotators compared are everyone who made an annotation there, or
those named by ``--by`` (at least two). ``--annotator`` is not used here: it says
who *you* are, in every command; ``--by`` says whose work to look at.
See :mod:`reader.agreement` for what each figure counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.agreement import compute
from reader.agreement_report import plain_text
from reader.commands._store_args import open_corpus, warn
from reader.export.output import terminal_safe
from reader.export.records import json_safe, visible
from reader.pool import read_stores


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Agreement between annotators on the documents they all coded: "
        "Krippendorff's α, Cohen's κ, α with MASI, span F1, unitizing α.",
    )
    parser.add_argument("stores", nargs="+", type=Path, metavar="STORE",
                        help="store folders (a shared one holds several annotators)")  # fmt: skip
    parser.add_argument("--by", nargs="+", action="extend", default=[], metavar="NAME",
                        help="only these annotators (default: everyone in the stores)")  # fmt: skip
    parser.add_argument("--theme", nargs="+", action="extend", default=[], metavar="KEY",
                        help="only these themes")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--corpus", type=Path, nargs="+", action="extend", metavar="PATH",
        help="folders or files holding the documents (default: the folders the stores"
        " remember tagging from, else seeds/ if present)",
    )  # fmt: skip
    return parser


def _terminal_name(text: str, width: int) -> str:
    """A name or quote as a terminal must show it: visual order, shaped, controls visible."""
    from reader.layout import layout_line

    return layout_line(" ".join(text.split()), width).text()


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args.corpus, args.stores)
    pool = read_stores(args.stores, corpus)
    warn(pool.problems)
    warn(corpus.problems)
    keys = pool.theme_keys(args.theme)
    report = compute(pool.by_annotator(args.by), pool.documents, keys)
    tty = sys.stdout.isatty()
    out = terminal_safe(sys.stdout) if tty else sys.stdout
    if args.format == "json":
        out.write(json_safe(json.dumps(report.as_dict(), ensure_ascii=False, indent=1)) + "\n")
    else:
        labels = {t.key: visible(t.label_en) for t in pool.themes}
        if tty:
            out.write(plain_text(report, labels, _terminal_name))
        else:
            out.write(plain_text(report, labels))
    out.flush()
    return 0
