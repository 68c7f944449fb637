"""Every CLI command on paths that are not documents: exit 2, one line on stderr, no traceback.

Commands run through the real entry point in a subprocess (a crash, a
traceback or a stray prompt all show up there), several at once to keep the
suite fast. The unreadable file is read without root's override capability.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reader import cli
from reader.corpus import read_document
from reader.store import Store

from .fixtures import ARABIC, ESC, drop_root_read, make_bad_paths

THEME = "arms"  # a default theme key, so a bad path is the only thing wrong

#: command → argv built from (bad path, store folder). ``stats`` takes no document,
#: so its store folder is the bad path. The launcher (``reader PATH…``) is not here:
#: it opens the library, which lists bad paths with their reasons (test_app_library.py).
Build = Callable[[Path, Path], list[str]]
COMMANDS: dict[str, Build] = {
    "show": lambda p, s: ["show", str(p)],
    "tag": lambda p, s: [
        "tag",
        str(p),
        "--start",
        "0",
        "--end",
        "3",
        "--theme",
        THEME,
        "--store",
        str(s),
    ],
    "tag-quote": lambda p, s: ["tag", str(p), "--quote", "x", "--theme", THEME, "--store", str(s)],
    "export": lambda p, s: ["export", "--format", "json", "--doc", str(p), "--store", str(s)],
    "import": lambda p, s: ["import", str(p), "--store", str(s)],
    "suggest": lambda p, s: ["suggest", str(p)],
    "open": lambda p, s: ["open", str(p), "--store", str(s)],
    "stats": lambda p, s: ["stats", "--store", str(p)],
    "agree": lambda p, s: ["agree", str(s), str(p)],
    "merge": lambda p, s: ["merge", str(s), str(p), "--into", str(s.parent / "merged")],
    "init": lambda p, s: ["init", "--store", str(p)],
}
KINDS = ("missing", "directory", "binary", "empty", "broken_link", "unreadable")


def _skip_case(command: str, kind: str) -> bool:
    """Cases where the path is legitimately fine for the command (not an error to report)."""
    # A missing store folder is simply an empty store, and a folder is what a store is
    # (``init`` makes one there: not run, so that it leaves the other commands' paths alone).
    return command in ("stats", "init") and kind in ("missing", "directory")


def run_reader(
    argv: list[str], cwd: Path, *, no_root_read: bool = False
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "reader", *argv]
    if no_root_read:
        cmd = drop_root_read(cmd)
    return subprocess.run(
        cmd,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(cwd),
            "TERM": "dumb",
            "LANG": "C.UTF-8",
            # This checkout's code, not an editable install's (tests/conftest.py sets it).
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        },
    )


@pytest.fixture(scope="module")
def cli_results(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], tuple[Path, subprocess.CompletedProcess[str]]]:
    root = tmp_path_factory.mktemp("cli")
    bad = make_bad_paths(root / "bad")
    store = root / "store"
    # A real store with one annotation, so a bad path is the only thing wrong.
    good = root / "good" / "doc.txt"
    good.parent.mkdir()
    good.write_text(ARABIC + "\n", "utf-8")
    Store(store, "tester").add(read_document(good), 0, 5, [THEME])
    jobs = {}
    for command, build in COMMANDS.items():
        for kind, path in bad.items():
            if not _skip_case(command, kind):
                jobs[(command, kind)] = (path, build(path, store))
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {
            key: pool.submit(run_reader, argv, root, no_root_read=key[1] == "unreadable")
            for key, (_, argv) in jobs.items()
        }
        return {key: (jobs[key][0], future.result()) for key, future in futures.items()}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_bad_path_gives_exit_2_and_one_line(
    command: str,
    kind: str,
    cli_results: dict[tuple[str, str], tuple[Path, subprocess.CompletedProcess[str]]],
) -> None:
    if _skip_case(command, kind):
        return  # see _skip_case: not an error for this command
    path, result = cli_results[(command, kind)]
    lines = result.stderr.splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert path.name in lines[0], lines[0]  # the line names the file
    assert result.stdout == ""


def test_unreadable_fixture_really_is_unreadable(tmp_path: Path) -> None:
    """Guard: without this the unreadable cases could pass on a readable file."""
    bad = make_bad_paths(tmp_path)
    probe = subprocess.run(drop_root_read(["cat", str(bad.unreadable)]), capture_output=True)
    assert probe.returncode != 0 and b"denied" in probe.stderr


def test_error_lines_do_not_carry_escape_sequences_from_file_names(tmp_path: Path) -> None:
    """A file name is untrusted too: the error line must not replay its escape sequences."""
    name = f"{ESC}]0;HXFNAMETITLE\x07{ESC}[2J\x9b31m.txt"
    result = run_reader(["show", str(tmp_path / name)], tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "HXFNAMETITLE" in result.stderr  # named, visibly
    assert ESC not in result.stderr and "\x07" not in result.stderr and "\x9b" not in result.stderr


def test_a_good_document_still_works(tmp_path: Path) -> None:
    """Guard against the matrix passing because the commands fail on everything."""
    doc = tmp_path / "doc.txt"
    doc.write_text(ARABIC + "\n", "utf-8")
    result = run_reader(["show", str(doc), "--width", "40"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_an_internal_error_is_one_inert_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last line of defence prints the exception's text, which may quote a document."""

    class Broken:
        def build_parser(self, prog: str) -> argparse.ArgumentParser:
            return argparse.ArgumentParser(prog=prog)

        def run(self, args: argparse.Namespace) -> int:
            raise RuntimeError(f"{ESC}]0;HXINTERNAL\x07\nsecond line")

    monkeypatch.setattr(cli, "_load", lambda module: Broken())
    monkeypatch.delenv("READER_DEBUG", raising=False)
    assert cli.main(["show"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "HXINTERNAL" in err
    assert ESC not in err and "\x07" not in err
