"""End to end: the real program in tmux, driven by keys only, checked on disk and on screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.boilerplate import content_sentences
from reader.corpus import read_document
from reader.layout import layout_paragraph
from reader.store import Store

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SEED = "000_0430b5cc33e0e526.txt"
WIDTH, HEIGHT = 100, 30
#: The program's environment in the pane. tmux started from pytest puts COLUMNS=80 and
#: LINES=24 in its global environment, and the app would take those over the pane's size.
ENV = "-u COLUMNS -u LINES LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"


class Tmux:
    """One detached tmux session (its own server socket) running one command."""

    def __init__(self, name: str, socket: Path) -> None:
        self.name = name
        self.socket = socket

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-u", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return done.stdout

    def start(self, command: str) -> None:
        # The shell reports the exit status, then waits to be killed, so it can be read.
        script = f"{command}; echo READER-EXIT=$?; sleep 60"
        self.run("new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT), script)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def screen(self) -> list[str]:
        return self.run("capture-pane", "-p", "-t", self.name).split("\n")

    def wait_for(self, found: Callable[[list[str]], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found(self.screen()):
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}:\n" + "\n".join(self.screen()))

    def kill(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end tests (apt-get install tmux)")
    session = Tmux(f"reader-e2e-{os.getpid()}", tmp_path / "tmux.sock")
    yield session
    session.kill()


def columns(row: str, width: int) -> str:
    """The first ``width`` columns of a screen row (a combining mark takes none)."""
    from rich.cells import cell_len

    used = 0
    for end, ch in enumerate(row):
        used += cell_len(ch)
        if used > width:
            return row[:end]
    return row


def is_arabic(ch: str) -> bool:
    """An Arabic letter, logical (U+06xx) or shaped (presentation forms)."""
    return "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"


def launch(tmp_path: Path, tmux: Tmux) -> Path:
    """``reader open`` on a copy of the seed, with a fresh store; returns the store folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "seeds" / SEED, corpus / SEED)
    store = tmp_path / "store"
    argv = [sys.executable, "-m", "reader", "open", str(corpus / SEED), "--store", str(store)]
    env = ENV
    tmux.start(f"cd {shlex.quote(str(tmp_path))} && env {env} {shlex.join(argv)} --annotator e2e")
    tmux.wait_for(lambda rows: any("paragraph " in r for r in rows), "the reader's status line")
    return store


def test_tag_with_two_themes_and_a_note_using_only_keys(tmp_path: Path, tmux: Tmux) -> None:
    store_dir = launch(tmp_path, tmux)
    doc = read_document(tmp_path / "corpus" / SEED, tmp_path / "corpus")
    sentence = list(content_sentences(doc))[2]  # the keys step over boilerplate
    tmux.keys("j", "j", "1", "2")
    tmux.wait_for(lambda rows: any("tagged by you: Arms, Troops" in r for r in rows), "the tag")
    tmux.keys("m")
    tmux.wait_for(lambda rows: any("Note (memo)" in r for r in rows), "the note prompt")
    tmux.keys("خطر", literal=True)
    tmux.keys("Enter")
    tmux.wait_for(lambda rows: any("note:" in r for r in rows), "the note in the status line")
    tmux.keys("q")
    tmux.wait_for(lambda rows: any("READER-EXIT=0" in r for r in rows), "a clean exit")
    store = Store(store_dir, "checker")
    [ann] = store.annotations(SEED)
    store.close()
    assert (ann.start, ann.end, ann.quote) == (
        sentence.start,
        sentence.end,
        doc.text[sentence.start : sentence.end],
    )
    assert (ann.themes, ann.note, ann.annotator) == (["arms", "troops"], "خطر", "e2e")


