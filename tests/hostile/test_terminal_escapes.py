"""No escape sequence from a document reaches the terminal: ``reader show`` and the app.

The program runs in a private tmux server; ``pipe-pane`` copies the RAW bytes the program
writes to its terminal into a file. The app writes escape sequences of its own (colours,
cursor moves), so the test tokenizes the stream as a terminal would (``vt.py``) and looks
for the document's *markers*: one inside a control sequence is a leak; each must also be
drawn as text on the screen, so the test cannot pass on a blank screen. tmux itself is a
second witness: a leaked OSC 0/2 would retitle the pane, a leaked OSC 52 fill a buffer.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.corpus import read_document
from reader.store import Store

from . import vt
from .fixtures import ARABIC, BARE_BODIES, BEL, ESC, ESCAPES, all_markers, escape_document

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 140, 45


# --- the tokenizer itself must be able to see a leak ----------------------------------


def test_tokenizer_finds_leaks_and_tells_them_from_drawn_text() -> None:
    leaked = "\x1b[1;31mred\x1b[0m" + ESCAPES["osc52_clipboard"][0] + "\x1b[4242;4343H\x9b6161H"
    found = {m for m, _ in vt.leaks(leaked, all_markers())}
    assert found == {"HXCLIPBOARD52", "4242", "4343", "6161"}
    drawn = "\x1b[1;31m␛]52;c;HXCLIPBOARD52␇ ␛[4242;4343H\x1b[0m"
    assert vt.leaks(drawn, all_markers()) == []
    assert "HXCLIPBOARD52" in vt.screen_text(drawn)
    # a raw C1 byte (not UTF-8) and a UTF-8 encoded C1 are both controls to a terminal
    assert vt.c1_controls(vt.decode(b"a\x85b")) and vt.c1_controls("a\u0085b")
    assert [t.body for t in vt.tokenize("\x1bc\x1b#8") if t.kind == "esc"] == ["c", "#8"]


# --- a private tmux server ------------------------------------------------------------


@dataclass
class Run:
    raw: bytes
    """Every byte the program wrote to its terminal."""
    screen: str
    """The screen as tmux drew it, when the markers were awaited."""
    title: str
    buffers: str
    status: str

    @property
    def stream(self) -> str:
        return vt.decode(self.raw)


@dataclass(frozen=True)
class Step:
    keys: tuple[str, ...]
    wait_for: list[str]
    repeat: bool = False
    """Press ``keys`` again and again until everything in ``wait_for`` has been seen."""


class Tmux:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "tmux.sock"

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {args}: {done.stderr}")
        return done.stdout

    def run(
        self,
        name: str,
        argv: list[str],
        wait_for: list[str],
        keys: tuple[str, ...] = (),
        timeout: float = 40.0,
        steps: tuple[Step, ...] = (),
        width: int = WIDTH,
    ) -> Run:
        """Run ``reader argv``; await ``wait_for`` on screen, then play ``steps``; then press
        ``keys`` and await the exit."""
        log = self.root / f"{name}.log"
        log.write_bytes(b"")
        env = {"HOME": str(self.root), "READER_ANNOTATOR": "tester", "LANG": "C.UTF-8"}
        status_file = self.root / f"{name}.status"
        command = " ".join(
            # tmux started from pytest has COLUMNS=80 LINES=24 in its environment, which the
            # app would take over the pane's size: unset, so it runs at WIDTH × HEIGHT.
            ["read _; env -u COLUMNS -u LINES", *(f"{k}={shlex.quote(v)}" for k, v in env.items())]
            + [shlex.quote(a) for a in (sys.executable, "-m", "reader", *argv)]
            + [f"; echo $? > {shlex.quote(str(status_file))}"]
        )
        size = ("-x", str(width), "-y", str(HEIGHT))
        # default-size too: with no client attached, tmux may fall back to it (80x24)
        self("start-server", ";", "set-option", "-g", "default-size", f"{width}x{HEIGHT}", ";",
             "new-session", "-d", "-s", name, *size, command)  # fmt: skip
        self("set-option", "-t", name, "remain-on-exit", "on")
        self("set-option", "-s", "set-clipboard", "on")
        self("pipe-pane", "-o", "-t", name, f"cat >> {shlex.quote(str(log))}")
        self("send-keys", "-t", name, "Enter")  # only now does the program start
        screen = self._await(name, wait_for, timeout)
        for step in steps:
            if step.repeat:
                screen = self._press_until(name, step.keys, step.wait_for, timeout)
            else:
                self("send-keys", "-t", name, *step.keys)
                screen = self._await(name, step.wait_for, timeout)
        for key in keys:
            self("send-keys", "-t", name, key)
        # tmux's pane_dead_status is not always set (pane_dead comes with the pty's EOF):
        # the shell writes the exit status to a file instead
        deadline = time.monotonic() + timeout
        while not (status_file.exists() and status_file.read_text().strip()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: still running after {keys}:\n{self.capture(name)}")
            time.sleep(0.1)
        status = status_file.read_text().strip()
        title = self("display-message", "-p", "-t", name, "#{pane_title}")
        buffers = self("list-buffers", check=False)
        return Run(self._drained(log), screen, title, buffers, status)

    @staticmethod
    def _drained(log: Path) -> bytes:
        """The log once pipe-pane's ``cat`` has written everything (its size stops growing)."""
        size = -1
        for _ in range(50):
            time.sleep(0.1)
            if log.stat().st_size == size:
                break
            size = log.stat().st_size
        return log.read_bytes()

    def capture(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name)

    def _await(self, name: str, wait_for: list[str], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(name)
            if all(w in screen for w in wait_for):
                return screen
            time.sleep(0.2)
        missing = [w for w in wait_for if w not in screen]
        raise AssertionError(f"{name}: {missing} never appeared on screen:\n{screen}")

    def _press_until(
        self, name: str, keys: tuple[str, ...], wait_for: list[str], timeout: float
    ) -> str:
        deadline = time.monotonic() + timeout
        seen: set[str] = set()
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(name)
            seen.update(w for w in wait_for if w in screen)
            if seen == set(wait_for):
                return screen
            self("send-keys", "-t", name, *keys)
            time.sleep(0.3)
        missing = sorted(set(wait_for) - seen)
        raise AssertionError(f"{name}: {missing} never appeared pressing {keys}:\n{screen}")

    def kill(self) -> None:
        self("kill-server", check=False)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmp_path)
    try:
        yield server
    finally:
        server.kill()


