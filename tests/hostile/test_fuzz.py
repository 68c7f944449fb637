"""Fuzzing: random bytes and hostile Unicode through decoding, layout, the store and exports.

Every property here is one the issue asks for: no exception escapes (other
than the one-line ReaderError a caller reports), the layout invariants hold,
and nothing written to the store is lost.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.arabic import find_all, fold
from reader.corpus import Document, decode_bytes, find_date, find_title, normalise_newlines
from reader.errors import DocumentError, ReaderError
from reader.export import FORMATS, KINDS, ExportData, importer
from reader.export import write as export_write
from reader.layout import BidiMode, VisualLine, layout_line, layout_paragraph
from reader.lexicon import DEFAULT_TERMS
from reader.stemmer import normalise_word
from reader.store import Store
from reader.suggest import Lexicon, suggest_document

from .strategies import (
    ARABIC_LETTERS,
    doc_names,
    fuzz_settings,
    hostile_paragraph,
    hostile_text,
    note_text,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
UDHR_ARABIC = Path(__file__).resolve().parents[1] / "data" / "udhr" / "udhr_arb.txt"

# --- decoding -----------------------------------------------------------------


def _check_decoded(text: str, warnings: tuple[str, ...]) -> None:
    assert "\r" not in text
    assert text.strip()
    text.encode("utf-8")  # no lone surrogates: everything downstream writes UTF-8
    assert all(isinstance(w, str) and "\n" not in w for w in warnings)


@fuzz_settings(600)
@given(st.binary(max_size=400))
def test_random_bytes_decode_or_give_a_reason(data: bytes) -> None:
    try:
        text, _, warnings = decode_bytes(data)
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    _check_decoded(text, warnings)


@fuzz_settings(300)
@given(
    st.binary(max_size=200),
    st.sampled_from(list(codecs.BOM_UTF8 for _ in range(1)))
    | st.sampled_from(
        [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
    ),
)
def test_random_bytes_after_a_bom_decode_or_give_a_reason(data: bytes, bom: bytes) -> None:
    try:
        text, _, warnings = decode_bytes(bom + data)
    except DocumentError as exc:
        assert "\n" not in str(exc)
        return
    _check_decoded(text, warnings)


@fuzz_settings(300)
@given(hostile_text)
def test_hostile_unicode_round_trips_through_utf8_and_utf16(text: str) -> None:
    # Blank text is refused; a leading U+FEFF *is* a BOM to any reader, and
    # FF FE 00 00 (UTF-16 LE BOM + NUL) is the UTF-32 LE BOM.
    assume(text.strip() and not text.startswith(("\ufeff", "\x00")))
    expected = normalise_newlines(text)
    variants = [
        codecs.BOM_UTF8 + text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ]
    if "\x00" not in text:  # without a BOM, a NUL byte marks a binary file
        variants.append(text.encode("utf-8"))
    for data in variants:
        decoded, _, warnings = decode_bytes(data)
        assert decoded == expected, data[:8]
        assert warnings == ()


def _prose_words() -> list[str]:
    """Real Arabic prose: the seeds and the Arabic UDHR, as words in the code pages' repertoire."""
    words: list[str] = []
    sources = sorted(SEEDS.glob("*.txt"))
    sources.append(UDHR_ARABIC)  # real Arabic by others, copied under tests/data
    for path in sources:
        for word in path.read_text("utf-8").split():
            if word.encode("cp1256", "ignore").decode("cp1256") == word and all(
                ch in word.encode("iso-8859-6", "ignore").decode("iso-8859-6") for ch in word
            ):
                words.append(word)
    return words


PROSE_WORDS = _prose_words()