def test_screen_lines_are_in_the_engines_visual_order(tmp_path: Path, tmux: Tmux) -> None:
    launch(tmp_path, tmux)
    doc = read_document(tmp_path / "corpus" / SEED, tmp_path / "corpus")
    rows = tmux.screen()[1:20]  # the document view starts under the title line
    # The view's text width follows from the layout; find the width whose lines are on screen.
    matches = []
    for width in range(20, WIDTH):
        expected = [
            line.text()
            for paragraph in doc.paragraphs()
            for line in layout_paragraph(paragraph.text, width)
        ][: len(rows)]
        if all(
            columns(row, width).rstrip() == want.rstrip()
            for row, want in zip(rows, expected, strict=True)
        ):
            matches.append(width)
    assert len(matches) == 1, "\n".join(rows)
    arabic_rows = [r for r in rows if any(is_arabic(ch) for ch in r)]
    assert len(arabic_rows) >= 10
    # And not the logical order: no paragraph's raw text shows as it is stored.
    for paragraph in doc.paragraphs():
        if len(paragraph.text) > 20 and any(is_arabic(ch) for ch in paragraph.text):
            assert not any(paragraph.text[:20] in row for row in rows)


def test_curation_by_keys_alone(tmp_path: Path, tmux: Tmux) -> None:
    """Alice and bob tagged the seed; dana curates them side by side, by keys, in tmux."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "seeds" / SEED, corpus / SEED)
    doc = read_document(corpus / SEED, corpus)
    s = list(doc.all_sentences())
    for who, i, themes in (("alice", 1, ["arms"]), ("bob", 1, ["china"]), ("alice", 3, ["troops"])):
        store = Store(tmp_path / "store", who)
        store.add(doc, s[i].start, s[i].end, themes)
        store.close()
    stores = ["--store", str(tmp_path / "store"), "--curated", str(tmp_path / "curated")]
    argv = [sys.executable, "-m", "reader", "open", str(corpus / SEED), *stores]
    argv += ["--annotator", "dana"]
    env = ENV
    tmux.start(f"cd {shlex.quote(str(tmp_path))} && env {env} {shlex.join(argv)}")
    tmux.wait_for(lambda rows: any("paragraph " in r for r in rows), "the reader")
    tmux.keys("C")
    tmux.wait_for(lambda rows: any("disagreement 1/2" in r for r in rows), "the curation screen")
    assert any("A · alice" in r and "B · bob" in r for r in tmux.screen())  # side by side
    tmux.keys("b")
    tmux.wait_for(lambda rows: any("taken: B" in r for r in rows), "bob's passage taken")
    tmux.keys("j", "a")
    tmux.wait_for(lambda rows: any("2/2" in r and "taken: A" in r for r in rows), "alice's")
    tmux.keys("u")
    tmux.wait_for(lambda rows: any("2/2" in r and "nothing yet" in r for r in rows), "undone")
    tmux.keys("Escape")
    tmux.wait_for(lambda rows: any("paragraph " in r for r in rows), "back in the reader")
    tmux.keys("q")
    tmux.wait_for(lambda rows: any("READER-EXIT=0" in r for r in rows), "a clean exit")
    store = Store(tmp_path / "curated", "checker")
    [record] = store.all_annotations()
    store.close()
    assert (record.annotator, record.themes, record.start) == ("dana", ["china"], s[1].start)


def test_y_copies_the_logical_text_through_the_terminal(tmp_path: Path, tmux: Tmux) -> None:
    # tmux takes OSC 52 into its paste buffer when set-clipboard is on: what a terminal gets.
    launch(tmp_path, tmux)
    tmux.run("set-option", "-g", "set-clipboard", "on")
    doc = read_document(tmp_path / "corpus" / SEED, tmp_path / "corpus")
    sentence = list(content_sentences(doc))[1]
    tmux.keys("j", "y")
    tmux.wait_for(lambda rows: any("copied" in r for r in rows), "the copy's notification")
    assert tmux.run("show-buffer") == doc.text[sentence.start : sentence.end]
    tmux.keys("q")
