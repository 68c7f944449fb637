"""Controls are drawn, not obeyed: placeholders one for one, bidi controls visible and
contained in their paragraph, the marks Arabic needs still working, tabs expanded.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus import Document
from reader.export import ExportData
from reader.export import write as export_write
from reader.layout import BidiMode, layout_line, layout_paragraph, paragraph_direction
from reader.store import Store

from .fixtures import (
    ARABIC,
    BIDI_CONTROLS,
    CONTROL_CHARS,
    controls_document,
    trojan_source_document,
)

MODES = list(BidiMode)


def _cell_for(text: str, offset: int, mode: BidiMode) -> str | None:
    for line in layout_paragraph(text, 200, mode):
        for cell in line.cells:
            if cell.start == offset:
                return cell.text
    return None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("control", CONTROL_CHARS + list(BIDI_CONTROLS), ids=repr)
def test_each_control_is_one_visible_cell_at_its_own_offset(control: str, mode: BidiMode) -> None:
    text = f"بت{control}ثج abc"
    drawn = _cell_for(text, 2, mode)
    assert drawn is not None, "the control is drawn (visible), not hidden"
    assert control not in drawn and drawn.isprintable()
    # offsets are not shifted: the letter after it is still at offset 3
    after = _cell_for(text, 3, mode)
    assert after is not None and after not in ("", drawn)


@pytest.mark.parametrize("mode", MODES)
def test_a_whole_document_of_controls_keeps_its_offsets(mode: BidiMode) -> None:
    text = controls_document().rstrip("\n")
    starts = sorted(c.start for line in layout_paragraph(text, 60, mode) for c in line.cells)
    hidden = [o for line in layout_paragraph(text, 60, mode) for o in line.hidden]
    assert sorted(starts + hidden) == list(range(len(text)))


def test_bidi_controls_cannot_reach_the_next_paragraph() -> None:
    """An unterminated RLO/LRI reorders its own paragraph at most; the next is untouched."""
    paragraphs = trojan_source_document().rstrip("\n").split("\n")
    alone = layout_paragraph(paragraphs[2], 120)
    assert alone[0].text() == "second paragraph stays left to right: abc def"
    for mode in MODES:
        for paragraph in paragraphs[:2]:
            for line in layout_paragraph(paragraph, 120, mode):
                assert not any(ch in BIDI_CONTROLS for ch in line.text())


def test_override_still_acts_inside_its_own_paragraph() -> None:
    # RLO … PDF: the Latin letters inside are drawn right to left, visibly marked
    text = "x \u202eabc\u202c y"
    shown = layout_paragraph(text, 80, BidiMode.APP, fallback_rtl=False)[0].text()
    assert "cba" in shown and "\u202e" not in shown


def test_marks_that_arabic_needs_keep_working() -> None:
    # RLM / ALM make a Latin-first paragraph right to left; LRM the opposite
    assert paragraph_direction("\u200fabc", fallback_rtl=False)
    assert paragraph_direction("\u061cabc", fallback_rtl=False)
    assert not paragraph_direction("\u200eبت", fallback_rtl=True)
    # ZWNJ breaks joining, ZWJ forces it: the first beh changes form
    joined = layout_line("بب").cells
    broken = layout_line("ب\u200cب").cells
    forced = layout_line("ب\u200d").cells
    first = {cell.start: cell.text for cell in joined}[0]
    assert {c.start: c.text for c in broken}[0] != first  # isolated, not initial
    assert {c.start: c.text for c in forced}[0] == first  # initial, as if joined
    # and none of them is drawn as a visible glyph in app mode
    for text in ("ب\u200cب", "ب\u200db", "\u200fab", "a\u061cb", "a\u200eb"):
        line = layout_line(text)
        assert len(line.hidden) == 1 and len(line.cells) == len(text) - 1, line


def test_tabs_are_expanded() -> None:
    line = layout_paragraph("أ\tب\tc", 80)[0]
    assert "\t" not in line.text()
    assert line.width - line.indent == 3 + 2 * 4


def test_reader_show_draws_controls(tmp_path: Path) -> None:
    path = tmp_path / "controls.txt"
    # without NUL: a NUL byte marks a binary file, refused before any drawing
    path.write_text(controls_document().replace("\x00", "") + "\u202eabc\u2066def\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "show", str(path), "--width", "60"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.replace("\n", "")
    assert not any(ch in out for ch in CONTROL_CHARS + list(BIDI_CONTROLS))
    assert "␛" in out and "␇" in out and "␡" in out


@pytest.mark.parametrize("fmt", ["md", "html", "csv-excel"])
def test_human_readable_exports_draw_controls(tmp_path: Path, fmt: str) -> None:
    text = ARABIC + " " + "".join(CONTROL_CHARS) + BIDI_CONTROLS + " نهاية\n"
    doc = Document(tmp_path / "doc.txt", "doc.txt", text, "utf-8", len(text))
    store = Store(tmp_path / "store", "tester")
    ann = store.add(doc, 0, len(text) - 1, ["arms"], note="".join(CONTROL_CHARS))
    store.close()
    out = io.StringIO()
    name, excel = (fmt.removesuffix("-excel"), fmt.endswith("-excel"))
    export_write(name, ExportData([ann], store.themes, {"doc.txt": doc}), out, excel=excel)
    body = out.getvalue().replace("\r\n", "\n")
    leftover = [ch for ch in CONTROL_CHARS + list(BIDI_CONTROLS) if ch in body and ch != "\n"]
    assert leftover == []
    assert "␛" in body  # drawn, not dropped
