"""The store's single-writer lock: ``flock`` on a file beside the data.

Not on a data file itself: those are replaced on every write, and a lock on a
replaced inode protects nothing. Every write takes the lock, re-reads what
changed, applies the change, writes atomically and releases it, so two
instances on one store both work and neither loses the other's updates. A
writer that cannot get the lock within ``timeout`` seconds gets a one-line
:class:`~reader.errors.StoreError`, and nothing is written.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from reader.errors import StoreError

LOCK_FILE = ".lock"


class StoreLock:
    """A re-entrant exclusive lock on ``path`` (created if needed)."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise StoreError(f"cannot open the lock: {exc.strerror}", self.path) from None
        deadline = time.monotonic() + self.timeout
        pause = 0.001
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"store is busy: another process held its lock for {self.timeout:g} s;"
                        " nothing written",
                        self.path,
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if not self._depth and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def try_acquire(self) -> bool:
        """Take the lock only if it is free right now."""
        try:
            previous, self.timeout = self.timeout, 0.0
            self.acquire()
        except StoreError:
            return False
        finally:
            self.timeout = previous
        return True

    def close(self) -> None:
        self._depth = 0
        if self._fd is not None:
            os.close(self._fd)  # closing drops any flock held through it
            self._fd = None

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
