"""Golden files: every export format of the fixed store, byte for byte.

Text formats are one file each (``fixed.<suffix>``); ``qdpx`` is golden as the
members of its zip, extracted under ``fixed.qdpx/`` in archive order (the order
is checked too), and ``brat`` as its folder ``fixed.brat/``.

Regenerate after an intended change with ``READER_REGEN_GOLDEN=1 pytest
tests/test_export_golden.py`` (or ``python tests/test_export_golden.py``) and
review the diff of ``tests/golden/export/`` before committing it.
"""

from __future__ import annotations

import importlib
import io
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from export_support import build_store, load_data

from reader.export import FORMATS, KINDS, SUFFIXES, export_to_path, write
from reader.export.records import ExportData

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
REGEN = os.environ.get("READER_REGEN_GOLDEN") == "1"
#: name → (format, excel), the text formats
CASES = {f"fixed{SUFFIXES[fmt]}": (fmt, False) for fmt in FORMATS if fmt not in KINDS} | {
    "fixed.excel.csv": ("csv", True)
}
#: folder → format, the formats that write several files
TREES = {"fixed.qdpx": "qdpx", "fixed.brat": "brat"}
#: The order of a tree's files (a zip's members are ordered), kept beside them.
ORDER = "ORDER"


def render(data: ExportData, fmt: str, excel: bool) -> bytes:
    out = io.StringIO(newline="")
    write(fmt, data, out, excel=excel)
    return out.getvalue().encode("utf-8")


def members(data: ExportData, fmt: str) -> list[tuple[str, bytes]]:
    built, _ = importlib.import_module(FORMATS[fmt]).build(data)
    return list(built)


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> ExportData:
    store_dir, corpus = build_store(tmp_path_factory.mktemp("fixed"))
    return load_data(store_dir, corpus)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(fixed: ExportData, name: str) -> None:
    fmt, excel = CASES[name]
    produced = render(fixed, fmt, excel)
    path = GOLDEN / name
    if REGEN:
        path.write_bytes(produced)
    assert path.exists(), f"no golden file {path}: run with READER_REGEN_GOLDEN=1"
    assert produced == path.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize("name", sorted(TREES))
def test_golden_tree(fixed: ExportData, name: str) -> None:
    produced = members(fixed, TREES[name])
    folder = GOLDEN / name
    if REGEN:
        shutil.rmtree(folder, ignore_errors=True)
        for member, payload in produced:
            (folder / member).parent.mkdir(parents=True, exist_ok=True)
            (folder / member).write_bytes(payload)
        (folder / ORDER).write_text("".join(m + "\n" for m, _ in produced), encoding="utf-8")
    assert folder.is_dir(), f"no golden folder {folder}: run with READER_REGEN_GOLDEN=1"
    assert [m for m, _ in produced] == (folder / ORDER).read_text("utf-8").splitlines()
    for member, payload in produced:
        assert payload == (folder / member).read_bytes(), f"{name}/{member} differs"


def test_qdpx_zip_holds_the_golden_members_and_is_reproducible(
    fixed: ExportData, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    export_to_path("qdpx", fixed, first)
    export_to_path("qdpx", fixed, second)
    assert first.read_bytes() == second.read_bytes()  # same store, same bytes
    with zipfile.ZipFile(first) as archive:
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == members(fixed, "qdpx")
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_every_format_has_a_golden_file() -> None:
    assert {fmt for fmt, _ in CASES.values()} | set(TREES.values()) == set(FORMATS)
    assert all((GOLDEN / name).stat().st_size > 0 for name in CASES)
    assert all((GOLDEN / name / ORDER).stat().st_size > 0 for name in TREES)


if __name__ == "__main__":
    os.environ["READER_REGEN_GOLDEN"] = "1"
    sys.exit(pytest.main([__file__, "-q"]))
