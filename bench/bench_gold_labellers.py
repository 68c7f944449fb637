"""How far two people labelling the same sentences agree: the ceiling of a suggester's P and R.

Two ``labels.txt`` files (the format of ``tests/data/gold/goldset.py``) for the same
documents, labelled independently: the gold set's own and a second labeller's. For
each theme it prints the second labeller's precision, recall and F1 taken against the
first as if the second were a suggester, and Cohen's kappa. A suggester scored
against the first labeller's gold can only beat the second labeller's figures by
fitting the first labeller's habits, so they say how much of a P/R target is
reachable under the written rules.

    python3 bench/bench_gold_labellers.py tests/data/gold/heldout5/labels.txt \\
        tests/data/gold/heldout5/labels_b.txt

Bad input (a missing file, a label error, sentence lists that differ): one line
naming the file and the problem, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "data" / "gold"))

from goldset import Label, LabelError, parse_labels  # noqa: E402

from reader.agreement_measures import cohen_kappa  # noqa: E402

THEMES = ("arms", "troops", "sanctions", "china")


def _read(path: Path) -> dict[tuple[str, int], Label]:
    try:
        text = path.read_text(encoding="utf-8")
        labels = parse_labels(text, set(THEMES))
    except (OSError, UnicodeDecodeError) as error:
        raise SystemExit(f"{path}: cannot read: {error}") from None
    except LabelError as error:
        raise SystemExit(f"{path}: {error}") from None
    return {(doc, label.index): label for doc, items in labels.items() for label in items}


def compare(first: dict[tuple[str, int], Label], second: dict[tuple[str, int], Label]) -> str:
    """The table of the second labeller against the first, one row per theme."""
    rows = ["theme      gold  second  both   P     R     F1    kappa"]
    keys = sorted(first)
    for theme in THEMES:
        a = [theme in first[key].themes for key in keys]
        b = [theme in second[key].themes for key in keys]
        both = sum(x and y for x, y in zip(a, b, strict=True))
        p = both / sum(b) if sum(b) else 0.0
        r = both / sum(a) if sum(a) else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        kappa = cohen_kappa(a, b)
        k = f"{kappa:.3f}" if kappa is not None else "  -  "
        rows.append(
            f"{theme:<9} {sum(a):>5} {sum(b):>7} {both:>5}  {p:.2f}  {r:.2f}  {f1:.3f}  {k}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path, help="the gold set's labels.txt")
    parser.add_argument("second", type=Path, help="the second labeller's file")
    args = parser.parse_args(argv)
    try:
        first, second = _read(args.first), _read(args.second)
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
    if first.keys() != second.keys():
        missing = sorted(first.keys() ^ second.keys())[:3]
        print(
            f"{args.second}: not the same sentences as {args.first} (e.g. {missing})",
            file=sys.stderr,
        )
        return 2
    print(f"{len(first)} sentences; the second labeller scored against the first")
    print(compare(first, second))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
