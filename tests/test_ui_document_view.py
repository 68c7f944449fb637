"""The document view draws what the engine laid out: cursor cells, tag marks, re-wrap, mouse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.style import Style
from textual._styles_cache import StylesCache
from textual.events import MouseMove
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from reader.corpus import Span
from reader.layout import layout_paragraph
from reader.ui.widgets.document_view import DocumentView
from tests.ui_support import SIZE, document, reader_app, view


def painted(v: DocumentView, y: int, bgcolor: object) -> set[int]:
    """Columns of screen row ``y`` of the view whose background is ``bgcolor``."""
    columns: set[int] = set()
    col = 0
    for segment in v.render_line(y):
        style = segment.style or Style()
        for _ in range(segment.cell_length):
            if style.bgcolor == bgcolor:
                columns.add(col)
            col += 1
    return columns


def expected_columns(v: DocumentView, y: int, span: Span) -> set[int]:
    found = v.line_at_row(int(v.scroll_offset.y) + y)
    assert found is not None
    index, line = found
    start = v.document.line_starts[index]
    lo, hi = max(span.start - start, line.start), min(span.end - start, line.end)
    if lo >= hi:
        return set()
    return {c for c0, c1 in line.column_spans(lo, hi) for c in range(c0, c1)}


async def test_cursor_is_painted_on_the_exact_cells_of_its_range(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        v = view(pilot)
        cursor_bg = v.get_component_rich_style("document-view--cursor").bgcolor
        # A long sentence, wrapped over several lines, and a narrowed selection inside one.
        for _ in range(6):
            await pilot.press("j")
        await pilot.press("p", "shift+left", "right")
        sel = v.selection
        checked = 0
        for y in range(v.size.height):
            on_screen = v.line_at_row(int(v.scroll_offset.y) + y)
            want = expected_columns(v, y, sel) if on_screen else set()
            assert painted(v, y, cursor_bg) == want, y
            checked += bool(want)
        assert checked >= 2


async def test_several_themes_show_one_margin_mark_each(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("j", "1", "4")
        v = view(pilot)
        row = v.row_of(v.selection.start) - int(v.scroll_offset.y)
        text = "".join(seg.text for seg in v.render_line(row))
        marks = text[-len(v.themes) :]
        assert marks == "▌  ▌"  # arms and china, in theme order
        colours = [
            seg.style.color.triplet.hex
            for seg in v.render_line(row)
            if seg.text == "▌" and seg.style and seg.style.color and seg.style.color.triplet
        ]
        assert colours == [v.themes[0].color, v.themes[3].color]
        # Untagged lines have no mark.
        await pilot.press("G")
        last = v.row_of(v.selection.start) - int(v.scroll_offset.y)
        assert "▌" not in "".join(seg.text for seg in v.render_line(last))[-len(v.themes) :]


async def test_resize_rewraps_through_the_engine(tmp_path: Path) -> None:
    doc = document(tmp_path)
    async with reader_app(tmp_path).run_test(size=(120, 30)) as pilot:
        v = view(pilot)
        wide = v.text_width
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert v.text_width < wide
        for index in range(doc.paragraph_count):
            text = doc.paragraph(index).text
            assert v.lines_of(index) == layout_paragraph(text, v.text_width)


async def test_only_what_is_visible_is_laid_out(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=(100, 12)) as pilot:
        v = view(pilot)
        await pilot.pause()
        assert 0 < len(v.rows.laid_out) < v.document.paragraph_count
        await pilot.press("G")
        await pilot.pause()
        assert v.document.paragraph_at(v.selection.start).index in v.rows.laid_out
        assert v.document.paragraph_at(v.selection.start).index > v.document.paragraph_count - 9


async def test_rows_follow_the_engine_once_estimates_are_corrected(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=(100, 12)) as pilot:
        v = view(pilot)
        await pilot.pause()
        for _ in range(200):  # page down to the end: every estimate replaced by a layout
            await pilot.press("pagedown")
            if v.document.paragraph_count - 1 in v.rows.laid_out:
                break
        await pilot.press("G", "g")
        await pilot.pause()
        expected = [
            (index, line)
            for index in range(v.document.paragraph_count)
            for line in layout_paragraph(v.document.paragraph(index).text, v.text_width)
        ]
        assert v.virtual_size.height == len(expected)
        # Heights are published without a screen layout; the scrollbar follows them.
        assert v.vertical_scrollbar.window_virtual_size == len(expected)
        assert [v.line_at_row(row) for row in range(len(expected))] == expected
        assert v.line_at_row(len(expected)) is None
        index, line = expected[-1]
        assert v.row_of(v.document.paragraph(index).start + line.start) == len(expected) - 1


async def test_click_selects_a_sentence_and_drag_a_span(tmp_path: Path) -> None:
    doc = document(tmp_path)
    target = list(doc.all_sentences())[5]
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        v = view(pilot)
        row = v.row_of(target.start) - int(v.scroll_offset.y)
        found = v.line_at_row(int(v.scroll_offset.y) + row)
        assert found is not None
        index, line = found
        local = target.start - doc.line_starts[index] + 1
        column = line.column_of(local)
        assert column is not None
        await pilot.click(DocumentView, offset=(column, row))
        assert v.selection == target
        # Drag from that cell to a few words on: the span covers whole words in between.
        await pilot.mouse_down(DocumentView, offset=(column, row))
        end_local = local + 12
        end_column = line.column_of(end_local)
        assert end_column is not None
        v.post_message(MouseMove(v, end_column, row, 0, 0, 1, False, False, False))
        await pilot.pause()
        await pilot.mouse_up(DocumentView, offset=(end_column, row))
        base = doc.line_starts[index]
        words = [
            Span(base + m.start(), base + m.end())
            for m in re.finditer(r"\S+", doc.paragraph(index).text)
        ]
        first = next(w for w in words if w.contains(base + local))
        last = next(w for w in words if w.contains(base + end_local))
        assert first != last
        assert v.selection == Span(first.start, last.end)


async def test_a_centred_jump_scrolls_only_out_of_the_middle_half(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=(100, 50)) as pilot:
        v = view(pilot)
        await pilot.pause()
        doc = v.document
        sentences = [s for i in range(doc.paragraph_count) for s in doc.sentences(doc.paragraph(i))]
        far = sentences[len(sentences) // 2]
        v.select(far, center=True)  # off screen: brought to the middle
        await pilot.pause()
        top, height = int(v.scroll_offset.y), v.size.height
        assert top > 0 and abs(v.row_of(far.start) - (top + height // 2)) <= height // 4

        def in_middle_half(span: Span) -> bool:
            first, last = v.row_of(span.start), v.row_of(span.end - 1)
            return top + height // 4 <= first and last < top + height - height // 4

        later = iter(sentences[sentences.index(far) + 1 :])
        moved = 0
        for sentence in later:  # each later sentence in the middle half: no scroll at all
            if not in_middle_half(sentence):
                break
            v.select(sentence, center=True)
            await pilot.pause()
            assert int(v.scroll_offset.y) == top
            moved += 1
        assert moved >= 1
        v.select(sentence, center=True)  # the first one past it: centred again
        await pilot.pause()
        assert int(v.scroll_offset.y) > top
        middle = int(v.scroll_offset.y) + height // 2
        assert v.row_of(sentence.start) <= middle <= v.row_of(sentence.end - 1) + 1


async def test_the_scroll_bar_is_repainted_only_when_its_thumb_is_drawn_differently(
    tmp_path: Path,
) -> None:
    async with reader_app(tmp_path).run_test(size=(100, 12)) as pilot:
        v = view(pilot)
        await pilot.pause()
        bar = v.vertical_scrollbar
        refreshed: list[float] = []
        real = bar.refresh

        def refresh(*regions: Region, **kwargs: bool) -> ScrollBar:
            refreshed.append(bar.position)
            return real(*regions, **kwargs)

        bar.refresh = refresh  # type: ignore[method-assign]
        whole = Region(0, 0, bar.size.width, bar.size.height)
        steps = 40
        for row in range(1, steps + 1):  # one row at a time, as a few sentence keys scroll
            v.scroll_to(y=row, animate=False, immediate=True)
            await pilot.pause()
            assert bar.position == row  # kept current (dragging starts from it)
            # What the bar shows (its lines as last drawn: a bar not repainted keeps them)
            # equals what it draws afresh at this position.
            shown = bar.render_lines(whole)
            kept = bar._styles_cache, bar._render_cache
            bar._styles_cache = StylesCache()
            bar._layout_cache.pop("_render.visual", None)
            bar._render_content()  # drawn afresh: none of Textual's caches involved
            assert shown == bar.render_lines(whole), row
            bar._styles_cache, bar._render_cache = kept
        # A row moves the thumb by far less than an eighth of a cell: most steps draw the
        # same bar and are not repainted; those that move the thumb are.
        assert 0 < len(refreshed) < steps // 2


async def test_heights_found_below_the_screen_repaint_nothing_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scroll lays out the paragraphs it is about to bring on screen before the frame;
    their heights move no row on screen, so no line on it is drawn again."""
    async with reader_app(tmp_path).run_test(size=(100, 12)) as pilot:
        v = view(pilot)
        await pilot.pause()
        bottom = int(v.scroll_offset.y) + v.size.height
        below = [
            index
            for index in range(v.rows.paragraph_at(bottom) + 1, v.document.paragraph_count)
            if index not in v.rows.laid_out
            and len(layout_paragraph(v.document.paragraph(index).text, v.text_width))
            != v.rows.index.height(index)
        ]
        assert below  # an estimate the layout corrects
        drawn: list[int] = []
        real = DocumentView.render_line

        def counted(self: DocumentView, y: int) -> Strip:
            drawn.append(y)
            return real(self, y)

        monkeypatch.setattr(DocumentView, "render_line", counted)
        total = v.virtual_size.height
        v.row_of(v.document.paragraph(below[0]).start)
        await pilot.pause()
        assert v.virtual_size.height != total  # published: the scroll bar follows
        assert drawn == []
        kept = v.render_lines(Region(0, 0, v.size.width, v.size.height))
        v._strips.clear()  # its own cache of drawn lines too: all afresh
        v.refresh()
        assert kept == v.render_lines(Region(0, 0, v.size.width, v.size.height))
