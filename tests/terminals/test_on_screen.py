"""Arabic on the screens of six real terminals, read back by OCR — and each left as found
(and ``reader show`` in the three terminals whose lines it rewrites).

Under Xvfb, one terminal after another (xterm, sakura for VTE, Alacritty, mlterm, Konsole,
kitty), each with its default settings (a fresh HOME and XDG folders; xterm is given a
FreeType font, as its built-in bitmap font has no Arabic glyphs at all), runs the scenario
of ``tools/onscreen.py``: ``reader open`` on a seed with ``--bidi auto``, a screenshot,
``tesseract -l ara``, and the share of OCR'd Arabic words that are words of the document
(``tools/ocr_score.py`` says exactly what a word is). Each terminal must reach 0.5; before
the strategies, mlterm, Konsole and kitty read 0.00–0.01 (issue 11).

The measure can fail, and so can "left as found":

* in xterm, the document's lines drawn with each word's letters reversed (what kitty
  showed) must score ≈ 0;
* an Arabic sentence printed with ``printf`` before the app and after it must look the
  same; in sakura and mlterm, switching the terminal the way the app does without
  switching back (``CSI 8 l``; ``use_ctl=false``) must make it look different.

In CI (``CI`` set) a missing tool is a failure; elsewhere the tests are skipped with the
reason. Screenshots go to tests/output/terminals/ (ignored by git).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools import onscreen, xterminals

pytestmark = pytest.mark.screen

OUTPUT = Path(__file__).resolve().parent.parent / "output" / "terminals"
PASS = 0.5
#: Pixels "before" and "after" may differ by (a stray pixel of a cursor's edge); a terminal
#: that was left switched differs by thousands.
SAME_PICTURE = 50


def require(tools: list[str], what: str) -> None:
    """Fail in CI, skip elsewhere, when something the test needs is not installed."""
    if not tools:
        return
    message = f"{what} needs {', '.join(tools)} (see .ci/run for the Debian packages)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def display() -> Iterator[xterminals.Display]:
    require(xterminals.missing_tools(), "the on-screen tests")
    require([] if xterminals.has_arabic_ocr() else ["tesseract-ocr-ara"], "Arabic OCR")
    with xterminals.Display() as d:
        yield d


@pytest.mark.parametrize("name", list(xterminals.TERMINALS))
def test_arabic_reads_right_and_the_terminal_is_left_as_found(
    name: str, display: xterminals.Display, tmp_path: Path
) -> None:
    terminal = xterminals.TERMINALS[name]
    require(xterminals.missing_tools([terminal]), name)
    result = onscreen.run(terminal, display, tmp_path, with_reversed=name == "xterm")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for shot in ("before", "app", "after", "spoiled", "reversed"):
        if (tmp_path / f"{shot}.png").exists():
            shutil.copy(tmp_path / f"{shot}.png", OUTPUT / f"{name}-{shot}.png")
    report = f"{result} (screenshots in {OUTPUT})"
    assert result.status == "0", report
    assert result.words >= 40, report  # a blank or garbled screen is not a pass
    assert result.score >= PASS, report
    assert result.left_as_found <= SAME_PICTURE, report
    if result.spoiled >= 0:
        assert result.spoiled > 20 * SAME_PICTURE, report  # the comparison can fail
    if name == "xterm":
        assert 0 <= result.reversed_score <= 0.1, report  # the measure can fail


@pytest.mark.parametrize("name", ["mlterm", "konsole", "kitty"])
def test_reader_show_reads_right_where_its_lines_are_rewritten(
    name: str, display: xterminals.Display, tmp_path: Path
) -> None:
    """``reader show`` in the three terminals that reorder by themselves (xterm, VTE and
    Alacritty get the same explicit mode as the app)."""
    terminal = xterminals.TERMINALS[name]
    require(xterminals.missing_tools([terminal]), name)
    score, words = onscreen.show(terminal, display, tmp_path)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "show.png", OUTPUT / f"{name}-show.png")
    assert words >= 40 and score >= PASS, (score, words, OUTPUT)
