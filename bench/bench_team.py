"""`reader agree` and `reader merge` on a two-annotator store, against `reader stats` on it.

    python bench/bench_team.py [--docs 200] [--runs 5]

A shared store: two annotators tag the sentences of the first ``--docs`` articles of the
bench library (`gen_corpus.py`), each sentence with a deterministic chance and theme so
that they agree on some and differ on others. Each command is a fresh `python -m reader`
process, wall time; the runs alternate the commands, so all see the same load. The
reference is `reader stats` on the same store and corpus (it reads the same annotations and
documents and counts them): the ratio is what agreement and merging cost over reading.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gen_corpus
from _bench import OUTPUT, print_table

from reader.corpus import collect
from reader.store import Store

THEMES = ("arms", "troops", "sanctions", "china")


def build(store: Path, docs: list[Path]) -> int:
    """Two annotators' tags: 30 % of sentences each, their themes agreeing two times in three."""
    rng = random.Random(14)
    entries, _ = collect(docs)
    count = 0
    stores = {who: Store(store, who) for who in ("alice", "bob")}
    try:
        for entry in entries:
            doc = entry.load()
            for span in doc.all_sentences():
                if rng.random() < 0.3:
                    key = rng.choice(THEMES)
                    stores["alice"].add(doc, span.start, span.end, [key])
                    count += 1
                    if rng.random() < 0.67:
                        stores["bob"].add(doc, span.start, span.end, [key])
                        count += 1
                elif rng.random() < 0.1:
                    stores["bob"].add(doc, span.start, span.end, [rng.choice(THEMES)])
                    count += 1
    finally:
        for s in stores.values():
            s.close()
    return count


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reader", *argv], cwd=cwd,
                          capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {done.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    gen_corpus.ensure()
    library = sorted((OUTPUT / "library").rglob("*.txt"))[: args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        for path in library:
            target = corpus / path.relative_to(OUTPUT / "library")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        made = build(work / "store", [corpus])
        where = ["--corpus", "corpus"]
        commands = {
            "reader stats (reference)": ["stats", "--store", "store", *where],
            "reader agree --format json": ["agree", "store", *where, "--format", "json"],
            "reader merge --strategy union": ["merge", "store", "--into", "MERGED", *where],
            "reader merge --strategy agree": [
                "merge", "store", "--into", "MERGED", "--strategy", "agree", *where
            ],
        }  # fmt: skip
        samples: dict[str, list[float]] = {name: [] for name in commands}
        env_load = os.getloadavg()[0]
        for run in range(args.runs):
            for name, argv in commands.items():
                target = work / f"merged-{run}-{len(samples[name])}-{abs(hash(name))}"
                argv = [str(target) if a == "MERGED" else a for a in argv]
                samples[name].append(timed(argv, work))
        reference = statistics.median(samples["reader stats (reference)"])
        rows = []
        for name, values in samples.items():
            median = statistics.median(values)
            rows.append(
                [name, f"{median:.2f} s", f"{min(values):.2f}–{max(values):.2f} s",
                 f"{median / reference:.2f}×"]
            )  # fmt: skip
        print_table(
            f"{len(library)} documents, {made} annotations by 2 annotators; "
            f"{args.runs} runs, load {env_load:.1f} at the start",
            ["command", "median", "min–max", "× stats"],
            rows,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
