"""Notifications carry file names and store problems: drawn by the engine, never as markup."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._toast import Toast  # no public handle on a toast's text

from reader.layout import BidiMode, layout_paragraph
from reader.ui.visual import visual_block
from tests.ui_support import SIZE, reader_app

ARABIC = "لا يمكن فتح الملف تقرير الأسلحة والذخيرة في كوريا الشمالية"


def test_visual_block_lays_out_arabic_and_leaves_other_text_alone() -> None:
    expected = "\n".join(line.text() for line in layout_paragraph(ARABIC, 30, BidiMode.APP))
    assert visual_block(ARABIC, 30) == expected
    assert expected != ARABIC  # shaped and reordered: the check means something
    assert visual_block("plain  english\ntext", 30) == "plain english text"
    assert visual_block(ARABIC, 30, BidiMode.TERMINAL) == ARABIC


async def test_a_toast_shows_arabic_in_visual_order_and_names_with_brackets(
    tmp_path: Path,
) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify(f"[/x].txt: {ARABIC}", title="[b]cannot open")
        await pilot.pause(0.2)
        toast = app.screen.query(Toast).last()
        shown = toast.render()
        plain = getattr(shown, "plain", str(shown))
        assert "[/x].txt" in plain and "[b]cannot open" in plain
        visual = visual_block(f"[/x].txt: {ARABIC}", 44)
        assert all(line in plain for line in visual.splitlines())
