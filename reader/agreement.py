"""Agreement between annotators who coded the same documents: per theme, overall, per document.

Pure data (no terminal code): :func:`compute` builds an :class:`Agreement` that
``reader agree`` prints as text or JSON and the app's agreement screen draws.

What is compared — only documents that **every** annotator coded (tagged at least one
passage in), whose text is found; orphaned annotations (their text is gone) are left out.

- **Units for α, κ and α-MASI are sentences** (:func:`reader.corpus.split_sentences`). An
  annotator gives a sentence theme K when one of their annotations with K shares at
  least one character with it. Per theme the value is K or not-K; overall it is the set
  of themes the sentence got (a nominal category for α and κ; a set for α-MASI, where
  {arms} against {arms, troops} is a partial disagreement).
- **Span F1** compares the annotations themselves: exact (same start and end and theme)
  or overlapping (a span of the same theme shares a character). With more than two
  annotators it is the mean over pairs; overall it pools the themes.
- **u-α** (:mod:`reader.agreement_unitizing`) takes each theme's annotations as units on
  the characters of the documents, laid end to end; overall it combines the themes.
- **Cohen's κ** needs exactly two annotators (None otherwise).

Every coefficient is None where it is undefined (nothing varies, or no data).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from reader.agreement_measures import (
    Interval,
    SpanMatch,
    cohen_kappa,
    masi_alpha,
    mean,
    nominal_alpha,
)
from reader.agreement_unitizing import Unitizing, alpha_u, unitizing
from reader.corpus import Document
from reader.errors import UsageError
from reader.store import ORPHANED, Annotation

#: The measures, in the order reports show them (keys of the JSON objects).
MEASURES: tuple[str, ...] = ("alpha", "kappa", "alpha_masi", "f1_exact", "f1_overlap", "alpha_u")

#: Column headings of the measures in text reports.
HEADINGS: dict[str, str] = {
    "alpha": "α",
    "kappa": "κ",
    "alpha_masi": "α MASI",
    "f1_exact": "F1 exact",
    "f1_overlap": "F1 overlap",
    "alpha_u": "u-α",
}


@dataclass(frozen=True)
class Measures:
    """The coefficients of one theme (or all themes) over some documents."""

    alpha: float | None = None
    kappa: float | None = None
    alpha_masi: float | None = None
    f1_exact: float | None = None
    f1_overlap: float | None = None
    alpha_u: float | None = None
    units: int = 0
    """Sentences compared (the units of α, κ and α-MASI)."""

    def value(self, name: str) -> float | None:
        result: float | None = getattr(self, name)
        return result

    def as_dict(self) -> dict[str, Any]:
        return {**{name: self.value(name) for name in MEASURES}, "units": self.units}


@dataclass(frozen=True)
class Disagreement:
    """A sentence the annotators gave different themes."""

    doc: str
    start: int
    end: int
    text: str
    values: dict[str, tuple[str, ...]]
    """Annotator → the themes they gave it (theme order; empty: none)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "values": {name: list(keys) for name, keys in self.values.items()},
        }


@dataclass
class DocumentAgreement:
    """The figures of one document."""

    doc: str
    title: str
    length: int
    themes: dict[str, Measures]
    overall: Measures
    disagreements: list[Disagreement]

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "title": self.title,
            "characters": self.length,
            "themes": {key: m.as_dict() for key, m in self.themes.items()},
            "overall": self.overall.as_dict(),
            "disagreements": [d.as_dict() for d in self.disagreements],
        }


@dataclass
class Agreement:
    """Agreement of :attr:`annotators` on the documents they all coded."""

    annotators: list[str]
    themes: dict[str, Measures]
    overall: Measures
    documents: list[DocumentAgreement]
    left_out: list[str] = field(default_factory=list)
    """One line per document not compared, saying why."""
    orphaned: int = 0
    """Annotations left out because their text is no longer in the document."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON report: ``{"themes": …, "overall": …, "documents": […], …}``."""
        return {
            "themes": {key: m.as_dict() for key, m in self.themes.items()},
            "overall": self.overall.as_dict(),
            "documents": [d.as_dict() for d in self.documents],
            "annotators": list(self.annotators),
            "left_out": list(self.left_out),
            "orphaned": self.orphaned,
        }


