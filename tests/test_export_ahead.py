"""A big export's helper processes (:mod:`reader.export.ahead`) change no byte of it.

The store of ``test_export_plain_records`` (a document per case: plain ones the helpers
may do, and every kind the fast read refuses) is exported streamed with helpers started
at once, and without helpers: jsonl and csv, to a file (the bytes path) and to a text
stream, filtered and not, must be the same bytes with the same problem lines — and the
helpers must have done documents, else this tests nothing. Helpers that die, cannot
start, or refuse, only leave more work to the exporting process; none outlives the
export, even one stopped by Ctrl-C.
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_export_plain_records import CASES, _fill

from reader.cli import main
from reader.commands import export as export_command
from reader.export import ahead, helper, write
from reader.export.gather import gather
from reader.export.sources import Corpus
from reader.store import Store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("ahead")
    root, corpus = tmp / "store", tmp / "corpus"
    Store(root, "a").close()
    for case in CASES:
        _fill(root, corpus, case)
    for n in range(6):  # more plain documents: several per helper
        _fill(root, corpus, f"plain{n}")
    return root, corpus


class Watch:
    """The helpers started and the documents they did, seen from the exporting process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.helpers: list[ahead._Helper] = []
        self.done = 0
        self.aheads: list[ahead.Ahead] = []
        monkeypatch.setattr(ahead, "START_AFTER", 0)
        monkeypatch.setattr(ahead, "MIN_PER_DOCUMENT", 0)
        started, take, init = ahead._Helper.__init__, ahead.Ahead.take, ahead.Ahead.__init__

        def counting_init(obj: ahead._Helper) -> None:
            started(obj)
            self.helpers.append(obj)

        def counting_take(obj: ahead.Ahead, at: int) -> ahead.Rendered:
            answer = take(obj, at)
            self.done += answer is not None
            return answer

        def keeping_init(obj: ahead.Ahead, *args: object) -> None:
            init(obj, *args)  # type: ignore[arg-type]
            self.aheads.append(obj)

        monkeypatch.setattr(ahead._Helper, "__init__", counting_init)
        monkeypatch.setattr(ahead.Ahead, "take", counting_take)
        monkeypatch.setattr(ahead.Ahead, "__init__", keeping_init)

    def all_ended(self) -> bool:
        return all(h.proc.poll() is not None for h in self.helpers)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Watch:
    return Watch(monkeypatch)


def export(
    root: Path, corpus: Path, fmt: str, excel: bool, helpers: int, to_file: Path | None = None,
    **filters: list[str],
) -> tuple[bytes, list[str]]:  # fmt: skip
    store = Store(root, read_only=True, scan=False)
    try:
        data = gather(store, Corpus.open([corpus]), stream=True, helpers=helpers, **filters)
        if to_file is None:
            out = io.StringIO(newline="")
            write(fmt, data, out, excel=excel)
            written = out.getvalue().encode("utf-8")
        else:
            with to_file.open("w", encoding="utf-8", newline="") as stream:
                write(fmt, data, stream, excel=excel)
            written = to_file.read_bytes()
        problems = store.problems
    finally:
        store.close()
    return written, problems


CASES_OF_FORMAT = [
    ("jsonl", False, {}),
    ("csv", True, {}),
    ("csv", False, {}),
    ("jsonl", False, {"themes": ["china"]}),
    ("csv", True, {"annotators": ["b"]}),
]


@pytest.mark.parametrize("to_file", [True, False], ids=["file", "text stream"])
@pytest.mark.parametrize(("fmt", "excel", "filters"), CASES_OF_FORMAT)
def test_same_bytes_with_helpers(
    store_dir: tuple[Path, Path], watch: Watch, tmp_path: Path, fmt: str, excel: bool,
    filters: dict[str, list[str]], to_file: bool,
) -> None:  # fmt: skip
    alone = export(*store_dir, fmt, excel, 0, tmp_path / "a" if to_file else None, **filters)
    assert not watch.helpers
    helped = export(*store_dir, fmt, excel, 2, tmp_path / "b" if to_file else None, **filters)
    assert helped == alone
    assert len(watch.helpers) == 2
    assert watch.done >= 4  # the helpers did documents (the rest: refused, or before start)
    assert watch.all_ended()


