"""Curation of two annotators' tags: places where they meet, decisions written to the curated
store as the curator's records, read back from it, undone and redone."""

from __future__ import annotations

from pathlib import Path

from store_support import tag_as as tag
from store_support import write_doc

from reader.corpus import Document
from reader.curation import AGREED, BOTH, NEITHER, A, B, items, open_curation, pick_two
from reader.store import Annotation, Store

TEXT = "الجملة الأولى هنا. والجملة الثانية هناك. وجملة ثالثة أخيرة. ورابعة للتجربة."


def setup(tmp_path: Path) -> tuple[Document, dict[str, Annotation]]:
    doc = write_doc(tmp_path / "corpus", "news.txt", TEXT)
    s = [(x.start, x.end) for x in doc.all_sentences()]
    src = tmp_path / "store"
    anns = {
        "a0": tag(src, "alice", doc, s[0], "arms"),  # agreed
        "b0": tag(src, "bob", doc, s[0], "arms"),
        "a1": tag(src, "alice", doc, s[1], "arms"),  # different themes
        "b1": tag(src, "bob", doc, s[1], "china"),
        "a2": tag(src, "alice", doc, (s[2][0], s[3][1]), "troops"),  # overlaps both of bob's
        "b2": tag(src, "bob", doc, s[2], "troops"),
        "b3": tag(src, "bob", doc, s[3], "troops"),
    }
    return doc, anns


def test_places_where_the_tags_meet(tmp_path: Path) -> None:
    _, anns = setup(tmp_path)
    alice = [v for k, v in anns.items() if k.startswith("a")]
    bob = [v for k, v in anns.items() if k.startswith("b")]
    found = items(alice, bob)
    assert [(len(i.a), len(i.b)) for i in found] == [(1, 1), (1, 1), (1, 2)]
    assert [i.agreed for i in found] == [True, False, False]
    assert (found[2].start, found[2].end) == (anns["a2"].start, anns["a2"].end)
    assert items(alice, []) and not any(i.agreed for i in items(alice, []))


def test_decisions_go_to_the_curated_store_and_back(tmp_path: Path) -> None:
    doc, anns = setup(tmp_path)
    source = Store(tmp_path / "store", "carol", read_only=True)
    curated = tmp_path / "curated"
    work = open_curation(source, Store(curated, "carol"), doc.rel, "alice", "bob")
    assert work.disagreements == [1, 2]
    work.decide(1, A)
    [record] = work.store.annotations(doc.rel)
    assert record.annotator == "carol" and record.themes == ["arms"]
    assert (record.start, record.end) == (anns["a1"].start, anns["a1"].end)
    assert work.choice(1) == A
    work.decide(1, B)  # replaces A's
    assert [r.themes for r in work.store.annotations(doc.rel)] == [["china"]]
    work.decide(2, BOTH)
    assert len(work.store.annotations(doc.rel)) == 4  # china, then alice's and bob's two
    work.decide(2, NEITHER)
    assert work.choice(2) is None and len(work.store.annotations(doc.rel)) == 1
    assert work.take_agreements() == 1 and work.choice(0) == AGREED
    assert work.take_agreements() == 0  # taken already
    step = work.undo()
    assert step is not None and step.index == 0 and work.choice(0) is None
    work.undo()  # back to both
    assert work.choice(2) == BOTH
    work.undo()
    work.undo()  # back to A on item 1
    assert work.choice(1) == A and work.choice(2) is None
    work.redo()
    assert work.choice(1) == B
    work.store.close()
    # Another day: the curated store says what was taken.
    again = open_curation(source, Store(curated, "carol"), doc.rel, "alice", "bob")
    assert [again.choice(i) for i in range(3)] == [None, B, None]
    again.decide(1, B)  # the same again: nothing to write
    assert again.done == []
    again.store.close()
    source.close()


def test_pick_two() -> None:
    names = ["alice", "bob", "carol"]
    assert pick_two(names, "bob, carol") == ("bob", "carol")
    assert pick_two(names, "bob bob") is None
    assert pick_two(names, "dave alice") is None
