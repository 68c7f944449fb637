"""Exports, imports and statistics of the annotation store (no Textual here).

One module per format — :mod:`json_`, :mod:`jsonl`, :mod:`csv_`, :mod:`w3c`,
:mod:`markdown`, :mod:`html` — each with ``write(data, out, tick=None)``;
:mod:`importer` reads ``json``, ``jsonl`` and ``w3c`` back; :mod:`stats`
computes the documents × themes figures. :func:`write` dispatches by format
name; :func:`reader.export.output.write_file` writes atomically.
"""

from __future__ import annotations

import importlib
from typing import TextIO

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
}

#: The usual file name suffix of each format.
SUFFIXES: dict[str, str] = {
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "w3c": ".jsonld",
    "md": ".md",
    "html": ".html",
}


def write(
    fmt: str, data: ExportData, out: TextIO, *, tick: Tick | None = None, excel: bool = False
) -> None:
    """Write ``data`` to ``out`` in format ``fmt``.

    Raises:
        UsageError: an unknown format, or ``excel`` with a format other than csv.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(FORMATS[fmt])
    if fmt == "csv":
        module.write(data, out, tick, excel=excel)
    elif excel:
        raise UsageError("--excel applies only to --format csv")
    else:
        module.write(data, out, tick)


__all__ = ["FORMATS", "SUFFIXES", "ExportData", "write"]