@dataclass
class _Coded:
    """One document as the annotators coded it."""

    doc: Document
    sentences: list[Interval]
    values: list[list[frozenset[str]]]
    """Per annotator, per sentence: the themes given to it."""
    spans: list[list[tuple[str, int, int]]]
    """Per annotator: (theme, start, end) of each annotation, one per theme it carries."""


def _code(doc: Document, per_annotator: Sequence[Sequence[Annotation]]) -> _Coded:
    sentences = [(s.start, s.end) for s in doc.all_sentences()]
    ends = [end for _, end in sentences]
    values: list[list[frozenset[str]]] = []
    spans: list[list[tuple[str, int, int]]] = []
    for coder_annotations in per_annotator:
        given: list[set[str]] = [set() for _ in sentences]
        mine: list[tuple[str, int, int]] = []
        for ann in coder_annotations:
            # The first sentence ending after the annotation's start, then on while they meet.
            k = bisect.bisect_right(ends, ann.start)
            while k < len(sentences) and sentences[k][0] < ann.end:
                given[k].update(ann.themes)
                k += 1
            mine.extend((key, ann.start, ann.end) for key in dict.fromkeys(ann.themes))
        values.append([frozenset(g) for g in given])
        spans.append(mine)
    return _Coded(doc, sentences, values, spans)


def _theme_spans(coded: Sequence[_Coded], coder: int, key: str) -> list[list[Interval]]:
    """Per document: the spans annotator ``coder`` gave theme ``key``."""
    return [[(s, e) for k, s, e in c.spans[coder] if k == key] for c in coded]


def _unitizing(coded: Sequence[_Coded], n: int, key: str) -> Unitizing | None:
    """u-α data of one theme: the documents laid end to end as one continuum."""
    total = sum(len(c.doc.text) for c in coded)
    if total == 0:
        return None
    units: list[list[Interval]] = [[] for _ in range(n)]
    offset = 0
    for c in coded:
        for coder in range(n):
            units[coder].extend((offset + s, offset + e) for k, s, e in c.spans[coder] if k == key)
        offset += len(c.doc.text)
    return unitizing(units, 0, total)


def _span_matches(coded: Sequence[_Coded], n: int, key: str, *, exact: bool) -> list[SpanMatch]:
    """One :class:`SpanMatch` per pair of annotators, summed over the documents."""
    per_coder = [_theme_spans(coded, coder, key) for coder in range(n)]
    matches = []
    for a, b in combinations(range(n), 2):
        total = SpanMatch()
        for doc_a, doc_b in zip(per_coder[a], per_coder[b], strict=True):
            total = total + SpanMatch.of(doc_a, doc_b, exact=exact)
        matches.append(total)
    return matches


