"""Annotation records as exports carry them: field order, conversion, checks, selection.

An *export record* is the store's own record (:func:`reader.store.model.to_record`):
every field of :class:`reader.store.Annotation` in the contract's order, then any
fields a newer program added. The ``json`` and ``jsonl`` writers emit these; the
importers turn them back with the store's own checks, rejecting a record with a
one-line reason rather than guessing.

Also here: :func:`visible`, which draws control characters as visible
placeholders one for one (so offsets never shift), used by every export a
person reads (md, html, csv ``--excel``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from reader.corpus import Document
from reader.layout.sanitize import PLACEHOLDERS
from reader.store import Annotation, Theme, ThemeSet
from reader.store.docfile import gc_paused
from reader.store.model import FIELDS, from_record, to_record

__all__ = [
    "FIELDS",
    "ExportData",
    "RecordError",
    "from_record",
    "json_safe",
    "select",
    "to_record",
    "visible",
]

#: The ``format`` marker of a full ``json`` export, checked on import.
JSON_FORMAT = "reader-annotations"
JSON_VERSION = 1

#: What :func:`from_record` raises for a record that cannot become an annotation.
RecordError = ValueError


def fast_record(ann: Annotation) -> dict[str, Any]:
    """:func:`to_record` without its generic attribute loop: the jsonl/json hot path.

    Falls back to :func:`to_record` for a record carrying fields of a newer program.
    """
    if ann.extra or ann.edits:
        return to_record(ann)
    return {
        "id": ann.id, "doc": ann.doc, "doc_sha256": ann.doc_sha256, "start": ann.start,
        "end": ann.end, "quote": ann.quote, "prefix": ann.prefix, "suffix": ann.suffix,
        "themes": list(ann.themes), "note": ann.note, "annotator": ann.annotator,
        "created": ann.created, "updated": ann.updated, "status": ann.status,
    }  # fmt: skip


def theme_record(theme: Theme) -> dict[str, Any]:
    """A theme as the ``json`` export lists it."""
    return {
        "key": theme.key,
        "label_en": theme.label_en,
        "label_ar": theme.label_ar,
        "color": theme.color,
        "digit": theme.digit,
        "terms": list(theme.terms),
    }


#: Exports list annotations by document, then reading order, then id: stable output.
#: (``ann -> (doc, start, end, id)``, in C: 100,000 keys in a few milliseconds.)
sort_key: Callable[[Annotation], tuple[str, int, int, str]] = attrgetter(
    "doc", "start", "end", "id"
)


@dataclass
class ExportData:
    """What a writer needs: the chosen annotations, the theme set, and the documents' text.

    ``documents`` maps a document's ``rel`` to its :class:`Document`; a document
    that could not be found is simply absent (writers then fall back to the
    stored quote and the path).
    """

    annotations: Sequence[Annotation]
    """In export order; a list, or read from the store as iterated (``gather(stream=True)``)."""
    themes: ThemeSet
    documents: dict[str, Document] = field(default_factory=dict)

    def title(self, rel: str) -> str:
        doc = self.documents.get(rel)
        return doc.title if doc is not None else rel

    def theme_label(self, key: str) -> str:
        theme = self.themes.get(key)
        return theme.label_en if theme is not None else key


def select(
    annotations: Iterable[Annotation],
    themes: Iterable[str] = (),
    docs: Iterable[str] = (),
    annotators: Iterable[str] = (),
) -> list[Annotation]:
    """Annotations carrying any of ``themes``, lying in any of ``docs`` and made by any of
    ``annotators``, sorted. An empty filter lets everything through.
    """
    want_themes = set(themes)
    want_docs = set(docs)
    want_annotators = set(annotators)
    if want_annotators:
        annotations = [ann for ann in annotations if ann.annotator in want_annotators]
    if want_docs:
        annotations = [ann for ann in annotations if ann.doc in want_docs]
    if want_themes:
        annotations = [ann for ann in annotations if not want_themes.isdisjoint(ann.themes)]
    chosen = list(annotations)
    with gc_paused():  # the 100,000 key tuples are freed at once: nothing to collect
        chosen.sort(key=sort_key)
    return chosen


# --- control characters -------------------------------------------------------

# JSON may carry these raw inside strings, but they split lines for some readers
# (U+0085, U+2028, U+2029 in Python's splitlines and old JavaScript) or act on a
# terminal the file is printed to (DEL, C1, bidi overrides). Inside JSON they can
# only be in strings, so writing them as \u escapes changes no value.
# Lone surrogates (a note pasted from a broken source) cannot be written as UTF-8 at all.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# The same characters in UTF-8, a lead byte and what may follow it: 7F; C2 80–9F;
# E2 80 A8–AE; E2 81 A6–A9 (a lone surrogate has none: encoding it fails). UTF-8 never
# makes these sequences out of other characters, and ``bytes.find`` of one byte (memchr)
# skips Arabic text several times faster than the class above is matched character by
# character (an export of 1,000,000 annotations scans ~700 MB): the lead bytes are found,
# then the bytes after each looked at.
_E2_NEXT = {0x80: range(0xA8, 0xAF), 0x81: range(0xA6, 0xAA)}


def has_unsafe(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a character of :data:`_JSON_UNSAFE`."""
    if b"\x7f" in data:
        return True
    end = len(data)
    at = data.find(b"\xc2")
    while 0 <= at < end - 1:
        if 0x80 <= data[at + 1] <= 0x9F:
            return True
        at = data.find(b"\xc2", at + 1)
    at = data.find(b"\xe2")
    while 0 <= at < end - 2:
        follow = _E2_NEXT.get(data[at + 1])
        if follow is not None and data[at + 2] in follow:
            return True
        at = data.find(b"\xe2", at + 1)
    return False


def json_safe(text: str) -> str:
    """Serialised JSON with line-breaking and terminal-controlling characters escaped."""
    try:
        if not has_unsafe(text.encode("utf-8")):  # the usual case: no copy of the text
            return text
    except UnicodeEncodeError:  # a lone surrogate
        pass
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


#: The layout engine's placeholders (the same glyphs as on screen), newlines kept:
#: an export's quote may span paragraphs.
_VISIBLE: dict[int, str] = {cp: glyph for cp, glyph in PLACEHOLDERS.items() if cp != 0x0A}


def _char_class(code_points: Iterable[int]) -> re.Pattern[str]:
    """A regex character class of ``code_points``, as ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(code_points):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )
    return re.compile(f"[{body}]")


_NEEDS_PLACEHOLDER = _char_class(_VISIBLE)


def needs_placeholder(text: str) -> bool:
    """Whether :func:`visible` would change ``text``."""
    return _NEEDS_PLACEHOLDER.search(text) is not None


def visible(text: str) -> str:
    """``text`` with controls drawn as one visible placeholder each (length unchanged)."""
    if _NEEDS_PLACEHOLDER.search(text) is None:  # the usual case: a fast scan, no copy
        return text
    return text.translate(_VISIBLE)


#: …and newlines and tabs too (their Control Pictures ␊ and ␉).
_ONE_LINE: dict[int, str] = {**_VISIBLE, 0x0A: PLACEHOLDERS[0x0A], 0x09: "\u2409"}
_BREAKS_LINE = _char_class(_ONE_LINE)


def visible_line(text: str) -> str:
    """``visible``, with newlines and tabs drawn too: for what must stay on one line — a
    heading, a code span, a comment line — where a path or a name from anyone could
    otherwise start a line of its own (a Markdown heading, raw HTML, a CoNLL token)."""
    if _BREAKS_LINE.search(text) is None:
        return text
    return text.translate(_ONE_LINE)
