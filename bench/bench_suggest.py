"""Per-theme precision and recall of the lexicon alone against a hand-made gold set.

    python bench/bench_suggest.py [--gold FILE]... [--docs DIR] [--no-lemmas] [--misses]

By default two gold sets, each reported alone and together: the seeds
(tests/data/gold/seeds_gold.jsonl) and the development set
(tests/data/gold/heldout/heldout_gold.jsonl, the first held-out set, tuned on since);
their labelling rules are in tests/data/gold/README.md. ``--gold`` (repeatable)
names others: any gold file of store records works (``_gold.py`` says how one is
read and where its documents are looked for). A suggestion counts as right for a
theme when the gold set has that sentence with that theme.
Targets (issue 16, on a held-out set): precision ≥ 0.80 and recall ≥ 0.90 per theme.
``--misses`` lists the false positives and negatives with the terms that fired.
The learning curve is ``bench_suggest_quality.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from _gold import DEFAULT_GOLD, GoldError, count, load_all, prf

from reader.lemmas import load as load_lemmas
from reader.lexicon import DEFAULT_TERMS
from reader.suggest import Lexicon, suggest_document

RECALL_TARGET = 0.90
PRECISION_TARGET = 0.80


def table(counts: dict[str, list[int]], themes: list[str]) -> bool:
    """Print one gold set's figures; True when a theme misses a target."""
    print(
        f"{'theme':<10} {'gold':>5} {'sugg':>5} {'hit':>5} {'precision':>10} {'recall':>7}"
        f" {'F1':>6}  target"
    )
    failed = False
    for theme in themes:
        tp, fp, fn = counts[theme]
        precision, recall, f1 = prf(counts[theme])
        ok = precision >= PRECISION_TARGET and recall >= RECALL_TARGET
        failed |= not ok
        print(
            f"{theme:<10} {tp + fn:>5} {tp + fp:>5} {tp:>5} {precision:>10.2f} {recall:>7.2f}"
            f" {f1:>6.3f}  {'met' if ok else 'MISSED'}"
        )
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, action="append", help="gold file (repeatable)")
    parser.add_argument("--docs", type=Path, help="folder of the gold file's documents")
    parser.add_argument("--no-lemmas", action="store_true", help="the stemmer alone")
    parser.add_argument("--misses", action="store_true", help="list false positives/negatives")
    args = parser.parse_args()
    try:
        gold = load_all(args.gold or DEFAULT_GOLD, args.docs)
    except GoldError as exc:
        print(f"bench_suggest: {exc}", file=sys.stderr)
        return 2
    lexicon = Lexicon(DEFAULT_TERMS, None if args.no_lemmas else load_lemmas())
    themes = list(lexicon.themes)
    timings: list[float] = []
    for _ in range(5):
        began = time.perf_counter()
        found = [s for d in gold.documents.values() for s in suggest_document(d, lexicon)]
        timings.append(time.perf_counter() - began)
    predicted = {(s.doc, s.start, s.end): set(s.themes) for s in found}
    why = {(s.doc, s.start, s.end): s.terms for s in found}
    failed = False
    parts = list(gold.sets.items())
    for name, rels in parts + ([("together", sorted(gold.documents))] if len(parts) > 1 else []):
        units = [u for u in gold.units if u.doc in set(rels)]
        print(f"\ngold: {name}, {len(rels)} documents, {len(units)} sentences")
        failed |= table(count(units, predicted, themes), themes)
    median = statistics.median(timings) * 1000
    spread = (max(timings) - min(timings)) * 1000
    print(
        f"suggest over the gold documents: median {median:.1f} ms, spread {spread:.1f} ms (5 runs)"
    )
    if args.misses:
        for theme in themes:
            for unit in gold.units:
                key = (unit.doc, unit.span.start, unit.span.end)
                said = theme in predicted.get(key, set())
                if said != (theme in unit.themes):
                    text = gold.documents[unit.doc].text[unit.span.start : unit.span.end]
                    terms = ", ".join(why.get(key, {}).get(theme, ()))
                    kind = "FP" if said else "FN"
                    where = f"{unit.doc[:3]} {unit.span.start:>5}"
                    print(f"{kind} {theme:<9} {where} [{terms}] {text[:100]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
