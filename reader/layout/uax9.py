"""The Unicode Bidirectional Algorithm (UAX #9, Unicode 15.0) for one paragraph at a time.

``resolve_levels`` runs X1–X10, W1–W7, N0–N2 and I1–I2 once per paragraph; ``line_levels``
applies L1 to one line of it and ``visual_order`` gives L2's order. L3 (marks after their base)
and L4 (mirrored glyphs) belong to the caller, which knows what it draws.

Speed comes from working on strings of one-letter class codes (``ucd.CODES``) rather than on
characters: the text becomes a class string through ``str.translate``, and the weak and neutral
rules are regular expressions over it, so Python code runs per *run* of interest (a number, a
bracket pair, a neutral run between two strong characters of the minority direction) and not
per character. A paragraph without embeddings, overrides or isolates — nearly every paragraph of
real text — is a single isolating run sequence at the paragraph level and skips X1–X10.
See docs/BIDI.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from reader.layout import _tables
from reader.layout.uax9_lines import L1_TRAILING as L1_TRAILING
from reader.layout.uax9_lines import l1_untouched as l1_untouched
from reader.layout.uax9_lines import line_levels as line_levels
from reader.layout.uax9_lines import visual_order as visual_order
from reader.layout.uax9_lines import visual_runs as visual_runs
from reader.layout.ucd import CLASS_MAP

MAX_DEPTH: Final = 125
MAX_BRACKET_PAIRS: Final = 63
REMOVED: Final = "12345b"  # LRE RLE LRO RLO PDF BN: removed by X9
_ISOLATE_INIT: Final = "678"
_EXPLICIT_RE: Final = re.compile("[1-9]")
_P2_RE: Final = re.compile("[LRA6-9]")
_ISOLATES_RE: Final = re.compile("[6-9]")
_BN_RUN_RE: Final = re.compile("b+")
# Never first: the sos sentinel precedes every sequence. "MM*", not "M+": a pattern that
# starts with a literal lets the regex engine skip ahead to it (17× faster on Arabic text).
_NSM_RE: Final = re.compile("MM*")
# From the first number after a strong character to the next strong one (W2, W4–W7), looked
# for in a copy where AN is written EN: a literal first character, for the same reason.
# Possessive: the classes are disjoint, so backtracking could never find another match.
_DIGIT_STRETCH_RE: Final = re.compile("E[^LRA]*+")
_W4_EN_RE: Final = re.compile("(?<=E)[sc](?=E)")
_W4_AN_RE: Final = re.compile("(?<=N)c(?=N)")
_W5_RE: Final = re.compile("t+(?=E)|(?<=E)t+")
_W6: Final = str.maketrans("stc", "OOO")
_NEUTRALS: Final = str.maketrans("BSWO6789", "nnnnnnnn")
# N1 with the left neighbour inside the match (a look-behind first would be tried at every
# position); the right one is looked at, not taken, so the next run can start on it.
_N_BETWEEN_L_RE: Final = re.compile("Ln+(?=L)")
_N_BETWEEN_R_RE: Final = re.compile("Rn+(?=R)")  # in a copy where EN and AN are written R
_EN_AN_AS_R: Final = str.maketrans("EN", "RR")
_DIRECTION: Final = str.maketrans("LRENABSWO6789Mstcb12345", "LRRRR" + "." * 18)
_CANONICAL: Final = {0x2329: 0x3008, 0x232A: 0x3009}  # the only brackets with decompositions
_BRACKET_RE: Final = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_tables.BRACKETS)) + "]"
)
_LEVEL_TABLES: dict[int, dict[int, int]] = {}


def removed_by_x9(ch: str) -> bool:
    """True for the characters X9 removes: embeddings, overrides, PDF and boundary neutrals."""
    return CLASS_MAP[ord(ch)] in REMOVED


def _match_isolates(cls: str) -> dict[int, int]:
    """BD9: the matching PDI of each isolate initiator that has one."""
    match: dict[int, int] = {}
    opened: list[int] = []
    for m in _ISOLATES_RE.finditer(cls):
        if m.group() != "9":
            opened.append(m.start())
        elif opened:
            match[opened.pop()] = m.start()
    return match


def _first_strong(
    cls: str, start: int, end: int, match: dict[int, int] | None = None
) -> int | None:
    """P2–P3: level of the first L/R/AL in cls[start:end], skipping isolates; None if none."""
    pos = start
    while True:
        m = _P2_RE.search(cls, pos, end)
        if m is None:
            return None
        code = m.group()
        if code in "LRA":
            return 0 if code == "L" else 1
        if code == "9":  # a PDI with no initiator is ignored
            pos = m.end()
            continue
        if match is None:
            match = _match_isolates(cls)
        pdi = match.get(m.start())
        if pdi is None:
            return None  # the isolate runs to the end of the paragraph
        pos = pdi + 1


def paragraph_level(text: str, fallback: int = 1) -> int:
    """P2–P3: 0 or 1 from the first strong character outside isolates, else ``fallback``."""
    level = _first_strong(text.translate(CLASS_MAP), 0, len(text))
    return fallback if level is None else level


def _level_table(level: int) -> dict[int, int]:
    """I1–I2 as a translate table from resolved type to a level code point."""
    table = _LEVEL_TABLES.get(level)
    if table is None:
        if level & 1:
            table = {ord("R"): level, ord("L"): level + 1, ord("E"): level + 1, ord("N"): level + 1}
        else:
            table = {ord("L"): level, ord("R"): level + 1, ord("E"): level + 2, ord("N"): level + 2}
        _LEVEL_TABLES[level] = table
    return table


def _w1(m: re.Match[str]) -> str:
    prev = m.string[m.start() - 1]
    return ("O" if prev in _ISOLATE_INIT or prev == "9" else prev) * (m.end() - m.start())


def _w5(m: re.Match[str]) -> str:
    return "E" * (m.end() - m.start())


def _numbers(seg: str) -> str:
    """W2, W4, W5 and W7 on one strong character and the stretch after it."""
    strong, body = seg[0], seg[1:]
    if strong == "A":
        body = body.replace("E", "N")
    if "s" in body or "c" in body:
        body = _W4_AN_RE.sub("N", _W4_EN_RE.sub("E", body))
    if "t" in body:
        body = _W5_RE.sub(_w5, body)
    if strong == "L":
        body = body.replace("E", "L")
    return strong + body


def _number_segments(s: str) -> str:
    """W2, W4, W5 and W7 on each strong character followed by a stretch holding a number.

    The stretches are found from their first number (a literal pattern: fast); the strong
    character before it lies between the end of the previous segment (itself a strong
    character, or the sentinel at 0) and the number, so the ``rfind``s scan each character
    at most once.
    """
    found = _DIGIT_STRETCH_RE.finditer(s.replace("N", "E") if "N" in s else s)
    parts: list[str] = []
    last = 0
    for m in found:
        first, end = m.span()
        strong = max(
            s.rfind("L", last, first), s.rfind("R", last, first), s.rfind("A", last, first)
        )
        parts += (s[last:strong], _numbers(s[strong:end]))
        last = end
    if not parts:
        return s
    parts.append(s[last:])
    return "".join(parts)


def _to_l(m: re.Match[str]) -> str:
    return "L" * (m.end() - m.start())


def _between_r(s: str) -> str:
    """N1 in a left-to-right sequence: neutrals between R/EN/AN on both sides become R."""
    parts: list[str] = []
    last = 0
    for m in _N_BETWEEN_R_RE.finditer(s.translate(_EN_AN_AS_R)):
        first, end = m.span()
        parts += (s[last : first + 1], "R" * (end - first - 1))
        last = end
    if not parts:
        return s
    parts.append(s[last:])
    return "".join(parts)


def _bracket_pairs(s: str, chars: str) -> list[tuple[int, int]]:
    """BD16: bracket pairs (indices into ``chars``) among characters whose class is still ON."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = []
    for m in _BRACKET_RE.finditer(chars):
        i = m.start()
        if s[i + 1] != "O":  # s carries the sos sentinel in front
            continue
        cp = ord(m.group())
        other, kind = _tables.BRACKETS[cp]
        if kind == "o":
            if len(stack) == MAX_BRACKET_PAIRS:
                break
            stack.append((_CANONICAL.get(other, other), i))
            continue
        cp = _CANONICAL.get(cp, cp)
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == cp:
                pairs.append((stack[k][1], i))
                del stack[k:]
                break
    pairs.sort()
    return pairs


