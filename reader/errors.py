"""Errors the user sees: each carries one line that names the file and the problem.

The CLI prints ``str(error)`` and exits with status 2; the app shows the same
line in the library or a notification. Nothing else should reach the user.
"""

from __future__ import annotations

from pathlib import Path

# A file name is untrusted too (scraped titles become names): control characters in the
# line would act on the terminal that prints it, so they are drawn as placeholders.
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20)}  # Control Pictures: ␛ …
_VISIBLE[0x7F] = "\u2421"  # ␡
_VISIBLE.update((code, "\ufffd") for code in range(0x80, 0xA0))  # C1: no pictures of its own
_VISIBLE.update((code, "\ufffd") for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


class ReaderError(Exception):
    """Base of every expected failure: bad input, a damaged store, a refused write."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = message
        text = f"{path}: {message}" if path is not None else message
        # Keep it one line, and inert, whatever the input held.
        super().__init__(" ".join(text.split()).translate(_VISIBLE))


class DocumentError(ReaderError):
    """A document could not be read or decoded."""


class StoreError(ReaderError):
    """The annotation store is damaged, locked or refused a write."""


class UsageError(ReaderError):
    """A command was called with arguments that cannot work (unknown theme, bad range)."""


class OwnershipError(UsageError):
    """A plain change (a key, a note, a delete) aimed at another annotator's annotation."""
