"""Applying another tool's project to the store, all or nothing.

:func:`plan` decides everything before anything is written — which corpus
document each source is (the same path, else the same text; otherwise a new
document in the folder the user named), which theme each used code is (the key
our own exports name, a theme of the same key, GUID or name, else a new theme
with a free digit and a distinct colour), and the annotation of each selection,
re-anchored against our copy of the text when it differs. :func:`apply` then
writes the new documents, the theme file and the annotations; if anything
fails on the way, every annotation written is undone, the theme file restored
and the new documents removed.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from reader.colors import free_color
from reader.corpus import Document
from reader.errors import ReaderError, StoreError, UsageError
from reader.exchange.ids import guid
from reader.exchange.model import Code, Foreign, Source
from reader.export.html import css_color
from reader.export.importer import Parsed, Summary, check, import_into, themes_toml
from reader.export.records import theme_record, visible
from reader.export.sources import Corpus
from reader.store import Annotation, Store, Theme, ThemeSet, default_themes, load_themes
from reader.store.model import context, now_iso
from reader.store.storage import atomic_write
from reader.store.themes import DIGITS, THEMES_FILE

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


@dataclass
class Plan:
    """What an import will write."""

    annotations: list[Annotation] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    new_documents: list[tuple[Path, Document]] = field(default_factory=list)
    new_themes: list[Theme] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    attached: int = 0


def plan(
    foreign: Foreign,
    themes: ThemeSet,
    corpus: Corpus,
    roots: Sequence[Path],
    into: Path | None,
    annotator: str,
) -> Plan:
    """Decide every document, theme and annotation of the import; write nothing.

    Raises:
        UsageError: sources not in the corpus and no ``into`` folder (or one
            outside the corpus).
    """
    result = Plan(themes=list(themes))
    keys = _theme_keys(foreign, themes, result)
    located = _locate(foreign.sources, corpus, roots, into, result)
    stamp = now_iso()
    for source, doc in located:
        for sel in source.selections:
            quote, prefix, suffix = context(source.text, sel.start, sel.end)
            ann = Annotation(
                id=sel.id,
                doc=doc.rel,
                doc_sha256=doc.sha256 if source.text == doc.text else "",
                start=sel.start,
                end=sel.end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                themes=list(dict.fromkeys(keys[c] for c in sel.codes)),
                note=sel.note,
                annotator=sel.annotator or annotator,
                created=sel.created or stamp,
                updated=sel.updated or sel.created or stamp,
            )
            result.annotations.append(check(ann, doc))
    return result


# --- documents -----------------------------------------------------------------


def _locate(
    sources: list[Source], corpus: Corpus, roots: Sequence[Path], into: Path | None, result: Plan
) -> list[tuple[Source, Document]]:
    """Each source with the corpus document it is, or a new one to write under ``into``."""
    by_name: dict[str, str] = {}
    for key in corpus.entries:
        by_name.setdefault(key, key)
        by_name.setdefault(key.rsplit("/", 1)[-1], key)
        by_name.setdefault(key.rsplit("/", 1)[-1].removesuffix(".txt"), key)
    by_text: dict[str, str] | None = None
    located: list[tuple[Source, Document]] = []
    new: list[Source] = []
    for source in sources:
        if not source.selections:
            continue
        rel: str | None = by_name.get(source.path_hint) or by_name.get(source.name)
        if rel is None:
            if by_text is None:  # read the corpus only when a name did not tell
                by_text = {doc.sha256: r for r, doc in corpus.load(corpus.entries).items()}
            rel = by_text.get(Document(Path(), "", source.text, "", 0).sha256)
        doc = corpus.load([rel]).get(rel) if rel is not None else None
        if doc is None:
            new.append(source)
            continue
        result.documents[doc.rel] = doc
        result.attached += 1
        located.append((source, doc))
    if new:
        folder, prefix = _into(into, roots, len(new))
        taken = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        for source in new:
            name = _file_name(source, taken)
            taken.add(name)
            doc = Document(folder / name, prefix + name, source.text, "utf-8", 0)
            result.new_documents.append((folder / name, doc))
            result.documents[doc.rel] = doc
            located.append((source, doc))
    return located


def _into(into: Path | None, roots: Sequence[Path], count: int) -> tuple[Path, str]:
    """The folder for new documents and the store-key prefix of its files."""
    if into is None:
        raise UsageError(
            f"{count} source(s) are not documents of the corpus: name a folder inside the"
            " corpus for them with --into FOLDER"
        )
    folder = into.resolve()
    for root in roots:
        base = root.resolve()
        if base.is_dir() and folder.is_relative_to(base):
            inside = folder.relative_to(base).as_posix()
            return folder, "" if inside == "." else inside + "/"
    shown = ", ".join(str(r) for r in roots) or "none given"
    raise UsageError(f"--into must be a folder inside the corpus ({shown})", into)


def _file_name(source: Source, taken: set[str]) -> str:
    """A safe, free file name for a new document, from the source's name."""
    stem = unicodedata.normalize("NFC", source.name).rsplit("/", 1)[-1].removesuffix(".txt")
    stem = re.sub(r"[^\w.\- ]+", "_", stem).strip(" ._")[:80] or "source"
    name = stem + ".txt"
    if name in taken:
        name = f"{stem}-{source.guid[:8]}.txt"
    number = 2
    while name in taken:
        name, number = f"{stem}-{number}.txt", number + 1
    return name


