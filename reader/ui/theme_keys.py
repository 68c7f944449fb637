"""The digit keys that toggle themes, shared by the screens that tag (reader, concordance).

One binding per digit 1–9, each with an id (``<screen>.theme_<digit>``) so a keymap
can move it; a screen's ``check_action`` enables only the digits its themes use.
The footer shows them as one compact "Tag" group.
"""

from __future__ import annotations

from textual.binding import Binding

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
