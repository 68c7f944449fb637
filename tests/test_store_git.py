"""Two annotators' stores in one git repository merge without conflicts (issue 14 item 5).

Each annotator writes only files of their own, in text that diffs line by line, and
the store's ``.gitignore`` keeps every local file (lock, caches, backups) out of git.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from store_support import SEEDS, git

from reader.corpus import read_document
from reader.store import Store

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def tag_sentences(store_dir: Path, annotator: str, every: int, theme: str) -> set[str]:
    """Tag every ``every``-th sentence of the first two seeds; a note on each, one deleted."""
    store = Store(store_dir, annotator)
    made = set()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        doc = read_document(path, SEEDS)
        for i, span in enumerate(doc.all_sentences()):
            if i % every == 0:
                ann = store.toggle_theme(doc, span.start, span.end, theme)
                assert ann is not None
                store.set_note(ann.id, f"{annotator} {i}")
                made.add(ann.id)
    gone = sorted(made)[0]
    store.delete(gone)
    store.close()
    return made - {gone}


def test_two_annotators_tag_the_same_documents_and_git_merges_their_stores(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    Store(origin / "annotations", "lead").close()  # an empty store: store.json, .gitignore
    start = Store(origin / "annotations", "lead")
    doc = read_document(sorted(SEEDS.glob("*.txt"))[0], SEEDS)
    first = start.add(doc, 0, 4, ["arms"])
    start.close()
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "start")
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", str(origin), name)
    made_a = tag_sentences(tmp_path / "a" / "annotations", "A", 2, "arms")
    made_b = tag_sentences(tmp_path / "b" / "annotations", "B", 3, "china")
    for name in ("a", "b"):
        repo = tmp_path / name
        (repo / "annotations" / ".index.json").write_text("{}")  # a local cache
        status = git(repo, "status", "--porcelain", "--untracked-files=all")
        changed = {line[3:] for line in status.splitlines()}
        assert changed and all(
            p.startswith("annotations/docs/") and p.endswith(".jsonl") for p in changed
        )
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"{name}'s tags")
    git(tmp_path / "b", "pull", "-q", "--no-rebase", str(tmp_path / "a"), "main")  # no conflict
    merged = Store(tmp_path / "b" / "annotations", "B", read_only=True)
    assert merged.problems == []
    ids = {a.id for a in merged.all_annotations()}
    assert ids == made_a | made_b | {first.id}
    assert {a.annotator for a in merged.all_annotations()} == {"lead", "A", "B"}


def test_the_store_gitignore_keeps_local_files_out_and_shared_ones_in(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    root = repo / "annotations"
    tag_sentences(root, "A", 5, "arms")
    store = Store(root, "A")
    store.close()
    shared = ["store.json", ".gitignore", "themes.toml", "docs/x-0/a-1.jsonl"]
    local = [
        ".lock", ".index.json", ".positions.json", ".corpus.json", "keymap.toml",
        "docs/x-0/a-1.jsonl.bak", "docs/x-0/a-1.jsonl.torn", "docs/x-0/.a-1.jsonl.9.ab.tmp",
        "backups/schema-1-x/a", "exports/annotations-export.csv",
    ]  # fmt: skip
    for name in shared + local:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).touch()
    ignored = git(repo, "check-ignore", *(f"annotations/{n}" for n in shared + local), "--no-index")
    assert set(ignored.split()) == {f"annotations/{n}" for n in local}


def test_two_clones_that_each_made_the_store_merge_without_a_conflict(tmp_path: Path) -> None:
    """No ``reader init`` first: each clone's first tag makes the store. Its shared files
    (``store.json``, ``.gitignore``) are the same bytes in both, so git merges them."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    (origin / "README").write_text("corpus and store\n")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "start")
    made = set()
    for name, annotator, theme in (("a", "A", "arms"), ("b", "B", "china")):
        git(tmp_path, "clone", "-q", str(origin), name)
        made |= tag_sentences(tmp_path / name / "annotations", annotator, 4, theme)
        git(tmp_path / name, "add", "-A")
        git(tmp_path / name, "commit", "-qm", f"{name}'s store and tags")
    git(tmp_path / "b", "pull", "-q", "--no-rebase", str(tmp_path / "a"), "main")  # no conflict
    merged = tmp_path / "b" / "annotations"
    meta = json.loads((merged / "store.json").read_bytes())
    assert meta == {"format": "reader-store", "schema": 2}
    assert {a.id for a in Store(merged, "B", read_only=True).all_annotations()} == made


def test_two_clones_that_each_upgraded_a_schema_1_store_merge_without_a_conflict(
    tmp_path: Path,
) -> None:
    """The same schema-1 store upgraded in two clones: the same files, byte for byte."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    shutil.copytree(Path(__file__).resolve().parent / "data" / "schema1-store", origin / "ann")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "a schema-1 store")
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", str(origin), name)
        opened = Store(tmp_path / name / "ann", name)
        assert opened.upgraded is not None
        opened.close()
        git(tmp_path / name, "add", "-A")
        git(tmp_path / name, "commit", "-qm", f"{name} upgraded")
    git(tmp_path / "b", "pull", "-q", "--no-rebase", str(tmp_path / "a"), "main")  # no conflict
    assert git(tmp_path / "b", "diff", "HEAD~1", "--stat") == ""  # a's upgrade is b's
    assert json.loads((tmp_path / "b" / "ann" / "store.json").read_bytes())["upgraded"] == {
        "from": 1
    }