# --- themes --------------------------------------------------------------------


def _theme_keys(foreign: Foreign, themes: ThemeSet, result: Plan) -> dict[str, str]:
    """Code GUID → theme key, for the codes the selections use; new themes go to ``result``."""
    used = dict.fromkeys(c for s in foreign.sources for sel in s.selections for c in sel.codes)
    by_guid = {guid("code", t.key): t.key for t in themes}
    by_name: dict[str, str] = {}
    for theme in themes:
        for name in (theme.key, theme.label_en, theme.label_ar):
            by_name.setdefault(name.casefold(), theme.key)
    keys: dict[str, str] = {}
    taken = set(themes.keys())
    for code_guid in used:
        code = foreign.codes[code_guid]
        key = code.key if _KEY.fullmatch(code.key) else ""
        key = key or by_guid.get(code_guid) or by_name.get(code.name.casefold(), "")
        if not key or key not in taken:
            key = key or _new_key(code, taken)
            theme = _new_theme(code, key, result.themes)
            result.new_themes.append(theme)
            result.themes.append(theme)
            taken.add(key)
            by_name.setdefault(code.name.casefold(), key)
        keys[code_guid] = key
    return keys


def _new_key(code: Code, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", code.name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-_")[:28].strip("-_")
    base = base or "code-" + code.guid[:8]
    key, number = base, 2
    while key in taken:
        key, number = f"{base[:28]}-{number}", number + 1
    return key


def _new_theme(code: Code, key: str, themes: list[Theme]) -> Theme:
    digits = {t.digit for t in themes}
    digit = next((d for d in DIGITS if d not in digits), "")
    label = " ".join(visible(code.name).split())[:80] or key
    arabic = next(
        (line for line in (code.description, code.name) if _has_arabic(line)), label
    ).split("\n", 1)[0]
    arabic = " ".join(visible(arabic).split())[:80] or label
    return Theme(key, label, arabic, _color(code.color, themes), digit)


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _color(given: str, themes: list[Theme]) -> str:
    """The code's own colour when it is one and no theme has it; else a free one."""
    used = {css_color(t.color) for t in themes}
    if _HEX.fullmatch(given.strip()):
        hex_ = given.strip().lower()
        if len(hex_) == 4:
            hex_ = "#" + "".join(ch * 2 for ch in hex_[1:])
        if hex_ not in used:
            return hex_
    return free_color([t.color for t in themes])


# --- writing -------------------------------------------------------------------


def apply(planned: Plan, store_dir: Path, fmt: str, annotator: str) -> Summary:
    """Write the plan: new documents, the theme file, the annotations — or nothing.

    Raises:
        ReaderError: something could not be written; everything written is undone first.
    """
    theme_file = Path(store_dir) / THEMES_FILE
    old_themes = theme_file.read_bytes() if theme_file.is_file() else None
    written: list[Path] = []
    store: Store | None = None
    try:
        for path, doc in planned.new_documents:
            if path.exists():
                raise UsageError("appeared while importing: nothing written", path)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, doc.text.encode("utf-8"), backup=False)
            written.append(path)
        if planned.new_themes:
            _write_themes(theme_file, planned.themes)
        store = Store(Path(store_dir), annotator)
        parsed = Parsed(fmt, annotations=planned.annotations)
        try:
            return import_into(cast(Store, _Strict(store)), parsed, planned.documents)
        except _Abort as abort:
            raise abort.error from None
    except BaseException:
        if store is not None:
            while store.can_undo and store.undo():
                pass
        if planned.new_themes:
            with contextlib.suppress(OSError):
                if old_themes is None:
                    theme_file.unlink(missing_ok=True)
                else:
                    atomic_write(theme_file, old_themes, backup=False)
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    finally:
        if store is not None:
            store.close()


