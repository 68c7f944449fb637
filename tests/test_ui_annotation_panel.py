"""The annotation panel as a virtual list: rows on screen only, scrolling, updates by diff.

The diffs are checked against the plain way: after tags, undo, redo and a resize in the
reader, the panel must draw exactly what a panel built from scratch with the same
annotations draws (same text, same styles, cell for cell).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from rich.color import ColorSystem
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from reader.corpus import Span
from reader.layout import BidiMode, VisualLine, layout_line
from reader.store import Annotation, Store
from reader.store.themes import default_themes
from reader.ui.widgets.annotation_panel import AnnotationPanel, Field
from reader.ui.widgets.annotation_panel_rows import PanelRows
from reader.ui.widgets.document_view import DocumentView
from tests.ui_support import SIZE, document, reader_app, screen, view

TRUECOLOR = ColorSystem.TRUECOLOR
QUOTE = "وقعت روسيا وكوريا الشمالية اتفاقية دفاع مشترك"


def synthetic(count: int) -> list[Annotation]:
    themes = [t.key for t in default_themes()]
    when = "2026-01-01T00:00:00.000Z"
    made = []
    for i in range(count):
        note = "ملاحظة" if i % 4 == 0 else ""
        ann = Annotation(
            f"id-{i:05d}", "doc.txt", "sha", 10 * i, 10 * i + 8, f"{i} {QUOTE}", "", "",
            [themes[i % len(themes)]], note, "tester", when, when, "anchored",
        )  # fmt: skip
        made.append(ann)
    return made


class PanelHost(App[None]):
    """The panel alone, at a given size: the reference a full build gives."""

    AUTO_FOCUS = None  # unfocused, as the reader's panel is while the text has the keys

    def __init__(
        self,
        annotations: Sequence[Annotation],
        size: tuple[int, int] = (44, 20),
        highlight: str | None = None,
        fields: Sequence[Field] = (),
    ) -> None:
        super().__init__()
        self.annotations = list(annotations)
        self.panel_size = size
        self.wanted = highlight
        self.fields = list(fields)

    def compose(self) -> ComposeResult:
        panel = AnnotationPanel(list(default_themes()), self.annotations)
        panel.fields.extend(self.fields)  # the same entry heads (the reader adds the annotator)
        panel.styles.width, panel.styles.height = self.panel_size
        yield panel

    def on_mount(self) -> None:
        self.query_one(AnnotationPanel).highlight(self.wanted)


def quote_line(panel: AnnotationPanel, ann: Annotation) -> str:
    """The quote's line as the engine lays it out for the panel (cut to its width)."""
    width = panel.scrollable_content_region.width - 1
    return layout_line(ann.quote, width, BidiMode.APP).text()


def drawn(panel: AnnotationPanel) -> list[Strip]:
    return [panel.render_line(y) for y in range(panel.scrollable_content_region.height)]


def texts(panel: AnnotationPanel) -> list[str]:
    return [strip.text for strip in drawn(panel)]


