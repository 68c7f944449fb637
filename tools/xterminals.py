"""Real terminal emulators under Xvfb: start one on a script, take screenshots, read them back.

Used by ``tests/terminals/`` (the on-screen tests CI runs) and ``tools/terminal_scores.py``
(the figures). Each terminal starts with its default settings: a fresh ``HOME`` and fresh
XDG folders, so no user configuration is read, and only the window size given on its
command line. Everything waits with a deadline; nothing here can hang.

The script a terminal runs is a small ``sh`` program that reports its progress by
creating files (``stage``): the harness takes a screenshot when a stage is reached and
lets the script go on by creating ``go-<stage>``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLS, ROWS = 100, 30
SCREEN = "1600x1000x24"


class HarnessError(RuntimeError):
    """A terminal, the X server or a tool did not do what was expected in time."""


@dataclass(frozen=True)
class Terminal:
    """How to start one terminal emulator on a command with its default settings."""

    name: str
    """Short name used in test ids and tables."""
    executable: str
    package: str
    """The Debian package that provides it."""
    argv: Callable[[int, int, Sequence[str]], list[str]]
    """(cols, rows, command) → the command line."""
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment (software OpenGL for the GPU-drawn terminals)."""
    note: str = ""
    """What, if anything, is not the terminal's default."""


