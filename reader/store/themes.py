"""Themes: the tags an analyst gives passages, loaded from ``themes.toml``.

The file sits in the store folder (``annotations/themes.toml`` by default)::

    [[theme]]
    key = "arms"              # what records store; letters, digits, _ and -
    label_en = "Arms"
    label_ar = "الأسلحة"
    color = "#e4572e"         # #rrggbb, rgb(r,g,b) or a colour name Rich knows; optional
    digit = "1"               # the key that toggles it ("" for none); optional (the next free)
    terms = ["سلاح", "صواريخ"] # optional: lexicon for suggestions

Without the file the four default themes apply, their ``terms`` taken from
:data:`reader.lexicon.DEFAULT_TERMS`.

A colour is checked with the parser that draws it (Rich's ``Color.parse``; the app's
painting converts Rich's colour for Textual): one it cannot draw — ``notacolor``, a
style such as ``bold red on white``, or ``default`` (the terminal's own colour, which
cannot mark a passage) — gives a one-line problem (:attr:`ThemeSet.problems`) and that
theme takes a default colour; the rest of the file still applies. A theme that leaves out
``digit`` gets the next free digit, one that leaves out ``color`` a colour of its own
(:func:`reader.colors.free_color`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reader.errors import StoreError
from reader.nesting import toml_loads
from reader.store.storage import read_regular

THEMES_FILE = "themes.toml"

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
#: C0, DEL, C1, the bidi embeddings/overrides/isolates, line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@dataclass(frozen=True)
class Theme:
    """One theme: its stored key, labels, display colour and digit shortcut."""

    key: str
    label_en: str
    label_ar: str
    color: str
    digit: str
    terms: tuple[str, ...] = ()


class ThemeSet:
    """Themes in file order, found by key or by digit.

    ``problems``: one line per part of the theme file that was replaced by a default
    (a colour that cannot be drawn), for the caller to show.
    """

    def __init__(
        self, themes: list[Theme] | tuple[Theme, ...], problems: tuple[str, ...] = ()
    ) -> None:
        self.problems = problems
        self._themes = tuple(themes)
        self._by_key = {theme.key: theme for theme in self._themes}
        self._by_digit = {theme.digit: theme for theme in self._themes}

    def get(self, key: str) -> Theme | None:
        return self._by_key.get(key)

    def by_digit(self, digit: str) -> Theme | None:
        return self._by_digit.get(digit)

    def keys(self) -> list[str]:
        return [theme.key for theme in self._themes]

    def __iter__(self) -> Iterator[Theme]:
        return iter(self._themes)

    def __len__(self) -> int:
        return len(self._themes)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __repr__(self) -> str:
        return f"ThemeSet({self.keys()})"


# Mid-lightness colours: legible on both dark and light terminal backgrounds.
_DEFAULTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("arms", "Arms", "الأسلحة", "#e4572e", "1"),
    ("troops", "Troops", "القوات", "#2e86de", "2"),
    ("sanctions", "Sanctions", "العقوبات", "#b8860b", "3"),
    ("china", "China's role", "دور الصين", "#17a589", "4"),
)


def _default_terms() -> dict[str, tuple[str, ...]]:
    # Imported lazily: the lexicon belongs to the suggestion engine and may be absent.
    try:
        module = importlib.import_module("reader.lexicon")
    except ImportError:
        return {}
    terms = getattr(module, "DEFAULT_TERMS", {})
    return terms if isinstance(terms, dict) else {}


def default_themes() -> ThemeSet:
    """arms, troops, sanctions and china on digits 1–4."""
    terms = _default_terms()
    return ThemeSet(
        [
            Theme(key, en, ar, color, digit, tuple(terms.get(key, ())))
            for key, en, ar, color, digit in _DEFAULTS
        ]
    )


def load_themes(store_dir: Path) -> ThemeSet:
    """The themes of a store: ``<store_dir>/themes.toml``, or the defaults when absent.

    Raises:
        StoreError: the file exists but is not a valid theme file (one line, naming it).
    """
    path = Path(store_dir) / THEMES_FILE
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return default_themes()
    except OSError as exc:
        raise StoreError(exc.strerror or "cannot read", path) from None
    import tomllib

    try:
        data = toml_loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"not a valid TOML file: {exc}", path) from None
    entries = data.get("theme")
    if not isinstance(entries, list) or not entries:
        raise StoreError("no [[theme]] tables", path)
    problems: list[str] = []
    parsed = [_theme(entry, index, path, problems) for index, entry in enumerate(entries, 1)]
    themes = _complete(parsed)
    for attr in ("key", "digit"):
        seen: set[str] = set()
        for theme in themes:
            value = getattr(theme, attr)
            if not value:  # themes without a digit: as many as there are
                continue
            if value in seen:
                raise StoreError(f"two themes have the {attr} {value!r}", path)
            seen.add(value)
    return ThemeSet(themes, tuple(problems))


def color_problem(color: str) -> str | None:
    """Why ``color`` cannot be drawn, or None: checked by Rich's parser, which draws it."""
    from rich.color import Color, ColorParseError, ColorType

    try:
        parsed = Color.parse(color)
    except ColorParseError:
        return "is not a colour (#rrggbb, rgb(r,g,b) or a name such as red or dark_orange)"
    if parsed.type is ColorType.DEFAULT:
        return "is the terminal's default colour, which cannot mark a passage"
    return None


