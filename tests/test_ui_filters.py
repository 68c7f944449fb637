"""The reader's filters: ``f`` (one theme) and ``w`` (one annotator) filter the annotation
panel and the document view together; ``]``/``[`` and ``tab`` move among what is shown."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.store import Store
from reader.ui.app import make_app
from reader.ui.widgets.status_line import StatusLine
from tests.ui_support import SEED, SIZE, corpus, document, screen, view, walked

#: (sentence, themes, annotator): what the store holds before the app opens.
TAGS = [
    (1, ["arms"], "alice"),
    (2, ["troops"], "bob"),
    (4, ["arms", "china"], "bob"),
    (6, ["china"], "alice"),
    (7, ["arms"], "bob"),
]


def app_with_tags(tmp_path: Path) -> object:
    doc = document(tmp_path)
    spans = walked(doc)
    for who in ("alice", "bob"):
        store = Store(tmp_path / "store", who)
        for n, themes, annotator in TAGS:
            if annotator == who:
                store.add(doc, spans[n].start, spans[n].end, themes)
        store.close()
    folder = corpus(tmp_path)
    return make_app([folder / SEED], tmp_path / "store", "app", "bob", open_path=folder / SEED)


def shown(pilot: Pilot[None]) -> tuple[list[int], list[int]]:
    """Sentence numbers of the annotations in the panel and of those the view paints."""
    spans = walked(screen(pilot).document)
    where = {(s.start, s.end): n for n, s in enumerate(spans)}
    panel = [where[(a.start, a.end)] for a in screen(pilot).panel.annotations]
    painted = [where[(a.start, a.end)] for a in view(pilot).annotations]
    return panel, painted


def status(pilot: Pilot[None]) -> str:
    return screen(pilot).query_one("#reader-status", StatusLine).text


async def test_f_shows_one_theme_in_the_panel_and_the_text(tmp_path: Path) -> None:
    async with app_with_tags(tmp_path).run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        assert shown(pilot) == ([1, 2, 4, 6, 7], [1, 2, 4, 6, 7])
        await pilot.press("f")  # Arms
        assert shown(pilot) == ([1, 4, 7], [1, 4, 7])
        assert "only Arms (f)" in status(pilot)
        await pilot.press("f", "f", "f")  # Troops, Sanctions, China's role
        assert shown(pilot) == ([4, 6], [4, 6])
        # What is painted is what is kept: a china row is tinted, a troops row is not.
        v = view(pilot)
        spans = walked(v.document)
        assert v.marks.tag_under(spans[2], "bob") is None
        assert v.marks.tag_under(spans[4], "bob") is not None
        await pilot.press("f")  # every theme again
        assert shown(pilot) == ([1, 2, 4, 6, 7], [1, 2, 4, 6, 7])
        assert "(f)" not in status(pilot)


async def test_brackets_and_tab_move_among_what_is_shown(tmp_path: Path) -> None:
    async with app_with_tags(tmp_path).run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        spans = walked(screen(pilot).document)
        await pilot.press("f")  # Arms: sentences 1, 4, 7
        await pilot.press("right_square_bracket")
        assert view(pilot).selection == spans[1]
        await pilot.press("right_square_bracket")
        assert view(pilot).selection == spans[4]  # 2 (troops) is not shown
        await pilot.press("j", "tab")  # on sentence 5: the panel opens on the next shown
        assert screen(pilot).panel.current is not None
        assert screen(pilot).panel.current.start == spans[7].start


async def test_w_and_f_together(tmp_path: Path) -> None:
    async with app_with_tags(tmp_path).run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        await pilot.press("w")  # yours (bob's): 2, 4, 7
        assert shown(pilot) == ([2, 4, 7], [2, 4, 7])
        assert "only yours (w)" in status(pilot)
        await pilot.press("f")  # and Arms: 4, 7
        assert shown(pilot) == ([4, 7], [4, 7])
        await pilot.press("w")  # alice's Arms: 1
        assert shown(pilot) == ([1], [1])
        # A tag made while filtered is stored, and shown once the filters allow it.
        await pilot.press("g", "j", "j", "j", "2")  # troops on sentence 3 (bob's, hidden)
        assert shown(pilot) == ([1], [1])
        await pilot.press("w", "f")  # everyone's, Troops
        assert shown(pilot) == ([2, 3], [2, 3])


def test_steps_skip_orphans_and_what_is_not_wanted() -> None:
    """step_from / first_from: reading order, both ways, from inside or between passages."""
    from reader.store import Annotation
    from reader.ui.filters import first_from, step_from

    def make(start: int, end: int, theme: str, status: str = "anchored") -> Annotation:
        return Annotation(
            id=f"id-{start}", doc="d.txt", doc_sha256="0" * 64, start=start, end=end,
            quote="x" * (end - start), prefix="", suffix="", themes=[theme], note="",
            annotator="a", created="", updated="", status=status,
        )  # fmt: skip

    ordered = [
        make(0, 5, "arms"),
        make(10, 20, "china"),
        make(12, 14, "arms", "orphaned"),
        make(30, 40, "arms"),
    ]
    arms = lambda a: "arms" in a.themes  # noqa: E731
    assert step_from(ordered, (0, 5), 1, arms) is ordered[3]  # the orphan is stepped over
    assert step_from(ordered, (30, 40), -1, arms) is ordered[0]
    assert step_from(ordered, (10, 20), 1, lambda a: True) is ordered[3]
    assert step_from(ordered, (30, 40), 1, arms) is None
    assert first_from(ordered, 11) is ordered[3] and first_from(ordered, 6) is ordered[1]
