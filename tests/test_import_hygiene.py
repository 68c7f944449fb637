"""The core never imports Textual: commands stay light and the logic stays testable alone."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import reader

CORE_EXCLUDED = ("reader.ui", "reader.commands.launch")


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(reader.__path__, "reader."):
        if not info.name.startswith(CORE_EXCLUDED):
            names.append(info.name)
    return names


def test_core_modules_exist() -> None:
    # Guard against the walk silently finding nothing (which would make the next test vacuous).
    assert {"reader.corpus", "reader.cli", "reader.errors"} <= set(core_modules())


def test_importing_the_core_never_imports_textual() -> None:
    modules = [m for m in core_modules() if m != "reader.__main__"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    root = Path(reader.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == "", f"core imported: {result.stdout.strip()}"
