"""The two-labeller comparison that bounds what a suggester can score on a gold set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_gold_labellers as bench  # type: ignore[import-not-found]  # noqa: E402

FIRST = """# a
## d.txt
0 | arms | one
1 | arms,troops | two
2 | - | three
3 | sanctions | four
4 | china | five
"""

SECOND = """# b
## d.txt
0 | arms | one
1 | troops | two
2 | arms | three
3 | - | four
4 | china | five
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_second_labeller_scored_as_a_suggester(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _write(tmp_path, "a.txt", FIRST), _write(tmp_path, "b.txt", SECOND)
    assert bench.main([str(a), str(b)]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    # arms: gold {0,1}, second {0,2}: P 1/2, R 1/2
    assert rows["arms"][1:7] == ["2", "2", "1", "0.50", "0.50", "0.500"]
    assert rows["troops"][1:7] == ["1", "1", "1", "1.00", "1.00", "1.000"]
    assert rows["sanctions"][1:7] == ["1", "0", "0", "0.00", "0.00", "0.000"]
    assert rows["china"][4:8] == ["1.00", "1.00", "1.000", "1.000"]


def test_bad_inputs_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _write(tmp_path, "a.txt", FIRST)
    short = _write(tmp_path, "short.txt", SECOND.rsplit("\n", 2)[0] + "\n")
    bad = _write(tmp_path, "bad.txt", SECOND.replace("| china |", "| chinaa |"))
    for other in (short, bad, tmp_path / "missing.txt"):
        assert bench.main([str(a), str(other)]) == 2
        err = capsys.readouterr().err.strip()
        assert str(other) in err and "\n" not in err
