"""Tag-write latency of the annotation store, against plain TinyDB, in one run.

For 1k, 10k and 100k annotations, each laid out two ways (spread over 1,000
documents, and all in one document), the store is built by writing its files
directly, opened, and then timed on ``Store.add`` calls: each one durable
(file and folder fsynced) before it returns. The same counts are then timed
on TinyDB's own ``JSONStorage`` holding everything in one file, the layout
TinyDB users start from. Prints p50, p95 and max per case, and the ratio of
each p95 to JSONStorage's at the same size. Also: ``open s`` is syncing the
documents written to plus the first write (which serialises the file once),
``scan s`` is opening the store as the app does (every file loaded and checked).

Targets (issue 3): p95 <= 10 ms with 100k spread over 1,000 documents;
p95 <= 50 ms with 10k in a single document.

    python bench/bench_store.py            # all sizes, a few minutes at most
    python bench/bench_store.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from reader.corpus import Document, read_document
from reader.store import SCHEMA_VERSION, Store, to_record
from reader.store.docfile import ANNOTATIONS_TABLE, META_TABLE
from reader.store.model import Annotation, context, now_iso
from reader.store.repo import DOCS_DIR, META_FILE
from reader.store.storage import atomic_write, doc_filename

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_0430b5cc33e0e526.txt"
DOCS = 1000
THEMES = ("arms", "troops", "sanctions", "china")
#: JSONStorage's p50 per insert when issue 3 was planned (1k, 10k, 100k records in one file):
#: used only to say how much slower or faster this machine is right now.
PLANNING_JSONSTORAGE_MS = {1_000: 7.0, 10_000: 55.0, 100_000: 650.0}


def make_record(
    doc: Document, spans: list[tuple[int, int]], rng: random.Random
) -> dict[str, object]:
    start, end = rng.choice(spans)
    quote, prefix, suffix = context(doc.text, start, end)
    now = now_iso()
    ann = Annotation(
        str(uuid.uuid4()), doc.rel, doc.sha256, start, end, quote, prefix, suffix,
        [rng.choice(THEMES)], "", "bench", now, now, "anchored",
    )  # fmt: skip
    return to_record(ann)


def build_store(
    root: Path, docs: list[Document], per_doc: list[int], spans: list[tuple[int, int]]
) -> None:
    """Write the store's files directly: far quicker than 100k durable adds."""
    rng = random.Random(1)
    (root / DOCS_DIR).mkdir(parents=True)
    (root / META_FILE).write_text(json.dumps({"format": "reader-store", "schema": SCHEMA_VERSION}))
    for doc, count in zip(docs, per_doc, strict=True):
        table = {str(i): make_record(doc, spans, rng) for i in range(1, count + 1)}
        data = {
            META_TABLE: {"1": {"schema": SCHEMA_VERSION, "doc": doc.rel}},
            ANNOTATIONS_TABLE: table,
        }
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        (root / DOCS_DIR / doc_filename(doc.rel)).write_text(body, encoding="utf-8")


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def timed(calls: int, action: Callable[[int], object]) -> list[float]:
    samples = []
    for i in range(calls):
        t0 = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def bench_store(
    tmp: Path, total: int, spread: bool, seed_doc: Document
) -> tuple[list[float], float, float, float]:
    root = tmp / f"store-{total}-{'spread' if spread else 'single'}"
    count = DOCS if spread else 1
    docs = [
        Document(seed_doc.path, f"corpus/{i:04d}.txt", seed_doc.text, "utf-8", seed_doc.size)
        for i in range(count)
    ]
    spans = [(s.start, s.end) for s in seed_doc.all_sentences()]
    t0 = time.perf_counter()
    build_store(root, docs, [total // count] * count, spans)
    built = time.perf_counter() - t0
    store = Store(root, "bench", scan=False)
    rng = random.Random(2)
    targets = [rng.choice(docs) for _ in range(40 if spread else 1)]
    t0 = time.perf_counter()
    for doc in targets:  # as the app does when a document is opened
        store.sync(doc)
    # The first write of a loaded document also serialises it once (then cached).
    store.add(targets[0], *spans[0], ["arms"])
    opened = time.perf_counter() - t0
    calls = 200 if total <= 10_000 or spread else 20
    samples = timed(
        calls,
        lambda i: store.add(targets[i % len(targets)], *rng.choice(spans), [rng.choice(THEMES)]),
    )
    t0 = time.perf_counter()
    check = Store(root)  # what the app does on start: load and check every file
    scanned = time.perf_counter() - t0
    assert len(check.annotations(targets[0].rel)) >= total // count + 1 and not check.problems
    store.close()
    return samples, built, opened, scanned


def bench_tinydb(tmp: Path, total: int, seed_doc: Document) -> list[float]:
    path = tmp / f"tinydb-{total}.json"
    spans = [(s.start, s.end) for s in seed_doc.all_sentences()]
    rng = random.Random(3)
    doc = Document(seed_doc.path, "corpus/0000.txt", seed_doc.text, "utf-8", seed_doc.size)
    table = {str(i): make_record(doc, spans, rng) for i in range(1, total + 1)}
    path.write_text(json.dumps({ANNOTATIONS_TABLE: table}), encoding="utf-8")
    db = TinyDB(path, storage=JSONStorage)
    annotations = db.table(ANNOTATIONS_TABLE)
    calls = 200 if total <= 1_000 else 50 if total <= 10_000 else 8
    samples = timed(calls, lambda i: annotations.insert(make_record(doc, spans, rng)))
    db.close()
    return samples


def fsync_floor(tmp: Path) -> list[float]:
    path = tmp / "floor.json"
    return timed(200, lambda i: atomic_write(path, b"{}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="annotation counts")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    seed_doc = read_document(SEED, SEED.parent)
    with tempfile.TemporaryDirectory(prefix="bench_store_") as name:
        tmp = Path(name)
        p50, p95, top = percentiles(fsync_floor(tmp))
        print(
            f"durable-write floor (atomic_write of 2 bytes): p50 {p50:.2f} ms, p95 {p95:.2f} ms\n"
        )
        header = (
            f"{'layout':<26}{'annotations':>12}{'writes':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        )
        print(header + f"{'p95 / JSONStorage':>20}{'build s':>9}{'open s':>8}{'scan s':>8}")
        plain = {total: bench_tinydb(tmp, total, seed_doc) for total in sizes}
        reference = {total: percentiles(samples) for total, samples in plain.items()}
        for spread in (True, False):
            layout = "store, 1,000 documents" if spread else "store, one document"
            for total in sizes:
                samples, built, opened, scanned = bench_store(tmp, total, spread, seed_doc)
                p50, p95, top = percentiles(samples)
                ratio = p95 / reference[total][1]
                print(
                    f"{layout:<26}{total:>12,}{len(samples):>8}{p50:>9.2f}{p95:>9.2f}{top:>9.2f}"
                    f"{ratio:>19.3f}x{built:>9.1f}{opened:>8.2f}{scanned:>8.2f}"
                )
        for total in sizes:
            p50, p95, top = reference[total]
            n = len(plain[total])
            layout = "TinyDB JSONStorage, 1 file"
            print(f"{layout:<26}{total:>12,}{n:>8}{p50:>9.2f}{p95:>9.2f}{top:>9.2f}")
        speeds = [
            reference[n][0] / PLANNING_JSONSTORAGE_MS[n]
            for n in sizes
            if n in PLANNING_JSONSTORAGE_MS
        ]
    print("\ntargets: p95 <= 10 ms (100,000 over 1,000 documents);", end=" ")
    print("p95 <= 50 ms (10,000 in one document)")
    if speeds:
        slow = statistics.median(speeds)
        print(
            f"this machine now: JSONStorage is {slow:.1f}x as slow as when the targets were set"
            f" (median over sizes); scaled targets: {10 * slow:.0f} ms and {50 * slow:.0f} ms"
        )


if __name__ == "__main__":
    main()
