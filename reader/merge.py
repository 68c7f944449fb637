"""Merging stores: union by id, or INCEpTION-style curation (complete agreement, majority vote).

Pure: :func:`merge` takes the pooled annotations (:mod:`reader.pool`) and returns what
the merged store should hold and what happened to every input annotation; the
``reader merge`` command writes the result through the store.

Strategies (``--strategy``):

``union``
    Every annotation of every store, by id; for an id held in several versions the
    newest ``updated`` wins (the older ones are reported as superseded).

``agree`` — INCEpTION's *complete agreement*
    A *position* is one exact span of one document (same text version). A position is
    merged when it is **complete** — every annotator of that document (everyone with an
    annotation in it) has an annotation there — and all of them gave it the same set of
    themes. Otherwise nothing is merged there; the annotations are reported as
    *incomplete* or *disagreement*, to be curated by hand.

``majority`` — INCEpTION's *threshold-based* strategy, top rank only
    The annotators' theme sets at a position are votes. Sets with fewer than
    ``min_votes`` votes are dropped (user threshold; default: a majority of the document's
    annotators); of the rest, a set needs at least ``confidence`` × the votes cast for
    the remaining sets (confidence threshold; default 0) and the most votes. One winner is
    merged; a tie for the most votes is *disputed*; none left is *below threshold*.

As in INCEpTION, an annotator with two annotations on one position ("stacked") is not
merged there. A merged annotation is the curator's (``annotator``): a new record with
the span, the agreed themes, the distinct notes joined, the earliest ``created`` and the
latest ``updated`` of its sources, and an id derived from its sources' ids — so merging
the same stores again gives the same record, not a second one.

Conflicts are reported under every strategy and never dropped: the same span given
different themes by different annotators, and overlapping (not identical) spans of
different annotators. Every input id is accounted for: kept, merged into a curated
record, superseded by a newer version of itself, or left out with its reason.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.store import ORPHANED, Annotation

STRATEGIES = ("union", "agree", "majority")

#: Namespace of the ids of curated records (uuid5 of their sources' ids).
MERGE_NAMESPACE = uuid.UUID("6f1c8d2e-4b7a-5e90-9a3d-2c51f0b7e814")

KEPT, MERGED, SUPERSEDED, LEFT_OUT = "kept", "merged", "superseded", "left out"


@dataclass(frozen=True)
class Fate:
    """What became of one input annotation."""

    ann: Annotation
    fate: str
    """``kept``, ``merged``, ``superseded`` or ``left out``."""
    into: str = ""
    """The id it went into: the curated record (merged) or its newer version (superseded)."""
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = {
            "id": self.ann.id,
            "doc": self.ann.doc,
            "start": self.ann.start,
            "end": self.ann.end,
            "annotator": self.ann.annotator,
            "themes": list(self.ann.themes),
            "fate": self.fate,
        }
        if self.into:
            out["into"] = self.into
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Conflict:
    """Annotations of different annotators that do not agree."""

    kind: str
    """``themes`` (the same span, different themes) or ``overlap`` (spans that overlap)."""
    doc: str
    annotations: tuple[Annotation, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "doc": self.doc,
            "annotations": [
                {
                    "id": a.id,
                    "annotator": a.annotator,
                    "start": a.start,
                    "end": a.end,
                    "themes": list(a.themes),
                }
                for a in self.annotations
            ],
        }


@dataclass
class Merge:
    """The outcome: the records the merged store gets, and every input's fate."""

    strategy: str
    result: list[Annotation] = field(default_factory=list)
    fates: list[Fate] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def count(self, fate: str) -> int:
        return sum(1 for f in self.fates if f.fate == fate)


def _position(ann: Annotation) -> tuple[str, str, int, int]:
    return (ann.doc, ann.doc_sha256, ann.start, ann.end)


def conflicts(annotations: Sequence[Annotation]) -> list[Conflict]:
    """Same span with different themes, and overlapping spans, between annotators."""
    found: list[Conflict] = []
    by_position: dict[tuple[str, str, int, int], list[Annotation]] = defaultdict(list)
    by_doc: dict[str, list[Annotation]] = defaultdict(list)
    for ann in annotations:
        if ann.status == ORPHANED:
            continue
        by_position[_position(ann)].append(ann)
        by_doc[ann.doc].append(ann)
    for (doc, _sha, _s, _e), anns in sorted(by_position.items()):
        if len({a.annotator for a in anns}) > 1 and len({frozenset(a.themes) for a in anns}) > 1:
            found.append(Conflict("themes", doc, tuple(anns)))
    for doc, anns in sorted(by_doc.items()):
        ordered = sorted(anns, key=lambda a: (a.start, a.end, a.id))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.start >= a.end:
                    break  # sorted by start: nothing later reaches back into a
                if (
                    a.annotator != b.annotator
                    and (a.start, a.end) != (b.start, b.end)
                    and a.doc_sha256 == b.doc_sha256
                ):
                    found.append(Conflict("overlap", doc, (a, b)))
    return found