def test_a_killed_helper_leaves_its_work_to_the_exporter(
    store_dir: tuple[Path, Path], watch: Watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = export(*store_dir, "jsonl", False, 0)
    started = ahead._Helper.__init__

    def killed(obj: ahead._Helper) -> None:
        started(obj)
        obj.proc.kill()  # dead before its first job
        obj.proc.wait()

    monkeypatch.setattr(ahead._Helper, "__init__", killed)
    assert export(*store_dir, "jsonl", False, 2) == alone
    assert watch.aheads and all(a.broken and not a.helpers for a in watch.aheads)


def test_helpers_that_cannot_start(
    store_dir: tuple[Path, Path], watch: Watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = export(*store_dir, "csv", True, 0)
    monkeypatch.setattr(ahead.sys, "executable", "/nonexistent/python")
    assert export(*store_dir, "csv", True, 2) == alone
    assert watch.aheads[0].broken
    assert watch.done == 0


def test_ctrl_c_stops_the_helpers(store_dir: tuple[Path, Path], watch: Watch) -> None:
    root, corpus = store_dir
    store = Store(root, read_only=True, scan=False)
    calls = 0

    def tick(count: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:  # the helpers are at work by now
            assert watch.helpers
            raise KeyboardInterrupt

    try:
        data = gather(store, Corpus.open([corpus]), stream=True, helpers=2)
        with pytest.raises(KeyboardInterrupt):
            write("jsonl", data, io.StringIO(), tick=tick)
    finally:
        store.close()
    assert watch.helpers and watch.all_ended()


def test_the_cli_uses_helpers_and_writes_the_same_file(
    store_dir: tuple[Path, Path], watch: Watch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, corpus = store_dir
    where = ["--store", str(root), "--corpus", str(corpus)]
    monkeypatch.setattr(export_command, "helper_count", lambda: 0)
    assert main(["export", "-f", "csv", *where, "-o", str(tmp_path / "alone.csv")]) == 0
    assert not watch.helpers
    monkeypatch.setattr(export_command, "helper_count", lambda: 2)
    assert main(["export", "-f", "csv", *where, "-o", str(tmp_path / "helped.csv")]) == 0
    assert watch.done >= 4 and watch.all_ended()
    assert (tmp_path / "helped.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()


def test_helper_count_follows_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead.os, "sched_getaffinity", lambda pid: {0})
    assert ahead.helper_count() == 0  # one core: a helper would only compete for it
    monkeypatch.setattr(ahead.os, "sched_getaffinity", lambda pid: set(range(2)))
    assert ahead.helper_count() == 2
    monkeypatch.setattr(ahead.os, "sched_getaffinity", lambda pid: set(range(64)))
    assert ahead.helper_count() == ahead.MAX_HELPERS


def _frames(*jobs: bytes) -> io.BytesIO:
    return io.BytesIO(b"".join(helper.JOB.pack(len(job)) + job for job in jobs))


def _answers(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    stream = io.BytesIO(data)
    while head := stream.read(helper.ANSWER.size):
        status, count, size = helper.ANSWER.unpack(head)
        yield status, count, stream.read(size)


def test_helper_answers_done_refused_and_failed(store_dir: tuple[Path, Path]) -> None:
    """In process: a plain document, one the fast read refuses, and a job that is no job."""
    from reader.export.jsonl import render_records

    root, corpus = store_dir
    store = Store(root, read_only=True, scan=False)
    try:
        docs = Corpus.open([corpus]).load(["plain.txt", "deletion.txt"])
        plain = store.plain_source("plain.txt", docs["plain.txt"])
        refused = store.plain_source("deletion.txt", docs["deletion.txt"])
    finally:
        store.close()
    jobs = [pickle.dumps((source, (), (), render_records)) for source in (plain, refused)]
    out = io.BytesIO()
    helper.serve(_frames(*jobs, b"not a pickle"), out)
    answers = list(_answers(out.getvalue()))
    assert [a[0] for a in answers] == [helper.DONE, helper.REFUSED, helper.FAILED]
    alone = export(root, corpus, "jsonl", False, 0, docs=["plain.txt"])[0]
    assert answers[0][2] == alone and answers[0][1] == len(alone.splitlines())


def test_helper_module_ends_with_its_input() -> None:
    """The real process: no job, its input closed: it ends at once, silently, status 0."""
    done = subprocess.run(
        [sys.executable, "-m", "reader.export.helper"],
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


class _Full(io.StringIO):
    """A stream whose fifth write fails, as a full disk does."""

    def __init__(self) -> None:
        super().__init__(newline="")
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes == 5:
            raise OSError(28, "No space left on device")
        return super().write(text)


def test_a_failed_write_stops_the_helpers_at_once(
    store_dir: tuple[Path, Path], watch: Watch
) -> None:
    root, corpus = store_dir
    store = Store(root, read_only=True, scan=False)
    try:
        data = gather(store, Corpus.open([corpus]), stream=True, helpers=2)
        with pytest.raises(OSError, match="No space") as caught:
            write("csv", data, _Full(), excel=True)
        assert watch.helpers and watch.all_ended()  # while the traceback still holds the writer
        del caught
    finally:
        store.close()


def test_a_helper_of_another_reader_ends_at_once(tmp_path: Path) -> None:
    """Started where another ``reader`` package would be imported: status 3, silently."""
    done = subprocess.run(
        [sys.executable, "-c", ahead._START, str(tmp_path), str(tmp_path / "reader")],
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, b"", b"")


def test_no_helpers_for_small_documents(
    store_dir: tuple[Path, Path], watch: Watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Handing over a document of a few records costs what doing it does: none start."""
    monkeypatch.setattr(ahead, "MIN_PER_DOCUMENT", 9)  # 7 to 16 here: 7.6 to 8.2 on average
    assert export(*store_dir, "jsonl", False, 2) == export(*store_dir, "jsonl", False, 0)
    assert watch.aheads and not watch.helpers
    monkeypatch.setattr(ahead, "MIN_PER_DOCUMENT", 8)
    export(*store_dir, "jsonl", False, 2)
    assert len(watch.helpers) == 2
