"""Child process of the start-up benches: run an app, note when its first screen is painted, quit.

Usage::

    python bench/_first_paint.py STAMP_FILE hello
    python bench/_first_paint.py STAMP_FILE reader [--rows N] [READER ARGS…]

Both apps run exactly as a user starts them (the real terminal driver, on the
pty the parent gives), with one hook on every app: after each frame written
to the terminal, if the screen is *ready*, ask Textual to call back once the
screen has nothing left to repaint; that callback writes ``time.monotonic()``
to STAMP_FILE (*painted*), with the process's CPU time until then (all threads,
from the interpreter's start). Then it waits until the app is *settled* as
``bench/_pilot.py`` defines it (no message, refresh, layout, worker, animation
or one-shot timer pending: the library's index scan and anything it redraws
included), writes a second line and exits. *Ready* is: any frame for
``hello``; for ``reader``, the library table (or the document view) showing at
least N rows.

The hook wraps ``App._display`` (private Textual API, used here only: it is
the one place a frame goes to the terminal).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static


class HelloApp(App[None]):
    """The reference: a bare Textual hello world."""

    def compose(self) -> ComposeResult:
        yield Static("Hello, world")


def install_hook(stamp: Path, ready: Any) -> None:
    original = App._display
    state = {"scheduled": False}

    def finish(app: App[Any]) -> None:
        painted = time.monotonic()
        painted_cpu = time.process_time()  # since the process began, every thread
        from _pilot import pending  # after the paint: not part of either app's start-up

        loop = asyncio.get_running_loop()

        def check() -> None:
            if pending(app):
                loop.call_later(0.001, lambda: app.call_after_refresh(check))
                return
            stamp.write_text(f"{painted!r}\n{time.monotonic()!r}\n{painted_cpu!r}\n")
            app.exit()

        check()

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        original(self, screen, renderable)
        if renderable is None or self._batch_count or state["scheduled"]:
            return
        if ready(self):
            state["scheduled"] = True
            self.call_after_refresh(finish, self)

    App._display = display  # type: ignore[method-assign]


def rows_ready(minimum: int) -> Any:
    def ready(app: App[Any]) -> bool:
        from reader.ui.widgets.document_table import DocumentTable

        for table in app.screen.query(DocumentTable):
            return table.row_count >= minimum
        return False

    return ready


def main() -> int:
    stamp = Path(sys.argv[1])
    which = sys.argv[2]
    if which == "hello":
        install_hook(stamp, lambda app: True)
        HelloApp().run()
        return 0
    args = sys.argv[3:]
    minimum = 1
    if args[:1] == ["--rows"]:
        minimum = int(args[1])
        args = args[2:]
    install_hook(stamp, rows_ready(minimum))
    from reader.cli import main as reader_main

    return reader_main(args)


if __name__ == "__main__":
    sys.exit(main())
