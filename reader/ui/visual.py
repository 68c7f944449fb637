"""Turn strings into Rich text in visual order, through the layout engine.

Every piece of text the app shows that may hold Arabic (titles, quotes, notes,
prompts, the status line) passes through :func:`visual_text`: Rich and the
terminal are never handed logical-order Arabic to reorder on their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from reader.layout import BidiMode, VisualLine, layout_line, layout_paragraph


def line_to_text(line: VisualLine, style: Style | str = "", width: int | None = None) -> Text:
    """A laid-out line as Rich text, padded to ``width`` when given."""
    text = Text(line.text(), style=style, no_wrap=True, overflow="crop", end="")
    if width is not None:
        text.pad_right(max(0, width - text.cell_len))
    return text


def visual_text(
    text: str,
    width: int | None = None,
    mode: BidiMode = BidiMode.APP,
    style: Style | str = "",
    *,
    pad: bool = False,
) -> Text:
    """One line of ``text`` in visual order, cut with an ellipsis to ``width``.

    Args:
        text: logical-order text; newlines are flattened to spaces.
        width: columns available, or None for no limit.
        mode: the app's bidi mode (``terminal`` leaves reordering to the terminal).
        style: Rich style for the whole line.
        pad: pad to ``width`` so right-aligned RTL text keeps its alignment in a cell.
    """
    flat = " ".join(text.split())
    if width is not None and width <= 0:
        return Text("", end="")
    line = layout_line(flat, width, mode)
    return line_to_text(line, style, width if pad else None)


#: One part of a status line: a text, or texts each laid out as a paragraph of its own.
Part = str | tuple[str, ...]


def visual_parts(
    parts: Sequence[Part], width: int | None, mode: BidiMode = BidiMode.APP, sep: str = " · "
) -> Text:
    """Parts side by side, left to right, each laid out as a paragraph of its own.

    A status line is not one paragraph: "note: " and the note's Arabic text with a Latin
    word at its end read in two directions, and laid out together the Latin tail would
    land on the wrong side of the note. A tuple's texts are laid out one by one and
    joined by a space ("note:", then the note). What does not fit ``width`` is cut with
    an ellipsis; the result is padded to ``width``.
    """
    pieces: list[str] = []
    for number, part in enumerate(parts):
        if number:
            pieces.append(sep)
        texts = (part,) if isinstance(part, str) else part
        pieces.append(" ".join(layout_line(" ".join(t.split()), None, mode).text() for t in texts))
    line = Text("".join(pieces), no_wrap=True, overflow="ellipsis", end="")
    if width is not None:
        line.truncate(max(0, width), overflow="ellipsis", pad=True)
    return line


#: Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo… and their presentation forms).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def visual_block(text: str, width: int, mode: BidiMode = BidiMode.APP) -> str:
    """Text that Textual will wrap itself (a notification), laid out in visual order.

    Wrapping visual-order text again would swap the lines of a right-to-left
    paragraph, so text holding RTL letters is wrapped here, at ``width``, and
    handed over as finished lines. Other text is returned as it is.
    """
    flat = " ".join(text.split())
    if mode is not BidiMode.APP or not _RTL.search(flat):
        return flat
    return "\n".join(line.text() for line in layout_paragraph(flat, max(1, width), mode))
