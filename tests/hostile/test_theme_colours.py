"""Theme colours from anyone (issue 12, items 3 and 10).

Seen: a colour that passed the loader's pattern but that Rich/Textual cannot draw —
``notacolor``, ``bold red on white`` — hung the app on a blank screen, ``default`` crashed
it; ``reader import`` of an export carrying one wrote it into ``themes.toml``, so every later
start hung; and ``reader tag`` tagged against the default themes without a word when
``themes.toml`` was broken. Expected: colours checked by the parser that draws them; a bad
one gives one line naming the file and a default colour; the app, the CLI and the import
all say so and go on.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.color import Color, ColorType

from reader.errors import StoreError
from reader.export.html import css_color
from reader.store import Store, load_themes
from reader.ui.app import make_app
from reader.ui.widgets.painting import suggestion_style, tag_style

from .fixtures import ARABIC, reader_cli, record_notifications
from .strategies import fuzz_settings

BAD = ["notacolor", "bold red on white", "default", "on red", "red on", "#12345", "rgb(1,2)"]


def theme_file(folder: Path, color: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "themes.toml"
    body = "".join(
        f'[[theme]]\nkey = "{key}"\nlabel_en = "{key}"\nlabel_ar = "عربي"\n'
        f'color = {json.dumps(c, ensure_ascii=False)}\ndigit = "{digit}"\n\n'
        for key, c, digit in (("one", color, "1"), ("two", "#2e86de", "2"))
    )
    path.write_text(body, "utf-8")
    return path


def drawable(color: str) -> bool:
    parsed = Color.parse(color)  # raises if not
    tag_style(color), suggestion_style(color)  # the app's painting (Textual's colours)
    return parsed.type is not ColorType.DEFAULT and css_color(color).startswith("#")


@fuzz_settings(300)
@given(
    st.one_of(
        st.sampled_from([*BAD, "red", "grey50", "dark_orange", "#e4572e", "rgb(1,2,3)", "teal"]),
        st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40),
    )
)
@example("bold red on white")
@example("\u2066")
def test_any_colour_string_gives_a_drawable_colour_or_one_line(
    tmp_path_factory: pytest.TempPathFactory, color: str
) -> None:
    folder = tmp_path_factory.mktemp("themes")
    path = theme_file(folder, color)
    try:
        themes = load_themes(folder)
    except StoreError as exc:  # refused whole only for a control character (any field)
        assert "control character" in str(exc) and "\n" not in str(exc), exc
        return
    one = themes.get("one")
    assert one is not None and drawable(one.color)
    assert len(themes) == 2 and themes.get("two").color == "#2e86de"  # type: ignore[union-attr]
    if one.color != color.strip():  # replaced: said once, in one line, naming the file
        assert len(themes.problems) == 1
        assert str(path) in themes.problems[0] and "\n" not in themes.problems[0]
    else:
        assert themes.problems == ()


@pytest.mark.parametrize("color", BAD[:3])
async def test_the_app_starts_tags_and_says_why_with_a_bad_colour(
    tmp_path: Path, color: str
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(ARABIC + "\n", "utf-8")
    theme_file(tmp_path / "store", color)
    app = make_app([doc], tmp_path / "store", "app", "tester", open_path=doc)
    seen = record_notifications(app)

    async def drive() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("1")  # tag with the theme whose colour was replaced
            await pilot.pause()
            app.screen.refresh()
            await pilot.pause()
            await pilot.press("ctrl+q")

    await asyncio.wait_for(drive(), timeout=60)
    assert any("color" in line and "themes.toml" in line for line in seen), seen
    store = Store(tmp_path / "store", "tester")
    assert [a.themes for a in store.all_annotations()] == [["one"]]
    store.close()


@pytest.mark.parametrize("color", BAD[:3])
def test_import_never_writes_a_colour_that_cannot_be_drawn(tmp_path: Path, color: str) -> None:
    export = {
        "format": "reader-annotations",
        "version": 1,
        "themes": [
            {"key": "one", "label_en": "One", "label_ar": "و", "color": color, "digit": "1"},
            {"key": "two", "label_en": "Two", "label_ar": "ا", "color": "#2e86de", "digit": "2"},
        ],
        "annotations": [],
    }
    path = tmp_path / "team.json"
    path.write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    done = reader_cli("import", str(path), "--store", str(tmp_path / "store"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = done.stderr.splitlines()
    assert len(warnings) == 1 and "team.json" in warnings[0] and "color" in warnings[0]
    written = load_themes(tmp_path / "store")  # what every later start reads
    assert written.problems == ()
    assert [t.key for t in written] == ["one", "two"]
    assert all(drawable(t.color) for t in written)


@pytest.mark.parametrize(
    "body",
    ["[[theme]\nkey = 'x'\n", "theme = 3\n", '[[theme]]\nkey = "a"\n'],
    ids=["not-toml", "no-tables", "missing-fields"],
)
def test_reader_tag_warns_of_a_broken_theme_file_as_the_app_does(tmp_path: Path, body: str) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(ARABIC + "\n", "utf-8")
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "themes.toml").write_text(body, "utf-8")
    expected = Store(tmp_path / "store", "tester", scan=False).problems  # what the app shows
    assert len(expected) == 1
    done = reader_cli(
        "tag", str(doc), "--start", "0", "--end", "4", "--theme", "arms",
        "--store", str(tmp_path / "store"), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"reader: warning: {expected[0]}"]
    assert len(done.stdout.split()) == 1  # the id, and nothing else on stdout
