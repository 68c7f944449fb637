"""Temporary files of killed writers are removed by the next one (issue 12, item 9).

Before, only a store opened whole removed them: ``reader tag``, export and stats never
did, and 200 killed writers left 8 full-size copies. Now every command that opens the
store removes them when it holds the lock — and a cache being written without the lock
by a live process is left alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_support import SEED, SEEDS

from reader.cli import main
from reader.store import Store, docfile
from reader.store.names import annotator_filename, doc_dirname

#: No process has this id (above the kernel's pid_max).
DEAD = 4_194_399


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    assert main(["tag", str(SEED), "--start", "0", "--end", "5", "--theme", "arms",
                 "--store", str(root), "--annotator", "me"]) == 0  # fmt: skip
    return root


def litter(root: Path) -> list[Path]:
    """What killed writers leave: a compaction's copy, a new file's, store.json's and
    .corpus.json's (written only under the lock: even with a live pid), a cache's."""
    folder = root / "docs" / doc_dirname(SEED.name)
    log = annotator_filename("me")
    left = [
        folder / f".{log}.{DEAD}.a1b2c3d4.tmp",
        folder / f".{log}.{os.getpid()}.a1b2c3d5.tmp",  # even a live pid: docs/ is locked
        root / "docs" / f".x-0123456789abcdef.{DEAD}.00ff00ff.tmp",
        root / f".store.json.{DEAD}.0badcafe.tmp",
        root / f"..corpus.json.{os.getpid()}.0badcafe.tmp",
        root / ".logs.k2j3h4g5.tmp",  # mkstemp's name, no pid: old enough
    ]
    for path in left:
        path.write_bytes(b"x" * 100_000)
    os.utime(left[-1], (time.time() - 3600, time.time() - 3600))
    return left


@pytest.mark.parametrize(
    "command",
    [
        ["tag", str(SEED), "--start", "6", "--end", "9", "--theme", "arms", "--annotator", "me"],
        ["export", "-f", "jsonl", "--corpus", str(SEEDS)],
        ["stats", "--corpus", str(SEEDS)],
        ["import", "EXPORT", "--corpus", str(SEEDS)],
    ],
    ids=["tag", "export", "stats", "import"],
)  # fmt: skip
def test_every_command_removes_what_killed_writers_left(
    store: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.jsonl"
    assert main(["export", "-f", "jsonl", "--store", str(store), "-o", str(export)]) == 0
    left = litter(store)
    fresh_cache = store / ".index.abcdefgh.tmp"  # a live library writing its cache right now
    fresh_cache.write_bytes(b"{}")
    argv = [str(export) if a == "EXPORT" else a for a in command]
    assert main([*argv, "--store", str(store)]) == 0, capsys.readouterr().err
    assert [p for p in left if p.exists()] == []
    assert fresh_cache.exists()


def test_tagging_another_document_sweeps_the_store_folder_and_docs_only(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A writer sweeps the folders it writes to (and the store's): not every document's."""
    left = litter(store)
    assert main(["tag", str(SEEDS / "001_7a27a54a086accf8.txt"), "--start", "0", "--end", "5",
                 "--theme", "arms", "--store", str(store), "--annotator", "me"]) == 0  # fmt: skip
    assert [p.parent.name for p in left if p.exists()] == [doc_dirname(SEED.name)] * 2
    assert not (store / f"..corpus.json.{os.getpid()}.0badcafe.tmp").exists()


def test_a_killed_compaction_leaves_nothing_behind_the_next_tag(tmp_path: Path) -> None:
    """Kill a writer while it rewrites a big file (compaction): its copy is gone next time."""
    root = tmp_path / "store"
    code = (
        "import sys, os\n"
        "from reader.corpus import read_document\n"
        "from reader.store import Store, docfile, journal\n"
        "docfile.COMPACT_MIN, docfile.COMPACT_SHARE = 1, 1\n"
        "real = journal.atomic_write\n"
        "def stuck(path, payload, **kw):\n"
        "    tmp = path.with_name(f'.{path.name}.{os.getpid()}.deadbeef.tmp')\n"
        "    tmp.write_bytes(b''.join(payload))\n"
        "    print('copying', flush=True)\n"
        "    os.kill(os.getpid(), 9)\n"
        "doc = read_document(sys.argv[1], sys.argv[2])\n"
        "store = Store(sys.argv[3], 'me')\n"
        "made = store.add(doc, 0, 5, ['arms'])\n"
        "journal.atomic_write = stuck\n"
        "store.set_note(made.id, 'compacted after this')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEED), str(SEEDS), str(root)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL and "copying" in done.stdout, done.stderr
    assert list(root.rglob("*.tmp"))  # the killed writer's full copy
    assert docfile.COMPACT_MIN > 1
    main(["tag", str(SEED), "--start", "10", "--end", "14", "--theme", "arms",
          "--store", str(root), "--annotator", "me"])  # fmt: skip
    assert list(root.rglob("*.tmp")) == []
    assert len(Store(root, "x").annotations(SEED.name)) == 2


async def test_the_app_sweeps_them_in_a_worker(store: Path) -> None:
    from reader.ui.app import make_app

    left = litter(store)
    app = make_app([SEEDS], store, "app", "me")
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [p for p in left if p.exists()] == []