class _Abort(Exception):
    """A write failed: the whole import is undone (not just that record rejected)."""

    def __init__(self, error: ReaderError) -> None:
        super().__init__(str(error))
        self.error = error


class _Strict:
    """The store as :func:`import_into` sees it, but a failed write aborts the import."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def put(self, ann: Annotation) -> Annotation | None:
        try:
            return self._store.put(ann)
        except ReaderError as exc:
            raise _Abort(exc) from exc

    def put_many(self, doc_rel: str, anns: list[Annotation]) -> dict[str, str]:
        """What import_into writes with (a document at a time): a refusal aborts too."""
        try:
            refused = self._store.put_many(doc_rel, anns)
        except ReaderError as exc:
            raise _Abort(exc) from exc
        if refused:
            ann_id, why = next(iter(refused.items()))
            raise _Abort(StoreError(f"{ann_id}: {why}", self._store.root))
        return refused


def _write_themes(target: Path, themes: list[Theme]) -> None:
    """The theme file with the new themes, checked by the loader before it replaces the old."""
    lexicon = {t.key: t.terms for t in default_themes()}
    records = [theme_record(t) for t in themes]
    for record, theme in zip(records, themes, strict=True):
        if theme.terms == lexicon.get(theme.key):  # the shipped lexicon: left to follow it
            record["terms"] = None
    text = themes_toml(records)
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / THEMES_FILE).write_text(text, encoding="utf-8")
        load_themes(Path(scratch))  # a StoreError here: nothing written yet
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text.encode("utf-8"), backup=True)


# --- the command -----------------------------------------------------------------


def is_exchange(path: Path) -> bool:
    """Whether ``reader import`` reads ``path`` as a qdpx/qde project or a brat folder."""
    path = Path(path)
    if path.is_dir():
        return True
    if path.suffix.lower() in (".qdpx", ".qde"):
        return True
    try:
        with open(path, "rb") as stream:
            head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith((b"PK\x03\x04", b"<"))


def run_exchange(
    path: Path,
    store_dir: Path,
    corpus_args: list[Path] | None,
    into: Path | None,
    warn: Callable[[Iterable[str]], None],
) -> int:
    """``reader import`` of a qdpx/qde or brat folder; prints the summary, returns the status."""
    from reader.commands._store_args import open_corpus
    from reader.exchange import brat_in, qdpx_in
    from reader.export.importer import MAX_LISTED
    from reader.export.sources import corpus_paths
    from reader.store import default_annotator

    foreign = brat_in.read(path) if Path(path).is_dir() else qdpx_in.read(path)
    corpus = open_corpus(corpus_args, [store_dir])
    annotator = default_annotator()
    roots = corpus_paths(corpus_args, [store_dir])
    planned = plan(foreign, load_themes(store_dir), corpus, roots, into, annotator)
    summary = apply(planned, store_dir, foreign.fmt, annotator)
    shown = visible(str(path))
    warn(corpus.problems)
    warn(f"{shown}: {line}" for line in foreign.unmapped)
    rejected = foreign.rejected + summary.problems
    warn(f"{shown}: rejected {line}" for line in rejected[:MAX_LISTED])
    if len(rejected) > MAX_LISTED:
        warn([f"{shown}: … and {len(rejected) - MAX_LISTED} more rejected"])
    for doc_path, _ in planned.new_documents:
        print(f"{shown}: new document {visible(str(doc_path))}")
    if planned.new_themes:
        keyed = [f"{t.key} ({t.digit})" for t in planned.new_themes if t.digit]
        rest = len(planned.new_themes) - len(keyed)
        listed = ", ".join(keyed + ([f"{rest} more without a key"] if rest else []))
        print(f"{shown}: {len(planned.new_themes)} new theme(s) in themes.toml: {listed}")
    origin = f", {visible(foreign.origin)}" if foreign.origin and foreign.origin != "brat" else ""
    summary.rejected += len(foreign.rejected)
    print(f"{shown}: {summary.line()} ({foreign.fmt}{origin})")
    return 1 if summary.rejected else 0
