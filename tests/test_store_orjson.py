"""The store reads its logs with orjson, and what it keeps and says is ``json``'s reading.

orjson parses a chunk of lines several times faster than ``json``; for every line that
is not a plain record (headers, deletions, records with fields of a newer program,
floats, anything a check reports) the store takes ``json``'s own value of the line.
Here, logs of good, odd and broken lines are read with orjson and with it disabled
(the ``json`` path as it was): the annotations, their extra fields and the problems
must be the same.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_support import log_path

from reader.store import Store, journal
from reader.store.model import FIELDS

HEADER = '{"format":"reader-log","schema":2,"doc":"a.txt","annotator":"analyst"}'
TEXT = st.text(st.sampled_from([*'ab ق"\\/\x00\x1f\x7f\u2028é', "\U0001f600"]), max_size=6)
ODD_NUMBERS = ["1e400", "1.0000000000000002", "2.2250738585072011e-308", "1e23", "-0", "2e-400"]
HUGE = ["123456789012345678901234567890", '"\\ud800"']


def _record(draw: st.DrawFn, n: int) -> dict[str, Any]:
    start = draw(st.integers(0, 40))
    record: dict[str, Any] = {name: draw(TEXT) for name in FIELDS}
    record.update(id=f"id-{draw(st.integers(0, 5))}-{n}", doc="a.txt", annotator="analyst")
    record.update(start=start, end=start + draw(st.integers(1, 9)), themes=["arms"])
    record.update(status="anchored", doc_sha256="ab" * 32)
    return record


@st.composite
def lines(draw: st.DrawFn) -> list[str]:
    out = []
    for n in range(draw(st.integers(1, 8))):
        record = _record(draw, n)
        kind = draw(st.sampled_from(["plain", "escaped", "extra", "duplicate", "deleted",
                                     "other doc", "bad", "spaced"]))  # fmt: skip
        if kind == "plain":
            out.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        elif kind == "escaped":  # \uXXXX escapes: the same values, other bytes
            out.append(json.dumps(record))
        elif kind == "extra":  # fields of a newer program: floats json and orjson may differ on
            value = draw(st.sampled_from(ODD_NUMBERS + HUGE))
            body = json.dumps(record, ensure_ascii=False)
            out.append(body[:-1] + f', "later": {value}}}')
        elif kind == "duplicate":  # the last of repeated keys counts
            body = json.dumps(record, ensure_ascii=False)
            out.append(body[:-1] + ', "note": "second"}')
        elif kind == "deleted":
            out.append(json.dumps({"deleted": record["id"], "at": "2026-11-22T09:30:00.000Z"}))
        elif kind == "other doc":
            out.append(json.dumps({**record, "doc": "b.txt"}))
        elif kind == "bad":
            out.append(draw(st.sampled_from(["", "{", "1,2", "[" * 3000 + "]" * 3000, "NaN",
                                             '{"start": 1e400}', "\ufeff{}"])))  # fmt: skip
        else:
            out.append(json.dumps(record, indent=1).replace("\n", ""))
    return out


def _read(root: Path) -> tuple[list[tuple[Any, ...]], list[str]]:
    store = Store(root, read_only=True)
    try:
        found = [(a, a.extra, a.edits) for a in store.all_annotations()]
        return found, store.problems
    finally:
        store.close()


def _no_orjson(data: bytes) -> Any:
    raise orjson.JSONDecodeError("disabled", "", 0)


@settings(max_examples=120, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(body=lines())
def test_orjson_reads_what_json_reads(
    body: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    path = log_path(root, "a.txt", "analyst")
    path.parent.mkdir(parents=True, exist_ok=True)
    (root / "store.json").write_text('{"format": "reader-store", "schema": 2}\n')
    path.write_bytes(("\n".join([HEADER, *body]) + "\n").encode("utf-8", "surrogatepass"))
    fast = _read(root)
    with monkeypatch.context() as patch:
        patch.setattr(journal, "_orjson_loads", _no_orjson)
        plain = _read(root)
    assert fast == plain


@pytest.mark.parametrize(
    "odd",
    [
        "[" * 3000 + "]" * 3000,  # orjson takes it, json does not: a bad line, as it was
        json.dumps(dict.fromkeys(FIELDS, "x")) + " ",  # not this document's: reported
        '{"deleted":"x","at":"2026-11-22T09:30:00.000Z","at":2}',
    ],
)
def test_lines_orjson_takes_are_read_as_json_reads_them(
    odd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = dict.fromkeys(FIELDS, "x") | {"doc": "a.txt", "annotator": "analyst"}
    record |= {"start": 1, "end": 2, "themes": ["arms"], "status": "anchored"}
    body = [json.dumps(record), odd, json.dumps({**record, "id": "y"})]
    root = tmp_path / "store"
    path = log_path(root, "a.txt", "analyst")
    path.parent.mkdir(parents=True)
    (root / "store.json").write_text('{"format": "reader-store", "schema": 2}\n')
    path.write_text("\n".join([HEADER, *body]) + "\n")
    orjson.loads(("[" + ",".join(body) + "]").encode())  # orjson does take these lines
    fast = _read(root)
    monkeypatch.setattr(journal, "_orjson_loads", _no_orjson)
    assert fast == _read(root)


def test_a_plain_log_is_read_whole(tmp_path: Path) -> None:
    """The comparison above is not between two empty readings."""
    root = tmp_path / "store"
    path = log_path(root, "a.txt", "analyst")
    path.parent.mkdir(parents=True)
    (root / "store.json").write_text('{"format": "reader-store", "schema": 2}\n')
    record = dict.fromkeys(FIELDS, "x") | {"doc": "a.txt", "annotator": "analyst"}
    record |= {"start": 1, "end": 2, "themes": ["arms"], "status": "anchored"}
    lines = [HEADER, json.dumps(record), json.dumps({**record, "id": "y", "later": 1.5})]
    path.write_text("\n".join(lines) + "\n")
    found, problems = _read(root)
    assert [(a.id, extra) for a, extra, _ in found] == [("x", {}), ("y", {"later": 1.5})]
    assert problems == []


def test_orjson_is_imported_only_when_a_log_is_read(tmp_path: Path) -> None:
    """Its import costs a start-up that reads no log several milliseconds."""
    code = (
        "import sys; import reader.store, reader.ui.app; "
        "assert 'orjson' not in sys.modules, 'imported at start-up'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
