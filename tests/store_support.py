"""Helpers shared by the store tests: documents on disk and a child that tags in a loop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from reader.corpus import Document, read_document
from reader.store import Annotation, Store
from reader.store.names import annotator_filename, doc_dirname

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_0430b5cc33e0e526.txt"
UDHR = Path(__file__).resolve().parent / "data" / "udhr"  # a copy: the suite is self-contained


#: Two short paragraphs of news, for tests that tag a few spans.
NEWS = (
    "قالت الوزارة إن العقوبات الجديدة تستهدف شبكات تهريب الأسلحة.\n"
    "وأضافت أن القوات انتشرت على الحدود."
)


def news_doc(tmp_path: Path) -> Document:
    """:data:`NEWS` as ``news/a.txt`` of the corpus ``tmp_path/corpus``."""
    return write_doc(tmp_path / "corpus", "news/a.txt", NEWS)


def write_doc(folder: Path, name: str, text: str) -> Document:
    """Write ``text`` as ``folder/name`` and read it back as the program does."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return read_document(path, folder)


#: A child process that tags ``count`` passages (forever if 0) and prints each id
#: once ``add`` has returned: argv = doc, corpus root, store, count, offset.
TAGGER = """
import sys
from reader.corpus import read_document
from reader.store import Store
doc = read_document(sys.argv[1], sys.argv[2])
store = Store(sys.argv[3], "child", scan=False)
count, offset = int(sys.argv[4]), int(sys.argv[5])
i = 0
while count == 0 or i < count:
    start = (offset + i * 7) % (len(doc.text) - 20)
    ann = store.add(doc, start, start + 10, ["arms"])
    sys.stdout.write(ann.id + "\\n")
    sys.stdout.flush()
    i += 1
"""


def tagger_argv(doc: Document, root: Path, store: Path, count: int, offset: int = 0) -> list[str]:
    return [
        sys.executable,
        "-c",
        TAGGER,
        str(doc.path),
        str(root),
        str(store),
        str(count),
        str(offset),
    ]


def tag_as(store: Path, who: str, doc: Document, span: tuple[int, int], *themes: str) -> Annotation:
    """``who`` tags ``span`` of ``doc`` with ``themes`` in the store at ``store``; closes it."""
    opened = Store(store, who)
    try:
        return opened.add(doc, span[0], span[1], list(themes))
    finally:
        opened.close()


def acknowledged(children: list[subprocess.Popen[bytes]]) -> set[str]:
    """The ids the tagging children printed (each once its tag was durable); all exit 0."""
    found: set[str] = set()
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        found.update(out.decode().split())
    return found


def log_path(root: Path, rel: str, annotator: str) -> Path:
    """The schema-2 file of ``annotator``'s annotations of document ``rel``."""
    return root / "docs" / doc_dirname(rel) / annotator_filename(annotator)


def read_log(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A log file's header and its other lines, each parsed."""
    head, *rest = path.read_bytes().splitlines()
    return json.loads(head), [json.loads(line) for line in rest]


def write_log(path: Path, header: dict[str, Any], lines: list[Any]) -> bytes:
    """Replace a log file with ``header`` and ``lines`` (as JSON); returns its bytes."""
    raw = b"".join(json.dumps(v, ensure_ascii=False).encode() + b"\n" for v in [header, *lines])
    path.write_bytes(raw)
    return raw


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a test user; its output (a failure fails the test)."""
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
