"""Several stores read as one: every annotation once, by id, the newest version kept.

Shared by ``reader agree`` and ``reader merge``. Each store folder is opened
read-only (nothing is ever written to an input), its documents found in the corpus
and synced in memory (so an annotation of an edited document is compared where its
passage is now, or as orphaned), then the annotations of all stores are pooled by id:
for one id held by several stores, the version with the newest ``updated`` wins and
the others are kept aside as *superseded* (a merge reports them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus import Document
from reader.errors import UsageError
from reader.export.gather import gather
from reader.export.sources import Corpus
from reader.store import Annotation, Store, ThemeSet, default_themes
from reader.store.repo import DOCS_DIR, META_FILE


@dataclass
class Pool:
    """The union of some stores."""

    annotations: list[Annotation]
    """One per id: its newest version (``updated``; on a tie, the first store's)."""
    superseded: Superseded = field(default_factory=list)
    """(older version, the version that won) for each id held in several versions."""
    themes: ThemeSet = field(default_factory=default_themes)
    """The first store's theme set."""
    documents: dict[str, Document] = field(default_factory=dict)
    """The documents found in the corpus, by ``rel``."""
    problems: list[str] = field(default_factory=list)
    """Warnings: damaged store files, documents not found (one line each)."""

    def annotators(self) -> list[str]:
        """Everyone who made an annotation, in order of name."""
        return sorted({ann.annotator for ann in self.annotations})

    def by_annotator(self, names: Sequence[str] = ()) -> dict[str, list[Annotation]]:
        """The annotations of each annotator (of ``names`` only, when given), by name.

        Raises:
            UsageError: a name in ``names`` made no annotation here.
        """
        groups: dict[str, list[Annotation]] = {}
        for ann in self.annotations:
            groups.setdefault(ann.annotator, []).append(ann)
        if not names:
            return dict(sorted(groups.items()))
        unknown = [name for name in names if name not in groups]
        if unknown:
            known = ", ".join(sorted(groups)) or "none"
            raise UsageError(f"no annotation by {unknown[0]!r:.40} (annotators: {known})")
        return {name: groups[name] for name in dict.fromkeys(names)}

    def theme_keys(self, wanted: Sequence[str] = ()) -> list[str]:
        """Theme keys to report: ``wanted``, else the theme set's then any others used.

        Raises:
            UsageError: a wanted key neither in the theme set nor used by an annotation.
        """
        used = dict.fromkeys(key for ann in self.annotations for key in ann.themes)
        known = [*self.themes.keys(), *sorted(k for k in used if k not in self.themes)]
        for key in wanted:
            if key not in known:
                raise UsageError(f"unknown theme {key!r:.40} (known: {', '.join(known)})")
        return list(dict.fromkeys(wanted)) if wanted else known


Superseded = list[tuple[Annotation, Annotation]]


def newest(versions: Iterable[Annotation]) -> tuple[list[Annotation], Superseded]:
    """Each id once: the version with the newest ``updated`` (the first on a tie).

    Returns the kept annotations (in first-seen order) and, for every version that lost,
    ``(lost, kept)``.
    """
    kept: dict[str, Annotation] = {}
    losers: list[Annotation] = []
    for ann in versions:
        held = kept.get(ann.id)
        if held is None:
            kept[ann.id] = ann
        elif ann.updated > held.updated:  # ISO 8601 UTC, one format: text order is time order
            losers.append(held)
            kept[ann.id] = ann
        else:
            losers.append(ann)
    return list(kept.values()), [(lost, kept[lost.id]) for lost in losers]


def read_stores(paths: Sequence[Path], corpus: Corpus) -> Pool:
    """Read every store in ``paths`` (read-only) and pool their annotations.

    Raises:
        UsageError: a path that is not a store folder.
    """
    versions: list[Annotation] = []
    pool = Pool([])
    for index, path in enumerate(paths):
        if not path.is_dir():
            raise UsageError("no store here (not a folder)", path)
        if not (path / META_FILE).exists() and not (path / DOCS_DIR).exists():
            raise UsageError(f"not a store (no {META_FILE} or {DOCS_DIR}/ in it)", path)
        store = Store(path, read_only=True)
        try:
            data = gather(store, corpus)
            problems = store.problems
        finally:
            store.close()
        if index == 0:
            pool.themes = data.themes
        versions.extend(data.annotations)
        pool.documents.update(data.documents)
        pool.problems.extend(problems)
    pool.annotations, pool.superseded = newest(versions)
    return pool
