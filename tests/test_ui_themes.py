"""Themes on screen: filled-in digits and colours, 256-colour tints, legibility, hints, toasts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from rich.color_triplet import ColorTriplet
from rich.style import Style

from reader.colors import MIN_CONTRAST, contrast, eight_bit, free_color, tag_background, triplet
from reader.store import Theme, default_themes, load_themes
from reader.ui.app import ReaderApp
from reader.ui.theme_keys import digit_hint
from reader.ui.widgets.legend import Legend
from reader.ui.widgets.painting import tag_style
from tests.ui_support import SIZE, reader_app, screen, stored

THEMES = """
[[theme]]
key = "arms"
label_en = "Arms"
label_ar = "الأسلحة"
digit = "2"

[[theme]]
key = "troops"
label_en = "Troops"
label_ar = "القوات"
color = "#2e86de"

[[theme]]
key = "nukes"
label_en = "Nuclear"
label_ar = "النووي"
"""


def _rgb(color: Color | None) -> ColorTriplet:
    assert color is not None
    return color.get_truecolor()


def test_themes_without_digit_or_colour_get_free_ones(tmp_path: Path) -> None:
    (tmp_path / "themes.toml").write_text(THEMES, encoding="utf-8")
    themes = list(load_themes(tmp_path))  # no error: the file is used, not the defaults
    assert [(t.key, t.digit) for t in themes] == [("arms", "2"), ("troops", "1"), ("nukes", "3")]
    assert themes[1].color == "#2e86de"  # a colour given is kept
    colours = [t.color for t in themes]
    assert len(set(colours)) == 3
    assert len({eight_bit(triplet(tag_background(c))) for c in colours}) == 3


def test_the_default_tints_are_distinct_and_legible_in_256_colours() -> None:
    # Rich's own downgrade, as a 256-colour terminal gets it; before, Troops and China's role
    # were both colour 23.
    backgrounds = [tag_style(t.color).bgcolor for t in default_themes()]
    numbers = [bg.downgrade(ColorSystem.EIGHT_BIT).number for bg in backgrounds if bg]
    assert len(numbers) == 4 and len(set(numbers)) == 4, numbers
    white = triplet("#ffffff")
    for bg in backgrounds:
        assert bg is not None
        for shown in (bg, bg.downgrade(ColorSystem.EIGHT_BIT)):
            assert contrast(white, shown.get_truecolor()) >= MIN_CONTRAST


def test_a_free_colour_keeps_256_colour_tints_apart() -> None:
    used = [t.color for t in default_themes()]
    for _ in range(8):
        new = free_color(used)
        assert new not in used
        assert eight_bit(triplet(tag_background(new))) not in {
            eight_bit(triplet(tag_background(c))) for c in used
        }
        used.append(new)


def test_the_legend_is_legible() -> None:
    legend = Legend(list(default_themes()))
    text = legend.render()
    labelled = 0
    for span in text.spans:
        style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
        if style.bgcolor is None or style.color is None:
            continue
        labelled += 1
        assert contrast(_rgb(style.color), _rgb(style.bgcolor)) >= MIN_CONTRAST
    assert labelled >= 4


def test_hints_say_the_digits_in_use() -> None:
    def themes(digits: str) -> list[Theme]:
        return [Theme(f"k{d}", "a", "b", "#123456", d) for d in digits]

    assert digit_hint(default_themes()) == "1–4"
    assert digit_hint(themes("1235")) == "1–3, 5"
    assert digit_hint(themes("1234567890")) == "1–9, 0"


@pytest.mark.parametrize("digits", ["125"])
async def test_the_reader_hint_gives_the_real_digits(tmp_path: Path, digits: str) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "themes.toml").write_text(
        "".join(
            f'[[theme]]\nkey = "t{d}"\nlabel_en = "T{d}"\nlabel_ar = "ت"\ndigit = "{d}"\n'
            for d in digits
        ),
        encoding="utf-8",
    )
    app = reader_app(tmp_path)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel_hint = screen(pilot).panel.header_line("empty").plain
        await pilot.press("m")
        assert told == ["no annotation under the cursor: tag the passage first (1–2, 5)"]
        assert panel_hint.endswith("press 1–2, 5")


async def test_a_bad_themes_file_says_so_and_the_store_stays_writable(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "themes.toml").write_text('[[theme]]\nkey = "Bad Key"\n', encoding="utf-8")
    app: ReaderApp = reader_app(tmp_path)
    shown: list[tuple[str, str]] = []
    notify = app.notify

    def spy(message: str, **kwargs: object) -> None:
        shown.append((str(kwargs.get("title", "")), message))
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [title for title, _ in shown] == ["themes.toml not used"]
        message = shown[0][1]
        assert "themes.toml" in message and "default themes" in message
        assert not app.store.read_only
        await pilot.press("1")  # the defaults apply, and tagging is saved
        await pilot.pause()
    assert [t for *_, t, _ in stored(tmp_path)] == [["arms"]]
