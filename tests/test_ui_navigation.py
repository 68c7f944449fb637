"""The cursor's moves, without the UI: sentences, paragraphs, word edges."""

from __future__ import annotations

from pathlib import Path

from reader.corpus import Span, read_document
from reader.ui.navigation import Navigator

TEXT = "\n".join(
    [
        "عنوان المقال",
        "",
        "الجملة الأولى هنا. والثانية بعدها! وثالثة؟",
        "   ",
        "Latin paragraph. Second one.",
    ]
)


def navigator(tmp_path: Path) -> Navigator:
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, "utf-8")
    return Navigator(read_document(path))


def quote(nav: Navigator, span: Span | None) -> str:
    assert span is not None
    return nav.document.text[span.start : span.end]


def test_sentences_cross_blank_paragraphs_both_ways(tmp_path: Path) -> None:
    nav = navigator(tmp_path)
    seen = []
    span = nav.first()
    while span is not None:
        seen.append(quote(nav, span))
        span = nav.next_sentence(span.start)
    assert seen == [
        "عنوان المقال",
        "الجملة الأولى هنا.",
        "والثانية بعدها!",
        "وثالثة؟",
        "Latin paragraph.",
        "Second one.",
    ]
    back = []
    span = nav.last()
    while span is not None:
        back.append(quote(nav, span))
        span = nav.previous_sentence(span.start)
    assert back == seen[::-1]


def test_paragraph_moves_and_whole_paragraph(tmp_path: Path) -> None:
    nav = navigator(tmp_path)
    first = nav.first()
    assert first is not None
    second = nav.next_paragraph(first.start)
    assert quote(nav, second) == "الجملة الأولى هنا."
    assert second is not None
    third = nav.next_paragraph(second.start)
    assert quote(nav, third) == "Latin paragraph."
    assert third is not None
    assert nav.next_paragraph(third.start) is None
    assert quote(nav, nav.previous_paragraph(third.start)) == "الجملة الأولى هنا."
    assert nav.previous_paragraph(first.start) is None
    assert quote(nav, nav.whole_paragraph(second.start + 3)) == TEXT.split("\n")[2]


def test_word_edges_move_in_reading_order_and_never_empty(tmp_path: Path) -> None:
    nav = navigator(tmp_path)
    first = nav.next_sentence(nav.first().start)  # type: ignore[union-attr]
    assert first is not None
    grown = nav.move_edge(first, "end", 1)
    assert quote(nav, grown) == "الجملة الأولى هنا. والثانية"
    assert nav.move_edge(grown, "end", -1) == first
    shrunk = nav.move_edge(first, "start", 1)
    assert quote(nav, shrunk) == "الأولى هنا."
    assert nav.move_edge(shrunk, "start", -1) == first
    # Shrinking stops at one word; growing stops at the paragraph's ends.
    one = first
    for _ in range(5):
        one = nav.move_edge(one, "end", -1)
    assert quote(nav, one) == "الجملة"
    assert nav.move_edge(one, "start", 1) == one
    assert nav.move_edge(first, "start", -1) == first
    last = nav.whole_paragraph(first.start)
    assert last is not None and nav.move_edge(last, "end", 1) == last
