"""The digit keys that toggle themes, shared by the screens that tag (reader, concordance).

One binding per digit 1–9, each with an id (``<screen>.theme_<digit>``) so a keymap
can move it; a screen's ``check_action`` enables only the digits its themes use.
The footer shows them as one compact "Tag" group.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from reader.store import Theme

TAG_GROUP = Binding.Group("Tag", compact=True)


def theme_bindings(screen: str, action: str, what: str) -> list[Binding]:
    """``1``…``9`` → ``action('<digit>')``, ids ``<screen>.theme_<digit>``.

    Args:
        screen: the id prefix (``reader``).
        action: the screen's action taking the digit (``toggle_theme``).
        what: the tooltip after "Toggle theme N " (``on the selection``).
    """
    return [
        Binding(
            digit,
            f"{action}('{digit}')",
            f"theme {digit}",
            id=f"{screen}.theme_{digit}",
            tooltip=f"Toggle theme {digit} {what}",
            group=TAG_GROUP,
        )
        for digit in "123456789"
    ]


def digit_hint(themes: Iterable[Theme]) -> str:
    """The digits the themes use, as a hint says them: "1–4", "1–3, 5", "1–9, 0"."""
    used = {theme.digit for theme in themes if theme.digit}
    runs: list[list[str]] = [[]]
    for digit in "123456789":
        if digit in used:
            runs[-1].append(digit)
        elif runs[-1]:
            runs.append([])
    said = [run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs if run]
    if "0" in used:  # after 9 on the keyboard, but "1–0" would read oddly
        said.append("0")
    return ", ".join(said) or "a theme's digit (no theme has one: see themes.toml)"


#: How a theme key the theme set does not know (an imported record's) is drawn: kept and
#: shown by its key, in grey, never hidden (issue 12, item 7).
UNKNOWN_THEME_COLOR = "#8a8a8a"


def unknown_keys(keys: Iterable[str], themes: Iterable[Theme]) -> list[str]:
    """The keys of ``keys`` that no theme of ``themes`` has, in their order."""
    known = {theme.key for theme in themes}
    return [key for key in keys if key not in known]


def theme_labels(keys: Iterable[str], themes: Iterable[Theme]) -> list[str]:
    """The labels of the themes ``keys`` name, then each unknown key as ``key?``."""
    keys, themes = list(keys), list(themes)
    return [t.label_en for t in themes if t.key in keys] + [
        f"{key}?" for key in unknown_keys(keys, themes)
    ]