def _xterm(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
    return ["xterm", "-fa", "Monospace", "-fs", "11", "-geometry", f"{cols}x{rows}", "-e", *cmd]


def _sakura(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
    return ["sakura", "-c", str(cols), "-r", str(rows), "-x", " ".join(cmd)]


def _alacritty(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
    dims = [f"window.dimensions.columns={cols}", f"window.dimensions.lines={rows}"]
    return ["alacritty", "-o", dims[0], "-o", dims[1], "-e", *cmd]


def _mlterm(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
    return ["mlterm", "-g", f"{cols}x{rows}", "-e", *cmd]


def _konsole(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
    size = ["-p", f"TerminalColumns={cols}", "-p", f"TerminalRows={rows}"]
    return ["konsole", "--nofork", "--separate", *size, "-e", *cmd]


def _kitty(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
    size = ["-o", f"initial_window_width={cols}c", "-o", f"initial_window_height={rows}c"]
    return ["kitty", "--config", "NONE", *size, *cmd]


_GL = {"LIBGL_ALWAYS_SOFTWARE": "1"}

TERMINALS: dict[str, Terminal] = {
    t.name: t
    for t in (
        Terminal(
            "xterm",
            "xterm",
            "xterm",
            _xterm,
            note="a FreeType font (-fa Monospace): xterm's built-in bitmap font has no Arabic",
        ),
        Terminal("sakura", "sakura", "sakura", _sakura),
        Terminal("alacritty", "alacritty", "alacritty", _alacritty, env=_GL),
        Terminal("mlterm", "mlterm", "mlterm", _mlterm),
        Terminal("konsole", "konsole", "konsole", _konsole),
        Terminal("kitty", "kitty", "kitty", _kitty, env=_GL),
    )
}


def _inside_tmux(outer: Terminal) -> Terminal:
    """``outer`` running tmux (its own server, no configuration) running the command."""

    def argv(cols: int, rows: int, cmd: Sequence[str]) -> list[str]:
        inner = ["tmux", "-f", "/dev/null", "-L", "onscreen", "new-session", " ".join(cmd)]
        return outer.argv(cols, rows, inner)

    return Terminal(f"{outer.name}+tmux", outer.executable, outer.package, argv, outer.env)


#: Not in the CI test: the outer terminal reordering what tmux draws (tools/terminal_scores.py).
BEHIND_TMUX: dict[str, Terminal] = {
    t.name: t for t in (_inside_tmux(TERMINALS["sakura"]), _inside_tmux(TERMINALS["konsole"]))
}


def missing_tools(terminals: Sequence[Terminal] = ()) -> list[str]:
    """The executables (X server, screenshot, OCR, the given terminals) not on PATH."""
    needed = ["Xvfb", "import", "compare", "tesseract", "xdotool"]
    needed += [t.executable for t in terminals]
    needed += ["tmux"] if any(t.name.endswith("+tmux") for t in terminals) else []
    return [tool for tool in needed if shutil.which(tool) is None]


def has_arabic_ocr() -> bool:
    """Whether tesseract has its Arabic data (Debian: tesseract-ocr-ara)."""
    if shutil.which("tesseract") is None:
        return False
    done = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    return "ara" in (done.stdout + done.stderr).split()


class Display:
    """A private Xvfb server; ``with Display() as d:`` gives ``d.name`` (``":N"``)."""

    def __init__(self, size: str = SCREEN) -> None:
        self.size = size
        self.name = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Display:
        read, write = os.pipe()
        self._proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", self.size, "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(write)
        number = _read_line(read, timeout=20)
        os.close(read)
        if not number.strip().isdigit():
            self.__exit__()
            raise HarnessError("Xvfb did not report a display number")
        self.name = f":{number.strip()}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            _stop(self._proc)
            self._proc = None

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG (windows sit at the top left: there is no window manager)."""
        _run(["import", "-display", self.name, "-window", "root", str(path)], timeout=30)
        return path

    def key(self, *keys: str) -> None:
        """Type keys into the window under the pointer (XTEST: as a real keyboard does)."""
        env = {**os.environ, "DISPLAY": self.name}
        _run(["xdotool", "mousemove", "200", "200"], env=env, timeout=10)
        _run(["xdotool", "key", "--delay", "50", *keys], env=env, timeout=20)


def _read_line(fd: int, timeout: float) -> str:
    import select

    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def _run(argv: list[str], timeout: float, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"{argv[0]} took more than {timeout} s") from exc
    if done.returncode != 0:
        raise HarnessError(f"{' '.join(argv[:3])}: exit {done.returncode}: {done.stderr[-500:]}")
    return done.stdout


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End a process group we started: TERM, then KILL after a grace period."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def fresh_env(home: Path, display: Display, extra: dict[str, str]) -> dict[str, str]:
    """An environment with nothing of the user's: fresh HOME and XDG folders, a UTF-8 locale."""
    for sub in ("config", "data", "cache", "runtime"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "runtime").chmod(0o700)
    keep = {k: os.environ[k] for k in ("PATH", "PYTHONPATH") if k in os.environ}
    return {
        **keep,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "DISPLAY": display.name,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "SHELL": "/bin/sh",
        **extra,
    }


class Session:
    """One terminal running one script on a display, with its stage files in ``work``."""

    def __init__(self, terminal: Terminal, display: Display, work: Path) -> None:
        self.terminal = terminal
        self.display = display
        self.work = work
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, script: str, env: dict[str, str] | None = None) -> None:
        path = self.work / "script.sh"
        path.write_text(script, "utf-8")
        home = self.work / "home"
        full_env = fresh_env(home, self.display, {**self.terminal.env, **(env or {})})
        argv = self.terminal.argv(COLS, ROWS, ["sh", str(path)])
        log = (self.work / "terminal.log").open("wb")
        self._proc = subprocess.Popen(
            argv,
            cwd=self.work,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_stage(self, stage: str, timeout: float) -> None:
        """Wait until the script has created ``stage`` (bounded)."""
        deadline = time.monotonic() + timeout
        marker = self.work / stage
        while time.monotonic() < deadline:
            if marker.exists():
                return
            if self._proc is not None and self._proc.poll() is not None:
                raise HarnessError(f"{self.terminal.name} exited before {stage}: {self.log()}")
            time.sleep(0.1)
        raise HarnessError(f"{self.terminal.name}: no {stage} within {timeout} s: {self.log()}")

    def go(self, stage: str) -> None:
        (self.work / f"go-{stage}").touch()

    def wait_change(self, reference: Path, path: Path, timeout: float) -> Path:
        """Screenshots until the screen differs from ``reference`` (bounded)."""
        deadline = time.monotonic() + timeout
        old = reference.read_bytes()
        while time.monotonic() < deadline:
            self.display.screenshot(path)
            if path.read_bytes() != old:
                return path
            if self._proc is not None and self._proc.poll() is not None:
                raise HarnessError(f"{self.terminal.name} exited: {self.log()}")
            time.sleep(0.2)
        raise HarnessError(f"{self.terminal.name}: the screen did not change in {timeout} s")

    def settle(self, path: Path, timeout: float, quiet: float = 1.5) -> Path:
        """Screenshots until the screen has not changed for ``quiet`` seconds; the last one."""
        deadline = time.monotonic() + timeout
        last, since = b"", time.monotonic()
        while True:
            self.display.screenshot(path)
            data = path.read_bytes()
            now = time.monotonic()
            if data != last:
                last, since = data, now
            elif now - since >= quiet:
                return path
            if now >= deadline:
                return path
            time.sleep(0.3)

    def log(self) -> str:
        path = self.work / "terminal.log"
        return path.read_text("utf-8", "replace")[-800:] if path.exists() else ""

    def stop(self) -> None:
        if self._proc is not None:
            _stop(self._proc)
            self._proc = None


@contextlib.contextmanager
def session(terminal: Terminal, display: Display, work: Path) -> Iterator[Session]:
    s = Session(terminal, display, work)
    try:
        yield s
    finally:
        s.stop()


def ocr(png: Path, lang: str = "ara+eng") -> str:
    """Tesseract's reading of a screenshot, trimmed and scaled ×3 first (terminal fonts are
    small). Arabic and English models together: the app's English labels are read as
    English, not as garbled Arabic words that would count against the score."""
    big = png.with_suffix(".x3.png")
    _run(["convert", str(png), "-trim", "+repage", "-resize", "300%", str(big)], timeout=60)
    # One thread: tesseract's OpenMP threads only fight each other on a busy machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return _run(["tesseract", str(big), "-", "-l", lang], timeout=120, env=env)


def differing_pixels(a: Path, b: Path) -> int:
    """How many pixels differ between two screenshots of the same size."""
    done = subprocess.run(
        ["compare", "-metric", "AE", str(a), str(b), "null:"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:
        return int(float(done.stderr.split()[0]))
    except (IndexError, ValueError) as exc:
        raise HarnessError(f"compare: {done.stderr[-300:]}") from exc
