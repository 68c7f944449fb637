"""reader.learn and reader.learn_store: examples from the store, training, the blend, the file."""

from __future__ import annotations

import json
import math
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus import Document, read_document
from reader.learn import MAX_FEATURES, MIN_DF, MODEL_FILE, Example, Model, ngrams, train
from reader.learn_store import examples_from_store, learned_model, load, save, store_examples
from reader.lemmas import load as load_lemmas
from reader.lexicon import DEFAULT_TERMS
from reader.rejections import Rejected, Rejections
from reader.store import Store
from reader.store.model import ANCHORED, ORPHANED, Annotation
from reader.suggest import TERM_PRIOR, Lexicon, Suggestion, lexicon_probability

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
THEMES = tuple(DEFAULT_TERMS)
SEED = "002_691f64315ff478ca.txt"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(DEFAULT_TERMS, load_lemmas())


def doc() -> Document:
    return read_document(SEEDS / SEED, SEEDS)


def ann(d: Document, index: int, themes: list[str], status: str = ANCHORED) -> Annotation:
    span = list(d.all_sentences())[index]
    return Annotation(
        id=f"a{index}", doc=d.rel, doc_sha256=d.sha256, start=span.start, end=span.end,
        quote=d.text[span.start : span.end], prefix="", suffix="", themes=themes, note="",
        annotator="t", created="", updated="", status=status,
    )  # fmt: skip


def sentence(d: Document, index: int) -> str:
    span = list(d.all_sentences())[index]
    return d.text[span.start : span.end]


# --- what the store's decisions teach -------------------------------------------------


def test_reviewed_extent_ends_at_the_furthest_annotation() -> None:
    d = doc()
    tags = [ann(d, 3, ["china"]), ann(d, 7, ["troops"])]
    examples = examples_from_store(tags, [], {d.rel: d}, THEMES)
    texts = {e.text: e.labels for e in examples}
    # the tags: positive for their themes, negative for the others
    assert texts[sentence(d, 3)] == {"arms": False, "troops": False, "sanctions": False,
                                     "china": True}  # fmt: skip
    assert texts[sentence(d, 7)]["troops"] and not texts[sentence(d, 7)]["arms"]
    # untagged sentences up to the last tag: negatives for every theme
    for index in (0, 1, 2, 4, 5, 6):
        assert texts[sentence(d, index)] == dict.fromkeys(THEMES, False)
    # past it: not reviewed, not used
    assert all(sentence(d, index) not in texts for index in range(8, 23))
    assert len(examples) == 8


def test_a_rejection_is_a_negative_for_its_themes_only_and_reviews_nothing() -> None:
    d = doc()
    span = list(d.all_sentences())[9]
    quote = d.text[span.start : span.end]
    rejected = [Rejected(d.rel, d.sha256, span.start, span.end, ("arms", "nope"), quote)]
    examples = examples_from_store([], rejected, {d.rel: d}, THEMES)
    assert examples == [Example(quote, {"arms": False})]


def test_a_tag_on_a_rejected_sentence_wins() -> None:
    d = doc()
    tag = ann(d, 9, ["arms"])
    rejected = [Rejected(d.rel, d.sha256, tag.start, tag.end, ("arms",), tag.quote)]
    examples = examples_from_store([tag], rejected, {d.rel: d}, THEMES)
    assert [e.labels["arms"] for e in examples if e.text == tag.quote] == [True]


def test_a_changed_text_or_a_missing_one_gives_positives_only() -> None:
    d = doc()
    stale = ann(d, 7, ["troops"])
    stale.doc_sha256 = "0" * 64
    for documents in ({d.rel: d}, {}):
        examples = examples_from_store(
            [stale, ann(d, 5, ["arms"], ORPHANED)], [], documents, THEMES
        )
        assert examples == [Example(stale.quote, {t: t == "troops" for t in THEMES})]


# --- training and the blend ------------------------------------------------------------


def test_no_examples_no_classifier_and_the_lexicon_alone(lexicon: Lexicon) -> None:
    model = train([], lexicon)
    assert model.classifiers == {}
    ev = model.evidence("arms", "أطلقت صاروخا", ["صاروخ"])
    assert ev.probability == ev.lexicon == TERM_PRIOR and ev.model is None


def test_few_decisions_leave_the_lexicon_in_charge(lexicon: Lexicon) -> None:
    # One unrelated negative: the n-grams and the lexicon's weight barely move.
    model = train([Example("عقد الوزير مؤتمرا صحفيا", {"arms": False})], lexicon)
    assert set(model.classifiers) == {"arms"}
    for terms in ((), ("صاروخ",), ("صاروخ", "سلاح")):
        ev = model.evidence("arms", "أطلقت كوريا صاروخا جديدا وسلاحا", terms)
        assert abs(ev.probability - lexicon_probability(terms)) < 0.05
    assert model.evidence("troops", "x", ["جيش"]).model is None  # no classifier: no example


