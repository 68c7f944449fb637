"""Timing keys in a headless app: when a frame is rendered, when the screen is clean.

Frames are observed by wrapping ``App._display`` (private Textual API, used only
by the benches: every rendered frame goes through it, headless included). Keys
are posted to the app as the terminal driver posts them, so the time from a
key to its frame includes Textual's 60 fps frame pacing (up to 16.7 ms).

Textual paints at most one frame per 1/60 s slot: a key that arrives less than 16.7 ms
after the last frame waits for the next slot, a key that arrives later is painted at
once. A bench that presses each key as soon as the previous one settled (a few tenths
of a millisecond after its frame) makes every key wait for that slot, which no one
typing, nor key repeat (25–33 keys a second), ever does. ``FrameClock(gap=…)`` leaves
``gap`` seconds after the last frame before a key is posted (not timed).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import events
from textual.app import App
from textual.worker import WorkerState

#: Timers that start background work (a worker) and nothing else on screen
#: (``reader.ui.suggesting.START_TIMER`` and ``RELEARN_TIMER``).
BACKGROUND_TIMERS = frozenset({"suggestions.start", "suggestions.relearn"})
#: Timers whose work changes nothing on screen, left out of *settled* always, like
#: intervals: the reading position written once the cursor has rested 2 s
#: (``reader.ui.screens.reader.SAVE_TIMER``; on screen only if the write fails), and the
#: annotation panel's entries near the cursor laid out while the keys rest
#: (``reader.ui.widgets.annotation_panel.WARM_TIMER``). Their work is timed when it falls
#: inside a key's interval (its CPU and wall time), not when it runs between keys.
QUIET_TIMERS = frozenset({"reading.save", "panel.warm"})


def pending(app: App[Any], workers: bool = True) -> list[str]:
    """What is still to happen on ``app`` without new input (empty: settled).

    ``workers=False`` leaves out the background: running workers, and the timers that
    only start one (named in :data:`BACKGROUND_TIMERS`) — the screen as it stands while a
    long computation goes on in a thread (suggestion mode's first ``S``, its learning
    step after accepts and rejects). The timers in :data:`QUIET_TIMERS` are always left
    out.
    """
    from textual.widgets._toast import Toast

    found: list[str] = []
    pumps: list[Any] = [app]
    for screen in app.screen_stack:
        pumps.extend(screen.walk_children(with_self=True))
    # Screens under the top one are not refreshed until they are shown again: their flags
    # wait for that, and change nothing on screen now.
    screen = app.screen
    flags = ("_layout_required", "_scroll_required", "_repaint_required", "_recompose_required")
    found += [f"{screen!r}.{flag}" for flag in flags if getattr(screen, flag, False)]
    if screen._dirty_widgets:
        found.append(f"{screen!r}: dirty widgets")
    if screen._callbacks:
        found.append(f"{screen!r}: after-refresh callbacks")
    for pump in pumps:
        if pump.message_queue_size or pump._next_callbacks:
            found.append(f"{pump!r}: messages")
        for timer in list(pump._timers):
            task = timer._task
            if timer._repeat is None or task is None or task.done() or isinstance(pump, Toast):
                continue
            if timer.name in QUIET_TIMERS or (not workers and timer.name in BACKGROUND_TIMERS):
                continue
            found.append(f"{pump!r}: timer {timer.name}")
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    if workers:
        found += [f"worker {w.name}" for w in app.workers if w.state in busy]
    animator = app.animator
    if animator._animations or animator._scheduled:
        found.append("animation")
    return found


class FrameClock:
    """Installs the frame hook (on every App) and times keys."""

    def __init__(self, gap: float = 0.0) -> None:
        self.gap = gap
        """Seconds left after the last frame before a key is posted (0: at once)."""
        self.frames: list[float] = []
        self.seen = asyncio.Event()
        original = App._display

        def display(app: App[Any], screen: Any, renderable: Any) -> None:
            original(app, screen, renderable)
            if renderable is not None and not app._batch_count:
                self.frames.append(time.perf_counter())
                self.seen.set()

        App._display = display  # type: ignore[method-assign,assignment]

    async def settled(self, app: App[Any], timeout: float = 30.0, workers: bool = True) -> float:
        """``perf_counter()`` once nothing is left that will change the screen (see above)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[float] = loop.create_future()

        def mark() -> None:
            if done.done():
                return
            now = time.perf_counter()
            if not pending(app, workers):
                done.set_result(now)
            elif not app.screen._callbacks and not app.screen._dirty_widgets:
                # Nothing for the screen to refresh yet (a worker, a message elsewhere):
                # look again shortly rather than wait for a refresh that may not come.
                loop.call_later(0.001, lambda: app.call_after_refresh(mark))
            else:
                app.call_after_refresh(mark)

        app.call_after_refresh(mark)
        return await asyncio.wait_for(done, timeout)

    async def key(
        self, app: App[Any], name: str, timeout: float = 3.0, workers: bool = True
    ) -> tuple[float, float, float] | None:
        """Press a key: seconds to the first frame after it, until settled, and CPU until settled.

        The CPU time (this process's, all threads) is what the key cost the machine:
        on a busy machine the wall times also hold waiting for a core.
        None when no frame followed within ``timeout``: the key changed nothing (the
        timeout is long so that a slow key is measured, not taken for a no-op).
        """
        if self.gap and self.frames:
            wait = self.frames[-1] + self.gap - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
        self.seen.clear()
        count = len(self.frames)
        cpu = time.process_time()
        started = time.perf_counter()
        app.post_message(events.Key(name, name if len(name) == 1 else None))
        try:
            await asyncio.wait_for(self.seen.wait(), timeout)
        except TimeoutError:
            return None
        frame = self.frames[count] - started
        settled = await self.settled(app, workers=workers) - started
        return frame, settled, time.process_time() - cpu
