"""``reader export -o PATH [--force]`` where PATH is not a regular file (issue 12, item 1).

Seen: ``-o /dev/null --force`` run as root replaced the machine's ``/dev/null`` with a
regular file; a FIFO and a symbolic link were replaced too. Expected (docs/EXPORT.md):
a FIFO or a character device is written through as a shell's ``>`` would, a link to a
regular file has its target replaced and stays a link, anything else is refused in one
line — and no node is ever replaced.

Never the real ``/dev/null``: every device here is made in a temporary folder (a node
with ``/dev/null``'s numbers, made with ``mknod`` as root, or a pseudo-terminal of ours).
Each export runs in its own process, so a write that blocks shows up as a timeout.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.corpus import read_document
from reader.store import Store

from .fixtures import ARABIC, ESC

IS_ROOT = os.geteuid() == 0
BODY = f"{ARABIC} {ESC}]0;HXTITLE\x07 نهاية"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("targets")
    doc = root / "doc.txt"
    doc.write_text(BODY + "\n", "utf-8")
    Store(root / "store", "tester").add(read_document(doc), 0, len(BODY), ["arms"])
    return root / "store"


def export(store: Path, target: Path, *extra: str, fmt: str = "jsonl") -> subprocess.Popen[str]:
    argv = ["export", "-f", fmt, "--store", str(store), "-o", str(target), *extra]
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def one_line(err: str, name: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert name in lines[0] and "Traceback" not in err and "internal error" not in err
    return lines[0]


def drain(fd: int, proc: subprocess.Popen[str], deadline: float = 30) -> bytes:
    """Read a non-blocking fd until the writer is done (or the time is up)."""
    got = bytearray()
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            chunk = None
        except OSError:  # a pty's master reads EIO while no slave is open
            chunk = None
        if chunk:
            got += chunk
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.02)
    return bytes(got)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_a_fifo_is_written_through_and_stays_a_fifo(
    store: Path, tmp_path: Path, force: bool
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there
    try:
        proc = export(store, fifo, *(["--force"] if force else []))
        data = drain(reader, proc)
        code, _, err = finish(proc)
    finally:
        os.close(reader)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b'"quote"' in data and ARABIC.encode() in data  # the export went through
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_a_fifo_nobody_reads_is_refused_at_once(store: Path, tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out, err = finish(export(store, fifo, *(["--force"] if force else [])))
    assert code == 2 and out == ""
    assert "nothing reads" in one_line(err, "pipe")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT, reason="mknod of a character device needs root")
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_a_null_device_is_written_through_and_stays_a_device(
    store: Path, tmp_path: Path, force: bool
) -> None:
    null = tmp_path / "null"  # our own node with /dev/null's numbers, not /dev/null
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    code, _, err = finish(export(store, null, *(["--force"] if force else [])))
    assert code == 0, err
    st = os.lstat(null)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert leftovers(tmp_path) == []


def test_a_terminal_is_written_through(store: Path, tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        os.set_blocking(master, False)
        proc = export(store, Path(os.ttyname(slave)))
        data = drain(master, proc).decode("utf-8", "replace")
        code, _, err = finish(proc)
    finally:
        os.close(master)
        os.close(slave)
    assert code == 0, err
    assert "HXTITLE" in data and ESC not in data and "\x07" not in data


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_a_link_to_a_file_keeps_being_a_link(store: Path, tmp_path: Path, force: bool) -> None:
    real = tmp_path / "real" / "export.jsonl"
    real.parent.mkdir()
    real.write_text("precious", "utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    code, _, err = finish(export(store, link, *(["--force"] if force else [])))
    assert link.is_symlink() and os.readlink(link) == str(real)
    if force:
        assert code == 0, err
        assert '"quote"' in real.read_text("utf-8")  # the target was replaced…
    else:
        assert code == 2 and "--force" in one_line(err, "link.jsonl")
        assert real.read_text("utf-8") == "precious"
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_link_to_a_fifo_writes_through_the_fifo(store: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        proc = export(store, link, "--force")
        data = drain(reader, proc)
        code, _, err = finish(proc)
    finally:
        os.close(reader)
    assert code == 0, err
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert ARABIC.encode() in data


@contextlib.contextmanager
def unix_socket(path: Path) -> Iterator[None]:
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        yield
    finally:
        sock.close()


def _unused_block_major() -> int:
    """A major number from the experimental range that no driver registered here."""
    used = {
        int(line.split()[0])
        for line in Path("/proc/devices").read_text().splitlines()
        if line[:1] == " " or line[:1].isdigit()
    }
    return next(m for m in range(254, 239, -1) if m not in used)


@pytest.mark.parametrize("kind", ["socket", "dangling-link", "block-device"])
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_other_nodes_are_refused_in_one_line(
    store: Path, tmp_path: Path, kind: str, force: bool
) -> None:
    target = tmp_path / kind
    with contextlib.ExitStack() as stack:
        if kind == "socket":
            stack.enter_context(unix_socket(target))
        elif kind == "dangling-link":
            target.symlink_to(tmp_path / "nowhere")
        else:
            if not IS_ROOT:
                pytest.skip("mknod of a block device needs root")
            os.mknod(target, stat.S_IFBLK | 0o600, os.makedev(_unused_block_major(), 0))
        before = os.lstat(target)
        code, out, err = finish(export(store, target, *(["--force"] if force else [])))
        after = os.lstat(target)
    assert code == 2 and out == ""
    one_line(err, kind)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not (tmp_path / "nowhere").exists()
    assert leftovers(tmp_path) == []


def test_a_zip_export_writes_through_a_fifo_and_keeps_links(store: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        proc = export(store, fifo, fmt="qdpx")
        data = drain(reader, proc)
        code, _, err = finish(proc)
    finally:
        os.close(reader)
    assert code == 0, err
    assert data.startswith(b"PK") and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    real = tmp_path / "real.qdpx"
    real.write_bytes(b"precious")
    link = tmp_path / "link.qdpx"
    link.symlink_to(real)
    code, _, err = finish(export(store, link, "--force", fmt="qdpx"))
    assert code == 0, err
    assert link.is_symlink() and real.read_bytes().startswith(b"PK")
    assert leftovers(tmp_path) == []


def test_a_folder_export_keeps_a_link_and_refuses_other_nodes(store: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "old.ann").write_text("old", "utf-8")
    link = tmp_path / "link"
    link.symlink_to(real)
    code, _, err = finish(export(store, link, "--force", fmt="brat"))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "annotation.conf").exists() and not (real / "old.ann").exists()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for target in (fifo, dangling):
        code, out, err = finish(export(store, target, "--force", fmt="brat"))
        assert code == 2 and out == ""
        one_line(err, target.name)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and dangling.is_symlink()
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "link", "pipe", "real"]