def _n0(s: str, chars: str, orig: str, e: str) -> str:
    """N0: bracket pairs take the embedding direction, or the other one from context."""
    pairs = _bracket_pairs(s, chars)
    if not pairs:
        return s
    other = "L" if e == "R" else "R"
    out = list(s)
    direction = list(s.translate(_DIRECTION))
    for open_, close in pairs:
        # In s (sentinel at 0) the pair sits at open_ + 1 and close + 1.
        inside = direction[open_ + 2 : close + 1]
        if e in inside:
            new = e
        elif other in inside:
            k = open_
            while direction[k] == ".":
                k -= 1
            new = other if direction[k] == other else e
        else:
            continue
        for pos in (open_ + 1, close + 1):
            out[pos] = direction[pos] = new
            # NSMs after a bracket follow it (they took its ON in W1).
            pos += 1
            while pos <= len(orig) and orig[pos - 1] == "M":
                out[pos] = direction[pos] = new
                pos += 1
    return "".join(out)


def _weak_types(s: str) -> str:
    """W1–W7 on a sequence's classes wrapped in its sos and eos sentinels."""
    if "M" in s:
        s = _NSM_RE.sub(_w1, s)
    if "E" in s or "N" in s:
        s = _number_segments(s)
    return s.replace("A", "R").translate(_W6)


