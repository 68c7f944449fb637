"""The export's fast read (plain records, :mod:`reader.store.bulk`) writes the very bytes
and warnings of the usual read, and refuses every document where they could differ.

Each document of the store below is one case: a plain log, or a log with one thing the
fast read must not take. The whole store is exported streamed, as ``reader export`` does,
with the fast read and with it switched off; jsonl and csv (with and without the
spreadsheet safeguards, filtered and not) must be byte for byte the same, with the same
problem lines. The fast read must also take the plain documents (else this tests
nothing) and refuse each of the others.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import log_path, write_doc, write_log

from reader.corpus import Document
from reader.export import write
from reader.export.csv_ import _Cells
from reader.export.gather import gather
from reader.export.records import ExportData
from reader.export.sources import Corpus
from reader.store import Store, bulk, default_themes, to_record
from reader.store.logcheck import header
from reader.store.model import context

TEXT = (
    "قالت الوزارة إن العقوبات الجديدة تستهدف شبكات تهريب الأسلحة.\n"
    'وأضافت أن القوات انتشرت على الحدود, وقال "مسؤول" إن الصين تراقب.\n'
    "نص فيه \x1b]52;c;aGFjaw==\x07 تحكم و\u202eمعكوس\u202c و\x85 هنا.\n"
)
CLEAN = TEXT.translate({0x1B: "x", 0x07: "x", 0x202E: "y", 0x202C: "y", 0x85: "z"})
T1, T2 = "2026-11-01T10:00:00.000Z", "2026-11-02T11:30:00.000Z"
#: (start, end) spans of TEXT, some overlapping, some the same span twice.
SPANS = [(0, 4), (5, 12), (0, 4), (62, 70), (100, 110), (5, 40), (120, 126)]
SPANS.append((TEXT.index("\x1b") - 2, TEXT.index("\u202c") + 2))  # controls in the quote


def record(
    doc: Document, n: int, span: tuple[int, int], who: str = "a", **kw: Any
) -> dict[str, Any]:
    quote, prefix, suffix = context(doc.text, *span)
    value = {
        "id": f"00000000-0000-4000-8000-{n:012d}", "doc": doc.rel, "doc_sha256": doc.sha256,
        "start": span[0], "end": span[1], "quote": quote, "prefix": prefix, "suffix": suffix,
        "themes": ["arms"] if n % 3 else ["china", "troops"], "note": kw.pop("note", ""),
        "annotator": who, "created": T1, "updated": T2 if n % 2 else T1, "status": "anchored",
    }  # fmt: skip
    value.update(kw)
    return value


def plain(doc: Document, who: str = "a", base: int = 0) -> list[dict[str, Any]]:
    return [record(doc, base + n, span, who) for n, span in enumerate(SPANS, 1)]


def _log(root: Path, doc: Document, who: str, lines: list[Any]) -> Path:
    path = log_path(root, doc.rel, who)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_log(path, header(doc.rel, who), lines)
    return path


def _fill(root: Path, corpus: Path, case: str) -> Document:
    """Write document ``case``'s text and log(s): the case's one oddity."""
    # Two of them without a control: their quotes are not scanned for one in csv.
    clean = case in ("two_annotators", "orphaned")
    doc = write_doc(corpus, f"{case}.txt", CLEAN if clean else TEXT)
    lines = plain(doc)
    if case == "two_annotators":
        _log(root, doc, "b", plain(doc, "b", base=100))
    elif case == "id_in_two_files":
        _log(root, doc, "b", [record(doc, 1, (0, 4), "b")])
    elif case == "deletion":
        lines.append({"deleted": lines[0]["id"], "at": T2})
    elif case == "replaced":
        lines.append(record(doc, 2, (5, 12), note="later"))
    elif case == "extra_field":
        lines[1]["newer"] = {"x": 1}
    elif case == "edits":
        lines[1]["edits"] = [{"by": "b", "at": T2, "changes": {"note": {"from": "", "to": "x"}}}]
    elif case == "key_order":
        lines[1] = dict(reversed(list(lines[1].items())))
    elif case == "unknown_theme":
        lines[1]["themes"] = ["arms", "not-a-theme"]
    elif case == "orphaned":
        lines[1]["status"] = "orphaned"
    elif case == "other_text":
        lines[1]["doc_sha256"] = "0" * 64
        lines[1]["start"], lines[1]["end"] = 1, 5  # found again elsewhere: re-anchored
    elif case == "quote_off":
        lines[1]["quote"] = "لا"
    elif case == "bool_offset":
        lines[1]["start"] = False
    elif case == "float_offset":
        lines[1]["end"] = 12.0
    elif case == "big_int":
        lines[1]["end"] = 2**70
    elif case == "other_document":
        lines[1]["doc"] = "elsewhere.txt"
    elif case == "empty_themes":
        lines[1]["themes"] = []
    path = _log(root, doc, "a", lines)
    if case == "torn":
        with path.open("ab") as out:
            out.write(b'{"id":"x')
    elif case == "bad_line":
        with path.open("ab") as out:
            out.write(b"{not json\n")
    elif case == "bad_header":
        path.write_bytes(b'{"format":"other"}\n' + path.read_bytes().split(b"\n", 1)[1])
    elif case == "controls":  # placeholders and formula guards in csv: the column scans
        lines = plain(doc)
        lines[0]["note"] = "=SUM(A1)\r\nسطر"
        lines[3]["note"] = "-2+3"
        lines[4]["quote"], lines[4]["note"] = "x", "\x1b[31mred"
        lines[4]["end"] = lines[4]["start"] + 1
        lines[4]["quote"] = doc.text[lines[4]["start"] : lines[4]["end"]]
        write_log(path, header(doc.rel, "a"), lines)
    elif case == "symlinked":
        target = path.with_name("elsewhere")
        path.rename(target)
        path.symlink_to(target)
    return doc


#: case → whether the fast read takes the document.
CASES = {
    "plain": True, "two_annotators": True, "controls": True, "id_in_two_files": False,
    "deletion": False, "replaced": False, "extra_field": False, "edits": False,
    "key_order": False, "unknown_theme": False, "orphaned": False, "other_text": False,
    "quote_off": False, "bool_offset": False, "float_offset": False, "big_int": False,
    "other_document": False, "empty_themes": False, "torn": False, "bad_line": False,
    "bad_header": False, "symlinked": False,
}  # fmt: skip


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("plain")
    root, corpus = tmp / "store", tmp / "corpus"
    Store(root, "a").close()  # the layout and default themes
    for case in CASES:
        _fill(root, corpus, case)
    gone = write_doc(tmp / "elsewhere", "gone.txt", TEXT)  # not in the corpus: no text check
    _log(root, gone, "a", plain(gone))
    return root, corpus


def export(
    root: Path, corpus: Path, fmt: str, excel: bool, fast: bool, **filters: list[str]
) -> tuple[bytes, list[str]]:
    store = Store(root, read_only=True, scan=False)
    if not fast:
        store.plain_records = lambda rel, doc: None  # type: ignore[method-assign]
    try:
        data = gather(store, Corpus.open([corpus]), stream=True, **filters)
        out = io.StringIO(newline="")
        write(fmt, data, out, excel=excel)
        problems = store.problems
    finally:
        store.close()
    return out.getvalue().encode("utf-8"), problems


@pytest.mark.parametrize(
    ("fmt", "excel", "filters"),
    [
        ("jsonl", False, {}),
        ("csv", True, {}),
        ("csv", False, {}),
        ("jsonl", False, {"themes": ["china"]}),
        ("csv", True, {"annotators": ["b"]}),
    ],
)
def test_same_bytes_and_problems(
    store_dir: tuple[Path, Path], fmt: str, excel: bool, filters: dict[str, list[str]]
) -> None:
    fast = export(*store_dir, fmt, excel, True, **filters)
    slow = export(*store_dir, fmt, excel, False, **filters)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert len(fast[0].splitlines()) > 5  # something was written


@pytest.mark.parametrize("whole", [bulk.WHOLE, 0], ids=["read whole", "read in chunks"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_which_documents_are_taken(
    store_dir: tuple[Path, Path], case: str, whole: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "WHOLE", whole)  # 0: every log is "big"
    root, corpus = store_dir
    store = Store(root, read_only=True, scan=False)
    try:
        doc = Corpus.open([corpus]).load([f"{case}.txt"])[f"{case}.txt"]
        found = store.plain_records(doc.rel, doc)
    finally:
        store.close()
    assert (found is not None) is CASES[case]
    if found is not None:  # exactly the records the usual read builds
        usual = Store(root, read_only=True, scan=False)
        try:
            expected = sorted(json.dumps(to_record(a)) for a in usual.sync(doc))
        finally:
            usual.close()
        assert sorted(json.dumps(r) for r in found) == expected


def test_document_not_in_corpus_is_taken(store_dir: tuple[Path, Path]) -> None:
    root, _ = store_dir
    store = Store(root, read_only=True, scan=False)
    try:
        assert store.plain_records("gone.txt", None) is not None
    finally:
        store.close()


def test_fast_records_are_the_stored_ones_with_a_legacy_file(store_dir: tuple[Path, Path]) -> None:
    """A schema-1 file beside a document's logs: the usual read merges it, never the fast."""
    root, corpus = store_dir
    store = Store(root, read_only=True, scan=False)
    folder = log_path(root, "plain.txt", "a").parent
    legacy = folder.with_name(folder.name + ".json")
    try:
        legacy.write_text("{}", encoding="utf-8")
        doc = Corpus.open([corpus]).load(["plain.txt"])["plain.txt"]
        assert store.plain_records("plain.txt", doc) is None
    finally:
        os.unlink(legacy)
        store.close()