def test_rejections_demote_the_term_that_misfired(lexicon: Lexicon) -> None:
    misfires = [
        "قدم الوزير مناورة جديدة أمام البرلمان",
        "وصف المعارضون الخطوة بأنها مناورة",
        "مناورة الرئيس أمام خصومه لم تنجح",
        "لجأ الحزب إلى مناورة قبل التصويت",
        "مناورة دبلوماسية من الوزير",
    ]
    probe = "تتواصل المناورة منذ أسبوع"
    terms = lexicon.match([r for _, _, r in lexicon.tokens(probe)])["troops"]
    seen = []
    for k in range(1, len(misfires) + 1):
        model = train([Example(t, {"troops": False}) for t in misfires[:k]], lexicon)
        seen.append(model.evidence("troops", probe, terms).probability)
    assert seen[0] >= 0.5 > seen[-1]  # one rejection is not enough, five are
    assert seen == sorted(seen, reverse=True)


def test_the_python_vector_is_sklearns_tfidf(lexicon: Lexicon) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    d = doc()
    texts = [sentence(d, i) for i in range(20)]  # 10 positives, 10 negatives: a classifier
    examples = [Example(t, {"arms": i % 2 == 0}) for i, t in enumerate(texts)]
    model = train(examples, lexicon)
    reference = TfidfVectorizer(
        analyzer=ngrams, sublinear_tf=True, min_df=MIN_DF, max_features=MAX_FEATURES
    )
    reference.fit(texts)
    assert model.grams == sorted(reference.vocabulary_, key=reference.vocabulary_.__getitem__)
    probe = sentence(d, 22)
    row = reference.transform([probe]).tocoo()
    expected = dict(zip(row.col.tolist(), row.data.tolist(), strict=True))
    got = model.vector(probe)
    assert set(got) == set(expected)
    assert all(math.isclose(got[i], expected[i], rel_tol=1e-9) for i in expected)


def test_the_tags_of_a_seed_move_the_model_towards_them(lexicon: Lexicon) -> None:
    gold = [json.loads(x) for x in (ROOT / "tests/data/gold/seeds_gold.jsonl").open()]
    d = doc()
    starts = [s.start for s in d.all_sentences()]
    tags = [ann(d, starts.index(g["start"]), g["themes"]) for g in gold if g["doc"] == d.rel]
    model = train(examples_from_store(tags, [], {d.rel: d}, THEMES), lexicon)
    assert set(model.classifiers) == set(THEMES)
    right = {"lexicon": 0, "model": 0}
    leaning: dict[bool, list[float]] = {True: [], False: []}
    for tag in tags:
        for theme in THEMES:
            terms = lexicon.match([r for _, _, r in lexicon.tokens(tag.quote)]).get(theme, [])
            ev = model.evidence(theme, tag.quote, terms)
            right["lexicon"] += (ev.lexicon >= 0.5) == (theme in tag.themes)
            right["model"] += (ev.probability >= 0.5) == (theme in tag.themes)
            if ev.model is not None:
                leaning[theme in tag.themes].append(ev.model)
    assert right["model"] >= right["lexicon"]
    # the themes with enough examples have a text classifier, and it leans the analyst's way
    assert leaning[True] and leaning[False]
    assert min(leaning[True]) > max(leaning[False])


# --- the model file ------------------------------------------------------------------


def small_model(lexicon: Lexicon) -> tuple[Model, list[Example]]:
    d = doc()
    # arms has enough examples for a text classifier, china only for its terms' trust
    examples = [Example(sentence(d, i), {"arms": i % 2 == 0, "china": i == 3})
                for i in range(20)]  # fmt: skip
    return train(examples, lexicon), examples


def test_save_and_load_round_trip_and_reuse(tmp_path: Path, lexicon: Lexicon) -> None:
    model, examples = small_model(lexicon)
    save(model, tmp_path)
    loaded = load(tmp_path)
    assert loaded is not None and loaded.fingerprint == model.fingerprint
    probe = sentence(doc(), 13)
    for theme in ("arms", "china"):
        a, b = model.evidence(theme, probe, ["x"]), loaded.evidence(theme, probe, ["x"])
        assert math.isclose(a.probability, b.probability, rel_tol=1e-4)
    assert train(examples, lexicon, loaded) is loaded  # the same examples: not trained again
    assert train(examples[:-1], lexicon, loaded) is not loaded


def corrupt(text: str) -> bytes:
    return text.encode()


