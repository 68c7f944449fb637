"""A small VT500-style tokenizer for the raw bytes a program wrote to a terminal.

It splits the stream the way a terminal would: printable text, and control
sequences (CSI, OSC, DCS, SOS/PM/APC strings, two-byte escapes, C1 controls).
The hostile tests then ask two questions a terminal would answer:
did a document's payload end up *inside* a sequence (a leak), and did it end
up in the text (drawn visibly, so the test is not passing on an empty screen)?
"""

from __future__ import annotations

from dataclasses import dataclass

ESC = "\x1b"
_STRING_INTRODUCERS = {"]": "osc", "P": "dcs", "X": "sos", "^": "pm", "_": "apc"}
_C1_INTRODUCERS = {0x9B: "csi", 0x9D: "osc", 0x90: "dcs", 0x98: "sos", 0x9E: "pm", 0x9F: "apc"}


@dataclass(frozen=True)
class Token:
    kind: str
    """``text``, ``csi``, ``osc``, ``dcs``, ``sos``, ``pm``, ``apc``, ``esc`` or ``c1``."""
    body: str
    """The sequence without its introducer and terminator (or the text itself)."""


def _c1(ch: str) -> int | None:
    """The C1 code of ``ch``: a U+0080–U+009F character or a raw, undecodable 0x80–0x9F byte."""
    code = ord(ch)
    if 0x80 <= code <= 0x9F:
        return code
    if 0xDC80 <= code <= 0xDC9F:  # surrogateescape of a raw byte
        return code - 0xDC00
    return None


def decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="surrogateescape")


def tokenize(stream: str) -> list[Token]:
    """Split a terminal stream into tokens, as a VT500 parser would."""
    tokens: list[Token] = []
    text: list[str] = []
    i, n = 0, len(stream)

    def flush() -> None:
        if text:
            tokens.append(Token("text", "".join(text)))
            text.clear()

    def string_until_st(start: int, kind: str, bel_ends: bool) -> int:
        j = start
        while j < n:
            ch = stream[j]
            if bel_ends and ch == "\x07":
                tokens.append(Token(kind, stream[start:j]))
                return j + 1
            if ch == ESC and j + 1 < n and stream[j + 1] == "\\":
                tokens.append(Token(kind, stream[start:j]))
                return j + 2
            if _c1(ch) == 0x9C:
                tokens.append(Token(kind, stream[start:j]))
                return j + 1
            j += 1
        tokens.append(Token(kind, stream[start:]))  # unterminated: swallows the rest
        return n

    def csi(start: int) -> int:
        j = start
        while j < n and not ("\x40" <= stream[j] <= "\x7e"):
            j += 1
        tokens.append(Token("csi", stream[start:j]))
        return min(j + 1, n)

    while i < n:
        ch = stream[i]
        code = _c1(ch)
        if ch == ESC:
            flush()
            nxt = stream[i + 1] if i + 1 < n else ""
            if nxt == "[":
                i = csi(i + 2)
            elif nxt in _STRING_INTRODUCERS:
                kind = _STRING_INTRODUCERS[nxt]
                i = string_until_st(i + 2, kind, bel_ends=kind == "osc")
            else:
                j = i + 1
                while j < n and "\x20" <= stream[j] <= "\x2f":
                    j += 1
                tokens.append(Token("esc", stream[i + 1 : j + 1]))
                i = j + 1
        elif code is not None:
            flush()
            if code in _C1_INTRODUCERS:
                kind = _C1_INTRODUCERS[code]
                i = csi(i + 1) if kind == "csi" else string_until_st(i + 1, kind, kind == "osc")
            else:
                tokens.append(Token("c1", f"{code:02x}"))
                i += 1
        else:
            text.append(ch)
            i += 1
    flush()
    return tokens


def leaks(stream: str, markers: list[str]) -> list[tuple[str, Token]]:
    """Every (marker, sequence) where a document's marker sits inside a control sequence."""
    found = []
    for token in tokenize(stream):
        if token.kind == "text":
            continue
        for marker in markers:
            if marker in token.body:
                found.append((marker, token))
    return found


def screen_text(stream: str) -> str:
    """The printable text of the stream, sequences removed."""
    return "".join(t.body for t in tokenize(stream) if t.kind == "text")


def c1_controls(stream: str) -> list[Token]:
    """C1 controls a terminal would act on (a program never needs to send these)."""
    return [t for t in tokenize(stream) if t.kind == "c1"]
