"""Annotation records: the dataclass, the on-disk schema and its validation.

An :class:`Annotation` is what the rest of the program handles; a *record* is
the plain dict the store keeps in its TinyDB files (the same fields, JSON
types). Loading is tolerant but never silent: :func:`from_record` names the
first thing wrong with a record instead of guessing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

#: Version of the store layout and record schema; a store with a higher one is read-only.
SCHEMA_VERSION = 2

#: How many code points of context ``prefix`` and ``suffix`` keep (W3C TextQuoteSelector).
CONTEXT_CHARS = 32

ANCHORED = "anchored"
REANCHORED = "reanchored"
ORPHANED = "orphaned"
STATUSES = frozenset({ANCHORED, REANCHORED, ORPHANED})

#: Record fields in the order they are written.
FIELDS: tuple[str, ...] = (
    "id",
    "doc",
    "doc_sha256",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "themes",
    "note",
    "annotator",
    "created",
    "updated",
    "status",
)
_INT_FIELDS = frozenset({"start", "end"})
_STR_FIELDS = frozenset(FIELDS) - _INT_FIELDS - {"themes"}
#: Written after :data:`FIELDS`, only when not empty: the explicit edits of others (who, when,
#: what) on an annotation. Records without it are exactly those of schema 1.
EDITS = "edits"
#: The fields an explicit edit may change (:meth:`reader.store.Store.edit`).
EDITABLE = ("themes", "note")


def now_iso() -> str:
    """The current time as ISO 8601 UTC with milliseconds (``2026-11-21T13:00:00.000Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Annotation:
    """One tagged passage of one document."""

    id: str
    doc: str
    """Path of the document relative to the corpus root (``Document.rel``)."""
    doc_sha256: str
    """Digest of the text the offsets refer to."""
    start: int
    end: int
    """``[start, end)`` in code points of the decoded, newline-normalised text."""
    quote: str
    prefix: str
    suffix: str
    themes: list[str]
    note: str
    annotator: str
    created: str
    updated: str
    status: str = ANCHORED
    edits: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """Changes made by annotators other than ``annotator``, oldest first: each
    ``{"by": name, "at": ISO time, "changes": {field: {"from": old, "to": new}}}``."""
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Fields a newer program wrote that this one does not know: kept, written back."""

    def copy(self, **changes: Any) -> Annotation:
        """A new annotation with ``changes`` applied (themes, edits and extra copied)."""
        changes.setdefault("themes", list(self.themes))
        changes.setdefault("edits", list(self.edits))
        changes.setdefault("extra", dict(self.extra))
        return replace(self, **changes)


def context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """``(quote, prefix, suffix)`` of ``text[start:end]``."""
    return (
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def to_record(ann: Annotation) -> dict[str, Any]:
    """The JSON record of ``ann``: every field in :data:`FIELDS` order, then unknown extras."""
    record: dict[str, Any] = {name: getattr(ann, name) for name in FIELDS}
    record["themes"] = list(ann.themes)
    if ann.edits:
        record[EDITS] = [dict(edit) for edit in ann.edits]
    for key, value in ann.extra.items():
        record.setdefault(key, value)
    return record


_FIELD_SET = frozenset(FIELDS)
_new_annotation = object.__new__


def from_record(record: Any) -> Annotation:
    """Check one stored record and build its annotation.

    Raises:
        ValueError: one short reason (the caller adds the file and record id).
    """
    ann = plain_record(record)
    return _checked_record(record) if ann is None else ann


def plain_record(record: Any) -> Annotation | None:
    """:func:`from_record`'s fast path: the annotation of a plain record, else None.

    It takes what the store itself writes: a plain dict of exactly the known fields with
    exact JSON types (strings, integers, a list of strings). It checks everything the
    full check does (strictly more: no str/int subclasses), so it never accepts what that
    refuses; anything else, and every error message, goes through the full check.
    """
    if type(record) is dict and record.keys() == _FIELD_SET:
        start, end, themes = record["start"], record["end"], record["themes"]
        rid, doc, sha, quote = record["id"], record["doc"], record["doc_sha256"], record["quote"]
        prefix, suffix, note = record["prefix"], record["suffix"], record["note"]
        annotator, created, updated = record["annotator"], record["created"], record["updated"]
        status = record["status"]
        if (
            type(start) is int
            and type(end) is int
            and 0 <= start < end
            and type(themes) is list
            and themes
            and type(rid) is str
            and rid
            and type(doc) is str
            and type(sha) is str
            and type(quote) is str
            and type(prefix) is str
            and type(suffix) is str
            and type(note) is str
            and type(annotator) is str
            and type(created) is str
            and type(updated) is str
            and type(status) is str
            and status in STATUSES
        ):
            for theme in themes:
                if type(theme) is not str:
                    break
            else:
                # What Annotation(**fields, extra={}) builds, without a call of 15
                # keyword arguments: attributes set in field order, so that instances
                # share their keys (350 bytes each, not 660 as with a dict of their own).
                ann: Annotation = _new_annotation(Annotation)
                ann.id, ann.doc, ann.doc_sha256, ann.start, ann.end = rid, doc, sha, start, end
                ann.quote, ann.prefix, ann.suffix = quote, prefix, suffix
                ann.themes, ann.note, ann.annotator = list(themes), note, annotator
                ann.created, ann.updated, ann.status = created, updated, status
                ann.edits, ann.extra = [], {}
                return ann
    return None


def _checked_record(record: Any) -> Annotation:
    """:func:`from_record` for any input: every check in order, with its message."""
    if not isinstance(record, Mapping):
        raise ValueError(f"record is a {type(record).__name__}, not an object")
    missing = [name for name in FIELDS if name not in record]
    if missing:
        raise ValueError(f"record {record.get('id', '?')!r:.40} lacks {', '.join(missing)}")
    rid = record["id"]
    for name in _STR_FIELDS:
        if not isinstance(record[name], str):
            raise ValueError(f"record {rid!r:.40}: {name} is not a string")
    for name in _INT_FIELDS:
        value = record[name]
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"record {rid!r:.40}: {name} is not an integer")
    if not 0 <= record["start"] < record["end"]:
        raise ValueError(f"record {rid!r:.40}: bad range {record['start']}–{record['end']}")
    themes = record["themes"]
    if not isinstance(themes, list) or not themes or not all(isinstance(t, str) for t in themes):
        raise ValueError(f"record {rid!r:.40}: themes must be a non-empty list of strings")
    if record["status"] not in STATUSES:
        raise ValueError(f"record {rid!r:.40}: unknown status {record['status']!r:.20}")
    if not rid:
        raise ValueError("record with an empty id")
    edits = _checked_edits(rid, record.get(EDITS, []))
    extra = {k: v for k, v in record.items() if k not in _FIELD_SET and k != EDITS}
    values = {name: record[name] for name in FIELDS}
    values["themes"] = list(themes)
    return Annotation(**values, edits=edits, extra=extra)


def _checked_edits(rid: str, edits: Any) -> list[dict[str, Any]]:
    """The ``edits`` of a record, checked: who, when, and what changed from what to what."""
    if not isinstance(edits, list):
        raise ValueError(f"record {rid!r:.40}: edits is not a list")
    for edit in edits:
        if (
            not isinstance(edit, dict)
            or not isinstance(edit.get("by"), str)
            or not isinstance(edit.get("at"), str)
            or not isinstance(edit.get("changes"), dict)
            or not all(
                isinstance(change, dict) and change.keys() == {"from", "to"}
                for change in edit["changes"].values()
            )
        ):
            raise ValueError(f"record {rid!r:.40}: an edit lacks by, at or changes (from, to)")
    return [dict(edit) for edit in edits]


def edit_entry(by: str, at: str, before: Annotation, after: Annotation) -> dict[str, Any] | None:
    """The ``edits`` entry for ``by`` changing ``before`` into ``after``; None if nothing did."""
    changes = {
        name: {"from": getattr(before, name), "to": getattr(after, name)}
        for name in EDITABLE
        if getattr(before, name) != getattr(after, name)
    }
    return {"by": by, "at": at, "changes": changes} if changes else None
