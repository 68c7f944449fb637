"""``reader show``: the document as laid out, streamed, no control from it reaching the terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.cli import main
from reader.commands import show
from reader.corpus import read_document
from reader.layout import layout_paragraph
from reader.layout.bulk import layout_many
from reader.layout.engine import layout_texts

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]
HOSTILE = "خبر\x1b]52;c;SGVsbG8=\x07 عاجل\x1b[2J \x9b31m\tنهاية \u202eabc\u202c"


def run_show(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["show", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_small_document_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = write(tmp_path, "مرحبا\nhello\n\nعالم\n")
    code, out, err = run_show([str(doc), "--width", "10"], capsys)
    assert (code, err) == (0, "")
    # A blank line between the two first paragraphs; the document's own blank line kept once.
    assert out == "     ﺎﺒﺣﺮﻣ\n\nhello\n\n      ﻢﻟﺎﻋ\n"


def test_seed_lines_fit_and_right_to_left_ones_end_at_the_margin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_show([str(SEED), "--width", "60"], capsys)
    assert code == 0
    lines = out.split("\n")
    assert lines[-1] == ""  # ends with a newline
    doc = read_document(SEED)
    expected_lines = sum(len(layout_paragraph(p.text, 60)) for p in doc.paragraphs() if not p.blank)
    text_lines = [line for line in lines if line.strip()]
    assert len(text_lines) == expected_lines
    for line in text_lines:
        assert cell_len(line) <= 60
        if line.startswith(" "):  # padded: a right-to-left line, flush with the margin
            assert cell_len(line) == 60
    assert "ﺍ" in out or "ﺎ" in out  # shaped


def test_no_escape_codes_when_stdout_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = write(tmp_path, HOSTILE + "\n")
    for mode in ("app", "terminal"):
        code, out, _ = run_show([str(doc), "--width", "30", "--bidi", mode], capsys)
        assert code == 0
        assert not {"\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\t"} & set(out), repr(out)
        assert "␛" in out and "␇" in out and "⌧" in out and "⇦" in out and "⇡" in out


def test_tab_is_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = write(tmp_path, "a\tb\n")
    assert run_show([str(doc), "--width", "20"], capsys)[1] == "a    b\n"


def _run_in_pty(args: list[str]) -> bytes:
    """Run ``reader`` with stdout on a pseudo-terminal; its raw output bytes."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else b""
    return b"".join(chunks)


def test_on_a_terminal_app_mode_asks_for_explicit_bidi(tmp_path: Path) -> None:
    doc = write(tmp_path, HOSTILE + "\n")
    raw = _run_in_pty(["show", str(doc), "--width", "40"])
    # BDSM explicit mode and SCP left-to-right, as the terminal-wg recommendation asks.
    on, off = b"\x1b[8l\x1b[1 k", b"\x1b[8h\x1b[0 k"
    assert raw.startswith(on) and raw.rstrip(b"\r\n").endswith(off)
    inner = raw[len(on) : raw.rindex(off)]
    assert b"\x1b" not in inner and b"\x07" not in inner and "\x9b".encode() not in inner
    terminal = _run_in_pty(["show", str(doc), "--width", "40", "--bidi", "terminal"])
    assert b"\x1b" not in terminal  # the terminal does its own bidi: no mode switch


def test_width_defaults_to_80_off_a_terminal(tmp_path: Path) -> None:
    doc = write(tmp_path, "كلمة " * 100 + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "show", str(doc)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0
    widths = {cell_len(line) for line in result.stdout.splitlines()}
    assert max(widths) == 80


def test_terminal_mode_prints_logical_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "قال الرئيس (Reuters) إن 3.5% من السكان"
    doc = write(tmp_path, text + "\n")
    code, out, _ = run_show([str(doc), "--width", "20", "--bidi", "terminal"], capsys)
    assert code == 0
    assert " ".join(out.split()) == text  # logical order, unshaped, no padding


@pytest.mark.parametrize("problem", ["missing", "directory", "empty"])
def test_bad_path_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str
) -> None:
    path = tmp_path / "doc.txt"
    if problem == "directory":
        path.mkdir()
    elif problem == "empty":
        path.write_bytes(b"")
    code, out, err = run_show([str(path)], capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "doc.txt" in err


def test_width_too_small_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_show([str(SEED), "--width", "1"], capsys)
    assert code == 2 and out == "" and "--width" in err


def test_output_streams_batch_by_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first batch of paragraphs is written before the next is laid out."""
    calls: list[list[str]] = []

    def counting(texts: list[str], *args: object, **kwargs: object) -> object:
        calls.append(list(texts))
        return layout_many(texts, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(show, "layout_many", counting)
    count = 3 * show.BATCH_PARAGRAPHS
    doc = read_document(write(tmp_path, "\n".join(f"فقرة {i}" for i in range(count))))
    chunks = show.render(doc, 40)
    first = next(chunks)
    assert len(calls) == 1 and calls[0][0] == "فقرة 0" and "ﺓﺮﻘﻓ" in first
    assert len(calls[0]) <= show.BATCH_PARAGRAPHS
    rest = list(chunks)
    assert len(rest) == 2 and sum(map(len, calls)) == count
    # The same output as laying out and writing one paragraph at a time.
    alone = "\n".join("\n".join(layout_texts(f"فقرة {i}", 40)) + "\n" for i in range(count))
    assert first + "".join(rest) == alone
