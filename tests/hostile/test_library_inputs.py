"""The library on odd files: a mostly-UTF-8 file opens with a warning shown, not a refusal;
files that are not documents are listed with their one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import make_app
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.document_table import DocumentTable

from .fixtures import make_bad_paths, record_notifications

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _row_text(table: DocumentTable, key: str) -> str:
    return " ".join(str(cell) for cell in table.get_row(key))


async def test_mostly_utf8_file_opens_with_a_warning_in_the_library(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0].read_bytes()
    (corpus / "broken.txt").write_bytes(seed[:300] + b"\xff\xfe" + seed[300:])
    (corpus / "clean.txt").write_bytes(seed)
    app = make_app([corpus], tmp_path / "store", "app", "tester")
    toasts = record_notifications(app)
    async with app.run_test(size=(160, 30)) as pilot:
        for _ in range(20):  # the index fills titles in the background
            await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table: DocumentTable = screen.query_one(DocumentTable)
        assert "⚠" in _row_text(table, "broken.txt")  # the warning is in the library…
        assert "⚠" not in _row_text(table, "clean.txt")
        table.move_cursor(row=table.get_row_index("broken.txt"))
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.1)
            if isinstance(app.screen, ReaderScreen):
                break
        assert isinstance(app.screen, ReaderScreen)  # …and it opens, not refused
        assert "\ufffd" in app.screen.document.text
        assert any("replaced" in t for t in toasts), toasts


async def test_files_that_are_not_documents_are_listed_with_their_reason(tmp_path: Path) -> None:
    bad = make_bad_paths(tmp_path / "bad")
    app = make_app(
        [bad.missing, bad.binary, bad.empty, bad.broken_link], tmp_path / "store", "app", "t"
    )
    async with app.run_test(size=(160, 30)) as pilot:
        for _ in range(20):
            await pilot.pause(0.1)
        table: DocumentTable = app.screen.query_one(DocumentTable)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        reasons = {"missing": "no such file", "binary": "binary", "empty": "empty",
                   "broken_link": "broken"}  # fmt: skip
        for kind, reason in reasons.items():
            assert any(reason in row for row in rows), (kind, rows)
