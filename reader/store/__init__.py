"""The annotation store: typed records over TinyDB, atomic, single-writer, re-anchoring.

See ``docs/STORE.md`` for the record schema, the store layout, themes.toml,
the locking decision and the durability guarantees.
"""

from __future__ import annotations

from pathlib import Path

from reader.store.model import (
    ANCHORED,
    CONTEXT_CHARS,
    ORPHANED,
    REANCHORED,
    SCHEMA_VERSION,
    STATUSES,
    Annotation,
    from_record,
    to_record,
)
from reader.store.repo import Store, default_annotator
from reader.store.themes import Theme, ThemeSet, default_themes, load_themes

#: Where the store lives unless ``--store`` says otherwise.
DEFAULT_STORE_DIR = Path("annotations")

__all__ = [
    "ANCHORED",
    "CONTEXT_CHARS",
    "DEFAULT_STORE_DIR",
    "ORPHANED",
    "REANCHORED",
    "SCHEMA_VERSION",
    "STATUSES",
    "Annotation",
    "Store",
    "Theme",
    "ThemeSet",
    "default_annotator",
    "default_themes",
    "from_record",
    "load_themes",
    "to_record",
]
