"""Exports, imports and statistics of the annotation store (no Textual here).

One module per format — :mod:`json_`, :mod:`jsonl`, :mod:`csv_`, :mod:`w3c`,
:mod:`markdown`, :mod:`html`, and the exchange formats of :mod:`reader.exchange`
(``conll``, ``doccano``, ``labelstudio``) — each with ``write(data, out,
tick=None)``; ``qdpx`` (a zip) and ``brat`` (a folder) build their files with
``build(data, tick=None)``. :mod:`importer` reads ``json``, ``jsonl`` and
``w3c`` back; :mod:`stats` computes the documents × themes figures.
:func:`write` dispatches a text format by name; :func:`export_to_path` writes
any format to a path atomically; :func:`app_destination` is where the app's export
dialog writes what the user typed.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, TextIO

from reader.errors import UsageError
from reader.export.progress import Tick
from reader.export.records import ExportData

#: Format name → module; in the order ``--help`` lists them.
FORMATS: dict[str, str] = {
    "json": "reader.export.json_",
    "jsonl": "reader.export.jsonl",
    "csv": "reader.export.csv_",
    "w3c": "reader.export.w3c",
    "md": "reader.export.markdown",
    "html": "reader.export.html",
    "qdpx": "reader.exchange.qdpx_out",
    "brat": "reader.exchange.brat_out",
    "conll": "reader.exchange.conll",
    "doccano": "reader.exchange.doccano",
    "labelstudio": "reader.exchange.labelstudio",
}

#: What a format writes: one text stream (the default), a zip file, or a folder.
KINDS: dict[str, str] = {"qdpx": "zip", "brat": "folder"}

#: The usual file name suffix of each format.
SUFFIXES: dict[str, str] = {
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "w3c": ".jsonld",
    "md": ".md",
    "html": ".html",
    "qdpx": ".qdpx",
    "brat": "",
    "conll": ".conll",
    "doccano": ".doccano.jsonl",
    "labelstudio": ".labelstudio.json",
}


#: The store's folder for the app's exports: where a file name typed alone goes.
EXPORTS_DIR = "exports"


def app_destination(typed: str, store_root: Path) -> Path:
    """Where the export dialog writes ``typed``, as a full path.

    A file name alone goes into the store's ``exports/`` folder (a folder the user can
    find, beside the annotations, whatever folder the app was started from); a path with a
    folder in it (``~/Desktop/x.csv``, ``out/x.csv``, ``/tmp/x.csv``) is used as typed,
    ``~`` expanded and a relative one taken from the current folder, as a shell would.
    """
    text = typed.strip()
    path = Path(text).expanduser()
    if not path.is_absolute() and os.sep not in text and (os.altsep or os.sep) not in text:
        path = store_root / EXPORTS_DIR / path
    return Path(os.path.abspath(path))


def _module(fmt: str, excel: bool) -> Any:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if excel and fmt != "csv":
        raise UsageError("--excel applies only to --format csv")
    return importlib.import_module(FORMATS[fmt])


def write(
    fmt: str, data: ExportData, out: TextIO, *, tick: Tick | None = None, excel: bool = False
) -> list[str]:
    """Write ``data`` to ``out`` in the text format ``fmt``.

    Returns:
        One-line warnings (passages a format could not carry), usually none.

    Raises:
        UsageError: an unknown format, a format that is not one text stream
            (qdpx, brat), or ``excel`` with a format other than csv.
    """
    module = _module(fmt, excel)
    if fmt in KINDS:
        raise UsageError(f"--format {fmt} writes a {KINDS[fmt]}: give one with -o")
    if fmt == "csv":
        module.write(data, out, tick, excel=excel)
        return []
    warnings = module.write(data, out, tick)
    return list(warnings or [])


def export_to_path(
    fmt: str,
    data: ExportData,
    path: Path,
    *,
    force: bool = False,
    tick: Tick | None = None,
    excel: bool = False,
) -> list[str]:
    """Write ``data`` in format ``fmt`` to ``path``, atomically, whatever its kind.

    Returns:
        One-line warnings (passages the format could not carry).

    Raises:
        UsageError: an unknown format, or ``path`` cannot be written (exists
            without ``force``, missing folder…); nothing is left half-written.
    """
    module = _module(fmt, excel)
    kind = KINDS.get(fmt)
    if kind is None:
        from reader.export.output import write_file

        warnings: list[str] = []
        write_file(
            path,
            lambda out: warnings.extend(write(fmt, data, out, tick=tick, excel=excel)),
            force=force,
        )
        return warnings
    from reader.exchange import files

    members, warnings = module.build(data, tick)
    if kind == "zip":
        files.write_binary(path, files.zip_bytes(members), force=force)
    else:
        files.write_tree(path, members, force=force)
    return list(warnings)


__all__ = [
    "EXPORTS_DIR",
    "FORMATS",
    "KINDS",
    "SUFFIXES",
    "ExportData",
    "app_destination",
    "export_to_path",
    "write",
]