#: The digits given to themes that do not say theirs, in this order.
DIGITS = "1234567890"


def _complete(parsed: list[tuple[Theme, set[str]]]) -> list[Theme]:
    """Give each theme that names no digit the next free one (none left: no digit), and each
    theme that names no colour one of its own, distinct from the others' in 256 colours too."""
    from reader.colors import free_color  # Rich's colour tables: only when needed

    digits = {theme.digit for theme, missing in parsed if "digit" not in missing}
    colors = [theme.color for theme, missing in parsed if "color" not in missing]
    themes: list[Theme] = []
    for theme, missing in parsed:
        if "digit" in missing:
            digit = next((d for d in DIGITS if d not in digits), "")
            digits.add(digit)
            theme = replace(theme, digit=digit)
        if "color" in missing:
            color = free_color(colors)
            colors.append(color)
            theme = replace(theme, color=color)
        themes.append(theme)
    return themes


def _theme(entry: Any, index: int, path: Path, problems: list[str]) -> tuple[Theme, set[str]]:
    """One ``[[theme]]`` table, and which of ``digit`` and ``color`` it leaves out."""
    where = f"theme {index}"
    if not isinstance(entry, dict):
        raise StoreError(f"{where} is not a table", path)
    values: dict[str, str] = {}
    missing = {name for name in ("digit", "color") if name not in entry}
    for name in ("key", "label_en", "label_ar", "color", "digit"):
        value = entry.get(name)
        if name in missing:  # filled in by _complete
            values[name] = ""
            continue
        if name == "digit" and value == "":  # no key toggles it (an 11th theme, an import)
            values[name] = ""
            continue
        if not isinstance(value, str) or not value.strip():
            raise StoreError(f"{where}: {name} is missing or not a string", path)
        values[name] = value.strip()
        if _CONTROL.search(value):  # TOML allows \u001b: a label is drawn raw by Rich
            raise StoreError(f"{where}: {name} holds a control character", path)
    if not _KEY.fullmatch(values["key"]):
        raise StoreError(f"{where}: key {values['key']!r:.40} is not a-z, 0-9, _ or -", path)
    bad_color = None if "color" in missing else color_problem(values["color"])
    if bad_color is not None:
        fallback = _DEFAULTS[(index - 1) % len(_DEFAULTS)][3]
        why = f"{where}: color {values['color']!r:.40} {bad_color}; using {fallback}"
        problems.append(str(StoreError(why, path)))  # one line, controls drawn
        values["color"] = fallback
    if not re.fullmatch("[0-9]?", values["digit"]):
        raise StoreError(f"{where}: digit must be one digit 0-9, or empty", path)
    terms = entry.get("terms")
    if terms is None:
        terms = _default_terms().get(values["key"], ())
    elif not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise StoreError(f"{where}: terms must be a list of strings", path)
    unknown = sorted(set(entry) - {"key", "label_en", "label_ar", "color", "digit", "terms"})
    if unknown:
        raise StoreError(f"{where}: unknown field {unknown[0]!r:.40}", path)
    return Theme(**values, terms=tuple(t.strip() for t in terms if t.strip())), missing
