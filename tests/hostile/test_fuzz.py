"""Fuzzing: random bytes and hostile Unicode through decoding, layout, the store and exports.

Every property here is one the issue asks for: no exception escapes (other
than the one-line ReaderError a caller reports), the layout invariants hold,
and nothing written to the store is lost.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from reader.corpus import decode_bytes, normalise_newlines
from reader.errors import DocumentError

from .strategies import ARABIC_LETTERS, fuzz_settings, hostile_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
UDHR_ARABIC = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "udhr" / "udhr_arb.txt"

# --- decoding -----------------------------------------------------------------


def _check_decoded(text: str, warnings: tuple[str, ...]) -> None:
    assert "\r" not in text
    assert text.strip()
    text.encode("utf-8")  # no lone surrogates: everything downstream writes UTF-8
    assert all(isinstance(w, str) and "\n" not in w for w in warnings)


@fuzz_settings(600)
@given(st.binary(max_size=400))
def test_random_bytes_decode_or_give_a_reason(data: bytes) -> None:
    try:
        text, _, warnings = decode_bytes(data)
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    _check_decoded(text, warnings)


@fuzz_settings(300)
@given(
    st.binary(max_size=200),
    st.sampled_from(list(codecs.BOM_UTF8 for _ in range(1)))
    | st.sampled_from(
        [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
    ),
)
def test_random_bytes_after_a_bom_decode_or_give_a_reason(data: bytes, bom: bytes) -> None:
    try:
        text, _, warnings = decode_bytes(bom + data)
    except DocumentError as exc:
        assert "\n" not in str(exc)
        return
    _check_decoded(text, warnings)


@fuzz_settings(300)
@given(hostile_text)
def test_hostile_unicode_round_trips_through_utf8_and_utf16(text: str) -> None:
    # Blank text is refused; a leading U+FEFF *is* a BOM to any reader, and
    # FF FE 00 00 (UTF-16 LE BOM + NUL) is the UTF-32 LE BOM.
    assume(text.strip() and not text.startswith(("\ufeff", "\x00")))
    expected = normalise_newlines(text)
    variants = [
        codecs.BOM_UTF8 + text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ]
    if "\x00" not in text:  # without a BOM, a NUL byte marks a binary file
        variants.append(text.encode("utf-8"))
    for data in variants:
        decoded, _, warnings = decode_bytes(data)
        assert decoded == expected, data[:8]
        assert warnings == ()


def _prose_words() -> list[str]:
    """Real Arabic prose: the seeds and the Arabic UDHR, as words in the code pages' repertoire."""
    words: list[str] = []
    sources = sorted(SEEDS.glob("*.txt"))
    if UDHR_ARABIC.exists():  # shared corpus beside the checkout; the seeds alone suffice
        sources.append(UDHR_ARABIC)
    for path in sources:
        for word in path.read_text("utf-8").split():
            if word.encode("cp1256", "ignore").decode("cp1256") == word and all(
                ch in word.encode("iso-8859-6", "ignore").decode("iso-8859-6") for ch in word
            ):
                words.append(word)
    return words


PROSE_WORDS = _prose_words()


@fuzz_settings(200)
@given(
    st.integers(0, len(PROSE_WORDS)),
    st.integers(3, 60),
    st.sampled_from(["cp1256", "iso-8859-6"]),
)
def test_arabic_code_pages_decode_to_the_same_text(start: int, count: int, codec: str) -> None:
    """Any stretch of real prose, even three words, decodes from either code page unchanged."""
    text = " ".join(PROSE_WORDS[start : start + count])
    assume(text)
    decoded, encoding, _ = decode_bytes(text.encode(codec))
    assert decoded == text, encoding
    assert not any("\u0590" <= ch <= "\u05ff" for ch in decoded)  # never Hebrew


@fuzz_settings(200)
@given(
    st.lists(st.text(ARABIC_LETTERS, min_size=2, max_size=9), min_size=30, max_size=60).map(
        " ".join
    ),
    st.integers(0, 10_000),
    st.sampled_from([b"\xff", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"]),
)
def test_mostly_utf8_opens_with_replacement_and_a_warning(
    text: str, where: int, bad: bytes
) -> None:
    data = text.encode("utf-8")
    # put the bad bytes on a character boundary so the rest stays valid
    cut = len(text[: where % len(text)].encode("utf-8"))
    decoded, encoding, warnings = decode_bytes(data[:cut] + bad + data[cut:])
    assert encoding == "utf-8"
    assert "\ufffd" in decoded
    assert decoded.replace("\ufffd", "") == text
    assert len(warnings) == 1 and "replaced" in warnings[0]