def _neutral_levels(s: str, level: int) -> bytes:
    """N1–N2 and I1–I2 after N0; one level byte per character inside the sentinels."""
    e = "R" if level & 1 else "L"
    s = s.translate(_NEUTRALS)
    if "n" in s:
        if e == "R":
            if "L" in s:
                s = _N_BETWEEN_L_RE.sub(_to_l, s)
        else:
            s = _between_r(s)
        s = s.replace("n", e)
    return s[1:-1].translate(_level_table(level)).encode("latin-1")


def _resolve_sequence(seq: str, chars: str, level: int, sos: str, eos: str) -> bytes:
    """W1–W7, N0–N2, I1–I2 on one isolating run sequence; one level byte per character."""
    s = _weak_types(sos + seq + eos)  # the sentinels stand for sos and eos in every rule
    if "O" in s and _BRACKET_RE.search(chars):
        s = _n0(s, chars, seq, "R" if level & 1 else "L")
    return _neutral_levels(s, level)


def resolve_plain(paragraphs: Sequence[tuple[str, str, bool]], level: int) -> list[bytes]:
    """``resolve_levels_bytes`` of many paragraphs at once, each ``(text, classes,
    brackets)``; ``brackets`` False says the text has no bracket (N0 is skipped).

    For paragraphs at the paragraph level ``level`` with no explicit formatting character,
    boundary neutral or paragraph separator (one isolating run sequence each). They are
    resolved as one string in which each is wrapped in its own sos and eos sentinels: every
    weak and neutral rule stops at a strong character, so none crosses a sentinel, and
    Python runs per number, bracket pair and minority-direction gap of the whole batch,
    not per paragraph. N0 runs per paragraph (bracket pairs never span two).
    """
    d = "R" if level & 1 else "L"
    s = _weak_types(d + (d + d).join([cls for _, cls, _ in paragraphs]) + d)
    if "O" in s:
        pieces: list[str] = []
        last = 0
        at = 1  # where the paragraph starts in s
        for text, cls, brackets in paragraphs:
            end = at + len(cls)
            if brackets and _BRACKET_RE.search(text):
                piece = s[at - 1 : end + 1]
                resolved = _n0(piece, text, cls, d)
                if resolved is not piece:
                    pieces += (s[last : at - 1], resolved)
                    last = end + 1
            at = end + 2
        if pieces:
            pieces.append(s[last:])
            s = "".join(pieces)
    levels = _neutral_levels(s, level)
    out: list[bytes] = []
    at = 0
    for _, cls, _ in paragraphs:
        out.append(levels[at : at + len(cls)])
        at += len(cls) + 2
    return out


