"""File names inside a store that no document path or annotator name can escape.

A readable stem from the name itself plus a hash of all of it: ``../x``,
absolute paths, separators, control and bidi characters all end up as one
plain name inside the store folder, and two names that read alike after the
clean-up still get different files.
"""

from __future__ import annotations

import functools
import hashlib
import re

_UNSAFE = re.compile(r"[^\w.-]+")

#: A schema-2 annotator file's extension (JSON Lines).
LOG_SUFFIX = ".jsonl"
#: A schema-1 document file's extension (one TinyDB JSON file per document).
LEGACY_SUFFIX = ".json"


def _digest(text: str, size: int) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def _stem(name: str, limit: int, fallback: str) -> str:
    return _UNSAFE.sub("_", name).strip("._-")[:limit] or fallback


@functools.lru_cache(maxsize=1 << 16)  # asked for every document of a library, again and again
def doc_dirname(rel: str) -> str:
    """The folder of a document's annotation files (schema 2): ``<name>-<hash16>``."""
    base = rel.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{_stem(base.removesuffix('.txt'), 48, 'doc')}-{_digest(rel, 16)}"


def doc_filename(rel: str) -> str:
    """The schema-1 file of a document's annotations: ``<name>-<hash16>.json``."""
    return doc_dirname(rel) + LEGACY_SUFFIX


def annotator_filename(annotator: str) -> str:
    """One annotator's file in a document's folder: ``<name>-<hash8>.jsonl``."""
    return f"{_stem(annotator, 40, 'annotator')}-{_digest(annotator, 8)}{LOG_SUFFIX}"
