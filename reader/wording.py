"""Words for counts, said right: "1 document", "4 passages in 2 documents".

Pure; shared by the commands, the exports and the screens.
"""

from __future__ import annotations

#: Nouns whose plural is not the singular and an "s".
_IRREGULAR = {"match": "matches", "is": "are", "was": "were", "entry": "entries"}


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {_IRREGULAR.get(noun, noun + 's')}"
