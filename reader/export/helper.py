"""An export's helper process (started by :mod:`.ahead`; ``python -m reader.export.helper``).

It reads jobs from standard input and answers each on standard output, in order, until
standard input ends. A job is a frame — 8 bytes of length, then a pickle of
``(source, themes, annotators, render)`` — and an answer is 16 bytes: a status, a count
and a length, then that many bytes, the document rendered. Status :data:`DONE` carries the
bytes; :data:`REFUSED` (the document is not the usual case, or the renderer declined it)
and :data:`FAILED` (anything raised) carry none, and the exporting process then does that
document itself. Only the exporting process starts helpers: the pickles come from it,
through a pipe nobody else holds.

A helper ignores Ctrl-C (the exporting process handles it and closes the pipes), never
writes to the terminal (its standard error is closed by the exporting process), and exits
when its input ends — as it does if the exporting process dies.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import sys
from pathlib import Path
from typing import IO

JOB = struct.Struct("<Q")
ANSWER = struct.Struct("<IIQ")
DONE, REFUSED, FAILED = 0, 1, 2


def read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes of ``stream``, or None if it ends first."""
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(jobs: IO[bytes], answers: IO[bytes]) -> None:
    """Answer every job of ``jobs`` on ``answers`` until ``jobs`` ends."""
    from reader.export.ahead import render_document  # (imports the writers once)

    while True:
        head = read_exactly(jobs, JOB.size)
        if head is None:
            return
        body = read_exactly(jobs, JOB.unpack(head)[0])
        if body is None:
            return
        try:
            source, themes, annotators, render = pickle.loads(body)
            done = render_document(source, themes, annotators, render)
        except Exception:  # a bad job, a damaged file, no memory: the exporter does it
            answers.write(ANSWER.pack(FAILED, 0, 0))
        else:
            if done is None:
                answers.write(ANSWER.pack(REFUSED, 0, 0))
            else:
                answers.write(ANSWER.pack(DONE, done[0], len(done[1])))
                answers.write(done[1])
        answers.flush()


def main(package: str | None = None) -> int:
    """Serve jobs on standard input and output; status 3 at once if this ``reader``
    package is not ``package`` (the exporting process's)."""
    here = Path(__file__).resolve().parents[1]
    if package is not None and Path(package).resolve() != here:
        return 3
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # records make no cycles; they are freed as each document is answered
    # A broken pipe: the exporting process is gone or stopped listening; nothing to do.
    with (
        contextlib.suppress(OSError),
        os.fdopen(0, "rb", buffering=1 << 16) as jobs,
        os.fdopen(1, "wb") as answers,
    ):
        serve(jobs, answers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
