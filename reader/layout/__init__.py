"""The layout engine: a paragraph of Arabic, Latin or mixed text → screen lines of cells.

Pure: no Textual import. Every piece of text the program draws goes through
:func:`layout_paragraph` or :func:`layout_line`, which apply UAX #9 (levels resolved once per
paragraph, L1–L4 per line), Arabic shaping, wrapping by terminal columns and right alignment,
and replace every control character by a visible placeholder. Each :class:`Cell` says which
paragraph offsets it draws, so selections and highlights are computed on logical offsets and
painted on cells. See docs/LAYOUT.md and the "Layout API" section of docs/ARCHITECTURE.md.
"""

from reader.layout.engine import (
    clear_caches,
    document_direction,
    layout_line,
    layout_paragraph,
    paragraph_direction,
)
from reader.layout.lines import BidiMode, Cell, VisualLine

__all__ = [
    "BidiMode",
    "Cell",
    "VisualLine",
    "clear_caches",
    "document_direction",
    "layout_line",
    "layout_paragraph",
    "paragraph_direction",
]
