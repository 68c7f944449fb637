"""The on-screen scenario: one terminal, the app on a document, screenshots, OCR, scores.

What a terminal runs (a ``sh`` script, stage by stage; the harness takes a screenshot at
each stage and lets the script go on):

``before``
    the screen cleared, the cursor hidden, and one Arabic sentence of the document printed
    in logical order with ``printf`` — the terminal's own rendering of plain output;
``app``
    ``reader open DOC`` with a fresh store, left to settle, then quit with ``q``;
``after``
    the same sentence printed the same way. If the app left the terminal as it found it,
    the two screenshots are the same picture;
``spoiled`` (control)
    the terminal switched the way the app switches it (``CSI 8 l``, mlterm's
    ``use_ctl=false``) *without* switching back, and the sentence printed again: in a
    terminal where the switch shows, this picture differs — so the comparison can fail;
``reversed`` (control, optional)
    the document's lines as the app lays them out, each word's letters reversed (what
    kitty showed before its strategy): scored like the app's screen, it must score ≈ 0.

Scores are :mod:`tools.ocr_score`'s: the share of OCR'd Arabic words that are words of
the document.
"""

from __future__ import annotations

import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools import ocr_score, xterminals
from tools.xterminals import Display, HarnessError, Terminal

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0430b5cc33e0e526.txt"

#: What the app switches, written without the switch back (the ``spoiled`` control).
SPOILERS = {
    "sakura": "\\033[8l",
    "mlterm": "\\033]5379;use_ctl=false\\007",
}


@dataclass
class Result:
    terminal: str
    bidi: str
    score: float = 0.0
    words: int = 0
    status: str = ""
    """The app's exit status, as the script saw it."""
    left_as_found: int = -1
    """Pixels that differ between the ``before`` and ``after`` screenshots (0: the same)."""
    spoiled: int = -1
    """Pixels that differ between ``before`` and ``spoiled`` (-1: no spoiler for this one)."""
    reversed_score: float = -1.0
    seconds: dict[str, float] = field(default_factory=dict)
    shots: Path | None = None


def sentence(doc: Path) -> str:
    """The sentence printed before and after the app: the document's first Arabic line."""
    for line in doc.read_text("utf-8").splitlines():
        if ocr_score.words(line):
            return " ".join(line.split()[:8])
    raise ValueError(f"{doc}: no Arabic line")


def reversed_lines(doc: Path, width: int = 60, count: int = 24) -> list[str]:
    """The document laid out by the engine, each right-to-left run's letters reversed."""
    from reader.layout import layout_paragraph
    from reader.terminal.emit import shape_text

    out: list[str] = []
    for paragraph in doc.read_text("utf-8").splitlines():
        if ocr_score.words(paragraph):
            out += [shape_text(line.text()) for line in layout_paragraph(paragraph, width)]
        if len(out) >= count:
            break
    return out[:count]


def script(
    doc: Path, store: Path, bidi: str, spoiler: str, with_reversed: bool, reversed_file: Path
) -> str:
    line = shlex.quote(sentence(doc))
    app = shlex.join(
        [sys.executable, "-m", "reader", "open", str(doc), "--store", str(store), "--bidi", bidi]
    )
    show = "printf '\\033[H\\033[2J\\033[?25l%s\\n' " + line
    steps = [
        show,
        "touch before; while [ ! -e go-before ]; do sleep 0.1; done",
        f"{app}; echo $? > status",
        show,
        "touch after; while [ ! -e go-after ]; do sleep 0.1; done",
    ]
    if spoiler:
        steps += [f"printf '{spoiler}'", show, "touch spoiled"]
        steps += ["while [ ! -e go-spoiled ]; do sleep 0.1; done"]
    if with_reversed:
        steps += [f"printf '\\033[H\\033[2J\\033[?25l'; cat {shlex.quote(str(reversed_file))}"]
        steps += ["touch reversed"]
    steps.append("sleep 600")
    return "\n".join(steps) + "\n"


