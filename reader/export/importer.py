"""``reader import``: bring annotations from a ``json``, ``jsonl`` or ``w3c`` export into a store.

Three steps, each usable alone (the app and tests call them directly):

1. :func:`parse` reads the file and tells the format by its content; a record
   that cannot be an annotation is *rejected* with its line or position and the
   reason, the rest go on. A file that is no export at all is an error.
2. :func:`check` sets each annotation against its document's text, as the store
   does on ``sync``: kept when the quote is at its offsets, re-anchored by quote
   and context (:func:`reader.store.anchor.reanchor`) when it moved, orphaned
   when it is gone. Without the document's text it is kept as it came
   (*unchecked*); the store re-anchors it when the document is next opened.
3. :func:`import_into` writes them, one write per document and annotator: an id
   already in the store with the same content (dates aside) is kept once
   (*unchanged*); with other content, the newer ``updated`` wins (*updated*); a new
   id is *added*. A theme key the store does not know is kept, and reported.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.corpus import Document
from reader.errors import ReaderError, StoreError, UsageError
from reader.export import w3c
from reader.export.records import JSON_FORMAT, JSON_VERSION, RecordError, from_record, theme_record
from reader.nesting import MAX_RECORD_DEPTH, too_deep
from reader.store import ORPHANED, REANCHORED, Annotation, Store
from reader.store.anchor import reanchor
from reader.store.model import context
from reader.store.storage import atomic_write
from reader.store.themes import THEMES_FILE, default_themes, load_themes

#: Rejections listed one by one; beyond this only counted.
MAX_LISTED = 20


@dataclass
class Parsed:
    """What a file held: its format, the annotations, and why the others were rejected."""

    fmt: str
    annotations: list[Annotation] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    duplicates: int = 0
    """Records whose id came again later in the file (the newest one is kept)."""
    themes: list[Any] | None = None
    """The theme set of a ``json`` export (raw), to adopt when the store has none."""


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", path) from None
    except IsADirectoryError:
        raise UsageError("is a directory, not an export", path) from None
    except OSError as exc:
        raise UsageError(exc.strerror or "cannot read", path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"not UTF-8 (byte {exc.start})", path) from None


def parse(path: Path) -> Parsed:
    """Read an export file of any importable format.

    Raises:
        UsageError: the file is unreadable, not UTF-8, or neither json, jsonl nor w3c.
    """
    path = Path(path)
    text = _decode(path)
    if not text.strip():
        raise UsageError("empty file, not an export", path)
    try:
        whole: Any = json.loads(text)
    except ValueError:  # not one JSON value (or a number longer than int() takes): lines
        whole = None
        lines = True
    except RecursionError:
        raise UsageError("JSON nested too deeply", path) from None
    else:
        lines = False
    if lines:
        parsed = _parse_lines(text, path)
    elif isinstance(whole, Mapping) and whole.get("format") == JSON_FORMAT:
        version = whole.get("version")
        if not isinstance(version, int) or version > JSON_VERSION:
            raise UsageError(f"json export version {version!r:.20} is not supported", path)
        records = whole.get("annotations")
        if not isinstance(records, list):
            raise UsageError("json export without an annotations list", path)
        parsed = Parsed(
            "json", themes=whole.get("themes") if isinstance(whole.get("themes"), list) else None
        )
        _add(parsed, ((f"annotation {i}", r) for i, r in enumerate(records, 1)), from_record)
    elif w3c.is_w3c(whole):
        parsed = Parsed("w3c")
        _add(
            parsed,
            ((f"annotation {i}", r) for i, r in enumerate(w3c.items(whole), 1)),
            w3c.from_w3c,
        )
    elif isinstance(whole, Mapping) and "quote" in whole:
        parsed = Parsed("jsonl")  # a jsonl file of a single line
        _add(parsed, [("line 1", whole)], from_record)
    else:
        raise UsageError("not a json, jsonl or w3c export of reader annotations", path)
    return _dedupe(parsed)


def _parse_lines(text: str, path: Path) -> Parsed:
    """A ``jsonl`` file: each line parsed and converted in turn (200,000 records' dicts are
    never all held at once); the lines that are not JSON are listed first, as found."""
    parsed = Parsed("jsonl")
    not_json: list[str] = []
    found = 0
    for number, line in _numbered_lines(text):
        if not line.strip():
            continue
        try:
            record = _loads_line(line)
        except json.JSONDecodeError:
            not_json.append(f"line {number}: not valid JSON")
            continue
        except RecursionError:
            not_json.append(f"line {number}: not valid JSON (nested too deeply)")
            continue
        except ValueError:  # a number of more digits than int() takes
            not_json.append(f"line {number}: not valid JSON (a number too long to read)")
            continue
        found += 1
        convert = (
            w3c.from_w3c if isinstance(record, Mapping) and w3c.is_w3c(record) else from_record
        )
        _add(parsed, [(f"line {number}", record)], convert)
    if not found:
        raise UsageError("not a json, jsonl or w3c export (no JSON record found)", path)
    parsed.rejected[:0] = not_json
    return parsed


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """``enumerate(text.split("\n"), 1)``, without the list of every line at once."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield number, text[start:]
            return
        yield number, text[start:end]
        start, number = end + 1, number + 1


