"""Generate the large corpora the benchmarks read, from the five seed articles.

Two things are written under ``bench/output/`` (ignored by git):

* ``library/`` — 10,000 articles, about 50 MB, in ``YYYY/MM/`` folders as a year
  of coverage would be. Each article is a headline, a dateline, sometimes the
  scraper's boilerplate line the seeds have, and 1–9 KB of seed paragraphs in a
  shuffled order. A few are windows-1256, CRLF or BOM files, and a handful are
  empty or binary, so the library shows the problems a real folder holds.
* ``big.txt`` — one 20 MiB article (a report or a book): sections of
  paragraphs recombined from the seeds' clauses, so that (as in a real book)
  almost no paragraph repeats; a few are long, some KB.

Everything is derived from the seeds with ``random.Random(fixed seed)``, so two
runs write byte-identical files. A stamp file records what was generated;
running again with the same parameters does nothing unless ``--force``.

Usage::

    python bench/gen_corpus.py [--out bench/output] [--docs 10000] [--big-mib 20] [--force]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
OUTPUT = REPO / "bench" / "output"
#: Bump when the generated text changes, so old stamps are not trusted.
VERSION = 2

BOILERPLATE = "Sorry, you need to enable JavaScript to visit this website."
MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def seed_lines(seeds: Path = SEEDS) -> tuple[list[str], list[str]]:
    """The seeds' non-blank lines, split into headlines (short) and body paragraphs."""
    headlines: list[str] = []
    body: list[str] = []
    for path in sorted(seeds.iterdir()):
        for line in path.read_text("utf-8").split("\n"):
            line = line.strip()
            if not line or line == BOILERPLATE:
                continue
            if 25 <= len(line) <= 110 and "JavaScript" not in line:
                headlines.append(line)
            if len(line) >= 60:
                body.append(line)
    return headlines, body


def _article(i: int, count: int, headlines: list[str], body: list[str]) -> tuple[date, str]:
    """Article ``i`` of ``count``: its date and its text (LF newlines)."""
    rng = random.Random(i)
    day = date(2024, 1, 1) + timedelta(days=i * 366 // count)
    title = rng.choice(headlines)
    if rng.random() < 0.5:
        title += f" ({str(i).translate(ARABIC_DIGITS)})"
    if rng.random() < 0.5:
        dateline = f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year}"
    else:
        dateline = day.isoformat()
    lines = [title, dateline] if rng.random() < 0.7 else [dateline, title]
    if rng.random() < 0.2:
        lines.insert(0, BOILERPLATE)
    target = rng.randint(1000, 9000)  # bytes; a mean of 5 KB gives ~50 MB for 10,000
    size = sum(len(line.encode()) for line in lines)
    while size < target:
        paragraph = rng.choice(body)
        lines.append(paragraph)
        size += len(paragraph.encode()) + 2
    return day, "\n\n".join(lines) + "\n"


def _variant(i: int, text: str) -> bytes:
    """The bytes of article ``i``: mostly UTF-8, with the odd legacy or damaged file."""
    if i % 2500 == 1249:
        return b""  # empty file: a problem the library must show
    if i % 2500 == 2499:
        return bytes(range(256)) * 4  # binary: another problem
    if i % 97 == 3:
        return text.encode("cp1256", errors="ignore")
    if i % 89 == 5:
        return text.replace("\n", "\r\n").encode("utf-8")
    if i % 101 == 7:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def generate_library(out: Path, count: int = 10_000) -> int:
    """Write ``count`` articles under ``out``; returns the bytes written."""
    headlines, body = seed_lines()
    total = 0
    made: set[Path] = set()
    for i in range(count):
        day, text = _article(i, count, headlines, body)
        folder = out / f"{day.year}" / f"{day.month:02d}"
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        data = _variant(i, text)
        (folder / f"{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def clauses(body: list[str]) -> list[str]:
    """The seeds' body text cut at sentence ends and Arabic commas: pieces to recombine."""
    pieces: list[str] = []
    for paragraph in body:
        for piece in re.split(r"(?<=[.!?؟])\s+|،\s*", paragraph):
            piece = piece.strip().rstrip(".!?؟")
            if len(piece) >= 15:
                pieces.append(piece)
    return pieces


def _big_paragraphs(rng: random.Random, body: list[str], headlines: list[str]) -> Iterator[str]:
    """Paragraphs recombined from clauses: each is new text, as in a real book or report.

    (Repeating the seeds' paragraphs verbatim would let the layout cache do the work.)
    """
    pieces = clauses(body)
    section = 0
    while True:
        section += 1
        yield f"القسم {str(section).translate(ARABIC_DIGITS)}: {rng.choice(headlines)}"
        for _ in range(rng.randint(20, 60)):
            count = rng.randint(30, 80) if rng.random() < 0.03 else rng.randint(2, 8)
            yield "، ".join(rng.choice(pieces) for _ in range(count)) + "."


def generate_big(path: Path, size: int = 20 * 1024 * 1024) -> int:
    """Write one article of at least ``size`` bytes to ``path``; returns its size."""
    headlines, body = seed_lines()
    rng = random.Random(20)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("wb") as out:
        head = f"{headlines[0]}\n\n01-نوفمبر-2024\n\n".encode()
        out.write(head)
        written += len(head)
        chunk: list[bytes] = []
        for paragraph in _big_paragraphs(rng, body, headlines):
            data = (paragraph + "\n\n").encode()
            chunk.append(data)
            written += len(data)
            if len(chunk) >= 1000 or written >= size:
                out.write(b"".join(chunk))
                chunk.clear()
            if written >= size:
                break
    return written


def ensure(out: Path = OUTPUT, docs: int = 10_000, big_mib: int = 20, force: bool = False) -> bool:
    """Generate the corpora unless the stamp says they are there; True if written now."""
    stamp = out / "corpus-stamp.json"
    wanted = {"version": VERSION, "docs": docs, "big_mib": big_mib}
    library, big = out / "library", out / "big.txt"
    if not force and stamp.exists() and library.is_dir() and big.is_file():
        try:
            if json.loads(stamp.read_text("utf-8")) == wanted:
                return False
        except (OSError, ValueError):
            pass  # unreadable stamp: regenerate
    out.mkdir(parents=True, exist_ok=True)
    if library.exists():
        for old in sorted(library.rglob("*"), reverse=True):
            old.rmdir() if old.is_dir() else old.unlink()
    generate_library(library, docs)
    generate_big(big, big_mib * 1024 * 1024)
    stamp.write_text(json.dumps(wanted), "utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--big-mib", type=int, default=20)
    parser.add_argument("--force", action="store_true", help="regenerate even if the stamp matches")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not ensure(args.out, args.docs, args.big_mib, args.force):
        print(f"{args.out}: already generated (use --force to regenerate)")
        return 0
    library = sum(p.stat().st_size for p in (args.out / "library").rglob("*.txt"))
    big = (args.out / "big.txt").stat().st_size
    elapsed = time.perf_counter() - started
    print(f"library: {args.docs} files, {library / 1e6:.1f} MB in {args.out / 'library'}")
    print(f"big.txt: {big / 1e6:.1f} MB in {args.out / 'big.txt'}")
    print(f"generated in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
