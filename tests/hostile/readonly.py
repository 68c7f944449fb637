"""Run a command with some folders read-only, as a read-only mount would make them.

CI runs as root, and root writes through ``chmod a-w``: a mode proves nothing there. So
the folders are bind-mounted read-only onto themselves in a private mount namespace
(``unshare -m``), which lives as long as the command: nothing outside it sees the mounts,
nothing is left mounted, and writes fail with EROFS as on a read-only disk. Where that is
not allowed, the folders are made ``a-w`` instead and the command runs without root's
override capabilities (EACCES: the same one-line path, without the EROFS details).
"""

from __future__ import annotations

import functools
import os
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .fixtures import drop_root_read

_SCRIPT = """set -e
mount --make-rprivate /
n=$1; shift
while [ "$n" -gt 0 ]; do
  mount --bind "$1" "$1"
  mount -o remount,bind,ro "$1" "$1"
  shift; n=$((n - 1))
done
exec "$@"
"""


@functools.cache
def can_mount() -> bool:
    """True when a private mount namespace with a read-only bind mount works here."""
    probe = Path("/tmp")
    try:
        done = subprocess.run(
            readonly_argv([probe], ["true"], mount=True), capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def readonly_argv(folders: Sequence[Path], argv: Sequence[str], *, mount: bool) -> list[str]:
    if not mount:
        return drop_root_read(list(argv))
    head = ["unshare", "-m", "sh", "-c", _SCRIPT, "sh", str(len(folders))]
    return [*head, *map(str, folders), *argv]


def run_readonly(
    folders: Sequence[Path], argv: Sequence[str], **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` with ``folders`` read-only (see the module docstring)."""
    mount = can_mount()
    modes = {}
    if not mount:
        for folder in folders:
            modes[folder] = stat.S_IMODE(os.stat(folder).st_mode)
            folder.chmod(modes[folder] & ~0o222)
    try:
        return subprocess.run(  # type: ignore[call-overload, no-any-return]
            readonly_argv(folders, argv, mount=mount), text=True, capture_output=True, **kwargs
        )
    finally:
        for folder, mode in modes.items():
            folder.chmod(mode)
