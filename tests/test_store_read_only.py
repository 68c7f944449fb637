"""A read-only ``docs/`` folder (issue 12, item 4, the store's side).

The CLI says it in one line and exits 2; the app shows a notification and goes on. As
root a folder's mode bits stop nothing, so the folder is made read-only for real with a
bind mount in a mount namespace of its own (``unshare -m``, as CI runs as root) where
that is allowed, and emulated in-process otherwise (every write call under the folder
fails with EROFS, as the kernel's does) — the emulation also drives the app's test.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from store_support import SEEDS

from reader.cli import main
from reader.corpus import read_document
from reader.errors import StoreError
from reader.store import Store

SEED = SEEDS / "000_0430b5cc33e0e526.txt"
OTHER = SEEDS / "001_7a27a54a086accf8.txt"
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Every write call under ``folder`` fails with EROFS (an emulated read-only mount)."""
    inside = str(folder.resolve()) + os.sep
    real = {name: getattr(os, name) for name in ("open", "mkdir", "replace", "rename", "link",
                                                 "unlink", "rmdir", "truncate")}  # fmt: skip

    def under(path: Any) -> bool:
        return os.path.abspath(os.fsdecode(os.fspath(path))).startswith(inside)

    def guard(name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            paths = args[:2] if name in ("replace", "rename", "link") else args[:1]
            writing = name != "open" or bool(args[1] & WRITES)
            if writing and any(under(p) for p in paths):
                raise OSError(errno.EROFS, "Read-only file system", os.fspath(args[0]))
            return real[name](*args, **kwargs)

        return call

    with pytest.MonkeyPatch.context() as patch:
        for name in real:
            patch.setattr(os, name, guard(name))
        yield


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store holding one annotation of SEED (by root, as reader tag records it)."""
    root = tmp_path / "store"
    assert main(["tag", str(SEED), "--quote", "كوريا الشمالية", "--theme", "arms",
                 "--store", str(root), "--annotator", "me"]) == 0  # fmt: skip
    return root


def tag(capsys: pytest.CaptureFixture[str], root: Path, path: Path, *where: str) -> tuple[int, str]:
    code = main(["tag", str(path), *where, "--theme", "arms", "--store", str(root),
                 "--annotator", "me"])  # fmt: skip
    out, err = capsys.readouterr()
    assert out == "" or code == 0
    return code, err


def test_reader_tag_into_a_read_only_docs_folder_is_one_line_and_exit_2(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    before = digest(store)
    with read_only(store / "docs"):
        for path, where in (
            (SEED, ("--quote", "كوريا الشمالية")),
            (OTHER, ("--start", "0", "--end", "5")),
        ):
            code, err = tag(capsys, store, path, *where)
            assert code == 2 and err.count("\n") == 1, err
            assert "Read-only file system" in err and "Traceback" not in err
            assert str(store / "docs") in err
    assert digest(store) == before
    assert tag(capsys, store, OTHER, "--start", "0", "--end", "5")[0] == 0  # writable again


def test_every_store_write_into_a_read_only_docs_folder_is_a_one_line_refusal(
    store: Path,
) -> None:
    doc = read_document(SEED, SEED.parent)
    other = read_document(OTHER, OTHER.parent)
    opened = Store(store, "me")
    [ann] = opened.annotations(doc.rel)
    before = digest(store)
    with read_only(store / "docs"):
        for write in (
            lambda: opened.add(doc, 0, 5, ["arms"]),
            lambda: opened.add(other, 0, 5, ["arms"]),
            lambda: opened.toggle_theme(doc, ann.start, ann.end, "china"),
            lambda: opened.set_note(ann.id, "x"),
            lambda: opened.delete(ann.id),
            lambda: opened.put(ann.copy(note="imported")),
        ):
            with pytest.raises(StoreError) as caught:
                write()
            assert "\n" not in str(caught.value) and "Read-only file system" in str(caught.value)
        opened.close()  # compaction and the cache: best effort, never an error
    assert digest(store) == before
    assert Store(store, "x").annotations(doc.rel) == [ann]


async def test_the_app_says_it_in_a_notification_and_goes_on(store: Path) -> None:
    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen

    app = make_app([SEED], store, "app", "me", open_path=SEED)
    told: list[str] = []
    show = app.notify
    app.notify = lambda message, **kw: (
        told.append(f"{kw.get('title', '')}: {message}")
        or show(  # type: ignore[method-assign]
            message, **kw
        )
    )
    before = digest(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        with read_only(store / "docs"):
            await pilot.press("1", "j", "2")
            await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)  # still running, still the reader
        assert any("cannot tag" in t and "Read-only file system" in t for t in told), told
        assert digest(store) == before
        await pilot.press("3")  # writable again: the same app tags
        await pilot.pause()
    assert digest(store) != before


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="a real read-only bind mount needs root and unshare")
def test_a_real_read_only_mount_gives_the_same_one_line(store: Path) -> None:
    """The kernel's EROFS, not an emulation: docs/ bind-mounted read-only, in a namespace."""
    docs = store / "docs"
    before = digest(store)
    script = (
        f"mount --bind {docs} {docs} && mount -o remount,bind,ro {docs} && "
        f"{sys.executable} -m reader tag {SEED} --start 0 --end 5 --theme arms "
        f"--store {store} --annotator me; echo EXIT $?; "
        f"{sys.executable} -m reader tag {OTHER} --start 0 --end 5 --theme arms "
        f"--store {store} --annotator me; echo EXIT $?; "
        f"{sys.executable} -m reader export -f jsonl --store {store} --corpus {SEEDS} "
        f"> /dev/null; echo EXIT $?"
    )
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["EXIT", "2", "EXIT", "2", "EXIT", "0"], done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and all("Read-only file system" in line for line in lines), lines
    assert digest(store) == before
