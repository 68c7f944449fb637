"""Grouping shared by the human-readable reports (md, html) and the statistics.

Themes are reported in the theme set's order, then any unknown keys found in the
annotations (kept and shown, never dropped); documents in path order.
"""

from __future__ import annotations

from collections import defaultdict

from reader.export.records import ExportData
from reader.store import Annotation


def theme_order(data: ExportData) -> list[str]:
    """The theme set's keys, then unknown keys used by the annotations, sorted."""
    known = data.themes.keys()
    used = {key for ann in data.annotations for key in ann.themes}
    return known + sorted(used - set(known))


def by_theme_then_doc(data: ExportData) -> dict[str, dict[str, list[Annotation]]]:
    """theme key → document → its passages in reading order (themes without any omitted)."""
    grouped: dict[str, dict[str, list[Annotation]]] = defaultdict(lambda: defaultdict(list))
    for ann in sorted(data.annotations, key=lambda a: (a.doc, a.start, a.end, a.id)):
        for key in ann.themes:
            grouped[key][ann.doc].append(ann)
    return {key: dict(grouped[key]) for key in theme_order(data) if key in grouped}


def by_doc(data: ExportData) -> dict[str, list[Annotation]]:
    """document → its passages in reading order, documents sorted."""
    grouped: dict[str, list[Annotation]] = defaultdict(list)
    for ann in data.annotations:
        grouped[ann.doc].append(ann)
    return {
        doc: sorted(anns, key=lambda a: (a.start, a.end, a.id))
        for doc, anns in sorted(grouped.items())
    }