def curated_id(sources: Sequence[Annotation]) -> str:
    """The id of the curated record made from ``sources``: the same sources, the same id."""
    return str(uuid.uuid5(MERGE_NAMESPACE, " ".join(sorted(a.id for a in sources))))


def curated(sources: Sequence[Annotation], themes: Sequence[str], curator: str) -> Annotation:
    """The curator's record of a position the sources agree on (deterministic)."""
    first = min(sources, key=lambda a: (a.created, a.id))
    notes = list(dict.fromkeys(a.note for a in sources if a.note))
    return first.copy(
        id=curated_id(sources),
        themes=list(themes),
        note="\n".join(notes),
        annotator=curator,
        created=min(a.created for a in sources),
        updated=max(a.updated for a in sources),
        edits=[],
        extra={},
    )


def _vote(
    votes: dict[str, Annotation], voters: int, strategy: str, min_votes: int, confidence: float
) -> tuple[list[str] | None, str]:
    """The winning theme list at a position, or None and why nothing is merged."""
    configs = Counter(frozenset(a.themes) for a in votes.values())
    if strategy == "agree":
        if len(votes) < voters:
            return None, "incomplete: not every annotator of the document tagged this span"
        if len(configs) > 1:
            return None, "disagreement: the annotators gave this span different themes"
        winner = next(iter(configs))
    else:
        kept = {c: n for c, n in configs.items() if n >= min_votes}
        if not kept:
            return None, f"below threshold: no set of themes has {min_votes} votes"
        cast = sum(kept.values())
        top = max(kept.values())
        best = [c for c, n in kept.items() if n == top and n >= confidence * cast]
        if not best:
            return None, f"below threshold: under {confidence:g} of the votes"
        if len(best) > 1:
            return None, "disputed: a tie between sets of themes"
        winner = best[0]
    order = next(a.themes for a in votes.values() if frozenset(a.themes) == winner)
    return list(order), ""


def merge(
    annotations: Sequence[Annotation],
    superseded: Sequence[tuple[Annotation, Annotation]] = (),
    *,
    strategy: str = "union",
    curator: str = "curator",
    min_votes: int | None = None,
    confidence: float = 0.0,
) -> Merge:
    """Merge pooled ``annotations`` (one version per id) by ``strategy``.

    Args:
        superseded: (older version, kept version) pairs, reported as superseded.
        curator: the annotator of curated records (``agree`` and ``majority``).
        min_votes: ``majority``'s user threshold (default: over half the annotators
            of the document).
        confidence: ``majority``'s confidence threshold, 0–1.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    out = Merge(strategy)
    out.fates.extend(Fate(old, SUPERSEDED, new.id, "an older version") for old, new in superseded)
    out.conflicts = conflicts(annotations)
    if strategy == "union":
        out.result = list(annotations)
        out.fates.extend(Fate(a, KEPT) for a in annotations)
        return out
    annotators_of: dict[str, set[str]] = defaultdict(set)
    positions: dict[tuple[str, str, int, int], list[Annotation]] = defaultdict(list)
    for ann in annotations:
        if ann.status == ORPHANED:
            out.fates.append(Fate(ann, LEFT_OUT, reason="orphaned: its text is gone"))
            continue
        annotators_of[ann.doc].add(ann.annotator)
        positions[_position(ann)].append(ann)
    for key in sorted(positions):
        anns = positions[key]
        votes: dict[str, Annotation] = {}
        stacked = False
        for ann in anns:
            stacked = stacked or ann.annotator in votes
            votes[ann.annotator] = ann
        voters = len(annotators_of[key[0]])
        if stacked:
            themes, why = None, "stacked: an annotator has two annotations on this span"
        else:
            needed = min_votes if min_votes is not None else voters // 2 + 1
            themes, why = _vote(votes, voters, strategy, needed, confidence)
        if themes is None:
            out.fates.extend(Fate(a, LEFT_OUT, reason=why) for a in anns)
            continue
        record = curated(anns, themes, curator)
        out.result.append(record)
        out.fates.extend(Fate(a, MERGED, record.id) for a in anns)
    return out
