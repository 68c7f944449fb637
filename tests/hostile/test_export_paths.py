"""Document paths (and names) holding newlines, controls and markup, in every export format
(issue 12, item 6).

Seen: in the Markdown report a path with newlines broke out of its code span and injected
raw HTML (``<img onerror>``) and a heading. Expected: every format escapes a path like any
other text. Each format's output is read back with a parser of its kind (CommonMark, HTML,
CSV, JSON, XML, CoNLL's columns, the brat folder on disk) and must hold exactly the
documents given — no element, heading, line or file more. ``FORMATS`` is read at run time,
so a format added later is checked too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.corpus import Document
from reader.export import FORMATS, KINDS, ExportData, export_to_path
from reader.export import write as export_write
from reader.export.records import visible, visible_line
from reader.store import Annotation, default_themes

from .fixtures import ARABIC, ESC
from .strategies import fuzz_settings
from .test_fuzz import _DANGEROUS_TAGS, _RAW_BIDI, _RAW_CONTROL, _Tags

PIECES = [
    "\n", "\r\n", "\r", "\t", "`", "``", "# ", "\n# Heading\n", "<img src=x onerror=alert(1)>",
    "\n<script>alert(1)</script>\n", "../", "/", " ", "|", "*", "[x](javascript:1)", "\\",
    f"{ESC}]0;title\x07", "\x85", "\u202e", "\u2028", "&amp;", '"', "'", "ملف", "doc", ".txt",
]  # fmt: skip
hostile_rel = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
names = st.one_of(st.just("analyst"), hostile_rel)
TEXT = ARABIC + "\n"


def _data(rels: list[str], annotator: str) -> ExportData:
    anns, docs = [], {}
    for n, rel in enumerate(rels):
        docs[rel] = Document(Path("doc.txt"), rel, TEXT, "utf-8", len(TEXT))
        fields = {
            "id": f"00000000-0000-4000-8000-{n:012d}", "doc": rel, "doc_sha256": docs[rel].sha256,
            "start": 0, "end": 5, "quote": TEXT[:5], "prefix": "", "suffix": TEXT[5:37],
            "themes": ["arms"], "note": "", "annotator": annotator, "status": "anchored",
            "created": "2026-01-01T00:00:00.000Z", "updated": "2026-01-01T00:00:00.000Z",
        }  # fmt: skip
        anns.append(Annotation(**fields))
    return ExportData(anns, default_themes(), docs)


def _markdown(body: str, rels: list[str]) -> None:
    tokens = MarkdownIt("commonmark").parse(body)
    flat = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    assert not [t for t in flat if t.type in ("html_block", "html_inline")], body
    headings = [t.tag for t in flat if t.type == "heading_open"]
    assert headings == ["h1", "h2", *["h3"] * len(rels)], (headings, body)
    codes = [t.content for t in flat if t.type == "code_inline"]
    assert sorted(codes) == sorted(visible_line(rel).replace("`", "'") for rel in rels), body


ACTIVE_ATTRS = ("on", "href=", "src=", "action=", "formaction=", "srcset=", "xlink:href=")


def _html(body: str, rels: list[str]) -> None:
    parser = _Tags()
    parser.feed(body)
    # A URL scheme in a title or data- attribute is inert text; in a handler or a link it is not.
    active = [h for h in parser.handlers if h.split(" ", 1)[1].startswith(ACTIVE_ATTRS)]
    assert not parser.tags & _DANGEROUS_TAGS and active == [], active
    assert body.count("<article ") == len(rels)
    for rel in rels:
        assert f'data-doc="{_attr(visible(rel))}"' in body


def _attr(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _conll(body: str, rels: list[str]) -> None:
    docs = [line[len("# doc = ") :] for line in body.split("\n") if line.startswith("# doc = ")]
    assert docs == [visible_line(rel) for rel in rels], body
    columns = None
    for line in body.split("\n"):
        if line.startswith("# columns = "):
            columns = len(line.split(" = ", 1)[1].split(" "))
        elif line.startswith("#"):
            assert line.startswith(("# doc = ", "# annotators = ")), line
        elif line:
            assert columns is not None and len(line.split("\t")) == columns, line


def _check_text(fmt: str, body: str, rels: list[str]) -> None:
    if fmt in ("md", "html", "csv", "conll"):  # read by people: nothing raw
        assert _RAW_CONTROL.search(body.replace("\r\n", "\n")) is None, fmt
        assert _RAW_BIDI.search(body) is None, fmt
    if fmt == "md":
        _markdown(body, rels)
    elif fmt == "html":
        _html(body, rels)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(body, newline="")))
        assert len(rows) == len(rels) + 1 and len({len(r) for r in rows}) == 1
    elif fmt == "conll":
        _conll(body, rels)
    elif fmt in ("jsonl", "doccano"):
        lines = body.split("\n")
        assert lines[-1] == "" and len(lines) == len(rels) + 1, body
        assert sorted(json.loads(line)["doc"] for line in lines[:-1]) == sorted(rels)
    elif fmt == "json":
        assert sorted(a["doc"] for a in json.loads(body)["annotations"]) == sorted(rels)
    elif fmt == "labelstudio":
        assert sorted(t["data"]["doc"] for t in json.loads(body)) == sorted(rels)
    else:  # w3c, and any text format added later: valid JSON at least
        json.loads(body)


def _check_file(fmt: str, path: Path, rels: list[str], warnings: list[str]) -> None:
    if fmt == "qdpx":
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("project.qde"))
        sources = [e for e in root.iter() if e.tag.endswith("TextSource")]
        assert len(sources) == len(rels)
    elif fmt == "brat":
        inside = os.path.realpath(path)
        for folder, _, files in os.walk(path):
            for name in files:
                full = os.path.realpath(os.path.join(folder, name))
                assert full.startswith(inside + os.sep), full
                assert "\n" not in name and "\r" not in name, name
        written = [n for n in os.listdir(path) if n.endswith(".ann")]
        assert len(written) + (len(rels) - len(written) and 1) >= 1 and len(written) <= len(rels)
        assert len(written) == len(rels) or any("left out" in w for w in warnings)


@fuzz_settings(80)
@given(st.lists(hostile_rel, min_size=1, max_size=3, unique=True), names)
@example(["a\n# Heading\n<img src=x onerror=alert(1)>\n`x`.txt"], "analyst")
@example(["doc.txt"], "bob\n# Heading\n<script>alert(1)</script>")
def test_every_format_keeps_a_hostile_path_in_its_place(rels: list[str], annotator: str) -> None:
    check_every_format(rels, annotator)


def check_every_format(rels: list[str], annotator: str) -> None:
    """Export documents at ``rels`` in every format and read each output back."""
    data = _data(rels, annotator)
    for fmt in FORMATS:
        if fmt in KINDS:
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / f"out.{fmt}"
                warnings = export_to_path(fmt, data, target)
                _check_file(fmt, target, rels, warnings)
            continue
        out = io.StringIO()
        export_write(fmt, data, out)
        _check_text(fmt, out.getvalue(), rels)
