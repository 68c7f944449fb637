"""``reader merge``: union by id (newest wins), INCEpTION-style agreement and majority,
conflicts reported, and nothing lost — every input id is in the result or in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from store_support import tag_as as tag
from store_support import write_doc

from reader.cli import main
from reader.corpus import Document
from reader.merge import KEPT, LEFT_OUT, MERGED, STRATEGIES, SUPERSEDED, merge
from reader.pool import newest
from reader.store import Annotation, Store

TEXT = "الجملة الأولى هنا. والجملة الثانية هناك. وجملة ثالثة أخيرة. ورابعة للتجربة."


def spans(doc: Document) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in doc.all_sentences()]


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Document]:
    corpus = tmp_path / "corpus"
    return corpus, write_doc(corpus, "news.txt", TEXT)


def run_merge(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["merge", *argv, "--format", "json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def held(store: Path) -> dict[str, Annotation]:
    s = Store(store, read_only=True)
    try:
        return {a.id: a for a in s.all_annotations()}
    finally:
        s.close()


def test_union_keeps_every_id_and_the_newest_version(world, tmp_path, capsys) -> None:
    corpus, doc = world
    a, b = tmp_path / "a", tmp_path / "b"
    s = spans(doc)
    first = tag(a, "alice", doc, s[0], "arms")
    tag(a, "alice", doc, s[1], "troops")
    tag(b, "bob", doc, s[0], "arms", "china")  # same span, other themes: a conflict
    tag(b, "bob", doc, (s[1][0], s[2][1]), "troops")  # overlaps alice's s[1]: a conflict
    # Bob imported alice's first annotation, then she changed it: the newer one must win.
    copy = Store(b, "bob")
    copy.put(first)
    copy.close()
    later = Store(a, "alice")
    newer = later.edit(first.id, themes=["arms", "sanctions"])
    later.close()
    report = run_merge(
        capsys, str(b), str(a), "--into", str(tmp_path / "m"), "--corpus", str(corpus)
    )
    merged = held(tmp_path / "m")
    ids = set(held(a)) | set(held(b))
    assert set(merged) == ids  # nothing lost
    assert merged[first.id].themes == ["arms", "sanctions"] and merged[first.id] == newer
    fates = {(f["id"], f["fate"]) for f in report["annotations"]}
    assert (first.id, SUPERSEDED) in fates and (first.id, KEPT) in fates
    assert report["written"] == len(ids)
    kinds = sorted(c["kind"] for c in report["conflicts"])
    assert kinds == ["overlap", "themes"]
    # Again: the same records are there already; nothing is written.
    again = run_merge(
        capsys, str(b), str(a), "--into", str(tmp_path / "m"), "--corpus", str(corpus)
    )
    assert again["written"] == 0 and again["unchanged"] == len(ids)


def test_agree_merges_complete_agreement_only(world, tmp_path, capsys) -> None:
    corpus, doc = world
    a, b = tmp_path / "a", tmp_path / "b"
    s = spans(doc)
    agreed = [
        tag(a, "alice", doc, s[0], "arms", "troops"),
        tag(b, "bob", doc, s[0], "troops", "arms"),
    ]
    differ = [tag(a, "alice", doc, s[1], "arms"), tag(b, "bob", doc, s[1], "china")]
    alone = tag(a, "alice", doc, s[2], "arms")  # bob did not tag it: incomplete
    out = tmp_path / "curated"
    argv = [str(a), str(b), "--into", str(out), "--strategy", "agree", "--annotator", "carol"]
    report = run_merge(capsys, *argv, "--corpus", str(corpus))
    (record,) = held(out).values()
    assert (record.start, record.end, set(record.themes)) == (*s[0], {"arms", "troops"})
    assert record.annotator == "carol"
    by_id = {f["id"]: f for f in report["annotations"]}
    assert {by_id[x.id]["fate"] for x in agreed} == {MERGED}
    assert {by_id[x.id]["into"] for x in agreed} == {record.id}
    assert [by_id[x.id]["reason"].split(":")[0] for x in differ] == ["disagreement"] * 2
    assert by_id[alone.id]["fate"] == LEFT_OUT
    assert by_id[alone.id]["reason"].startswith("incomplete")
    assert set(by_id) == set(held(a)) | set(held(b))  # every input accounted for
    # The curated record's id comes from its sources: merging again changes nothing.
    again = run_merge(capsys, *argv, "--corpus", str(corpus))
    assert again["written"] == 0 and list(held(out)) == [record.id]


def test_majority_takes_the_most_voted_set(world, tmp_path, capsys) -> None:
    corpus, doc = world
    s = spans(doc)
    stores = [tmp_path / n for n in ("a", "b", "c")]
    for store, who in zip(stores, ("alice", "bob", "carol"), strict=True):
        tag(store, who, doc, s[0], "china" if who == "carol" else "arms")  # 2 against 1
    tag(stores[0], "alice", doc, s[1], "arms")  # 1 vote of 3: below the default threshold
    tag(stores[1], "bob", doc, s[1], "troops")
    out = tmp_path / "m"

    def majority(into: Path, *options: str) -> dict:
        inputs = [str(x) for x in stores]
        return run_merge(capsys, *inputs, "--into", str(into), "--strategy", "majority",
                         *options, "--corpus", str(corpus))  # fmt: skip

    def left_out(report: dict) -> set[str]:
        return {f["reason"].split(":")[0] for f in report["annotations"] if f["fate"] == LEFT_OUT}

    report = majority(out)
    (record,) = held(out).values()
    assert record.themes == ["arms"] and (record.start, record.end) == s[0]
    assert left_out(report) == {"below threshold"}
    # One vote is enough with --min-votes 1; then s[1] is a tie: disputed.
    assert left_out(majority(tmp_path / "m1", "--min-votes", "1")) == {"disputed"}
    # A confidence of 0.9: two of the three votes cast are not enough (as in INCEpTION,
    # the votes counted are those of the sets that pass --min-votes).
    majority(tmp_path / "m2", "--min-votes", "1", "--confidence", "0.9")
    assert held(tmp_path / "m2") == {}


def test_merging_into_one_of_the_inputs(world, tmp_path, capsys) -> None:
    corpus, doc = world
    a, b = tmp_path / "a", tmp_path / "b"
    tag(a, "alice", doc, spans(doc)[0], "arms")
    tag(b, "bob", doc, spans(doc)[1], "arms")
    report = run_merge(capsys, str(a), str(b), "--into", str(a), "--corpus", str(corpus))
    assert report["written"] == 1 and len(held(a)) == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--into", "{file}"], "--into: not a folder"),
        (["--into", "{full}"], "neither a store nor empty"),
        (["--into", "{m}", "--strategy", "majority", "--confidence", "2"], "between 0 and 1"),
        (["--into", "{m}", "--min-votes", "2"], "go with --strategy majority"),
        (["--into", "{m}", "--strategy", "majority", "--min-votes", "0"], "1 or more"),
    ],
)
def test_errors_are_one_line_and_write_nothing(world, tmp_path, capsys, extra, message) -> None:
    corpus, doc = world
    tag(tmp_path / "a", "alice", doc, spans(doc)[0], "arms")
    (tmp_path / "file").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "precious.txt").write_text("x")
    paths = {"file": tmp_path / "file", "full": tmp_path / "full", "m": tmp_path / "m"}
    argv = ["merge", str(tmp_path / "a"), *(x.format(**paths) for x in extra)]
    code = main([*argv, "--corpus", str(corpus)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert not (tmp_path / "m").exists()
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["precious.txt"]


# --- the invariant, on any input ----------------------------------------------------

ANNOTATORS = ("alice", "bob", "carol")


@st.composite
def versions(draw: st.DrawFn) -> list[Annotation]:
    """Annotations on a few spans, some ids in two versions (another store's copy)."""
    out = []
    for n in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 6)) * 10
        end = start + draw(st.sampled_from([5, 10, 20]))
        themes = draw(
            st.lists(
                st.sampled_from(["arms", "troops", "china"]), min_size=1, max_size=2, unique=True
            )
        )
        who = draw(st.sampled_from(ANNOTATORS))
        status = draw(st.sampled_from(["anchored", "anchored", "orphaned"]))
        stamp = f"2026-11-2{draw(st.integers(0, 9))}T00:00:00.000Z"
        ann = Annotation(
            f"id{n}", "d.txt", "sha", start, end, "q", "", "", themes, "", who, stamp, stamp, status
        )
        out.append(ann)
        if draw(st.booleans()):
            out.append(ann.copy(updated=f"2026-11-2{draw(st.integers(0, 9))}T00:00:00.000Z"))
    return out


