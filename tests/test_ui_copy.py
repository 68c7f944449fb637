"""``y`` copies the passage under the cursor: its logical text, to the clipboard by OSC 52."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from reader.store import Store
from tests.ui_support import SIZE, document, reader_app, screen, view, walked


async def test_y_copies_the_selected_sentence_as_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document(tmp_path)
    sentence = walked(doc)[2]
    expected = doc.text[sentence.start : sentence.end]
    app = reader_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        written: list[str] = []
        driver = app._driver
        assert driver is not None
        monkeypatch.setattr(driver, "write", written.append)
        await pilot.press("j", "j", "y")
        assert view(pilot).selection == sentence
        assert app.clipboard == expected  # logical order, letters as stored: not what is drawn
        osc = [w for w in written if w.startswith("\x1b]52;c;")]
        assert osc == [f"\x1b]52;c;{base64.b64encode(expected.encode()).decode()}\a"]


async def test_y_in_the_panel_copies_the_annotations_quote(tmp_path: Path) -> None:
    doc = document(tmp_path)
    sentence = list(doc.all_sentences())[4]
    store = Store(tmp_path / "store", "tester")
    store.add(doc, sentence.start, sentence.end, ["arms"])
    store.close()
    app = reader_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert screen(pilot).focused is screen(pilot).panel
        await pilot.press("y")
        assert app.clipboard == doc.text[sentence.start : sentence.end]
