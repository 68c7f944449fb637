"""Corpus search: ``reader search``, the search index, and concordance lines.

The acceptance count is independent of the code under test: a regular expression
over the seeds' raw text, written out by hand for the spellings they hold.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.arabic import dropped_marks, find_all, fold, query_pattern, spans_in
from reader.cli import main
from reader.corpus import collect
from reader.kwic import context, kwic
from reader.layout import layout_line
from reader.search import SEARCH_NAME, SearchIndex

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: Pyongyang as the seeds spell it: غ or ج for the g, and the Persian ی for ي in one place.
PYONGYANG = re.compile(r"ب[يی]ون[غج]\s+[يی]ان[غج]")


def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def raw_hits(folder: Path) -> list[tuple[str, int, int, str]]:
    """``(file, start, end, text)`` of every Pyongyang, by the regex over the decoded files."""
    found = []
    for path in sorted(folder.iterdir()):
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        found += [(path.name, m.start(), m.end(), m.group()) for m in PYONGYANG.finditer(text)]
    return found


def search_jsonl(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, object]]]:
    status = main(["search", *args, "--format", "jsonl"])
    out = capsys.readouterr().out
    return status, [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("query", ["بيونغ يانغ", "بيونج يانج"])
def test_search_finds_every_pyongyang_of_the_seeds_in_both_spellings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    folder = seeds_copy(tmp_path)
    expected = raw_hits(folder)
    spellings = {text.split()[0][-1] for _, _, _, text in expected}
    assert spellings == {"غ", "ج"} and len(expected) >= 30  # the seeds hold both
    store = tmp_path / "store"
    store.mkdir()
    status, records = search_jsonl(capsys, query, str(folder), "--store", str(store))
    assert status == 0
    got = [(r["doc"], r["start"], r["end"], r["match"]) for r in records]
    assert got == expected
    assert (store / SEARCH_NAME).is_file()  # kept beside the library index


def test_text_output_is_one_concordance_line_per_hit_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = seeds_copy(tmp_path)
    assert main(["search", "بيونج يانج", str(folder), "--width", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = raw_hits(folder)
    assert lines[-1] == f"{len(expected)} hits in 5 documents"
    assert [line.split()[0] for line in lines[:-1]] == [
        f"{name}:{start}-{end}" for name, start, end, _ in expected
    ]
    # The hit is drawn (shaped, in visual order) in the middle of each line's context.
    shown = layout_line("بيونغ يانغ").text()
    assert all(shown in line or layout_line("بيونج يانج").text() in line for line in lines[:8])


def test_no_hit_is_status_1_and_bad_input_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = seeds_copy(tmp_path)
    assert main(["search", "كلمةغيرموجودة", str(folder)]) == 1
    assert capsys.readouterr().out == "0 hits in 0 documents\n"
    assert main(["search", "  ", str(folder)]) == 2
    assert main(["search", "x", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "missing" in err[1]


def test_the_index_follows_files_that_change_appear_and_go(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("موسكو وبيونغ يانغ\n", encoding="utf-8")
    (folder / "b.txt").write_text("لا شيء هنا\n", encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    index = SearchIndex(store)
    entries = collect([folder])[0]
    assert [(h.rel, h.start) for h in index.search("بيونج يانج", entries)] == [("a.txt", 7)]
    # b.txt gains a hit: its size changes, it is read again
    (folder / "b.txt").write_text("قالت بيونج يانج\n", encoding="utf-8")
    assert [(h.rel, h.start) for h in index.search("بيونج يانج", entries)] == [
        ("a.txt", 7),
        ("b.txt", 5),
    ]
    # same size, new mtime: read again too
    (folder / "a.txt").write_text("موسكو وبيونغ ياني\n", encoding="utf-8")
    os.utime(folder / "a.txt", ns=(1, 1))
    assert [h.rel for h in index.search("بيونج يانج", entries)] == ["b.txt"]
    # a deleted file leaves the index
    (folder / "b.txt").unlink()
    entries = collect([folder])[0]
    assert index.search("بيونج يانج", entries) == []
    paths = {p for (p,) in sqlite3.connect(store / SEARCH_NAME).execute("SELECT path FROM files")}
    assert paths == {str(folder.resolve() / "a.txt")}
    # and a warm index reads nothing
    assert index.refresh(entries) == 0


def test_a_damaged_index_is_rebuilt_and_a_read_only_store_gets_none(tmp_path: Path) -> None:
    folder = seeds_copy(tmp_path)
    entries = collect([folder])[0]
    store = tmp_path / "store"
    store.mkdir()
    (store / SEARCH_NAME).write_bytes(b"not a database" * 100)
    index = SearchIndex(store)
    assert len(index.search("بيونج يانج", entries)) == len(raw_hits(folder))
    assert index.error is not None and SEARCH_NAME in index.error
    assert sqlite3.connect(store / SEARCH_NAME).execute("SELECT count(*) FROM files").fetchone()
    other = tmp_path / "readonly"
    other.mkdir()
    index = SearchIndex(other, read_only=True)
    assert len(index.search("بيونج يانج", entries)) == len(raw_hits(folder))
    assert not (other / SEARCH_NAME).exists()


def test_every_query_word_must_be_in_a_file_for_it_to_be_searched(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("صواريخ باليستية\n", encoding="utf-8")
    (folder / "b.txt").write_text("صواريخ\nباليستية\n", encoding="utf-8")  # not on one line
    index = SearchIndex(None)
    entries = collect([folder])[0]
    assert [h.rel for h in index.search("صواريخ باليستية", entries)] == ["a.txt"]
    assert [h.rel for h in index.search("اريخ", entries)] == ["a.txt", "b.txt"]  # inside words


def test_search_stops_at_the_limit(tmp_path: Path) -> None:
    folder = seeds_copy(tmp_path)
    hits = SearchIndex(None).search("بيونج يانج", collect([folder])[0], limit=5)
    assert [(h.rel, h.start, h.end) for h in hits] == [h[:3] for h in raw_hits(folder)[:5]]


_ARABIC = st.sampled_from([*"بيونغجانﻻلاأإآةهىيَُِّـ ", "\u200d", "ﺑ", "\n", "ی", "x"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(_ARABIC, max_size=60).map("".join), query=st.lists(_ARABIC, min_size=1,
       max_size=5).map("".join))  # fmt: skip
@example(text="بَيونغ يانغَّ", query="بيونج يانج")
@example(text="ﻻ لا", query="ل")
def test_the_index_gives_what_find_all_gives(text: str, query: str) -> None:
    # spans_in over what the index stores (folded text, fold map, dropped marks) is
    # find_all over the text: the index never needs the text itself.
    pattern = query_pattern(query)
    if pattern is None:
        return
    folded, mapping = fold(text)
    marks = set(dropped_marks(text))
    assert spans_in(folded, mapping, pattern, len(text), marks.__contains__) == find_all(
        text, query
    )


def test_the_index_and_find_all_agree_on_files(tmp_path: Path) -> None:
    folder = seeds_copy(tmp_path)
    (folder / "marks.txt").write_text("بَيُونْغ يَانْغ ـــ ﻻ بيونج\u200dيانج\n", encoding="utf-8")
    entries = collect([folder])[0]
    index = SearchIndex(None)
    for query in ("بيونج يانج", "روسيا", "لا", "ا", "يانج"):
        expected = [
            (e.rel, s.start, s.end) for e in entries for s in find_all(e.load().text, query)
        ]
        assert [(h.rel, h.start, h.end) for h in index.search(query, entries)] == expected


def test_kwic_centres_the_hit_and_keeps_the_paragraph_direction() -> None:
    text = "أولا\nقالت وكالة الأنباء إن بيونغ يانغ أطلقت صاروخا جديدا اليوم\nآخر"
    start = text.index("بيونغ")
    found = context(text, start, start + len("بيونغ يانغ"), 12)
    assert "\n" not in found.before + found.after and found.rtl
    line = kwic(found, 40)
    assert len(line.text()) == 40
    hit_columns = [0]
    column = 0
    for run, is_hit in line.runs:
        if is_hit:
            hit_columns = [column, column + len(run)]
        column += len(run)
    assert abs(sum(hit_columns) / 2 - 20) <= 1  # the middle of the hit is the middle
    left, right = line.text()[: hit_columns[0]], line.text()[hit_columns[1] :]
    # right to left: what comes before the hit (الأنباء إن) is on its right
    assert layout_line("إن").text() in right and layout_line("أطلقت").text() in left


def test_python_m_reader_search_runs(tmp_path: Path) -> None:
    folder = seeds_copy(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", "بيونج يانج", str(folder)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{len(raw_hits(folder))} hits in 5 documents"
    assert not (tmp_path / "annotations").exists()  # no store folder: nothing written
