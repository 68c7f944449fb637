"""The UI's layers: the app imports screens, screens import widgets and helpers, never upward.

Every import statement of ``reader/ui`` is read with ``ast`` — at module level, inside
functions and under ``TYPE_CHECKING`` alike, since a lazy import is still a dependency:

* a screen (``reader/ui/screens/*.py``) imports neither the app nor another screen: it asks
  the app for another screen with a message (``reader/ui/requests.py``) or an ``app.``
  action;
* a widget (``reader/ui/widgets/*.py``) imports neither the app nor a screen;
* a helper (``reader/ui/*.py`` but the app) imports neither the app nor a screen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parent.parent / "reader" / "ui"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(UI.parent.parent).with_suffix("").parts)


def imported(source: str, module: str) -> set[str]:
    """Every module ``source`` imports (absolute names; ``from a import b`` gives a and a.b)."""
    package = module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *filter(None, [base])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


FORBIDDEN = ("reader.ui.app", "reader.ui.screens")


def upward(source: str, module: str) -> list[str]:
    """What ``module`` imports of the app or the screens (itself excepted)."""
    return sorted(
        name
        for name in imported(source, module)
        if name != module and any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )


def upward_of(path: Path) -> list[str]:
    return upward(path.read_text(encoding="utf-8"), module_name(path))


SCREENS = sorted(p for p in (UI / "screens").glob("*.py") if p.name != "__init__.py")
WIDGETS = sorted(p for p in (UI / "widgets").glob("*.py") if p.name != "__init__.py")
HELPERS = sorted(p for p in UI.glob("*.py") if p.name not in {"__init__.py", "app.py"})


@pytest.mark.parametrize("path", SCREENS, ids=lambda p: p.name)
def test_a_screen_imports_neither_the_app_nor_another_screen(path: Path) -> None:
    assert upward_of(path) == []


@pytest.mark.parametrize("path", WIDGETS, ids=lambda p: p.name)
def test_a_widget_imports_neither_the_app_nor_a_screen(path: Path) -> None:
    assert upward_of(path) == []


@pytest.mark.parametrize("path", HELPERS, ids=lambda p: p.name)
def test_a_helper_imports_neither_the_app_nor_a_screen(path: Path) -> None:
    assert upward_of(path) == []


def test_the_check_sees_lazy_relative_and_type_checking_imports() -> None:
    # The check itself must be able to fail: each of these forms is an upward import.
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from reader.ui.screens.reader import ReaderScreen\n"
        "def f():\n    from ..app import make_app\n    import reader.ui.screens.stats\n"
        "from . import library\n"
        "from reader.ui.widgets.legend import Legend\n"
    )
    assert upward(source, "reader.ui.screens.sample") == [
        "reader.ui.app",
        "reader.ui.app.make_app",
        "reader.ui.screens",
        "reader.ui.screens.library",
        "reader.ui.screens.reader",
        "reader.ui.screens.reader.ReaderScreen",
        "reader.ui.screens.stats",
    ]


def test_every_ui_module_is_checked() -> None:
    assert {p.name for p in SCREENS} >= {"library.py", "reader.py", "export.py", "stats.py"}
    assert {p.name for p in WIDGETS} >= {"document_view.py", "legend.py"}
    assert {p.name for p in HELPERS} >= {"suggesting.py", "requests.py", "toasts.py"}
