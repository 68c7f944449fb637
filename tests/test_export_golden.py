"""Golden files: every export format of the fixed store, byte for byte.

Regenerate after an intended change with ``READER_REGEN_GOLDEN=1 pytest
tests/test_export_golden.py`` (or ``python tests/test_export_golden.py``) and
review the diff of ``tests/golden/export/`` before committing it.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from export_support import build_store, load_data

from reader.export import FORMATS, SUFFIXES, write
from reader.export.records import ExportData

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
REGEN = os.environ.get("READER_REGEN_GOLDEN") == "1"
#: name → (format, excel)
CASES = {f"fixed{SUFFIXES[fmt]}": (fmt, False) for fmt in FORMATS} | {
    "fixed.excel.csv": ("csv", True)
}


def render(data: ExportData, fmt: str, excel: bool) -> bytes:
    out = io.StringIO(newline="")
    write(fmt, data, out, excel=excel)
    return out.getvalue().encode("utf-8")


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


def test_every_format_has_a_golden_file() -> None:
    assert {fmt for fmt, _ in CASES.values()} == set(FORMATS)
    assert all((GOLDEN / name).stat().st_size > 0 for name in CASES)


if __name__ == "__main__":
    os.environ["READER_REGEN_GOLDEN"] = "1"
    sys.exit(pytest.main([__file__, "-q"]))
