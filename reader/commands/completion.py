"""``reader completion bash|zsh|tcsh``: print a shell completion script (shtab).

    eval "$(reader completion bash)"                   # in ~/.bashrc
    reader completion zsh > ~/.zfunc/_reader            # with ~/.zfunc on $fpath

The script completes the commands, their options and their choices, and file
names where a command takes paths. It is generated from the same parsers the
commands use (:func:`reader.cli.build`), so it cannot drift from them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SHELLS = ("bash", "zsh", "tcsh")


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Print a shell completion script.")
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    return parser


def completion_parser() -> argparse.ArgumentParser:
    """One parser holding every command as a subcommand: what shtab walks."""
    import shtab

    from reader.cli import COMMANDS, build

    _, top = build(None)
    # The launcher's PATH… would be completed before the commands: the commands come first
    # (argparse has no public way to drop an argument).
    for action in [a for a in top._actions if not a.option_strings]:
        top._remove_action(action)
        for group in top._action_groups:
            if action in group._group_actions:
                group._group_actions.remove(action)
    commands = top.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    for name, (_, about) in COMMANDS.items():
        _, parser = build(name)
        sub = commands.add_parser(
            name, help=about, parents=[parser], add_help=False, conflict_handler="resolve"
        )
        sub.description = parser.description
    for parser in [top, *commands.choices.values()]:
        for action in parser._actions:  # argparse offers no public way to walk them
            if action.type is Path and not action.choices:
                action.complete = shtab.FILE  # type: ignore[attr-defined]
    return top


def run(args: argparse.Namespace) -> int:
    import shtab

    sys.stdout.write(shtab.complete(completion_parser(), args.shell))
    return 0
