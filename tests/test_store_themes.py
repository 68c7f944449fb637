"""Themes: the default set, themes.toml, and the record schema checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.lexicon import DEFAULT_TERMS
from reader.store import Annotation, Store, from_record, load_themes, to_record

CUSTOM = """
[[theme]]
key = "energy"
label_en = "Energy"
label_ar = "الطاقة"
color = "#123456"
digit = "5"
terms = ["نفط", "غاز"]

[[theme]]
key = "arms"
label_en = "Weapons"
label_ar = "السلاح"
color = "magenta"
digit = "1"
"""


def test_defaults_when_the_file_is_absent(tmp_path: Path) -> None:
    themes = load_themes(tmp_path)
    assert themes.keys() == ["arms", "troops", "sanctions", "china"]
    assert [t.label_ar for t in themes] == ["الأسلحة", "القوات", "العقوبات", "دور الصين"]
    assert [t.digit for t in themes] == ["1", "2", "3", "4"]
    assert len({t.color for t in themes}) == 4
    assert themes.by_digit("4") is themes.get("china")
    for theme in themes:
        assert theme.terms == DEFAULT_TERMS.get(theme.key, ())
    arms = themes.get("arms")
    assert arms is not None and arms.terms


def test_a_theme_file_replaces_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "themes.toml").write_text(CUSTOM, encoding="utf-8")
    themes = load_themes(tmp_path)
    assert themes.keys() == ["energy", "arms"]
    energy = themes.by_digit("5")
    assert energy is not None and energy.terms == ("نفط", "غاز") and energy.color == "#123456"
    arms = themes.get("arms")
    assert arms is not None and arms.label_en == "Weapons"
    assert arms.terms == DEFAULT_TERMS["arms"]  # no terms given: the default lexicon
    assert "troops" not in themes


BAD = {
    "not toml": ("[[theme]\nkey=", "not a valid TOML"),
    "no themes": ("title = 'x'", "no [[theme]]"),
    "missing label": ('[[theme]]\nkey="a"\nlabel_en="A"\ncolor="red"\ndigit="1"', "label_ar"),
    "bad key": (CUSTOM.replace('"energy"', '"Energy Policy"'), "key 'Energy Policy'"),
    "bad digit": (CUSTOM.replace('"5"', '"٥"'), "one digit"),
    "same digit": (CUSTOM.replace('"5"', '"1"'), "two themes have the digit '1'"),
    "bad terms": (CUSTOM.replace('["نفط", "غاز"]', "3"), "terms"),
    "unknown field": (CUSTOM.replace('digit = "5"', 'digit = "5"\nshortcut = "e"'), "shortcut"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_theme_file_is_one_line_naming_it(tmp_path: Path, case: str) -> None:
    text, reason = BAD[case]
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        load_themes(tmp_path)
    message = str(caught.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_a_store_with_a_bad_theme_file_starts_with_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "themes.toml").write_text("[[theme]\n", encoding="utf-8")
    store = Store(tmp_path)
    assert store.themes.keys() == ["arms", "troops", "sanctions", "china"]
    assert any("themes.toml" in p and "default" in p for p in store.problems)


RECORD = {
    "id": "x1", "doc": "a.txt", "doc_sha256": "0" * 64, "start": 3, "end": 9, "quote": "ابتثجح",
    "prefix": "", "suffix": "", "themes": ["arms"], "note": "", "annotator": "me",
    "created": "2026-01-01T00:00:00.000Z", "updated": "2026-01-01T00:00:00.000Z",
    "status": "anchored",
}  # fmt: skip


def test_records_round_trip_with_unknown_fields_kept() -> None:
    ann = from_record({**RECORD, "future": {"a": 1}})
    assert isinstance(ann, Annotation) and ann.extra == {"future": {"a": 1}}
    assert to_record(ann) == {**RECORD, "future": {"a": 1}}
    assert list(to_record(ann))[:14] == list(RECORD)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"start": "3"}, "start is not an integer"),
        ({"end": True}, "end is not an integer"),
        ({"start": 9}, "bad range"),
        ({"start": -1}, "bad range"),
        ({"themes": []}, "non-empty list"),
        ({"themes": "arms"}, "non-empty list"),
        ({"status": "lost"}, "unknown status"),
        ({"note": None}, "note is not a string"),
        ({"id": ""}, "empty id"),
    ],
)
def test_invalid_records_name_the_problem(change: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        from_record({**RECORD, **change})
    with pytest.raises(ValueError, match="lacks quote"):
        from_record({k: v for k, v in RECORD.items() if k != "quote"})
    with pytest.raises(ValueError, match="not an object"):
        from_record(["x"])
