"""The HTML report in a real browser: headless Chromium renders it right-to-left, every
passage highlighted in its theme colours; a screenshot is left in tests/output/ (ignored by git).

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it). The
check runs inside the page: a copy of the report gets a small probe script that
reads the computed direction and each <mark>'s computed background and size, and
writes them into the DOM, which ``--dump-dom`` returns.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_support import build_store, load_data

from reader.export import write
from reader.export.records import ExportData, visible

OUTPUT = Path(__file__).resolve().parent / "output"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)"
)

PROBE = """<pre id="probe"></pre><script>
const marks = [...document.querySelectorAll("mark")].map(m => {
  const s = getComputedStyle(m), r = m.getBoundingClientRect();
  return {ids: (m.dataset.ann || "").split(" "), text: m.textContent,
          color: s.backgroundColor, image: s.backgroundImage, w: r.width, h: r.height};
});
document.getElementById("probe").textContent = JSON.stringify({
  dir: document.documentElement.dir,
  direction: getComputedStyle(document.body).direction,
  marks: marks,
});
</script>"""


def chromium(tmp: Path, *args: str) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportData, Path]:
    store_dir, corpus = build_store(tmp_path_factory.mktemp("browser"))
    data = load_data(store_dir, corpus)
    out = io.StringIO()
    write("html", data, out)
    OUTPUT.mkdir(exist_ok=True)
    page = OUTPUT / "export_report.html"
    page.write_text(out.getvalue(), "utf-8")
    return data, page


def test_report_renders_rtl_with_every_passage_highlighted(
    report: tuple[ExportData, Path], tmp_path: Path
) -> None:
    data, page = report
    probe_page = tmp_path / "probe.html"
    probe_page.write_text(page.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
    dom = chromium(tmp_path, "--dump-dom", probe_page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe did not run"
    probe = json.loads(html.unescape(found[1]))
    assert probe["dir"] == "rtl" and probe["direction"] == "rtl"
    drawn: dict[str, str] = {}
    for mark in probe["marks"]:
        painted = mark["image"] != "none" or mark["color"] not in (
            "rgba(0, 0, 0, 0)",
            "transparent",
        )
        assert painted, f"mark without a highlight: {mark['text'][:40]!r}"
        assert mark["w"] > 0 and mark["h"] > 0, f"mark not laid out: {mark['text'][:40]!r}"
        for ann_id in mark["ids"]:
            drawn[ann_id] = drawn.get(ann_id, "") + mark["text"]
    placed = [a for a in data.annotations if a.doc in data.documents and a.status != "orphaned"]
    assert len(placed) == 7
    for ann in placed:
        assert drawn.get(ann.id) == visible(ann.quote).replace("\n", ""), ann.id


def test_screenshot_is_written(report: tuple[ExportData, Path], tmp_path: Path) -> None:
    _, page = report
    shot = OUTPUT / "export_report.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