def assert_nothing_leaked(run: Run, extra: tuple[str, ...] = ()) -> None:
    stream = run.stream
    leaks = vt.leaks(stream, [*all_markers(), *extra])
    assert leaks == [], leaks[:5]
    assert vt.c1_controls(stream) == []
    bare = [t for t in vt.tokenize(stream) if t.kind == "esc" and t.body in BARE_BODIES]
    assert bare == []
    assert "HX" not in run.title, run.title  # no OSC 0/2 retitled the pane
    assert "HX" not in run.buffers, run.buffers  # no OSC 52 set a clipboard buffer


#: Markers that must be drawn visibly (each sits in the body of the escape document).
VISIBLE = ["HXCLIPBOARD52", "HXLINK8", "HXDCSPAYLOAD", "HXCONEOSC", "4242", "7373", "7777", "6161"]


@pytest.fixture
def hostile_doc(tmp_path: Path) -> Path:
    path = tmp_path / "corpus" / "escapes.txt"
    path.parent.mkdir()
    path.write_text(escape_document(), "utf-8")
    return path


# --- reader show ------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["app", "terminal"])
def test_show_to_a_pipe_writes_no_escape_at_all(hostile_doc: Path, mode: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "show",
            str(hostile_doc),
            "--width",
            "100",
            "--bidi",
            mode,
        ],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = vt.decode(done.stdout)
    assert ESC not in out and BEL not in out and vt.c1_controls(out) == []
    assert all(m in out for m in VISIBLE), out


@pytest.mark.parametrize("mode", ["app", "terminal"])
def test_show_on_a_terminal_lets_no_sequence_through(
    tmux: Tmux, hostile_doc: Path, mode: str
) -> None:
    run = tmux.run(
        f"show-{mode}",
        ["show", str(hostile_doc), "--width", "120", "--bidi", mode],
        wait_for=[],
    )
    assert run.status == "0"
    assert_nothing_leaked(run)
    assert all(m in vt.screen_text(run.stream) for m in VISIBLE)


# --- the app ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["app", "terminal"])
def test_app_reader_lets_no_sequence_through(tmux: Tmux, hostile_doc: Path, mode: str) -> None:
    store = hostile_doc.parent.parent / "store"
    run = tmux.run(
        f"open-{mode}",
        ["open", str(hostile_doc), "--store", str(store), "--bidi", mode],
        wait_for=VISIBLE[:1],
        steps=(Step(("Down",), VISIBLE[1:], repeat=True),),
        keys=("C-q",),
    )
    assert run.status == "0", (run.status, run.stream[-600:], run.screen)
    assert_nothing_leaked(run)


def test_app_library_lets_no_sequence_through_titles_names_or_problems(
    tmux: Tmux, hostile_doc: Path
) -> None:
    corpus = hostile_doc.parent
    # a file name and a broken link's name carry sequences too (shown as title / problem)
    (corpus / f"named{ESC}]2;HXFILENAME{BEL}.txt").write_text(ARABIC + "\n", "utf-8")
    (corpus / f"gone{ESC}]0;HXLINKNAME{BEL}.txt").symlink_to(corpus / "nowhere.txt")
    run = tmux.run(
        "library",
        [str(corpus), "--store", str(corpus.parent / "store")],
        # the title column cuts the title short: its start is what shows
        wait_for=["HXTITLE", "no such file"],
        # the unreadable entry is listed last: opening it notifies its path and reason
        steps=(Step(("Down", "Down", "Enter"), ["cannot open"], repeat=True),),
        keys=("C-q",),
        width=250,
    )
    assert run.status == "0", (run.status, run.stream[-600:], run.screen)
    assert_nothing_leaked(run, extra=("HXTITLE", "HXFILENAME", "HXLINKNAME"))


