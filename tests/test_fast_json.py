"""The quick JSON paths of the store, the exports and the importer give exactly what the
slow ones do.

``storage.dumps`` calls the C encoder made once (``json.dumps`` makes one per call);
``json_safe`` looks for unsafe characters in the UTF-8 bytes; the importer reads a line
with the C scanner (``json.loads`` wraps it) and walks a file's lines without splitting
it whole; ``too_deep`` takes a flat record in one pass. Each is checked against what it
replaces, on any value, line or text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.export.importer import _loads_line, _numbered_lines
from reader.export.records import _JSON_UNSAFE, json_safe
from reader.nesting import too_deep
from reader.store.storage import dumps

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400)
@given(values)
def test_dumps_writes_what_json_dumps_writes(value: Any) -> None:
    try:
        expected = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, ASCII
        expected = json.dumps(value, separators=(",", ":")).encode("ascii")
    assert dumps(value) == expected


def test_dumps_refuses_what_json_cannot_write() -> None:
    with pytest.raises(TypeError):
        dumps({"a": object()})


def _loads_or_error(line: str) -> tuple[str, Any]:
    try:
        return "value", json.loads(line)
    except json.JSONDecodeError:
        return "error", None


@settings(max_examples=400)
@given(
    values.map(lambda v: json.dumps(v, ensure_ascii=False))
    | st.text()
    | st.tuples(st.sampled_from(["", " ", "\t", "\ufeff", "\r"]), values, st.text(max_size=3)).map(
        lambda t: t[0] + json.dumps(t[1], ensure_ascii=False) + t[2]
    )
)
def test_a_line_is_read_as_json_loads_reads_it(line: str) -> None:
    try:
        expected = _loads_or_error(line)
    except RecursionError:
        return
    try:
        got: tuple[str, Any] = ("value", _loads_line(line))
    except json.JSONDecodeError:
        got = ("error", None)
    assert repr(got) == repr(expected)  # repr: NaN is not equal to itself


@given(st.text(alphabet="ab\n", max_size=12))
def test_lines_are_numbered_as_split_numbers_them(text: str) -> None:
    assert list(_numbered_lines(text)) == list(enumerate(text.split("\n"), 1))


def _too_deep_walk(value: object, limit: int) -> bool:
    """The walk without the flat record's short cut."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Any = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


@settings(max_examples=400)
@given(values, st.integers(min_value=0, max_value=5))
def test_too_deep_agrees_with_the_whole_walk(value: Any, limit: int) -> None:
    assert too_deep(value, limit) == _too_deep_walk(value, limit)


#: Characters around every boundary of the unsafe set, their UTF-8 neighbours, Arabic.
_NEAR = (
    "".join(
        chr(c)
        for c in [*range(0x7E, 0xA2), *range(0x2020, 0x2030), *range(0x2060, 0x206B), 0xAB, 0xBB]
    )
    + "\ud800\udfff\udc80"
    + "بيونغ يانغ «» – — … “”"
)


@settings(max_examples=600)
@given(st.text(alphabet=st.sampled_from(_NEAR) | st.characters(), max_size=40))
def test_json_safe_escapes_exactly_what_the_class_matches(text: str) -> None:
    expected = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    assert json_safe(text) == expected
