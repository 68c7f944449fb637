"""The folding table, built block by block for a fast import, equals the per-character build."""

from __future__ import annotations

import subprocess
import sys

from reader.arabic import _strict_table


def test_lower_case_part_of_the_table_is_every_code_points_lower() -> None:
    table = _strict_table()
    expected: dict[int, str] = {}
    for code in range(0x110000):
        ch = chr(code)
        low = ch.lower()
        if low != ch:
            expected[code] = low if len(low) == 1 else low[0]
    # The later rules (Arabic letters, marks, spaces, presentation forms) touch no cased
    # character, so every lower-case entry is there unchanged.
    assert {code: table.get(code) for code in expected} == expected
    assert len(expected) > 1400  # the walk did cover Unicode
    assert table[ord("İ")] == "i" and table[ord("Ω")] == "ω" and table[0x10400] == chr(0x10428)


def test_tables_are_built_on_first_fold_not_at_import() -> None:
    code = (
        "import reader.arabic as a\n"
        "print(a._tables.cache_info().currsize)\n"
        "print(a.fold('أحمد')[0], a._tables.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["0", "احمد 1"]
