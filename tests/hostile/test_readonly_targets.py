"""``reader export -o`` into a read-only folder, from the CLI and from the app's dialog
(issue 12, item 4, the export side).

Seen: ``internal error: OSError [Errno 30]`` and exit 1 — the temporary file could not be
created, and removing it raised EROFS again (``unlink`` of a missing file on a read-only
file system is EROFS, not ENOENT). Expected: one line naming the file, exit 2, nothing
left behind; in the app, a notification while the app keeps running.

The folders are made read-only by a read-only bind mount in a private mount namespace
(see readonly.py): root, as in CI, cannot write through it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reader.corpus import read_document
from reader.export import FORMATS, KINDS
from reader.store import Store

from .fixtures import ARABIC
from .readonly import can_mount, run_readonly

PROBE = Path(__file__).with_name("readonly_app_probe.py")
ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    doc = tmp_path / "doc.txt"
    doc.write_text(ARABIC + "\n", "utf-8")
    Store(tmp_path / "store", "tester").add(read_document(doc), 0, 5, ["arms"])
    return tmp_path / "store"


def _env() -> dict[str, str]:
    import os

    return {**ENV, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}


def test_the_folder_really_is_read_only(tmp_path: Path) -> None:
    """Guard: without this every test below could pass on a writable folder."""
    folder = tmp_path / "ro"
    folder.mkdir()
    done = run_readonly([folder], ["touch", str(folder / "x")], timeout=60)
    assert done.returncode != 0 and not (folder / "x").exists()
    if can_mount():
        assert "Read-only file system" in done.stderr


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing-force"])
def test_export_into_a_read_only_folder_is_one_line(
    store: Path, tmp_path: Path, fmt: str, existing: bool
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / f"out.{fmt}"
    if existing and KINDS.get(fmt) == "folder":
        target.mkdir()
        (target / "precious").write_text("precious", "utf-8")
        target = target / "precious"  # what must be left as it was
    elif existing:
        target.write_text("precious", "utf-8")
    output = folder / f"out.{fmt}"
    argv = ["export", "-f", fmt, "--store", str(store), "-o", str(output)]
    argv += ["--force"] if existing else []
    done = run_readonly([folder], [sys.executable, "-m", "reader", *argv], timeout=60, env=_env())
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "out." in lines[0] and "cannot write" in lines[0], done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stdout == ""
    assert [p.name for p in folder.iterdir()] == (["out." + fmt] if existing else [])
    if existing:
        assert target.read_text("utf-8") == "precious"


def test_the_export_dialog_notifies_and_the_app_keeps_running(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "out.json"
    argv = [sys.executable, str(PROBE), str(store), str(target)]
    done = run_readonly([folder], argv, timeout=120, env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert "cannot write" in seen["status"] and "out.json" in seen["status"]
    errors = [n for n in seen["notifications"] if n.startswith("error|export|")]
    assert len(errors) == 1 and "cannot write" in errors[0], seen
    assert seen["dialog_closed"] and seen["running"]
    assert list(folder.iterdir()) == []
