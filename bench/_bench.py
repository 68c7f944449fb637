"""Helpers shared by the bench scripts: statistics, tables, running a child under a pty.

Not a test helper: the scripts print figures, they assert nothing about speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUTPUT = BENCH / "output"
sys.path.insert(0, str(BENCH))


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), nearest-rank: p95 of 20 samples is the 19th."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summary(samples: Sequence[float]) -> tuple[float, float, float]:
    """Median, min and max."""
    return statistics.median(samples), min(samples), max(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A small Markdown table, ready to paste into bench/README.md."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print(f"\n### {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print()


def run_in_pty(
    argv: Sequence[str], *, size: tuple[int, int] = (120, 40), timeout: float = 60.0
) -> tuple[float, float, int, bytes]:
    """Run ``argv`` with a pseudo-terminal as its terminal, as a user would start it.

    The output is drained as it comes (a full pty buffer would stall the child).

    Returns:
        (``time.monotonic()`` at spawn — CLOCK_MONOTONIC, comparable with the child's —,
        wall seconds from spawn to exit, exit status, everything it wrote).
    """
    master, slave = pty.openpty()
    cols, rows = size
    with contextlib.suppress(OSError):
        termios.tcsetwinsize(slave, (rows, cols))
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", COLUMNS="", LINES="")
    env = {k: v for k, v in env.items() if v and not k.startswith("TEXTUAL_")}
    # As on a user's machine, Python caches the compiled modules (the warm-up run writes
    # them): with PYTHONDONTWRITEBYTECODE set, as in the sessions these benches run in,
    # every start would compile reader's own modules again (hello world's are cached in
    # site-packages).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    spawned = time.monotonic()
    started = time.perf_counter()
    child = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    deadline = started + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every writer closed the terminal
                    data = b""
                if not data:
                    break
                output += data
            elif child.poll() is not None:
                break
            elif time.perf_counter() > deadline:
                child.kill()
                raise TimeoutError(f"{' '.join(argv)} did not finish in {timeout} s")
        status = child.wait()
        elapsed = time.perf_counter() - started
    finally:
        os.close(master)
    return spawned, elapsed, status, bytes(output)


def first_paint(which: Sequence[str], timeout: float = 120.0) -> float:
    """Seconds from spawning ``bench/_first_paint.py WHICH…`` on a pty to its first clean screen."""
    return paint_and_settle(which, timeout)[0]


def paint_and_settle(
    which: Sequence[str], timeout: float = 120.0
) -> tuple[float, float, float, float]:
    """Seconds from spawning ``bench/_first_paint.py WHICH…`` to its first clean screen and
    to the app settled (workers included: see ``bench/_first_paint.py``), the CPU
    seconds (user + system) the child used from start to exit, and those it had used
    when the screen was painted: what starting cost the machine, without the waiting
    for a core that a loaded machine adds to wall times."""
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "stamp"
        argv = [sys.executable, str(BENCH / "_first_paint.py"), str(stamp), *which]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        spawned, _, status, output = run_in_pty(argv, timeout=timeout)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if status != 0 or not stamp.exists():
            tail = output[-400:].decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(which)}: exit {status}, no first paint:\n{tail}")
        painted, settled, painted_cpu = (float(line) for line in stamp.read_text().split())
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return painted - spawned, settled - spawned, cpu, painted_cpu


def run_child(argv: Sequence[str], timeout: float | None = None) -> Any:
    """Run a bench child process in a fresh interpreter; it prints one JSON line last.

    ``timeout``: seconds, then the child is killed and ``subprocess.TimeoutExpired`` raised.
    """
    result = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, cwd=REPO, check=False,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def timing_cells(values: Sequence[float], unit: str = "ms") -> list[str]:
    """[median, "min – max"] of seconds, shown in ``unit`` (``ms`` or ``s``)."""
    median, low, high = summary(values)
    if unit == "s":
        return [f"{median:.2f} s", f"{low:.2f} – {high:.2f} s"]
    return [ms(median), f"{ms(low)} – {ms(high)}"]


def print_verdict(what: str, value: float, limit: float) -> None:
    """One line: whether a ratio met its target."""
    print(f"{what} ≤ {limit:g}×: {'met' if value <= limit else 'NOT met'} ({value:.2f}×)")


def median_p95(values: Sequence[float]) -> str:
    """``"median / p95"`` of seconds, in milliseconds."""
    return f"{ms(statistics.median(values))} / {ms(percentile(values, 95))}"


def measured(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall and CPU (user + system) seconds of ``argv`` run to its end in a new process, and
    its peak RSS in MB (``ru_maxrss`` of that process alone, from ``wait4``)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{list(argv[:4])}… failed: {errors.decode(errors='replace')[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