def count_layouts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count every entry laid out (by annotation id), whichever panel does it."""
    laid_out: Counter[str] = Counter()
    original = AnnotationPanel.entry_lines

    def counting(self: AnnotationPanel, ann: Annotation) -> list[object]:
        laid_out[ann.id] += 1
        return original(self, ann)  # type: ignore[return-value]

    monkeypatch.setattr(AnnotationPanel, "entry_lines", counting)
    return laid_out


async def test_only_the_entries_on_screen_are_laid_out(monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out = count_layouts(monkeypatch)
    annotations = synthetic(5000)
    async with PanelHost(annotations).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        await pilot.pause()
        # 20 rows, entries of 2 or 3 rows: at most 10 entries; each laid out once.
        assert 6 <= len(laid_out) <= 10
        assert set(laid_out.values()) == {1}
        assert panel.rows.total == sum(3 if a.note else 2 for a in annotations)
        assert panel.virtual_size.height == panel.rows.total
        first = texts(panel)
        assert first[0].strip() == "▌Arms"
        assert first[1].rstrip() == quote_line(panel, annotations[0]).rstrip()
        assert first[1].rstrip().endswith("0")  # the number starts the right-to-left quote


async def test_keys_move_the_highlight_and_scroll_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out = count_layouts(monkeypatch)
    annotations = synthetic(3000)
    async with PanelHost(annotations).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        panel.focus()
        await pilot.press("down")
        assert panel.current is annotations[0]
        await pilot.press("down", "down")
        assert panel.current is annotations[2]
        await pilot.press("end")
        assert panel.current is annotations[-1]
        first, height = panel.rows.span(panel.rows.index_of(annotations[-1].id) or 0)
        assert panel.scroll_offset.y <= first and first + height <= panel.scroll_offset.y + 20
        assert (
            quote_line(panel, annotations[-1])
            in texts(panel)[first - int(panel.scroll_offset.y) + 1]
        )
        await pilot.press("pageup")
        current = panel.current
        assert current is not None and 2985 <= annotations.index(current) < 2999
        await pilot.press("home")
        assert panel.current is annotations[0] and panel.scroll_offset.y == 0
        # The end of the list and its start: a few screens laid out, not 3,000 entries.
        assert len(laid_out) < 60


async def test_enter_and_a_click_post_jump() -> None:
    annotations = synthetic(10)
    jumps: list[str] = []

    class Host(PanelHost):
        def on_annotation_panel_jump(self, event: AnnotationPanel.Jump) -> None:
            jumps.append(event.annotation.id)

    async with Host(annotations).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        panel.focus()
        await pilot.press("down", "down", "enter")
        # The third entry starts at row 5 (the first has a note: 3 rows, the second 2).
        await pilot.click(AnnotationPanel, offset=(4, 6))
        await pilot.pause()
        assert jumps == ["id-00001", "id-00002"]


async def test_a_filter_lists_only_what_it_keeps() -> None:
    annotations = synthetic(40)
    async with PanelHost(annotations).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        panel.highlight("id-00001")
        panel.set_filter(lambda a: "troops" in a.themes)
        await pilot.pause()
        assert [a.id for a in panel.annotations] == [a.id for a in annotations[1::4]]
        assert panel.current is annotations[1]
        assert all("Troops" in line for line in texts(panel)[0::2] if line.strip())
        panel.set_filter(lambda a: "china" in a.themes)
        assert panel.current is None and len(panel.annotations) == 10
        panel.set_filter(None)
        assert len(panel.annotations) == 40


async def test_fields_add_to_each_head() -> None:
    async with PanelHost(synthetic(3)).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        panel.fields.append(lambda a: Text(f"· {a.annotator}"))
        panel.redraw()
        await pilot.pause()
        assert texts(panel)[0].strip() == "▌Arms · tester"


async def reference_strips(panel: AnnotationPanel) -> list[Strip]:
    """What a panel built from scratch draws with the same annotations, size, highlight, scroll."""
    region = panel.region
    current = panel.current
    host = PanelHost(
        panel.rows.annotations,
        (region.width, region.height),
        current.id if current else None,
        panel.fields,
    )
    async with host.run_test(size=(region.width + 4, region.height + 4)) as pilot:
        await pilot.pause()
        fresh = pilot.app.query_one(AnnotationPanel)
        fresh.scroll_to(y=panel.scroll_offset.y, animate=False, immediate=True)
        await pilot.pause()
        assert fresh.scroll_offset == panel.scroll_offset
        return drawn(fresh)


async def test_tags_undo_redo_and_resize_draw_what_a_full_build_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document(tmp_path)
    spans = list(doc.all_sentences())
    store = Store(tmp_path / "store", "tester")
    for i, span in enumerate(spans[:60:2]):
        store.add(doc, span.start, span.end, ["arms" if i % 2 else "china"], "" if i % 3 else "n")
    store.close()
    laid_out = count_layouts(monkeypatch)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        panel = screen(pilot).panel
        await pilot.pause()
        # Opening builds the list once and lays out a screenful, each entry once.
        assert set(laid_out.values()) == {1} and len(laid_out) <= 14
        rebuilds = Counter[str]()
        original = PanelRows.rebuild

        def counting(self: PanelRows, annotations: object) -> None:
            rebuilds["rebuild"] += self is panel.rows  # not the reference panels' builds
            original(self, annotations)  # type: ignore[arg-type]

        monkeypatch.setattr(PanelRows, "rebuild", counting)
        steps: list[tuple[str, ...]] = [
            ("1",),  # a new annotation (the second sentence: the cursor skips boilerplate)
            ("2",),  # a theme added: the entry changes
            ("u",),
            ("u",),
            ("ctrl+r",),
            ("m", *"memo", "enter"),  # a note: the entry grows a row
            ("G", "1"),  # far down the list: the panel scrolls to it
            ("u", "ctrl+r", "u"),
        ]
        for keys in steps:
            laid_out.clear()
            await pilot.press(*keys)
            await pilot.pause()
            # Only entries that changed (and ones scrolled into view) were laid out again.
            assert len(laid_out) <= 14, (keys, laid_out)
            assert [a.id for a in panel.annotations] == [a.id for a in screen(pilot).annotations]
            assert await reference_strips(panel) == drawn(panel), keys
        assert rebuilds["rebuild"] == 0
        # 100 columns: the narrowest the panel stays beside the text (below, tab shows it).
        for width, height in ((140, 40), (100, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert await reference_strips(panel) == drawn(panel), (width, height)


async def test_a_tag_lays_out_only_the_entry_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laid_out = count_layouts(monkeypatch)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("1", "j", "2", "j", "3")
        await pilot.pause()
        laid_out.clear()
        sel: Span = view(pilot).selection
        await pilot.press("4")
        await pilot.pause()
        tagged = screen(pilot).store.find_span(screen(pilot).document.rel, sel.start, sel.end)
        assert tagged is not None and "china" in tagged.themes
        assert list(laid_out) == [tagged.id]


def on_screen(widget: Widget) -> list[Strip]:
    """What the screen holds for ``widget``: Textual's cache of its lines, repainted only
    where the widget asked for a repaint."""
    return widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


def tag_every_other(tmp_path: Path, sentences: int) -> None:
    """Tag every other one of the seed's first ``sentences`` sentences (arms)."""
    doc = document(tmp_path)
    store = Store(tmp_path / "store", "tester")
    for span in list(doc.all_sentences())[:sentences:2]:
        store.add(doc, span.start, span.end, ["arms"])
    store.close()


