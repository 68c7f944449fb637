"""``reader serve [PATH…] [--open DOC] [--store DIR] [--host H] [--port N]``: the app in a browser.

The same app, run by textual-serve: each browser tab gets its own ``reader`` process, whose
screen is drawn by xterm.js in the page. xterm.js does no bidi and no shaping, so the
app's own layout is shown as it is — the way out for terminals that reorder Arabic and
cannot be told not to (Terminal.app, iTerm2 3.7+). Under textual-serve the app detects the
browser (``TEXTUAL_DRIVER``) and writes no terminal switch at all.

The server binds to 127.0.0.1 unless ``--host`` says otherwise — there is no login, and
whoever opens the page can tag in the store — and prints the URL to open. The page loads
nothing from elsewhere: the script and style sheet come from textual-serve's own static
folder, and the page template (``reader/serve/templates``) asks for no web fonts.
Arguments are checked before the server starts: a bad document or a port in use is one
line and exit status 2.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from reader.commands.launch import DEFAULT_PATHS, DEFAULT_STORE, add_bidi_option
from reader.corpus import read_document
from reader.errors import UsageError

TEMPLATES = Path(__file__).resolve().parent.parent / "serve" / "templates"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Serve the app to a web browser (textual-serve)."
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files and folders for the library (default: seeds/)"
    )
    parser.add_argument("--open", type=Path, default=None, help="open this document at once")
    parser.add_argument("--store", type=Path, default=Path(DEFAULT_STORE), help="store folder")
    parser.add_argument("--annotator", default=None, help="name recorded on new annotations")
    add_bidi_option(parser)
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000)")
    return parser


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab."""
    argv = [sys.executable, "-m", "reader"]
    if args.open is not None:
        argv += ["open", str(args.open.resolve())]
    else:
        argv += [str(p.resolve()) for p in (args.paths or [Path(p) for p in DEFAULT_PATHS])]
    argv += ["--store", str(args.store.resolve()), "--bidi", args.bidi]
    if args.annotator:
        argv += ["--annotator", args.annotator]
    return shlex.join(argv)


def check_address(host: str, port: int) -> None:
    """Raise UsageError unless ``host:port`` can be listened on now."""
    if not 0 < port < 65536:
        raise UsageError(f"--port must be between 1 and 65535 (got {port})")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} on {host} is in use (try --port)") from exc
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(command: str, host: str, port: int) -> Any:
    """A textual-serve server for ``command`` that prints one line instead of its banner."""
    from textual_serve.server import Server

    class ReaderServer(Server):
        async def on_startup(self, app: Any) -> None:
            print(f"reader: serving on {self.public_url} (ctrl+c to stop)", flush=True)

    server = ReaderServer(command, host=host, port=port, title="reader")
    server.templates_path = TEMPLATES
    return server


def run(args: argparse.Namespace) -> int:
    if args.open is not None:
        read_document(args.open)  # one line and exit 2 now, not in the browser later
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    check_address(args.host, args.port)
    if not is_loopback(args.host):
        print(
            f"reader: warning: listening on {args.host}: anyone who can reach it can use the app "
            "and change the store",
            file=sys.stderr,
        )
    make_server(app_command(args), args.host, args.port).serve()
    return 0
