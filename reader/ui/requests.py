"""What a screen asks the app for: another screen.

Screens never import the app or each other (``tests/test_ui_layering.py``): a
screen that wants the reader opened, or a question asked, posts one of these
messages; it bubbles from the screen to the app, which builds the screen with
its own store, corpus and bidi mode and pushes it. Parameterless screens
(export, statistics, the concordance) are app actions bound as ``app.export``…
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import cache

from textual.message import Message

from reader.corpus import Document, Span
from reader.store import Annotation, Theme


class OpenDocument(Message):
    """Show ``document`` in the reader.

    The cursor goes to the sentence holding ``at`` if given; ``query`` is searched as
    ``/`` would (its hits underlined, ``n``/``N`` step through them); ``theme`` is the
    theme ``}``/``{`` follow (the statistics screen opens a document at one).
    """

    def __init__(
        self,
        document: Document,
        at: Span | None = None,
        query: str = "",
        *,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.document = document
        self.at = at
        self.query = query
        self.theme = theme


class StoreProblems(Message):
    """The store found problems since they were last shown (a damaged file read late, by
    the library's count of its tags): show the new ones."""


class Ask(Message):
    """Ask one line of text; ``then`` gets the answer, or None when cancelled."""

    def __init__(
        self,
        title: str,
        then: Callable[[str | None], None],
        value: str = "",
        context: str = "",
    ) -> None:
        super().__init__()
        self.title = title
        self.then = then
        self.value = value
        self.context = context


class EditAnnotation(Message):
    """Ask how to change another annotator's annotation; ``then`` gets ``(themes, note)``
    or None when cancelled (the dialog says whose it is and that the edit is recorded)."""

    def __init__(
        self,
        annotation: Annotation,
        themes: Sequence[Theme],
        then: Callable[[tuple[list[str], str] | None], None],
    ) -> None:
        super().__init__()
        self.annotation = annotation
        self.themes = list(themes)
        self.then = then


class Curate(Message):
    """Curate two annotators' tags of ``document`` into the app's curated store."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document


@cache  # asked on every refresh of the footer's keys; a module does not come and go
def has_module(name: str) -> bool:
    """Whether an optional screen (export, statistics) is installed."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
