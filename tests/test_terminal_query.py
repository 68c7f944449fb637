"""The terminal query: real answers, garbage, partial answers, echo, silence — never a hang.

The parser is fed the bytes real terminals sent (see test_terminal_detect.py). The query
itself runs in a child process whose controlling terminal is a pseudo-terminal; the test
plays the terminal on the other side: it answers, answers late, echoes, or says nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_terminal_detect import ANSWERS

from reader.terminal.query import MAX_BYTES, QUERY, parse, query


def test_real_answers_parse() -> None:
    kitty = parse(ANSWERS["kitty"])
    assert (kitty.xtversion, kitty.da2, kitty.complete) == ("kitty(0.26.5)", (1, 4000, 26), True)
    vte = parse(ANSWERS["vte"])
    assert (vte.xtversion, vte.da2, vte.complete) == (None, (65, 7006, 1), True)


def test_answers_in_another_order_or_eight_bit_or_bel_terminated() -> None:
    swapped = b"\x1b[?62;c\x1b[>1;115;0c\x1bP>|Konsole 22.12.3\x1b\\"
    assert parse(swapped).xtversion == "Konsole 22.12.3"
    assert parse(b"\x90>|XTerm(379)\x9c\x9b>41;379;0c").da2 == (41, 379, 0)
    assert parse(b"\x1bP>|foot(1.16.2)\x07").xtversion == "foot(1.16.2)"
    assert parse(b"\x1b[>1;;0c").da2 == (1, 0, 0)


def test_partial_answers_are_not_answers() -> None:
    cut = parse(b"\x1bP>|kitty(0.2")
    assert cut.xtversion is None and cut.da2 is None and not cut.complete
    assert parse(b"\x1b[>41;37").da2 is None
    assert parse(b"\x1b[?64;1;2").complete is False


def test_echo_and_garbage_are_not_answers() -> None:
    echoed = parse(QUERY)  # a line that echoes what it is sent
    assert (echoed.xtversion, echoed.da2, echoed.complete) == (None, None, False)
    noise = parse(b"hello \x1b[31mred\x1b[0m \xff\xfe\x1b[>q \x1bP>|\x1b[2J\x1b\\")
    assert noise.da2 is None and noise.xtversion in (None, "")
    # Controls inside an XTVERSION answer are dropped: doctor prints the text.
    assert parse(b"\x1bP>|evil\x1b[2Jname\x1b\\").xtversion is None
    assert parse(b"\x1bP>|bad\x08name\x1b\\").xtversion == "badname"


# --- the query over a pseudo-terminal --------------------------------------------------

CHILD = """
import json, os, sys, time
from reader.terminal.query import query
t = time.monotonic()
a = query(0, 1, float(sys.argv[2]))
out = {"xtversion": a.xtversion, "da2": a.da2, "complete": a.complete, "note": a.note,
       "seconds": time.monotonic() - t}
import termios
out["echo_back_on"] = bool(termios.tcgetattr(0)[3] & termios.ECHO)
open(sys.argv[1], "w").write(json.dumps(out))
"""


def run_query(
    tmp_path: Path, terminal: Callable[[int, bytes], None], timeout: float = 0.3
) -> dict[str, object]:
    """Run query() in a child on a pty; ``terminal(fd, query_bytes)`` plays the terminal."""
    result = tmp_path / "result.json"
    root = Path(__file__).resolve().parent.parent
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, stdin and stdout
        os.chdir(root)
        os.execv(sys.executable, [sys.executable, "-c", CHILD, str(result), str(timeout)])
    try:
        got = b""
        deadline = time.monotonic() + 20
        while not got.endswith(QUERY) and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                got += os.read(fd, 1024)
        assert got.endswith(QUERY), got
        terminal(fd, got)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(fd, 1024)
        else:
            os.kill(pid, 9)
            raise AssertionError("the query did not return")
    finally:
        os.close(fd)
    data: dict[str, object] = json.loads(result.read_text())
    return data


def test_a_terminal_that_answers(tmp_path: Path) -> None:
    out = run_query(tmp_path, lambda fd, _: os.write(fd, ANSWERS["konsole"]))
    assert out["xtversion"] == "Konsole 22.12.3" and out["complete"] is True
    assert float(out["seconds"]) < 0.3  # DA1 ended the wait: no timeout paid
    assert out["echo_back_on"] is True  # the terminal's settings were put back


def test_a_terminal_that_answers_in_pieces(tmp_path: Path) -> None:
    def pieces(fd: int, _: bytes) -> None:
        data = ANSWERS["xterm"]
        for i in range(0, len(data), 7):
            os.write(fd, data[i : i + 7])
            time.sleep(0.01)

    out = run_query(tmp_path, pieces, timeout=2.0)
    assert out["xtversion"] == "XTerm(379)" and out["da2"] == [41, 379, 0]


def test_silence_costs_the_timeout_and_no_more(tmp_path: Path) -> None:
    out = run_query(tmp_path, lambda fd, _: None, timeout=0.3)
    assert out["xtversion"] is None and "no answer" in str(out["note"])
    assert 0.25 <= float(out["seconds"]) < 1.5
    assert out["echo_back_on"] is True


def test_an_answer_without_da1_waits_the_timeout_then_counts(tmp_path: Path) -> None:
    out = run_query(tmp_path, lambda fd, _: os.write(fd, b"\x1b[>1;4000;26c"), timeout=0.3)
    assert out["da2"] == [1, 4000, 26] and out["complete"] is False


def test_a_terminal_that_echoes_the_query(tmp_path: Path) -> None:
    out = run_query(tmp_path, lambda fd, q: os.write(fd, q), timeout=0.3)
    assert out["xtversion"] is None and out["da2"] is None
    assert float(out["seconds"]) < 1.5


def test_a_flood_stops_the_reading(tmp_path: Path) -> None:
    out = run_query(tmp_path, lambda fd, _: os.write(fd, b"x" * (MAX_BYTES + 10)), timeout=5)
    assert float(out["seconds"]) < 4 and out["da2"] is None


def test_not_a_terminal_asks_nothing() -> None:
    read, write = os.pipe()
    try:
        started = time.monotonic()
        answers = query(read, write, 5)
        assert answers.note == "stdin is not a terminal" and time.monotonic() - started < 1
    finally:
        os.close(read)
        os.close(write)


def test_a_background_process_asks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    leader, follower = os.openpty()
    try:
        monkeypatch.setattr(os, "tcgetpgrp", lambda fd: os.getpgrp() + 1)
        assert query(follower, follower, 5).note == "running in the background"
    finally:
        os.close(leader)
        os.close(follower)


def test_the_app_does_not_wait_when_the_environment_is_clear(tmp_path: Path) -> None:
    """``reader doctor --no-query`` and an identified terminal return at once; on a pipe the
    query is skipped (the suite itself runs without a terminal)."""
    env = {**os.environ, "TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "doctor"],
        capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "terminal: kitty" in done.stdout and "strategy: shaper" in done.stdout
    assert "stdin is not a terminal" in done.stdout
    assert time.monotonic() - started < 30
