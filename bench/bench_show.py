"""``reader show`` on the 20 MiB document, against ``fribidi`` (C) on the same file.

Both get the same job: wrap every line of the file to 80 columns, reorder it
for display and shape the Arabic, writing to ``/dev/null``. Runs alternate
(fribidi, reader, fribidi, …) so machine noise hits both; wall time per run
includes process start. Throughput is file bytes over wall time; the ratio is
reader's median time over fribidi's.

Target (issue 13): time ratio ≤ 3. *CPU* is each process's user + system time
(``RUSAGE_CHILDREN``): the work, without the wait for a core a loaded machine adds.
The reader runs with Python's bytecode cache on, as on a user's machine.

Usage::

    python bench/bench_show.py [--runs 5] [--width 80]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

from _bench import OUTPUT, REPO, print_table, print_verdict, summary, timing_cells
from gen_corpus import ensure


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds of one run, and the CPU seconds (user + system) it used."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # reader's modules cached, as on a user's machine
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO, check=False, env=env
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({result.returncode}): {result.stderr.decode()[-400:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reader show vs fribidi")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--width", type=int, default=80)
    args = parser.parse_args(argv)
    fribidi = shutil.which("fribidi")
    if fribidi is None:
        raise SystemExit("fribidi is not installed: the reference is missing")
    ensure()
    big = OUTPUT / "big.txt"
    size = big.stat().st_size
    commands = {
        "fribidi --width W": [fribidi, "--width", str(args.width), str(big)],
        "reader show --width W": [
            sys.executable,
            "-m",
            "reader",
            "show",
            str(big),
            "--width",
            str(args.width),
        ],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for name, command in commands.items():
            wall, used = timed(command)
            samples[name].append(wall)
            cpu[name].append(used)
        loads.append(os.getloadavg()[0])
    reference = summary(samples["fribidi --width W"])[0]
    reference_cpu = summary(cpu["fribidi --width W"])[0]
    rows = []
    for name, values in samples.items():
        median = summary(values)[0]
        used = summary(cpu[name])[0]
        throughput = f"{size / median / 1e6:.1f} MB/s"
        rows.append(
            [
                name,
                *timing_cells(values, "s"),
                throughput,
                f"{median / reference:.2f}×",
                f"{used:.2f} s",
                f"{used / reference_cpu:.2f}×",
            ]
        )
    print_table(
        f"Printing the {size / 1e6:.1f} MB document at width {args.width} "
        f"({args.runs} runs each, alternating, load average {min(loads):.1f}–{max(loads):.1f})",
        ["command", "median", "min – max", "throughput", "time ÷ fribidi", "CPU", "CPU ÷ fribidi"],
        rows,
    )
    reader = summary(samples["reader show --width W"])[0]
    print_verdict("reader show / fribidi", reader / reference, 3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
