"""Scraper boilerplate: recognised in the seeds, real text left alone, found lazily."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.boilerplate import Boilerplate, content_sentences, is_boilerplate
from reader.corpus import read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def flagged(name: str) -> list[str]:
    document = read_document(SEEDS / name, SEEDS)
    return [document.paragraph(i).text.strip() for i in Boilerplate.of(document).indexes()]


def test_the_seeds_boilerplate_named_in_the_issue_is_recognised() -> None:
    found = flagged("000_0430b5cc33e0e526.txt")
    assert "Sorry, you need to enable JavaScript to visit this website." in found
    assert found.count("اقرأ المزيد") == 2
    assert any("(Related Nodes field)" in line for line in found)
    assert len(flagged("004_3e647ad5bef2f076.txt")) == 1  # "ربما يعجبك أيضا" at its end
    assert "© The Independent" in found and "المزيد من دوليات" in found
    assert len(found) == 6  # nothing else of the article


def test_link_headings_go_and_the_headlines_under_them_stay() -> None:
    found = flagged("001_7a27a54a086accf8.txt")
    assert {"مقالات مشابهة", "إقرأ أيضاً:", "تابع أحدث الأخبار عبر تطبيق"} <= set(found)
    assert any(line.startswith("كلمات دلالية:") for line in found)
    # Other articles' headlines are news (the gold set tags them); a source line is the article's
    assert not any(line.startswith("•") or line.startswith("سول:") for line in found)
    assert "المصدر: الجزيرة" not in found
    assert len(found) == 4


def test_seeds_without_boilerplate_keep_every_paragraph() -> None:
    assert flagged("002_691f64315ff478ca.txt") == []
    assert flagged("003_3359769afdc9ff85.txt") == []  # "المزيد من التفاصيل" inside a paragraph


@pytest.mark.parametrize(
    "line",
    [
        "المزيد من الجنود الكوريين الشماليين وصلوا إلى روسيا هذا الأسبوع",  # a sentence
        "إعلان بيونغ يانغ عن تجربة صاروخية جديدة",  # "announcement", not "advertisement"
        "  • زعيم كوريا الشمالية يرسل ملايين القذائف المدفعية لروسيا",  # a listed headline
        "Sign in to the talks was delayed, officials said on Monday after a long night",
        "",
    ],
)
def test_text_that_only_resembles_boilerplate_is_text(line: str) -> None:
    assert not is_boilerplate(line)
    assert 2 not in Boilerplate(lambda i: ["مقالات مشابهة", "", line][i], 3)


@pytest.mark.parametrize(
    "line",
    ["إقرأ أيضاً:", "اقرا ايضا", "SORRY, YOU NEED TO ENABLE JAVASCRIPT", "إعلان", "كلمات دلالية: ب"],
)
def test_spellings_are_folded(line: str) -> None:
    assert is_boilerplate(line)


def test_only_what_is_asked_is_read() -> None:
    asked: list[int] = []

    def text(index: int) -> str:
        asked.append(index)
        return "اقرأ المزيد" if index % 2 else "نص " * 200  # long: never folded

    marks = Boilerplate(text, 1_000_000)
    assert 500_001 in marks and 500_000 not in marks
    assert sorted(set(asked)) == [500_000, 500_001]


def test_suggestions_read_only_the_article() -> None:
    document = read_document(SEEDS / "000_0430b5cc33e0e526.txt", SEEDS)
    every = list(document.all_sentences())
    content = list(content_sentences(document))
    dropped = [document.text[s.start : s.end] for s in every if s not in content]
    assert dropped and all(is_boilerplate(line) for line in dropped)
    assert len(every) - len(content) == len(dropped)


@given(st.text(max_size=400))
def test_any_text_gets_an_answer(line: str) -> None:
    marks = Boilerplate(lambda i: [line, line][i], 2)
    assert isinstance(0 in marks, bool) and isinstance(1 in marks, bool)
