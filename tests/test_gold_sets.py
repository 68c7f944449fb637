"""What the build script of every label-built gold set guarantees.

``heldout/`` to ``heldout5/`` are each built from a
hand-written ``labels.txt`` by their ``build.py`` (logic in ``tests/data/gold/goldset.py``).
For each set: the script reproduces the committed JSONL; a document that drifts under
its labels, a sentence left unlabelled or an unknown theme stops it; on the command line
bad labels give one line and exit 2, writing nothing. The documents are changed only by
position (a sentence put before the second paragraph), never by their words, so no set's
text is shown here.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

GOLD_DIR = Path(__file__).resolve().parent / "data/gold"
SETS = {
    "heldout": "heldout_gold.jsonl",
    "heldout2": "heldout2_gold.jsonl",
    "heldout3": "heldout3_gold.jsonl",
    "heldout4": "heldout4_gold.jsonl",
    "heldout5": "heldout5_gold.jsonl",
}
THEMED_LABEL = re.compile(r"^(\d+ \| )[a-z,]+( \|)", re.MULTILINE)


def load_build(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_build", GOLD_DIR / name / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def unknown_theme(labels: str) -> str:
    """The labels with the first themed sentence's themes replaced by an unknown one."""
    changed, count = THEMED_LABEL.subn(r"\1troupes\2", labels, count=1)
    assert count == 1
    return changed


@pytest.mark.parametrize("name", SETS)
def test_the_build_script_reproduces_the_jsonl(name: str) -> None:
    build = load_build(name)
    assert build.build() == (GOLD_DIR / name / SETS[name]).read_text(encoding="utf-8")
    assert build.main(["--check"]) == 0


@pytest.mark.parametrize("name", SETS)
def test_a_document_that_drifts_under_its_labels_stops_the_build(name: str, tmp_path: Path) -> None:
    build = load_build(name)
    docs = tmp_path / "docs"
    shutil.copytree(build.DOCS, docs)
    path = sorted(docs.glob("*.txt"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    second = [i for i, line in enumerate(lines) if line.strip()][1]
    lines[second] = "جملة زائدة. " + lines[second]  # every later sentence moves by one
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(build.LabelError, match=path.name):
        build.build(docs=docs)


@pytest.mark.parametrize("name", SETS)
def test_every_sentence_is_labelled_once_with_known_themes(name: str, tmp_path: Path) -> None:
    build = load_build(name)
    text = build.LABELS.read_text(encoding="utf-8")
    labels = tmp_path / "labels.txt"
    labels.write_text(text.rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    with pytest.raises(build.LabelError, match="once each"):
        build.build(labels_path=labels)
    labels.write_text(unknown_theme(text), encoding="utf-8")
    with pytest.raises(build.LabelError, match="bad themes 'troupes'"):
        build.build(labels_path=labels)


@pytest.mark.parametrize("name", SETS)
def test_bad_labels_on_the_command_line_say_one_line_and_write_nothing(
    name: str, tmp_path: Path
) -> None:
    gold = tmp_path / "gold"
    shutil.copytree(GOLD_DIR / name, gold / name)
    shutil.copy(GOLD_DIR / "goldset.py", gold)
    labels = gold / name / "labels.txt"
    labels.write_text(unknown_theme(labels.read_text(encoding="utf-8")), encoding="utf-8")
    output = gold / name / SETS[name]
    before = output.read_bytes()
    run = subprocess.run(
        [sys.executable, str(gold / name / "build.py")], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1, "one line"
    assert run.stderr.startswith(f"{labels}: line ") and "bad themes 'troupes'" in run.stderr
    assert output.read_bytes() == before
    assert not list((gold / name).glob("*.part"))
