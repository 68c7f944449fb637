"""A model of how Konsole 22.12 draws one screen row, with the ICU library Konsole uses.

From Konsole's source (src/terminalDisplay/TerminalDisplay.cpp, ``bidiMap``, and
TerminalPainter.cpp): a character of zero width is stored with the cell before it (and
dropped at column 0); the row's cells are joined into one string; ICU's
``u_shapeArabic`` (``LETTERS_SHAPE | LENGTH_FIXED_SPACES_NEAR``) reshapes every Arabic
letter — presentation forms too — from its neighbours *in string order*; ICU's bidi
(``ubidi_setPara``, paragraph level 0) gives the visual map; each column then shows the
cell the map puts there, its first character replaced by the shaped one.

ICU is reached with ctypes (``libicuuc``, a dependency of Konsole), so the model is
available wherever Konsole is installed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from typing import Any

from rich.cells import get_character_cell_size

_SHAPE_FLAGS = 8 | 1  # U_SHAPE_LETTERS_SHAPE | U_SHAPE_LENGTH_FIXED_SPACES_NEAR


def _load() -> tuple[Callable[..., Any], ...] | None:
    name = ctypes.util.find_library("icuuc")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    for suffix in ["", *(f"_{v}" for v in range(90, 49, -1))]:
        try:
            functions = tuple(
                getattr(lib, f + suffix)
                for f in (
                    "u_shapeArabic",
                    "ubidi_open",
                    "ubidi_setPara",
                    "ubidi_getProcessedLength",
                    "ubidi_getVisualMap",
                    "ubidi_close",
                )
            )
        except AttributeError:
            continue
        functions[1].restype = ctypes.c_void_p
        return functions
    return None


_ICU = _load()
AVAILABLE = _ICU is not None


def _units(text: str) -> list[int]:
    data = text.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def _shape(units: list[int]) -> list[int]:
    assert _ICU is not None
    n = len(units)
    src = (ctypes.c_uint16 * n)(*units)
    dst = (ctypes.c_uint16 * n)()
    err = ctypes.c_int(0)
    length = _ICU[0](src, n, dst, n, _SHAPE_FLAGS, ctypes.byref(err))
    assert err.value <= 0, err.value
    return list(dst)[:length]


def _visual_map(units: list[int]) -> list[int]:
    assert _ICU is not None
    _, open_, set_para, processed, visual_map, close = _ICU
    bidi = ctypes.c_void_p(open_())
    n = len(units)
    src = (ctypes.c_uint16 * n)(*units)
    err = ctypes.c_int(0)
    set_para(bidi, src, n, ctypes.c_uint8(0), None, ctypes.byref(err))
    out = (ctypes.c_int32 * processed(bidi))()
    visual_map(bidi, out, ctypes.byref(err))
    close(bidi)
    assert err.value <= 0, err.value
    return list(out)


def konsole_row(text: str) -> str:
    """What Konsole shows for ``text`` written into an empty row (zero-width marks dropped)."""
    cells: list[str] = []
    for ch in text:
        if get_character_cell_size(ch) == 0:
            if cells:
                cells[-1] += ch
        else:
            cells.append(ch)
    if not cells:
        return ""
    line: list[int] = []
    starts: dict[int, int] = {}  # string position of each cell's first unit → cell index
    first: list[int] = []
    for index, cell in enumerate(cells):
        starts[len(line)] = index
        first.append(len(line))
        line += _units(cell)
    shaped = _shape(line)
    changed = shaped != line
    out = []
    for position in _visual_map(line):
        if position in starts:
            cell = cells[starts[position]]
            head = chr(shaped[first[starts[position]]]) if changed else cell[0]
            out.append(head + cell[1:])
    return "".join(out).replace("\u200e", "")