_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _loads_line(line: str) -> Any:
    """``json.loads(line)``, a third quicker for a line that is one JSON value and nothing
    else (what every line of an export is): the C scanner called directly. Anything else
    (whitespace around it, more after it, an error) is left to ``json.loads``."""
    try:
        value, end = _scan(line, 0)
    except StopIteration:
        return json.loads(line)
    return value if end == len(line) else json.loads(line)


def _add(parsed: Parsed, items: Iterable[tuple[str, Any]], convert: Any) -> None:
    for where, record in items:
        if too_deep(record):  # it would overflow the stack when written back
            parsed.rejected.append(f"{where}: nested more than {MAX_RECORD_DEPTH} levels deep")
            continue
        try:
            parsed.annotations.append(convert(record))
        except (RecordError, TypeError) as exc:
            parsed.rejected.append(f"{where}: {exc}")


def _dedupe(parsed: Parsed) -> Parsed:
    newest: dict[str, Annotation] = {}
    for ann in parsed.annotations:
        held = newest.get(ann.id)
        if held is None or ann.updated >= held.updated:
            newest[ann.id] = ann
    parsed.duplicates = len(parsed.annotations) - len(newest)
    parsed.annotations = list(newest.values())
    return parsed


def check(ann: Annotation, doc: Document | None) -> Annotation:
    """``ann`` set against ``doc``'s text: as it is, re-anchored, or orphaned."""
    if doc is None:
        return ann
    text = doc.text
    if ann.end <= len(text) and text[ann.start : ann.end] == ann.quote:
        if ann.doc_sha256 == doc.sha256 and ann.status != ORPHANED:
            return ann
        _, prefix, suffix = context(text, ann.start, ann.end)
        status = ann.status if ann.status != ORPHANED else REANCHORED
        return ann.copy(prefix=prefix, suffix=suffix, doc_sha256=doc.sha256, status=status)
    return reanchor(ann, text, doc.sha256)


