"""Ask the terminal who it is — XTVERSION and DA2 — without ever hanging.

The query is ``CSI > 0 q`` (XTVERSION), ``CSI > c`` (DA2) and then ``CSI c`` (DA1).
Every terminal answers DA1, and terminals answer in order, so once the DA1 answer has
arrived nothing more is coming: a terminal that knows neither XTVERSION nor DA2 costs
one round trip, not the timeout. The timeout (default 0.3 s) bounds the rest.

Nothing is asked when stdin or the output is not a terminal, or when the program runs
in the background (changing the terminal's mode from a background process would stop
it with SIGTTOU). Echo and line editing are switched off only while waiting, and the
terminal's settings are put back on every way out; what arrived late or was not an
answer is discarded (``TCSAFLUSH``), so no answer is later read as a key.

:func:`parse` reads answers out of whatever bytes came back: the answers in any order,
split or partial, mixed with an echo of the query or with garbage.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import time
from dataclasses import dataclass

QUERY = b"\x1b[>0q\x1b[>c\x1b[c"
#: Stop reading after this many bytes whatever they are: a flood is not an answer.
MAX_BYTES = 4096
DEFAULT_TIMEOUT = 0.3

# DCS > | text ST — ST is ESC \ (7-bit), 0x9c (8-bit) or, from some terminals, BEL.
_XTVERSION = re.compile(rb"(?:\x1bP|\x90)>\|([^\x1b\x07\x9c]{0,200})(?:\x1b\\|\x07|\x9c)")
# CSI > Pp ; Pv ; Pc c — at least one parameter: an echoed "CSI > c" is not an answer.
_DA2 = re.compile(rb"(?:\x1b\[|\x9b)>(\d{1,6}(?:;\d{0,6}){0,8})c")
# CSI ? Ps ; … c
_DA1 = re.compile(rb"(?:\x1b\[|\x9b)\?(\d{1,6}(?:;\d{0,6}){0,30})c")


@dataclass(frozen=True)
class Answers:
    """What the terminal said (None where it said nothing recognisable)."""

    xtversion: str | None = None
    da2: tuple[int, ...] | None = None
    complete: bool = False
    """The DA1 answer arrived, so nothing more was coming."""
    note: str = ""
    """Why there are no answers, when there are none (not a terminal, timed out…)."""


def parse(data: bytes) -> Answers:
    """The answers found in ``data`` (the bytes read back after :data:`QUERY`)."""
    xtversion = None
    if match := _XTVERSION.search(data):
        text = match.group(1).decode("utf-8", "replace")
        # Printable text only: the name is shown by `reader doctor`.
        xtversion = "".join(ch for ch in text if ch.isprintable())
    da2 = None
    if match := _DA2.search(data):
        da2 = tuple(int(p) if p else 0 for p in match.group(1).split(b";"))
    complete = _DA1.search(data) is not None
    note = "" if (xtversion or da2) else "no answer recognised"
    return Answers(xtversion, da2, complete, note)


def read_answers(fd: int, timeout: float) -> bytes:
    """Bytes from ``fd`` until a DA1 answer ends them, ``timeout`` passes, or too many came."""
    deadline = time.monotonic() + timeout
    data = b""
    while len(data) < MAX_BYTES:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            break
        if not chunk:  # end of file: nothing will ever come
            break
        data += chunk
        if _DA1.search(data):
            break
    return data


def query(fd_in: int, fd_out: int, timeout: float = DEFAULT_TIMEOUT) -> Answers:
    """Ask the terminal on ``fd_in``/``fd_out`` for XTVERSION and DA2; never blocks longer
    than ``timeout`` (plus the time to write a few bytes)."""
    reason = _cannot_ask(fd_in, fd_out)
    if reason:
        return Answers(note=reason)
    import termios

    try:
        saved = termios.tcgetattr(fd_in)
    except termios.error as exc:
        return Answers(note=f"cannot read the terminal's settings: {exc}")
    quiet = list(saved)
    quiet[3] &= ~(termios.ECHO | termios.ICANON)  # lflags: no echo, byte by byte
    quiet[6] = list(saved[6])
    quiet[6][termios.VMIN] = 0
    quiet[6][termios.VTIME] = 0
    try:
        termios.tcsetattr(fd_in, termios.TCSANOW, quiet)
        _write_all(fd_out, QUERY, timeout)
        data = read_answers(fd_in, timeout)
    except OSError as exc:
        return Answers(note=f"the query failed: {exc}")
    finally:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd_in, termios.TCSAFLUSH, saved)
    answers = parse(data)
    if not data:
        return Answers(note=f"no answer within {timeout:g} s")
    return answers


def _cannot_ask(fd_in: int, fd_out: int) -> str:
    if not os.isatty(fd_in):
        return "stdin is not a terminal"
    if not os.isatty(fd_out):
        return "the output is not a terminal"
    try:
        if os.tcgetpgrp(fd_in) != os.getpgrp():
            return "running in the background"
    except OSError:
        return "no controlling terminal"
    return ""


def _write_all(fd: int, data: bytes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while data:
        _, ready, _ = select.select([], [fd], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise OSError("the terminal does not take output")
        data = data[os.write(fd, data) :]
