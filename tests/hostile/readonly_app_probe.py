"""Run inside a read-only mount (see readonly.py): the export dialog writes to a read-only
folder. Prints one JSON line: what the dialog and the app showed, and whether it still runs.

    python readonly_app_probe.py STORE TARGET
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from textual.app import App
from textual.widgets import Input, Label

from reader.store import Store
from reader.ui.screens.export import ExportScreen


class Host(App[None]):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.seen: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.store, []))

    def notify(self, message: str, *, title: str = "", **options: object) -> None:  # type: ignore[override]
        self.seen.append(f"{options.get('severity', 'information')}|{title}|{message}")
        super().notify(message, title=title, **options)  # type: ignore[arg-type]


async def main(store_dir: Path, target: Path) -> dict[str, object]:
    store = Store(store_dir, "tester")
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = app.screen
        field = dialog.query_one("#export-file", Input)
        field.value = str(target)
        field.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(dialog.query_one("#export-status", Label).render())
        await pilot.press("escape")  # the app still answers keys
        await pilot.pause()
        result = {
            "status": status,
            "notifications": app.seen,
            "dialog_closed": app.screen is not dialog,
            "running": app.is_running,
        }
    store.close()
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))))
