"""Finding the documents an export, import or statistics run needs, by their store key.

The store knows a document by its path relative to the corpus root (``rel``),
not by where the corpus is, so the commands take the corpus folders (``--corpus``;
else the folders the store remembers its documents were tagged from; else ``seeds/``
as the app has it) and look the keys up there.
Only the documents actually needed are read; one that is missing or unreadable
is reported and left out (its passages are still exported, from their quotes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus import Document, Entry, collect
from reader.errors import DocumentError, UsageError

#: The corpus the app opens when given none.
DEFAULT_CORPUS = Path("seeds")


@dataclass
class Corpus:
    """The files of the corpus folders, by ``rel``; documents read on demand."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, paths: Sequence[Path], *, strict: bool = True) -> Corpus:
        """Walk ``paths``; with ``strict``, a path that is not there is an error.

        Raises:
            DocumentError: one line naming the first path that cannot be a corpus.
        """
        entries, problems = collect(paths)
        if strict and problems:
            raise DocumentError(problems[0].reason, problems[0].path)
        corpus = cls({}, [str(p) for p in problems])
        for entry in entries:
            corpus.entries.setdefault(entry.rel, entry)  # first root wins on a clash
        return corpus

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Corpus:
        """A corpus of files already collected (the app's library)."""
        corpus = cls()
        for entry in entries:
            corpus.entries.setdefault(entry.rel, entry)
        return corpus

    @classmethod
    def for_app(cls, entries: Iterable[Entry] | None) -> Corpus:
        """The app's library when it is known, else the default corpus if present."""
        if entries is not None:
            return cls.from_entries(entries)
        return cls.open(corpus_paths(None), strict=False)

    def load(self, rels: Iterable[str]) -> dict[str, Document]:
        """The documents among ``rels`` that exist and read; the others go to :attr:`problems`."""
        found: dict[str, Document] = {}
        for rel in sorted(set(rels)):
            entry = self.entries.get(rel)
            if entry is None:
                continue
            try:
                found[rel] = entry.load()
            except DocumentError as exc:
                self.problems.append(str(exc))
        return found

    def doc_keys(self, wanted: Sequence[str], known: Iterable[str]) -> set[str]:
        """The store keys named by ``--doc`` arguments.

        Each may be a store key itself, a file or folder of the corpus, or a
        file's name. ``known`` are the keys the store holds.

        Raises:
            UsageError: an argument that names no document of the store or corpus.
        """
        known = set(known) | set(self.entries)
        by_path = {entry.path: rel for rel, entry in self.entries.items()}
        keys: set[str] = set()
        for arg in wanted:
            path = Path(arg)
            matched: set[str] = set()
            if arg in known:
                matched.add(arg)
            elif path.is_dir():
                folder = path.resolve()
                matched = {rel for p, rel in by_path.items() if p.is_relative_to(folder)}
            elif path.is_file():
                rel = by_path.get(path.resolve())
                matched = {rel} if rel else ({path.name} & known)
            else:
                matched = {rel for rel in known if rel.rsplit("/", 1)[-1] == arg}
            if not matched:
                raise UsageError("--doc: no such document in the store or the corpus", arg)
            keys |= matched
        return keys


def corpus_paths(given: Sequence[Path] | None, stores: Sequence[Path] = ()) -> list[Path]:
    """``--corpus`` as given; else the corpus folders the stores remember (their documents
    were tagged from them: :mod:`reader.store.corpus_memory`), wherever the command is run
    from; else the default corpus when it exists here."""
    if given:
        return list(given)
    from reader.store.corpus_memory import remembered_folders

    remembered: list[Path] = []
    for store in stores:
        remembered += [p for p in remembered_folders(store) if p not in remembered]
    if remembered:
        return remembered
    return [DEFAULT_CORPUS] if DEFAULT_CORPUS.is_dir() else []