@given(versions(), st.sampled_from(STRATEGIES), st.integers(1, 3))
def test_every_input_id_is_in_the_result_or_reported(
    pooled: list[Annotation], strategy: str, votes: int
) -> None:
    kept, superseded = newest(pooled)
    result = merge(kept, superseded, strategy=strategy, min_votes=votes)
    result_ids = {a.id for a in result.result}
    assert len(result_ids) == len(result.result)  # one record per id
    fates = [(f.ann.id, f.fate, f.into) for f in result.fates]
    assert sorted(f[0] for f in fates) == sorted(a.id for a in pooled)  # each version once
    for ann_id, fate, into in fates:
        if fate == KEPT:
            assert ann_id in result_ids
        elif fate in (MERGED, SUPERSEDED):
            assert into in result_ids or (fate == SUPERSEDED and into in {k.id for k in kept})
        else:
            assert fate == LEFT_OUT
    if strategy == "union":
        assert result_ids == {a.id for a in pooled}


# --- writing the merged store -----------------------------------------------------------


def test_the_merged_records_are_written_a_document_at_a_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One durable write per document and annotator (``Store.put_many``), not one per
    record: merging 2 × 40 records of one document syncs a dozen times, not 80 or more."""
    corpus = tmp_path / "corpus"
    doc = write_doc(corpus, "long.txt", " ".join([TEXT] * 10))
    stores = {who: tmp_path / who for who in ("alice", "bob")}
    for who, root in stores.items():
        store = Store(root, who)
        for span in spans(doc):
            store.add(doc, *span, ["arms" if who == "alice" else "troops"])
        store.close()
    total = sum(len(held(root)) for root in stores.values())
    assert total == 2 * len(spans(doc)) >= 60
    syncs = []
    for name in ("fsync", "fdatasync"):
        real = getattr(__import__("os"), name)
        monkeypatch.setattr(f"os.{name}", lambda fd, real=real: (syncs.append(fd), real(fd))[1])
    report = run_merge(capsys, *map(str, stores.values()), "--into", str(tmp_path / "m"),
                       "--corpus", str(corpus))  # fmt: skip
    assert report["written"] == total and len(held(tmp_path / "m")) == total
    assert len(syncs) < 20, len(syncs)  # the folders, store.json, two logs: not one per record


def test_a_record_the_target_refuses_is_named_and_the_rest_written(
    world: tuple[Path, Document], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, doc = world
    a = tmp_path / "a"
    s = spans(doc)
    taken = tag(a, "alice", doc, s[0], "arms")
    other = tag(a, "alice", doc, s[1], "troops")
    target = tmp_path / "m"
    squatter = Store(target, "carol")  # the target holds alice's id as carol's
    squatter.put(taken.copy(annotator="carol", updated="2000-01-01T00:00:00.000Z"))
    squatter.close()
    code = main(["merge", str(a), "--into", str(target), "--corpus", str(corpus)])
    err = capsys.readouterr().err
    assert code == 1
    named = [line for line in err.splitlines() if taken.id in line]
    assert len(named) == 1 and "already 'carol'" in named[0] and "not written" in named[0]
    merged = held(target)
    assert merged[taken.id].annotator == "carol" and merged[other.id] == other
