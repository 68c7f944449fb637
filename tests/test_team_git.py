"""The README's team workflow, end to end: a shared git repository, a store made once with
``reader init``, two annotators who tag with ``reader tag`` in their own clones, commit,
pull and push without a conflict; then ``reader agree``, ``reader stats`` and ``reader
merge`` on the shared store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from store_support import SEEDS, git

from reader.corpus import read_document

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SEED = sorted(SEEDS.glob("*.txt"))[0].name


def reader(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "reader", *args], cwd=repo, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def tag(repo: Path, who: str, span: tuple[int, int], *themes: str) -> str:
    """``reader tag`` in ``who``'s clone, as the README says; returns the new id."""
    argv = ["tag", f"corpus/{SEED}", "--start", str(span[0]), "--end", str(span[1])]
    argv += [x for key in themes for x in ("--theme", key)]
    return reader(repo, *argv, "--root", "corpus", "--annotator", who).strip()


def test_two_annotators_share_a_store_in_git(tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), "lead")
    lead = tmp_path / "lead"
    (lead / "corpus").mkdir()
    shutil.copy(SEEDS / SEED, lead / "corpus" / SEED)
    assert "store made" in reader(lead, "init")  # store.json and .gitignore, once for all
    git(lead, "add", "corpus", "annotations")
    git(lead, "commit", "-qm", "the corpus and the store")
    git(lead, "push", "-q", "origin", "main")

    s = [(x.start, x.end) for x in read_document(SEEDS / SEED, SEEDS).all_sentences()]
    clones = {}
    for who in ("alice", "bob"):
        git(tmp_path, "clone", "-q", str(origin), who)
        clones[who] = tmp_path / who
    made = {
        "alice": [
            tag(clones["alice"], "alice", s[2], "arms"),
            tag(clones["alice"], "alice", s[3], "troops"),
            tag(clones["alice"], "alice", s[5], "china"),
        ],
        "bob": [
            tag(clones["bob"], "bob", s[2], "arms"),  # the same: they agree
            tag(clones["bob"], "bob", s[3], "sanctions"),  # the same span, another theme
            tag(clones["bob"], "bob", s[7], "china"),
        ],
    }
    for who, repo in clones.items():
        git(repo, "add", "annotations")
        git(repo, "commit", "-qm", f"{who}'s tags")
    git(clones["alice"], "push", "-q", "origin", "main")
    git(clones["bob"], "pull", "-q", "--no-rebase", "origin", "main")  # no conflict
    git(clones["bob"], "push", "-q", "origin", "main")
    git(clones["alice"], "pull", "-q", "--ff-only", "origin", "main")
    assert git(clones["alice"], "status", "--porcelain") == ""  # locks and caches ignored

    for repo in clones.values():  # both clones now hold everyone's tags
        report = json.loads(reader(repo, "agree", "annotations", "--corpus", "corpus",
                                   "--format", "json"))  # fmt: skip
        assert report["annotators"] == ["alice", "bob"]
        assert report["themes"]["arms"]["f1_exact"] == 1.0  # both tagged s[2] arms
        assert report["overall"]["f1_exact"] == pytest.approx(2 * 1 / (3 + 3))
    stats = reader(clones["alice"], "stats", "--store", "annotations", "--corpus", "corpus")
    assert "4 passages in 1 document" in stats  # s[2] and s[3] counted once each
    out = json.loads(
        reader(clones["alice"], "merge", "annotations", "--into", "curated", "--strategy",
               "agree", "--annotator", "lead", "--corpus", "corpus", "--format", "json")
    )  # fmt: skip
    fates = {f["id"]: f for f in out["annotations"]}
    assert set(fates) == set(made["alice"]) | set(made["bob"])  # every id accounted for
    assert fates[made["alice"][0]]["fate"] == fates[made["bob"][0]]["fate"] == "merged"
    assert fates[made["alice"][1]]["reason"].startswith("disagreement")
    assert out["written"] == 1


def test_init_leaves_a_store_alone_and_refuses_a_file(tmp_path: Path) -> None:
    assert "store made" in reader(tmp_path, "init", "--store", "s")
    assert "already a store" in reader(tmp_path, "init", "--store", "s")
    (tmp_path / "file").write_text("x")
    done = subprocess.run([sys.executable, "-m", "reader", "init", "--store", "file"],
                          cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a folder" in done.stderr


def test_agree_and_merge_read_a_schema_1_store_and_agree_again_after_its_upgrade(
    tmp_path: Path,
) -> None:
    """Today's schema-1 stores (the store's fixture: two annotators, one with an Arabic
    name) are read as they are, and give the same figures once upgraded in place."""
    from reader.store import Store

    old = tmp_path / "old"
    shutil.copytree(Path(__file__).parent / "data" / "schema1-store", old)
    seeds = str(SEEDS)
    before = json.loads(reader(tmp_path, "agree", "old", "--corpus", seeds, "--format", "json"))
    assert json.loads((old / "store.json").read_text())["schema"] == 1  # only read
    assert before["annotators"] == ["analyst A", "باحث ب"]
    merged = json.loads(reader(tmp_path, "merge", "old", "--into", "new", "--corpus", seeds,
                               "--format", "json"))  # fmt: skip
    ids = {f["id"] for f in merged["annotations"]}
    legacy = {
        record["id"]
        for path in (old / "docs").glob("*.json")
        for record in json.loads(path.read_text("utf-8"))["annotations"].values()
    }
    assert ids == legacy and merged["written"] == len(legacy)  # nothing lost
    Store(old, "analyst A").close()  # opened for writing: upgraded in place
    assert json.loads((old / "store.json").read_text())["schema"] == 2
    after = json.loads(reader(tmp_path, "agree", "old", "--corpus", seeds, "--format", "json"))
    assert after == before
