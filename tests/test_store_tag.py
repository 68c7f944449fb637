"""``reader tag``: one annotation from the command line, exit 0 only once it is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_support import SEED

from reader.cli import main
from reader.corpus import read_document
from reader.store import Store


def tag(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["tag", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_by_quote_prints_the_id_of_a_stored_annotation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "annotations"
    code, out, err = tag(
        capsys, str(SEED), "--quote", "كوريا الشمالية", "--occurrence", "2",
        "--theme", "china", "--theme", "troops", "--note", "ثاني ذكر",
        "--store", str(store), "--annotator", "cli",
    )  # fmt: skip
    assert (code, err) == (0, "")
    doc = read_document(SEED, SEED.parent)
    second = doc.text.index("كوريا الشمالية", doc.text.index("كوريا الشمالية") + 1)
    [ann] = Store(store).annotations(doc.rel)
    assert out == ann.id + "\n"
    assert (ann.start, ann.end, ann.quote) == (second, second + 14, "كوريا الشمالية")
    assert (ann.themes, ann.note, ann.annotator) == (["china", "troops"], "ثاني ذكر", "cli")


def test_tag_by_offsets_and_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "annotations"
    code, out, _ = tag(
        capsys, str(SEED), "--start", "61", "--end", "118", "--theme", "arms",
        "--store", str(store), "--root", str(SEED.parent.parent),
    )  # fmt: skip
    assert code == 0
    [ann] = Store(store).annotations(f"seeds/{SEED.name}")
    assert ann.id == out.strip() and ann.quote.startswith("تزايد القلق")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quote", "لا يوجد هذا النص"], "quote not found"),
        (["--quote", "كوريا الشمالية", "--occurrence", "500"], "occurs only"),
        (["--start", "10", "--end", "999999"], "not inside the text"),
        (["--start", "10", "--end", "5"], "not inside the text"),
        (["--start", "10"], "--start needs --end"),
        (["--quote", "ملخص", "--theme", "weather"], "unknown theme 'weather'"),
    ],
)
def test_bad_requests_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    store = tmp_path / "annotations"
    themes = [] if "--theme" in args else ["--theme", "arms"]
    code, out, err = tag(capsys, str(SEED), *args, *themes, "--store", str(store))
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1
    assert not list(store.rglob("*.json*"))


def test_a_damaged_store_file_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "annotations"
    assert (
        tag(capsys, str(SEED), "--quote", "ملخص", "--theme", "arms", "--store", str(store))[0] == 0
    )
    [path] = (store / "docs").glob("*/*.jsonl")
    head, *records = path.read_bytes().splitlines(keepends=True)
    header = json.loads(head)
    header["schema"] = 3
    path.write_bytes(raw := json.dumps(header).encode() + b"\n" + b"".join(records))
    code, out, err = tag(
        capsys, str(SEED), "--quote", "ملخص", "--theme", "arms", "--store", str(store)
    )
    assert (code, out) == (2, "")
    assert str(path) in err and "schema version 3" in err and err.count("\n") == 1
    assert path.read_bytes() == raw
