"""Command-line conventions: --version, help through rich-argparse, shell completion (shtab)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich_argparse import RichHelpFormatter

from reader import __version__
from reader.cli import COMMANDS, build, main

ROOT = Path(__file__).resolve().parent.parent


def reader(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_version() -> None:
    done = reader("--version")
    assert (done.returncode, done.stdout) == (0, f"reader {__version__}\n")


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_every_help_goes_through_rich_argparse(name: str | None) -> None:
    _, parser = build(name)
    assert isinstance(parser._get_formatter(), RichHelpFormatter)


def test_help_is_rich_arg_parse_s(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["search", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    # rich-argparse's headings (plain argparse writes "usage:" and "options:")
    assert out.startswith("Usage: reader search") and "\nOptions:\n" in out


def complete(script: Path, line: str, cwd: Path) -> list[str]:
    """What bash completion offers for ``line`` (the word under the cursor is its last)."""
    words = line.split(" ")
    program = (
        f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
        f"COMP_CWORD={len(words) - 1}; COMP_LINE={line!r}; COMP_POINT={len(line)}; "
        '_shtab_reader; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, cwd=cwd, check=True
    )
    return sorted(filter(None, done.stdout.splitlines()))


def test_bash_completion_offers_commands_options_choices_and_files(tmp_path: Path) -> None:
    done = reader("completion", "bash")
    assert done.returncode == 0, done.stderr
    script = tmp_path / "reader.bash"
    script.write_text(done.stdout, encoding="utf-8")
    (tmp_path / "seeds").mkdir()
    assert complete(script, "reader sea", tmp_path) == ["search"]
    assert complete(script, "reader se", tmp_path) == sorted(n for n in COMMANDS if n[:2] == "se")
    assert complete(script, "reader ", tmp_path) == sorted(COMMANDS)
    assert complete(script, "reader search x --for", tmp_path) == ["--format"]
    assert complete(script, "reader search x --format ", tmp_path) == ["jsonl", "text"]
    assert complete(script, "reader search x se", tmp_path) == ["seeds"]
    assert complete(script, "reader completion ", tmp_path) == ["bash", "tcsh", "zsh"]


def test_zsh_completion_is_a_zsh_script(tmp_path: Path) -> None:
    zsh = shutil.which("zsh")
    assert zsh is not None, "zsh is needed to check the script (apt-get install zsh)"
    done = reader("completion", "zsh")
    assert done.returncode == 0 and done.stdout.startswith("#compdef reader")
    assert all(f"        {name}) _arguments" in done.stdout for name in COMMANDS)
    script = tmp_path / "_reader"
    script.write_text(done.stdout, encoding="utf-8")
    check = subprocess.run([zsh, "-n", str(script)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_an_unknown_shell_is_a_usage_error() -> None:
    done = reader("completion", "fish")
    assert done.returncode == 2 and "invalid choice" in done.stderr
