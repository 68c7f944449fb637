"""``reader agree`` on a pair of stores: α and κ equal the krippendorff package's and an
independent computation written here (a coincidence matrix, a confusion matrix)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from store_support import write_doc

from reader.agreement import compute
from reader.agreement_measures import SpanMatch, cohen_kappa, masi_alpha, nominal_alpha
from reader.cli import main
from reader.store import Store

WORDS = ["الأسلحة", "القوات", "العقوبات", "الصين", "موسكو", "بيونغ", "يانغ", "الحدود"]
SENTENCES = [f"هذه الجملة عن {WORDS[i % 8]} و{WORDS[(i * 3) % 8]} حقا." for i in range(12)]

# What each annotator gives each of the twelve sentences (tagged exactly that sentence).
ALICE = [
    {"arms"}, {"arms"}, {"arms", "troops"}, set(), {"troops"}, {"china"},
    set(), {"arms"}, set(), {"troops"}, {"china"}, set(),
]  # fmt: skip
BOB = [
    {"arms"}, set(), {"arms"}, set(), {"troops"}, {"china"},
    {"troops"}, {"arms"}, set(), {"troops", "china"}, set(), set(),
]  # fmt: skip
KEYS = ["arms", "troops", "sanctions", "china"]


def coincidence_alpha(rows: Sequence[Sequence[Hashable]]) -> float:
    """Krippendorff's nominal α from its coincidence matrix (Krippendorff 2011, §C)."""
    o: Counter[tuple[Hashable, Hashable]] = Counter()
    for unit in zip(*rows, strict=True):
        m = len(unit)
        for i, c in enumerate(unit):
            for j, k in enumerate(unit):
                if i != j:
                    o[c, k] += 1 / (m - 1)
    n_c: Counter[Hashable] = Counter()
    for (c, _k), count in o.items():
        n_c[c] += count
    n = sum(n_c.values())
    observed = sum(count for (c, k), count in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    return 1 - observed / expected


def confusion_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's κ from the two coders' confusion matrix."""
    n = len(a)
    cells = Counter(zip(a, b, strict=True))
    labels = set(a) | set(b)
    p_o = sum(cells[c, c] for c in labels) / n
    rows = {c: sum(cells[c, k] for k in labels) / n for c in labels}
    cols = {k: sum(cells[c, k] for c in labels) / n for k in labels}
    p_e = sum(rows[c] * cols[c] for c in labels)
    return (p_o - p_e) / (1 - p_e)


def package_alpha(rows: Sequence[Sequence[Hashable]]) -> float:
    index = {v: i for i, v in enumerate(dict.fromkeys(v for row in rows for v in row))}
    data = np.array([[index[v] for v in row] for row in rows], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = tmp_path / "corpus"
    doc = write_doc(corpus, "news.txt", " ".join(SENTENCES[:6]) + "\n" + " ".join(SENTENCES[6:]))
    only_alice = write_doc(corpus, "other.txt", SENTENCES[0])
    sentences = list(doc.all_sentences())
    assert len(sentences) == 12
    stores = []
    for name, given in (("alice", ALICE), ("bob", BOB)):
        store = Store(tmp_path / name, name)
        for span, themes in zip(sentences, given, strict=True):
            if themes:
                store.add(doc, span.start, span.end, sorted(themes))
        if name == "alice":
            store.add(only_alice, 0, 10, ["arms"])
        store.close()
        stores.append(tmp_path / name)
    return stores[0], stores[1], corpus


def agree_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["agree", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_alpha_and_kappa_equal_the_package_and_an_independent_computation(pair, capsys) -> None:
    a, b, corpus = pair
    report = agree_json(capsys, str(a), str(b), "--corpus", str(corpus))
    assert report["annotators"] == ["alice", "bob"]
    for key in KEYS:
        rows = [[key in s for s in ALICE], [key in s for s in BOB]]
        figures = report["themes"][key]
        assert figures["units"] == 12
        if key == "sanctions":  # nobody used it: nothing varies, α and κ undefined
            assert figures["alpha"] is None and figures["kappa"] is None
            continue
        assert figures["alpha"] == pytest.approx(coincidence_alpha(rows), abs=1e-12)
        assert figures["alpha"] == pytest.approx(package_alpha(rows), abs=1e-12)
        assert figures["kappa"] == pytest.approx(confusion_kappa(*rows), abs=1e-12)
        # For one theme the MASI distance is the nominal one: the same α, through nltk.
        assert figures["alpha_masi"] == pytest.approx(figures["alpha"], abs=1e-12)
    sets = [[frozenset(s) for s in ALICE], [frozenset(s) for s in BOB]]
    overall = report["overall"]
    assert overall["alpha"] == pytest.approx(coincidence_alpha(sets), abs=1e-12)
    assert overall["alpha"] == pytest.approx(package_alpha(sets), abs=1e-12)
    assert overall["kappa"] == pytest.approx(confusion_kappa(*sets), abs=1e-12)
    # {arms, troops} against {arms} is a partial agreement for MASI: α MASI is higher.
    assert overall["alpha_masi"] > overall["alpha"]
    # Exact span F1: the passages are whole sentences, so 2 · common / (|A| + |B|).
    spans_a = {(i, k) for i, s in enumerate(ALICE) for k in s}
    spans_b = {(i, k) for i, s in enumerate(BOB) for k in s}
    assert overall["f1_exact"] == pytest.approx(
        2 * len(spans_a & spans_b) / (len(spans_a) + len(spans_b))
    )


def test_json_shape_and_what_is_left_out(pair, capsys) -> None:
    a, b, corpus = pair
    report = agree_json(capsys, str(a), str(b), "--corpus", str(corpus))
    assert set(report) >= {"themes", "overall", "documents"}
    assert list(report["themes"]) == KEYS
    measures = {"alpha", "kappa", "alpha_masi", "f1_exact", "f1_overlap", "alpha_u", "units"}
    assert set(report["overall"]) == measures
    assert all(set(m) == measures for m in report["themes"].values())
    (doc,) = report["documents"]  # other.txt was coded by alice only
    assert doc["doc"] == "news.txt"
    for key in ("arms", "troops", "china"):  # per document α-MASI per theme is α: check it
        sets = [[frozenset({key} & s) for s in given] for given in (ALICE, BOB)]
        assert doc["themes"][key]["alpha_masi"] == pytest.approx(masi_alpha(sets), abs=1e-12)
    assert report["left_out"] == ["other.txt: not coded by bob"]
    differ = [i for i in range(12) if ALICE[i] != BOB[i]]
    assert len(doc["disagreements"]) == len(differ)
    first = doc["disagreements"][0]
    assert first["values"] == {"alice": ["arms"], "bob": []}
    assert first["text"] == SENTENCES[differ[0]]


def test_only_the_chosen_themes_and_annotators(pair, capsys, tmp_path) -> None:
    a, b, corpus = pair
    report = agree_json(capsys, str(a), str(b), "--corpus", str(corpus), "--theme", "arms")
    assert list(report["themes"]) == ["arms"]
    assert report["overall"]["alpha"] == report["themes"]["arms"]["alpha"]
    code = main(["agree", str(a), str(b), "--corpus", str(corpus), "--by", "alice", "carol"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "no annotation by 'carol'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["{a}"], "needs two annotators or more (found: alice)"),
        (["{a}", "{gone}"], "no store here"),
        (["{a}", "{b}", "--theme", "nope"], "unknown theme 'nope'"),
    ],
)
def test_errors_are_one_line(pair, capsys, tmp_path, argv, message) -> None:
    a, b, corpus = pair
    paths = {"a": a, "b": b, "gone": tmp_path / "gone"}
    code = main(["agree", *(arg.format(**paths) for arg in argv), "--corpus", str(corpus)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_text_report_names_the_figures(pair, capsys) -> None:
    a, b, corpus = pair
    assert main(["agree", str(a), str(b), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Agreement of 2 annotators (alice, bob) on 1 documents")
    assert "Arms" in out and "overall" in out and "u-α" in out
    assert "each sentence" in out  # says what the figures count
    assert "other.txt: not coded by bob" in out


def test_measures_on_their_own() -> None:
    assert nominal_alpha([[1, 1], [1, 1]]) is None  # one value: nothing varies
    assert cohen_kappa([1, 1], [1, 1]) is None
    assert masi_alpha([[frozenset()], [frozenset()]]) is None
    assert cohen_kappa(["x", "y", "x", "y"], ["x", "y", "y", "x"]) == 0.0
    match = SpanMatch.of([(0, 10), (20, 30)], [(5, 8), (40, 50)], exact=False)
    assert (match.matched_a, match.total_a, match.matched_b, match.total_b) == (1, 2, 1, 2)
    assert match.f1 == 0.5
    assert SpanMatch.of([(0, 10)], [(0, 10), (0, 11)], exact=True).f1 == pytest.approx(2 / 3)
    assert SpanMatch.of([], [], exact=True).f1 is None
    assert SpanMatch.of([(1, 2)], [], exact=False).f1 == 0.0


def test_three_annotators_have_no_kappa(tmp_path) -> None:
    doc = write_doc(tmp_path, "d.txt", " ".join(SENTENCES[:4]))
    spans = list(doc.all_sentences())
    anns = {}
    for name in ("a", "b", "c"):
        store = Store(tmp_path / name, name)
        anns[name] = [store.add(doc, spans[0].start, spans[0].end, ["arms"])]
        if name != "c":
            anns[name].append(store.add(doc, spans[1].start, spans[1].end, ["china"]))
        store.close()
    report = compute(anns, {"d.txt": doc}, KEYS)
    assert report.overall.kappa is None and report.overall.alpha is not None
    rows = [[frozenset(), frozenset()] for _ in range(3)]
    for row in rows:
        row[0] = frozenset({"arms"})
    rows[0][1] = rows[1][1] = frozenset({"china"})
    values = [[*row, frozenset(), frozenset()] for row in rows]
    assert report.overall.alpha == pytest.approx(coincidence_alpha(values))


def test_heavy_libraries_are_imported_only_when_computing() -> None:
    code = (
        "import sys, reader.agreement, reader.commands.agree, reader.cli\n"
        "print(sorted(m for m in ('nltk', 'krippendorff', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
