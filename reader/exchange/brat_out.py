"""The ``brat`` export: brat standoff, a ``.txt`` and a ``.ann`` per document, and the config.

``-o DIR`` gets, for each document with passages, ``NAME.txt`` (the text the
offsets count in, UTF-8, exactly) and ``NAME.ann`` (``NAME`` is the document's
path without ``.txt``), plus ``annotation.conf`` listing the themes as entity
types (and allowing any overlap, since passages may overlap) and
``visual.conf`` giving each its label and colour.

In a ``.ann``, each passage is:

- one ``T`` line per theme: ``T1<TAB>arms 406 420<TAB>كوريا الشمالية``. brat
  spans cannot hold a line break, so a passage over several paragraphs is cut
  into ``;``-separated fragments at every line break (and tab), and the text
  column holds the fragments joined by a space, as brat writes it;
- its note as ``#1<TAB>AnnotatorNotes T1<TAB>…`` on its first ``T`` line, on one
  line: backslash, newline, CR and tab written ``\\\\``, ``\\n``, ``\\r``, ``\\t``,
  other line separators (and lone surrogates, which UTF-8 cannot hold) ``\\uXXXX``;
- a ``ReaderMeta`` comment on each of its ``T`` lines (a comment type brat shows
  and other tools skip), a JSON object with the passage's ``id`` — and, on the
  first, ``annotator``, ``created``, ``updated``, and ``start``/``end`` when the
  passage begins or ends with a line break the fragments leave out. That is
  what lets ``reader import DIR`` give back the same ids, annotators and spans.
"""

from __future__ import annotations

import re
from json.encoder import encode_basestring
from pathlib import PurePosixPath

from reader.exchange.placed import place
from reader.export.grouping import theme_order
from reader.export.html import css_color
from reader.export.progress import Tick
from reader.export.records import ExportData, json_safe, visible_line
from reader.store import Annotation

#: What a ``.ann`` line may not hold raw: every character ``str.splitlines`` breaks at, and tab.
BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FRAGMENT = re.compile(f"[^{BREAKS}]+")
_NOTE_SPECIAL = re.compile(f"[\\\\{BREAKS}\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: A quote holding one of these needs fragments or a substitution; others go as they are.
_UNUSUAL = re.compile(f"[{BREAKS}\ud800-\udfff]")
_NOTE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_note(note: str) -> str:
    """A note on one line (undone by :func:`reader.exchange.brat_in.unescape_note`)."""
    return _NOTE_SPECIAL.sub(lambda m: _NOTE_ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), note)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks and tabs: the brat fragments of a passage."""
    return [m.span() for m in _FRAGMENT.finditer(text, start, end)]


def stem(rel: str) -> str | None:
    """The file name (without extension) of a document in the brat folder; None if unsafe."""
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")):
        return None
    if visible_line(rel) != rel:  # a newline, tab or control in a file name: `ls` plays it
        return None
    return rel[:-4] if rel.endswith(".txt") else rel


def build(data: ExportData, tick: Tick | None = None) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The folder's files (``annotation.conf``, ``visual.conf``, then per document) and warnings."""
    placed = place(data, tick)
    warnings = placed.warnings("brat")
    keys = theme_order(data)
    files: list[tuple[str, bytes]] = [
        ("annotation.conf", _annotation_conf(data, keys).encode("utf-8")),
        ("visual.conf", _visual_conf(data, keys).encode("utf-8")),
    ]
    unsafe: list[str] = []
    empty = 0
    for rel, passages in placed.passages.items():
        name = stem(rel)
        if name is None:
            unsafe.append(rel)
            continue
        text = placed.documents[rel].text
        lines: list[str] = []
        numbers = [0, 0]  # last T, last #
        for ann in passages:
            if not _passage(ann, text, lines, numbers):
                empty += 1
        files.append((name + ".txt", _SURROGATE.sub("\ufffd", text).encode("utf-8")))
        files.append((name + ".ann", "".join(lines).encode("utf-8")))
    if unsafe:
        warnings.append(f"brat: documents left out, their path cannot be a file name: {unsafe[0]}")
    if empty:
        warnings.append(f"brat: {empty} passage(s) of line breaks only left out")
    return files, warnings


def _passage(ann: Annotation, text: str, lines: list[str], numbers: list[int]) -> bool:
    enc = encode_basestring
    ident = enc(ann.id)
    meta = (
        f'{{"id": {ident}, "annotator": {enc(ann.annotator)}, "created": {enc(ann.created)},'
        f' "updated": {enc(ann.updated)}'
    )
    if _UNUSUAL.search(ann.quote) is None:  # the usual passage: one fragment, shown as is
        spans, shown = f"{ann.start} {ann.end}", ann.quote
    else:
        frags = fragments(text, ann.start, ann.end)
        if not frags:
            return False
        spans = ";".join(f"{s} {e}" for s, e in frags)
        # The text column is for people: a lone surrogate (not UTF-8) shows as U+FFFD.
        shown = _SURROGATE.sub("\ufffd", " ".join(text[s:e] for s, e in frags))
        if (frags[0][0], frags[-1][1]) != (ann.start, ann.end):
            meta += f', "start": {ann.start}, "end": {ann.end}'
    first = json_safe(meta + "}")  # the same bytes json.dumps writes, built directly
    for i, key in enumerate(ann.themes):
        numbers[0] += 1
        tid = f"T{numbers[0]}"
        lines.append(f"{tid}\t{key} {spans}\t{shown}\n")
        if i == 0 and ann.note:
            numbers[1] += 1
            lines.append(f"#{numbers[1]}\tAnnotatorNotes {tid}\t{escape_note(ann.note)}\n")
        numbers[1] += 1
        body = first if i == 0 else f'{{"id": {ident}}}'
        lines.append(f"#{numbers[1]}\tReaderMeta {tid}\t{body}\n")
    return True


def _annotation_conf(data: ExportData, keys: list[str]) -> str:
    lines = ["# The themes of reader, one entity type each.", "[entities]"]
    lines += keys
    lines += [
        "",
        "[relations]",
        "# Passages may overlap, with the same theme or not.",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        "",
    ]
    return "\n".join(lines)


def _visual_conf(data: ExportData, keys: list[str]) -> str:
    labels, drawing = ["[labels]"], ["[drawing]"]
    for key in keys:
        theme = data.themes.get(key)
        label = f"{theme.label_en} — {theme.label_ar}" if theme else key
        labels.append(f"{key} | {' '.join(label.split())}")
        drawing.append(f"{key}\tbgColor:{css_color(theme.color) if theme else '#808080'}")
    return "\n".join([*labels, "", *drawing, ""])
