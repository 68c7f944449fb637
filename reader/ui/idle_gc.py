"""Full garbage collections while the user is idle, not in the middle of a key press.

Python's cyclic collector runs a full (generation 2) pass over every tracked object
now and then: with a 20 MB document open that is 30–75 ms, and it lands on
whatever key press allocates at that moment — the largest part of the tail of the
key → repaint times (measured with ``gc.callbacks`` in ``bench/bench_bigdoc.py``'s
key sequence). The young generations stay automatic (cheap); the full pass is left
to a timer that runs it once no key or click has come for :data:`QUIET` seconds,
as often as Python would have (:data:`FULL_EVERY` young passes), or regardless
after :data:`OVERDUE` of them so that memory cannot grow without bound.

Start-up is the other place where collections cost and find nothing: the library's
start makes ~85,000 objects that live as long as the app (modules, the app, its
widgets and styles), and the collector ran 111 times before the first frame (25–35 ms
of a ~450 ms start on 2 cores) to find 3,700 unreachable ones. :func:`hold_for_start`
pauses it from the launcher's first line; :func:`release_after_start`, on the first
frame, *freezes* what exists then (``gc.freeze``: never walked again — a full pass
over them took 48 ms at load 2) and turns it back on. The unreachable objects of
the start-up are frozen too: a few thousand, kept for the life of the process.
"""

from __future__ import annotations

import gc
import time

#: Seconds without input before a full collection may run.
QUIET = 0.5
#: Python's own rhythm: a full pass after this many generation-1 passes (its default threshold).
FULL_EVERY = 10
#: A full pass is run even during continuous input after this many generation-1 passes.
OVERDUE = 200
#: The generation-2 threshold while installed: high enough that Python never starts one itself.
_NEVER = 1_000_000


class IdleCollector:
    """Defers generation-2 collections to idle moments; ``close()`` gives the old rhythm back."""

    def __init__(self) -> None:
        self._thresholds = gc.get_threshold()
        first, second, _ = self._thresholds
        gc.set_threshold(first, second, _NEVER)
        self.last_input = time.monotonic()
        """When the user last pressed a key or used the mouse."""
        self.collections = 0
        """Full collections run so far (for the tests)."""

    def touch(self) -> None:
        """Input arrived: not idle."""
        self.last_input = time.monotonic()

    def tick(self) -> None:
        """Called by a timer: run a full collection if one is due and the user is idle."""
        pending = gc.get_count()[2]  # generation-1 passes since the last full pass
        idle = time.monotonic() - self.last_input >= QUIET
        if (idle and pending >= FULL_EVERY) or pending >= OVERDUE:
            gc.collect()
            self.collections += 1

    def close(self) -> None:
        gc.set_threshold(*self._thresholds)


_held = False


def hold_for_start() -> None:
    """No cyclic collection until :func:`release_after_start` (the launcher's first step)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_after_start() -> None:
    """Start-up is over: freeze what it made and collect again; nothing if not held."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
