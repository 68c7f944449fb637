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


#: Loaded only when suggestions are computed (seconds and ~100 MB): never by start-up.
HEAVY = ("sklearn", "simplemma", "scipy")


def test_start_up_and_opening_a_document_never_import_the_learning_libraries(
    tmp_path: Path,
) -> None:
    root = Path(reader.__file__).resolve().parent.parent
    seed = root / "seeds" / "000_0430b5cc33e0e526.txt"
    code = (
        "import asyncio, sys\n"
        "from reader.ui.app import make_app\n"
        "async def main(open_path):\n"
        f"    app = make_app([{str(root / 'seeds')!r}], {str(tmp_path / 'store')!r}, 'app', 't',"
        " open_path=open_path)\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        await pilot.press('j', 'J', '1')\n"  # read and tag: still nothing heavy
        "        await pilot.pause()\n"
        "        return type(app.screen).__name__\n"
        f"screens = [asyncio.run(main(None)), asyncio.run(main({str(seed)!r}))]\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(screens, heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == "['LibraryScreen', 'ReaderScreen'] []", result.stderr


def test_importing_the_core_never_imports_the_learning_libraries() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {[m for m in core_modules() if m != 'reader.__main__']!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    root = Path(reader.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == "[]"
