"""The ``reader`` command line: launches the app, or runs one subcommand.

``reader [PATH…]`` opens the library; ``reader SUBCOMMAND …`` runs a command
module from :data:`COMMANDS`. Command modules are imported only when called,
so ``reader show`` never pays for Textual and start-up stays quick.

Every command module provides ``build_parser(prog: str) -> ArgumentParser``
and ``run(args: Namespace) -> int``. Expected failures are raised as
:class:`reader.errors.ReaderError` and printed here as one line, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Protocol, cast

from reader.errors import ReaderError

#: name → (module, one-line help). The app launcher is the default command.
COMMANDS: dict[str, tuple[str, str]] = {
    "open": ("reader.commands.launch", "open one document straight in the reader"),
    "search": ("reader.commands.search", "find a word or phrase in every document, in context"),
    "show": ("reader.commands.show", "print a document as the reader lays it out"),
    "tag": ("reader.commands.tag", "record one annotation from the command line"),
    "export": ("reader.commands.export", "export annotations (json, csv, html, qdpx, brat, …)"),
    "import": ("reader.commands.import_", "import an export, a REFI-QDA project or a brat folder"),
    "stats": ("reader.commands.stats", "documents × themes statistics"),
    "suggest": ("reader.commands.suggest", "list sentences suggested for each theme"),
    "agree": ("reader.commands.agree", "agreement between annotators (α, κ, F1, u-α)"),
    "init": ("reader.commands.init", "make an empty store (to share in git: commit it first)"),
    "merge": ("reader.commands.merge", "merge stores: union by id, or curated by agreement"),
    "doctor": ("reader.commands.doctor", "which terminal this is and how Arabic is drawn in it"),
    "serve": ("reader.commands.serve", "the app in a web browser (textual-serve, 127.0.0.1)"),
    "completion": ("reader.commands.completion", "print a shell completion script (bash, zsh)"),
}


class CommandModule(Protocol):
    def build_parser(self, prog: str) -> argparse.ArgumentParser: ...

    def run(self, args: argparse.Namespace) -> int: ...


def _load(module: str) -> CommandModule:
    return cast(CommandModule, importlib.import_module(module))


def rich_formatter(prog: str) -> argparse.HelpFormatter:
    """Help and usage through rich-argparse, imported only when help or an error is shown."""
    from rich_argparse import RawDescriptionRichHelpFormatter

    return RawDescriptionRichHelpFormatter(prog)


def build(name: str | None) -> tuple[CommandModule, argparse.ArgumentParser]:
    """The module and parser of command ``name`` (None: the app launcher, ``reader``)."""
    from reader import __version__

    if name is None:
        module = _load("reader.commands.launch")
        parser = module.build_parser("reader")
        parser.epilog = _usage()
        parser.add_argument("--version", action="version", version=f"reader {__version__}")
    else:
        module = _load(COMMANDS[name][0])
        parser = module.build_parser(f"reader {name}")
    parser.formatter_class = rich_formatter
    return module, parser


def _usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    return "commands:\n" + "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        name = args.pop(0) if args and args[0] in COMMANDS else None
        module, parser = build(name)
        return module.run(parser.parse_args(args))
    except ReaderError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `reader show … | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # last line of defence: never a traceback
        if os.environ.get("READER_DEBUG"):
            raise
        # One line, controls drawn (the text may quote a document), as every error line.
        message = str(ReaderError(f"{type(exc).__name__}: {exc}"))
        hint = "set READER_DEBUG=1 for details"
        print(f"reader: internal error: {message} ({hint})", file=sys.stderr)
        return 1
