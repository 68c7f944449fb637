"""Generate reader/layout/_tables.py from the Unicode Character Database.

Sources:
- bidi classes, general categories: the ``unicodedata2`` package when it is installed at the
  Unicode version of ../shared/unicode (15.0: ``pip install unicodedata2==15.0.0``), otherwise
  the standard library's ``unicodedata`` (Python 3.11 has 14.0; the script says so);
- unassigned code points: the ``@missing`` defaults of DerivedBidiClass.txt (copied below,
  since the shared folder does not hold that file), BN for noncharacters and for unassigned
  default-ignorable code points;
- BidiMirroring.txt, BidiBrackets.txt, ArabicShaping.txt from ../shared/unicode.

Usage: python tools/gen_ucd_tables.py [UNICODE_DIR] [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_UCD = ROOT.parent / "shared" / "unicode"
DEFAULT_OUT = ROOT / "reader" / "layout" / "_tables.py"

# DerivedBidiClass-15.0.0.txt, "@missing" lines: later lines override earlier ones.
MISSING = [
    (0x0000, 0x10FFFF, "L"),
    (0x0590, 0x05FF, "R"),
    (0x0600, 0x07BF, "AL"),
    (0x07C0, 0x085F, "R"),
    (0x0860, 0x08FF, "AL"),
    (0x20A0, 0x20CF, "ET"),
    (0xFB1D, 0xFB4F, "R"),
    (0xFB50, 0xFDCF, "AL"),
    (0xFDF0, 0xFDFF, "AL"),
    (0xFE70, 0xFEFF, "AL"),
    (0x10800, 0x10CFF, "R"),
    (0x10D00, 0x10D3F, "AL"),
    (0x10D40, 0x10EBF, "R"),
    (0x10EC0, 0x10EFF, "AL"),
    (0x10F00, 0x10F2F, "R"),
    (0x10F30, 0x10F6F, "AL"),
    (0x10F70, 0x10FFF, "R"),
    (0x1E800, 0x1EC6F, "R"),
    (0x1EC70, 0x1ECBF, "AL"),
    (0x1ECC0, 0x1ECFF, "R"),
    (0x1ED00, 0x1ED4F, "AL"),
    (0x1ED50, 0x1EDFF, "R"),
    (0x1EE00, 0x1EEFF, "AL"),
    (0x1EF00, 0x1EFFF, "R"),
]
# Default_Ignorable_Code_Point ranges (DerivedCoreProperties 15.0): unassigned ones are BN.
DEFAULT_IGNORABLE = [
    (0x2060, 0x206F),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),
]


def _unicodedata(version: str) -> ModuleType:
    try:
        import unicodedata2 as ud  # type: ignore[import-not-found]

        if str(ud.unidata_version) == version:
            return ud  # type: ignore[no-any-return]
    except ImportError:
        pass
    import unicodedata as ud

    print(
        f"warning: using unicodedata {ud.unidata_version}, not {version}; "
        f"pip install unicodedata2=={version}",
        file=sys.stderr,
    )
    return ud


def _records(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            rows.append([field.strip() for field in line.split(";")])
    return rows


def _version(ucd: Path) -> str:
    for line in (ucd / "BidiBrackets.txt").read_text(encoding="utf-8").splitlines()[:3]:
        if line.startswith("# BidiBrackets-"):
            return line.split("-")[1].removesuffix(".txt")
    raise SystemExit(f"{ucd / 'BidiBrackets.txt'}: no version line")


def _noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def bidi_classes(ud: ModuleType) -> list[str]:
    """The bidi class of every code point, @missing defaults applied to unassigned ones."""
    default = ["L"] * 0x110000
    for lo, hi, cls in MISSING:
        default[lo : hi + 1] = [cls] * (hi - lo + 1)
    for lo, hi in DEFAULT_IGNORABLE:
        default[lo : hi + 1] = ["BN"] * (hi - lo + 1)
    out = []
    for cp in range(0x110000):
        cls = ud.bidirectional(chr(cp)) if not 0xD800 <= cp <= 0xDFFF else "L"
        if not cls:
            cls = "BN" if _noncharacter(cp) else default[cp]
        out.append(cls)
    return out


def ranges(values: list[str]) -> tuple[list[int], list[str]]:
    """Run-length encode: the start of each run and its value."""
    starts, vals = [0], [values[0]]
    for cp in range(1, len(values)):
        if values[cp] != vals[-1]:
            starts.append(cp)
            vals.append(values[cp])
    return starts, vals


def category_ranges(ud: ModuleType, cats: set[str]) -> list[int]:
    """Flat [start, end) pairs of the code points whose general category is in ``cats``."""
    flat: list[int] = []
    inside = False
    for cp in range(0x110000 + 1):
        hit = cp < 0x110000 and ud.category(chr(cp)) in cats
        if hit != inside:
            flat.append(cp)
            inside = hit
    return flat


def _wrap(items: list[str], indent: str = "    ", width: int = 96) -> str:
    lines, line = [], indent
    for item in items:
        if len(line) + len(item) + 2 > width:
            lines.append(line.rstrip())
            line = indent
        line += item + ", "
    lines.append(line.rstrip())
    return "\n".join(lines)


def generate(ucd: Path) -> str:
    version = _version(ucd)
    ud = _unicodedata(version)
    starts, classes = ranges(bidi_classes(ud))
    mirror = {int(a, 16): int(b, 16) for a, b in _records(ucd / "BidiMirroring.txt")}
    brackets = {int(a, 16): (int(b, 16), t) for a, b, t in _records(ucd / "BidiBrackets.txt")}
    joining = {int(r[0], 16): r[2] for r in _records(ucd / "ArabicShaping.txt")}
    transparent = category_ranges(ud, {"Mn", "Me", "Cf"})
    marks = category_ranges(ud, {"Mn", "Me", "Mc"})
    names = sorted(set(classes))
    parts = [
        '"""Unicode data tables for reader.layout.ucd: GENERATED by tools/gen_ucd_tables.py.',
        "",
        f"Unicode {version} (bidi classes from unicodedata {ud.unidata_version}). Do not edit.",
        '"""',
        "",
        "# fmt: off",
        f'UNICODE_VERSION = "{version}"',
        "",
        "# Bidi_Class as runs: BIDI_STARTS[i] is the first code point of run i, whose class is",
        "# BIDI_CLASS_NAMES[BIDI_RUNS[i]] (one character per run, an index into the names).",
        "BIDI_CLASS_NAMES = (\n" + _wrap([f'"{n}"' for n in names]) + "\n)",
        "BIDI_STARTS = (\n" + _wrap([str(s) for s in starts]) + "\n)",
        "BIDI_RUNS = (\n"
        + "\n".join(
            f'    "{"".join(chr(48 + names.index(c)) for c in classes[i : i + 80])}"'
            for i in range(0, len(classes), 80)
        )
        + "\n)",
        "",
        "# BidiMirroring.txt: code point -> mirrored glyph.",
        "MIRROR = {\n" + _wrap([f"{k}: {v}" for k, v in sorted(mirror.items())]) + "\n}",
        "",
        "# BidiBrackets.txt: code point -> (paired bracket, 'o' or 'c').",
        "BRACKETS = {\n"
        + _wrap([f'{k}: ({v}, "{t}")' for k, (v, t) in sorted(brackets.items())])
        + "\n}",
        "",
        "# ArabicShaping.txt: explicit joining types.",
        "JOINING = {\n" + _wrap([f'{k}: "{v}"' for k, v in sorted(joining.items())]) + "\n}",
        "",
        "# General category Mn/Me/Cf (joining type T when not explicit): flat [start, end) pairs.",
        "TRANSPARENT = (\n" + _wrap([str(x) for x in transparent]) + "\n)",
        "",
        "# General category Mn/Me/Mc (combining marks): flat [start, end) pairs.",
        "MARKS = (\n" + _wrap([str(x) for x in marks]) + "\n)",
        "",
    ]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    ucd = Path(argv[1]) if len(argv) > 1 else DEFAULT_UCD
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    out.write_text(generate(ucd), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
