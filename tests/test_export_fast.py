"""The jsonl and csv writers' fast paths write exactly what the plain serialisers write.

The jsonl writer builds each line from the JSON encoder's own string escaping and
writes lines in chunks; the csv writer feeds ``writerows`` and makes repeated
cells visible once. Both are checked here against the straightforward way —
``json.dumps`` of the record per line, and ``csv.writer`` with every cell made
visible (and neutralised) one by one — on annotations full of controls, lone
surrogates, formula starts and fields of a newer program.
"""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.export import csv_, jsonl
from reader.export.records import ExportData, json_safe, select, to_record, visible
from reader.store import Annotation, default_themes

NASTY = st.text(
    st.one_of(
        st.sampled_from(list("=+-@\t\r\n\"',;ابت \x00\x1b\x7f\x85\x9b\u2028\u2029\u202e\u2066")),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        st.characters(),
    ),
    max_size=12,
)


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    start = draw(st.integers(0, 10**6))
    return Annotation(
        id=draw(NASTY), doc=draw(st.sampled_from(["a.txt", "=b.txt", "ج/\x1b.txt"])),
        doc_sha256=draw(NASTY), start=start, end=start + draw(st.integers(1, 50)),
        quote=draw(NASTY), prefix=draw(NASTY), suffix=draw(NASTY),
        themes=draw(st.lists(st.sampled_from(["arms", "-x", "ص"]), min_size=1, max_size=3)),
        note=draw(NASTY), annotator=draw(st.sampled_from(["analyst", "@me", "\x9bx"])),
        created=draw(NASTY), updated=draw(NASTY),
        status=draw(st.sampled_from(["anchored", "reanchored", "orphaned"])),
        extra=draw(st.sampled_from([{}, {"later": [1, "\u2028"]}])),
    )  # fmt: skip


def _plain_jsonl(anns: list[Annotation]) -> str:
    return "".join(
        json_safe(json.dumps(to_record(a), ensure_ascii=False, separators=(",", ":"))) + "\n"
        for a in anns
    )


def _plain_csv(data: ExportData, excel: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_.COLUMNS)
    for a in data.annotations:
        text = [a.doc, data.title(a.doc), ";".join(a.themes), a.quote, a.note, a.annotator]
        cells = [visible(t) for t in text]
        if excel:
            cells = [csv_.neutralise(c) for c in cells]
        doc, title, themes, quote, note, annotator = cells
        row = (doc, title, a.start, a.end, themes, quote, note, annotator)
        writer.writerow((*row, a.created, a.updated, a.status))
    return (csv_.BOM if excel else "") + out.getvalue()


@settings(max_examples=80, derandomize=True, database=None, deadline=None)
@given(anns=st.lists(annotations(), max_size=6), chunk=st.integers(1, 4))
def test_jsonl_lines_are_json_dumps_of_each_record(anns: list[Annotation], chunk: int) -> None:
    original = jsonl.CHUNK
    jsonl.CHUNK = chunk  # several chunks, and a partial last one
    try:
        out = io.StringIO()
        jsonl.write(ExportData(anns, default_themes()), out)
    finally:
        jsonl.CHUNK = original
    assert out.getvalue() == _plain_jsonl(anns)
    assert len(out.getvalue().splitlines()) == len(anns)  # one line each, whatever the text


@settings(max_examples=80, derandomize=True, database=None, deadline=None)
@given(anns=st.lists(annotations(), max_size=6), chunk=st.integers(1, 4))
def test_jsonl_bytes_to_a_utf8_file_are_json_dumps_of_each_record(
    anns: list[Annotation], chunk: int
) -> None:
    """To a UTF-8 text file the lines go to its byte buffer (no decode, no encode)."""
    original = jsonl.CHUNK
    jsonl.CHUNK = chunk
    try:
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        out.write("before\n")  # text written first stays first
        jsonl.write(ExportData(anns, default_themes()), out)
        out.flush()
    finally:
        jsonl.CHUNK = original
    assert raw.getvalue() == ("before\n" + _plain_jsonl(anns)).encode("utf-8")


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(texts=st.lists(NASTY | st.text(), min_size=11, max_size=11), start=st.integers(0, 2**70))
def test_the_fast_line_is_json_dumps_or_nothing(texts: list[str], start: int) -> None:
    """orjson's line, when the fast path gives one, is json.dumps's to the byte."""
    ann = Annotation(*texts[:3], start, start + 1, *texts[3:6], [texts[6], "arms"], *texts[7:])
    line = jsonl._line(ann)
    plain = json.dumps(to_record(ann), ensure_ascii=False, separators=(",", ":"))
    if line is not None:
        assert line == plain.encode("utf-8")
    else:  # only what orjson cannot write: a lone surrogate, an integer beyond 64 bits
        assert start + 1 >= 2**64 or any("\ud800" <= c <= "\udfff" for c in plain)


def test_the_fast_line_covers_every_code_point() -> None:
    """Every character but the surrogates, in one string: orjson escapes as json does."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    ann = Annotation("i", "a.txt", every, 1, 2, every, "", "", ["arms"], every, "x", "c", "u")
    expected = json.dumps(to_record(ann), ensure_ascii=False, separators=(",", ":"))
    assert jsonl._line(ann) == expected.encode("utf-8")


def test_jsonl_takes_the_slow_path_for_values_of_other_types() -> None:
    ann = Annotation("i", "a.txt", "s", 1, 2, "q", "", "", ["arms"], "", "x", "c", "u")
    odd = [ann.copy(start=True), ann.copy(note=None), ann.copy(end=2.0), ann]
    out = io.StringIO()
    jsonl.write(ExportData(odd, default_themes()), out)
    assert out.getvalue() == _plain_jsonl(odd)
    assert '"start":true' in out.getvalue() and '"note":null' in out.getvalue()


@settings(max_examples=80, derandomize=True, database=None, deadline=None)
@given(anns=st.lists(annotations(), max_size=6), excel=st.booleans())
def test_csv_rows_are_every_cell_made_visible_one_by_one(
    anns: list[Annotation], excel: bool
) -> None:
    data = ExportData(select(anns), default_themes())
    out = io.StringIO()
    csv_.write(data, out, excel=excel)
    assert out.getvalue() == _plain_csv(data, excel)


def test_progress_ticks_add_up_to_the_annotations() -> None:
    ann = Annotation("i", "a.txt", "s", 1, 2, "q", "", "", ["arms"], "", "x", "c", "u")
    data = ExportData([ann.copy(id=str(i)) for i in range(2500)], default_themes())
    for module in (jsonl, csv_):
        ticks: list[int] = []
        module.write(data, io.StringIO(), ticks.append)
        assert ticks == [1000, 1000, 500]
