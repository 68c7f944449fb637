"""Re-anchoring: the approximate matcher, and annotations that follow an edited seed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import SEED, UDHR, write_doc

from reader.corpus import Document, read_document
from reader.store import ANCHORED, ORPHANED, REANCHORED, Annotation, Store
from reader.store.anchor import _myers, approximate, match_quote


def levenshtein_free_start(text: str, pattern: str) -> list[int]:
    """Plain dynamic programming: the reference for Myers' bit vectors."""
    prev = list(range(len(pattern) + 1))
    out = []
    for ch in text:
        cur = [0]
        for i, p in enumerate(pattern, 1):
            cur.append(min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (p != ch)))
        out.append(cur[-1])
        prev = cur
    return out


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


alphabet = st.text(alphabet="اببتث ", max_size=40)


@settings(max_examples=300)
@given(alphabet, alphabet.filter(bool))
def test_myers_matches_dynamic_programming(text: str, pattern: str) -> None:
    assert _myers(text, pattern, anchored=False) == levenshtein_free_start(text, pattern)


@settings(max_examples=300)
@given(alphabet, alphabet.filter(bool), st.integers(0, 4))
def test_approximate_matches_are_real_and_within_budget(text: str, pattern: str, k: int) -> None:
    for start, end, errors in approximate(text, pattern, k):
        assert errors <= k
        assert levenshtein(text[start:end], pattern) == errors


def test_match_quote_prefers_the_context_and_then_the_old_position() -> None:
    text = "أ ب الصين ج د ... هـ و الصين ز ح ... أ ب الصين ج د"
    second = text.index("الصين", text.index("هـ"))
    found = match_quote(text, "الصين", prefix="هـ و ", suffix=" ز ح", hint=0)
    assert found is not None and found.start == second
    last = text.rindex("الصين")
    found = match_quote(text, "الصين", prefix="أ ب ", suffix=" ج د", hint=last - 3)
    assert found is not None and found.start == last


def test_match_quote_gives_up_on_text_that_is_gone() -> None:
    text = "هذه فقرة جديدة لا علاقة لها بالنص القديم على الإطلاق."
    assert match_quote(text, "أطلق نظام كيم صاروخه الجديد متوسط المدى", "", "", 0) is None
    assert match_quote("", "x") is None and match_quote("abc", "") is None


# --- an edited seed ----------------------------------------------------------------


def _map(edits: list[tuple[int, int, str]], offset: int, *, is_end: bool) -> int:
    """Where an old offset lands after ``edits`` (position, deleted length, inserted text).

    An insertion exactly at a passage's start goes before it; exactly at its end, after it.
    """
    shift = 0
    for pos, deleted, inserted in edits:
        if pos < offset or (pos == offset and not is_end):
            shift += len(inserted) - min(deleted, max(0, offset - pos))
    return offset + shift


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for pos, deleted, inserted in sorted(edits, reverse=True):
        text = text[:pos] + inserted + text[pos + deleted :]
    return text