# --- every other command's output, on a terminal -----------------------------------------

#: Markers planted in the store: theme labels and terms (themes.toml's \u001b escapes),
#: a note, the annotator's name, an imported record's id.
STORE_MARKERS = ("HXLABEL", "HXLABELAR", "HXTERM", "HXNOTE", "HXANNOT", "HXIMPORT")

THEMES_TOML = r"""[[theme]]
key = "arms"
label_en = "Arms \u001b]0;HXLABEL\u0007"
label_ar = "الأسلحة \u001b]2;HXLABELAR\u001b\\"
color = "#e4572e"
digit = "1"
terms = ["القلق", "\u001b]52;c;HXTERM\u0007"]
"""


@pytest.fixture
def hostile_store(hostile_doc: Path) -> Path:
    store_dir = hostile_doc.parent.parent / "store"
    store_dir.mkdir()
    (store_dir / "themes.toml").write_text(THEMES_TOML, "utf-8")
    store = Store(store_dir, f"an{ESC}]0;HXANNOT{BEL}")
    doc = read_document(hostile_doc, hostile_doc.parent)
    store.add(doc, 0, 60, ["arms"], note=f"note {ESC}]52;c;HXNOTE{BEL} \x9b9999m")
    store.close()
    return store_dir


COMMAND_OUTPUTS = {
    "stats": ["stats", "--corpus", "{corpus}"],
    "suggest-text": ["suggest", "{corpus}", "--width", "100"],
    "suggest-jsonl": ["suggest", "{corpus}", "--format", "jsonl"],
    "export-md": ["export", "--format", "md", "--corpus", "{corpus}"],
    "export-html": ["export", "--format", "html", "--corpus", "{corpus}"],
    "export-csv-excel": ["export", "--format", "csv", "--excel", "--corpus", "{corpus}"],
    "export-json": ["export", "--format", "json"],
    "export-jsonl": ["export", "--format", "jsonl"],
    "export-w3c": ["export", "--format", "w3c"],
    "import": ["import", "{imports}"],
}


@pytest.mark.parametrize("command", list(COMMAND_OUTPUTS))
def test_command_output_on_a_terminal_lets_no_sequence_through(
    tmux: Tmux, hostile_store: Path, command: str
) -> None:
    corpus = hostile_store.parent / "corpus"
    imports = hostile_store.parent / "imports.jsonl"
    imports.write_text(
        '{"id": "\\u001b]0;HXIMPORT\\u0007", "doc": "x"}\n{"\x1b]0;HXIMPORT\x07": \n', "utf-8"
    )
    argv = [a.format(corpus=corpus, imports=imports) for a in COMMAND_OUTPUTS[command]]
    run = tmux.run(command, [*argv, "--store", str(hostile_store)], wait_for=[])
    shown = vt.screen_text(run.stream)
    # 1: records rejected by import; 2: a command that refuses the damaged themes.toml
    assert run.status in ("0", "1", "2"), (run.status, shown)
    if run.status == "2":
        assert "themes.toml" in shown and len(shown.split()) > 3, shown
    assert run.raw.strip(), "the command printed something"
    assert_nothing_leaked(run, extra=STORE_MARKERS)


def test_app_with_a_hostile_store_lets_no_sequence_through(
    tmux: Tmux, hostile_store: Path, hostile_doc: Path
) -> None:
    """The note in the panel, the help and palette: drawn, never obeyed. (themes.toml with
    control characters in a label is refused: the defaults apply and a toast says why.)"""
    run = tmux.run(
        "open-store",
        ["open", str(hostile_doc), "--store", str(hostile_store)],
        wait_for=["HXNOTE", "label_en"],  # the toast: "…themes.toml: theme 1: label_en holds…"
        steps=(Step(("?",), []), Step(("Escape", "C-p"), [])),
        keys=("Escape", "C-q"),
    )
    assert run.status == "0", (run.status, run.screen)
    assert_nothing_leaked(run, extra=STORE_MARKERS)


def test_import_summary_draws_the_file_name(hostile_store: Path) -> None:
    """``reader import`` names its file in the summary: the name's controls are drawn."""
    export = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "export",
            "--format",
            "jsonl",
            "--store",
            str(hostile_store),
        ],
        capture_output=True,
        timeout=60,
    )
    name = hostile_store.parent / f"theirs{ESC}]0;HXIMPORTNAME{BEL}.jsonl"
    name.write_bytes(export.stdout)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(name), "--store", str(hostile_store)],
        capture_output=True,
        timeout=60,
    )
    out = vt.decode(done.stdout + done.stderr)
    assert done.returncode == 0, out
    assert "HXIMPORTNAME" in out and "unchanged 1" in out
    assert ESC not in out and BEL not in out
