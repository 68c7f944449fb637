"""XML text for the REFI-QDA writer: escaping, and what XML 1.0 cannot hold at all.

XML 1.0 has no way to carry most C0 controls, lone surrogates, U+FFFE or
U+FFFF, not even as character references. Where such a character would go into
``project.qde`` it is drawn as the program's visible placeholder (``␛`` for
ESC, one for one, as on screen), or U+FFFD for the rest; :func:`xml_safe`
tells whether a text can go in exactly.
"""

from __future__ import annotations

import re

from reader.layout.sanitize import PLACEHOLDERS

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r]')
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
         "\r": "&#13;"}  # fmt: skip


def xml_safe(text: str) -> bool:
    """Whether every character of ``text`` can be written in XML 1.0."""
    return _ILLEGAL.search(text) is None


def legal(text: str) -> str:
    if _ILLEGAL.search(text) is None:
        return text
    return _ILLEGAL.sub(lambda m: PLACEHOLDERS.get(ord(m[0]), "\ufffd"), text)


_ATTR_ANY = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def attr(text: str) -> str:
    """``text`` as an attribute value (without the quotes); tabs and newlines survive."""
    if _ATTR_ANY.search(text) is None:  # the usual case: one scan, no copy
        return text
    text = legal(text)
    if _ATTR_SPECIAL.search(text) is None:
        return text
    return _ATTR_SPECIAL.sub(lambda m: _ATTR[m[0]], text)


def content(text: str) -> str:
    """``text`` as element content; a CR survives XML's line-end normalisation."""
    text = legal(text)
    if _TEXT_SPECIAL.search(text) is None:
        return text
    return _TEXT_SPECIAL.sub(lambda m: _ATTR[m[0]], text)
