"""Each format read back as its consumers would: csv, the W3C model, safe HTML and Markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_support import HOSTILE, build_store, load_data

from reader.export import write
from reader.export.csv_ import COLUMNS
from reader.export.records import ExportData, visible

# C0 (but tab, LF, CR), DEL, C1: none may reach a human-readable export.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ExportData:
    store_dir, corpus = build_store(tmp_path_factory.mktemp("fmt"))
    return load_data(store_dir, corpus)


def render(data: ExportData, fmt: str, excel: bool = False) -> str:
    out = io.StringIO(newline="")
    write(fmt, data, out, excel=excel)
    return out.getvalue()


def test_csv_reads_back_and_every_quote_is_the_text_at_its_offsets(data: ExportData) -> None:
    text = render(data, "csv")
    assert not CONTROLS.search(text.replace("\r\n", "\n"))  # `cat export.csv` is safe
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(data.annotations) == 9
    exact = drawn = 0
    for row, ann in zip(rows, data.annotations, strict=True):
        assert (row["document"], row["note"]) == (ann.doc, visible(ann.note))
        assert row["themes"].split(";") == ann.themes
        doc = data.documents.get(row["document"])
        if doc is None or row["status"] == "orphaned":
            continue
        at_offsets = doc.text[int(row["start"]) : int(row["end"])]
        if at_offsets == row["quote"]:
            exact += 1  # ordinary text: the quote is the text, character for character
        else:  # controls in the text are drawn one for one: same length, same offsets
            assert visible(at_offsets) == row["quote"] != at_offsets
            drawn += 1
        assert row["title"] == visible(doc.title)
    assert (exact, drawn) == (5, 2)  # the orphan and the missing document's passage aside


def test_csv_for_excel_has_a_bom_neutralised_formulas_and_visible_controls(
    data: ExportData,
) -> None:
    text = render(data, "csv", excel=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    notes = {row["note"] for row in rows}
    assert '\'=HYPERLINK("http://x","y")' in notes
    assert "'-2+3" in notes and "'@SUM(A1)" in notes
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
            assert not CONTROLS.search(value), value
    # Placeholders replace one for one: the quote keeps its length, offsets stay true.
    for row, ann in zip(rows, data.annotations, strict=True):
        assert len(row["quote"].removeprefix("'")) == ann.end - ann.start


def _resolve(text: str, item: dict) -> tuple[str, str]:
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
    by_position = text[position["start"] : position["end"]]
    found = text.find(quote["prefix"] + quote["exact"] + quote["suffix"])
    by_quote = "" if found < 0 else text[found + len(quote["prefix"]) :][: len(quote["exact"])]
    if found >= 0:
        assert found + len(quote["prefix"]) == position["start"]
    return by_position, by_quote


def test_w3c_has_the_model_keys_and_each_selector_pair_resolves(data: ExportData) -> None:
    coll = json.loads(render(data, "w3c"))
    assert "http://www.w3.org/ns/anno.jsonld" in coll["@context"]
    assert coll["type"] == "AnnotationCollection" and coll["id"].startswith("urn:uuid:")
    assert coll["total"] == len(coll["first"]["items"]) == 9
    assert coll["first"]["type"] == "AnnotationPage"
    resolved = 0
    for item in coll["first"]["items"]:
        assert {"id", "type", "motivation", "body", "target"} <= set(item)
        assert item["type"] == "Annotation" and item["id"].startswith("urn:uuid:")
        tags = [b for b in item["body"] if b["purpose"] == "tagging"]
        notes = [b for b in item["body"] if b["purpose"] == "commenting"]
        assert tags and all(b["type"] == "TextualBody" and b["value"] for b in tags)
        if notes:
            assert item["motivation"] == ["tagging", "commenting"] and len(notes) == 1
        else:
            assert item["motivation"] == "tagging"
        source = item["target"]["source"]
        assert re.fullmatch("[0-9a-f]{64}", source["sha256"])
        doc = data.documents.get(source["id"])
        if doc is None or item["status"] == "orphaned":
            continue
        exact = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
        assert _resolve(doc.text, item) == (exact["exact"], exact["exact"])
        resolved += 1
    assert resolved == 7


class _Collect(HTMLParser):
    """Text per element kind, marks with their ids, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.marks: dict[str, str] = {}
        self.stack: list[list[str]] = []
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.html_attrs = dict(attrs)
        if tag == "mark":
            self.stack.append((dict(attrs).get("data-ann") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for ids in self.stack:
            for ann_id in ids:
                self.marks[ann_id] = self.marks.get(ann_id, "") + data


def test_html_escapes_text_and_notes_and_highlights_every_placed_passage(
    data: ExportData,
) -> None:
    page = render(data, "html")
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.html_attrs == {"dir": "rtl", "lang": "ar"}
    assert "script" not in parsed.tags and "b" not in parsed.tags  # document and note markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; ␛[31mred" in page
    assert not CONTROLS.search(page)
    for ann in data.annotations:
        doc = data.documents.get(ann.doc)
        if doc is None or ann.status == "orphaned":
            assert ann.id not in parsed.marks
            assert f'data-ann="{ann.id}"' in page  # listed among the passages not placed
            continue
        # Paragraph breaks are not drawn inside a mark; everything else is, one for one.
        assert parsed.marks[ann.id] == visible(ann.quote).replace("\n", "")


def test_markdown_groups_by_theme_then_document_and_escapes(data: ExportData) -> None:
    md = render(data, "md")
    headings = re.findall(r"^(##+) (.*)$", md, re.MULTILINE)
    themes = [text for level, text in headings if level == "##"]
    assert themes == [
        "Arms — الأسلحة (4 passages)",
        "Troops — القوات (3 passages)",
        "Sanctions — العقوبات (1 passage)",
        "China's role — دور الصين (2 passages)",
        "economy (unknown theme) (1 passage)",
    ]
    assert "| Arms — الأسلحة | 4 | 2 |" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert not CONTROLS.search(md)
    assert "> ␛\\]52;c;aGFjaw==␇" in md  # the OSC 52 sequence, drawn, not sent
    for ann in data.annotations:
        assert f"{ann.start}–{ann.end}" in md


def test_hostile_title_is_text_in_every_human_readable_format(data: ExportData) -> None:
    title = data.documents[HOSTILE].title
    assert "<script>" in title
    for fmt in ("md", "html"):
        assert "<script>" not in render(data, fmt)


def test_no_export_shifts_offsets(data: ExportData, tmp_path: Path) -> None:
    records = [json.loads(line) for line in render(data, "jsonl").split("\n") if line]
    assert [(r["start"], r["end"]) for r in records] == [(a.start, a.end) for a in data.annotations]
    hostile = data.documents[HOSTILE].text
    for record in records:
        if record["doc"] == HOSTILE:
            assert hostile[record["start"] : record["end"]] == record["quote"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "w3c", "md", "html"])
def test_progress_ticks_add_up_to_the_annotations(data: ExportData, fmt: str) -> None:
    ticks: list[int] = []
    out = io.StringIO(newline="")
    write(fmt, data, out, tick=ticks.append)
    assert sum(ticks) == len(data.annotations) and all(n > 0 for n in ticks)
    assert out.getvalue() == render(data, fmt)  # reporting progress changes nothing written
