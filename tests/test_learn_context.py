"""Learning with the lexicon's context: signals, examples read in place, the judged threshold,
the model file's context weights, and the bench's "the store holds the others" protocol."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reader.corpus import read_document
from reader.learn import (
    FOLDS,
    MODEL_FILE,
    Classifier,
    Example,
    Model,
    _threshold,
    read_in_place,
)
from reader.learn_store import load, save
from reader.suggest import CONTEXT_FEATURES, Lexicon, context_signals

ROOT = Path(__file__).resolve().parent.parent
ARMS = {"arms": ("صاروخ باليستي", "?التجربة")}


def test_context_signals_say_what_fired_around_a_sentence() -> None:
    fired: list[dict[str, list[str]]] = [
        {"arms": ["x"]},
        {},
        {"arms": ["y"]},
        {},
        {"china": ["z"]},
    ]
    ctx = context_signals(fired, ["arms", "china"])
    assert len(CONTEXT_FEATURES) == 4
    assert ctx[1]["arms"] == (1.0, 1.0, 0.5, 0.0)  # before, after, 2 of the 4 others
    assert ctx[0]["arms"] == (0.0, 0.0, 0.25, 0.0)
    assert ctx[4]["china"] == (0.0, 0.0, 0.0, 1.0)  # it fires here and nowhere else
    assert ctx[3]["china"] == (0.0, 1.0, 0.25, 0.0)


def test_an_example_is_read_in_its_document(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("أطلقت كوريا صاروخا باليستيا. ودانت الدول التجربة.\n", "utf-8")
    doc = read_document(path, tmp_path)
    second = list(doc.all_sentences())[1]
    text = doc.text[second.start : second.end]
    lexicon = Lexicon(ARMS)
    placed = Example(text, {"arms": True}, doc.rel, second.start, second.end)
    [(terms, context)] = read_in_place([placed], lexicon, {doc.rel: doc})
    assert terms["arms"] == ["?التجربة"]  # the context term fires after the missile
    assert context["arms"] == (1.0, 0.0, 1.0, 0.0)
    [(alone, nothing)] = read_in_place([placed], lexicon, None)
    assert not alone.get("arms") and nothing["arms"] == (0.0,) * 4


class _Fixed:
    """A fitted model stand-in whose probability is the row's first feature."""

    def predict_proba(self, x: Any) -> Any:
        p = np.asarray(x)[:, 0]
        return np.c_[1 - p, p]


def _judge(
    probabilities: Sequence[float], labels: Sequence[bool], lexicon: Sequence[bool], docs: int
) -> float | None:
    features = np.array([[p] for p in probabilities] + [[0.0]] * 4)
    groups = [f"d{i % docs}" for i in range(len(labels))]
    return _threshold(
        lambda rows: _Fixed(), features, [*labels, True, False, True, False], groups, lexicon
    )


def test_the_threshold_is_chosen_out_of_fold_and_judged_against_the_lexicon() -> None:
    labels = [True] * 12 + [False] * 12
    # the model ranks every positive above every negative, at 0.3 and 0.1
    probabilities = [0.3] * 12 + [0.1] * 12
    lexicon_half = [True] * 6 + [False] * 18  # the lexicon finds half of the positives
    threshold = _judge(probabilities, labels, lexicon_half, FOLDS)
    assert threshold is not None and 0.1 < threshold <= 0.3
    # a perfect lexicon: learning cannot do better, nothing is changed
    assert _judge(probabilities, labels, labels, FOLDS) is None
    # too few documents to judge: the usual threshold
    assert _judge(probabilities, labels, lexicon_half, FOLDS - 1) == 0.5


def test_the_model_file_keeps_the_context_weights_and_refuses_bad_ones(tmp_path: Path) -> None:
    weights = [0.5, -1.0, 2.0, 0.0, 0.0, 0.0, 1.0, -3.0]
    model = Model(("arms",), "f", ["ab"], [1.0])
    model.classifiers["arms"] = Classifier([0.1], -1.0, 1.0, {}, 3, 4, weights)
    save(model, tmp_path)
    loaded = load(tmp_path)
    assert loaded is not None and loaded.classifiers["arms"].context == weights
    silent = model.evidence("arms", "ab", [], None, (1.0, 1.0, 0.5, 0.0))
    fired = model.evidence("arms", "ab", ["x"], None, (0.0, 0.0, 0.5, 1.0))
    kept = loaded.evidence("arms", "ab", [], None, (1.0, 1.0, 0.5, 0.0))
    assert math.isclose(silent.probability, kept.probability, rel_tol=1e-9)
    # the silent sentence's context counts with the first four weights, a fired one's with
    # the last four: a lone firing (-3) pulls it down
    plain = model.evidence("arms", "ab", ["x"], None, (0.0, 0.0, 0.5, 0.0))
    assert fired.probability < plain.probability
    data = json.loads((tmp_path / MODEL_FILE).read_text("utf-8"))
    data["classifiers"]["arms"]["context"] = weights[:4]
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
    seeds = ROOT / "tests/data/gold/seeds_gold.jsonl"
    assert bench.main(["--test", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "lexicon alone" in out and "+ learning" in out and "F1 difference" in out
    docs = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(seen) == len(docs)
    for held, trained in zip(docs, seen, strict=True):
        assert trained == set(docs) - {held}
    assert bench.main(["--test", str(ROOT / "missing.jsonl")]) == 2
