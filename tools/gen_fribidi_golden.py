"""Regenerate the GNU FriBidi golden files used by tests/test_layout.py.

For every paragraph (line) of the five seeds and of the UDHR texts in tests/data/udhr/, ask
the ``fribidi`` command for the resolved embedding levels:

    fribidi --levels --novisual --basedir --wrtl

``--wrtl`` lets FriBidi find each paragraph's direction itself (P2–P3) with right-to-left as
the fallback, which is what the reader does for Arabic documents. The plain ``--rtl`` would
force right-to-left on the documents' English lines too ("Sorry, you need to enable
JavaScript…"), whose levels would then not be the ones that paragraph really gets; for every
paragraph FriBidi finds right-to-left, this script checks that ``--rtl`` gives the same levels.

Each golden file holds, per paragraph, its base level and its levels as runs
``[[level, count], …]``, plus the SHA-256 of the source text so a test notices a changed
source. FriBidi is needed only here, not by the tests.

Usage: python tools/gen_fribidi_golden.py [OUTPUT_DIR]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "udhr").glob("udhr_*.txt")),
]
DEFAULT_OUT = ROOT / "tests" / "golden" / "fribidi"


def fribidi(lines: list[str], *options: str) -> list[str]:
    """FriBidi's output lines for the given input lines."""
    result = subprocess.run(
        ["fribidi", "--levels", "--novisual", *options],
        input="".join(line + "\n" for line in lines).encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8").split("\n")


def parse_levels(line: str, expected: int) -> list[int]:
    levels = [int(tok) for tok in line.split()]
    if len(levels) != expected:
        raise SystemExit(f"fribidi gave {len(levels)} levels for {expected} code points")
    return levels


def runs(levels: list[int]) -> list[list[int]]:
    return [[level, len(list(group))] for level, group in itertools.groupby(levels)]


def golden_for(path: Path) -> dict[str, object]:
    text = path.read_text("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = text.split("\n")
    out = fribidi(paragraphs, "--basedir", "--wrtl")
    forced = fribidi(paragraphs, "--rtl")
    records: list[dict[str, object]] = []
    for index, paragraph in enumerate(paragraphs):
        base_line, level_line = out[2 * index], out[2 * index + 1]
        base = 1 if base_line.strip().endswith("R") else 0
        levels = parse_levels(level_line, len(paragraph))
        if base == 1 and parse_levels(forced[index], len(paragraph)) != levels:
            raise SystemExit(f"{path.name}:{index + 1}: --rtl and --wrtl disagree")
        if paragraph.strip():
            records.append({"index": index, "base": base, "levels": runs(levels)})
    return {
        "source": path.relative_to(ROOT).as_posix(),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "fribidi": subprocess.run(
            ["fribidi", "--version"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0],
        "command": "fribidi --levels --novisual --basedir --wrtl",
        "paragraphs": records,
    }


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in SOURCES:
        golden = golden_for(path)
        target = out_dir / f"{path.stem}.json"
        target.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"{target.relative_to(ROOT)}: {len(golden['paragraphs'])} paragraphs")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