def test_an_edited_seed_keeps_every_passage_that_still_exists(tmp_path: Path) -> None:
    original = read_document(SEED, SEED.parent)
    corpus = tmp_path / "corpus"
    doc = write_doc(corpus, "article.txt", original.text)
    sentence = {i: original.sentences(original.paragraph(i))[0] for i in (12, 14, 22, 26, 40, 60)}
    store = Store(tmp_path / "annotations")
    made = {i: store.add(doc, s.start, s.end, ["arms"]) for i, s in sentence.items()}
    untouched_word = original.text.index("ملخص")
    made[8] = store.add(doc, untouched_word, untouched_word + 4, ["china"])

    middle = original.text.index(" ", (sentence[22].start + sentence[22].end) // 2)
    gone = original.paragraph(40)
    edits = [
        (sentence[14].start, 0, "وفي تطور لافت للنظر، "),  # words before a passage
        (middle, 0, " بصورة علنية"),  # words inside a passage
        (sentence[26].end, 0, " وهو أمر غير مسبوق"),  # words after a passage
        (gone.start, gone.end - gone.start + 1, ""),  # a paragraph deleted
    ]
    edited_text = _apply(original.text, edits)
    edited = write_doc(corpus, "article.txt", edited_text)
    assert edited.sha256 != doc.sha256

    synced = {a.id: a for a in Store(tmp_path / "annotations").sync(edited)}
    for key, ann in made.items():
        now = synced[ann.id]
        if key == 40:
            assert now.status == ORPHANED
            assert (now.start, now.end, now.quote) == (ann.start, ann.end, ann.quote)
            continue
        expected = (_map(edits, ann.start, is_end=False), _map(edits, ann.end, is_end=True))
        assert (now.start, now.end) == expected, f"passage in paragraph {key}"
        assert now.status == REANCHORED and now.doc_sha256 == edited.sha256
        assert now.quote == edited_text[now.start : now.end]
        assert now.prefix == edited_text[max(0, now.start - 32) : now.start]
    assert " بصورة علنية" in synced[made[22].id].quote

    # Written to disk, once: syncing again changes nothing.
    store = Store(tmp_path / "annotations")
    assert {a.id: a for a in store.annotations(edited.rel)} == synced
    path = next((tmp_path / "annotations" / "docs").glob("*/*.jsonl"))
    before = path.read_bytes()
    store.sync(edited)
    Store(tmp_path / "annotations").sync(edited)
    assert path.read_bytes() == before
    assert store.problems == []


def test_an_orphan_comes_back_when_its_text_does(tmp_path: Path) -> None:
    text = "الفقرة الأولى تبقى.\nفقرة ثانية عن صفقات الأسلحة ستحذف ثم تعود.\nالفقرة الأخيرة."
    doc = write_doc(tmp_path, "a.txt", text)
    store = Store(tmp_path / "annotations")
    ann = store.add(doc, text.index("فقرة ثانية"), text.index(" ثم تعود"), ["arms"])
    shorter = write_doc(tmp_path, "a.txt", text.replace(text.split("\n")[1] + "\n", ""))
    assert store.sync(shorter)[0].status == ORPHANED
    restored = write_doc(tmp_path, "a.txt", text)
    back = Store(tmp_path / "annotations").sync(restored)[0]
    assert back.status == REANCHORED and (back.start, back.end) == (ann.start, ann.end)


def test_reanchoring_persian_and_urdu(tmp_path: Path) -> None:
    for name in ("udhr_pes_1.txt", "udhr_urd.txt"):
        source = read_document(UDHR / name, UDHR)
        text = source.text[:6000]
        doc = write_doc(tmp_path / name, "doc.txt", text)
        paragraph = next(p for p in doc.paragraphs() if len(p.text) > 120)
        start, end = paragraph.start, paragraph.start + 100
        store = Store(tmp_path / name / "annotations")
        ann = store.add(doc, start, end, ["troops"])
        # A word changed inside the passage (5 letters replaced) and text added at the top.
        changed = text[: start + 40] + "ـــــ" + text[start + 45 :]
        edited = write_doc(tmp_path / name, "doc.txt", "سطر جديد\n" + changed)
        now = Store(tmp_path / name / "annotations").sync(edited)[0]
        assert now.status == REANCHORED, name
        assert (now.start, now.end) == (ann.start + 9, ann.end + 9), name


def test_read_only_documents_are_reanchored_in_memory_only(tmp_path: Path) -> None:
    doc = write_doc(tmp_path, "a.txt", "نص قصير عن العقوبات الجديدة.")
    store = Store(tmp_path / "annotations")
    store.add(doc, 11, 19, ["sanctions"])
    edited = write_doc(tmp_path, "a.txt", "مقدمة. نص قصير عن العقوبات الجديدة.")
    files = sorted((tmp_path / "annotations").rglob("*.json*"))
    before = [p.read_bytes() for p in files]
    viewer = Store(tmp_path / "annotations", read_only=True)
    ann = viewer.sync(edited)[0]
    assert (ann.start, ann.status) == (18, REANCHORED)
    assert [p.read_bytes() for p in files] == before


def _statuses(anns: list[Annotation]) -> set[str]:
    return {a.status for a in anns}


def test_unchanged_text_keeps_status_anchored(tmp_path: Path) -> None:
    doc: Document = write_doc(tmp_path, "a.txt", "نص لم يتغير.")
    store = Store(tmp_path / "annotations")
    store.add(doc, 0, 2, ["arms"])
    assert _statuses(Store(tmp_path / "annotations").sync(doc)) == {ANCHORED}


def test_reanchoring_that_cannot_be_saved_is_shown_and_retried(tmp_path: Path) -> None:
    import fcntl
    import os

    doc = write_doc(tmp_path, "a.txt", "نص قصير عن العقوبات الجديدة.")
    root = tmp_path / "annotations"
    Store(root).add(doc, 11, 19, ["sanctions"])
    edited = write_doc(tmp_path, "a.txt", "مقدمة. نص قصير عن العقوبات الجديدة.")
    store = Store(root, lock_timeout=0.05)
    holder = os.open(root / ".lock", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        ann = store.sync(edited)[0]
    finally:
        os.close(holder)
    assert (ann.start, ann.status) == (18, REANCHORED)
    assert any("not saved" in p for p in store.problems)
    assert Store(root).annotations(doc.rel)[0].start == 11  # nothing written while locked
    store.sync(edited)
    assert store.problems == []
    assert Store(root).annotations(doc.rel)[0].start == 18
