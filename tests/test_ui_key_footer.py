"""The one-widget footer: drawn exactly as Textual's footer where every key fits, laid out again
only when its keys or the width change, and the mouse presses, highlights and explains keys as
there. (Which keys a narrow footer keeps: tests/test_ui_small_screens.py.)"""

from __future__ import annotations

from typing import ClassVar

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from reader.ui.widgets.key_footer import KeyFooter
from tests.ui_support import count_footer_layouts

COMPACT = Binding.Group("Tag", compact=True)
WIDE = Binding.Group("Move")


class Keys(Screen[None]):
    """Plain keys, a hidden one, a disabled one, a compact and a wide group of keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "press('a')", "Alpha", tooltip="The first key"),
        Binding("b", "press('b')", "Beta"),
        Binding("h", "press('h')", "Hidden", show=False),
        Binding("d", "press('d')", "Disabled"),
        *(Binding(k, f"press('{k}')", f"theme {k}", group=COMPACT) for k in "123"),
        Binding("j", "press('j')", "down", group=WIDE),
        Binding("k", "press('k')", "up", group=WIDE),
        Binding("ctrl+e", "press('e')", "Extra"),
    ]
    show_beta = True

    def __init__(self, footer: type[Widget]) -> None:
        super().__init__()
        self.footer = footer
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("text")
        yield self.footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if parameters == ("b",):
            return self.show_beta
        return None if parameters == ("d",) else True

    def action_press(self, key: str) -> None:
        self.pressed.append(key)


class KeysApp(App[None]):
    def __init__(self, footer: type[Widget]) -> None:
        super().__init__()
        self.keys = Keys(footer)
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(self.keys)

    def bell(self) -> None:
        self.bells += 1


def merged(segments: list[Segment]) -> list[tuple[str, str]]:
    """The line as runs of text in one style (how segments are split is not what is seen)."""
    runs: list[tuple[str, str]] = []
    for segment in segments:
        style = str(segment.style)
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + segment.text, style)
        else:
            runs.append((segment.text, style))
    return runs


async def bottom_line(footer: type[Widget], width: int, beta: bool) -> list[tuple[str, str]]:
    app = KeysApp(footer)
    async with app.run_test(size=(width, 4)) as pilot:
        app.keys.show_beta = beta
        app.keys.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        strips = app.screen._compositor.render_strips()  # what the terminal is sent
        return merged(list(strips[-1]))


@pytest.mark.parametrize("width", [150, 110])
@pytest.mark.parametrize("beta", [True, False])
async def test_drawn_as_textuals_footer(width: int, beta: bool) -> None:
    ours = await bottom_line(KeyFooter, width, beta)
    assert ours == await bottom_line(Footer, width, beta)
    assert "".join(text for text, _ in ours).startswith(" a Alpha ")


async def test_redrawn_only_when_the_keys_change(monkeypatch: pytest.MonkeyPatch) -> None:
    made = count_footer_layouts(monkeypatch)
    app = KeysApp(KeyFooter)
    async with app.run_test(size=(120, 4)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)

        def labels() -> list[str]:
            return [item.key for item in footer.items if item.key]

        assert labels()[:2] == ["a", "b"] and len(made) == 1
        for _ in range(3):  # nothing changed: nothing laid out again
            app.keys.refresh_bindings()
            await pilot.pause()
        assert len(made) == 1
        app.keys.show_beta = False
        app.keys.refresh_bindings()
        await pilot.pause()
        assert labels()[:2] == ["a", "d"] and len(made) == 2


async def test_the_mouse_presses_and_explains() -> None:
    app = KeysApp(KeyFooter)
    async with app.run_test(size=(80, 4)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert await pilot.click(KeyFooter, offset=(1, 0))  # " a Alpha ": the a
        await pilot.pause()
        assert app.keys.pressed == ["a"]
        assert await pilot.click(KeyFooter, offset=(17, 0))  # " d Disabled ": the bell
        await pilot.pause()
        assert app.keys.pressed == ["a"] and app.bells == 1
        await pilot.hover(KeyFooter, offset=(4, 0))
        assert footer.hovered is not None and footer.hovered.key == "a"
        assert footer.tooltip == "The first key"
        hovered = footer.render_line(0)
        await pilot.hover(Static)
        plain = footer.render_line(0)
        assert hovered.text == plain.text and list(hovered) != list(plain)  # another background
        assert footer.hovered is None and footer.tooltip is None


async def test_a_narrower_screen_lays_the_keys_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    made = count_footer_layouts(monkeypatch)
    app = KeysApp(KeyFooter)
    async with app.run_test(size=(120, 4)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        wide = [item.display for item, _, _ in footer.keys_on_screen()]
        await pilot.resize_terminal(40, 4)
        await pilot.pause()
        narrow = footer.keys_on_screen()
        assert len(made) == 2 and len(narrow) < len(wide)
        palette = narrow[-1]
        assert palette[0].description == "palette" and palette[2] == 40
        assert all(right <= palette[1] for _, _, right in narrow[:-1])  # whole keys, before it
        assert footer.render_line(0).text.startswith(" a Alpha  b Beta ")
