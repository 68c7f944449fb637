"""``reader stats``: documents × themes — passages, share of characters covered, co-occurrence.

    reader stats [--store DIR] [--corpus PATH…] [--theme KEY…] [--doc PATH…] [--by NAME…]

On a terminal: Rich tables, each cell a count, the share of the document's
characters the theme covers and a bar in the theme's colour; then the totals
and the pairs of themes that share passages. Otherwise (a pipe, a file): the
same figures as aligned plain text. Shares need the document's text; without it
(``--corpus`` not given or the file gone) they show as ``—``.
"""

from __future__ import annotations

import argparse
import sys

from reader.commands._store_args import (
    add_by_option,
    add_store_options,
    gather_and_warn,
    open_corpus,
    open_store,
    warn,
)
from reader.export.gather import with_untagged
from reader.export.html import css_color
from reader.export.records import visible
from reader.export.stats import (
    ALL,
    Stats,
    annotation_line,
    compute,
    passages_line,
    percent,
    plain_text,
)
from reader.store import ThemeSet

BAR_WIDTH = 10


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Documents × themes statistics.")
    add_store_options(parser)
    add_by_option(parser)
    parser.add_argument("--theme", nargs="+", action="extend", default=[], metavar="KEY",
                        help="only passages with one of these themes")  # fmt: skip
    parser.add_argument("--doc", nargs="+", action="extend", default=[], metavar="PATH",
                        help="only these documents")  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args.corpus, [args.store])
    store = open_store(args.store, must_exist=True, read_only=True)
    data = gather_and_warn(store, corpus, args.theme, args.doc, args.by)
    if not args.doc:  # every document of the corpus is listed, those without a tag too
        known = len(corpus.problems)
        data = with_untagged(data, corpus)
        warn(corpus.problems[known:])
    stats = compute(data)
    # Labels come from themes.toml, which may hold \u001b escapes: drawn, never obeyed.
    labels = {theme.key: visible(theme.label_en) for theme in data.themes}
    if sys.stdout.isatty():
        _rich(stats, data.themes, labels)
    else:
        sys.stdout.write(visible(plain_text(stats, labels)))
    return 0


def _bar(share: float | None, color: str) -> str:
    if share is None:
        return " " * BAR_WIDTH
    eighths = round(share * BAR_WIDTH * 8)
    full, part = divmod(min(eighths, BAR_WIDTH * 8), 8)
    text = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return f"[{color}]{text.ljust(BAR_WIDTH)}[/]"


def _name(text: str) -> str:
    """A name as the terminal must show it: visual order, shaped, controls visible."""
    from reader.layout import layout_line

    return layout_line(text, 40).text()


def _rich(stats: Stats, themes: ThemeSet, labels: dict[str, str]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    colors = {k: css_color(t.color) if (t := themes.get(k)) else "#888888" for k in stats.themes}
    table = Table(title="Documents × themes: passages, share of the text covered")
    table.add_column("document")
    for key in stats.themes:
        table.add_column(escape(labels.get(key, key)), style=colors[key])
    table.add_column("all", justify="right")

    def cell(doc: str | None, key: str) -> str:
        count = stats.count(doc, key) if doc else stats.theme_total(key)
        share = stats.share(doc, key) if doc else stats.theme_share(key)
        return f"{count:>4} {percent(share):>6} {_bar(share, colors.get(key, 'white'))}"

    for doc in stats.docs:
        name = escape(_name(doc))
        table.add_row(name, *(cell(doc, k) for k in stats.themes), str(stats.count(doc, ALL)))
    table.add_section()
    table.add_row("total", *(cell(None, k) for k in stats.themes), str(stats.total))
    console = Console()
    console.print(table)
    console.print(
        f"{passages_line(stats)}; {stats.orphaned} orphaned; "
        f"all themes cover {percent(stats.theme_share())} of the documents' text."
    )
    console.print(escape(visible(annotation_line(stats))))
    pairs = Table(title="Themes on the same passages")
    pairs.add_column("themes")
    pairs.add_column("passages", justify="right")
    for (a, b), n in stats.cooccurrence.items():
        pairs.add_row(escape(f"{labels.get(a, a)} + {labels.get(b, b)}"), str(n))
    if not stats.cooccurrence:
        pairs.add_row("none", "0")
    console.print(pairs)
