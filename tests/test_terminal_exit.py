"""The real app on a pseudo-terminal: what it switched is switched back on every way out.

The test plays the terminal: it reads every byte the app writes and sends keys and
signals. ``READER_TERMINAL`` names the terminal, so the strategy's sequences are known:
mlterm's ``use_ctl`` switch, or explicit mode. After the app has drawn its first frame it
is made to leave — by its quit key, by SIGTERM, by SIGINT — and the last thing it wrote
must be the sequence that switches the terminal back, after Textual left the alternate
screen. (An exception inside the app goes through the same ``finally``:
tests/test_ui_launch.py.)
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from reader.terminal.strategy import (
    BDSM_EXPLICIT,
    BDSM_IMPLICIT,
    MLTERM_CTL_OFF,
    MLTERM_CTL_ON,
    SCP_DEFAULT,
    SCP_LTR,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0430b5cc33e0e526.txt"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def run_app(tmp_path: Path, terminal: str, leave: str) -> tuple[bytes, int]:
    """Start the app on a pty, wait for its first frame, make it leave; (output, status)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "READER_TERMINAL": terminal,
    }
    argv = [sys.executable, "-m", "reader", "open", str(SEED), "--store", str(tmp_path / "s")]
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execve(sys.executable, argv, env)
    out = b""
    try:
        deadline = time.monotonic() + 60
        while b"paragraph " not in out:
            assert time.monotonic() < deadline, out[-2000:]
            out += _read(fd, 0.2)
        if leave == "quit":
            os.write(fd, b"q")
        else:
            os.kill(pid, getattr(signal, leave))
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, out[-2000:]
            chunk = _read(fd, 0.2)
            out += chunk
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                out += _read(fd, 0.2)
                return out, os.waitstatus_to_exitcode(status)
    finally:
        os.close(fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _read(fd: int, timeout: float) -> bytes:
    data = b""
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return data
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return data
        if not chunk:
            return data
        data += chunk
        timeout = 0.05


@pytest.mark.parametrize("leave", ["quit", "SIGTERM", "SIGINT"])
def test_mlterms_switch_is_put_back_however_the_app_ends(tmp_path: Path, leave: str) -> None:
    out, status = run_app(tmp_path, "mlterm", leave)
    on, off = MLTERM_CTL_OFF.encode(), MLTERM_CTL_ON.encode()
    assert out.count(on) == 1 and out.count(off) == 1
    assert out.index(on) < out.index(b"paragraph ") < out.index(LEAVE_ALT_SCREEN) < out.index(off)
    assert status in (0, 130), status
    # Nothing of the app after the switch back.
    assert out[out.index(off) + len(off) :].strip(b"\r\n") == b""


def test_explicit_mode_is_put_back_after_sigterm(tmp_path: Path) -> None:
    out, status = run_app(tmp_path, "vte", "SIGTERM")
    on, off = (BDSM_EXPLICIT + SCP_LTR).encode(), (BDSM_IMPLICIT + SCP_DEFAULT).encode()
    assert out.startswith(on) and out.rstrip(b"\r\n").endswith(off)
    assert status == 0


def test_konsole_frames_carry_marks_and_nothing_is_switched(tmp_path: Path) -> None:
    out, _status = run_app(tmp_path, "konsole", "quit")
    assert "\u200e".encode() in out  # the marks are in the frames
    assert b"\x1b[8l" not in out and b"5379" not in out