def _measures(
    coded: Sequence[_Coded], n: int, keys: Sequence[str], *, masi_per_theme: bool = True
) -> tuple[dict[str, Measures], Measures]:
    """The figures over ``coded``. Per theme a sentence's set is {K} or {}, and the MASI
    distance between those is the nominal one: α-MASI per theme *is* α. It is computed
    through nltk for the corpus (``masi_per_theme``, and tested equal there); per
    document, where nltk would cost a call per theme and document, α is reused."""
    rows = [[v for c in coded for v in c.values[coder]] for coder in range(n)]
    units = len(rows[0]) if rows else 0
    themes: dict[str, Measures] = {}
    exact_all: list[SpanMatch] = []
    overlap_all: list[SpanMatch] = []
    unitized: list[Unitizing] = []
    for key in keys:
        binary = [[key in v for v in row] for row in rows]
        exact = _span_matches(coded, n, key, exact=True)
        overlap = _span_matches(coded, n, key, exact=False)
        exact_all = [a + b for a, b in zip(exact_all, exact, strict=True)] if exact_all else exact
        overlap_all = (
            [a + b for a, b in zip(overlap_all, overlap, strict=True)] if overlap_all else overlap
        )
        u = _unitizing(coded, n, key)
        if u is not None:
            unitized.append(u)
        only = frozenset({key})
        alpha = nominal_alpha(binary)
        themes[key] = Measures(
            alpha=alpha,
            kappa=cohen_kappa(binary[0], binary[1]) if n == 2 else None,
            alpha_masi=(
                masi_alpha([[v & only for v in row] for row in rows]) if masi_per_theme else alpha
            ),
            f1_exact=mean(m.f1 for m in exact),
            f1_overlap=mean(m.f1 for m in overlap),
            alpha_u=u.alpha if u is not None else None,
            units=units,
        )
    chosen = frozenset(keys)
    sets = [[v & chosen for v in row] for row in rows]
    overall = Measures(
        alpha=nominal_alpha(sets),
        kappa=cohen_kappa(sets[0], sets[1]) if n == 2 else None,
        alpha_masi=masi_alpha(sets),
        f1_exact=mean(m.f1 for m in exact_all),
        f1_overlap=mean(m.f1 for m in overlap_all),
        alpha_u=alpha_u(unitized),
        units=units,
    )
    return themes, overall


def _disagreements(coded: _Coded, names: Sequence[str], keys: Sequence[str]) -> list[Disagreement]:
    order = {key: i for i, key in enumerate(keys)}
    chosen = frozenset(keys)
    found = []
    text = coded.doc.text
    for k, (start, end) in enumerate(coded.sentences):
        given = [row[k] & chosen for row in coded.values]
        if len(set(given)) > 1:
            values = {
                name: tuple(sorted(g, key=order.__getitem__))
                for name, g in zip(names, given, strict=True)
            }
            found.append(Disagreement(coded.doc.rel, start, end, text[start:end], values))
    return found


def compute(
    by_annotator: Mapping[str, Iterable[Annotation]],
    documents: Mapping[str, Document],
    keys: Sequence[str],
) -> Agreement:
    """Agreement of the annotators in ``by_annotator`` on theme ``keys``.

    Args:
        by_annotator: each annotator's annotations (at least two annotators).
        documents: the documents' text, by ``rel``; one not here is left out.
        keys: the themes to compare, in the order to report them.

    Raises:
        UsageError: fewer than two annotators.
    """
    names = list(by_annotator)
    if len(names) < 2:
        found = ", ".join(names) or "none"
        raise UsageError(f"agreement needs two annotators or more (found: {found})")
    orphaned = 0
    per_doc: dict[str, list[list[Annotation]]] = {}
    for i, name in enumerate(names):
        for ann in by_annotator[name]:
            if ann.status == ORPHANED:
                orphaned += 1
                continue
            per_doc.setdefault(ann.doc, [[] for _ in names])[i].append(ann)
    coded: list[_Coded] = []
    left_out: list[str] = []
    for rel in sorted(per_doc):
        lists = per_doc[rel]
        missing = [name for name, anns in zip(names, lists, strict=True) if not anns]
        if missing:
            left_out.append(f"{rel}: not coded by {', '.join(missing)}")
        elif rel not in documents:
            left_out.append(f"{rel}: document not found in the corpus")
        else:
            coded.append(_code(documents[rel], lists))
    themes, overall = _measures(coded, len(names), keys)
    report = Agreement(names, themes, overall, [], left_out, orphaned)
    for c in coded:
        doc_themes, doc_overall = _measures([c], len(names), keys, masi_per_theme=False)
        report.documents.append(
            DocumentAgreement(
                c.doc.rel,
                c.doc.title,
                len(c.doc.text),
                doc_themes,
                doc_overall,
                _disagreements(c, names, keys),
            )
        )
    return report


def figure(value: float | None) -> str:
    """A coefficient as reports print it: three decimals, ``—`` when undefined."""
    return "—" if value is None else f"{value:.3f}"
