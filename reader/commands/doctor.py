"""``reader doctor [--bidi auto|app|terminal]``: which terminal this is, and what the app does.

Prints every fact that counted — environment variables, the terminal's answers to
XTVERSION and DA2 (asked even when the environment is clear, so they can be compared),
the terminal's own settings that change what works — then the strategy the app will use,
why, the warning it will show if any, and the exact sequences it writes on the way in
and out. Nothing is changed: the query is the only thing sent to the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reader.commands.launch import add_bidi_option
from reader.terminal.detect import Detection
from reader.terminal.session import detect_terminal
from reader.terminal.strategy import Choice, choose


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Show which terminal this is and how the app will draw Arabic in it.",
    )
    add_bidi_option(parser)
    parser.add_argument(
        "--no-query",
        action="store_true",
        help="do not ask the terminal (XTVERSION, DA2); use the environment only",
    )
    return parser


def visible(sequence: str) -> str:
    """A control sequence as text (``ESC[8l ESC[1 k``), or ``(nothing)``."""
    if not sequence:
        return "(nothing)"
    text = "".join(
        ch if ch.isprintable() else {"\x1b": " ESC", "\x07": " BEL"}.get(ch, f"\\x{ord(ch):02x}")
        for ch in sequence
    )
    return text.strip()


def report(detection: Detection, choice: Choice) -> str:
    """The text ``reader doctor`` prints."""
    lines = [f"terminal: {detection.label}"]
    width = max((len(f"{e.name}={e.value}") for e in detection.evidence), default=0)
    for e in detection.evidence:
        fact = f"{e.name}={e.value}"
        lines.append(f"  {e.source:<6} {fact:<{min(width, 48)}}  {e.meaning}")
    if not detection.evidence:
        lines.append("  (no evidence: no variable names a terminal, and no answer was asked for)")
    lines.append(f"strategy: {choice.strategy}")
    lines.append(f"  why: {choice.reason}")
    lines.append(f"  before the first frame: {visible(choice.enter)}")
    lines.append(f"  on every way out: {visible(choice.leave)}")
    if choice.warning:
        lines.append(f"  warning shown at start: {choice.warning}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    fd_in: int | None = None
    fd_out: int | None = None
    if not args.no_query:
        stream = sys.__stderr__ if sys.__stderr__ is not None else sys.stdout
        try:
            fd_in, fd_out = 0, stream.fileno()
        except (OSError, ValueError):
            fd_in = fd_out = None
    detection = detect_terminal(
        os.environ, fd_in, fd_out, Path(os.path.expanduser("~")), always_query=True
    )
    print(report(detection, choose(detection, args.bidi)))
    return 0