@pytest.mark.parametrize(
    "change",
    [
        lambda body: b"{not json",
        lambda body: pickle.dumps({"format": "reader-suggest-model"}),
        lambda body: json.dumps({**body, "format": "other"}).encode(),
        lambda body: json.dumps({**body, "version": 99}).encode(),
        lambda body: json.dumps({**body, "idf": body["idf"][:-1]}).encode(),
        lambda body: json.dumps({**body, "vocabulary": [1] * len(body["vocabulary"])}).encode(),
        lambda body: json.dumps({**body, "classifiers": {"arms": {"coef": "x"}}}).encode(),
        lambda body: json.dumps({**body, "classifiers": []}).encode(),
        lambda body: json.dumps(
            {**body, "classifiers": {"arms": {**body["classifiers"]["arms"], "intercept": "NaN"}}}
        ).encode(),
        lambda body: json.dumps({**body, "idf": [float("nan")] * len(body["idf"])}).encode(),
        lambda body: json.dumps([body]).encode(),
        lambda body: b"\xff\xfe",
    ],
)
def test_a_damaged_or_foreign_model_file_is_ignored(
    tmp_path: Path, lexicon: Lexicon, change: object
) -> None:
    model, _ = small_model(lexicon)
    save(model, tmp_path)
    body = json.loads((tmp_path / MODEL_FILE).read_bytes())
    (tmp_path / MODEL_FILE).write_bytes(change(body))  # type: ignore[operator]
    assert load(tmp_path) is None


def gold_store(tmp_path: Path) -> Path:
    """A store holding the gold tags of every seed but SEED; the corpus is a copy of the seeds."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEEDS.glob("*.txt"):
        (corpus / path.name).write_bytes(path.read_bytes())
    store = Store(tmp_path / "store", "gold")
    for record in (ROOT / "tests/data/gold/seeds_gold.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(record)
        if rec["doc"] != SEED:
            d = read_document(corpus / rec["doc"], corpus)
            store.add(d, rec["start"], rec["end"], rec["themes"])
    store.close()
    return corpus


def test_learned_model_reads_the_corpus_and_rebuilds_a_bad_file(
    tmp_path: Path, lexicon: Lexicon
) -> None:
    corpus = gold_store(tmp_path)
    root = tmp_path / "store"
    (root / MODEL_FILE).write_bytes(b"garbage")
    held = read_document(corpus / SEED, corpus)
    examples = store_examples(root, THEMES, [held])
    # negatives came from the other documents, read from the held one's corpus root
    assert sum(not any(e.labels.values()) for e in examples) > 40
    model = learned_model(root, lexicon, [held], write=True)
    # a theme whose learning did no better than the lexicon out of fold has no classifier
    assert set(model.classifiers) <= set(THEMES)
    saved = load(root)
    assert saved is not None and saved.fingerprint == model.fingerprint


def test_a_store_naming_a_file_outside_the_corpus_is_not_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("جملة أولى. جملة ثانية.\n", "utf-8")
    (tmp_path / "secret.txt").write_text("سر لا يقرأ. أبدا.\n", "utf-8")
    store = Store(tmp_path / "store", "t")
    outside = read_document(tmp_path / "secret.txt", corpus.parent)
    record = Document(outside.path, "../secret.txt", outside.text, "utf-8", 1)
    store.add(record, 0, 10, ["arms"])
    store.close()
    examples = store_examples(tmp_path / "store", THEMES, [read_document(corpus / "a.txt", corpus)])
    assert [e.text for e in examples] == ["سر لا يقرأ"]  # the tag's quote, nothing read


def test_a_current_model_on_disk_costs_no_scikit_learn(tmp_path: Path, lexicon: Lexicon) -> None:
    corpus = gold_store(tmp_path)
    learned_model(tmp_path / "store", lexicon, [read_document(corpus / SEED, corpus)], write=True)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.corpus import read_document\n"
        "from reader.learn_store import learned_model\n"
        "from reader.lemmas import load\n"
        "from reader.lexicon import DEFAULT_TERMS\n"
        "from reader.suggest import Lexicon\n"
        f"corpus = Path({str(corpus)!r})\n"
        f"model = learned_model(Path({str(tmp_path / 'store')!r}), Lexicon(DEFAULT_TERMS, load()),"
        f" [read_document(corpus / {SEED!r}, corpus)])\n"
        "print(len(model.classifiers), sorted(m for m in sys.modules if m.startswith('sklearn')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "4 []"


def test_rejections_records_are_read_back(tmp_path: Path) -> None:
    d = doc()
    span = list(d.all_sentences())[6]
    sugg = Suggestion(d.rel, span.start, span.end, ("arms",), 0.9)
    Rejections(tmp_path, "t").reject(d, sugg)
    [rec] = Rejections(tmp_path).records()
    assert rec == Rejected(d.rel, d.sha256, span.start, span.end, ("arms",), sentence(d, 6))
