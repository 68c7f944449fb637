"""Gold sets for the suggestion benches: loading, sentence labels, counting, simulated stores.

A gold file is JSON Lines of store records (``reader export --format jsonl`` writes
them; ``tests/data/gold/seeds_gold.jsonl`` is one): each needs ``doc``, ``start``,
``end`` and ``themes``. Sentences without a record have no theme. The documents
are looked up by ``doc`` under ``--docs``, else beside the gold file, in its
``docs/`` folder, or in ``seeds/``. A gold set labels every sentence of every
document in the folders its documents are in, so the other ``.txt`` files there are
read too: a distractor document with no record is all negatives, and leaving it out
would flatter precision. Every sentence of those documents is a unit; a sentence
takes the themes of the records that cover at least half of it (or that it covers
at least half of), so a gold set cut into sentences by another splitter still
lines up.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.corpus import Document, Span, read_document  # noqa: E402
from reader.errors import ReaderError  # noqa: E402
from reader.store.model import ANCHORED, Annotation  # noqa: E402


class GoldError(Exception):
    """One line naming the file and what is wrong with it."""


@dataclass(frozen=True)
class Unit:
    """A sentence of a gold document and its gold themes."""

    doc: str
    span: Span
    themes: frozenset[str]


@dataclass
class Gold:
    path: Path
    documents: dict[str, Document]
    units: list[Unit]
    sets: dict[str, list[str]] = field(default_factory=dict)
    """Gold file name → the documents it brought (one entry for a single file)."""

    def of(self, doc: str) -> list[Unit]:
        return [u for u in self.units if u.doc == doc]


def _find(name: str, gold: Path, docs: Path | None) -> Path:
    places = [docs] if docs else [gold.parent, gold.parent / "docs", REPO / "seeds"]
    for place in places:
        if place is not None and (place / name).is_file():
            return place / name
    raise GoldError(f"{gold}: document {name!r} not found (tried {', '.join(map(str, places))})")


def load(path: Path, docs: Path | None = None) -> Gold:
    """Read a gold file and its documents; a bad file is a :class:`GoldError`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    records: list[tuple[str, int, int, tuple[str, ...]]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            doc, start, end, themes = rec["doc"], rec["start"], rec["end"], rec["themes"]
            if not (isinstance(doc, str) and isinstance(start, int) and isinstance(end, int)):
                raise TypeError
            if not (isinstance(themes, list) and all(isinstance(t, str) for t in themes)):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise GoldError(f"{path}:{number}: not a record with doc, start, end, themes") from None
        records.append((doc, start, end, tuple(themes)))
    if not records:
        raise GoldError(f"{path}: no records")
    found = {doc: _find(doc, path, docs) for doc in sorted({r[0] for r in records})}
    for folder in sorted({p.parent for p in found.values()}):
        for other in sorted(folder.glob("*.txt")):
            found.setdefault(other.name, other)
    documents: dict[str, Document] = {}
    for doc, where in sorted(found.items()):
        try:
            documents[doc] = read_document(where)
        except ReaderError as exc:
            raise GoldError(str(exc)) from None
    units: list[Unit] = []
    for rel, document in documents.items():
        mine = [r for r in records if r[0] == rel]
        for span in document.all_sentences():
            themes: set[str] = set()
            for _, start, end, tags in mine:
                overlap = min(end, span.end) - max(start, span.start)
                if overlap > 0 and 2 * overlap >= min(end - start, span.end - span.start):
                    themes.update(tags)
            units.append(Unit(rel, span, frozenset(themes)))
    return Gold(path, documents, units, {path.name: sorted(documents)})


#: The gold sets the benches use by default: the seeds and the development set (the
#: first held-out set, read and tuned on since; tests/data/gold/README.md).
DEFAULT_GOLD = (
    REPO / "tests/data/gold/seeds_gold.jsonl",
    REPO / "tests/data/gold/heldout/heldout_gold.jsonl",
)


def load_all(paths: Sequence[Path], docs: Path | None = None) -> Gold:
    """Several gold files as one set (their documents must not share a name)."""
    golds = [load(path, docs) for path in paths]
    merged = Gold(golds[0].path, {}, [], {})
    for gold in golds:
        clash = sorted(set(gold.documents) & set(merged.documents))
        if clash:
            raise GoldError(f"{gold.path}: document {clash[0]!r} is in another gold set too")
        merged.documents.update(gold.documents)
        merged.units.extend(gold.units)
        merged.sets.update(gold.sets)
    return merged


def themes_of(gold: Gold) -> list[str]:
    seen: dict[str, None] = {}
    for unit in gold.units:
        for theme in sorted(unit.themes):
            seen.setdefault(theme)
    return list(seen)


Counts = dict[str, list[int]]
"""Theme → [true positives, false positives, false negatives]."""


def count(
    units: Iterable[Unit], predicted: dict[tuple[str, int, int], set[str]], themes: Sequence[str]
) -> Counts:
    out: Counts = {t: [0, 0, 0] for t in themes}
    for unit in units:
        said = predicted.get((unit.doc, unit.span.start, unit.span.end), set())
        for theme in themes:
            if theme in said and theme in unit.themes:
                out[theme][0] += 1
            elif theme in said:
                out[theme][1] += 1
            elif theme in unit.themes:
                out[theme][2] += 1
    return out


def prf(c: Sequence[int]) -> tuple[float, float, float]:
    tp, fp, fn = c
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def tagged_until(gold: Gold, docs: Sequence[str], k: int | None) -> list[Annotation]:
    """The store of an analyst who read ``docs`` in order and tagged the gold sentences.

    ``k`` stops after that many tagged sentences (None: every one). Each tag is an
    annotation on the sentence with its gold themes, as accepting a suggestion or
    pressing the digits would make it.
    """
    out: list[Annotation] = []
    for rel in docs:
        document = gold.documents[rel]
        for unit in gold.of(rel):
            if not unit.themes:
                continue
            if k is not None and len(out) >= k:
                return out
            start, end = unit.span.start, unit.span.end
            out.append(
                Annotation(
                    id=f"{rel}:{start}", doc=rel, doc_sha256=document.sha256, start=start,
                    end=end, quote=document.text[start:end], prefix="", suffix="",
                    themes=sorted(unit.themes), note="", annotator="gold", created="",
                    updated="", status=ANCHORED,
                )
            )  # fmt: skip
    return out
