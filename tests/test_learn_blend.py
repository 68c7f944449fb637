"""Learning: examples read in place, the fixed blend of the lexicon and a text classifier that
never sees it, the model file, and the bench's "the store holds the others" protocol."""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reader.corpus import Span, read_document
from reader.learn import (
    BASE_RATE,
    MODEL_FILE,
    TERM_PRIOR,
    TEXT_WEIGHT,
    Classifier,
    Example,
    Model,
    read_in_place,
    term_trust,
    train,
)
from reader.learn_store import load, save
from reader.suggest import Lexicon, suggest_text

ROOT = Path(__file__).resolve().parent.parent
ARMS = {"arms": ("صاروخ باليستي", "?التجربة")}


def test_an_example_is_read_in_its_document(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("أطلقت كوريا صاروخا باليستيا. ودانت الدول التجربة.\n", "utf-8")
    doc = read_document(path, tmp_path)
    second = list(doc.all_sentences())[1]
    text = doc.text[second.start : second.end]
    lexicon = Lexicon(ARMS)
    placed = Example(text, {"arms": True}, doc.rel, second.start, second.end)
    [terms] = read_in_place([placed], lexicon, {doc.rel: doc})
    assert terms["arms"] == ["?التجربة"]  # the context term fires after the missile
    [alone] = read_in_place([placed], lexicon, None)
    assert not alone.get("arms")


def test_a_terms_trust_moves_with_the_examples_it_fired_on() -> None:
    trust = term_trust([["a"], ["a", "b"], [], ["b"]], [True, True, False, False])
    assert trust["a"] > TERM_PRIOR > trust["b"]  # right twice; right once, wrong once
    assert set(trust) == {"a", "b"}
    assert all(0.0 < v < 1.0 for v in trust.values())


def _fixed(coef: float, intercept: float, weight: float = TEXT_WEIGHT) -> Model:
    """A model whose classifier gives sigmoid(intercept + coef) to a text with the one token."""
    model = Model(("arms",), "f", ["\x1fكلمة"], [1.0])
    model.classifiers["arms"] = Classifier([coef], intercept, weight, {}, 10, 10)
    return model


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_the_blend_adds_the_classifiers_log_odds_to_the_lexicons() -> None:
    for p_text in (0.001, 0.03, BASE_RATE, 0.4, 0.7, 0.99):
        model = _fixed(0.0, _logit(p_text))
        for terms in ((), ("صاروخ",), ("صاروخ", "سلاح")):
            ev = model.evidence("arms", "كلمة", terms)
            lexicon = 1 - (1 - TERM_PRIOR) ** len(terms) if terms else 0.05
            expected = _logit(lexicon) + TEXT_WEIGHT * (_logit(p_text) - _logit(BASE_RATE))
            assert math.isclose(ev.probability, 1 / (1 + math.exp(-expected)), rel_tol=1e-9)
            assert ev.model is not None and math.isclose(ev.model, p_text, rel_tol=1e-9)
            assert math.isclose(ev.lexicon, lexicon, rel_tol=1e-9)
    # at the base rate the classifier leaves the lexicon as it is
    assert math.isclose(_fixed(0.0, _logit(BASE_RATE)).evidence("arms", "", ["x"]).probability,
                        TERM_PRIOR, rel_tol=1e-9)  # fmt: skip
    # a one-term hit is vetoed only by a very sure classifier; two terms hold against it
    assert _fixed(0.0, _logit(0.01)).evidence("arms", "", ["x"]).probability < 0.5
    assert _fixed(0.0, _logit(0.05)).evidence("arms", "", ["x"]).probability >= 0.5
    assert _fixed(0.0, _logit(0.01)).evidence("arms", "", ["x", "y"]).probability >= 0.5
    # a silent sentence is added only when the classifier is fairly sure
    assert _fixed(0.0, _logit(0.7)).evidence("arms", "", []).probability >= 0.5
    assert _fixed(0.0, _logit(0.4)).evidence("arms", "", []).probability < 0.5
    # no weight (too few examples): the lexicon alone
    assert math.isclose(_fixed(0.0, _logit(0.99), 0.0).evidence("arms", "", []).probability, 0.05)


WEAPONS = ["دبابات", "مدافع", "قذائف", "ذخائر", "راجمات", "مسيرات انتحارية", "طوربيدات"]
VERBS = ["نقلت", "سلمت", "صنعت", "خزنت", "اشترت", "عرضت", "طورت"]
WHO = ["الشركة", "الوزارة", "المصانع", "الجهة", "الحكومة", "البحرية", "الدولة"]
TEAMS = ["النادي", "الفريق", "المنتخب", "الأهلي", "الوداد", "الهلال", "الزمالك"]
GOALS = ["سجل هدفا", "صنع الفارق", "قاد الهجمة", "أحرز ثنائية", "أنقذ المباراة", "لعب بقوة"]
CALM = ["عقد المجلس اجتماعه", "ارتفعت أسعار القمح", "هطلت أمطار غزيرة", "افتتح معرض الكتاب",
        "تراجعت البورصة", "زار الرئيس المدرسة", "وصل الوفد إلى المطار"]  # fmt: skip


def _made_up(rng: random.Random) -> list[Example]:
    """Weapons named without any term of the lexicon (positives), football's 'rocket' (the
    lexicon fires; negatives), and calm news (negatives)."""
    out = []
    for _ in range(60):
        out.append(Example(f"{rng.choice(WHO)} {rng.choice(VERBS)} {rng.choice(WEAPONS)} "
                           f"و{rng.choice(WEAPONS)} إلى الجبهة", {"arms": True}))  # fmt: skip
        out.append(Example(f"صاروخ {rng.choice(TEAMS)} {rng.choice(GOALS)} في "
                           f"مباراة {rng.choice(TEAMS)}", {"arms": False}))  # fmt: skip
        out.append(Example(f"{rng.choice(CALM)} و{rng.choice(CALM)}", {"arms": False}))
    return out


def test_the_classifier_vetoes_and_adds_on_made_up_sentences() -> None:
    lexicon = Lexicon({"arms": ("صاروخ",)})
    model = train(_made_up(random.Random(7)), lexicon)
    clf = model.classifiers["arms"]
    assert clf.coef and clf.trust["صاروخ"] < 0.1  # the term misfired sixty times
    football = "صاروخ الزمالك أحرز ثنائية في مباراة الهلال"
    weapons = "الحكومة نقلت قذائف وراجمات إلى الجبهة"
    calm = "افتتح معرض الكتاب وتراجعت البورصة"
    text = "\n".join([football, weapons, calm]) + "\n"
    spans = []
    for line in (football, weapons, calm):
        start = text.index(line)
        spans.append(Span(start, start + len(line)))
    alone = suggest_text(text, spans, lexicon)
    learned = suggest_text(text, spans, lexicon, model=model)
    assert [text[s.start : s.end] for s in alone] == [football]
    assert [text[s.start : s.end] for s in learned] == [weapons]


def test_the_classifier_never_sees_the_lexicon() -> None:
    examples = _made_up(random.Random(11))
    one = train(examples, Lexicon({"arms": ("صاروخ",)})).classifiers["arms"]
    other = train(examples, Lexicon({"arms": ("دبابة", "مدفع")})).classifiers["arms"]
    assert one.coef == other.coef and one.intercept == other.intercept
    assert one.trust != other.trust  # only the terms' trust depends on the lexicon


def test_the_model_file_keeps_the_blend_and_refuses_bad_ones(tmp_path: Path) -> None:
    model = _fixed(0.5, -1.0, 0.9)
    model.classifiers["arms"].trust = {"صاروخ": 0.6}
    save(model, tmp_path)
    loaded = load(tmp_path)
    assert loaded is not None and loaded.classifiers["arms"] == model.classifiers["arms"]
    for terms in ((), ("صاروخ",)):
        a, b = model.evidence("arms", "كلمة", terms), loaded.evidence("arms", "كلمة", terms)
        assert math.isclose(a.probability, b.probability, rel_tol=1e-9)
    data = json.loads((tmp_path / MODEL_FILE).read_text("utf-8"))
    for bad in ({"صاروخ": 1.0}, {"صاروخ": -0.1}, {"صاروخ": "x"}, ["صاروخ"]):
        data["classifiers"]["arms"]["trust"] = bad
        (tmp_path / MODEL_FILE).write_text(json.dumps(data), "utf-8")
        assert load(tmp_path) is None
    data["classifiers"]["arms"]["trust"] = {}
    data["classifiers"]["arms"]["coef"] = [0.1, 0.2]  # neither empty nor one per token
    (tmp_path / MODEL_FILE).write_text(json.dumps(data), "utf-8")
    assert load(tmp_path) is None


def test_the_bench_trains_on_every_other_document_never_the_held_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_suggest_quality as bench  # type: ignore[import-not-found]

    seen: list[set[str]] = []

    def fake_train(examples: Sequence[Example], lexicon: Lexicon, **kw: Any) -> Model:
        seen.append({e.doc for e in examples})
        assert set(kw["documents"]) == seen[-1]
        return Model(lexicon.themes)

    monkeypatch.setattr(bench, "train", fake_train)
    monkeypatch.setattr(bench, "memoise_learning", lambda: None)  # reader.learn left as it is
    seeds = ROOT / "tests/data/gold/seeds_gold.jsonl"
    assert bench.main(["--test", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "lexicon alone" in out and "+ learning" in out and "F1 difference" in out
    docs = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(seen) == len(docs)
    for held, trained in zip(docs, seen, strict=True):
        assert trained == set(docs) - {held}
    assert bench.main(["--test", str(ROOT / "missing.jsonl")]) == 2


def test_examples_with_nothing_in_common_give_no_classifier() -> None:
    # every example a different character: no token is in two examples, nothing to learn from
    letters = [chr(0x4E00 + i) for i in range(20)]
    examples = [Example(c, {"arms": i % 2 == 0}) for i, c in enumerate(letters)]
    model = train(examples, Lexicon({"arms": ("صاروخ",)}))
    assert model.classifiers["arms"].coef == [] and model.grams == []
    assert model.evidence("arms", "صاروخ", ["صاروخ"]).probability == TERM_PRIOR


def test_the_bench_leaves_one_set_out_and_reports_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_suggest_quality as bench

    seen: list[set[str]] = []

    def fake_train(examples: Sequence[Example], lexicon: Lexicon, **kw: Any) -> Model:
        seen.append(set(kw["documents"]))
        return Model(lexicon.themes)

    monkeypatch.setattr(bench, "train", fake_train)
    monkeypatch.setattr(bench, "memoise_learning", lambda: None)  # reader.learn left as it is
    gold = ROOT / "tests/data/gold"
    seeds, dev = gold / "seeds_gold.jsonl", gold / "heldout/heldout_gold.jsonl"
    everything = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    everything |= {p.name for p in (gold / "heldout/docs").glob("*.txt")}
    args = ["--folds", "--pool", str(seeds), "--pool", str(dev), "--report", "seeds"]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    # only the reported set is left out, one document at a time; the store holds all the rest
    assert len(seen) == 5 and all(len(everything - s) == 1 for s in seen)
    assert {next(iter(everything - s)) for s in seen} == {
        p.name for p in (ROOT / "seeds").glob("*.txt")
    }
    rows = [line for line in out.splitlines() if line.startswith(("seeds (5)", "all (5)"))]
    assert len(rows) == 2 and "heldout (15)" not in out
    assert "sets beat / tied / lost" in out
    assert bench.main([*args[:-1], "nope"]) == 2
    assert bench.main([*args, "--terms-at", "no-such-revision"]) == 2
    assert "--terms-at no-such-revision" in capsys.readouterr().err
