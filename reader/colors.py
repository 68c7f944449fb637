"""Theme colours that stay apart and legible: contrast ratios, tints, 256-colour terminals.

A tagged passage is drawn in white on a darkened tint of its theme's colour. Two
things can go wrong, and both were seen: in a 256-colour terminal, where Rich maps
every colour to the nearest of the xterm palette, two themes' tints can become the
same colour (23 for Troops and China's role); and a tint too light leaves white
text unreadable. :func:`tag_background` picks, per colour, the lightest tint whose
contrast with white text is at least :data:`MIN_CONTRAST` both as it is and as a
256-colour terminal shows it; :func:`free_color` gives a new theme a colour whose
tint is distinct from the others' in 256 colours too. Pure (Rich's colour tables,
no Textual).
"""

from __future__ import annotations

import colorsys
import itertools
from collections.abc import Iterable
from functools import cache

from rich.color import Color, ColorParseError, ColorSystem
from rich.color_triplet import ColorTriplet

#: WCAG 2 AA for normal text.
MIN_CONTRAST = 4.5
WHITE = ColorTriplet(255, 255, 255)
BLACK = ColorTriplet(0, 0, 0)
UNKNOWN = "#888888"

#: Colours for themes that do not give one: mid-lightness, far apart in hue.
PALETTE = (
    "#e4572e", "#2e86de", "#b8860b", "#17a589", "#8e44ad", "#c0392b", "#27ae60",
    "#d35400", "#2c3e50", "#16a085", "#7f8c8d", "#f39c12", "#1abc9c", "#9b59b6",
)  # fmt: skip


def triplet(color: str) -> ColorTriplet:
    """A colour (``#rrggbb`` or a name Rich knows) as RGB; grey when unknown."""
    try:
        return Color.parse(color).get_truecolor()
    except ColorParseError:
        return Color.parse(UNKNOWN).get_truecolor()


def hex_of(rgb: ColorTriplet) -> str:
    return rgb.hex


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: ColorTriplet) -> float:
    """WCAG relative luminance."""
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    """WCAG contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(rgb: ColorTriplet, toward: ColorTriplet, amount: float) -> ColorTriplet:
    """``amount`` (0–1) of the way from ``rgb`` to ``toward``."""
    return ColorTriplet(*(round(c + (t - c) * amount) for c, t in zip(rgb, toward, strict=True)))


def eight_bit(rgb: ColorTriplet) -> int:
    """The xterm 256-colour palette number a 256-colour terminal shows (Rich's mapping)."""
    number = Color.from_triplet(rgb).downgrade(ColorSystem.EIGHT_BIT).number
    assert number is not None
    return number


def eight_bit_rgb(rgb: ColorTriplet) -> ColorTriplet:
    return Color.from_triplet(rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()


@cache
def tag_background(color: str) -> str:
    """The background of a passage tagged ``color``: the lightest darkened tint (at least
    30 % toward black) under which white text has :data:`MIN_CONTRAST`, in true colour and
    in 256 colours."""
    rgb = triplet(color)
    tint = rgb
    for step in range(6, 20):  # 30 % … 95 % of the way to black
        tint = blend(rgb, BLACK, step * 0.05)
        if min(contrast(WHITE, tint), contrast(WHITE, eight_bit_rgb(tint))) >= MIN_CONTRAST:
            break
    return hex_of(tint)


def free_color(used: Iterable[str]) -> str:
    """A colour for a new theme: not one in use, and its tag background a 256-colour
    palette entry no theme in use has while there are such entries left (a few dozen);
    past that, any colour not in use."""
    taken = {hex_of(triplet(c)) for c in used}
    taken_8 = {eight_bit(triplet(tag_background(c))) for c in taken}
    candidates = [*PALETTE, *(_golden(n) for n in range(128))]
    for color in candidates:
        if color not in taken and eight_bit(triplet(tag_background(color))) not in taken_8:
            return color
    more = itertools.chain(PALETTE, map(_golden, itertools.count()))
    return next(c for c in more if c not in taken)


def _golden(n: int) -> str:
    """Hues a golden angle apart: each new one far from the last."""
    r, g, b = colorsys.hsv_to_rgb((n * 0.618034) % 1, 0.6, 0.75)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
