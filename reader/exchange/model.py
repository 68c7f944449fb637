"""What an import from another tool holds before it touches the store (no Textual, no I/O).

A reader of another tool's format (:mod:`reader.exchange.qdpx_in`,
:mod:`reader.exchange.brat_in`) builds a :class:`Foreign`: the text sources
(each with its text, LF-normalised as the program reads text, and its coded
selections in code points of that text), the codes they use, and one line for
each thing that does not map. :mod:`reader.exchange.foreign` then applies it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate


@dataclass
class Code:
    """A code of the other tool (a theme to be)."""

    guid: str
    name: str
    color: str = ""
    description: str = ""
    key: str = ""
    """A theme key it stands for, when the file says so (our own exports)."""


@dataclass
class Selection:
    """One coded passage: ``[start, end)`` in code points of its source's normalised text."""

    id: str
    start: int
    end: int
    codes: list[str]
    note: str = ""
    annotator: str = ""
    created: str = ""
    updated: str = ""
    exact: bool = True
    """The offsets are known to be right (else the quote is looked for near them)."""


@dataclass
class Source:
    """A text source: its name, its text, and its selections."""

    guid: str
    name: str
    text: str
    selections: list[Selection] = field(default_factory=list)
    path_hint: str = ""
    """The document path the file says it was (our own exports), else empty."""


@dataclass
class Foreign:
    """Everything an import read, before it is checked against the corpus and the store."""

    fmt: str
    origin: str = ""
    sources: list[Source] = field(default_factory=list)
    codes: dict[str, Code] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    """One line per kind of thing that does not map (PDF sources, cases, …)."""
    rejected: list[str] = field(default_factory=list)
    """One line per selection that could not be read (bad positions, unknown code)."""

    def selection_count(self) -> int:
        return sum(len(s.selections) for s in self.sources)


def offset_map(raw: str, utf16: bool) -> tuple[str, list[int] | None, list[int]]:
    """The normalised text of ``raw`` and what turns a position in ``raw`` into one in it.

    Returns ``(text, units, removed)``: ``units`` is the UTF-16 offset of each code
    point of ``raw`` (None when positions are code points, or all characters are
    in the BMP); ``removed`` the indexes of the CRs that LF normalisation drops
    (the CR of each CRLF).
    """
    units = None
    if utf16 and not raw.isascii() and max(raw) > "\uffff":
        units = [0, *accumulate(2 if ch > "\uffff" else 1 for ch in raw)]
    removed: list[int] = []
    if "\r" in raw:
        at = raw.find("\r\n")
        while at >= 0:
            removed.append(at)
            at = raw.find("\r\n", at + 2)
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    return text, units, removed


def convert(position: int, units: list[int] | None, removed: list[int]) -> int:
    """A position as the other tool counts it → a code point of the normalised text."""
    cp = position if units is None else bisect_left(units, position)
    return cp - bisect_left(removed, cp) if removed else cp


def iso(stamp: str | None) -> str:
    """A date as the store writes it (``2026-11-21T13:00:00.000Z``); empty when unreadable.

    A date without a zone is taken as UTC, as REFI-QDA's examples are.
    """
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
