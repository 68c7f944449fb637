"""Documents: reading, decoding, paragraphs, sentences, titles and dates.

A document is a text file. Its *text* is the decoded, newline-normalised
string; every offset in the program (cursor, selection, annotation, export)
is a code-point index into that string, as the W3C Web Annotation model has
it. Each line is a paragraph; blank lines are kept as spacing.

No Textual import here: this module is shared by the app and every command.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from reader.errors import DocumentError

#: Files larger than this are refused rather than read into memory.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

#: Suffixes taken as documents when a folder is scanned.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Only these legacy code pages are candidates: generic charset detection
#: takes short ISO-8859-6 text for Hebrew, so we never ask it.
LEGACY_ENCODINGS = ("windows-1256", "iso-8859-6")

# Per-mille frequency of Arabic letters in news prose (measured on the seeds and
# the Arabic UDHR). Telling windows-1256 from ISO-8859-6 is telling which
# decoding reads like Arabic: both map most bytes to *some* Arabic letter, but
# the wrong one turns common letters into rare ones, harakat or Latin accents.
_LETTER_PER_MILLE = {
    "ا": 150.2, "ل": 111.5, "ي": 89.8, "و": 64.9, "م": 57.6, "ن": 49.9, "ت": 48.0, "ر": 47.2,
    "ة": 32.9, "ب": 29.7, "د": 29.5, "ع": 29.2, "ق": 23.9, "ف": 23.9, "س": 23.8, "ك": 23.1,
    "أ": 21.8, "ه": 19.7, "ح": 18.0, "ش": 12.4, "ج": 12.1, "إ": 8.8, "ى": 8.1, "ص": 7.7,
    "ط": 7.7, "ز": 7.0, "خ": 6.9, "غ": 6.6, "ذ": 6.1, "ض": 5.4, "ث": 3.7, "ئ": 2.9, "ء": 2.9,
    "ظ": 1.6, "آ": 1.3, "ؤ": 0.9,
}  # fmt: skip
_LOG_FREQ = {ch: math.log(f / 1000) for ch, f in _LETTER_PER_MILLE.items()}
#: Anything else above ASCII (harakat, tatweel, Latin accents, symbols) scores as rare.
_RARE = math.log(0.05 / 1000)


def _legacy_score(text: str) -> float:
    """Log-likelihood that ``text`` is Arabic prose, over its non-ASCII characters."""
    get = _LOG_FREQ.get
    return sum(get(ch, _RARE) for ch in text if ord(ch) > 0x7F)


#: Same notion of space as str.isspace (both use Py_UNICODE_ISSPACE).
_NON_SPACE = re.compile(r"\S")


def decode_bytes(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode a document's bytes.

    Returns:
        ``(text, encoding, warnings)``; the text has its BOM removed and its
        newlines normalised to LF.

    Raises:
        DocumentError: for empty or binary data (the path is added by the caller).
    """
    if not data:
        raise DocumentError("empty file")
    warnings: list[str] = []
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError:
                text = data[len(bom) :].decode(name, errors="replace")
                warnings.append(f"invalid {name} sequences replaced")
            encoding = f"{name} (BOM)"
            break
    if text is None:
        if b"\x00" in data:
            raise DocumentError("binary file (contains NUL bytes)")
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding, warnings = _decode_not_utf8(data)
    text = normalise_newlines(text)
    # A search, not text.strip(): strip() copies the whole text (23 MB for a 20 MB file).
    if _NON_SPACE.search(text) is None:
        raise DocumentError("no text (empty or whitespace only)")
    return text, encoding, tuple(warnings)