def themes_toml(themes: list[Any]) -> str:
    """A theme list of a ``json`` export as a ``themes.toml`` text (not yet checked)."""
    blocks = []
    for theme in themes:
        if not isinstance(theme, Mapping):
            continue
        lines = ["[[theme]]"]
        for name in ("key", "label_en", "label_ar", "color", "digit"):
            # JSON string escapes are valid TOML basic-string escapes.
            lines.append(f"{name} = {json.dumps(str(theme.get(name, '')), ensure_ascii=False)}")
        terms = theme.get("terms")
        if isinstance(terms, list):
            lines.append(f"terms = {json.dumps([str(t) for t in terms], ensure_ascii=False)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def adopt_themes(store_dir: Path, parsed: Parsed, problems: list[str] | None = None) -> Path | None:
    """Give a store without a theme file the theme set of the imported ``json`` export.

    That makes ``json`` → import into an empty store → ``json`` the same store
    state. A store that has its own ``themes.toml`` keeps it (unknown keys in
    the imported annotations are then kept and reported, as on loading). A colour
    that cannot be drawn is written as the default that replaces it (never as it
    came: every later start would meet it), and the line saying so is added to
    ``problems``.

    Returns:
        The theme file written, or None.

    Raises:
        StoreError: the export's theme set is not a valid theme file (nothing written).
    """
    target = Path(store_dir) / THEMES_FILE
    if not parsed.themes or target.exists():
        return None
    text = themes_toml(parsed.themes)
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / THEMES_FILE).write_text(text, encoding="utf-8")
        try:
            theme_set = load_themes(Path(scratch))
        except StoreError as exc:
            raise StoreError(f"the export's theme set is not valid: {exc.reason}") from None
    if [theme_record(t) for t in theme_set] == [theme_record(t) for t in default_themes()]:
        return None  # the defaults apply anyway: no file needed
    if theme_set.problems:
        text = themes_toml([theme_record(t) for t in theme_set])
        if problems is not None:
            problems += (
                f"the export's theme set: {p.split(': ', 1)[-1]}" for p in theme_set.problems
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text.encode("utf-8"), backup=False)
    return target


@dataclass
class Summary:
    """What an import did, counted; :meth:`line` is the line the command prints."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reanchored: int = 0
    orphaned: int = 0
    rejected: int = 0
    unchecked: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"re-anchored {self.reanchored}, orphaned {self.orphaned}, rejected {self.rejected}"
        )
        if self.unchecked:
            text += f" ({self.unchecked} not checked: document text not found)"
        return text


def _same(a: Annotation, b: Annotation) -> bool:
    """Same content: dates alone (an import without them gets today's) do not count."""
    return a.copy(created="", updated="") == b.copy(created="", updated="")


def import_into(
    store: Store,
    parsed: Parsed,
    documents: Mapping[str, Document],
    progress: Callable[[int, int], object] | None = None,
) -> Summary:
    """Check and write ``parsed.annotations`` into ``store``; count what happened.

    One write per document and annotator (:meth:`Store.put_many`), not one per record:
    200,000 records into one document take seconds, not hours. ``progress(done, total)``
    is called after each document written.
    """
    summary = Summary(unchanged=parsed.duplicates, rejected=len(parsed.rejected))
    summary.problems.extend(parsed.rejected)
    held = {ann.id: ann for ann in store.all_annotations()}  # every id of the store, once
    by_doc: dict[str, list[tuple[Annotation, Annotation]]] = {}
    for ann in parsed.annotations:
        checked = check(ann, documents.get(ann.doc))
        before = held.get(ann.id)
        if before is not None and before.doc != ann.doc:
            summary.rejected += 1
            summary.problems.append(f"{ann.id}: id already used in {before.doc}")
        elif before is not None and (_same(before, checked) or before.updated > checked.updated):
            summary.unchanged += 1
        else:
            by_doc.setdefault(ann.doc, []).append((ann, checked))
    total, done = sum(len(pairs) for pairs in by_doc.values()), 0
    for rel in sorted(by_doc):
        pairs = by_doc[rel]
        try:
            refused = store.put_many(rel, [checked for _, checked in pairs])
        except ReaderError as exc:
            refused = {ann.id: str(exc) for ann, _ in pairs}
        for ann, checked in pairs:
            if ann.id in refused:
                summary.rejected += 1
                summary.problems.append(f"{ann.id}: {refused[ann.id]}")
                continue
            if ann.id in held:
                summary.updated += 1
            else:
                summary.added += 1
            doc = documents.get(ann.doc)
            if doc is None:
                summary.unchecked += 1
            elif checked.status == ORPHANED:
                summary.orphaned += 1
            elif (checked.start, checked.end) != (ann.start, ann.end):
                summary.reanchored += 1
        done += len(pairs)
        if progress is not None:
            progress(done, total)
    return summary
