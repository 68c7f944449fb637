"""``reader init``: an empty store, to commit to a shared git repository before anyone tags.

    reader init [--store DIR]

Makes ``store.json``, ``docs/`` and the store's ``.gitignore`` (the files a team shares,
and what stays local), so that the lead can commit them, with a ``themes.toml``, before
anyone tags. A store is otherwise made by its first write, the same files in every clone
(nothing in them is of the clone or the moment), so two annotators who each made it add
the same ``store.json`` and git merges them. An existing store is left as it is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.errors import UsageError
from reader.export.records import visible
from reader.store import DEFAULT_STORE_DIR
from reader.store.folder import DOCS_DIR, META_FILE, create_layout


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Make an empty store (to share in git: commit it first)."
    )
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE_DIR, metavar="DIR",
                        help=f"store folder (default: {DEFAULT_STORE_DIR})")  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    root: Path = args.store
    if root.exists() and not root.is_dir():
        raise UsageError("not a folder", root)
    if (root / META_FILE).exists() or (root / DOCS_DIR).exists():
        print(f"{visible(str(root))}: already a store; nothing changed")
        return 0
    create_layout(root)
    made = f"{META_FILE}, {DOCS_DIR}/, .gitignore"
    print(f"{visible(str(root))}: store made ({made}); commit it before anyone tags")
    return 0
