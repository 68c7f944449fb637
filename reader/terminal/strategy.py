"""How the app's visual-order text reaches each terminal intact: one strategy per terminal.

The app lays every line out itself (``reader.layout``: reordered, shaped, mirrored). What
is left is to keep the terminal from undoing it:

``explicit``
    ECMA-48 BDSM explicit mode (``CSI 8 l``) and SCP left-to-right (``CSI 1 SP k``), as
    the terminal-wg BiDi recommendation asks of full-screen apps; ``CSI 8 h`` and
    ``CSI 0 SP k`` on the way out. VTE honours it; terminals that do no bidi (xterm,
    Alacritty, WezTerm by default, foot, Windows Terminal, xterm.js…) ignore it and show
    the app's layout as it is, so it is also the choice for a terminal not recognised.
``mlterm``
    mlterm ignores BDSM but has its own switch: ``OSC 5379 ; use_ctl=false BEL`` before
    the first frame and ``use_ctl=true`` on the way out (mlterm's configuration protocol).
``marks``
    Konsole runs the bidi algorithm over each screen row (left-to-right paragraphs), and
    reshapes Arabic letters in string order, with no escape to stop either. Each
    right-to-left word is sent in logical order, so its bidi turns it back and its shaping
    sees real neighbours, followed by a LEFT-TO-RIGHT MARK that ends the run there (a
    zero-width character, stored with the cell before it: no column moves).
``shaper``
    kitty does no bidi, but shapes each run of cells (same font, no blank between them)
    with HarfBuzz, which lays a run out right to left when its first letter is of a
    right-to-left script. The app sends such a run reversed (brackets mirrored), so that
    HarfBuzz turns it back into the app's order.
``plain``
    Nothing to switch and nothing to change: the browser's xterm.js under ``reader serve``.
``terminal``
    ``--bidi terminal``: the app sends logical order and leaves bidi to the terminal.

:func:`choose` picks the strategy for a :class:`~reader.terminal.detect.Detection`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from reader.terminal.detect import NAMES, Detection

BDSM_EXPLICIT = "\x1b[8l"
BDSM_IMPLICIT = "\x1b[8h"
SCP_LTR = "\x1b[1 k"
SCP_DEFAULT = "\x1b[0 k"
MLTERM_CTL_OFF = "\x1b]5379;use_ctl=false\x07"
MLTERM_CTL_ON = "\x1b]5379;use_ctl=true\x07"

SERVE_HINT = "`reader serve` shows the app in a browser instead"


class Strategy(StrEnum):
    EXPLICIT = "explicit"
    MLTERM = "mlterm"
    MARKS = "marks"
    SHAPER = "shaper"
    PLAIN = "plain"
    TERMINAL = "terminal"


@dataclass(frozen=True)
class Choice:
    """What the app does in this terminal, and why."""

    strategy: Strategy
    reason: str
    warning: str = ""
    """One line to show at start when no strategy is known to work here."""
    enter: str = ""
    """Written before the first frame (and again when the app resumes after ctrl+z)."""
    leave: str = ""
    """Written on every way out (and when the app is suspended)."""

    @property
    def logical(self) -> bool:
        """Whether the app sends logical order (``--bidi terminal``)."""
        return self.strategy is Strategy.TERMINAL


def _wrap_for(multiplexer: str, sequence: str) -> str:
    """``sequence`` wrapped so that tmux or screen hands it on to the outer terminal."""
    if not sequence or not multiplexer:
        return sequence
    doubled = sequence.replace("\x1b", "\x1b\x1b")
    if multiplexer == "tmux":  # needs `set -g allow-passthrough on` (tmux 3.3+)
        return f"\x1bPtmux;{doubled}\x1b\\"
    return f"\x1bP{sequence}\x1b\\"  # screen passes a DCS string through as it is


def explicit(reason: str, warning: str = "") -> Choice:
    return Choice(
        Strategy.EXPLICIT, reason, warning, BDSM_EXPLICIT + SCP_LTR, BDSM_IMPLICIT + SCP_DEFAULT
    )


def choose(detection: Detection, requested: str = "auto") -> Choice:
    """The strategy for ``detection``; ``requested`` is the ``--bidi`` option."""
    if requested == "terminal":
        return Choice(Strategy.TERMINAL, "--bidi terminal: the terminal reorders and shapes")
    if requested == "app":
        return explicit("--bidi app: the app reorders; explicit mode asked for")
    if detection.terminal == "web":
        return Choice(Strategy.PLAIN, "xterm.js in the browser does no bidi: nothing to switch")
    if detection.multiplexer:
        return _behind_multiplexer(detection)
    return _direct(detection)


def _direct(detection: Detection) -> Choice:
    name = NAMES.get(detection.terminal, detection.terminal)
    match detection.terminal:
        case "mlterm":
            if _mlterm_ctl_off(detection):
                return explicit("mlterm with use_ctl = false in ~/.mlterm/main: nothing reorders")
            return Choice(
                Strategy.MLTERM,
                "mlterm ignores CSI 8 l; its own switch use_ctl=false stops its bidi and shaping",
                enter=MLTERM_CTL_OFF,
                leave=MLTERM_CTL_ON,
            )
        case "konsole":
            if detection.setting("konsole BidiRenderingEnabled") == "false":
                return explicit("Konsole with Bi-Directional text rendering off: nothing reorders")
            return Choice(
                Strategy.MARKS,
                "Konsole reorders and reshapes every row and ignores CSI 8 l; each word is "
                "sent in logical order with a left-to-right mark after it, which Konsole "
                "turns back into the app's order and shapes (or turn off its profile's "
                "Bi-Directional text rendering: then explicit mode)",
            )
        case "kitty":
            if _kitty_force_ltr(detection):
                return explicit("kitty with force_ltr yes: it shapes nothing right to left")
            return Choice(
                Strategy.SHAPER,
                "kitty lays each right-to-left run out backwards (HarfBuzz); the app sends "
                "each such run reversed (or set force_ltr yes in kitty.conf: then explicit mode)",
            )
        case "iterm2":
            if _version_at_least(detection.version, (3, 7)):
                return explicit(
                    "iTerm2 3.7+ reorders right-to-left text by default; no escape stops it",
                    warning="iTerm2 reorders this app's Arabic a second time: turn off "
                    "Settings > General > Experimental > right-to-left support, or use "
                    + SERVE_HINT,
                )
            return explicit(
                "iTerm2 before 3.7 does no bidi unless its experimental right-to-left setting is on"
            )
        case "apple-terminal":
            return explicit(
                "Terminal.app reorders every line and has no setting or escape to stop it",
                warning="Terminal.app reorders this app's Arabic a second time and cannot be "
                "told not to: use iTerm2, or " + SERVE_HINT,
            )
        case "vte":
            return explicit(f"{name} honours explicit mode (CSI 8 l)")
        case "unknown":
            return explicit(
                "terminal not recognised: explicit mode, right in every terminal that does "
                "no bidi of its own"
            )
        case _:
            return explicit(f"{name} does no bidi of its own; explicit mode is harmless")


def _behind_multiplexer(detection: Detection) -> Choice:
    mux = detection.multiplexer
    outer = detection.terminal
    name = NAMES.get(outer, outer)
    if outer in ("konsole", "vte"):
        # Explicit mode would stop at the multiplexer; the marks pass through it.
        return Choice(
            Strategy.MARKS,
            f"{name} outside {mux} reorders what {mux} draws; CSI 8 l would stop at {mux}, "
            "words in logical order with left-to-right marks pass through",
        )
    if outer == "kitty" and not _kitty_force_ltr(detection):
        return Choice(
            Strategy.SHAPER,
            f"kitty outside {mux} shapes each run backwards; runs are sent reversed",
        )
    if outer == "mlterm" and not _mlterm_ctl_off(detection):
        hint = " (tmux needs `set -g allow-passthrough on`)" if mux == "tmux" else ""
        return Choice(
            Strategy.MLTERM,
            f"mlterm outside {mux}: use_ctl=false is passed through {mux}{hint}",
            warning=f"mlterm outside {mux}: if Arabic shows reversed, {mux} did not pass "
            f"mlterm's switch on{hint}; or " + SERVE_HINT,
            enter=_wrap_for(mux, MLTERM_CTL_OFF),
            leave=_wrap_for(mux, MLTERM_CTL_ON),
        )
    return explicit(f"{name} outside {mux} does no bidi of its own")


def _mlterm_ctl_off(detection: Detection) -> bool:
    return detection.setting("mlterm use_ctl") == "false"


def _kitty_force_ltr(detection: Detection) -> bool:
    return detection.setting("kitty force_ltr") in ("yes", "y", "true")


def _version_at_least(version: str, wanted: tuple[int, ...]) -> bool:
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[: len(wanted)])
    return bool(parts) and parts >= wanted
