"""Where the passage cursor goes: sentences, paragraphs and word-by-word edges.

Pure logic over a :class:`~reader.corpus.Document` in logical offsets; the
document view turns keys into these moves, and decides which way is forward
from what the eye sees. No Textual import, so it is tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from reader.corpus import Document, Paragraph, Span

_WORD = re.compile(r"\S+")


class Navigator:
    """Sentence, paragraph and word moves over one document.

    ``skip`` names paragraphs that the sentence and paragraph keys step over (scraper
    boilerplate, :mod:`reader.boilerplate`); a click or a jump may still land in one, and
    the keys then move on from there.
    """

    def __init__(self, document: Document, skip: Callable[[int], bool] | None = None) -> None:
        self.document = document
        self.skip = skip
        self._sentences = lru_cache(maxsize=4096)(self._sentences_of)
        self._words = lru_cache(maxsize=1024)(self._words_of)

    def _sentences_of(self, index: int) -> tuple[Span, ...]:
        return tuple(self.document.sentences(self.document.paragraph(index)))

    def _words_of(self, index: int) -> tuple[Span, ...]:
        paragraph = self.document.paragraph(index)
        return tuple(
            Span(paragraph.start + m.start(), paragraph.start + m.end())
            for m in _WORD.finditer(paragraph.text)
        )

    def sentences(self, index: int) -> tuple[Span, ...]:
        """The sentences of paragraph ``index`` (none for a blank line)."""
        return self._sentences(index)

    def paragraph_of(self, offset: int) -> Paragraph:
        return self.document.paragraph_at(offset)

    # --- sentences --------------------------------------------------------

    def first(self) -> Span | None:
        # A document of boilerplate alone still has a first sentence.
        return self._first_from(0, 1) or self._first_from(0, 1, skipping=False)

    def last(self) -> Span | None:
        last = self.document.paragraph_count - 1
        return self._first_from(last, -1) or self._first_from(last, -1, skipping=False)

    def _wanted(self, index: int, skipping: bool = True) -> tuple[Span, ...]:
        """The sentences of paragraph ``index`` if the keys stop there, else none."""
        if skipping and self.skip is not None and self.skip(index):
            return ()
        return self.sentences(index)

    def _first_from(self, index: int, step: int, *, skipping: bool = True) -> Span | None:
        """First (step 1) or last (step -1) sentence of the nearest paragraph the keys stop
        at (not blank, not skipped)."""
        count = self.document.paragraph_count
        while 0 <= index < count:
            found = self._wanted(index, skipping)
            if found:
                return found[0] if step > 0 else found[-1]
            index += step
        return None

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding ``offset``, else the nearest one in its paragraph."""
        paragraph = self.paragraph_of(offset)
        found = self.sentences(paragraph.index)
        for span in found:
            if offset < span.end:
                return span
        return found[-1] if found else self._first_from(paragraph.index, 1)

    def next_sentence(self, offset: int) -> Span | None:
        """The sentence starting after ``offset``, crossing into later paragraphs."""
        paragraph = self.paragraph_of(offset)
        for span in self.sentences(paragraph.index):
            if span.start > offset:
                return span
        return self._first_from(paragraph.index + 1, 1)

    def previous_sentence(self, offset: int) -> Span | None:
        """The sentence starting before ``offset``, crossing into earlier paragraphs."""
        paragraph = self.paragraph_of(offset)
        for span in reversed(self.sentences(paragraph.index)):
            if span.start < offset:
                return span
        return self._first_from(paragraph.index - 1, -1)

    # --- paragraphs -------------------------------------------------------

    def next_paragraph(self, offset: int) -> Span | None:
        return self._first_from(self.paragraph_of(offset).index + 1, 1)

    def previous_paragraph(self, offset: int) -> Span | None:
        """First sentence of the paragraph before the one holding ``offset``."""
        index = self.paragraph_of(offset).index - 1
        while index >= 0 and not self._wanted(index):
            index -= 1
        return self.sentences(index)[0] if index >= 0 else None

    def whole_paragraph(self, offset: int) -> Span | None:
        """The paragraph holding ``offset``, without its leading and trailing spaces."""
        words = self._words(self.paragraph_of(offset).index)
        return Span(words[0].start, words[-1].end) if words else None

    # --- word edges -------------------------------------------------------

    def move_edge(self, selection: Span, edge: str, step: int) -> Span:
        """Move one edge of ``selection`` by a word, in reading order.

        Args:
            selection: the current selection.
            edge: ``"start"`` or ``"end"``.
            step: +1 forward in reading order, -1 backward.

        Returns:
            The new selection: never empty, never beyond its paragraph.
        """
        words = self._words(self.paragraph_of(selection.start).index)
        start, end = selection.start, selection.end
        if edge == "end":
            if step > 0:
                later = [w.end for w in words if w.end > end]
                end = later[0] if later else end
            else:
                earlier = [w.end for w in words if start < w.end < end]
                end = earlier[-1] if earlier else end
        elif step > 0:
            later = [w.start for w in words if start < w.start < end]
            start = later[0] if later else start
        else:
            earlier = [w.start for w in words if w.start < start]
            start = earlier[-1] if earlier else start
        return Span(start, end)

    def word_at(self, offset: int) -> Span | None:
        for word in self._words(self.paragraph_of(offset).index):
            if word.start <= offset < word.end:
                return word
        return None
