"""Every line's text of a common paragraph in one pass: the hot path of ``reader show``.

``engine.layout_texts`` wraps a paragraph (``wrap.break_lines``) and builds each line's text
(``engine._build_text``): some fifteen small steps a line, about 10 µs, which was 40 % of
``reader show`` on the 20 MB bench document (157,000 lines). Most paragraphs are *plain*:
letters, break spaces, combining marks and lam-alefs only (kinds ``n s m l``: every cell is
one column wide), no bidi formatting character, no character L1 would move. For those the
wrapping is one regular expression over the kinds (``_line_pattern``) and a line's text is
a slice of the glyphs, reversed by runs: Python runs once per line, not per step.

L3 keeps a cell's marks after its letter whatever the direction; L2 reverses a character
once per level from its own down to the line's lowest odd level, so a character at an odd
level is reversed an odd number of times. The cells with marks at an odd level are therefore
reversed in place once for the paragraph: reversing the line's runs then draws each of them
letter first, as the cells of ``_build_text`` are drawn. ``tests/test_fastlines.py`` checks
the result against the general path, line for line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from reader.layout import uax9
from reader.layout.analysis import ALEF_DRAWN_BY_LAM, VS16, Analysis

_NOT_PLAIN: Final = b"nsml"  # deleted by bytes.translate: what is left is not plain
# A cell's marks, from the first (a literal first: the regex engine skips ahead to it).
_MARK_RUN: Final = re.compile("m[ml]*")
# L1 moves a line's trailing whitespace, isolates and removed characters back to the
# paragraph level: a plain line must not end with one (its break spaces are not drawn).
_L1_TRAILING: Final = frozenset(uax9.L1_TRAILING)


@lru_cache(maxsize=16)
def _line_pattern(width: int) -> re.Pattern[str]:
    """One line, over the *cells* of a plain paragraph: ``n`` a letter (or a space carrying
    marks), ``s`` a break space; each is one column.

    ``content``: at most ``width`` cells ending with a letter, followed by a run of break
    spaces or by the end — the greedy repeat backs off to the last such place, as
    ``wrap.break_lines`` looks back from the last column for the last space run. Otherwise
    the first word is wider than the line: ``word`` cuts it after ``width`` cells. Repeats
    of one character class: the regex engine runs them (and backs off) in a tight loop.
    """
    return re.compile(f"(?P<content>[ns]{{0,{width - 1}}}n)(?:s++|\\Z)|(?P<word>[ns]{{{width}}})")


def is_plain(an: Analysis) -> bool:
    """Letters, break spaces, marks and lam-alefs only, a letter first; nothing L1 moves."""
    kinds, classes = an.kinds, an.classes
    if classes is None or an.levels is None or not kinds or kinds[0] != "n":
        return False  # leading spaces follow other rules (wrap.break_lines)
    if kinds.encode("ascii").translate(None, _NOT_PLAIN) or VS16 in an.text:
        return False  # VS16 (a mark) can make the symbol before it two columns wide
    # Every break space is of class WS; a WS that is not one (U+2007 FIGURE SPACE) or a
    # boundary neutral drawn as a letter (a noncharacter) could end a line and move in L1.
    return "b" not in classes and classes.count("W") == kinds.count("s")


def _glyphs_for_runs(an: Analysis, levels: bytes) -> str | None:
    """The glyphs with each odd-level cell that has marks reversed in place (see above).

    None if a cell's characters are not all at one level (the cells are reordered as
    units at their first character's level, characters as runs of equal level).
    """
    glyphs, kinds = an.glyphs, an.kinds
    if "m" not in kinds:
        return glyphs
    parts: list[str] = []
    last = 0
    for m in _MARK_RUN.finditer(kinds):
        start, end = m.span()
        start -= 1  # the cell's letter, before its marks (and the alef of a lam-alef)
        while kinds[start] == "l":
            start -= 1
        level = levels[start]
        if levels.count(level, start, end) != end - start:
            return None
        if level & 1:
            parts += (glyphs[last:start], glyphs[start:end][::-1])
            last = end
    if not parts:
        return glyphs
    parts.append(glyphs[last:])
    return "".join(parts)


def _cells(kinds: str) -> str:
    """One letter per cell: ``n`` (a letter, or a space carrying marks: not a place to
    break) or ``s`` (a break space)."""
    if "m" not in kinds and "l" not in kinds:
        return kinds
    return kinds.encode("ascii").replace(b"sm", b"nm").translate(None, b"ml").decode("ascii")


# A line's end in code points: ``columns`` cells on from its start, and their marks. Each
# round counts the zero-width code points (``m`` in ``zero``) in the stretch the last one
# added — two or three rounds in C for a line with a few marks, where a list of every
# cell's offset took a Python int per code point.
_ZERO_RUN: Final = re.compile("m*")


def _reorder(text: str, levels: bytes) -> str:
    """L2 on a line of one code point per cell. Two levels, the lower odd (numbers or Latin
    in an Arabic line: nearly every line with two levels), in two passes: the line
    reversed, then the higher runs reversed back."""
    low, high = min(levels), max(levels)
    if low & 1 and high == low + 1 and levels.count(low) + levels.count(high) == len(levels):
        backwards, flipped = text[::-1], levels[::-1]
        parts: list[str] = []
        last = 0
        for m in _higher_runs(high).finditer(flipped):
            start, end = m.span()
            parts += (backwards[last:start], backwards[start:end][::-1])
            last = end
        parts.append(backwards[last:])
        return "".join(parts)
    runs = uax9.visual_runs(levels)
    return "".join([text[s:e][::-1] if rev else text[s:e] for s, e, rev in runs])


@lru_cache(maxsize=8)
def _higher_runs(level: int) -> re.Pattern[bytes]:
    return re.compile(re.escape(bytes((level,))) + b"+")


def plain_texts(an: Analysis, width: int) -> list[str] | None:
    """``engine.layout_texts`` of a plain paragraph (app mode); None for any other one.

    ``width`` is at least ``engine.MIN_WIDTH``.
    """
    if not is_plain(an):
        return None
    lines = _lines(an, width)
    if lines is None or an.kinds.find("l") == -1:
        return lines
    return [line.replace(ALEF_DRAWN_BY_LAM, "") for line in lines]


def plain_body(an: Analysis, width: int) -> str | None:
    """``"\\n".join(plain_texts(an, width))`` for an analysis known to be plain."""
    lines = _lines(an, width)
    if lines is None:
        return None
    body = "\n".join(lines)
    return body.replace(ALEF_DRAWN_BY_LAM, "") if an.kinds.find("l") != -1 else body


def _lines(an: Analysis, width: int) -> list[str] | None:
    """The lines of a plain paragraph, each lam-alef's alef still drawn as the marker."""
    levels, classes, kinds = an.levels, an.classes, an.kinds
    assert levels is not None and classes is not None
    glyphs = _glyphs_for_runs(an, levels)
    if glyphs is None:
        return None
    n = len(kinds)
    cells = _cells(kinds)
    count = len(cells)
    zero = None if cells is kinds else kinds.replace("l", "m")
    one_level = levels.count(levels[0]) == n
    rtl = an.base == 1
    out: list[str] = []
    pos = 0  # in cells
    end = 0  # in code points: where the line before ended (its break spaces included)
    for m in _line_pattern(width).finditer(cells):
        first = m.start()
        if first != pos:
            return None
        cell_end = m.end(1)  # groups by number: "content", then "word"
        if cell_end == -1:  # a word wider than the line, cut
            cell_end = pos = m.end(2)
        else:
            pos = m.end()
        columns = cell_end - first
        start = end
        end = start + columns
        if zero is not None:  # past the marks of the line's cells (see _advance)
            while (further := start + columns + zero.count("m", start, end)) != end:
                end = further
            end = _ZERO_RUN.match(zero, end).end()  # type: ignore[union-attr]
        if classes[end - 1] in _L1_TRAILING:
            return None
        text = glyphs[start:end]
        if one_level:
            if levels[start] & 1:
                text = text[::-1]
        else:
            line_levels = levels[start:end]
            first = line_levels[0]
            if line_levels.count(first) == end - start:
                if first & 1:
                    text = text[::-1]
            else:
                text = _reorder(text, line_levels)
        if rtl and columns < width:
            text = " " * (width - columns) + text
        out.append(text)
        end += pos - cell_end  # the break spaces: one code point each, no marks
    return out if pos == count else None
