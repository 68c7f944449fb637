"""Statistics: documents × themes counts, share of each document's characters covered,
totals, and which themes co-occur on the same passages.

Pure data (no terminal code): :func:`compute` builds a :class:`Stats` that the
``reader stats`` command draws with Rich or as plain text (:func:`plain_text`)
and the app's statistics screen draws as a heat map.

A *passage* is a span of a document (start and end): the annotations of several
annotators on the same span are one passage, counted once, with the themes any of
them gave it (two themes co-occur on it when one annotator gave both). Coverage
counts each character once however many passages of a theme cover it
(overlapping passages are merged). Orphaned passages count as tags but cover
nothing: their offsets no longer point into the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from reader.export.grouping import theme_order
from reader.export.records import ExportData
from reader.store import Annotation
from reader.wording import plural

ALL = ""
"""The pseudo-theme key under which a document's figures for all themes together are kept."""


def covered_chars(spans: Iterable[tuple[int, int]]) -> int:
    """How many code points the union of ``[start, end)`` spans covers."""
    total = 0
    reach = -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


@dataclass
class Stats:
    """The figures, keyed by document ``rel`` and theme key (``ALL`` for every theme)."""

    themes: list[str]
    docs: list[str]
    titles: dict[str, str]
    lengths: dict[str, int | None]
    """Characters in each document's text; None when the document was not found."""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    covered: dict[str, dict[str, int]] = field(default_factory=dict)
    theme_docs: dict[str, int] = field(default_factory=dict)
    """How many documents each theme appears in."""
    cooccurrence: dict[tuple[str, str], int] = field(default_factory=dict)
    """(theme a, theme b) in theme order → passages carrying both."""
    total: int = 0
    """Passages: distinct spans, however many annotators tagged each."""
    orphaned: int = 0
    """Passages whose text is no longer in the document."""
    annotations: int = 0
    """Annotations: a passage tagged by two annotators is two annotations."""
    annotators: list[str] = field(default_factory=list)

    def count(self, doc: str, theme: str = ALL) -> int:
        return self.counts.get(doc, {}).get(theme, 0)

    def share(self, doc: str, theme: str = ALL) -> float | None:
        """Share of the document's characters covered (0–1), None without its text."""
        length = self.lengths.get(doc)
        if not length:
            return None
        return self.covered.get(doc, {}).get(theme, 0) / length

    def theme_total(self, theme: str) -> int:
        return sum(self.count(doc, theme) for doc in self.docs)

    def theme_share(self, theme: str = ALL) -> float | None:
        """Share of all found documents' characters this theme covers."""
        known = [doc for doc in self.docs if self.lengths.get(doc)]
        size = sum(self.lengths[doc] or 0 for doc in known)
        if not size:
            return None
        return sum(self.covered.get(doc, {}).get(theme, 0) for doc in known) / size


def compute(data: ExportData) -> Stats:
    """Figures for ``data.annotations`` over the documents they name and those in ``data``."""
    themes = theme_order(data)
    rank = {key: i for i, key in enumerate(themes)}
    docs = sorted({ann.doc for ann in data.annotations} | set(data.documents))
    stats = Stats(
        themes=themes,
        docs=docs,
        titles={doc: data.title(doc) for doc in docs},
        lengths={
            doc: len(data.documents[doc].text) if doc in data.documents else None for doc in docs
        },
    )
    spans: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    passages: dict[tuple[str, int, int, bool], list[Annotation]] = defaultdict(list)
    for ann in data.annotations:
        passages[(ann.doc, ann.start, ann.end, ann.status == "orphaned")].append(ann)
    stats.annotations = len(data.annotations)
    stats.annotators = sorted({ann.annotator for ann in data.annotations})

    def ordered(keys: Iterable[str]) -> list[str]:
        return sorted(set(keys), key=lambda k: rank.get(k, len(rank)))

    for (doc, start, end, orphaned), anns in passages.items():
        keys = ordered(key for ann in anns for key in ann.themes)
        stats.total += 1
        counts[doc][ALL] += 1
        for key in keys:
            counts[doc][key] += 1
        together = {pair for ann in anns for pair in combinations(ordered(ann.themes), 2)}
        for pair in together:
            pairs[pair] += 1
        length = stats.lengths.get(doc)
        if orphaned:
            stats.orphaned += 1
        elif length is not None and end <= length:
            for key in (ALL, *keys):
                spans[doc][key].append((start, end))
    stats.counts = {doc: dict(per) for doc, per in counts.items()}
    stats.covered = {
        doc: {key: covered_chars(s) for key, s in per.items()} for doc, per in spans.items()
    }
    stats.theme_docs = {key: sum(1 for doc in docs if stats.count(doc, key)) for key in themes}
    stats.cooccurrence = dict(sorted(pairs.items(), key=lambda item: (-item[1], item[0])))
    return stats


def passages_line(stats: Stats) -> str:
    """``9 passages in 4 of 5 documents`` (``in 4 documents`` when every one has some)."""
    tagged = sum(1 for doc in stats.docs if stats.count(doc))
    listed = len(stats.docs)
    where = plural(listed, "document") if tagged == listed else f"{tagged} of {listed} documents"
    return f"{plural(stats.total, 'passage')} in {where}"


def annotation_line(stats: Stats) -> str:
    """What the counts count: passages (spans) against annotations (one per annotator)."""
    names = ", ".join(stats.annotators) or "nobody"
    return (
        f"A passage is a span, counted once however many annotators tagged it: "
        f"{plural(stats.annotations, 'annotation')} by {plural(len(stats.annotators), 'annotator')}"
        f" ({names})."
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def plain_text(stats: Stats, labels: dict[str, str] | None = None) -> str:
    """The figures as an aligned plain-text report (for pipes and files)."""
    labels = labels or {}
    names = [labels.get(key, key) for key in stats.themes]
    header = ["document", *names, "all", "covered"]
    rows = [header]
    for doc in stats.docs:
        cells = [f"{stats.count(doc, k)} ({percent(stats.share(doc, k))})" for k in stats.themes]
        rows.append([doc, *cells, str(stats.count(doc)), percent(stats.share(doc))])
    totals = [f"{stats.theme_total(k)} ({percent(stats.theme_share(k))})" for k in stats.themes]
    rows.append(["total", *totals, str(stats.total), percent(stats.theme_share())])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
    out = [
        "Documents × themes: passages (share of the document's characters covered)",
        "",
        *lines,
        "",
    ]
    out.append(f"{passages_line(stats)}; {stats.orphaned} orphaned.")
    out.append(annotation_line(stats))
    out.append("")
    out.append("Themes on the same passages:")
    if not stats.cooccurrence:
        out.append("  none")
    for (a, b), n in stats.cooccurrence.items():
        out.append(f"  {labels.get(a, a)} + {labels.get(b, b)}: {n}")
    return "\n".join(out) + "\n"
