"""Progress reporting shared by the writers, free of any terminal code.

A writer takes an optional ``tick(n)`` callback and calls it with the number of
annotations done since the last call; the command wires it to a Rich progress
bar on a terminal, the app's dialog to its own bar, and tests pass nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
Tick = Callable[[int], None]

#: Calls are batched: a callback per annotation would cost more than the writing.
TICK_EVERY = 1000


def ticking(items: Iterable[T], tick: Tick | None, every: int = TICK_EVERY) -> Iterator[T]:
    """Yield ``items``, calling ``tick`` every ``every`` items and once at the end."""
    if tick is None:
        yield from items
        return
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == every:
            tick(pending)
            pending = 0
    if pending:
        tick(pending)
