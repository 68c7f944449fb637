"""Schema 1 → 2: a store made by the schema-1 code upgrades in place, safely, losing nothing.

``tests/data/schema1-store`` was written by reader's own code at the last schema-1
commit (``tests/data/schema1-store.make.py``): three seed documents, two annotators
(one with an Arabic name), notes with controls, an explicit edit, ``.bak`` files. The
records it holds are read here straight from its JSON, independently of the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from store_support import SEEDS, log_path, read_log

from reader.corpus import read_document
from reader.store import Store, to_record
from reader.store import upgrade as upgrade_module
from reader.store.names import annotator_filename

FIXTURE = Path(__file__).resolve().parent / "data" / "schema1-store"


def legacy_records(root: Path) -> dict[str, dict[str, Any]]:
    """Every record of a schema-1 store's files (and schema-1 files left in a newer one)."""
    found = {}
    for path in sorted((root / "docs").glob("*.json")):
        for record in json.loads(path.read_bytes())["annotations"].values():
            found[record["id"]] = record
    return found


ORIGINAL = legacy_records(FIXTURE)


def stored(root: Path, **options: Any) -> dict[str, dict[str, Any]]:
    store = Store(root, "checker", **options)
    try:
        assert all("read-only" not in p or options for p in store.problems), store.problems
        return {a.id: to_record(a) for a in store.all_annotations()}
    finally:
        store.close()


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def old(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(FIXTURE, root)
    return root


def test_the_fixture_is_a_real_schema_1_store() -> None:
    assert json.loads((FIXTURE / "store.json").read_bytes())["schema"] == 1
    assert len(ORIGINAL) == 26
    assert {r["annotator"] for r in ORIGINAL.values()} == {"analyst A", "باحث ب"}
    assert any(r.get("edits") for r in ORIGINAL.values())


def test_a_read_only_store_reads_schema_1_as_it_is_and_writes_nothing(old: Path) -> None:
    before = tree(old)
    assert stored(old, read_only=True) == ORIGINAL
    assert tree(old) == before


def test_opening_for_writing_upgrades_in_place_with_a_backup_and_loses_nothing(old: Path) -> None:
    before = {p.name: p.read_bytes() for p in [*old.glob("docs/*.json*"), old / "store.json"]}
    store = Store(old, "analyst A")
    assert store.upgraded is not None and "26 annotation(s) converted" in store.upgraded
    assert store.problems == []
    store.close()
    meta = json.loads((old / "store.json").read_bytes())
    assert meta["schema"] == 2 and meta["created"] == json.loads(before["store.json"])["created"]
    assert not list(old.glob("docs/*.json*"))  # the schema-1 files are gone from docs/ ...
    [backup] = (old / "backups").iterdir()  # ... and kept, byte for byte
    assert meta["upgraded"] == {"from": 1}  # nothing of this clone's: the same in every clone
    assert str(backup) in (store.upgraded or "")
    kept = {p.name.removeprefix("docs-"): p.read_bytes() for p in backup.iterdir()}
    assert kept == before
    assert stored(old) == ORIGINAL
    # One line-diffable file per annotator and document, records sorted by id.
    for record in ORIGINAL.values():
        path = log_path(old, record["doc"], record["annotator"])
        header, lines = read_log(path)
        assert header["annotator"] == record["annotator"] and record in lines
        assert [x["id"] for x in lines] == sorted(x["id"] for x in lines)
    assert (old / ".gitignore").exists()  # what it says: tests/test_store_git.py
    assert Store(old, "x").upgraded is None  # once


def test_the_upgraded_store_works_on(old: Path) -> None:
    doc = read_document(SEEDS / "000_0430b5cc33e0e526.txt", SEEDS)
    store = Store(old, "analyst A")
    mine = store.annotations(doc.rel, "analyst A")
    store.set_note(mine[0].id, "after the upgrade")
    made = store.add(doc, 0, 4, ["arms"])
    assert store.sync(doc) and store.problems == []
    store.close()
    again = stored(old)
    assert again[mine[0].id]["note"] == "after the upgrade" and made.id in again
    assert len(again) == len(ORIGINAL) + 1


class Killed(BaseException):
    """A crash at a chosen step: not an OSError, so no handler of the upgrade catches it."""


def _steps(patch: pytest.MonkeyPatch, crash_at: int) -> Iterator[int]:
    """Make the ``crash_at``-th file-system step of the upgrade raise Killed."""
    count = iter(range(10_000))

    def wrap(name: str) -> None:
        real = getattr(os, name)

        def step(*args: Any, **kwargs: Any) -> Any:
            if next(count) == crash_at:
                raise Killed(name)
            return real(*args, **kwargs)

        patch.setattr(os, name, step)

    for name in ("link", "rename", "replace", "unlink", "mkdir", "write", "fsync", "fdatasync"):
        wrap(name)
    return count


def test_a_crash_at_any_step_of_the_upgrade_leaves_the_old_store_or_the_new(old: Path) -> None:
    crashes = 0
    for crash_at in range(2000):
        root = old.parent / f"try{crash_at}"
        shutil.copytree(FIXTURE, root)
        with pytest.MonkeyPatch.context() as patch:
            _steps(patch, crash_at)
            try:
                Store(root, "analyst A", scan=False).close()
            except Killed:
                crashes += 1
            else:
                break  # past the last step: the upgrade ran to its end
        schema = json.loads((root / "store.json").read_bytes())["schema"]
        # Read-only, as `reader export` right after the crash: the old store or the new one.
        assert stored(root, read_only=True) == ORIGINAL, f"crash at step {crash_at}"
        if schema == 1:
            assert legacy_records(root) == ORIGINAL  # the old store, whole
        # The next writable open finishes (or redoes) the upgrade.
        assert stored(root) == ORIGINAL, f"crash at step {crash_at}"
        assert json.loads((root / "store.json").read_bytes())["schema"] == 2
        assert not list(root.glob("docs/*.json*"))
        assert not list(root.rglob("*.tmp")) and not list((root / "backups").glob(".*"))
        shutil.rmtree(root)
    assert crashes > 50  # every step was crashed at, one run each


#: Opens (and so upgrades) a store.
UPGRADER = (
    "import sys\nfrom reader.store import Store\nStore(sys.argv[1], 'x').close()\nprint('done')\n"
)


def _big_schema_1_store(root: Path, docs: int) -> dict[str, dict[str, Any]]:
    """A schema-1 store written directly (one TinyDB file per document), as the old code did."""
    from reader.store.names import doc_filename

    (root / "docs").mkdir(parents=True)
    (root / "store.json").write_text('{"format": "reader-store", "schema": 1}')
    sample = next(iter(ORIGINAL.values()))
    made = {}
    for i in range(docs):
        rel = f"d{i:03d}.txt"
        records = {}
        for n in range(1, 4):
            record = {**sample, "id": f"{i:03d}-{n}", "doc": rel, "annotator": f"a{n % 2}"}
            records[str(n)] = made[record["id"]] = record
        body = {"_meta": {"1": {"schema": 1, "doc": rel}}, "annotations": records}
        (root / "docs" / doc_filename(rel)).write_text(json.dumps(body, ensure_ascii=False))
    return made


def test_kill_9_during_the_upgrade_then_reopen_gives_the_old_store_or_the_new(
    tmp_path: Path,
) -> None:
    rng = random.Random(1202)
    for round_ in range(6):
        root = tmp_path / f"store{round_}"
        made = _big_schema_1_store(root, 150)
        child = subprocess.Popen(
            [sys.executable, "-c", UPGRADER, str(root)], stdout=subprocess.PIPE
        )
        time.sleep(rng.uniform(0.15, 0.6))  # imports take ~0.1 s; the upgrade ~0.3-1 s
        child.send_signal(signal.SIGKILL)
        child.communicate()
        assert stored(root, read_only=True) == made, f"round {round_}"
        assert stored(root) == made, f"round {round_}"
        assert json.loads((root / "store.json").read_bytes())["schema"] == 2


def test_a_damaged_schema_1_file_stays_as_it_is_and_is_converted_once_repaired(
    old: Path,
) -> None:
    [first, *_] = sorted(old.glob("docs/*.json"))
    good = first.read_bytes()
    first.write_bytes(good[: len(good) // 2])
    store = Store(old, "analyst A")
    assert store.upgraded is not None and "1 damaged file(s) left" in store.upgraded
    [problem] = store.problems
    assert str(first) in problem and "truncated" in problem and "read-only" in problem
    doc_rel = json.loads(good)["_meta"]["1"]["doc"]
    assert not store.is_writable(doc_rel)
    store.close()
    assert first.read_bytes() == good[: len(good) // 2]
    first.write_bytes(good)  # repaired
    assert stored(old) == ORIGINAL
    assert not first.exists()


def test_a_schema_1_file_arriving_in_a_schema_2_store_is_merged_in(old: Path) -> None:
    """As after a git merge with a clone that was not upgraded yet."""
    [first, *_] = sorted(old.glob("docs/*.json"))
    arriving = first.read_bytes()
    Store(old, "analyst A").close()  # upgraded
    data = json.loads(arriving)
    records = list(data["annotations"].values())
    records[0]["note"] = "changed in the old clone"  # an id the logs hold: theirs is kept
    data["annotations"]["99"] = {**records[1], "id": "new-in-the-old-clone"}
    first.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    reader = Store(old, "checker", read_only=True)  # before it is converted: shown, merged
    assert reader.get("new-in-the-old-clone") is not None
    assert reader.get(records[0]["id"]).note == ORIGINAL[records[0]["id"]]["note"]  # type: ignore[union-attr]
    again = stored(old)
    assert set(again) == {*ORIGINAL, "new-in-the-old-clone"}
    assert again[records[0]["id"]] == ORIGINAL[records[0]["id"]]
    assert not first.exists() and len(list((old / "backups").iterdir())) == 2


def test_several_store_folders_read_at_once(old: Path, tmp_path: Path) -> None:
    """`reader merge` reads stores straight from their folders: schema 1 and 2, read-only."""
    doc = read_document(SEEDS / "000_0430b5cc33e0e526.txt", SEEDS)
    new = tmp_path / "other"
    Store(new, "C").add(doc, 0, 4, ["arms"])
    before = tree(old), tree(new)
    stores = [Store(root, read_only=True) for root in (old, new)]
    assert [len(list(s.all_annotations())) for s in stores] == [len(ORIGINAL), 1]
    assert {a.annotator for s in stores for a in s.all_annotations()} == {
        "analyst A", "باحث ب", "C"
    }  # fmt: skip
    assert all(s.problems == [] for s in stores)
    for store in stores:
        store.close()
    assert (tree(old), tree(new)) == before
    assert upgrade_module.legacy_files(new) == [] and annotator_filename("C")
