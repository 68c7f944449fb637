"""Durable writes of the annotation store, against the disk's own floors in the same run.

For each size (default 1k, 10k, 100k annotations), laid out two ways — spread over
1,000 documents, and all in one document — a schema-2 store is built by writing its
log files directly (far quicker than that many durable adds), and then, in a fresh
``python`` process per case (so that its peak RSS is its own):

- *open*: ``Store.sync`` of the documents written to — what opening a document in the
  app does (every record of its files read and checked);
- *first write*: the first ``Store.add`` after a document was opened, for 40 documents
  (spread) or after 10 fresh opens of the one document: with a journal it must cost an
  append, not a re-serialisation of the document — beside it, the floor of such a
  re-serialisation: the bytes of the (first) document's log file written durably
  (``atomic_write``, 3 times, the median), no encoding at all;
- *add* and *toggle*: ``Store.add`` (a new annotation) and ``Store.toggle_theme`` (a
  theme switched on or off an existing annotation of this annotator), ≥ 100 calls each,
  every one durable (``fdatasync``-ed) before it returns;
- beside each timed call, interleaved so that both see the same load, two references
  written in the same folder: the *fsync floor*, a durable replacement of a 2-byte file
  (temporary file, fsync, rename, folder fsync: what any durable file write costs here and
  now), and the *append floor*, one record-sized line appended to a file and
  ``fdatasync``-ed: what the store's own append cannot go below.

Then ``reader tag`` end to end (a new process: start-up, the store opened, one annotation
appended, its id printed) on the one-document store of each size, alternating run by run
with ``reader tag`` into an empty store: the ratio is the figure.

Targets (issue 13): add and toggle p95 ≤ 10 ms and ≤ 2× the fsync floor's p95 with 100,000
annotations in one document; ``reader tag`` with 100,000 in one document ≤ 2× its
empty-store time.

    python bench/bench_store.py                       # 1k, 10k, 100k: a few minutes
    python bench/bench_store.py --sizes 1000000 --layouts one   # 1M in one document
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from _bench import percentile, print_table

from reader.corpus import Document, read_document
from reader.store import SCHEMA_VERSION, Store, to_record
from reader.store.folder import DOCS_DIR, META_FILE
from reader.store.logcheck import header
from reader.store.model import Annotation, context, now_iso
from reader.store.names import annotator_filename, doc_dirname
from reader.store.storage import atomic_write

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = SEEDS / "000_0430b5cc33e0e526.txt"
DOCS = 1000
THEMES = ("arms", "troops", "sanctions", "china")
ANNOTATOR = "bench"


def make_record(doc: Document, spans: list[tuple[int, int]], rng: random.Random) -> dict[str, Any]:
    start, end = rng.choice(spans)
    quote, prefix, suffix = context(doc.text, start, end)
    now = now_iso()
    ann = Annotation(
        str(uuid.uuid4()), doc.rel, doc.sha256, start, end, quote, prefix, suffix,
        [rng.choice(THEMES)], "", ANNOTATOR, now, now, "anchored",
    )  # fmt: skip
    return to_record(ann)


def build_store(
    root: Path, docs: list[Document], per_doc: list[int], spans: list[tuple[int, int]]
) -> None:
    """Write a schema-2 store's files directly (and durably): one compacted log per document."""
    rng = random.Random(1)
    (root / DOCS_DIR).mkdir(parents=True)
    meta = {"format": "reader-store", "schema": SCHEMA_VERSION}
    (root / META_FILE).write_text(json.dumps(meta))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for doc, count in zip(docs, per_doc, strict=True):
        if not count:
            continue
        folder = root / DOCS_DIR / doc_dirname(doc.rel)
        folder.mkdir()
        records = sorted(
            (make_record(doc, spans, rng) for _ in range(count)), key=lambda r: r["id"]
        )
        with open(folder / annotator_filename(ANNOTATOR), "w", encoding="utf-8") as out:
            out.write(dumps(header(doc.rel, ANNOTATOR)) + "\n")
            for record in records:
                out.write(dumps(record) + "\n")
            out.flush()  # durable, as a store's files are: or the first fdatasync of the
            os.fsync(out.fileno())  # bench's first write would flush this whole build