def _resolve_simple(text: str, cls: str, para: int) -> list[int]:
    """No explicit formatting: one isolating run sequence at the paragraph level."""
    d = "R" if para & 1 else "L"
    if "b" not in cls:
        return list(_resolve_sequence(cls, text, para, d, d))
    runs = [(m.start(), m.end()) for m in _BN_RUN_RE.finditer(cls)]
    # The text without its BN runs: slices between the runs, not a test per code point.
    bounds = [0, *(p for run in runs for p in run), len(text)]
    keep = "".join(text[a:b] for a, b in zip(bounds[::2], bounds[1::2], strict=True))
    levels = _resolve_sequence(cls.replace("b", ""), keep, para, d, d)
    out: list[int] = []
    pos = 0  # index into levels
    prev = para
    last = 0
    for start, end in runs:
        out += levels[pos : pos + start - last]
        pos += start - last
        if out:
            prev = out[-1]
        out += [prev] * (end - start)
        last = end
    out += levels[pos:]
    return out


def _explicit(cls: str, para: int, match: dict[int, int]) -> tuple[list[int], list[str]]:
    """X1–X8: embedding levels, and classes with overrides applied (X6)."""
    n = len(cls)
    levels = [para] * n
    types = list(cls)
    stack: list[tuple[int, str, bool]] = [(para, "", False)]  # level, override, isolate
    overflow_isolate = overflow_embedding = valid_isolate = 0
    for i, c in enumerate(cls):
        level, override, _ = stack[-1]
        if c in "1234":
            new = (level + 1) | 1 if c in "24" else (level + 2) & ~1
            if new <= MAX_DEPTH and overflow_isolate == 0 and overflow_embedding == 0:
                stack.append((new, "R" if c == "4" else "L" if c == "3" else "", False))
            elif overflow_isolate == 0:
                overflow_embedding += 1
            levels[i] = level
        elif c in _ISOLATE_INIT:
            levels[i] = level
            if override:
                types[i] = override
            # FSI looks ahead (P2–P3) up to its matching PDI.
            rtl = _first_strong(cls, i + 1, match.get(i, n), match) == 1 if c == "8" else c == "7"
            new = (level + 1) | 1 if rtl else (level + 2) & ~1
            if new <= MAX_DEPTH and overflow_isolate == 0 and overflow_embedding == 0:
                valid_isolate += 1
                stack.append((new, "", True))
            else:
                overflow_isolate += 1
        elif c == "9":
            if overflow_isolate:
                overflow_isolate -= 1
            elif valid_isolate:
                overflow_embedding = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolate -= 1
            level, override, _ = stack[-1]
            levels[i] = level
            if override:
                types[i] = override
        elif c == "5":
            if overflow_isolate:
                pass
            elif overflow_embedding:
                overflow_embedding -= 1
            elif not stack[-1][2] and len(stack) >= 2:
                stack.pop()
            levels[i] = level
        elif c == "B":
            levels[i] = para
        elif c == "b":
            levels[i] = level
        else:
            levels[i] = level
            if override:
                types[i] = override
    return levels, types


