"""Checking a log file's lines: its header, its records and deletions.

Shared by the full read of a document's files (:class:`reader.store.docfile.LogFile`)
and the light path that appends a new annotation to a file it has not read
(:mod:`reader.store.counts`): both refuse exactly the same lines.
"""

from __future__ import annotations

from typing import Any

from reader.store.journal import LOG_FORMAT
from reader.store.model import SCHEMA_VERSION, Annotation, from_record
from reader.store.names import annotator_filename, doc_dirname


def header(rel: str, annotator: str) -> dict[str, Any]:
    """The first line of a new log file."""
    return {"format": LOG_FORMAT, "schema": SCHEMA_VERSION, "doc": rel, "annotator": annotator}


def check_header(
    value: Any, rel: str | None, folder: str, name: str
) -> tuple[str | None, str | None, list[str]]:
    """The document and annotator a header names, and what is wrong with it.

    ``rel`` is the document the file should belong to (None: not known yet; the header's
    is taken if the folder's name fits it); ``folder`` and ``name`` are the folder's and
    the file's names.
    """
    if type(value) is not dict or value.get("format") != LOG_FORMAT:
        return None, None, ["its first line is not a reader-log header (not a store file?)"]
    problems = []
    schema = value.get("schema")
    if type(schema) is not int:
        problems.append("no schema version in its header")
    elif schema > SCHEMA_VERSION:
        problems.append(f"schema version {schema} is newer than this program's ({SCHEMA_VERSION})")
    doc, annotator = value.get("doc"), value.get("annotator")
    found = None
    if type(doc) is not str:
        problems.append("no document path in its header")
    elif (rel is None and doc_dirname(doc) == folder) or doc == rel:
        found = doc
    else:
        problems.append(f"holds the annotations of {doc!r:.60}, not of its folder's")
    if type(annotator) is not str or annotator_filename(annotator) != name:
        problems.append("its name does not match the annotator in its header")
        annotator = None
    return found, annotator, problems


def check_line(
    number: int, value: Any, rel: str | None, annotator: str | None
) -> tuple[Annotation | None, str | None, str | None]:
    """``(annotation, deleted id, problem)`` of a line after the header.

    A record of another document or annotator is still returned (shown), with its problem.
    """
    if type(value) is dict and "deleted" in value:
        ann_id = value["deleted"]
        if type(ann_id) is not str or not value.keys() <= {"deleted", "at", "by"}:
            return None, None, f"line {number}: not a record nor a deletion"
        return None, ann_id, None
    try:
        ann = from_record(value)
    except ValueError as exc:
        return None, None, f"line {number}: {exc}"
    if ann.doc != rel:
        return ann, None, f"record {ann.id!r:.40} is for another document {ann.doc!r:.60}"
    if annotator is not None and ann.annotator != annotator:
        who = f"{ann.annotator!r:.40}'s, in {annotator!r:.40}'s file"
        return ann, None, f"record {ann.id!r:.40} is {who}"
    return ann, None, None