def ms_since(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def p50_p95(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 95)


def _append_floor(path: Path, line: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fdatasync(fd)
    finally:
        os.close(fd)


def run_case(root: Path, total: int, spread: bool, writes: int) -> dict[str, Any]:
    """One case, in this process: build, open, first writes, adds and toggles with floors."""
    seed = read_document(SEED, SEEDS)
    count = DOCS if spread else 1
    docs = [
        Document(
            seed.path, f"corpus/{i:04d}.txt" if spread else seed.rel, seed.text, "utf-8", seed.size
        )
        for i in range(count)
    ]
    spans = [(s.start, s.end) for s in seed.all_sentences()]
    t0 = time.perf_counter()
    build_store(root, docs, [total // count] * count, spans)
    out: dict[str, Any] = {"built_s": time.perf_counter() - t0}
    rng = random.Random(2)
    targets = rng.sample(docs, 40) if spread else docs
    opens, firsts = [], []
    rounds = 1 if spread else 10
    for _ in range(rounds):  # fresh instances: each pays the open and its first write
        store = Store(root, ANNOTATOR, scan=False)
        for doc in targets:
            t0 = time.perf_counter()
            store.sync(doc)
            opens.append(ms_since(t0))
            t0 = time.perf_counter()
            store.add(doc, *rng.choice(spans), [rng.choice(THEMES)])
            firsts.append(ms_since(t0))
        store.close()
    folder = root / DOCS_DIR  # the references live beside the data (not listed as documents)
    log = folder / doc_dirname(targets[0].rel) / annotator_filename(ANNOTATOR)
    whole, rewrites = log.read_bytes(), []
    for _ in range(3):  # what a first write that re-serialised the document could not beat
        t0 = time.perf_counter()
        atomic_write(folder / ".rewrite.ref", whole, backup=False)
        rewrites.append(ms_since(t0))
    (folder / ".rewrite.ref").unlink()
    store = Store(root, ANNOTATOR, scan=False)
    for doc in targets:
        store.sync(doc)
    small, appended = folder / ".floor-2-bytes.ref", folder / ".floor-append.ref"
    line = json.dumps(make_record(seed, spans, rng), ensure_ascii=False).encode() + b"\n"
    series: dict[str, list[float]] = {"add": [], "toggle": [], "fsync": [], "append": []}

    def floors() -> None:
        t0 = time.perf_counter()
        atomic_write(small, b"{}", backup=False)
        series["fsync"].append(ms_since(t0))
        t0 = time.perf_counter()
        _append_floor(appended, line)
        series["append"].append(ms_since(t0))

    for i in range(writes):
        doc = targets[i % len(targets)]
        t0 = time.perf_counter()
        store.add(doc, *rng.choice(spans), [rng.choice(THEMES)])
        series["add"].append(ms_since(t0))
        floors()
        start, end = rng.choice(spans)
        t0 = time.perf_counter()
        store.toggle_theme(doc, start, end, rng.choice(THEMES))
        series["toggle"].append(ms_since(t0))
        floors()
    assert not store.problems, store.problems
    store.close()
    out.update(series, opens=opens, firsts=firsts, rewrites=rewrites, log_mb=len(whole) / 1e6)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def in_child(size: int, spread: bool, writes: int, tmp: Path) -> dict[str, Any]:
    root = tmp / f"store-{size}-{'spread' if spread else 'one'}"
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "from bench_store import run_case; from pathlib import Path;"
        "print(json.dumps(run_case(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1',"
        " int(sys.argv[5]))))"
    )
    argv = [sys.executable, "-c", code, str(Path(__file__).parent), str(root), str(size)]
    done = subprocess.run(
        [*argv, "1" if spread else "0", str(writes)], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def reader_tag(tmp: Path, size: int, runs: int) -> tuple[list[float], list[float]]:
    """``reader tag`` into the one-document store of ``size``, alternating with an empty store."""
    seed = read_document(SEED, SEEDS)
    spans = [(s.start, s.end) for s in seed.all_sentences()]
    full = tmp / f"tag-{size}"
    build_store(full, [seed], [size], spans)
    quote = seed.text[spans[3][0] : spans[3][1]]
    argv = [sys.executable, "-m", "reader", "tag", str(SEED), "--quote", quote, "--theme", "arms",
            "--root", str(SEEDS), "--annotator", ANNOTATOR, "--store"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}

    def once(store: Path) -> float:
        t0 = time.perf_counter()
        subprocess.run([*argv, str(store)], check=True, capture_output=True, env=env)
        return time.perf_counter() - t0

    once(full), once(tmp / "tag-warm")  # warm-up (page cache, .pyc), discarded
    empty, loaded = [], []
    for i in range(runs):
        empty.append(once(tmp / f"tag-empty-{size}-{i}"))
        loaded.append(once(full))
    return empty, loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="annotation counts")
    parser.add_argument("--layouts", default="spread,one", help="spread and/or one")
    parser.add_argument("--writes", type=int, default=120, help="timed adds (and toggles)")
    parser.add_argument("--tag-runs", type=int, default=7, help="reader tag runs (0: none)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    layouts = args.layouts.split(",")
    rows, tag_rows = [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_store_") as name:
        tmp = Path(name)
        for layout in ("spread", "one"):
            if layout not in layouts:
                continue
            for size in sizes:
                case = in_child(size, layout == "spread", args.writes, tmp)
                f50, f95 = p50_p95(case["fsync"])
                a50, a95 = p50_p95(case["append"])
                for what in ("add", "toggle"):
                    w50, w95 = p50_p95(case[what])
                    rows.append([
                        f"{size:,}", "1,000 documents" if layout == "spread" else "one document",
                        what, len(case[what]), f"{w50:.2f} / {w95:.2f}", f"{max(case[what]):.1f}",
                        f"{f50:.2f} / {f95:.2f}", f"{w95 / f95:.2f}×", f"{a50:.2f} / {a95:.2f}",
                        f"{w95 / a95:.2f}×",
                    ])  # fmt: skip
                o50, o95 = p50_p95(case["opens"])
                first50, first95 = p50_p95(case["firsts"])
                rows.append([
                    f"{size:,}", "1,000 documents" if layout == "spread" else "one document",
                    "first write after open", len(case["firsts"]), f"{first50:.2f} / {first95:.2f}",
                    f"{max(case['firsts']):.1f}", "", "",
                    f"the file ({case['log_mb']:.0f} MB) rewritten durably:"
                    f" {statistics.median(case['rewrites']):.0f} ms",
                    f"open {o50:.1f} / {o95:.1f} ms, RSS {case['rss_mb']:.0f} MB",
                ])  # fmt: skip
        if args.tag_runs and "one" in layouts:
            for size in sizes:
                empty, loaded = reader_tag(tmp, size, args.tag_runs)
                e, f = statistics.median(empty), statistics.median(loaded)
                tag_rows.append([
                    f"{size:,}", args.tag_runs, f"{e * 1000:.0f} ms ({min(empty) * 1000:.0f}–"
                    f"{max(empty) * 1000:.0f})", f"{f * 1000:.0f} ms ({min(loaded) * 1000:.0f}–"
                    f"{max(loaded) * 1000:.0f})", f"{f / e:.2f}×",
                ])  # fmt: skip
    print_table(
        f"durable writes, ms (p50 / p95), references interleaved call by call "
        f"({time.perf_counter() - started:.0f} s, load {os.getloadavg()[0]:.1f})",
        ["annotations", "layout", "call", "n", "p50 / p95", "max", "fsync floor p50 / p95",
         "p95 / fsync floor", "append floor p50 / p95", "p95 / append floor"],
        rows,
    )  # fmt: skip
    if tag_rows:
        print_table(
            "reader tag end to end (new process), the document holding N annotations, "
            "alternating with an empty store",
            ["annotations in the document", "runs", "empty store", "N in one document", "ratio"],
            tag_rows,
        )
    print("targets: add/toggle p95 <= 10 ms and <= 2x the fsync floor (100,000 in one document);")
    print("         reader tag <= 2x its empty-store time (100,000 in one document)")


if __name__ == "__main__":
    main()
