"""``reader serve``: arguments checked before the server starts, the command each tab runs, the
address, and a real server answering on 127.0.0.1 with the page and its local assets.

The page in a browser, read back by OCR: tests/terminals/test_serve_page.py.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from reader import cli
from reader.commands import serve

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0430b5cc33e0e526.txt"


def test_the_command_each_tab_runs(tmp_path: Path) -> None:
    args = serve.build_parser("reader serve").parse_args(
        ["--open", str(SEED), "--store", str(tmp_path / "s"), "--annotator", "amal"]
    )
    argv = shlex.split(serve.app_command(args))
    assert argv[:4] == [sys.executable, "-m", "reader", "open"]
    assert argv[4] == str(SEED.resolve())
    assert argv[5:] == ["--store", str(tmp_path / "s"), "--bidi", "auto", "--annotator", "amal"]
    library = serve.build_parser("reader serve").parse_args([])
    assert shlex.split(serve.app_command(library))[3] == str(Path("seeds").resolve())
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x00\x00")
    assert cli.main(["serve", "--open", str(binary)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(binary) in err
    assert cli.main(["serve", str(tmp_path / "nope")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert cli.main(["serve", "--port", "0"]) == 2
    assert "--port" in capsys.readouterr().err


def test_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"port {port}" in err and "in use" in err


def test_loopback_is_told_apart() -> None:
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("localhost")
    assert serve.is_loopback("::1") and not serve.is_loopback("0.0.0.0")
    assert not serve.is_loopback("192.168.1.5")


def test_the_server_prints_its_url_and_serves_the_page_and_assets(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "reader", "serve", "--port", str(port), "--store", str(tmp_path)]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert line.strip() == f"reader: serving on http://127.0.0.1:{port} (ctrl+c to stop)"
        page = _get(f"http://127.0.0.1:{port}/")
        assert "googleapis" not in page and "https://" not in page
        assert f"ws://127.0.0.1:{port}/ws" in page
        for asset in ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf"):
            assert f"http://127.0.0.1:{port}/static/{asset}" in page
            assert _get(f"http://127.0.0.1:{port}/static/{asset}", text=False)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)


def _get(url: str, text: bool = True) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                data = response.read()
                return data.decode() if text else str(len(data))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
