"""Hostile fixtures, generated at test time into a temporary folder.

Nothing binary is committed: every hostile file is built here from a recipe.
Each terminal escape sequence carries a unique *marker* in its payload, so a
test reading the raw bytes a program wrote can tell the document's sequences
(which must never reach the terminal) from the program's own (which may).
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"

ARABIC = "تزايد القلق في الغرب من التحالف بين روسيا وكوريا الشمالية."

#: name → (the sequence as it sits in the document, the markers inside its payload).
#: Markers are ASCII runs with no neutral character inside, so bidi reordering cannot
#: scramble them; one found *inside* a control sequence on the terminal is a leak. CSI
#: sequences carry numbers only: theirs are 4-digit values no program sends (row 4242…).
ESCAPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "osc52_clipboard": (f"{ESC}]52;c;HXCLIPBOARD52{BEL}", ("HXCLIPBOARD52",)),
    "osc52_clipboard_st": (f"{ESC}]52;p;HXPRIMARY52{ST}", ("HXPRIMARY52",)),
    "osc8_hyperlink": (f"{ESC}]8;;https://HXLINK8.example/{ST}lien{ESC}]8;;{ST}", ("HXLINK8",)),
    "osc0_title": (f"{ESC}]0;HXTITLEZERO{BEL}", ("HXTITLEZERO",)),
    "osc2_title": (f"{ESC}]2;HXTITLETWO{ST}", ("HXTITLETWO",)),
    "dcs": (f"{ESC}PHXDCSPAYLOAD{ST}", ("HXDCSPAYLOAD",)),
    "c1_osc": ("\x9d0;HXCONEOSC\x9c", ("HXCONEOSC",)),
    "c1_dcs": ("\x90HXCONEDCS\x9c", ("HXCONEDCS",)),
    "csi_cursor": (f"{ESC}[4242;4343H", ("4242", "4343")),
    "csi_private_mode": (f"{ESC}[?7373h", ("7373",)),
    "csi_sgr_conceal": (f"{ESC}[8;7777m", ("7777",)),
    "csi_erase": (f"{ESC}[5151;2J", ("5151",)),
    "c1_csi": ("\x9b6161;6262H", ("6161", "6262")),
}

#: Two-byte escapes with no payload: RIS (full reset) and DECALN (fill screen with E);
#: as the tokenizer sees them (``esc`` tokens' bodies). No program of ours sends them.
BARE_ESCAPES = (f"{ESC}c", f"{ESC}#8")
BARE_BODIES = ("c", "#8")
#: Single C1 controls: NEL, IND, RI, HTS (as raw code points).
C1_SINGLES = "\x85\x84\x8d\x88"


def all_markers() -> list[str]:
    return [m for _, markers in ESCAPES.values() for m in markers]


def escape_document() -> str:
    """An Arabic document with every escape sequence above, in its title and body."""
    lines = [f"{ESCAPES['osc0_title'][0]}{ARABIC} {ESCAPES['osc2_title'][0]}"]
    for name, (seq, _) in ESCAPES.items():
        lines.append(f"{name}: {ARABIC[:20]} {seq} {ARABIC[20:40]}")
    lines.append(" ".join(BARE_ESCAPES) + " " + C1_SINGLES + " " + ARABIC)
    return "\n".join(lines) + "\n"


#: C0 controls other than tab and newline, DEL, and the C1 range: all must be drawn visibly.
CONTROL_CHARS = (
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
)

#: Embedding, override and isolate controls (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Marks Arabic text needs: LRM, RLM, ALM, ZWJ, ZWNJ.
NEEDED_MARKS = "\u200e\u200f\u061c\u200d\u200c"


def controls_document() -> str:
    """Every control character, each between Arabic letters."""
    return "".join(f"ب{ch}ت " for ch in CONTROL_CHARS) + "\n"


def trojan_source_document() -> str:
    """Unterminated overrides and isolates that try to reorder the next paragraphs."""
    return (
        f"{ARABIC} \u202eabc 123 \u2066xyz\n"  # RLO and LRI never closed
        "admin = false; \u202e } \u2066if (isAdmin)\u2069 \u2066 { begin admins only\n"
        "second paragraph stays left to right: abc def\n"
    )


def big_line(size: int = 1_000_000) -> str:
    """A single line of about ``size`` code points, Arabic words and spaces."""
    word = "القلق "
    return (word * (size // len(word) + 1))[:size] + "\n"


def many_empty_lines(count: int = 100_000) -> str:
    return ARABIC + "\n" * count


def no_spaces(size: int = 200_000) -> str:
    """Text with no break opportunity at all."""
    letters = ARABIC.replace(" ", "")
    return (letters * (size // len(letters) + 1))[:size] + "\n"


def encoded_variants(text: str) -> dict[str, bytes]:
    """The same text in every encoding the reader must accept."""
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "windows-1256": text.encode("cp1256"),
        "iso-8859-6": text.encode("iso-8859-6"),
    }


@dataclass(frozen=True)
class BadPaths:
    """Paths that are not documents, each with a word its error must contain."""

    missing: Path
    directory: Path
    binary: Path
    empty: Path
    broken_link: Path
    unreadable: Path
    """Mode 000: unreadable only without CAP_DAC_OVERRIDE (see :func:`drop_root_read`)."""

    def items(self) -> list[tuple[str, Path]]:
        return [
            ("missing", self.missing),
            ("directory", self.directory),
            ("binary", self.binary),
            ("empty", self.empty),
            ("broken_link", self.broken_link),
            ("unreadable", self.unreadable),
        ]


def make_bad_paths(root: Path) -> BadPaths:
    root.mkdir(parents=True, exist_ok=True)
    directory = root / "a-folder.txt"
    directory.mkdir(exist_ok=True)
    binary = root / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    empty = root / "empty.txt"
    empty.write_bytes(b"")
    broken = root / "broken-link.txt"
    if not broken.is_symlink():
        broken.symlink_to(root / "nowhere.txt")
    unreadable = root / "unreadable.txt"
    unreadable.write_text(ARABIC, "utf-8")
    unreadable.chmod(0)
    return BadPaths(root / "missing.txt", directory, binary, empty, broken, unreadable)


def drop_root_read(argv: list[str]) -> list[str]:
    """Run ``argv`` without the capabilities that let root read a mode-000 file."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *argv]


def write(root: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def record_notifications(app: Any) -> list[str]:
    """Record every notification ``app`` shows, as ``title: message`` (and still show it)."""
    seen: list[str] = []
    show = app.notify

    def notify(message: str, *, title: str = "", **options: Any) -> None:
        seen.append(f"{title}: {message}")
        show(message, title=title, **options)

    app.notify = notify
    return seen


def reader_cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m reader ARGV`` in a clean environment: no terminal, no input, 60 s at most."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            "HOME": str(cwd),
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        },
    )
