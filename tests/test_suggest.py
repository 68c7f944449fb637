"""reader.suggest, the lexicons, the gold set and ``reader suggest``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from pathlib import Path

import pytest

from reader.cli import main
from reader.corpus import Span, read_document, split_sentences
from reader.learn import BASE_RATE
from reader.lemmas import Lemmatizer
from reader.lemmas import load as load_lemmas
from reader.lexicon import DEFAULT_TERMS
from reader.store.model import CONTEXT_CHARS, from_record
from reader.suggest import TERM_PRIOR, Lexicon, lexicon_probability, suggest_document, suggest_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests/data/gold/seeds_gold.jsonl"
THEMES = ("arms", "troops", "sanctions", "china")


@pytest.fixture(scope="module")
def lemmas() -> Lemmatizer:
    return load_lemmas()


def one(
    text: str, terms: Mapping[str, tuple[str, ...]], lemmas: Lemmatizer | None = None
) -> dict[str, tuple[str, ...]]:
    """Theme → matched terms for ``text`` taken as one sentence."""
    found = suggest_text(text, [Span(0, len(text))], Lexicon(terms, lemmas))
    return dict(found[0].terms) if found else {}


# --- matching -------------------------------------------------------------------


def test_clitics_and_plural_endings_do_not_hide_a_term() -> None:
    lexicon = {"arms": ("صواريخ", "أسلحة"), "sanctions": ("عقوبات",)}
    text = "دعم واضح لصفقات الأسلحة والصواريخ على رغم العقوبات وبالعقوبات."
    assert one(text, lexicon) == {"arms": ("أسلحة", "صواريخ"), "sanctions": ("عقوبات",)}


def test_broken_plural_needs_its_own_term() -> None:
    assert one("أطلق صاروخاً جديداً", {"arms": ("صواريخ",)}) == {}
    assert one("أطلق صاروخاً جديداً", {"arms": ("صاروخ",)}) == {"arms": ("صاروخ",)}


def test_phrase_terms_match_words_in_sequence() -> None:
    lexicon = {"arms": ("فرط صوتي",)}
    assert one("صاروخه الجديد والفرط صوتي", lexicon) == {"arms": ("فرط صوتي",)}
    assert one("صوتي فرط", lexicon) == {}


def test_a_word_that_only_starts_like_a_clitic_is_not_cut() -> None:
    lexicon = {"arms": ("باليستي",)}
    assert one("الصواريخ الباليستية الكورية", lexicon) == {"arms": ("باليستي",)}
    assert one("زيارة كيم ليست مجرد خطوة", lexicon) == {}


def test_exclusion_drops_matches_inside_it_only() -> None:
    lexicon = {"arms": ("سلاح", "-منزوعة السلاح")}
    assert one("داخل المنطقة المنزوعة السلاح", lexicon) == {}
    assert one("المنطقة المنزوعة السلاح وتهريب السلاح", lexicon) == {"arms": ("سلاح",)}


def test_lemmas_meet_broken_plurals_and_verb_forms(lemmas: Lemmatizer) -> None:
    lexicon = {"arms": ("سلاح",), "troops": ("جندي", "كتيبة"), "sanctions": ("حظر",)}
    text = "نقل الأسلحة إلى جنود الكتائب بعدما حظرت الحكومة التصدير"
    assert one(text, lexicon) == {}  # the stemmer alone knows none of these forms
    assert one(text, lexicon, lemmas) == {
        "arms": ("سلاح",),
        "troops": ("جندي", "كتيبة"),
        "sanctions": ("حظر",),
    }


def test_an_inflected_term_does_not_reach_its_lemma(lemmas: Lemmatizer) -> None:
    # قوات (forces) has the lemma قوة (power, strength): only a citation form brings its lemma.
    assert one("أظهرت قوة اقتصادية", {"troops": ("قوات",)}, lemmas) == {}
    assert one("وصلت القوات", {"troops": ("قوات",)}, lemmas) == {"troops": ("قوات",)}


def test_two_spellings_of_one_term_on_the_same_word_count_once(lemmas: Lemmatizer) -> None:
    lexicon = {"arms": ("صاروخ", "صواريخ")}
    assert one("أطلقت الصواريخ", lexicon, lemmas) == {"arms": ("صاروخ",)}


def test_a_gap_stands_for_up_to_three_words() -> None:
    lexicon = {"troops": ("توسع * عسكري",)}
    assert one("التوسع العسكري", lexicon) == {"troops": ("توسع * عسكري",)}
    assert one("التوسع الأميركي العسكري", lexicon) == {"troops": ("توسع * عسكري",)}
    assert one("التوسع في شرق آسيا العسكري", lexicon) == {"troops": ("توسع * عسكري",)}
    assert one("التوسع في شرق وجنوب آسيا العسكري", lexicon) == {}
    assert one("العسكري التوسع", lexicon) == {}


def test_an_exact_term_keeps_its_ending(lemmas: Lemmatizer) -> None:
    lexicon = {"arms": ("=مسيرات",)}
    assert one("أسقطت الدفاعات بالمسيرات", lexicon, lemmas) == {"arms": ("=مسيرات",)}
    assert one("في مسيرته المهنية", lexicon, lemmas) == {}
    assert one("خرجت مسيرة احتجاجية", lexicon, lemmas) == {}


def test_an_exclusion_may_be_exact_or_have_a_gap() -> None:
    lexicon = {"troops": ("مقاتل", "-=مقاتلات"), "sanctions": ("=عقوبات", "-عقوبات * سجن")}
    assert one("أسقطت المقاتلات", lexicon) == {}
    assert one("أسر المقاتلين", lexicon) == {"troops": ("مقاتل",)}
    assert one("صدرت عقوبات مشددة بالسجن", lexicon) == {}
    assert one("فرضت عقوبات على الشركة", lexicon) == {"sanctions": ("=عقوبات",)}


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        # general news wordings the reviewed lexicon reaches (none of them from the seeds)
        ("قررت واشنطن تجميد الأصول الروسية في مصارفها", {"sanctions"}),
        ("أدرجت الخزانة الشركة على القائمة السوداء", {"sanctions"}),
        # Washington's measures against China: China as a party, not a market
        ("فرضت واشنطن قيودا جديدة على تصدير الرقائق إلى الصين", {"sanctions", "china"}),
        ("أسقطت الدفاعات الجوية طائرة بدون طيار", {"arms"}),
        ("شنت مقاتلات إسرائيلية غارات", {"arms"}),
        ("بدأ الجيش هجوما بريا واسعا", {"troops"}),
        ("أعلن الحرس الثوري عن تدريبات عسكرية", {"troops"}),
        # and the uses it leaves alone
        ("حكم عليه بعقوبة السجن خمس سنوات", set()),
        ("أعلنت السلطات حظر التجول في المدينة", set()),
        ("في مسيرته المهنية الطويلة", set()),
        ("ترك هامش المناورة للحكومة ضيقا", set()),
        ("تعمل محطة زابوريجيا النووية بطاقة منخفضة", set()),
        ("شن سلاح الجو غارات", {"troops"}),
    ],
)
def test_the_default_lexicon_on_general_wordings(
    lemmas: Lemmatizer, text: str, themes: set[str]
) -> None:
    assert set(one(text, DEFAULT_TERMS, lemmas)) == themes


def test_the_lexicon_alone_is_a_noisy_or_of_its_terms() -> None:
    assert lexicon_probability(()) < 0.5 < lexicon_probability(("a",))
    assert lexicon_probability(("a",)) < lexicon_probability(("a", "b")) < 1


def test_pyongyang_spelling_variants_match_one_term() -> None:
    lexicon = {"korea": ("بيونغ يانغ",)}
    assert one("حملة بيونج يانج للبالونات", lexicon) == {"korea": ("بيونغ يانغ",)}


def test_english_terms_fold_case() -> None:
    assert one("New SANCTIONS on Pyongyang", {"sanctions": ("sanctions",)}) == {
        "sanctions": ("sanctions",)
    }


def test_suggestion_offsets_are_sentences_of_the_document() -> None:
    doc = read_document(SEEDS / "000_0430b5cc33e0e526.txt")
    found = suggest_document(doc, Lexicon(DEFAULT_TERMS))
    sentences = set(doc.all_sentences())
    assert found and all(Span(s.start, s.end) in sentences for s in found)
    first = next(s for s in found if "الذخيرة والأسلحة" in doc.text[s.start : s.end])
    assert first.themes == ("arms",)
    # Two firm terms, and a context term (لمساعدتها) the firm ones establish.
    assert set(first.terms["arms"]) == {"ذخيرة", "أسلحة", "?=مساعدتها"}
    # Each term trusted with TERM_PRIOR: a noisy-or.
    assert first.score == first.scores["arms"] == 1 - (1 - TERM_PRIOR) ** 3
    record = first.to_json("q")
    assert record["doc"] == doc.rel and record["quote"] == "q" and record["themes"] == ["arms"]
    assert "explain" not in record
    assert first.to_json(explain=True)["explain"]["arms"]["lexicon"] == round(first.score, 4)


def test_theme_filter() -> None:
    doc = read_document(SEEDS / "004_3e647ad5bef2f076.txt")
    found = suggest_document(doc, Lexicon(DEFAULT_TERMS), themes=["china"])
    assert found and all(s.themes == ("china",) for s in found)


def test_default_lexicon_has_the_four_themes() -> None:
    assert tuple(DEFAULT_TERMS) == THEMES
    assert all(DEFAULT_TERMS[key] for key in THEMES)


# --- the gold set ---------------------------------------------------------------


def gold_records() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def test_gold_records_are_valid_store_records_on_sentence_boundaries() -> None:
    records = gold_records()
    assert len(records) >= 60
    docs = {p.name: read_document(p) for p in SEEDS.glob("*.txt")}
    seen: set[tuple[object, object]] = set()
    for record in records:
        ann = from_record(record)
        doc = docs[ann.doc]
        assert uuid.UUID(ann.id)
        assert ann.doc_sha256 == doc.sha256
        assert ann.quote == doc.text[ann.start : ann.end]
        assert ann.prefix == doc.text[max(0, ann.start - CONTEXT_CHARS) : ann.start]
        assert ann.suffix == doc.text[ann.end : ann.end + CONTEXT_CHARS]
        assert set(ann.themes) <= set(THEMES) and len(set(ann.themes)) == len(ann.themes)
        assert (ann.annotator, ann.status, ann.note) == ("gold", "anchored", "")
        paragraph = doc.paragraph_at(ann.start)
        assert Span(ann.start, ann.end) in split_sentences(paragraph.text, paragraph.start)
        assert (ann.doc, ann.start) not in seen
        seen.add((ann.doc, ann.start))
    assert {r["doc"] for r in records} == set(docs)


def test_default_lexicon_meets_the_targets_on_the_gold_set() -> None:
    gold: dict[str, set[tuple[str, int, int]]] = {key: set() for key in THEMES}
    for record in gold_records():
        for theme in record["themes"]:  # type: ignore[attr-defined]
            gold[theme].add((record["doc"], record["start"], record["end"]))  # type: ignore[arg-type]
    lexicon = Lexicon(DEFAULT_TERMS, load_lemmas())
    predicted: dict[str, set[tuple[str, int, int]]] = {key: set() for key in THEMES}
    for path in SEEDS.glob("*.txt"):
        for s in suggest_document(read_document(path), lexicon):
            for theme in s.themes:
                predicted[theme].add((s.doc, s.start, s.end))
    for theme in THEMES:
        hit = len(gold[theme] & predicted[theme])
        assert hit / len(gold[theme]) >= 0.88, theme
        assert hit / len(predicted[theme]) >= 0.9, theme


# --- the command ----------------------------------------------------------------


def test_suggest_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = SEEDS / "002_691f64315ff478ca.txt"
    assert main(["suggest", str(path), "--format", "jsonl", "--store", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    text = read_document(path).text
    assert lines
    for line in lines:
        record = json.loads(line)
        assert record["quote"] == text[record["start"] : record["end"]]
        assert record["themes"] and set(record["themes"]) <= set(THEMES)
        assert set(record["terms"]) == set(record["themes"])
    troops = [json.loads(line) for line in lines if "troops" in line]
    assert any("جندي" in r["quote"] for r in troops)


def test_suggest_uses_the_store_theme_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "themes.toml").write_text(
        '[[theme]]\nkey = "korea"\nlabel_en = "Korea"\nlabel_ar = "كوريا"\n'
        'color = "#123456"\ndigit = "1"\nterms = ["بيونغ يانغ"]\n',
        encoding="utf-8",
    )
    path = SEEDS / "004_3e647ad5bef2f076.txt"
    assert main(["suggest", str(path), "--format", "jsonl", "--store", str(tmp_path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(r["themes"] == ["korea"] for r in records)
    assert all("بيونج يانج" in r["quote"] for r in records)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--theme", "nope"], "unknown theme 'nope'"),
        (["--width", "5"], "--width must be at least 20"),
    ],
)
def test_suggest_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    assert main(["suggest", str(SEEDS), "--store", str(tmp_path), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err


def test_suggest_missing_file_is_one_line_and_no_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["suggest", str(SEEDS), str(missing), "--store", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"reader: {missing}: no such file\n"


def test_suggest_text_draws_sentences_with_the_layout_engine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from reader.layout import BidiMode, layout_line, layout_paragraph

    path = SEEDS / "004_3e647ad5bef2f076.txt"
    assert main(["suggest", str(path), "--width", "80", "--store", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    doc = read_document(path)
    found = suggest_document(doc, Lexicon(DEFAULT_TERMS, load_lemmas()))
    blocks = out.split("\n\n")
    assert blocks[-1] == f"{len(found)} suggestions\n"
    assert len(blocks) == len(found) + 1
    for block, s in zip(blocks, found, strict=False):
        header, *rest = block.split("\n")
        assert header == f"{doc.rel}:{s.start}-{s.end}  score {s.score:.2f}  {', '.join(s.themes)}"
        terms, body = rest[: len(s.themes)], rest[len(s.themes) :]
        for key, line in zip(s.themes, terms, strict=True):
            logical = f"{key} {s.scores[key]:.2f}: {'، '.join(s.terms[key])}"
            assert line == "  " + layout_line(logical, 78, BidiMode.APP).text().rstrip()
        quote = doc.text[s.start : s.end]
        lines = layout_paragraph(quote, 76, BidiMode.APP)
        assert body == [("    " + line.text()).rstrip() for line in lines]
        assert all(line.indent + sum(c.width for c in line.cells) <= 76 for line in lines)


def test_gold_set_imports_into_a_store_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = tmp_path / "ann"
    assert main(["import", str(GOLD), "--store", str(store), "--corpus", str(SEEDS)]) == 0
    assert "added 78," in capsys.readouterr().out
    from reader.store import Store

    stored = {a.id: a for a in Store(store, read_only=True).all_annotations()}
    for record in gold_records():
        ann = stored[str(record["id"])]
        assert (ann.doc, ann.start, ann.end, ann.themes, ann.status) == (
            record["doc"],
            record["start"],
            record["end"],
            record["themes"],
            "anchored",
        )


def _store_with_other_seeds(tmp_path: Path, held: str) -> Path:
    """A store with the gold tags of every seed but ``held`` (the seeds are the corpus)."""
    others = tmp_path / "others.jsonl"
    lines = GOLD.read_text("utf-8").splitlines()
    others.write_text("\n".join(x for x in lines if held not in x) + "\n", "utf-8")
    store = tmp_path / "store"
    assert main(["import", str(others), "--store", str(store), "--corpus", str(SEEDS)]) == 0
    return store


def test_suggest_learns_from_the_store_and_honours_its_rejections(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from reader.learn import MODEL_FILE
    from reader.rejections import Rejections
    from reader.suggest import Suggestion

    held = "002_691f64315ff478ca.txt"
    store = _store_with_other_seeds(tmp_path, held)
    capsys.readouterr()
    path = SEEDS / held
    args = ["suggest", str(path), "--format", "jsonl", "--store", str(store)]

    assert main([*args, "--no-learn"]) == 0
    alone = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    lexicon_values = {round(lexicon_probability(("t",) * n), 4) for n in range(1, 9)}
    assert {v for r in alone for v in r["scores"].values()} <= lexicon_values

    assert main(args) == 0
    learned = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {v for r in learned for v in r["scores"].values()} - lexicon_values
    assert not (store / MODEL_FILE).exists()  # a listing writes nothing

    doc = read_document(path)
    first = learned[0]
    Rejections(store, "me").reject(
        doc, Suggestion(doc.rel, first["start"], first["end"], tuple(first["themes"]), 1.0)
    )
    assert main(args) == 0
    after = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (first["start"], first["end"]) not in {(r["start"], r["end"]) for r in after}


def test_suggest_explain(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from reader.layout import BidiMode, layout_line

    held = "004_3e647ad5bef2f076.txt"
    store = _store_with_other_seeds(tmp_path, held)
    capsys.readouterr()
    args = ["suggest", str(SEEDS / held), "--store", str(store), "--explain"]
    assert main([*args, "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for record in records:
        assert set(record["explain"]) == set(record["themes"])
        for theme, parts in record["explain"].items():
            # the lexicon's part (its terms' learned trust), moved by the classifier towards
            # its own verdict, measured from the base rate (reader.learn's blend)
            score, lexicon, model = record["scores"][theme], parts["lexicon"], parts["model"]
            assert (lexicon == 0.05) == (not record["terms"][theme])
            if model is None:
                assert score == lexicon
            else:
                assert (score - lexicon) * (model - BASE_RATE) >= 0
            assert all(isinstance(f, str) and f for f in parts["features"])
    assert main([*args, "--width", "80"]) == 0
    out = capsys.readouterr().out
    first = records[0]
    theme = first["themes"][0]
    parts = first["explain"][theme]
    logical = f"    lexicon {parts['lexicon']:.2f} · model {parts['model']:.2f}"
    if parts["features"]:
        logical += " · features " + "، ".join(parts["features"])
    assert "  " + layout_line(logical, 78, BidiMode.APP).text().rstrip() in out.splitlines()
