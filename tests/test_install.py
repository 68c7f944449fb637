"""The README's ``uv tool install`` / ``pipx install``: what both do, done here without the
network: build the checkout as a wheel, install it into an environment of its own, and run
the ``reader`` command that environment gets."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import reader

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_gives_both_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert re.search(r"^uv tool install \S+", readme, re.MULTILINE)
    assert re.search(r"^pipx install \S+", readme, re.MULTILINE)


def test_the_checkout_installs_as_a_command_of_its_own(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="the build backend is in the test extra")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("reader-*.whl")
    # As pipx and uv do: an environment of its own. The dependencies are taken from this
    # one (no network here); the package itself only from the wheel.
    env_dir = tmp_path / "env"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--ignore-installed", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    run = subprocess.run(
        [str(env_dir / "bin" / "reader"), "--version"],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["reader", reader.__version__]
    where = subprocess.run(
        [str(python), "-c", "import reader; print(reader.__file__)"],
        capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout  # the wheel's copy
