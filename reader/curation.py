"""Curating two annotators' tags of one document into a curated store, one place at a time.

Pure logic for the curation screen (no Textual). The two annotators' annotations of a
document are grouped into *items*: the places where their tags meet — every annotation
that overlaps another one is in the same item, whoever made it. An item is *agreed* when
both made exactly the same passages with the same themes there; otherwise it is a
*disagreement*, and the curator takes A's passages, B's, both, or neither.

What is taken goes into the curated store as the curator's records (the records
``reader merge`` makes): same span, themes and notes, an id derived from the source
ids — so the state of an item can be read back from the store, taking the same thing
twice writes nothing, and curating on another day starts where it stopped. Each
decision is undoable: :class:`Curation` keeps its own history of decisions (one
decision may delete some records and put others) and replays it backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.merge import curated, curated_id
from reader.store import ORPHANED, Annotation, Store

#: The curator's choices for an item, and the keys' words for them.
A, B, BOTH, NEITHER, AGREED = "A", "B", "both", "neither", "agreed"
CHOICES = (A, B, BOTH, NEITHER)


def _shape(anns: Iterable[Annotation]) -> list[tuple[int, int, frozenset[str]]]:
    return sorted((a.start, a.end, frozenset(a.themes)) for a in anns)


@dataclass(frozen=True)
class Item:
    """One place where the annotators' tags meet: A's and B's annotations there."""

    start: int
    end: int
    a: tuple[Annotation, ...]
    b: tuple[Annotation, ...]

    @property
    def agreed(self) -> bool:
        """Both made the same passages with the same themes here."""
        return bool(self.a) and _shape(self.a) == _shape(self.b)

    def pairs(self) -> list[tuple[Annotation, Annotation]]:
        """An agreed item's passages, A's with the B's that matches it."""
        by_shape = {(x.start, x.end, frozenset(x.themes)): x for x in self.b}
        return [(x, by_shape[(x.start, x.end, frozenset(x.themes))]) for x in self.a]

    def records(self, choice: str, curator: str) -> list[Annotation]:
        """The curated records of ``choice`` (A, B, both, neither, or agreed)."""
        if choice == AGREED:
            return [curated(pair, pair[0].themes, curator) for pair in self.pairs()]
        taken = {A: self.a, B: self.b, BOTH: self.a + self.b}.get(choice, ())
        return [curated([ann], ann.themes, curator) for ann in taken]

    def all_ids(self) -> set[str]:
        """Every record id any choice here could write."""
        ids = {curated_id([ann]) for ann in self.a + self.b}
        if self.agreed:
            ids |= {curated_id(pair) for pair in self.pairs()}
        return ids


def items(a: Iterable[Annotation], b: Iterable[Annotation]) -> list[Item]:
    """The places where A's and B's tags meet, in reading order (orphaned ones left out)."""
    tagged = sorted(
        [(x, True) for x in a if x.status != ORPHANED]
        + [(x, False) for x in b if x.status != ORPHANED],
        key=lambda pair: (pair[0].start, pair[0].end, pair[0].id),
    )
    found: list[Item] = []
    group: list[tuple[Annotation, bool]] = []
    reach = -1
    for pair in tagged:
        ann = pair[0]
        if group and ann.start >= reach:  # nothing so far reaches it: a new place
            found.append(_item(group))
            group, reach = [], -1
        group.append(pair)
        reach = max(reach, ann.end)
    if group:
        found.append(_item(group))
    return found


def _item(group: list[tuple[Annotation, bool]]) -> Item:
    return Item(
        min(ann.start for ann, _ in group),
        max(ann.end for ann, _ in group),
        tuple(ann for ann, mine in group if mine),
        tuple(ann for ann, mine in group if not mine),
    )


@dataclass
class Decision:
    """One step of the history: item ``index`` went from one choice to another."""

    index: int
    before: str | None
    after: str | None


@dataclass
class Curation:
    """Two annotators' items of one document, and what the curated store holds of them."""

    store: Store
    """The curated store, opened as the curator."""
    doc: str
    items: list[Item]
    undone: list[Decision] = field(default_factory=list)
    done: list[Decision] = field(default_factory=list)

    @property
    def curator(self) -> str:
        return self.store.annotator

    @property
    def disagreements(self) -> list[int]:
        """Indexes of the items where the annotators disagree."""
        return [i for i, item in enumerate(self.items) if not item.agreed]

    def _held(self, item: Item) -> set[str]:
        ids = item.all_ids()
        return {ann.id for ann in self.store.annotations(self.doc) if ann.id in ids}

    def choice(self, index: int) -> str | None:
        """What the curated store holds of item ``index`` (None: nothing taken)."""
        item = self.items[index]
        held = self._held(item)
        if not held:
            return None
        options = [AGREED] if item.agreed else []
        for choice in (*options, A, B, BOTH):
            if held == {r.id for r in item.records(choice, self.curator)}:
                return choice
        return "partly"  # edited elsewhere: some of a choice's records only

    def _apply(self, index: int, choice: str | None) -> None:
        item = self.items[index]
        wanted = item.records(choice, self.curator) if choice else []
        keep = {r.id for r in wanted}
        for ann_id in self._held(item) - keep:
            self.store.delete(ann_id)
        for record in wanted:
            held = self.store.get(record.id)
            if held is None or (held.themes, held.note) != (record.themes, record.note):
                self.store.put(record)

    def decide(self, index: int, choice: str) -> None:
        """Take ``choice`` for item ``index`` (written at once; undoable)."""
        before = self.choice(index)
        after = None if choice == NEITHER else choice
        if before == after:
            return
        self._apply(index, after)
        self.done.append(Decision(index, before, after))
        self.undone.clear()

    def take_agreements(self) -> int:
        """Take every agreed item not taken yet, each as one decision; how many."""
        count = 0
        for index, item in enumerate(self.items):
            if item.agreed and self.choice(index) is None:
                self.decide(index, AGREED)
                count += 1
        return count

    def undo(self) -> Decision | None:
        if not self.done:
            return None
        step = self.done.pop()
        self._apply(step.index, None if step.before == "partly" else step.before)
        self.undone.append(step)
        return step

    def redo(self) -> Decision | None:
        if not self.undone:
            return None
        step = self.undone.pop()
        self._apply(step.index, step.after)
        self.done.append(step)
        return step


def open_curation(source: Store, curated_store: Store, doc: str, a: str, b: str) -> Curation:
    """The items of ``a`` and ``b`` in ``doc`` (read from ``source``), curated into
    ``curated_store``."""
    anns = source.annotations(doc)
    return Curation(
        curated_store,
        doc,
        items([x for x in anns if x.annotator == a], [x for x in anns if x.annotator == b]),
    )


def pick_two(names: Sequence[str], answer: str) -> tuple[str, str] | None:
    """Two distinct annotators named in ``answer`` (spaces or commas), or None."""
    chosen = [n for n in answer.replace(",", " ").split() if n in names]
    chosen = list(dict.fromkeys(chosen))
    return (chosen[0], chosen[1]) if len(chosen) == 2 else None
