"""Pilot tests of the reader screen: every key path, with the store read back from disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.arabic import find_all
from reader.boilerplate import Boilerplate
from reader.corpus import Span
from reader.errors import UsageError
from reader.store import Store
from reader.ui.app import make_app
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.prompt import PromptScreen
from reader.ui.widgets.annotation_panel import AnnotationPanel
from reader.ui.widgets.document_view import DocumentView
from tests.ui_support import (
    SEED,
    SEEDS,
    SIZE,
    document,
    read_only_app,
    reader_app,
    screen,
    stored,
    view,
    walked,
)


def sentences(tmp_path: Path) -> list[Span]:
    return walked(document(tmp_path))


async def test_sentence_keys_walk_the_sentences_in_order(tmp_path: Path) -> None:
    spans = sentences(tmp_path)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        assert view(pilot).selection == spans[0]
        await pilot.press("j", "down", "j")
        assert view(pilot).selection == spans[3]
        await pilot.press("k", "up")
        assert view(pilot).selection == spans[1]
        await pilot.press("G")
        assert view(pilot).selection == spans[-1]
        await pilot.press("g")
        assert view(pilot).selection == spans[0]
        await pilot.press("end")
        assert view(pilot).selection == spans[-1]


async def test_paragraph_and_page_keys(tmp_path: Path) -> None:
    doc = document(tmp_path)
    skipped = Boilerplate.of(doc)  # the keys step over scraper boilerplate
    firsts = [s[0] for p in doc.paragraphs() if (s := doc.sentences(p)) and p.index not in skipped]
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("J", "J")
        assert view(pilot).selection == firsts[2]
        await pilot.press("K")
        assert view(pilot).selection == firsts[1]
        await pilot.press("ctrl+down")
        assert view(pilot).selection == firsts[2]
        before = view(pilot).selection
        await pilot.press("pagedown")
        after = view(pilot).selection
        assert after.start > before.start
        rows = view(pilot).row_of(after.start) - view(pilot).row_of(before.start)
        assert rows >= SIZE[1] // 3  # a screen, not a sentence
        await pilot.press("pageup")
        assert view(pilot).selection.start < after.start


async def test_p_selects_the_whole_paragraph(tmp_path: Path) -> None:
    doc = document(tmp_path)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        # The first paragraph with several sentences.
        target = next(p for p in doc.paragraphs() if len(doc.sentences(p)) > 1)
        while view(pilot).selection.start < target.start:
            await pilot.press("j")
        await pilot.press("j", "p")
        assert view(pilot).selection == Span(target.start, target.start + len(target.text.rstrip()))


async def test_arrows_follow_the_eye_in_a_right_to_left_line(tmp_path: Path) -> None:
    doc = document(tmp_path)
    # An Arabic sentence with more of its paragraph after it.
    target = next(s for p in doc.paragraphs() for s in doc.sentences(p)[:-1] if len(s) > 20)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        while view(pilot).selection != target:
            await pilot.press("j")
        first = view(pilot).selection
        paragraph = doc.paragraph_at(first.start)
        words = [
            Span(paragraph.start + m.start(), paragraph.start + m.end())
            for m in re.finditer(r"\S+", paragraph.text)
        ]
        after_end = [w for w in words if w.end > first.end]
        # Left in an RTL line is forward: the end grows by one word.
        await pilot.press("left")
        grown = view(pilot).selection
        assert grown == Span(first.start, after_end[0].end)
        await pilot.press("right")
        assert view(pilot).selection == first
        await pilot.press("right")
        inner = [w.end for w in words if first.start < w.end < first.end]
        assert view(pilot).selection == Span(first.start, inner[-1])
        # shift+left moves the start forward (shrinks), shift+right back again.
        await pilot.press("shift+left")
        starts = [w.start for w in words if first.start < w.start]
        assert view(pilot).selection.start == starts[0]
        await pilot.press("shift+right")
        assert view(pilot).selection.start == first.start


async def test_digits_toggle_themes_and_the_same_span_is_edited(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("j", "1", "2")
        sel = view(pilot).selection
        quote = document(tmp_path).text[sel.start : sel.end]
        assert stored(tmp_path) == [(quote, sel.start, sel.end, ["arms", "troops"], "")]
        first_id = screen(pilot).annotations[0].id
        await pilot.press("1")
        assert stored(tmp_path) == [(quote, sel.start, sel.end, ["troops"], "")]
        assert screen(pilot).annotations[0].id == first_id  # edited, not duplicated
        await pilot.press("2")  # its last theme: the annotation goes
        assert stored(tmp_path) == []
        await pilot.press("5")  # no theme on 5: nothing happens
        assert stored(tmp_path) == []


async def test_note_delete_undo_redo(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("m")  # nothing tagged yet: no prompt
        assert not isinstance(pilot.app.screen, PromptScreen)
        await pilot.press("j", "3", "m")
        assert isinstance(pilot.app.screen, PromptScreen)
        prompt_input = pilot.app.screen.query_one(Input)
        prompt_input.insert_text_at_cursor("مذكرة: عقوبات")
        await pilot.press("enter")
        [(_, _, _, themes, note)] = stored(tmp_path)
        assert (themes, note) == (["sanctions"], "مذكرة: عقوبات")
        await pilot.press("m", "escape")  # cancel keeps the note
        assert stored(tmp_path)[0][4] == "مذكرة: عقوبات"
        await pilot.press("d")
        assert stored(tmp_path) == []
        await pilot.press("u")
        assert [a[3:] for a in stored(tmp_path)] == [(["sanctions"], "مذكرة: عقوبات")]
        await pilot.press("ctrl+r")
        assert stored(tmp_path) == []
        await pilot.press("u", "u")  # undo the delete, then the note
        assert [a[3:] for a in stored(tmp_path)] == [(["sanctions"], "")]


async def test_brackets_jump_between_annotations_and_per_theme(tmp_path: Path) -> None:
    spans = sentences(tmp_path)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("j", "1", "j", "j", "2", "j", "1", "2", "g")
        assert len(stored(tmp_path)) == 3
        await pilot.press("right_square_bracket")
        assert view(pilot).selection == spans[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert view(pilot).selection == spans[4]
        await pilot.press("left_square_bracket")
        assert view(pilot).selection == spans[3]
        # Theme 1 (followed by default): sentences 1 and 4; t follows theme 2: 3 and 4.
        await pilot.press("g", "right_curly_bracket", "right_curly_bracket")
        assert view(pilot).selection == spans[4]
        await pilot.press("t", "g", "right_curly_bracket")
        assert view(pilot).selection == spans[3]
        await pilot.press("G", "left_curly_bracket")
        assert view(pilot).selection == spans[4]


async def test_search_folds_arabic_variants_and_n_cycles(tmp_path: Path) -> None:
    text = document(tmp_path).text
    hits = find_all(text, "بيونج يانج")
    assert len(hits) >= 2 and "بيونغ يانغ" in text[hits[0].start : hits[0].end]
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(pilot.app.screen, PromptScreen)
        pilot.app.screen.query_one(Input).insert_text_at_cursor("بيونج يانج")
        await pilot.press("enter")
        reader = screen(pilot)
        assert reader.hits == hits
        assert view(pilot).selection.contains(hits[0].start)
        await pilot.press("n")
        assert view(pilot).selection.contains(hits[1].start)
        await pilot.press("N", "N")
        assert view(pilot).selection.contains(hits[-1].start)


async def test_tab_to_the_panel_enter_jumps_escape_returns(tmp_path: Path) -> None:
    spans = sentences(tmp_path)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("j", "1", "j", "j", "j", "4", "g")
        await pilot.press("tab")
        panel = pilot.app.screen.query_one(AnnotationPanel)
        assert pilot.app.focused is panel
        assert [a.id for a in panel.annotations] == [a.id for a in screen(pilot).annotations]
        await pilot.press("down", "enter")
        assert view(pilot).selection == spans[4]
        assert isinstance(pilot.app.focused, DocumentView)
        await pilot.press("tab", "d")  # d on the panel deletes its highlighted entry
        assert [a[3] for a in stored(tmp_path)] == [["arms"]]
        await pilot.press("escape")
        assert isinstance(pilot.app.focused, DocumentView)


async def test_orphaned_annotations_have_their_own_section(tmp_path: Path) -> None:
    doc = document(tmp_path)
    spans = sentences(tmp_path)
    gone = spans[3]
    store = Store(tmp_path / "store", "tester")
    store.add(doc, gone.start, gone.end, ["china"], "was here")
    store.add(doc, spans[1].start, spans[1].end, ["arms"])
    store.close()
    # The passage disappears from the file: its annotation can no longer be anchored.
    path = tmp_path / "corpus" / SEED
    path.write_text(doc.text.replace(doc.text[gone.start : gone.end], "نص آخر تماماً."), "utf-8")
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        panel = pilot.app.screen.query_one(AnnotationPanel)
        lines = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
        header = next(i for i, line in enumerate(lines) if line.startswith("orphaned (1)"))
        assert lines[header - 2].startswith("▌Arms")  # the anchored entry: head, quote
        assert lines[header + 1].startswith("▌China")  # the orphan: head, quote, note
        assert lines[header + 3] == "✎ was here"
        assert len(view(pilot).annotations) == 1  # only the anchored one is painted


async def test_help_screen_and_palette_list_the_keys(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        ids = {entry.binding.id for entry in pilot.app.screen.keys}
        assert {"reader.note", "reader.theme_1", "view.next_sentence", "reader.undo"} <= ids
        assert "reader.theme_5" not in ids  # no theme on 5
        await pilot.press("escape")
        reader = screen(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(reader)]
        assert any(t.startswith("Toggle theme 1") for t in titles)
        assert any("Search" in t for t in titles)


async def test_keymap_file_remaps_bindings_by_id(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "keymap.toml").write_text(
        '"view.next_sentence" = "x"\n"reader.theme_1" = "ctrl+t"\n', "utf-8"
    )
    app = reader_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "1")  # no longer bound
        assert stored(tmp_path) == []
        await pilot.press("x", "ctrl+t")
        assert [a[1] for a in stored(tmp_path)] == [sentences(tmp_path)[1].start]


def test_a_malformed_keymap_is_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    keymap = tmp_path / "store" / "keymap.toml"
    keymap.write_text('"reader.note" = 3\n', "utf-8")
    with pytest.raises(UsageError, match=r"reader\.note") as raised:
        reader_app(tmp_path)
    assert str(keymap) in str(raised.value) and "\n" not in str(raised.value)


async def test_a_read_only_store_refuses_writes_with_a_notification(tmp_path: Path) -> None:
    app, told = read_only_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "1")
        await pilot.pause()
        assert any("read-only" in message and "nothing written" in message for message in told)
        assert "store read-only" in screen(pilot).query_one("#reader-status").text
    assert stored(tmp_path) == []


async def test_q_in_reader_opened_from_the_command_line_quits(tmp_path: Path) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_arrows_follow_the_eye_in_a_left_to_right_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_text("One two three. Four five six.\nعربي هنا.\n", "utf-8")
    app = make_app([path], tmp_path / "store", "app", "tester", open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        assert view(pilot).selection == Span(0, 14)
        await pilot.press("right")  # forward in a left-to-right line: the end grows
        assert view(pilot).selection == Span(0, 19)
        await pilot.press("left", "left")
        assert view(pilot).selection == Span(0, 7)
        await pilot.press("shift+right")  # the start moves forward: shrinks
        assert view(pilot).selection == Span(4, 7)
        await pilot.press("shift+left")
        assert view(pilot).selection == Span(0, 7)


async def test_search_of_a_long_document_runs_in_a_worker(tmp_path: Path) -> None:
    from reader.ui.screens.reader import SEARCH_INLINE_CHARS

    seed = (SEEDS / SEED).read_text("utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    big = folder / "big.txt"
    big.write_text(seed * (SEARCH_INLINE_CHARS // len(seed) + 2), "utf-8")
    expected = find_all(big.read_text("utf-8"), "بيونج يانج")
    app = make_app([big], tmp_path / "store", "app", "tester", open_path=big)
    async with app.run_test(size=SIZE) as pilot:
        reader = screen(pilot)
        reader.search("بيونج يانج")
        assert reader.hits == []  # not found yet: the worker folds the text
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert reader.hits == expected and len(expected) > 100
        assert view(pilot).selection.contains(expected[0].start)
