"""The launcher: arguments, one-line errors, and the terminal's bidi mode on every way out.

The real terminals are in tests/terminals/; here the terminal is a StringIO standing for
``sys.__stderr__`` (where Textual draws, and where the launcher writes its sequences), and
the environment names the terminal.
"""

from __future__ import annotations

import gc
import io
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.commands import launch
from reader.commands.launch import BDSM_EXPLICIT, BDSM_IMPLICIT, bidi_terminal
from reader.terminal.strategy import MLTERM_CTL_OFF, MLTERM_CTL_ON, SCP_DEFAULT, SCP_LTR, Choice

EXPLICIT_ON = BDSM_EXPLICIT + SCP_LTR
EXPLICIT_OFF = BDSM_IMPLICIT + SCP_DEFAULT


class FakeTerminal(io.StringIO):
    """Stands for ``sys.__stderr__``: records what the launcher writes to the terminal."""


class FakeApp:
    """An app whose ``run`` returns, fails, or is interrupted, and says what it saw."""

    def __init__(self, outcome: BaseException | None, terminal: FakeTerminal) -> None:
        self.outcome = outcome
        self.terminal = terminal
        self.seen_while_running = ""
        self.collecting_while_running = True
        self.return_code: int | None = None
        self.terminal_choice: Choice | None = None

    def use_terminal(self, choice: Choice) -> None:
        self.terminal_choice = choice

    def run(self) -> None:
        self.seen_while_running = self.terminal.getvalue()
        self.collecting_while_running = gc.isenabled()  # no frame came: still held
        if self.outcome is not None:
            raise self.outcome
        self.return_code = 0


def launch_with(
    monkeypatch: pytest.MonkeyPatch, outcome: BaseException | None
) -> tuple[FakeApp, FakeTerminal, list[Any]]:
    """Replace the app factory and the terminal; returns the app, terminal and factory calls."""
    import reader.ui.app

    terminal = FakeTerminal()
    app = FakeApp(outcome, terminal)
    made: list[Any] = []

    def fake_make_app(*args: Any, **kwargs: Any) -> FakeApp:
        made.append((args, kwargs))
        return app

    monkeypatch.setattr(reader.ui.app, "make_app", fake_make_app)
    monkeypatch.setattr(launch.sys, "__stderr__", terminal)
    for name in list(launch.os.environ):
        if name not in ("PATH", "HOME", "PYTHONPATH"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TERM", "xterm-256color")
    return app, terminal, made


EXITS = [(None, 0), (KeyboardInterrupt(), 130), (RuntimeError("boom"), 1)]
#: (extra arguments, environment, what is written before the app, and after it)
SWITCHES = {
    "explicit": (["--bidi", "app"], {}, EXPLICIT_ON, EXPLICIT_OFF),
    "mlterm": ([], {"TERM": "mlterm", "MLTERM": "3.9.0"}, MLTERM_CTL_OFF, MLTERM_CTL_ON),
}


@pytest.mark.parametrize("switch", list(SWITCHES))
@pytest.mark.parametrize(("outcome", "status"), EXITS, ids=["quit", "ctrl-c", "crash"])
def test_the_terminal_is_switched_and_back_on_every_exit(
    monkeypatch: pytest.MonkeyPatch, outcome: BaseException | None, status: int, switch: str
) -> None:
    extra, env, on, off = SWITCHES[switch]
    app, terminal, made = launch_with(monkeypatch, outcome)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = ["open", "seeds/000_0430b5cc33e0e526.txt", "--store", "x", *extra]
    assert cli.main(argv) == status
    assert app.seen_while_running == on
    assert terminal.getvalue() == on + off
    assert not app.collecting_while_running and gc.isenabled()  # held for the start, then back
    (args, kwargs) = made[0]
    assert kwargs["open_path"] == Path("seeds/000_0430b5cc33e0e526.txt")
    assert args[1:] == (Path("x"), "app", None)


def test_auto_picks_the_strategy_of_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    app, terminal, _made = launch_with(monkeypatch, None)
    monkeypatch.setenv("KONSOLE_VERSION", "221203")
    assert cli.main(["seeds"]) == 0
    assert app.terminal_choice is not None and app.terminal_choice.strategy == "marks"
    assert terminal.getvalue() == ""  # Konsole has nothing to switch: the frames carry marks


def test_a_terminal_with_no_strategy_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app, _terminal, _made = launch_with(monkeypatch, None)
    monkeypatch.setenv("TERM_PROGRAM", "Apple_Terminal")
    assert cli.main(["seeds"]) == 0
    assert app.terminal_choice is not None and app.terminal_choice.warning
    out = capsys.readouterr()
    assert out.err.count("\n") == 1 and "reader serve" in out.err


def test_terminal_mode_leaves_the_terminal_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    app, terminal, made = launch_with(monkeypatch, None)
    assert cli.main(["seeds", "--bidi", "terminal", "--annotator", "amal"]) == 0
    assert terminal.getvalue() == ""
    (args, kwargs) = made[0]
    assert args == ([Path("seeds")], Path("annotations"), "app", "amal")
    assert kwargs["open_path"] is None
    assert app.terminal_choice is not None and app.terminal_choice.logical


def test_default_paths_are_the_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    _app, _terminal, made = launch_with(monkeypatch, None)
    assert cli.main([]) == 0
    assert made[0][0][0] == [Path("seeds")]


def test_bidi_terminal_restores_after_an_exception() -> None:
    out = io.StringIO()
    with pytest.raises(ValueError), bidi_terminal("app", out):
        assert out.getvalue() == EXPLICIT_ON
        raise ValueError("inside")
    assert out.getvalue() == EXPLICIT_ON + EXPLICIT_OFF


def test_unreadable_document_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x00")
    assert cli.main(["open", str(binary), "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(binary) in err and "binary" in err
    assert cli.main(["open", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s")]) == 2
    assert "no such file" in capsys.readouterr().err
