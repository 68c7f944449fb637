"""Detect the terminal, pick the strategy, and switch the terminal for the app and back.

:func:`detect_terminal` is what both the app and ``reader doctor`` run: the environment
first; the terminal's answers (XTVERSION, DA2) only when the environment does not name
one terminal — over ssh, say, where only ``TERM`` survives — because a pseudo-terminal
that nobody answers costs the whole timeout. ``READER_TERMINAL`` names the terminal and
skips both.

:func:`switched` writes the strategy's sequences before the app and their inverse on
every way out of the ``with`` block (a normal end, an exception, ctrl+c); the app
turns SIGTERM into a normal quit, so that goes through it too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from reader.terminal.detect import NAMES, Detection, Evidence, detect, read_settings
from reader.terminal.query import DEFAULT_TIMEOUT, query
from reader.terminal.strategy import Choice, choose


def detect_terminal(
    env: Mapping[str, str],
    fd_in: int | None = None,
    fd_out: int | None = None,
    home: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    always_query: bool = False,
) -> Detection:
    """The terminal, from ``env`` and, when needed (or ``always_query``), its answers."""
    home = home if home is not None else Path(os.path.expanduser("~"))
    forced = env.get("READER_TERMINAL", "").strip().lower()
    if forced:
        meaning = NAMES.get(forced, "a name this program does not know: treated as unknown")
        evidence = (Evidence("env", "READER_TERMINAL", forced, meaning),)
        terminal = forced if forced in NAMES else "unknown"
        found = detect(env)
        forced_detection = Detection(terminal, "", found.multiplexer, found.evidence + evidence)
        return read_settings(forced_detection, env, home)
    found = detect(env)
    wanted = always_query or found.terminal == "unknown" or bool(found.candidates)
    if wanted and not found.multiplexer and found.terminal != "web" and fd_in is not None:
        answers = query(fd_in, fd_out if fd_out is not None else fd_in, timeout)
        found = detect(env, answers)
    return read_settings(found, env, home)


def terminal_choice(
    requested: str,
    env: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
    home: Path | None = None,
) -> tuple[Detection, Choice]:
    """The detection and the strategy for the app about to draw on ``stream``."""
    env = os.environ if env is None else env
    if requested != "auto":
        # An explicit --bidi needs no query; the environment is still reported.
        found = detect(env)
        return found, choose(found, requested)
    fd_in, fd_out = _fds(stream)
    detection = detect_terminal(env, fd_in, fd_out, home)
    return detection, choose(detection, requested)


def _fds(stream: TextIO | None) -> tuple[int | None, int | None]:
    try:
        fd_in = 0 if os.isatty(0) else None
        fd_out = stream.fileno() if stream is not None else None
    except (OSError, ValueError, AttributeError):
        return None, None
    return fd_in, fd_out


@contextmanager
def switched(choice: Choice, stream: TextIO | None) -> Iterator[None]:
    """Write ``choice.enter`` now and ``choice.leave`` on every way out of the block."""
    if stream is None or not (choice.enter or choice.leave):
        yield
        return
    write(stream, choice.enter)
    try:
        yield
    finally:
        write(stream, choice.leave)


def write(stream: TextIO, sequence: str) -> None:
    """Write a control sequence at once; a terminal that went away is not an error."""
    if not sequence:
        return
    try:
        stream.write(sequence)
        stream.flush()
    except (OSError, ValueError):  # closed, or the terminal is gone: nothing to restore
        pass
