"""Per-theme precision and recall of ``reader suggest`` against the hand-made gold set.

    python bench/bench_suggest.py [--gold tests/data/gold/seeds_gold.jsonl] [--seeds seeds]
                                  [--misses]

The gold set (tests/data/gold/seeds_gold.jsonl) tags the five seeds sentence by
sentence by meaning, independently of the lexicon. A suggestion counts as
right for a theme when the gold set has the same sentence (doc, start, end)
with that theme. Targets (issue 8): recall ≥ 0.85 and precision ≥ 0.7 per theme.
``--misses`` lists the false positives and false negatives, for honest tuning.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.corpus import read_document  # noqa: E402
from reader.lemmas import load as load_lemmas  # noqa: E402
from reader.lexicon import DEFAULT_TERMS  # noqa: E402
from reader.suggest import Lexicon, suggest_document  # noqa: E402

RECALL_TARGET = 0.85
PRECISION_TARGET = 0.7


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/data/gold/seeds_gold.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--misses", action="store_true", help="list false positives/negatives")
    args = parser.parse_args()

    gold: dict[str, set[tuple[str, int, int]]] = {key: set() for key in DEFAULT_TERMS}
    docs: set[str] = set()
    with args.gold.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            docs.add(record["doc"])
            for theme in record["themes"]:
                gold[theme].add((record["doc"], record["start"], record["end"]))

    documents = {name: read_document(args.seeds / name) for name in sorted(docs)}
    lexicon = Lexicon(DEFAULT_TERMS, lemmas=load_lemmas())
    predicted: dict[str, set[tuple[str, int, int]]] = {key: set() for key in DEFAULT_TERMS}
    why: dict[tuple[str, str, int, int], tuple[str, ...]] = {}
    timings: list[float] = []
    for _ in range(5):
        began = time.perf_counter()
        suggestions = [s for d in documents.values() for s in suggest_document(d, lexicon)]
        timings.append(time.perf_counter() - began)
    for s in suggestions:
        for theme in s.themes:
            predicted[theme].add((s.doc, s.start, s.end))
            why[(theme, s.doc, s.start, s.end)] = s.terms[theme]

    sentences = sum(1 for d in documents.values() for _ in d.all_sentences())
    print(f"gold: {args.gold.name}, {len(documents)} documents, {sentences} sentences")
    print(
        f"{'theme':<10} {'gold':>5} {'sugg':>5} {'hit':>5} {'precision':>10} {'recall':>7}  target"
    )
    failed = False
    for theme in DEFAULT_TERMS:
        g, p = gold[theme], predicted[theme]
        hit = len(g & p)
        precision = hit / len(p) if p else 0.0
        recall = hit / len(g) if g else 0.0
        ok = precision >= PRECISION_TARGET and recall >= RECALL_TARGET
        failed |= not ok
        print(
            f"{theme:<10} {len(g):>5} {len(p):>5} {hit:>5} {precision:>10.2f} {recall:>7.2f}"
            f"  {'met' if ok else 'MISSED'}"
        )
    median = statistics.median(timings) * 1000
    spread = (max(timings) - min(timings)) * 1000
    print(f"suggest over the seeds: median {median:.1f} ms, spread {spread:.1f} ms (5 runs)")
    if args.misses:
        for theme in DEFAULT_TERMS:
            for kind, keys in (("FP", predicted[theme] - gold[theme]),
                               ("FN", gold[theme] - predicted[theme])):  # fmt: skip
                for doc, start, end in sorted(keys):
                    text = documents[doc].text[start:end]
                    terms = ", ".join(why.get((theme, doc, start, end), ()))
                    print(f"{kind} {theme:<9} {doc[:3]} {start:>5} [{terms}] {text[:110]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
