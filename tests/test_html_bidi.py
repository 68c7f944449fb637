"""Mixed-direction text of the exports as a browser lays it out (headless Chromium).

In the HTML report (``dir="rtl"``) a file name or an offset range that is not isolated is
reordered by the bidi algorithm: ``000_0430b5cc33e0e526.txt`` shows as
``0430b5cc33e0e526.txt_000`` and ``324–544`` as ``544–324``. A probe script put into a copy
of each page measures where the browser drew every character of those strings (a Range per
character for HTML text, ``getStartPositionOfChar`` for SVG text) and writes the result
into the DOM, which ``--dump-dom`` returns: each must read left to right.

The other formats are checked as people open them in a browser: ``md`` rendered as GitHub
renders Markdown (markdown-it, every block ``dir="auto"``), ``csv`` and ``jsonl`` as
Chromium shows a text file (one left-to-right ``<pre>``).
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest
from export_support import SEED_A, SEEDS, _ann, build_store, load_data
from markdown_it import MarkdownIt
from test_html_browser import CHROMIUM, chromium

from reader.corpus import read_document
from reader.export import write
from reader.export.records import ExportData

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

DATED = ("002_691f64315ff478ca.txt", "003_3359769afdc9ff85.txt", "004_3e647ad5bef2f076.txt")

PROBE = """<pre id="probe"></pre><script>
const wanted = %s, found = [];
function inOrder(xs) { return xs.every((x, i) => i === 0 || x > xs[i - 1]); }
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (node.parentElement.closest("#probe, script, style, title")) continue;
  for (const word of wanted) {
    for (let at = node.data.indexOf(word); at >= 0; at = node.data.indexOf(word, at + 1)) {
      const xs = [], svg = node.parentElement.closest("text");
      for (let i = at; i < at + word.length; i++) {
        if (svg) { xs.push(svg.getStartPositionOfChar(i).x); continue; }
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
        xs.push(r.getBoundingClientRect().left);
      }
      found.push({word: word, tag: node.parentElement.tagName, ok: inOrder(xs)});
    }
  }
}
document.getElementById("probe").textContent = JSON.stringify(found);
</script>"""


def probe(page_html: str, wanted: list[str], tmp: Path) -> list[dict[str, object]]:
    """Where each occurrence of ``wanted`` was drawn: ``ok`` when it reads left to right."""
    page = tmp / "probe.html"
    script = PROBE % json.dumps(wanted)
    page.write_text(page_html.replace("</body>", script + "</body>"), "utf-8")
    dom = chromium(tmp, "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe did not run"
    result: list[dict[str, object]] = json.loads(html.unescape(found[1]))
    return result


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ExportData:
    """The export store, its first seed's text not found (so its file name is its title and
    its passages are listed with their offsets), plus passages in three dated seeds."""
    store_dir, corpus = build_store(tmp_path_factory.mktemp("bidi"))
    base = load_data(store_dir, corpus)
    documents = {rel: doc for rel, doc in base.documents.items() if rel != SEED_A}
    extra = []
    for n, name in enumerate(DATED, 20):
        doc = read_document(SEEDS / name, SEEDS)
        documents[doc.rel] = doc
        span = next(iter(doc.all_sentences()))
        extra.append(_ann(n, doc, (span.start, span.end), ["arms", "china"][: n % 2 + 1]))
    return ExportData([*base.annotations, *extra], base.themes, documents)


def export(data: ExportData, fmt: str) -> str:
    out = io.StringIO()
    write(fmt, data, out)
    return out.getvalue()


def test_html_file_names_and_offsets_read_left_to_right(data: ExportData, tmp_path: Path) -> None:
    orphan = next(a for a in data.annotations if a.status == "orphaned")
    offsets = f"{orphan.start}–{orphan.end}"
    found = probe(export(data, "html"), [SEED_A, offsets], tmp_path)
    wrong = [f for f in found if not f["ok"]]
    assert not wrong, f"reordered in the browser: {wrong}"
    # Found where they are: the file name in the counts table, the heat map, the heading and
    # the path line (each isolated: <bdi>, SVG text, <p dir="ltr">), the range in a <bdi>.
    where = sorted((str(f["word"]), str(f["tag"])) for f in found)
    assert where.count((SEED_A, "BDI")) == 2 and (SEED_A, "text") in where, where
    assert (SEED_A, "P") in where and (offsets, "BDI") in where, where


def test_markdown_as_github_renders_it(data: ExportData, tmp_path: Path) -> None:
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(export(data, "md"))
    for token in tokens:  # GitHub gives every block dir="auto"
        if token.nesting == 1 and token.block:
            token.attrSet("dir", "auto")
    body = md.renderer.render(tokens, md.options, {})
    offsets = [f"{a.start}–{a.end}" for a in data.annotations if a.doc == SEED_A]
    found = probe(f"<html><body>{body}</body></html>", [SEED_A, *offsets], tmp_path)
    assert {str(f["word"]) for f in found} == {SEED_A, *offsets}
    wrong = [f for f in found if not f["ok"]]
    assert not wrong, f"reordered in the browser: {wrong}"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_formats_as_chromium_shows_a_text_file(
    data: ExportData, fmt: str, tmp_path: Path
) -> None:
    text = html.escape(export(data, fmt))
    page = f'<html><body><pre style="white-space:pre-wrap">{text}</pre></body></html>'
    found = probe(page, [SEED_A, *DATED], tmp_path)
    assert {str(f["word"]) for f in found} == {SEED_A, *DATED}
    wrong = [f for f in found if not f["ok"]]
    assert not wrong, f"reordered in the browser: {wrong}"


def test_pictures_are_drawn(data: ExportData, tmp_path: Path) -> None:
    """The heat map and the timeline are laid out by the browser, with every cell and bar."""
    script = """<pre id="probe"></pre><script>
    const size = s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; };
    document.getElementById("probe").textContent = JSON.stringify({
      heat: size(document.querySelector("svg.heatmap")),
      time: size(document.querySelector("svg.timeline")),
      cells: document.querySelectorAll("svg.heatmap g.cell").length,
      bars: [...document.querySelectorAll("svg.timeline g.bar")].map(
        g => [g.dataset.date, g.getBoundingClientRect().left, g.getBoundingClientRect().height]),
    });
    </script>"""
    page = tmp_path / "pictures.html"
    page.write_text(export(data, "html").replace("</body>", script + "</body>"), "utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe did not run"
    shown = json.loads(html.unescape(found[1]))
    assert min(shown["heat"]) > 100 and min(shown["time"]) > 100
    documents = {a.doc for a in data.annotations}
    assert shown["cells"] == len(documents) * 5  # four themes and the unknown key
    bars = sorted(shown["bars"])  # by date: further right, each drawn
    assert [b[0] for b in bars] == ["2022-08-31", "2024-11-01", "2024-11-12"]
    assert bars[0][1] < bars[1][1] < bars[2][1] and all(b[2] > 0 for b in bars)
