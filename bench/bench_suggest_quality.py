"""Suggestion quality: the lexicon alone, and the learning curve, leaving one document out.

    python bench/bench_suggest_quality.py [--gold tests/data/gold/seeds_gold.jsonl]
                                          [--docs DIR] [--k 0,5,20,50] [--lexicon default|minimal]
                                          [--no-lemmas] [--misses]
    python bench/bench_suggest_quality.py --pool GOLD [--pool GOLD]... --test GOLD
                                          [--themes STORE | --terms-at REV] [--changes]
    python bench/bench_suggest_quality.py --folds [--pool GOLD]... [--report NAME]...
                                          [--themes STORE | --terms-at REV] [--changes]

Units are the sentences of the gold file's documents (``_gold.py`` says how a gold
file is read). For each document in turn (*held out*):

* **lexicon** — the shipped lexicon (with the lemma dictionary) on the held-out
  document: the same for every fold, so these are simply its figures on the set;
* **lexicon + learning after k** — an analyst reads the *other* documents in order
  and tags their gold sentences; after k tagged sentences the store's examples
  (:func:`reader.learn.examples_from_store`: tags, and the reviewed sentences left
  untagged) train :func:`reader.learn.train`, and the held-out document is
  suggested with the model. Each k is run once per rotation of the reading order
  of the other documents, and the counts are summed; ``all`` is every tag of the
  other documents ("the store holds the tags of the other documents").

Counts are pooled over folds (micro-averaged) per theme: P, R, F1. ``--lexicon
minimal`` starts from one term per theme, to show what learning adds when the
lexicon is weak. ``--misses`` lists the lexicon's false positives and negatives.
The figures are printed; nothing is asserted.

**"When the store holds the tags of the other documents"** (issue 16's second target):
``--test GOLD --pool GOLD…`` leaves out one document ``d`` of the test set at a time;
the store holds the gold tags of every other document — all the pooled sets' and the
test set's other documents — and every other sentence of them as a reviewed, untagged
negative (each example read in its document: terms and context as when suggesting).
The model trained on them suggests ``d``; the lexicon alone suggests ``d`` too.
Counts are pooled over ``d``: P / R / F1 per theme for both, and the difference of F1.
Nothing of ``d`` is used for training, and no setting is chosen on it. ``--themes
STORE`` takes the terms of ``STORE/themes.toml`` instead of the shipped lexicon (e.g.
an older lexicon, to see learning beside a lexicon never tuned on the test set);
``--terms-at REV`` takes the shipped lexicon as it was at a git revision of this
repository (``git show REV:reader/lexicon.py``); ``--changes`` lists the sentences
where learning and the lexicon disagree.

**Leave one set out** (``--folds``): every gold set given with ``--pool`` (default: the
five read sets, seeds to heldout4) is the test set in turn, each of its documents left
out in turn while the store holds every other document of every set — the same protocol
as ``--test``, run for each set. Per set and theme the lexicon's F1, the learned F1 and
the difference, then all sets pooled and how many sets learning beat, tied and lost.
``--report NAME`` (repeatable) reports only those sets (the store still holds the
others): with ``--terms-at`` an older lexicon can be measured on the sets it was never
tuned on, the situation of a new test set.
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from _gold import REPO, Counts, Gold, GoldError, count, load, load_all, prf, tagged_until

from reader import learn
from reader.corpus import Span
from reader.errors import StoreError
from reader.learn import Example, Model, train
from reader.learn_store import examples_from_store
from reader.lemmas import load as load_lemmas
from reader.lexicon import DEFAULT_TERMS
from reader.store.themes import load_themes
from reader.suggest import Lexicon, suggest_document

MINIMAL = {"arms": ("سلاح",), "troops": ("جندي",), "sanctions": ("=عقوبات",), "china": ("الصين",)}


def predict(gold: Gold, rels: list[str], lexicon: Lexicon, model: object = None) -> dict:
    out: dict[tuple[str, int, int], set[str]] = {}
    for rel in rels:
        for s in suggest_document(gold.documents[rel], lexicon, model=model):  # type: ignore[arg-type]
            out[(rel, s.start, s.end)] = set(s.themes)
    return out


def add(total: Counts, more: Counts) -> None:
    for theme, c in more.items():
        for i in range(3):
            total[theme][i] += c[i]


def learning(gold: Gold, lexicon: Lexicon, k: int | None) -> tuple[Counts, int]:
    """Counts over every held-out document (and reading order) for ``k`` tags."""
    themes = list(lexicon.themes)
    total: Counts = {t: [0, 0, 0] for t in themes}
    runs = 0
    rels = sorted(gold.documents)
    for held in rels:
        others = [r for r in rels if r != held]
        orders = [others] if k is None else [others[i:] + others[:i] for i in range(len(others))]
        for order in orders:
            annotations = tagged_until(gold, order, k)
            examples = examples_from_store(annotations, [], gold.documents, themes)
            model = train(examples, lexicon)
            add(total, count(gold.of(held), predict(gold, [held], lexicon, model), themes))
            runs += 1
    return total, runs


def reviewed(gold: Gold, rels: list[str], themes: list[str]) -> list[Example]:
    """Every sentence of ``rels``, labelled by the gold set, where it was read."""
    out: list[Example] = []
    for unit in gold.units:
        if unit.doc not in rels:
            continue
        text = gold.documents[unit.doc].text[unit.span.start : unit.span.end]
        if text.strip():
            labels = {t: t in unit.themes for t in themes}
            out.append(Example(text, labels, unit.doc, unit.span.start, unit.span.end))
    return out


def others_known(
    gold: Gold, tests: list[str], lexicon: Lexicon, changes: bool
) -> dict[str, tuple[Counts, Counts]]:
    """Per test document: the lexicon alone and with learning, the store holding the rest."""
    themes = list(lexicon.themes)
    out: dict[str, tuple[Counts, Counts]] = {}
    rels = sorted(gold.documents)
    for held in tests:
        others = [r for r in rels if r != held]
        texts = {r: gold.documents[r] for r in others}
        model: Model = train(reviewed(gold, others, themes), lexicon, documents=texts)
        base = predict(gold, [held], lexicon)
        mine = predict(gold, [held], lexicon, model)
        out[held] = (count(gold.of(held), base, themes), count(gold.of(held), mine, themes))
        if changes:
            for unit in gold.of(held):
                key = (unit.doc, unit.span.start, unit.span.end)
                for t in themes:
                    was, now = t in base.get(key, set()), t in mine.get(key, set())
                    if was != now:
                        right = "right" if now == (t in unit.themes) else "WRONG"
                        text = gold.documents[held].text[unit.span.start : unit.span.end]
                        print(f"{'+' if now else '-'}{t:<9} {right:<5} {held[:12]} {text[:90]}")
    return out


def pooled_counts(
    per_doc: dict[str, tuple[Counts, Counts]], docs: list[str], themes: list[str]
) -> tuple[Counts, Counts]:
    alone: Counts = {t: [0, 0, 0] for t in themes}
    learned: Counts = {t: [0, 0, 0] for t in themes}
    for doc in docs:
        add(alone, per_doc[doc][0])
        add(learned, per_doc[doc][1])
    return alone, learned


def row(name: str, counts: Counts, themes: list[str]) -> list[str]:
    cells = [name]
    for theme in themes:
        p, r, f = prf(counts[theme])
        cells.append(f"{p:.2f} / {r:.2f} / {f:.3f}")
    return cells


def terms_at(rev: str) -> dict[str, tuple[str, ...]]:
    """``DEFAULT_TERMS`` of reader/lexicon.py at a git revision of this repository.

    That file is a module of constants (tuples of terms, some spliced into others), so it
    is run, in a namespace of its own, to read them.
    """
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{rev}:reader/lexicon.py"],
        capture_output=True,
        text=True,
    )
    if shown.returncode != 0:
        raise GoldError(f"--terms-at {rev}: {shown.stderr.strip() or 'git show failed'}")
    namespace: dict[str, object] = {}
    try:
        exec(compile(shown.stdout, f"{rev}:reader/lexicon.py", "exec"), namespace)
        terms = namespace["DEFAULT_TERMS"]
        return {str(k): tuple(v) for k, v in terms.items()}  # type: ignore[attr-defined]
    except Exception as exc:  # any failure means "not a lexicon"
        raise GoldError(
            f"--terms-at {rev}: no DEFAULT_TERMS in reader/lexicon.py ({exc})"
        ) from None


def terms_of(args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    if args.terms_at is not None:
        return terms_at(args.terms_at)
    if args.themes is not None:
        return {theme.key: tuple(theme.terms) for theme in load_themes(args.themes)}
    return dict(DEFAULT_TERMS if args.lexicon == "default" else MINIMAL)


def memoise_learning() -> None:
    """``--test`` and ``--folds`` train one model per document on nearly the same examples:
    the tokens of a text and the lexicon's reading of a document are computed once each
    (bench only: the app keeps no such cache)."""
    if hasattr(learn.ngrams, "cache_info"):
        return  # done already
    learn.__dict__["ngrams"] = functools.lru_cache(maxsize=None)(learn.ngrams)
    read = learn.lexicon_signals
    memo: dict[tuple[int, str], tuple[Lexicon, object]] = {}

    def signals(text: str, spans: Sequence[Span], lexicon: Lexicon) -> object:
        key = (id(lexicon), text)  # the spans of a text are always its content sentences
        if key not in memo:
            memo[key] = (lexicon, read(text, spans, lexicon))  # the lexicon kept: ids unique
        return memo[key][1]

    learn.__dict__["lexicon_signals"] = signals


def gold_and_lexicon(args: argparse.Namespace, paths: list[Path]) -> tuple[Gold, Lexicon] | None:
    """The gold sets and the lexicon the arguments name; None after one line on stderr."""
    memoise_learning()
    try:
        gold = load_all(paths, args.docs)
        terms = terms_of(args)
    except (GoldError, StoreError) as exc:
        print(f"bench_suggest_quality: {exc}", file=sys.stderr)
        return None
    return gold, Lexicon(terms, lemmas=None if args.no_lemmas else load_lemmas())


def pooled(args: argparse.Namespace) -> int:
    """``--test``: the store holds the tags of every other document (see the module notes)."""
    began = time.perf_counter()
    loaded = gold_and_lexicon(args, [*args.pool, args.test])
    if loaded is None:
        return 2
    gold, lexicon = loaded
    themes = list(lexicon.themes)
    tests = gold.sets[args.test.name]
    pool = [r for r in gold.documents if r not in set(tests)]
    print(
        f"test: {args.test.name}, {len(tests)} documents; the store holds the other "
        f"{len(tests) - 1} and {len(pool)} of {', '.join(p.name for p in args.pool) or 'nothing'}; "
        f"terms: {args.terms_at or args.themes or args.lexicon}"
    )
    per_doc = others_known(gold, tests, lexicon, args.changes)
    alone, learned = pooled_counts(per_doc, tests, themes)
    rows = [row("lexicon alone", alone, themes), row("+ learning", learned, themes)]
    diff = ["F1 difference"]
    for theme in themes:
        diff.append(f"{prf(learned[theme])[2] - prf(alone[theme])[2]:+.3f}")
    print("\nP / R / F1 per theme on the test documents (pooled counts)\n")
    headers = ["", *themes]
    table = [headers, *rows, diff]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for cells in table:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    print(f"\n{time.perf_counter() - began:.1f} s")
    return 0


#: ``--folds``' default sets: the five read gold sets (never a set still held out).
READ_SETS = (
    REPO / "tests/data/gold/seeds_gold.jsonl",
    REPO / "tests/data/gold/heldout/heldout_gold.jsonl",
    REPO / "tests/data/gold/heldout2/heldout2_gold.jsonl",
    REPO / "tests/data/gold/heldout3/heldout3_gold.jsonl",
    REPO / "tests/data/gold/heldout4/heldout4_gold.jsonl",
)


def folds(args: argparse.Namespace) -> int:
    """``--folds``: each set the test set in turn (see the module notes)."""
    began = time.perf_counter()
    loaded = gold_and_lexicon(args, args.pool or list(READ_SETS))
    if loaded is None:
        return 2
    gold, lexicon = loaded
    short = {n: n.split("_gold")[0] for n in gold.sets}
    unknown = sorted(set(args.report) - set(short.values()))
    if unknown:
        print(f"bench_suggest_quality: --report {unknown[0]}: not one of the sets", file=sys.stderr)
        return 2
    names = [n for n in gold.sets if not args.report or short[n] in args.report]
    themes = list(lexicon.themes)
    print(
        f"leave one set out over {', '.join(gold.sets)}; reported: {', '.join(names)}; "
        f"terms: {args.terms_at or args.themes or args.lexicon}"
    )
    print("each document left out in turn, the store holding every other document's tags\n")
    print("F1 per theme: lexicon alone -> lexicon + learning (difference)\n")
    table = [["set (documents)", *themes]]
    tally = {t: [0, 0, 0] for t in themes}
    per_doc: dict[str, tuple[Counts, Counts]] = {}
    for name in names:
        docs = gold.sets[name]
        per_doc.update(others_known(gold, docs, lexicon, args.changes))
        alone, learned = pooled_counts(per_doc, docs, themes)
        cells = [f"{short[name]} ({len(docs)})"]
        for t in themes:
            before, after = prf(alone[t])[2], prf(learned[t])[2]
            cells.append(f"{before:.3f} -> {after:.3f} ({after - before:+.3f})")
            tally[t][0 if after > before + 1e-9 else 2 if after < before - 1e-9 else 1] += 1
        table.append(cells)
    docs = [d for name in names for d in gold.sets[name]]
    alone, learned = pooled_counts(per_doc, docs, themes)
    cells = [f"all ({len(docs)})"]
    for t in themes:
        before, after = prf(alone[t])[2], prf(learned[t])[2]
        cells.append(f"{before:.3f} -> {after:.3f} ({after - before:+.3f})")
    table.append(cells)
    table.append(["sets beat / tied / lost", *(" / ".join(map(str, tally[t])) for t in themes)])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for cells in table:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    print(f"\n{time.perf_counter() - began:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=REPO / "tests/data/gold/seeds_gold.jsonl")
    parser.add_argument("--docs", type=Path, help="folder of the gold file's documents")
    parser.add_argument("--k", default="0,5,20,50", help="tagged sentences before training")
    parser.add_argument("--lexicon", choices=("default", "minimal"), default="default")
    parser.add_argument("--no-lemmas", action="store_true", help="the stemmer alone")
    parser.add_argument("--misses", action="store_true", help="list the lexicon's errors")
    parser.add_argument(
        "--pool", type=Path, action="append", default=[], help="gold set the store holds"
    )
    parser.add_argument("--test", type=Path, help="gold set left out one document at a time")
    parser.add_argument(
        "--themes", type=Path, help="store folder whose themes.toml gives the terms"
    )
    parser.add_argument("--terms-at", help="the shipped lexicon as it was at this git revision")
    parser.add_argument("--changes", action="store_true", help="sentences learning changed")
    parser.add_argument("--folds", action="store_true", help="leave one set out (see above)")
    parser.add_argument(
        "--report", action="append", default=[], help="with --folds: only this set (name)"
    )
    args = parser.parse_args(argv)
    if args.folds:
        return folds(args)
    if args.test is not None:
        return pooled(args)
    try:
        gold = load(args.gold, args.docs)
        ks = [int(k) for k in args.k.split(",") if k.strip()]
    except GoldError as exc:
        print(f"bench_suggest_quality: {exc}", file=sys.stderr)
        return 2
    except ValueError:
        print(f"bench_suggest_quality: --k {args.k!r}: not numbers", file=sys.stderr)
        return 2
    terms = DEFAULT_TERMS if args.lexicon == "default" else MINIMAL
    began = time.perf_counter()
    lexicon = Lexicon(terms, lemmas=None if args.no_lemmas else load_lemmas())
    themes = list(lexicon.themes)
    rels = sorted(gold.documents)
    positives = {t: sum(t in u.themes for u in gold.units) for t in themes}
    print(
        f"gold: {gold.path.name}, {len(rels)} documents, {len(gold.units)} sentences; "
        + ", ".join(f"{t} {n}" for t, n in positives.items())
        + f"; lexicon: {args.lexicon}{'' if not args.no_lemmas else ', no lemmas'}"
    )
    alone = count(gold.units, predict(gold, rels, lexicon), themes)
    rows = [row("lexicon alone", alone, themes)]
    for k in [*ks, None]:
        counts, runs = learning(gold, lexicon, k)
        name = f"+ learning, k = {'all' if k is None else k} ({runs} runs)"
        rows.append(row(name, counts, themes))
    print("\nP / R / F1 per theme, leave one document out (pooled counts)\n")
    headers = ["", *themes]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for cells in [headers, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    print(f"\n{time.perf_counter() - began:.1f} s")
    if args.misses:
        predicted = predict(gold, rels, lexicon)
        for theme in themes:
            for unit in gold.units:
                said = theme in predicted.get((unit.doc, unit.span.start, unit.span.end), set())
                if said != (theme in unit.themes):
                    text = gold.documents[unit.doc].text[unit.span.start : unit.span.end]
                    kind = "FP" if said else "FN"
                    print(f"{kind} {theme:<9} {unit.doc[:12]} {unit.span.start:>5} {text[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
