"""The curation and agreement screens, driven by keys alone (Pilot)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, OptionList, Static

from reader.agreement import compute
from reader.store import Annotation, Store
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.agreement import AgreementScreen
from reader.ui.screens.curation import CurationScreen
from reader.ui.screens.prompt import PromptScreen
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.visual_label import VisualLabel
from tests.ui_support import SEED, SIZE, corpus, document

WIDE = (140, 36)


def two_annotators(tmp_path: Path, third: bool = False) -> dict[str, Annotation]:
    """Alice and bob agree on sentence 0, disagree on 1 (themes) and 3 (only alice)."""
    doc = document(tmp_path)
    s = list(doc.all_sentences())
    made = {}
    plan = [
        ("alice", 0, ["arms"]),
        ("bob", 0, ["arms"]),
        ("alice", 1, ["arms"]),
        ("bob", 1, ["china"]),
        ("alice", 3, ["troops"]),
    ]
    if third:
        plan.append(("carol", 1, ["sanctions"]))
    for who, i, themes in plan:
        store = Store(tmp_path / "store", who)
        made[f"{who}{i}"] = store.add(doc, s[i].start, s[i].end, themes)
        store.close()
    return made


def curator_app(tmp_path: Path, name: str = "dana") -> ReaderApp:
    folder = corpus(tmp_path)
    return make_app(
        [folder / SEED],
        tmp_path / "store",
        "app",
        name,
        open_path=folder / SEED,
        curated=tmp_path / "curated",
    )


def curated(tmp_path: Path) -> list[Annotation]:
    store = Store(tmp_path / "curated", "checker")
    try:
        return list(store.all_annotations())
    finally:
        store.close()


async def test_curation_by_keys_alone(tmp_path: Path) -> None:
    made = two_annotators(tmp_path)
    async with curator_app(tmp_path).run_test(size=WIDE) as pilot:
        await pilot.press("C")
        screen = pilot.app.screen
        assert isinstance(screen, CurationScreen)
        status = screen.query_one("#curation-status", VisualLabel)
        assert status.text.startswith("disagreement 1/2 · A: Arms")
        assert "B: China's role" in status.text and "taken: nothing yet" in status.text
        views = list(screen.query(DocumentView))
        assert [v.selection.start for v in views] == [made["alice1"].start] * 2
        await pilot.press("a")  # take alice's
        [record] = curated(tmp_path)
        assert (record.annotator, record.themes) == ("dana", ["arms"])
        assert "taken: A" in status.text
        await pilot.press("b")  # change it to bob's
        assert [r.themes for r in curated(tmp_path)] == [["china"]]
        await pilot.press("j", "x")  # the next place (only alice tagged it): neither
        assert status.text.startswith("disagreement 2/2") and "B: nothing" in status.text
        await pilot.press("t")  # both: alice's only, bob has none here
        assert len(curated(tmp_path)) == 2
        await pilot.press("u")  # undo: nothing taken there again
        assert len(curated(tmp_path)) == 1 and "taken: nothing yet" in status.text
        await pilot.press("ctrl+r", "T")  # redo, then the agreed first sentence
        assert len(curated(tmp_path)) == 3
        await pilot.press("k")
        assert status.text.startswith("disagreement 1/2") and "taken: B" in status.text
        await pilot.press("j", "j")  # no more this way: stays
        assert status.text.startswith("disagreement 2/2")
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, CurationScreen)
    # The source store is untouched: curation only reads it.
    source = Store(tmp_path / "store", "checker")
    assert {a.id for a in source.all_annotations()} == {a.id for a in made.values()}
    source.close()


async def test_curation_asks_which_two_of_three_and_needs_two(tmp_path: Path) -> None:
    two_annotators(tmp_path, third=True)
    async with curator_app(tmp_path).run_test(size=WIDE) as pilot:
        await pilot.press("C")
        assert isinstance(pilot.app.screen, PromptScreen)
        pilot.app.screen.query_one(Input).insert_text_at_cursor("carol bob")
        await pilot.press("enter")
        screen = pilot.app.screen
        assert isinstance(screen, CurationScreen) and screen.names == ("carol", "bob")
    (tmp_path / "x").mkdir()
    app = make_app([corpus(tmp_path / "x") / SEED], tmp_path / "x" / "store", "app", "dana",
                   open_path=corpus(tmp_path / "x") / SEED)  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        assert not isinstance(pilot.app.screen, CurationScreen)


async def test_agreement_screen_shows_the_figures_of_reader_agree(tmp_path: Path) -> None:
    two_annotators(tmp_path)
    async with curator_app(tmp_path).run_test(size=WIDE) as pilot:
        await pilot.press("A")
        screen = pilot.app.screen
        assert isinstance(screen, AgreementScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        report = screen.report
        assert report is not None and report.annotators == ["alice", "bob"]
        store = Store(tmp_path / "store", read_only=True)
        anns = list(store.all_annotations())
        store.close()
        by = {n: [a for a in anns if a.annotator == n] for n in ("alice", "bob")}
        expected = compute(by, {SEED: document(tmp_path)}, list(report.themes))
        assert report.overall == expected.overall
        docs = screen.query_one(OptionList)
        assert docs.option_count == 2  # all documents, then the one document
        await pilot.press("down")
        listing = screen.query_one("#agreement-disagreements", Static)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(listing.content)
        shown = console.export_text()
        assert "Sentences given different themes: 2" in shown
        assert "61–118  alice: Arms · bob: China's role\n" in shown
        assert "159–246  alice: Troops · bob: —\n" in shown
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, AgreementScreen)
