"""Scraper boilerplate: the lines a web scraper kept that are not the article.

The seeds hold "Sorry, you need to enable JavaScript to visit this website.", "اقرأ
المزيد" (read more), "يحتوي هذا القسم على المقلات ذات صلة, الموضوعة في (Related Nodes
field)", a "© The Independent" line, "مقالات مشابهة" (similar articles), "كلمات دلالية: …"
(tags)… The reader dims such paragraphs, its sentence keys step over them, and suggestions
leave them out (``b`` shows them as text).

A paragraph is boilerplate when, compared in search form (:func:`reader.arabic.fold`:
أ/إ/ا, tanween, case… folded, so "إقرأ أيضاً:" is "اقرا ايضا:"), it starts with one of
:data:`PHRASES` and has at most that phrase's number of words, or holds one of
:data:`INSIDE`. A real paragraph that happens to begin the same way ("المزيد من
القوات…") is longer than the link it resembles, so the word limits keep it. The headlines
of other articles listed under "مقالات مشابهة" or "إقرأ أيضاً:" are left as text: they are
news, and the gold set's labellers tagged them.

Pure (no Textual) and lazy: a paragraph is looked at when asked about, and only a
short one is folded, so a 20 MB document costs what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from reader.arabic import fold
from reader.corpus import Document, Span

#: A paragraph longer than this (in code points) is never boilerplate: not even folded.
MAX_CHARS = 300

#: (phrase, at most this many words in the paragraph): the paragraph starts with the phrase.
PHRASES: tuple[tuple[str, int], ...] = (
    ("Sorry, you need to enable JavaScript", 16),
    ("You need to enable JavaScript", 16),
    ("Please enable JavaScript", 16),
    ("JavaScript is disabled", 16),
    ("Enable JavaScript", 12),
    ("Advertisement", 2),
    ("Subscribe to", 8),
    ("Sign in", 6),
    ("Log in", 6),
    ("All rights reserved", 8),
    ("Read more", 4),
    ("Related articles", 4),
    ("©", 8),
    ("اقرأ المزيد", 3),
    ("اقرأ أيضا", 3),
    ("اقرأ كذلك", 3),
    ("المزيد من", 4),
    ("مقالات مشابهة", 3),
    ("مقالات ذات صلة", 4),
    ("أخبار ذات صلة", 4),
    ("مواضيع ذات صلة", 4),
    ("ربما يعجبك أيضا", 4),
    ("قد يعجبك أيضا", 4),
    ("قد يهمك أيضا", 4),
    ("تابع أحدث الأخبار", 8),
    ("تابعونا على", 8),
    ("اشترك في النشرة", 10),
    ("اشترك الآن", 6),
    ("إعلان", 1),
    ("كلمات دلالية", 30),
    ("الكلمات الدالة", 30),
    ("وسوم:", 30),
    ("يحتوي هذا القسم على", 20),
    ("جميع الحقوق محفوظة", 10),
)

#: Held anywhere in a short paragraph (a CMS's placeholder, a cookie banner).
INSIDE: tuple[str, ...] = (
    "(Related Nodes field)",
    "enable JavaScript to",
    "uses cookies",
    "جميع الحقوق محفوظة",
)


def _search_form(text: str) -> str:
    return " ".join(fold(text)[0].split())


_PHRASES = tuple((_search_form(p), words) for p, words in PHRASES)
_INSIDE = tuple(_search_form(p) for p in INSIDE)


def is_boilerplate(text: str) -> bool:
    """Whether this paragraph is scraper boilerplate."""
    if len(text) > MAX_CHARS or not text.strip():
        return False
    form = _search_form(text)
    words = len(form.split())
    if any(words <= most and form.startswith(phrase) for phrase, most in _PHRASES):
        return True
    return any(phrase in form for phrase in _INSIDE)


class Boilerplate:
    """Which paragraphs of one document are boilerplate, each found when first asked."""

    def __init__(self, paragraph_text: Callable[[int], str], count: int) -> None:
        self.count = count
        self._found = lru_cache(maxsize=8192)(lambda index: is_boilerplate(paragraph_text(index)))

    @classmethod
    def of(cls, document: Document) -> Boilerplate:
        return cls(lambda index: document.paragraph(index).text, document.paragraph_count)

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int) or not 0 <= index < self.count:
            return False
        return bool(self._found(index))

    def indexes(self) -> Iterator[int]:
        """Every boilerplate paragraph (reads the whole document)."""
        return (index for index in range(self.count) if index in self)


def content_sentences(document: Document) -> Iterator[Span]:
    """The document's sentences outside boilerplate (what suggestions look at)."""
    boilerplate = Boilerplate.of(document)
    for paragraph in document.paragraphs():
        if paragraph.index not in boilerplate:
            yield from document.sentences(paragraph)