def _resolve_general(text: str, cls: str, para: int) -> list[int]:
    """X1–X10, then the weak, neutral and implicit rules per isolating run sequence."""
    match = _match_isolates(cls)
    embedding, types = _explicit(cls, para, match)
    levels = list(embedding)  # resolved in place; sos/eos read the embedding levels
    kept = [i for i, c in enumerate(cls) if c not in REMOVED]
    # BD7: level runs over the characters X9 keeps.
    runs: list[list[int]] = []
    for i in kept:
        if runs and embedding[runs[-1][-1]] == embedding[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    run_at = {run[0]: run for run in runs}
    matched_pdis = set(match.values())
    position = {i: k for k, i in enumerate(kept)}
    for run in runs:
        if run[0] in matched_pdis:
            continue  # it continues the sequence of its initiator
        seq = list(run)
        while seq[-1] in match:
            seq += run_at[match[seq[-1]]]
        level = embedding[seq[0]]
        k = position[seq[0]]
        before = embedding[kept[k - 1]] if k else para
        last = seq[-1]
        k = position[last]
        end = cls[last] in _ISOLATE_INIT or k + 1 == len(kept)
        after = para if end else embedding[kept[k + 1]]
        sos = "R" if max(level, before) & 1 else "L"
        eos = "R" if max(level, after) & 1 else "L"
        seq_types = "".join(types[i] for i in seq)
        seq_chars = "".join(text[i] for i in seq)
        for i, lv in zip(
            seq, _resolve_sequence(seq_types, seq_chars, level, sos, eos), strict=True
        ):
            levels[i] = lv
    # Removed characters take the level of the character before them (UAX #9 §5.2).
    for i, c in enumerate(cls):
        if c in REMOVED:
            levels[i] = levels[i - 1] if i else para
    return levels


def resolve_levels(
    text: str, base_level: int | None = None, fallback: int = 1, classes: str | None = None
) -> tuple[list[int], int]:
    """Resolved embedding level of every code point of one paragraph, and the paragraph level.

    ``base_level`` forces the paragraph level (0 or 1); otherwise P2–P3 decide, and ``fallback``
    serves when the paragraph has no strong character. A paragraph separator (class B) inside
    the text ends a paragraph per P1: the text after it is resolved on its own, at the same
    paragraph level. Characters removed by X9 get the level of the character before them.
    ``classes`` may give ``text.translate(CLASS_MAP)`` already worked out.
    """
    cls = text.translate(CLASS_MAP) if classes is None else classes
    if base_level is None:
        first = _first_strong(cls, 0, len(cls))
        para = fallback if first is None else first
    else:
        para = base_level
    if "B" in cls[:-1]:
        levels: list[int] = []
        start = 0
        for m in re.finditer("B", cls[:-1]):
            levels += _resolve_one(text[start : m.end()], cls[start : m.end()], para)
            start = m.end()
        levels += _resolve_one(text[start:], cls[start:], para)
        return levels, para
    return _resolve_one(text, cls, para), para


def resolve_levels_bytes(text: str, fallback: int, classes: str) -> tuple[bytes, int]:
    """``resolve_levels(text, None, fallback, classes)`` with the levels as bytes."""
    first = _first_strong(classes, 0, len(classes))
    para = fallback if first is None else first
    if "b" not in classes and "B" not in classes[:-1] and _EXPLICIT_RE.search(classes) is None:
        d = "R" if para & 1 else "L"  # the common paragraph: one sequence, no list of ints
        return _resolve_sequence(classes, text, para, d, d), para
    levels, _ = resolve_levels(text, para, fallback, classes)
    return bytes(levels), para


def _resolve_one(text: str, cls: str, para: int) -> list[int]:
    if _EXPLICIT_RE.search(cls) is None:
        return _resolve_simple(text, cls, para)
    return _resolve_general(text, cls, para)
