"""Documents: decoding, newlines, paragraphs, sentences, titles, dates, bad paths."""

from __future__ import annotations

import codecs
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.corpus import (
    collect,
    decode_bytes,
    find_date,
    find_title,
    normalise_newlines,
    read_document,
    split_sentences,
)
from reader.errors import DocumentError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SAMPLE = "تزايد القلق في الغرب من التحالف بين روسيا وكوريا الشمالية.\nقالت الوكالة: نعم؟\n"


# --- decoding -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8 (BOM)"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le (BOM)"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be (BOM)"),
        (SAMPLE.encode("cp1256"), "windows-1256"),
        (SAMPLE.encode("iso-8859-6"), "iso-8859-6"),
    ],
)
def test_every_encoding_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    text, found, warnings = decode_bytes(data)
    assert text == SAMPLE
    assert found == encoding
    assert warnings == ()


@pytest.mark.parametrize("word", ["سلام", "مرحبا", "كتب الولد", "قال"])
def test_short_iso_8859_6_is_arabic_not_hebrew(word: str) -> None:
    text, encoding, _ = decode_bytes(word.encode("iso-8859-6"))
    assert text == word
    assert encoding == "iso-8859-6"
    assert not any("\u0590" <= ch <= "\u05ff" for ch in text)


def test_seeds_in_legacy_code_pages_decode_exactly() -> None:
    for path in sorted(SEEDS.iterdir()):
        original = path.read_text("utf-8")
        # Characters outside the code page (typographic dashes, quotes) can't round-trip.
        for codec in ("cp1256", "iso-8859-6"):
            legacy = original.encode(codec, errors="ignore")
            expected = legacy.decode(codec)
            text, encoding, _ = decode_bytes(legacy)
            assert text == normalise_newlines(expected), (path.name, codec)
            assert encoding == {"cp1256": "windows-1256", "iso-8859-6": "iso-8859-6"}[codec]


def test_mostly_utf8_with_a_few_bad_bytes_opens_with_a_warning() -> None:
    data = SAMPLE.encode("utf-8") * 3
    broken = data[:40] + b"\xff\xfe" + data[40:]
    text, encoding, warnings = decode_bytes(broken)
    assert encoding == "utf-8"
    assert "\ufffd" in text
    assert len(warnings) == 1 and "replaced" in warnings[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_undecodable_data_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        decode_bytes(data)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_newlines_are_normalised_so_offsets_agree(newline: str) -> None:
    text, _, _ = decode_bytes(SAMPLE.replace("\n", newline).encode("utf-8"))
    assert text == SAMPLE


# --- bad paths ----------------------------------------------------------------


def test_bad_paths_give_one_line_reasons(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    cases = {
        tmp_path / "missing.txt": "no such file",
        tmp_path / "dir": "is a directory",
        tmp_path / "empty.txt": "empty file",
        tmp_path / "link.txt": "broken symbolic link",
    }
    for path, reason in cases.items():
        with pytest.raises(DocumentError) as info:
            read_document(path)
        message = str(info.value)
        assert reason in message
        assert str(path) in message
        assert "\n" not in message


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(SAMPLE, "utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(DocumentError, match="Permission denied"):
        read_document(path)


def test_collect_lists_documents_and_problems(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SAMPLE, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(SAMPLE, "utf-8")
    (tmp_path / ".hidden.txt").write_text(SAMPLE, "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    entries, problems = collect([tmp_path, tmp_path / "nope.txt"])
    assert [e.rel for e in entries] == ["a.txt", "sub/b.txt"]
    assert len(problems) == 1 and "no such file" in problems[0].reason


def test_rel_is_the_same_whether_a_file_or_its_folder_is_opened() -> None:
    seed = sorted(SEEDS.iterdir())[0]
    assert read_document(seed).rel == collect([SEEDS])[0][0].load().rel == seed.name


# --- paragraphs, sentences, titles, dates -------------------------------------


def test_seed_metadata() -> None:
    docs = {e.rel[:3]: e.load() for e in collect([SEEDS])[0]}
    # Scraper boilerplate is skipped; a bare dateline is not a title.
    assert docs["000"].title.startswith("تزايد القلق في الغرب")
    assert docs["002"].title == "بوتين وكيم جونغ أون"
    assert docs["002"].date == date(2024, 11, 1)
    assert docs["003"].date == date(2022, 8, 31)
    assert docs["000"].date is None
    for doc in docs.values():
        assert len(doc.sha256) == 64
        assert doc.id == f"{doc.rel}#sha256={doc.sha256}"
        assert doc.size == doc.path.stat().st_size


def test_paragraphs_cover_the_text_line_by_line() -> None:
    for entry in collect([SEEDS])[0]:
        doc = entry.load()
        lines = doc.text.split("\n")
        assert doc.paragraph_count == len(lines)
        for paragraph, line in zip(doc.paragraphs(), lines, strict=True):
            assert paragraph.text == line == doc.text[paragraph.start : paragraph.end]
            assert doc.paragraph_at(paragraph.start).index == paragraph.index


def test_sentences_do_not_break_numbers_or_dates() -> None:
    text = "ارتفع بنسبة 3.5% في 12/11/2024. وقال: «نعم!» ثم سأل؟ انتهى؛ وبعد"
    got = [text[s.start : s.end] for s in split_sentences(text)]
    assert got == [
        "ارتفع بنسبة 3.5% في 12/11/2024.",
        "وقال: «نعم!»",
        "ثم سأل؟",
        "انتهى؛",
        "وبعد",
    ]


def test_sentence_offsets_are_document_offsets() -> None:
    doc = read_document(sorted(SEEDS.iterdir())[2])
    paragraph = next(p for p in doc.paragraphs() if p.text.count(".") > 1)
    spans = doc.sentences(paragraph)
    assert len(spans) > 1
    for span in spans:
        piece = doc.text[span.start : span.end]
        assert piece == piece.strip() and piece
        assert paragraph.start <= span.start < span.end <= paragraph.end


@given(st.text(alphabet="ab ابت.؟!؛3,/\u064e «»", max_size=80))
def test_sentences_cover_every_non_space_character_once(text: str) -> None:
    spans = split_sentences(text, base=7)
    covered = [i - 7 for s in spans for i in range(s.start, s.end)]
    assert covered == sorted(set(covered))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= set(covered)
    for span in spans:
        assert not text[span.start - 7].isspace() and not text[span.end - 8].isspace()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01-نوفمبر-2024\nنص", date(2024, 11, 1)),
        ("31-أغسطس-2022", date(2022, 8, 31)),
        ("نشر في ٥ مارس ٢٠٢٣", date(2023, 3, 5)),
        ("2021-07-09 تقرير", date(2021, 7, 9)),
        ("12/11/2024", date(2024, 11, 12)),
        ("زيارة عام 2019", None),
        ("31-فبراير-2022", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_title_skips_blank_lines_boilerplate_and_datelines() -> None:
    boilerplate = "Sorry, you need to enable JavaScript to visit this website."
    text = f"\n\n{boilerplate}\n\n01-نوفمبر-2024\nالعنوان هنا\n"
    assert find_title(text) == "العنوان هنا"


def test_document_keeps_its_encoding_and_warnings(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(SAMPLE.replace("\n", "\r\n").encode("cp1256"))
    doc = read_document(path)
    assert doc.encoding == "windows-1256"
    assert doc.text == SAMPLE
    assert doc.size == os.path.getsize(path)