@fuzz_settings(200)
@given(
    st.integers(0, len(PROSE_WORDS)),
    st.integers(3, 60),
    st.sampled_from(["cp1256", "iso-8859-6"]),
)
def test_arabic_code_pages_decode_to_the_same_text(start: int, count: int, codec: str) -> None:
    """Any stretch of real prose, even three words, decodes from either code page unchanged."""
    text = " ".join(PROSE_WORDS[start : start + count])
    assume(text)
    decoded, encoding, _ = decode_bytes(text.encode(codec))
    assert decoded == text, encoding
    assert not any("\u0590" <= ch <= "\u05ff" for ch in decoded)  # never Hebrew


@fuzz_settings(200)
@given(
    st.lists(st.text(ARABIC_LETTERS, min_size=2, max_size=9), min_size=30, max_size=60).map(
        " ".join
    ),
    st.integers(0, 10_000),
    st.sampled_from([b"\xff", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"]),
)
def test_mostly_utf8_opens_with_replacement_and_a_warning(
    text: str, where: int, bad: bytes
) -> None:
    data = text.encode("utf-8")
    # put the bad bytes on a character boundary so the rest stays valid
    cut = len(text[: where % len(text)].encode("utf-8"))
    decoded, encoding, warnings = decode_bytes(data[:cut] + bad + data[cut:])
    assert encoding == "utf-8"
    assert "\ufffd" in decoded
    assert decoded.replace("\ufffd", "") == text
    assert len(warnings) == 1 and "replaced" in warnings[0]


# --- the store: random edits, reload, nothing lost ----------------------------------

THEME_KEYS = ["arms", "troops", "sanctions", "china"]

store_op = st.one_of(
    st.tuples(
        st.just("add"),
        st.integers(0, 10**6),
        st.integers(1, 60),
        st.lists(st.sampled_from(THEME_KEYS), min_size=1, max_size=3),
        note_text,
    ),
    st.tuples(
        st.just("toggle"), st.integers(0, 10**6), st.integers(1, 60), st.sampled_from(THEME_KEYS)
    ),
    st.tuples(st.just("note"), st.integers(0, 100), note_text),
    st.tuples(st.just("delete"), st.integers(0, 100)),
    # toggling an existing span exercises edit-in-place and delete-by-last-theme
    st.tuples(st.just("retoggle"), st.integers(0, 100), st.sampled_from(THEME_KEYS)),
)

Model = dict[str, tuple[int, int, tuple[str, ...], str]]


def _state(store: Store, rel: str) -> Model:
    return {a.id: (a.start, a.end, tuple(a.themes), a.note) for a in store.annotations(rel)}


def _apply(store: Store, doc: Document, model: Model, op: tuple[object, ...]) -> None:
    """Apply ``op`` to the store and, independently, to the model of what it should hold."""
    size = len(doc.text)
    kind = op[0]
    if kind in ("add", "toggle"):
        start = int(op[1]) % size  # type: ignore[call-overload]
        end = min(size, start + int(op[2]))  # type: ignore[call-overload]
        if kind == "add":
            themes, note = list(op[3]), str(op[4])  # type: ignore[call-overload]
            ann = store.add(doc, start, end, themes, note)
            model[ann.id] = (start, end, tuple(dict.fromkeys(themes)), note)
            return
        op = ("span", start, end, op[3])
    if kind == "retoggle":
        if not model:
            return
        ann_id = sorted(model)[int(op[1]) % len(model)]  # type: ignore[call-overload]
        op = ("span", model[ann_id][0], model[ann_id][1], op[2])
    if op[0] == "span":
        _, start, end, key = op
        same = [i for i, m in model.items() if (m[0], m[1]) == (start, end)]
        result = store.toggle_theme(doc, int(start), int(end), str(key))  # type: ignore[call-overload]
        if not same:
            assert result is not None
            model[result.id] = (int(start), int(end), (str(key),), "")  # type: ignore[call-overload]
            return
        ann_id = next(i for i in same if result is None or i == result.id)
        s, e, themes, note = model[ann_id]
        kept = tuple(t for t in themes if t != key)
        themes = kept if len(kept) < len(themes) else (*themes, str(key))
        if themes:
            model[ann_id] = (s, e, themes, note)
        else:
            del model[ann_id]
        return
    if not model:
        return
    ann_id = sorted(model)[int(op[1]) % len(model)]  # type: ignore[call-overload]
    if kind == "note":
        store.set_note(ann_id, str(op[2]))
        s, e, themes, _ = model[ann_id]
        model[ann_id] = (s, e, themes, str(op[2]))
    else:
        store.delete(ann_id)
        del model[ann_id]


@fuzz_settings(40)
@given(hostile_text, doc_names, st.lists(store_op, min_size=1, max_size=10))
def test_store_keeps_every_edit_across_reloads_and_undo(
    text: str, rel: str, ops: list[tuple[object, ...]]
) -> None:
    assume(text)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        doc = Document(Path(tmp) / "doc.txt", rel, text, "utf-8", len(text))
        store = Store(root, "fuzzer")
        model: Model = {}
        for op in ops:
            _apply(store, doc, model, op)
            assert _state(store, rel) == model
        # nothing lost: a fresh instance reads back exactly the model
        again = Store(root, "fuzzer")
        assert again.problems == []
        assert _state(again, rel) == model
        assert [a.status for a in again.sync(doc)] == ["anchored"] * len(model)
        again.close()
        # undo everything, then redo everything, and check a fresh instance each time
        final = dict(model)
        while store.undo():
            pass
        assert _state(Store(root, "fuzzer"), rel) == {}
        while store.redo():
            pass
        assert _state(Store(root, "fuzzer"), rel) == final
        store.close()
        assert set(os.listdir(tmp)) <= {"store", "doc.txt"}  # nothing written beside the store


# --- every export format ----------------------------------------------------------

_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Embeddings, overrides, isolates: Trojan Source in a viewer that honours them.
_RAW_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_DANGEROUS_TAGS = {
    "script",
    "iframe",
    "img",
    "object",
    "embed",
    "svg",
    "math",
    "link",
    "base",
    "form",
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.handlers: list[str] = []
        self.text: list[str] = []
        self.pictures: list[str] = []  # the report's own SVG pictures, once each

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        picture = dict(attrs).get("class") if tag == "svg" else None
        if picture in ("heatmap", "timeline") and picture not in self.pictures:
            self.pictures.append(picture)
        else:
            self.tags.add(tag)
        self.handlers += [
            f"{tag} {k}={v}" for k, v in attrs if k.startswith("on") or "javascript:" in (v or "")
        ]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _export_all(data: ExportData) -> dict[str, str]:
    outputs = {}
    for fmt in FORMATS:
        if fmt in KINDS:  # a zip or a folder: fuzzed in tests/test_exchange_hostile.py
            continue
        buffer = io.StringIO()
        export_write(fmt, data, buffer)
        outputs[fmt] = buffer.getvalue()
    buffer = io.StringIO()
    export_write("csv", data, buffer, excel=True)
    outputs["csv-excel"] = buffer.getvalue()
    return outputs


@fuzz_settings(40)
@given(hostile_text, doc_names, st.lists(store_op, min_size=1, max_size=8))
def test_every_export_format_survives_hostile_text(
    text: str, rel: str, ops: list[tuple[object, ...]]
) -> None:
    assume(text)
    with tempfile.TemporaryDirectory() as tmp:
        doc = Document(Path(tmp) / "doc.txt", rel, text, "utf-8", len(text))
        store = Store(Path(tmp) / "store", "fuzzer")
        model: Model = {}
        for op in ops:
            _apply(store, doc, model, op)
        anns = list(store.all_annotations())
        store.close()
    data = ExportData(anns, store.themes, {rel: doc})
    outputs = _export_all(data)  # no exception

    # Machine formats keep everything: json holds every annotation, every field.
    records = json.loads(outputs["json"])["annotations"]
    assert {(r["id"], r["quote"], r["note"]) for r in records} == {
        (a.id, a.quote, a.note) for a in anns
    }
    assert outputs["jsonl"].count("\n") == len(anns)  # JSONL lines end at LF only
    rows = list(csv.reader(io.StringIO(outputs["csv"], newline="")))
    assert len(rows) == len(anns) + 1

    # Formats a person reads carry no raw control character (a terminal or viewer acts on it).
    for fmt in ("md", "html", "csv", "csv-excel"):
        body = outputs[fmt].replace("\r\n", "\n")
        found = _RAW_CONTROL.search(body)
        assert found is None, (fmt, repr(body[max(0, found.start() - 20) : found.end() + 20]))
        assert _RAW_BIDI.search(body) is None, fmt

    # HTML: document text and notes stay text.
    parser = _Tags()
    parser.feed(outputs["html"])
    assert not parser.tags & _DANGEROUS_TAGS, parser.tags & _DANGEROUS_TAGS
    assert parser.handlers == []
    for ann in anns:
        if "<script>" in ann.note:
            assert "&lt;script&gt;" in outputs["html"]

    # CSV --excel: no cell a spreadsheet would take as a formula.
    for row in list(csv.reader(io.StringIO(outputs["csv-excel"].lstrip("\ufeff"), newline="")))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not (
                cell.startswith("-") and not cell.lstrip("-").isdigit()
            ), row


def test_plain_csv_carries_no_raw_controls(tmp_path: Path) -> None:
    """``cat export.csv`` in a terminal must not replay a document's escape sequences either."""
    text = "قال \x1b]52;c;SGVsbG8=\x07 المتحدث \x9b2J هنا\n"
    doc = Document(tmp_path / "doc.txt", "doc.txt", text, "utf-8", len(text))
    store = Store(tmp_path / "store", "tester")
    ann = store.add(doc, 0, len(text) - 1, ["arms"], note="\x1b[2J\x1b]0;pwned\x07")
    store.close()
    buffer = io.StringIO()
    export_write("csv", ExportData([ann], store.themes, {"doc.txt": doc}), buffer)
    body = buffer.getvalue().replace("\r\n", "\n")
    assert "SGVsbG8=" in body and "pwned" in body  # the text is there…
    assert _RAW_CONTROL.search(body) is None, repr(body)  # …but drawn, not raw


# --- layout ---------------------------------------------------------------------------

#: Nothing a terminal would act on may be drawn: C0 (tab included: it is expanded), DEL, C1,
#: the bidi embedding/override/isolate controls, line/paragraph separators, lone surrogates.
_UNDRAWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _check_line(line: VisualLine, n: int, width: int | None, mode: BidiMode) -> None:
    if width is not None:
        assert line.width <= max(width, 2), (line, width)
    assert 0 <= line.start <= line.end <= n
    drawn: list[int] = []
    for cell in line.cells:
        assert line.start <= cell.start < cell.end <= line.end or cell.text == "…", cell
        assert cell.width >= 1, cell
        bad = _UNDRAWABLE.search(cell.text)
        if mode is BidiMode.TERMINAL:
            # terminal mode may hand LRM/RLM/ALM/ZWJ/ZWNJ to the terminal, nothing else
            assert bad is None, cell
        else:
            assert bad is None and not any(ch in cell.text for ch in "\u200e\u200f\u061c"), cell
        drawn.extend(range(cell.start, cell.end))
    # Rich measures what the app draws: it must agree with the engine's columns.
    assert cell_len(line.text()) == line.width, line
    return None if width is None else _check_cover(line, drawn)


def _check_cover(line: VisualLine, drawn: list[int]) -> None:
    """Every offset of the line is drawn by exactly one cell or declared hidden, not both."""
    hidden = list(line.hidden)
    assert len(drawn) == len(set(drawn)), line
    assert not set(drawn) & set(hidden), line
    assert sorted(drawn + hidden) == list(range(line.start, line.end)), line


@fuzz_settings(400)
@given(hostile_paragraph, st.integers(0, 100), st.sampled_from(list(BidiMode)), st.booleans())
def test_layout_invariants_hold_on_hostile_text(
    text: str, width: int, mode: BidiMode, fallback_rtl: bool
) -> None:
    lines = layout_paragraph(text, width, mode, fallback_rtl)
    assert lines
    assert lines[0].start == 0 and lines[-1].end == len(text)
    for before, after in itertools.pairwise(lines):
        assert before.end == after.start  # contiguous, nothing skipped or drawn twice
    for line in lines:
        _check_line(line, len(text), width, mode)


@fuzz_settings(200)
@given(hostile_paragraph, st.one_of(st.none(), st.integers(0, 80)), st.sampled_from(list(BidiMode)))
def test_single_line_layout_never_overflows_or_leaks(
    text: str, width: int | None, mode: BidiMode
) -> None:
    line = layout_line(text, width, mode)
    _check_line(line, len(text), width, mode)


# --- import: whatever the file holds ------------------------------------------------------

json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | hostile_paragraph,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(hostile_paragraph, inner, max_size=4)
    ),
    max_leaves=12,
)


def _valid_record(text: str) -> dict[str, object]:
    return {
        "id": "a1", "doc": "doc.txt", "doc_sha256": "0" * 64, "start": 0, "end": 3,
        "quote": text[:3], "prefix": "", "suffix": text[3:10], "themes": ["arms"], "note": "",
        "annotator": "x", "created": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z", "status": "anchored",
    }  # fmt: skip


@fuzz_settings(150)
@given(
    st.sampled_from(["id", "doc", "start", "end", "quote", "themes", "status", "note", "created"]),
    json_value,
    st.sampled_from(["jsonl", "json", "w3c-ish"]),
)
def test_import_of_a_mangled_export_never_crashes_nor_damages_the_store(
    field: str, value: object, shape: str
) -> None:
    text = ARABIC_LETTERS * 2
    record = _valid_record(text)
    record[field] = value
    body: object = record
    if shape == "json":
        body = {"format": "reader-annotations", "version": 1, "annotations": [record, value]}
    elif shape == "w3c-ish":
        body = {"type": "Annotation", "target": {"source": value, "selector": [value]}}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.json"
        path.write_text(
            json.dumps(body, ensure_ascii=False, allow_nan=True), "utf-8", "surrogatepass"
        )
        doc = Document(Path(tmp) / "doc.txt", "doc.txt", text, "utf-8", len(text))
        store = Store(Path(tmp) / "store", "fuzzer")
        try:
            parsed = importer.parse(path)
            importer.import_into(store, parsed, {"doc.txt": doc})
        except ReaderError as exc:
            assert "\n" not in str(exc)
        store.close()
        again = Store(Path(tmp) / "store", "fuzzer")
        # whatever was written reads back without a single damaged file
        assert not [p for p in again.problems if "read-only" in p], again.problems
        again.sync(doc)
        again.close()


# --- search, sentences, titles, suggestions ----------------------------------------------

LEXICON = Lexicon(DEFAULT_TERMS)


@fuzz_settings(200)
@given(hostile_text, hostile_paragraph)
def test_search_sentences_and_suggestions_survive_hostile_text(text: str, query: str) -> None:
    folded, origin = fold(text)
    assert len(origin) == len(folded)
    for span in find_all(text, query):
        assert 0 <= span.start <= span.end <= len(text)
    normalise_word(query)
    find_title(text)
    find_date(text)
    assume(text.strip())
    doc = Document(Path("doc.txt"), "doc.txt", text, "utf-8", len(text))
    for paragraph in doc.paragraphs():
        for span in doc.sentences(paragraph):
            assert paragraph.start <= span.start < span.end <= paragraph.end
    for found in suggest_document(doc, LEXICON):
        assert 0 <= found.start < found.end <= len(text) and found.themes
