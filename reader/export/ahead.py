"""Documents rendered ahead in helper processes: a big export uses every core (issue 13).

Exporting a million annotations is CPU work document by document — parse the log files,
check the records, sort them, write them as ``jsonl`` or ``csv`` — and one Python process
uses one core. For a big export the writers that can (``jsonl``, ``csv``) let helper
processes (:mod:`reader.export.helper`) do that work for the documents ahead of the one
being written, and write what they send back, in order: each document's lines as bytes,
exactly what the writer itself would have written of them (tests compare the two byte for
byte).

A helper only takes what :meth:`reader.store.Store.plain_source` vouches for and
:func:`reader.store.bulk.plain_records` accepts; anything else — and any failure of a
helper (it would not start, was killed, ran out of memory) — comes back as "not done",
and the writer reads that document itself, the usual way, which names every problem. So
the output never depends on whether, or how well, the helpers ran. A helper is a new
interpreter running only that module (nothing of this process, its threads or its locks
is copied, and no script of the caller's is run again), in a session of its own (a
Ctrl-C is for this process, which then stops them), with no terminal output; it ends
when its input does, as it does if this process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reader.export.helper import ANSWER, DONE, FAILED, JOB, REFUSED, read_exactly
from reader.store.bulk import PlainSource, export_order

#: One document's chosen records, in export order → its bytes in the format, or None when
#: the writer must write them itself. Module-level functions (or partials of them): they
#: are pickled to the helpers.
Render = Callable[[list[dict[str, Any]], str | None], bytes | None]
#: A document's key → how to render it (None: not ahead).
Renderer = Callable[[str], Render | None]
#: A helper's answer: (how many records, their bytes), or None (the writer does it).
Rendered = tuple[int, bytes] | None

#: From this many records written, an export starts its helpers (fewer are done before
#: they would have started: a helper is a new interpreter, ~0.2 s of CPU to start).
START_AFTER = 20_000
#: ... if its documents hold this many records each on average so far: handing a document
#: over costs the exporting process about what reading a small one does (measured with
#: 100,000 records, on 2 cores: 5 records a document, helpers 20-30 % slower; 50, 20 %
#: slower; 200, even; 1,000, twice as fast).
MIN_PER_DOCUMENT = 200
#: Helpers started, at most (and never more than the cores this process may use).
MAX_HELPERS = 4
#: Documents handed out ahead of the one being written, per helper: enough for none to
#: wait, few enough to hold little (a document's bytes wait in a pipe until written).
AHEAD_PER_HELPER = 3
#: A pipe's size asked for: a usual document's answer in one go.
PIPE_SIZE = 1 << 20
#: Seconds a helper is given to end once stopped, before it is killed.
STOP_WAIT = 5.0


def helper_count() -> int:
    """Helpers worth starting: one per core this process may use, none on a single core
    (this process would only compete with them for it)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_HELPERS)


def render_document(
    source: PlainSource, themes: Sequence[str], annotators: Sequence[str], render: Render
) -> Rendered:
    """In a helper: the document's records read, chosen, sorted and rendered."""
    records = source.read()
    if records is None:
        return None
    chosen = choose(records, themes, annotators)
    if not chosen:
        return 0, b""
    data = render(chosen, source.text)
    return None if data is None else (len(chosen), data)


def choose(
    records: list[dict[str, Any]], themes: Sequence[str], annotators: Sequence[str]
) -> list[dict[str, Any]]:
    """:func:`reader.export.records.select` for one document's plain records."""
    if annotators:
        names = set(annotators)
        records = [r for r in records if r["annotator"] in names]
    if themes:
        keys = set(themes)
        records = [r for r in records if not keys.isdisjoint(r["themes"])]
    return export_order(records)


#: A helper's start: this very package, found where Python finds it or else where this
#: process found it (appended to the path, so that it shadows nothing), and checked to be
#: the same (else the helper ends at once, and the exporting process does its work).
_START = (
    "import sys; sys.path.append(sys.argv[1]); "
    "from reader.export.helper import main; sys.exit(main(sys.argv[2]))"
)