def _decode_not_utf8(data: bytes) -> tuple[str, str, list[str]]:
    """Tell a mostly-UTF-8 file from a legacy Arabic one, and decode it."""
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    non_ascii = sum(1 for ch in loose if ord(ch) > 0x7F)
    # Real UTF-8 with a few broken bytes: most non-ASCII characters decoded fine.
    if non_ascii and bad <= max(1, non_ascii // 20):
        return loose, "utf-8", [f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD"]
    candidates: list[tuple[float, str, str]] = []
    for name in LEGACY_ENCODINGS:
        try:
            candidates.append((_legacy_score(decoded := data.decode(name)), name, decoded))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DocumentError("not text: neither UTF-8 nor an Arabic code page")
    # Highest score wins; on a tie keep the order of LEGACY_ENCODINGS (max is stable).
    _, name, decoded = max(candidates, key=lambda c: c[0])
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in decoded)
    if printable < len(decoded) * 0.9:
        raise DocumentError("not text: no decodable Arabic or UTF-8 text")
    return decoded, name, []


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so offsets agree whatever the file's origin."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- paragraphs and sentences -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One line of the document: ``text == document.text[start:end]``."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of document offsets."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


# A terminator, with any closing quotes/brackets after it, then a space or the end.
# `.` between digits (3.5) or before a digit is not a terminator; `/` never is.
_SENTENCE_END = re.compile(r"""(?:[.!?؟؛…۔]+|(?<!\d)\.(?!\d))['"»”’)\]}]*(?=\s|$)""")


def split_sentences(text: str, base: int = 0) -> list[Span]:
    """Split one paragraph into sentences.

    Args:
        text: the paragraph's text (no newline).
        base: offset of ``text`` in the document, added to every span.

    Returns:
        Spans that cover every non-space character of ``text`` once, each
        starting at a non-space character and ending after its terminator.
    """
    spans: list[Span] = []
    pos = 0
    n = len(text)
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        start = pos
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append(Span(base + start, base + end))
        pos = end
    while pos < n and text[pos].isspace():
        pos += 1
    if pos < n:
        end = n
        while end > pos and text[end - 1].isspace():
            end -= 1
        spans.append(Span(base + pos, base + end))
    return spans


# --- titles and dates ---------------------------------------------------------

_BOILERPLATE = re.compile(
    r"enable javascript|you need to enable|cookies?\b|subscribe|sign in|log in"
    r"|advertisement|^\s*(?:إعلان|اشترك|تابعونا)\b",
    re.IGNORECASE,
)

_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "اذار": 3,
    "أبريل": 4, "ابريل": 4, "إبريل": 4, "نيسان": 4, "مايو": 5, "أيار": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6, "يوليو": 7, "يوليه": 7, "تموز": 7,
    "أغسطس": 8, "اغسطس": 8, "آب": 8, "اب": 8, "سبتمبر": 9, "أيلول": 9, "ايلول": 9,
    "أكتوبر": 10, "اكتوبر": 10, "تشرين الأول": 10, "تشرين الاول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12, "كانون الاول": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Each pattern starts with a bare `\d` and checks the word boundary after it
# (`\d(?<!\w\d)` is `\b\d`): a leading `\b` stops the regex engine from skipping
# ahead to the next digit, and the scan cost 2.5× more (finding dates was most
# of indexing a 10,000-file library).
_DATE_NAMED = re.compile(rf"(\d(?<!\w\d)\d?)\s*[-/ ]\s*({_MONTH_ALT})\s*[-/ ]\s*(\d{{4}})\b")
_DATE_ISO = re.compile(r"(\d(?<!\w\d)\d{3})-(\d{2})-(\d{2})\b")
_DATE_DMY = re.compile(r"(\d(?<!\w\d)\d?)/(\d{1,2})/(\d{4})\b")
#: How far into a document a date is looked for: a dateline sits near the top.
_DATE_HEAD_CHARS = 4000


def find_date(text: str) -> date | None:
    """The first full date in the document's head, as a ``date``, or None."""
    # No str.translate of the head to ASCII digits: it cost ~60 µs a document, most
    # of indexing a library. `\d` already matches Eastern Arabic digits and int()
    # reads them, so the patterns run on the text as it is.
    head = text[:_DATE_HEAD_CHARS]
    found: list[tuple[int, date]] = []
    for match in _DATE_NAMED.finditer(head):
        day, month, year = int(match[1]), _MONTHS[match[2]], int(match[3])
        found.extend(_valid(match.start(), year, month, day))
    for match in _DATE_ISO.finditer(head) if "-" in head else ():
        found.extend(_valid(match.start(), int(match[1]), int(match[2]), int(match[3])))
    for match in _DATE_DMY.finditer(head) if "/" in head else ():
        found.extend(_valid(match.start(), int(match[3]), int(match[2]), int(match[1])))
    return min(found)[1] if found else None


def _valid(pos: int, year: int, month: int, day: int) -> list[tuple[int, date]]:
    try:
        return [(pos, date(year, month, day))]
    except ValueError:
        return []


def find_title(text: str, limit: int = 200) -> str:
    """The first meaningful line: not blank, not scraper boilerplate, not a bare date."""
    from reader.boilerplate import is_boilerplate  # it imports reader.arabic, which imports us

    for count, line in enumerate(text.split("\n", 50)):
        if count >= 50:
            break
        line = line.strip()
        if not line or _BOILERPLATE.search(line) or is_boilerplate(line):
            continue
        if find_date(line) and len(_DATE_NAMED.sub("", line.translate(_DIGITS)).strip()) < 3:
            continue
        return line[:limit]
    return ""


# --- documents ----------------------------------------------------------------


@dataclass
class Document:
    """A decoded document and what the program derives from it."""

    path: Path
    """Absolute path of the file."""
    rel: str
    """Path relative to the corpus root, with ``/`` separators: the store's key."""
    text: str
    encoding: str
    size: int
    """Size of the file in bytes."""
    warnings: tuple[str, ...] = ()
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def id(self) -> str:
        """Stable identity: relative path plus the digest of the decoded text."""
        return f"{self.rel}#sha256={self.sha256}"

    @cached_property
    def title(self) -> str:
        return find_title(self.text) or self.path.name

    @cached_property
    def date(self) -> date | None:
        return find_date(self.text)

    # Paragraph starts are found once (a str.find scan, cheap even at 20 MB);
    # Paragraph objects and sentences are made only when asked for.
    @property
    def line_starts(self) -> list[int]:
        if not self._line_starts:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    @property
    def paragraph_count(self) -> int:
        return len(self.line_starts)

    def paragraph(self, index: int) -> Paragraph:
        starts = self.line_starts
        start = starts[index]
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(self.text)
        return Paragraph(index, start, end, self.text[start:end])

    def paragraphs(self) -> Iterator[Paragraph]:
        for index in range(self.paragraph_count):
            yield self.paragraph(index)

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph holding ``offset`` (a newline belongs to the line it ends)."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.paragraph(max(0, min(index, self.paragraph_count - 1)))

    def sentences(self, paragraph: Paragraph) -> list[Span]:
        return split_sentences(paragraph.text, paragraph.start)

    def all_sentences(self) -> Iterator[Span]:
        for paragraph in self.paragraphs():
            yield from self.sentences(paragraph)


def read_document(path: Path | str, root: Path | str | None = None) -> Document:
    """Read and decode one document.

    Args:
        path: the file.
        root: the corpus root its ``rel`` is taken against (default: its folder).

    Raises:
        DocumentError: one line naming the file and why it cannot be read.
    """
    path = Path(path)
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        kind = "broken symbolic link" if path.is_symlink() else "no such file"
        raise DocumentError(kind, where) from None
    except OSError as exc:
        raise DocumentError(exc.strerror or "cannot read", where) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("is a directory, not a document", where)
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("not a regular file", where)
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"too large ({info.st_size} bytes)", where)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(exc.strerror or "cannot read", where) from None
    try:
        text, encoding, warnings = decode_bytes(data)
    except DocumentError as exc:
        raise DocumentError(exc.reason, where) from None
    absolute = path.resolve()
    base = Path(root).resolve() if root is not None else absolute.parent
    try:
        rel = absolute.relative_to(base).as_posix()
    except ValueError:
        rel = absolute.name
    return Document(absolute, rel, text, encoding, len(data), warnings)


# --- corpora ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A file the user asked for: where it is, and how it is known in the store."""

    path: Path
    root: Path
    rel: str

    def load(self) -> Document:
        return read_document(self.path, self.root)


@dataclass
class Problem:
    """A path that could not be taken as a document, with its one-line reason."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def collect(paths: Iterable[Path | str]) -> tuple[list[Entry], list[Problem]]:
    """Expand files and folders into document entries, sorted by relative path.

    A folder is its own root (documents are known by their path inside it); a
    file's root is its folder. Paths that cannot be documents come back as
    problems rather than being skipped in silence.
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or Path(name).suffix.lower() not in TEXT_SUFFIXES:
                        continue
                    file = Path(dirpath, name)
                    if file not in seen:
                        seen.add(file)
                        entries.append(Entry(file, root, file.relative_to(root).as_posix()))
        elif path.is_file():
            file = path.resolve()
            if file not in seen:
                seen.add(file)
                entries.append(Entry(file, file.parent, file.name))
        else:
            try:
                read_document(path)  # raises the precise reason (missing, broken link…)
            except DocumentError as exc:
                problems.append(Problem(path, exc.reason))
    entries.sort(key=lambda e: e.rel)
    return entries, problems