def run(
    terminal: Terminal,
    display: Display,
    work: Path,
    doc: Path = SEED,
    bidi: str = "auto",
    *,
    controls: bool = True,
    with_reversed: bool = False,
) -> Result:
    """The scenario in one terminal; screenshots and OCR texts are left in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    result = Result(terminal.name, bidi, shots=work)
    vocab = ocr_score.vocabulary([doc.read_text("utf-8")])
    spoiler = SPOILERS.get(terminal.name, "") if controls else ""
    reversed_file = work / "reversed.txt"
    if with_reversed:
        reversed_file.write_text("\n".join(reversed_lines(doc)) + "\n", "utf-8")
    env = {"PYTHONPATH": str(ROOT)}
    started = time.monotonic()

    def lap(name: str) -> None:
        result.seconds[name] = round(time.monotonic() - started, 1)

    with xterminals.session(terminal, display, work) as s:
        s.start(script(doc, work / "store", bidi, spoiler, with_reversed, reversed_file), env)
        s.wait_stage("before", 60)
        before = s.settle(work / "before.png", 15, quiet=1.0)
        lap("terminal up")
        s.go("before")
        s.wait_change(before, work / "app.png", 60)
        app = s.settle(work / "app.png", 30, quiet=1.5)
        lap("app drawn")
        display.key("q")
        s.wait_stage("after", 30)
        after = s.settle(work / "after.png", 15, quiet=1.0)
        result.status = (work / "status").read_text().strip()
        result.left_as_found = xterminals.differing_pixels(before, after)
        lap("app quit")
        s.go("after")
        if spoiler:
            s.wait_stage("spoiled", 30)
            spoiled = s.settle(work / "spoiled.png", 15, quiet=1.0)
            result.spoiled = xterminals.differing_pixels(before, spoiled)
            s.go("spoiled")
        if with_reversed:
            s.wait_stage("reversed", 30)
            s.settle(work / "reversed.png", 15, quiet=1.0)
    text = xterminals.ocr(app)
    (work / "app.txt").write_text(text, "utf-8")
    result.score, result.words = ocr_score.score(text, vocab)
    if with_reversed:
        reversed_text = xterminals.ocr(work / "reversed.png")
        (work / "reversed.txt.ocr").write_text(reversed_text, "utf-8")
        result.reversed_score = ocr_score.score(reversed_text, vocab)[0]
    lap("scored")
    return result


#: The page's font size (textual-serve's ?fontsize=): like a terminal's, for the same OCR scale.
FONT_SIZE = 13


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PageResult:
    bidi: str
    score: float = 0.0
    words: int = 0
    url: str = ""
    requests: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    """Requests that went anywhere but the local server (must be none)."""
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def serve(work: Path, doc: Path = SEED, bidi: str = "auto") -> PageResult:
    """``reader serve --open DOC`` in headless Chromium with the network closed; OCR'd."""
    import asyncio
    import os
    import signal
    import subprocess

    from tools import browser

    work.mkdir(parents=True, exist_ok=True)
    result = PageResult(bidi)
    started = time.monotonic()
    port = free_port()
    argv = [sys.executable, "-m", "reader", "serve", "--port", str(port), "--open", str(doc)]
    argv += ["--store", str(work / "store"), "--bidi", bidi]
    server = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline().decode("utf-8", "replace")
        if "serving on " not in line:
            raise HarnessError(f"reader serve: {line.strip()}")
        result.url = line.split("serving on ", 1)[1].split()[0]

        async def visit() -> None:
            async with browser.browser(work / "profile") as page:
                await page.goto(result.url + f"/?fontsize={FONT_SIZE}")
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    if "-first-byte" in str(await page.evaluate("document.body.className")):
                        break
                    await asyncio.sleep(0.2)
                else:
                    raise HarnessError("the page never drew the app")
                await page.settle(work / "page.png", 30)
                result.requests = list(page.page.requests)
                result.failed = list(page.page.failed)

        asyncio.run(visit())
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
    result.elsewhere = browser.local_only(result.requests)
    text = xterminals.ocr(work / "page.png")
    (work / "page.txt").write_text(text, "utf-8")
    result.score, result.words = ocr_score.score(
        text, ocr_score.vocabulary([doc.read_text("utf-8")])
    )
    result.seconds = round(time.monotonic() - started, 1)
    return result


def show(
    terminal: Terminal, display: Display, work: Path, doc: Path = SEED, bidi: str = "auto"
) -> tuple[float, int]:
    """``reader show DOC`` printed in ``terminal``; the OCR score of what stays on screen."""
    work.mkdir(parents=True, exist_ok=True)
    command = shlex.join([sys.executable, "-m", "reader", "show", str(doc), "--bidi", bidi])
    steps = ["printf '\\033[H\\033[2J\\033[?25l'", command, "touch done", "sleep 600"]
    with xterminals.session(terminal, display, work) as s:
        s.start("\n".join(steps) + "\n", {"PYTHONPATH": str(ROOT)})
        s.wait_stage("done", 60)
        shot = s.settle(work / "show.png", 15, quiet=1.0)
    return ocr_score.score(xterminals.ocr(shot), ocr_score.vocabulary([doc.read_text("utf-8")]))
