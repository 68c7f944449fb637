"""Timing keys in a headless app: when a frame is rendered, when the screen is clean.

Frames are observed by wrapping ``App._display`` (private Textual API, used only
by the benches: every rendered frame goes through it, headless included). Keys
are posted to the app as the terminal driver posts them, so the time from a
key to its frame includes Textual's 60 fps frame pacing (up to 16.7 ms).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import events
from textual.app import App


class FrameClock:
    """Installs the frame hook (on every App) and times keys."""

    def __init__(self) -> None:
        self.frames: list[float] = []
        self.seen = asyncio.Event()
        original = App._display

        def display(app: App[Any], screen: Any, renderable: Any) -> None:
            original(app, screen, renderable)
            if renderable is not None and not app._batch_count:
                self.frames.append(time.perf_counter())
                self.seen.set()

        App._display = display  # type: ignore[method-assign,assignment]

    async def settled(self, app: App[Any], timeout: float = 30.0) -> float:
        """``perf_counter()`` once the screen has nothing left to repaint."""
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()

        def mark() -> None:
            if not done.done():
                done.set_result(time.perf_counter())

        app.call_after_refresh(mark)
        return await asyncio.wait_for(done, timeout)

    async def key(
        self, app: App[Any], name: str, timeout: float = 3.0
    ) -> tuple[float, float, float] | None:
        """Press a key: seconds to the first frame after it, until settled, and CPU until settled.

        The CPU time (this process's, all threads) is what the key cost the machine:
        on a busy machine the wall times also hold waiting for a core.
        None when no frame followed within ``timeout``: the key changed nothing (the
        timeout is long so that a slow key is measured, not taken for a no-op).
        """
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
        settled = await self.settled(app) - started
        return frame, settled, time.process_time() - cpu
