"""Whose annotation is whose, through the reader's keys: bob's keys never change alice's
record; E edits it explicitly (asked first, recorded, undoable); the panel and the status
line name the annotator; w filters the panel by annotator."""

from __future__ import annotations

from pathlib import Path

from reader.store import Annotation, Store
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.edit_other import EditOtherScreen
from reader.ui.screens.prompt import PromptScreen
from reader.ui.widgets.annotation_panel import AnnotationPanel
from reader.ui.widgets.status_line import StatusLine
from reader.ui.widgets.visual_label import VisualLabel
from tests.ui_support import SEED, SIZE, corpus, document, screen, view, walked


def alices(tmp_path: Path) -> tuple[Annotation, Annotation]:
    """Alice tagged the first two sentences (the second with a note)."""
    doc = document(tmp_path)
    first, second = walked(doc)[:2]
    store = Store(tmp_path / "store", "alice")
    try:
        return (
            store.add(doc, first.start, first.end, ["arms"]),
            store.add(doc, second.start, second.end, ["china"], note="alice's reading"),
        )
    finally:
        store.close()


def bobs_app(tmp_path: Path) -> tuple[ReaderApp, list[str]]:
    folder = corpus(tmp_path)
    app = make_app([folder / SEED], tmp_path / "store", "app", "bob", open_path=folder / SEED)
    told: list[str] = []
    show = app.notify

    def notify(message: str, **options: object) -> None:
        told.append(message)
        show(message, **options)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return app, told


def on_disk(tmp_path: Path) -> dict[str, Annotation]:
    store = Store(tmp_path / "store", "checker")
    try:
        return {a.id: a for a in store.all_annotations()}
    finally:
        store.close()


async def test_bobs_keys_never_modify_alices_record(tmp_path: Path) -> None:
    first, second = alices(tmp_path)
    app, told = bobs_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")  # alice's span: bob gets his own annotation
        held = on_disk(tmp_path)
        assert held[first.id] == first and held[first.id].updated == first.updated
        (mine,) = [a for a in held.values() if a.annotator == "bob"]
        assert (mine.start, mine.end, mine.themes) == (first.start, first.end, ["sanctions"])
        await pilot.press("1")  # toggles arms on bob's own, never on alice's
        held = on_disk(tmp_path)
        assert held[first.id] == first and held[mine.id].themes == ["sanctions", "arms"]
        await pilot.press("j", "m")  # the second sentence is only alice's: no note prompt
        assert not isinstance(pilot.app.screen, PromptScreen)
        await pilot.press("d")  # nor a delete
        assert "alice's annotation: your keys do not delete it; E edits it" in told
        await pilot.press("u", "u")  # bob's undo walks back his own changes only
        held = on_disk(tmp_path)
        assert held == {first.id: first, second.id: second}


async def test_e_edits_anothers_annotation_explicitly_recorded_and_undoable(
    tmp_path: Path,
) -> None:
    first, second = alices(tmp_path)
    app, told = bobs_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "E")
        dialog = pilot.app.screen
        assert isinstance(dialog, EditOtherScreen)
        title = dialog.query_one(".edit--title", VisualLabel).text
        assert title == "Edit alice's annotation, as bob"
        await pilot.press("2", "escape")  # cancelled: nothing changes
        assert on_disk(tmp_path)[second.id] == second
        await pilot.press("E", "2", "4")  # troops on, china off
        await pilot.press("enter")  # the confirmation
        edited = on_disk(tmp_path)[second.id]
        assert edited.annotator == "alice" and edited.themes == ["troops"]
        assert edited.note == "alice's reading"
        [entry] = edited.edits
        assert entry["by"] == "bob" and entry["changes"] == {
            "themes": {"from": ["china"], "to": ["troops"]}
        }
        assert "alice's annotation edited; your change is recorded on it" in told
        await pilot.press("u")
        assert on_disk(tmp_path)[second.id].themes == ["china"]
        assert on_disk(tmp_path)[second.id].edits == []
        await pilot.press("E", "4", "enter")  # no theme left: saving is refused
        assert isinstance(pilot.app.screen, EditOtherScreen)
        assert "an annotation needs at least one theme (1–9)" in told
        await pilot.press("4", "enter")  # back as it was: saved, nothing to record
        assert not isinstance(pilot.app.screen, EditOtherScreen)
        now = on_disk(tmp_path)[second.id]  # (the undo above wrote a new ``updated``)
        assert (now.themes, now.note, now.edits) == (["china"], second.note, [])
        await pilot.press("g", "3", "E")  # first sentence: bob's own and alice's
        assert isinstance(pilot.app.screen, EditOtherScreen)
        assert pilot.app.screen.annotation.id == first.id  # E reaches the other's
        await pilot.press("escape")
        assert view(pilot).selection.start == first.start


async def test_panel_and_status_name_the_annotator_and_w_filters(tmp_path: Path) -> None:
    alices(tmp_path)
    app, told = bobs_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        status = screen(pilot).query_one("#reader-status", StatusLine)
        assert "tagged by alice: Arms (not yours" in status.text
        await pilot.press("3")
        assert "tagged by you: Sanctions" in status.text
        panel = pilot.app.screen.query_one(AnnotationPanel)
        heads = {a.annotator: panel.entry_lines(a)[0].plain for a in panel.annotations}
        assert heads["alice"].endswith("· alice") and heads["bob"].endswith("· you")
        assert len(panel.annotations) == 3
        await pilot.press("w")  # yours
        assert [a.annotator for a in panel.annotations] == ["bob"]
        assert "only yours (w)" in status.text
        await pilot.press("w")  # alice's
        assert {a.annotator for a in panel.annotations} == {"alice"}
        await pilot.press("w")  # everyone again
        assert len(panel.annotations) == 3
        assert "showing everyone's annotations" in told