class _Helper:
    """One helper process: jobs written to it by a thread (a big job must never block this
    process while the helper waits to hand back an answer), answers read here, in order."""

    def __init__(self) -> None:
        package = Path(__file__).resolve().parents[1]  # reader/
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _START, str(package.parent), str(package)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.jobs, self.answers = self.proc.stdin, self.proc.stdout
        for pipe in (self.jobs, self.answers):  # fewer turns for big answers (best effort)
            with contextlib.suppress(OSError, AttributeError):
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self.queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.feeder = threading.Thread(target=self._feed, name="export-helper", daemon=True)
        self.feeder.start()

    def _feed(self) -> None:
        try:
            while (frame := self.queue.get()) is not None:
                self.jobs.write(frame)
                self.jobs.flush()
        except (OSError, ValueError):
            pass  # the helper is gone (its answer says so) or being stopped
        finally:
            with contextlib.suppress(OSError, ValueError):
                self.jobs.close()

    def send(self, job: tuple[object, ...]) -> None:
        body = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.queue.put(JOB.pack(len(body)) + body)

    def answer(self) -> Rendered | bool:
        """The next answer: (count, bytes), False when refused, or True when the helper is
        gone or spoke nonsense (the caller stops them all)."""
        head = read_exactly(self.answers, ANSWER.size)
        if head is None:
            return True
        status, count, size = ANSWER.unpack(head)
        if status != DONE:
            return status not in (REFUSED, FAILED)
        data = read_exactly(self.answers, size) if size else b""
        return True if data is None else (int(count), data)

    def stop(self) -> None:
        """End the helper: no more jobs, answers unread dropped, the process waited for."""
        self.queue.put(None)
        with contextlib.suppress(OSError):
            self.answers.close()  # a helper writing an answer now gets EPIPE and ends
        try:
            self.proc.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.feeder.join(timeout=STOP_WAIT)


class Ahead:
    """Documents handed to helpers in the order they will be written, and their answers
    taken in that order.

    ``source(rel)`` is the document's :class:`PlainSource`, or None for one the writer
    reads itself. :meth:`take` is called for every document in order; it answers None for
    those not done ahead (not handed out, refused, failed), which the caller then does.
    """

    def __init__(
        self,
        rels: Sequence[str],
        source: Callable[[str], PlainSource | None],
        renderer: Renderer,
        themes: Sequence[str],
        annotators: Sequence[str],
        helpers: int,
    ) -> None:
        self.rels, self.source, self.renderer = rels, source, renderer
        self.themes, self.annotators = tuple(themes), tuple(annotators)
        self.count = helpers
        self.helpers: list[_Helper] = []
        self.pending: deque[tuple[int, _Helper]] = deque()
        self.next = 0  # the next document to consider handing out
        self.handed = 0  # documents handed out so far (the next goes to handed % helpers)
        self.broken = False
        self.total = 0  # records given out so far

    def written(self, at: int, count: int) -> None:
        """Document ``at`` was given out with ``count`` records: past
        :data:`START_AFTER` in all, and :data:`MIN_PER_DOCUMENT` on average, the helpers
        start."""
        self.total += count
        if self.total >= START_AFTER and self.total >= MIN_PER_DOCUMENT * (at + 1):
            self.start(at)

    def start(self, at: int) -> None:
        """Start the helpers, to do documents after ``at`` (no-op once started or failed)."""
        if self.helpers or self.broken or self.count < 1 or not sys.executable:
            return
        try:
            for _ in range(self.count):
                self.helpers.append(_Helper())
        except OSError:  # no fork, no executable…: the writer does it all
            self._break()
            return
        self.next = max(self.next, at + 1)

    def take(self, at: int) -> Rendered:
        """The answer for document ``at`` (called in order), after handing out more."""
        if self.helpers:
            self._hand_out(at)
        if self.pending and self.pending[0][0] < at:
            self._break()  # (never: documents are taken in order)
        if not self.pending or self.pending[0][0] != at:
            return None
        _, helper = self.pending.popleft()
        answer = helper.answer()
        if answer is True:
            self._break()
            return None
        return None if answer is False else answer

    def _hand_out(self, at: int) -> None:
        limit = min(at + 1 + len(self.helpers) * AHEAD_PER_HELPER, len(self.rels))
        while self.next < limit:
            rel = self.rels[self.next]
            source, render = self.source(rel), self.renderer(rel)
            if source is not None and render is not None:
                helper = self.helpers[self.handed % len(self.helpers)]
                try:
                    helper.send((source, self.themes, self.annotators, render))
                except (pickle.PicklingError, TypeError, AttributeError):
                    self.next += 1
                    continue  # (not picklable: the writer does that one)
                self.pending.append((self.next, helper))
                self.handed += 1
            self.next += 1

    def _break(self) -> None:
        """Stop the helpers for good: the writer does every document left."""
        self.broken = True
        self.stop()

    def stop(self) -> None:
        """Stop the helpers (what they were doing is dropped)."""
        helpers, self.helpers = self.helpers, []
        self.pending.clear()
        for helper in helpers:
            helper.stop()

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ahead_of(
    rels: Sequence[str],
    source: Callable[[str], PlainSource | None],
    renderer: Renderer | None,
    themes: Sequence[str],
    annotators: Sequence[str],
    helpers: int,
) -> Ahead | None:
    """An :class:`Ahead` for an export that asked for helpers and can use them."""
    if renderer is None or helpers < 1 or len(rels) < 2 or os.name != "posix":
        return None
    return Ahead(rels, source, renderer, themes, annotators, helpers)
