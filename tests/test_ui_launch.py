"""The launcher: arguments, one-line errors, and the terminal's bidi mode on every way out."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.commands import launch
from reader.commands.launch import BDSM_EXPLICIT, BDSM_IMPLICIT, bidi_terminal


class FakeTerminal(io.StringIO):
    """Stands for ``sys.__stdout__``: records what the launcher writes to the terminal."""


class FakeApp:
    """An app whose ``run`` returns, fails, or is interrupted, and says what it saw."""

    def __init__(self, outcome: BaseException | None, terminal: FakeTerminal) -> None:
        self.outcome = outcome
        self.terminal = terminal
        self.seen_while_running = ""
        self.return_code: int | None = None

    def run(self) -> None:
        self.seen_while_running = self.terminal.getvalue()
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
    monkeypatch.setattr(launch.sys, "__stdout__", terminal)
    return app, terminal, made


@pytest.mark.parametrize(
    ("outcome", "status"),
    [(None, 0), (KeyboardInterrupt(), 130), (RuntimeError("boom"), 1)],
    ids=["quit", "ctrl-c", "crash"],
)
def test_app_mode_switches_bidi_off_and_back_on_every_exit(
    monkeypatch: pytest.MonkeyPatch, outcome: BaseException | None, status: int
) -> None:
    app, terminal, made = launch_with(monkeypatch, outcome)
    assert cli.main(["open", "seeds/000_0430b5cc33e0e526.txt", "--store", "x"]) == status
    assert app.seen_while_running == BDSM_EXPLICIT
    assert terminal.getvalue() == BDSM_EXPLICIT + BDSM_IMPLICIT
    (args, kwargs) = made[0]
    assert kwargs["open_path"] == Path("seeds/000_0430b5cc33e0e526.txt")
    assert args[1:] == (Path("x"), "app", None)


def test_terminal_mode_leaves_the_terminal_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    _app, terminal, made = launch_with(monkeypatch, None)
    assert cli.main(["seeds", "--bidi", "terminal", "--annotator", "amal"]) == 0
    assert terminal.getvalue() == ""
    (args, kwargs) = made[0]
    assert args == ([Path("seeds")], Path("annotations"), "terminal", "amal")
    assert kwargs["open_path"] is None


def test_default_paths_are_the_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    _app, _terminal, made = launch_with(monkeypatch, None)
    assert cli.main([]) == 0
    assert made[0][0][0] == [Path("seeds")]


def test_bidi_terminal_restores_after_an_exception() -> None:
    out = io.StringIO()
    with pytest.raises(ValueError), bidi_terminal("app", out):
        assert out.getvalue() == BDSM_EXPLICIT
        raise ValueError("inside")
    assert out.getvalue() == BDSM_EXPLICIT + BDSM_IMPLICIT


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
