"""Collecting what an export or the statistics show: annotations, themes, documents.

Shared by ``reader export``, ``reader stats`` and the app's dialogs, so that all
of them select the same passages the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.errors import UsageError
from reader.export.records import ExportData, select
from reader.export.sources import Corpus
from reader.store import Store


def gather(
    store: Store,
    corpus: Corpus,
    themes: Sequence[str] = (),
    docs: Sequence[str] = (),
    annotators: Sequence[str] = (),
) -> ExportData:
    """The store's annotations, filtered by theme keys, ``--doc`` arguments and annotators
    (``--by``: whose annotations; ``--annotator`` always means who *you* are).

    Every document found in the corpus is synced first (:meth:`Store.sync`), so
    passages of an edited document are exported where they are now (or as
    orphaned); on a read-only store this happens in memory only.

    Raises:
        UsageError: a theme key neither in the theme set nor used by any
            annotation, a ``--doc`` that names no document, or an annotator who
            made no annotation in the store.
    """
    first = list(store.all_annotations())
    if annotators:
        names = {ann.annotator for ann in first}
        for name in annotators:
            if name not in names:
                known = ", ".join(sorted(names)) or "none"
                raise UsageError(f"--by: no annotation by {name!r:.40} (annotators: {known})")
    unknown = [key for key in themes if key not in store.themes]
    if unknown:  # a key only the records use is fine: look at them only then
        used = {key for ann in first for key in ann.themes}
        for key in unknown:
            if key not in used:
                known = ", ".join(store.themes.keys())
                raise UsageError(f"unknown theme {key!r:.40} (known: {known})")
    held = {ann.doc for ann in first}
    wanted = corpus.doc_keys(docs, held) if docs else set()
    documents = corpus.load(wanted or held)
    for doc in documents.values():
        if doc.rel in held:
            store.sync(doc)
    chosen = select(store.all_annotations(), themes, wanted, annotators)
    return ExportData(chosen, store.themes, documents)