#: Text with every character csv.writer treats specially, controls, and Arabic.
CELL = st.text(st.sampled_from(",\"\r\n\x00\t =+-@'a\x1b\x85\u202e\u2028ب،"), max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1),
    CELL,
    st.booleans(),
)
def test_csv_text_is_what_csv_writer_writes(
    cells: list[tuple[str, str, str, str]], doc: str, excel: bool
) -> None:
    """The column-wise CSV of plain records: csv.writer's bytes, or None (a NUL: its way)."""
    records = [
        {"doc": doc or "d", "start": n, "end": n + 1, "quote": quote, "note": note,
         "themes": [note[:2] or "t", "u"], "annotator": who or "a", "created": T1,
         "updated": created_at, "status": "anchored"}
        for n, (quote, note, who, created_at) in enumerate(cells)
    ]  # fmt: skip
    data = ExportData([], default_themes())
    text = _Cells(data, excel).record_text(records)
    expected = io.StringIO(newline="")
    csv.writer(expected, lineterminator="\r\n").writerows(_Cells(data, excel).record_rows(records))
    if text is None:
        assert "\0" in "".join(
            f"{r['quote']}{r['note']}{r['annotator']}{r['doc']}{r['updated']}" for r in records
        )
    else:
        assert text == expected.getvalue()
