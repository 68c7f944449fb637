"""``reader serve`` in headless Chromium with the network closed: Arabic reads right, and the
page asks nothing of any other host (textual-serve's own page asks Google Fonts; ours does
not).

Chromium resolves no name but 127.0.0.1 (``tools/browser.py``), so a page that needed a CDN
would show it as a failed request; every request the page made is recorded. The page is
read back by OCR like the terminals' screens (tests/terminals/test_on_screen.py). xterm.js
does no bidi, so the app's own layout is what is right: with ``--bidi terminal`` (logical
order, unshaped) the same page reads ≈ 0 — which also shows the measure can fail here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_on_screen import OUTPUT, PASS, require

from tools import browser, onscreen, xterminals

pytestmark = pytest.mark.screen


@pytest.fixture(scope="module", autouse=True)
def tools_present() -> None:
    missing = [] if browser.chromium_path() else ["chromium"]
    missing += [t for t in ("tesseract", "convert") if shutil.which(t) is None]
    require(missing, "the reader serve page test")
    require([] if xterminals.has_arabic_ocr() else ["tesseract-ocr-ara"], "Arabic OCR")


def test_the_served_page_reads_right_and_loads_nothing_from_elsewhere(tmp_path: Path) -> None:
    page = onscreen.serve(tmp_path)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "page.png", OUTPUT / "serve-page.png")
    assert page.url.startswith("http://127.0.0.1:"), page
    assert page.elsewhere == [] and page.failed == [], page
    assert any("/static/js/textual.js" in r for r in page.requests), page
    assert any(r.startswith("ws://127.0.0.1:") for r in page.requests), page
    assert page.words >= 40 and page.score >= PASS, page


def test_logical_order_in_the_browser_reads_reversed(tmp_path: Path) -> None:
    page = onscreen.serve(tmp_path, bidi="terminal")
    assert page.words >= 40 and page.score <= 0.1, page
