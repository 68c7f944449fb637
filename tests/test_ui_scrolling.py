"""QuietScrollView: a scroll moves the lines already drawn and draws only the new rows."""

from __future__ import annotations

import pytest
from rich.color import Color
from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.strip import Strip

from reader.ui.widgets.scrolling import QuietScrollView

WIDTH = 20


class Lines(QuietScrollView):
    """Line ``n`` of the content shows ``labels[n]``; counts the lines it draws."""

    def __init__(self) -> None:
        super().__init__()
        self.labels = [f"line {n}" for n in range(200)]
        self.drawn = 0

    def on_mount(self) -> None:
        self.virtual_size = Size(WIDTH, len(self.labels))

    def render_line(self, y: int) -> Strip:
        self.drawn += 1
        row = int(self.scroll_offset.y) + y
        text = self.labels[row] if row < len(self.labels) else ""
        return Strip([Segment(text.ljust(WIDTH))], WIDTH)

    def shown(self) -> list[str]:
        """The content's rows as the screen holds them (Textual's cache of drawn lines,
        border and padding included), and checks that border and padding are intact."""
        lines = self.render_lines(self.region.reset_offset)
        texts = [line.text for line in lines]
        kept = self._styles_cache
        self._styles_cache = StylesCache()
        fresh = [line.text for line in self.render_lines(self.region.reset_offset)]
        self._styles_cache = kept
        top, height = self.styles.gutter.top, self.size.height
        assert texts[:top] == fresh[:top] and texts[top + height :] == fresh[top + height :]
        return [text.strip(" ▊▎▁▔│─┌┐└┘") for text in texts[top : top + height]]

    def expected(self) -> list[str]:
        top = int(self.scroll_offset.y)
        return self.labels[top : top + self.size.height]


class Framed(Lines):
    """With a border and padding: the content's rows are not the cache's rows."""

    DEFAULT_CSS = "Framed { border: round $primary; padding: 1 1; }"


class Host(App[None]):
    def __init__(self, kind: type[Lines]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind()


@pytest.mark.parametrize("kind", [Lines, Framed])
async def test_a_scroll_draws_only_the_rows_that_come_on_screen(kind: type[Lines]) -> None:
    async with Host(kind).run_test(size=(30, 10)) as pilot:
        view = pilot.app.query_one(kind)
        await pilot.pause()
        assert view.shown() == view.expected()
        for rows in (1, 3, -2, 7, -9, 30):
            view.drawn = 0
            view.scroll_to(y=view.scroll_offset.y + rows, animate=False, immediate=True)
            await pilot.pause()
            assert view.drawn == min(abs(rows), view.size.height), rows
            assert view.shown() == view.expected(), rows


@pytest.mark.parametrize("kind", [Lines, Framed])
async def test_rows_marked_before_a_scroll_are_drawn_after_it(kind: type[Lines]) -> None:
    """A line changed and marked in the same frame as a scroll is drawn anew, not moved."""
    async with Host(kind).run_test(size=(30, 10)) as pilot:
        view = pilot.app.query_one(kind)
        await pilot.pause()
        view.scroll_to(y=20, animate=False, immediate=True)
        await pilot.pause()
        view.labels[25] = "changed"
        view.refresh_lines(25)  # marked at the old scroll...
        view.scroll_to(y=22, animate=False, immediate=True)  # ...then scrolled
        await pilot.pause()
        assert "changed" in view.shown()
        assert view.shown() == view.expected()


class Restyled(Lines):
    """``-tinted`` changes its background (as focus does the annotation panel's), not its
    scroll bar's; ``-red`` changes the scroll bar's colour."""

    DEFAULT_CSS = """
    Restyled.-tinted { background-tint: $foreground 5%; }
    Restyled.-red { scrollbar-color: red; }
    """


@pytest.mark.parametrize(("name", "repainted"), [("-tinted", False), ("-red", True)])
async def test_a_restyle_repaints_the_scroll_bar_only_if_its_colours_change(
    name: str, repainted: bool
) -> None:
    """Textual repaints a view's scroll bars on every restyle, colours changed or not: on
    the reader's tab and escape that was a second frame, later, with only the bars in it."""
    async with Host(Restyled).run_test(size=(30, 10)) as pilot:
        view = pilot.app.query_one(Restyled)
        await pilot.pause()
        bar = view.vertical_scrollbar
        assert bar.display and not bar._repaint_required
        view.add_class(name)
        assert bar._repaint_required is repainted
        await pilot.pause()
        colours = {
            s.style and s.style.color
            for line in bar.render_lines(bar.region.reset_offset)
            for s in line
        }
        assert (Color.parse("#ff0000") in colours) is repainted
