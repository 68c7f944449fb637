"""Print the on-screen OCR scores of the app in each real terminal and in the browser.

    python3 tools/terminal_scores.py [--terminals xterm,konsole] [--no-before] [--no-serve]

For each terminal (under a private Xvfb, default settings — see tools/xterminals.py; the
``+tmux`` rows run tmux inside the terminal and the app inside tmux) the
scenario of tools/onscreen.py is run twice: with ``--bidi app`` (explicit mode everywhere:
what the app did before ``--bidi auto``, the issue's "today") and with ``--bidi auto``
(the default now). Then ``reader serve`` in headless Chromium, with ``--bidi auto`` and, as
a control, ``--bidi terminal``. Each row: the strategy ``auto`` picked, the scores (share
of OCR'd Arabic words that are words of the document; tools/ocr_score.py), the number of
words OCR read, whether the terminal was left as found (pixels differing between the
sentence printed before and after the app; the spoiled control must differ), and seconds.
The xterm row also gives the score of a deliberately reversed rendering (must be ≈ 0).

It asserts nothing: tests/terminals/ holds the checks. Needs what .ci/run installs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import onscreen, xterminals


def strategy_of(name: str) -> str:
    """What ``--bidi auto`` picks in this terminal, from its own environment marker."""
    from reader.terminal.detect import detect
    from reader.terminal.strategy import choose

    env = {
        "xterm": {"TERM": "xterm", "XTERM_VERSION": "XTerm(379)"},
        "sakura": {"TERM": "xterm-256color", "VTE_VERSION": "7006"},
        "alacritty": {"TERM": "alacritty"},
        "mlterm": {"TERM": "mlterm", "MLTERM": "3.9.0"},
        "konsole": {"TERM": "xterm-256color", "KONSOLE_VERSION": "221203"},
        "kitty": {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"},
    }[name.removesuffix("+tmux")]
    if name.endswith("+tmux"):
        env = {**env, "TMUX": "/tmp/tmux-0/onscreen,1,0", "TERM": "tmux-256color"}
    return str(choose(detect(env)).strategy)


ALL = {**xterminals.TERMINALS, **xterminals.BEHIND_TMUX}


HEADER = (
    "| terminal | version | `auto` strategy | `--bidi app` (before) | `--bidi auto` (now) "
    "| words | left as found (px) | spoiled control (px) | s |"
)


def versions(packages: list[str]) -> dict[str, str]:
    """Debian package → installed version."""
    done = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", *packages],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def terminal_rows(names: list[str], work: Path, before: bool) -> float:
    """Print one row per terminal; returns the reversed control's score (-1 without xterm)."""
    installed = versions([ALL[n].package for n in names])
    reversed_score = -1.0
    with xterminals.Display() as display:
        for name in names:
            terminal = ALL[name]
            old = "—"
            if before:
                run = onscreen.run(
                    terminal, display, work / f"{name}-app", bidi="app", controls=False
                )
                old = f"{run.score:.2f}"
            now = onscreen.run(
                terminal, display, work / f"{name}-auto", with_reversed=name == "xterm"
            )
            spoiled = str(now.spoiled) if now.spoiled >= 0 else "—"
            cells = [
                name, installed.get(terminal.package, "?"), strategy_of(name), old,
                f"{now.score:.2f}", str(now.words), str(now.left_as_found), spoiled,
                f"{now.seconds.get('scored', 0):.0f}",
            ]  # fmt: skip
            print("| " + " | ".join(cells) + " |", flush=True)
            if now.reversed_score >= 0:
                reversed_score = now.reversed_score
    return reversed_score


def show_rows(names: list[str], work: Path) -> None:
    """`reader show` on a terminal: --bidi app (before) and --bidi auto (now)."""
    print("\n| terminal | `reader show --bidi app` | `reader show` (auto) |\n|---|---|---|")
    with xterminals.Display() as display:
        for name in names:
            before = onscreen.show(ALL[name], display, work / f"{name}-show-app", bidi="app")
            now = onscreen.show(ALL[name], display, work / f"{name}-show-auto")
            print(f"| {name} | {before[0]:.2f} | {now[0]:.2f} |", flush=True)


def serve_row(work: Path) -> None:
    page = onscreen.serve(work / "serve-auto")
    logical = onscreen.serve(work / "serve-terminal", bidi="terminal")
    cells = [
        "reader serve (Chromium)", "textual-serve", "plain",
        f"`--bidi terminal`: {logical.score:.2f}",
        f"{page.score:.2f}", str(page.words), "—", "—", f"{page.seconds:.0f}",
    ]  # fmt: skip
    print("| " + " | ".join(cells) + " |")
    print(f"\nrequests from the page to other hosts: {len(page.elsewhere)} {page.elsewhere}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "--terminals",
        default=",".join(ALL),
        help=f"comma-separated, from: {', '.join(ALL)} (default: all)",
    )
    parser.add_argument("--no-before", action="store_true", help="skip the --bidi app runs")
    parser.add_argument("--no-serve", action="store_true", help="skip the browser")
    parser.add_argument("--show", action="store_true", help="also `reader show` in each")
    parser.add_argument("--keep", type=Path, default=None, help="keep screenshots here")
    args = parser.parse_args()
    names = [n for n in args.terminals.split(",") if n]
    unknown = [n for n in names if n not in ALL]
    if unknown:
        print(f"unknown terminal: {', '.join(unknown)}", file=sys.stderr)
        return 2
    missing = xterminals.missing_tools([ALL[n] for n in names])
    if missing:
        print(f"missing: {', '.join(missing)} (see .ci/run)", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    print(
        f"# On-screen OCR scores, {datetime.date.today()}, "
        f"load {load:.1f} on {os.cpu_count()} cores\n"
    )
    print(HEADER)
    print("|---" * 9 + "|")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        reversed_score = terminal_rows(names, work, not args.no_before)
        if not args.no_serve:
            serve_row(work)
        if args.show:
            show_rows(names, work)
    if reversed_score >= 0:
        print(f"reversed rendering (each word's letters backwards) in xterm: {reversed_score:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
