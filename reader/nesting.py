"""Deeply nested data in a file: one line naming the file, never a RecursionError (issue 12).

Python's JSON and TOML parsers recurse once per level of nesting, so ``[[[[…]]]]`` a few
thousand deep ends in ``RecursionError``; and a value nested just shallowly enough to parse
(985 levels) overflows the stack later, when it is written back. The parsers' callers
turn the first into their usual one-line error (:func:`toml_loads` makes it a
``TOMLDecodeError``; the JSON callers catch ``RecursionError``), and the importer refuses
records nested more than :data:`MAX_RECORD_DEPTH` levels (:func:`too_deep`, a loop, not a
recursion) before anything is stored. No file the program writes comes near that depth.
"""

from __future__ import annotations

from typing import Any, Final

MAX_RECORD_DEPTH: Final = 64
"""An annotation record is 3 levels deep; fields of a newer program get room to nest."""


def too_deep(value: object, limit: int = MAX_RECORD_DEPTH) -> bool:
    """True when lists and objects nest more than ``limit`` levels inside ``value``."""
    if isinstance(value, dict) and limit >= 2:  # the usual record: flat, lists of scalars
        for child in value.values():
            if isinstance(child, dict) or (
                isinstance(child, list) and any(isinstance(x, dict | list) for x in child)
            ):
                break
        else:
            return False
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def toml_loads(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with nesting too deep for it a ``TOMLDecodeError`` like the others."""
    import tomllib  # only when there is a file: ~3 ms of start-up otherwise

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None