async def press_and_compare(
    pilot: Pilot[None], steps: Sequence[tuple[str, ...]], widgets: Sequence[Widget]
) -> None:
    """Press each step's keys; then each widget must show what a full repaint draws."""
    for keys in steps:
        await pilot.press(*keys)
        await pilot.pause()
        for widget in widgets:
            kept = on_screen(widget)
            if isinstance(widget, DocumentView):  # its own cache of drawn lines too: all afresh
                widget._strips.clear()
            widget.refresh()
            assert kept == on_screen(widget), (keys, type(widget).__name__)


async def test_partial_repaints_leave_nothing_stale(tmp_path: Path) -> None:
    """The panel and the text repaint only the rows a change touched: what they left alone
    must be what a full repaint draws."""
    tag_every_other(tmp_path, 16)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        reader = screen(pilot)
        steps: list[tuple[str, ...]] = [
            ("j", "j", "2"),  # a theme added to the third annotation: the same height, in place
            ("4",),
            ("u",),
            ("j", "1"),  # a new one between two others: the rows below move
            ("u", "u"),
            ("G", "3"),
        ]
        await press_and_compare(pilot, steps, (reader.panel, reader.view))


async def test_scrolls_draw_only_the_rows_that_come_on_screen_and_leave_nothing_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scroll moves the lines the text and the panel drew (Textual would draw every row
    again): only the rows that come on screen are drawn, and what is shown is what a full
    repaint draws, after scrolls up and down, a tag (the panel's rows below it move) and
    jumps."""
    tag_every_other(tmp_path, 60)
    drawn_rows: Counter[str] = Counter()
    for cls in (DocumentView, AnnotationPanel):
        real = cls.render_line

        def counted(self: Widget, y: int, real: Callable[[Widget, int], Strip] = real) -> Strip:
            drawn_rows[type(self).__name__] += 1
            return real(self, y)

        monkeypatch.setattr(cls, "render_line", counted)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        reader = screen(pilot)
        await pilot.pause()
        text, panel = reader.view, reader.panel
        # One row down and up: one row drawn each time, not the view's every row.
        for rows in (1, -1, 3):
            drawn_rows.clear()
            text.scroll_to(y=text.scroll_offset.y + rows, animate=False, immediate=True)
            await pilot.pause()
            assert drawn_rows["DocumentView"] == abs(rows), rows
        steps: list[tuple[str, ...]] = [
            ("pagedown",),
            ("pageup",),
            ("j",) * 12,
            ("2",),  # a tag: the panel's rows below it move
            ("G",),
            ("pageup",),  # up into paragraphs never laid out: their heights move the rows
            ("pageup", "pageup"),
            ("K", "K", "K"),
            ("g",),
            ("tab", "down", "down", "pagedown", "end", "up", "home"),  # the panel scrolls
            ("escape", "j", "1"),
        ]
        await press_and_compare(pilot, steps, (panel, text))
        assert panel.scroll_offset.y == 0 and panel.max_scroll_y > 0  # it did scroll


async def test_a_tag_draws_only_the_lines_of_its_passage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A toggle draws again the lines its passage covers, not every line of its paragraph
    (a long paragraph fills the screen); what it leaves is what a full repaint draws."""
    from reader.ui.widgets import document_view

    painted: list[int] = []
    segments = document_view.DocumentView._segments

    def counting(self: DocumentView, index: int, line: VisualLine, base: Style) -> object:
        painted.append(index)
        return segments(self, index, line, base)

    monkeypatch.setattr(document_view.DocumentView, "_segments", counting)
    async with reader_app(tmp_path).run_test(size=(60, 30)) as pilot:
        text = view(pilot)
        # The first sentence of the longest paragraph on screen, and that paragraph's lines.
        on = [text.rows.paragraph_at(text.scroll_offset.y + y) for y in range(text.size.height)]
        index = max(set(on), key=on.count)
        paragraph = text.document.paragraph(index)
        first = text.document.sentences(paragraph)[0]
        text.select(first)
        await pilot.pause()
        lines = len(text.lines_of(index))
        passage = text.row_of(first.end - 1) - text.row_of(first.start) + 1
        assert passage < lines, (passage, lines)
        for key in ("1", "2", "u", "u"):
            painted.clear()
            await pilot.press(key)
            await pilot.pause()
            assert painted.count(index) == passage, (key, painted.count(index), passage)
            kept = on_screen(text)
            text._strips.clear()
            text.refresh()
            assert kept == on_screen(text), key


def sent(strips: list[Strip]) -> list[list[tuple[str, str, dict[str, object]]]]:
    """What reaches the terminal, segment by segment (``red`` and ``color(1)`` are one
    colour), and each segment's metadata (the offsets text selection reads)."""
    return [
        [
            (
                seg.text,
                (seg.style or Style()).render("x", color_system=TRUECOLOR),
                (seg.style or Style()).meta,
            )
            for seg in strip
        ]
        for strip in strips
    ]


async def test_entries_are_drawn_as_textual_draws_them() -> None:
    """draw_rows skips Textual's Content path: it must give the same segments, styles and
    selection offsets, entry by entry, in every state (plain, highlighted, hovered, headers)."""
    from textual.visual import Visual, visualize

    from reader.ui.widgets.annotation_panel import draw_rows

    annotations = synthetic(12)
    annotations[3].themes.append("no-such-theme")  # shown as unknown, in its own style
    annotations[5].status = "reanchored"
    async with PanelHost(annotations).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        width = panel.scrollable_content_region.width
        for focused in (False, True):
            if focused:
                panel.focus()
            await pilot.pause()
            panel._styles.clear()
            states = [(), ("annotation-panel--highlighted",), ("annotation-panel--hover",)]
            styles = [panel._style(*state) for state in states]
            entries = [panel.entry_lines(a) for a in annotations]
            entries.append([panel.header_line("orphans")])  # lines that fit: no cut
            for lines in entries:
                for style in [*styles, panel._style("annotation-panel--disabled")]:
                    joined = visualize(panel, Text("\n", end="").join(lines), markup=False)
                    textual = Visual.to_strips(panel, joined, width, None, style)
                    expected = [s.extend_cell_length(width, style.rich_style) for s in textual]
                    got = draw_rows(lines, width, style, pilot.app.console)
                    assert sent(got) == sent(expected)


async def test_a_head_too_long_is_cut_with_an_ellipsis_and_the_quote_keeps_its_row() -> None:
    annotations = synthetic(2)
    async with PanelHost(annotations, fields=[lambda a: Text("· " + "x" * 80)]).run_test(
        size=(60, 24)
    ) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        await pilot.pause()
        rows = texts(panel)
        assert rows[0].startswith("▌Arms · xxx") and rows[0].rstrip().endswith("…")
        assert rows[1].rstrip() == quote_line(panel, annotations[0]).rstrip()
