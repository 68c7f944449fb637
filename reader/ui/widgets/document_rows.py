"""The rows of a document at one width: paragraphs laid out on demand, heights in a tree.

The document view draws only what is on screen, so it must know which paragraph
and which of its lines a screen row shows without laying out the whole document.
Each paragraph's height starts as an estimate from its length and becomes exact
the first time the paragraph is laid out (:func:`reader.layout.layout_paragraph`);
the heights live in a Fenwick tree (:class:`reader.ui.rows.RowIndex`), so a
correction, the first row of a paragraph and the paragraph at a row are O(log n).
Pure: no Textual (the view publishes the heights changed since :attr:`DocumentRows.unsettled`).
"""

from __future__ import annotations

import operator

from reader.corpus import Document
from reader.layout import BidiMode, VisualLine, layout_paragraph
from reader.ui.rows import RowIndex

#: Rough columns per code point (in tenths), to estimate the height of a paragraph not yet
#: laid out: wrapping at spaces leaves some columns unused.
_ESTIMATE_TENTHS = 11


class DocumentRows:
    """The visual lines of ``document`` at :attr:`width` columns, laid out when asked for."""

    def __init__(self, document: Document, mode: BidiMode = BidiMode.APP) -> None:
        self.document = document
        self.mode = mode
        self.width = 0
        """Columns the paragraphs are wrapped at (0 until :meth:`reset`)."""
        self.laid_out: dict[int, tuple[VisualLine, ...]] = {}
        """The lines of each paragraph laid out so far, by paragraph index."""
        self.index = RowIndex()
        """Paragraph heights (estimates until laid out) and their first rows."""
        self.unsettled: int | None = None
        """The first paragraph whose height changed since the owner last published the
        total (see ``settled``), or None."""

    def __len__(self) -> int:
        return len(self.index)

    @property
    def total(self) -> int:
        """Rows of the whole document (estimates included)."""
        return self.index.total

    def reset(self, width: int) -> None:
        """Wrap at ``width`` columns from now on: every height is estimated afresh."""
        self.width = max(1, width)
        self.laid_out.clear()
        starts = self.document.line_starts
        ends = [*starts[1:], len(self.document.text) + 1]
        # Integer arithmetic: a 20 MB document has some 100,000 paragraphs to estimate.
        scale = self.width * 10
        self.index = RowIndex(
            (length * _ESTIMATE_TENTHS + scale - 1) // scale or 1
            for length in map(operator.sub, ends, starts)
        )
        self.unsettled = 0

    def settled(self) -> int | None:
        """The first paragraph whose height changed since the last call, or None (the owner
        publishes the heights then; rows above that paragraph's have not moved)."""
        changed, self.unsettled = self.unsettled, None
        return changed

    def lines_of(self, index: int) -> tuple[VisualLine, ...]:
        """The laid-out lines of paragraph ``index`` at the current width."""
        lines = self.laid_out.get(index)
        if lines is None:
            text = self.document.paragraph(index).text
            lines = layout_paragraph(text, self.width, self.mode)
            self.laid_out[index] = lines
            if self.index.height(index) != len(lines):
                self.index.set(index, len(lines))  # O(log n)
                if self.unsettled is None or index < self.unsettled:
                    self.unsettled = index
        return lines

    def ensure(self, first: int, last: int) -> None:
        """Lay out paragraphs ``first`` to ``last`` (clamped)."""
        for index in range(max(0, first), min(last, len(self.index) - 1) + 1):
            self.lines_of(index)

    def start(self, index: int) -> int:
        """The first row of paragraph ``index``."""
        return self.index.start(index)

    def paragraph_at(self, row: int) -> int:
        """The paragraph drawing ``row`` (clamped to the first and the last)."""
        return self.index.find(row)

    def row_of(self, offset: int) -> int:
        """The row drawing document ``offset``."""
        paragraph = self.document.paragraph_at(offset)
        lines = self.lines_of(paragraph.index)
        local = offset - paragraph.start
        first = self.index.start(paragraph.index)
        for number, line in enumerate(lines):
            if local < line.end or number == len(lines) - 1:
                return first + number
        return first

    def line_at(self, row: int) -> tuple[int, VisualLine] | None:
        """``(paragraph index, line)`` drawn at ``row``, or None beyond the document."""
        if not len(self.index) or not 0 <= row < self.index.total:
            return None
        index = self.index.find(row)
        lines = self.lines_of(index)
        number = row - self.index.start(index)
        return (index, lines[number]) if number < len(lines) else None
