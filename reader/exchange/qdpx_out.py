"""The ``qdpx`` export: a REFI-QDA 1.5 project for NVivo, ATLAS.ti, MAXQDA, QualCoder.

A zip holding ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``, valid
against the REFI-QDA ``Project.xsd``) and ``sources/<guid>.txt``: each document
that has passages, as UTF-8 without BOM — exactly the LF-normalised text the
offsets count in — referenced as ``internal://<guid>.txt``.

- ``Users``: one ``User`` per annotator.
- ``CodeBook``: one ``Code`` per theme: its English label as ``name``, its
  colour as ``#rrggbb`` (names resolved through Rich's table), and in
  ``Description`` the Arabic label and, on a last line, ``reader theme: KEY``
  (how an import gives the passages their theme keys back).
- Each passage is a ``PlainTextSelection``: ``startPosition``/``endPosition``
  in code points, end exclusive, so ``text[start:end]`` is the quote; ``name``
  the quote; ``creatingUser``/``creationDateTime`` its annotator and creation,
  ``modifiedDateTime`` its last change; one ``Coding`` per theme (its
  ``creatingUser`` the annotator); its note both in the selection's ``Description`` and in a linked
  ``Note`` (``NoteRef``). A note holding characters XML cannot carry (most C0
  controls) has its exact text in ``sources/<note guid>.txt`` instead of
  ``PlainTextContent``; the ``Description`` then shows them as placeholders.
  (A lone surrogate cannot be UTF-8 at all: it becomes U+FFFD.)
- GUIDs are stable (:mod:`reader.exchange.ids`); the selection's GUID is the
  passage's id, so ids survive a round trip.

Passages that cannot be placed in a text (orphaned, document not found) are
left out, with a warning. The archive is deterministic: same store, same bytes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader import __version__
from reader.exchange.ids import guid, selection_guid
from reader.exchange.placed import place
from reader.exchange.xmltext import attr, content, xml_safe
from reader.export.grouping import theme_order
from reader.export.html import css_color
from reader.export.progress import Tick
from reader.export.records import ExportData
from reader.store import Annotation

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = f"reader {__version__}"
#: The line of a code's Description that names the theme key it stands for.
KEY_LINE = "reader theme: "
_SURROGATE = re.compile("[\ud800-\udfff]")
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def build(data: ExportData, tick: Tick | None = None) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The archive's members (``project.qde`` first, then the sources) and warnings."""
    placed = place(data, tick)
    passages = [ann for anns in placed.passages.values() for ann in anns]
    users = {name: guid("user", name) for name in sorted({a.annotator for a in passages})}
    keys = theme_order(data)
    out: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<Project xmlns="{NAMESPACE}" name="reader annotations" origin="{attr(ORIGIN)}">\n',
    ]
    if users:
        out.append(" <Users>\n")
        out.extend(f'  <User guid="{g}" name="{attr(name)}"/>\n' for name, g in users.items())
        out.append(" </Users>\n")
    out.append(" <CodeBook>\n  <Codes>\n")
    for key in keys:
        theme = data.themes.get(key)
        name, label_ar = (theme.label_en, theme.label_ar) if theme else (key, "")
        color = css_color(theme.color) if theme else "#808080"
        description = (label_ar + "\n" if label_ar else "") + KEY_LINE + key
        out.append(
            f'   <Code guid="{guid("code", key)}" name="{attr(name)}" isCodable="true"'
            f' color="{color}">\n    <Description>{content(description)}</Description>\n'
            "   </Code>\n"
        )
    out.append("  </Codes>\n </CodeBook>\n")
    members: list[tuple[str, bytes]] = []
    notes: list[str] = []
    if placed.passages:
        out.append(" <Sources>\n")
    for rel, anns in placed.passages.items():
        source = guid("source", rel)
        members.append((f"sources/{source}.txt", _utf8(placed.documents[rel].text)))
        out.append(
            f'  <TextSource guid="{source}" name="{attr(rel)}"'
            f' plainTextPath="internal://{source}.txt">\n'
        )
        for ann in anns:
            out.append(_selection(ann, users[ann.annotator]))
            if ann.note:
                notes.append(_note(ann, users[ann.annotator], members))
        out.append("  </TextSource>\n")
    if placed.passages:
        out.append(" </Sources>\n")
    if notes:
        out.append(" <Notes>\n")
        out.extend(notes)
        out.append(" </Notes>\n")
    out.append("</Project>\n")
    members.insert(0, ("project.qde", "".join(out).encode("utf-8")))
    return members, placed.warnings("qdpx")


@lru_cache(maxsize=4096)
def _created(user: str, stamp: str) -> str:
    """``creatingUser`` and ``creationDateTime`` (when the date is an xsd:dateTime).

    Cached: a store's passages share few annotators and dates.
    """
    when = f' creationDateTime="{stamp}"' if _DATETIME.fullmatch(stamp) else ""
    return f' creatingUser="{user}"{when}'


@lru_cache(maxsize=4096)
def _modified(stamp: str) -> str:
    return f' modifiedDateTime="{stamp}"' if _DATETIME.fullmatch(stamp) else ""


@lru_cache(maxsize=1024)
def _code_guid(key: str) -> str:
    return guid("code", key)


def _selection(ann: Annotation, user: str) -> str:
    parts = [
        f'   <PlainTextSelection guid="{selection_guid(ann.id)}" name="{attr(ann.quote)}"'
        f' startPosition="{ann.start}" endPosition="{ann.end}"'
        f"{_created(user, ann.created)}{_modified(ann.updated)}>\n"
    ]
    if ann.note:
        parts.append(f"    <Description>{content(ann.note)}</Description>\n")
    coder = f' creatingUser="{user}"'  # the date is the selection's: not repeated
    for key in ann.themes:
        parts.append(
            f'    <Coding guid="{guid("coding", ann.id, key)}"{coder}>'
            f'<CodeRef targetGUID="{_code_guid(key)}"/></Coding>\n'
        )
    if ann.note:
        parts.append(f'    <NoteRef targetGUID="{guid("note", ann.id)}"/>\n')
    parts.append("   </PlainTextSelection>\n")
    return "".join(parts)


def _note(ann: Annotation, user: str, members: list[tuple[str, bytes]]) -> str:
    """The linked ``Note``; its text in a file of its own when XML cannot hold it exactly."""
    note = guid("note", ann.id)
    head = f'  <Note guid="{note}" name="{attr("Note: " + ann.quote[:60])}"'
    stamps = _created(user, ann.created)
    if xml_safe(ann.note):
        text = content(ann.note)
        return f"{head}{stamps}>\n   <PlainTextContent>{text}</PlainTextContent>\n  </Note>\n"
    members.append((f"sources/{note}.txt", _utf8(ann.note)))
    return f'{head} plainTextPath="internal://{note}.txt"{stamps}/>\n'


def _utf8(text: str) -> bytes:
    """UTF-8; a lone surrogate (a note pasted from a broken source) cannot be, and becomes
    U+FFFD — one character for one, so no offset moves."""
    return _SURROGATE.sub("\ufffd", text).encode("utf-8")
