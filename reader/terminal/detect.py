"""Which terminal emulator the program runs in, from its environment and its answers.

Two sources, each turned into :class:`Evidence` that ``reader doctor`` prints:

* **The environment.** Most terminals set a variable in the shells they start
  (``KONSOLE_VERSION``, ``VTE_VERSION``, ``KITTY_WINDOW_ID``, ``MLTERM``…), and ``TERM``
  names the innermost one. Variables are inherited, though: a terminal started from
  another terminal's shell carries both, so ``TERM`` settles a conflict when it can.
* **The terminal's own answers** (``query.py``): XTVERSION names the program and its
  version; DA2 gives a model number some terminals make distinctive. An answer beats
  every variable, but only the innermost terminal answers: inside tmux or screen the
  answer is the multiplexer's.

Inside tmux or screen the outer terminal never sees the program's bytes; it draws what
the multiplexer draws. What matters for bidi is still the outer terminal (it is the one
that may reorder), so it is taken from the variables the multiplexer inherited, and the
multiplexer is recorded beside it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reader.terminal.query import Answers

#: note(source, name, value, meaning): records one piece of evidence.
_Note = Callable[[str, str, str, str], None]


@dataclass(frozen=True)
class Evidence:
    """One fact that counted: where it came from, its raw value, and what it says."""

    source: str
    """``env`` or ``query``."""
    name: str
    """The variable (``KONSOLE_VERSION``) or the query (``XTVERSION``, ``DA2``)."""
    value: str
    meaning: str


@dataclass(frozen=True)
class Detection:
    """The terminal as far as the evidence tells."""

    terminal: str
    """A name from :data:`NAMES`, or ``unknown``."""
    version: str = ""
    multiplexer: str = ""
    """``tmux``, ``screen`` or empty."""
    evidence: tuple[Evidence, ...] = field(default=())
    candidates: tuple[str, ...] = field(default=())
    """Every terminal the environment named, when it named more than one."""
    settings: tuple[tuple[str, str], ...] = field(default=())
    """The terminal's own settings that change what works (see :func:`read_settings`)."""

    def setting(self, key: str) -> str:
        """A setting's value (``mlterm use_ctl``, ``kitty force_ltr``), or ''."""
        return dict(self.settings).get(key, "")

    @property
    def label(self) -> str:
        name = NAMES.get(self.terminal, self.terminal)
        text = f"{name} {self.version}".strip()
        return f"{text} (inside {self.multiplexer})" if self.multiplexer else text


#: Terminal names as the program reports them.
NAMES: dict[str, str] = {
    "xterm": "xterm",
    "vte": "a VTE terminal (GNOME Terminal, sakura, Tilix…)",
    "alacritty": "Alacritty",
    "mlterm": "mlterm",
    "konsole": "Konsole",
    "kitty": "kitty",
    "wezterm": "WezTerm",
    "foot": "foot",
    "windows-terminal": "Windows Terminal",
    "vscode": "the VS Code terminal (xterm.js)",
    "iterm2": "iTerm2",
    "apple-terminal": "Terminal.app",
    "web": "a browser (textual-serve, xterm.js)",
    "unknown": "an unknown terminal",
}


def _vte_version(raw: str) -> str:
    # VTE_VERSION is major*10000 + minor*100 + micro with major 0: 7006 is 0.70.6.
    return f"0.{int(raw) // 100}.{int(raw) % 100}" if raw.isdigit() else raw


def _konsole_version(raw: str) -> str:
    # KONSOLE_VERSION is YYMMPP: 221203 is 22.12.3.
    if raw.isdigit() and len(raw) >= 5:
        n = int(raw)
        return f"{n // 10000}.{n // 100 % 100:02d}.{n % 100}"
    return raw


#: (variable, terminal, how its value gives the version) — checked in this order.
_ENV_MARKERS: tuple[tuple[str, str, str], ...] = (
    ("KITTY_WINDOW_ID", "kitty", ""),
    ("KONSOLE_VERSION", "konsole", "konsole"),
    ("MLTERM", "mlterm", "value"),
    ("VTE_VERSION", "vte", "vte"),
    ("WEZTERM_EXECUTABLE", "wezterm", ""),
    ("WEZTERM_PANE", "wezterm", ""),
    ("ALACRITTY_WINDOW_ID", "alacritty", ""),
    ("ALACRITTY_SOCKET", "alacritty", ""),
    ("WT_SESSION", "windows-terminal", ""),
    ("XTERM_VERSION", "xterm", "xterm"),
)

#: TERM values a terminal sets for itself (they name the innermost terminal).
_TERM_NAMES: dict[str, str] = {
    "xterm-kitty": "kitty",
    "alacritty": "alacritty",
    "alacritty-direct": "alacritty",
    "mlterm": "mlterm",
    "mlterm-256color": "mlterm",
    "foot": "foot",
    "foot-extra": "foot",
    "wezterm": "wezterm",
    "konsole": "konsole",
    "konsole-256color": "konsole",
}

#: TERM_PROGRAM values (set by macOS terminals, WezTerm, VS Code, tmux, textual-serve).
_PROGRAMS: dict[str, str] = {
    "iTerm.app": "iterm2",
    "Apple_Terminal": "apple-terminal",
    "WezTerm": "wezterm",
    "vscode": "vscode",
    "textual": "web",
}

#: XTVERSION answers: the name at the start, the version after it.
_XTVERSION = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)[\s(]*([0-9][^)\s]*)?")
_XTVERSION_NAMES: dict[str, str] = {
    "xterm": "xterm",
    "konsole": "konsole",
    "kitty": "kitty",
    "mlterm": "mlterm",
    "wezterm": "wezterm",
    "foot": "foot",
    "iterm2": "iterm2",
    "vte": "vte",
    "alacritty": "alacritty",
    "tmux": "tmux",
}


def _version_of(how: str, raw: str) -> str:
    if how == "konsole":
        return _konsole_version(raw)
    if how == "vte":
        return _vte_version(raw)
    if how == "xterm":
        match = re.search(r"\((\d+)\)", raw)
        return match.group(1) if match else raw
    return raw if how == "value" else ""


def from_xtversion(answer: str) -> tuple[str, str] | None:
    """(terminal, version) from an XTVERSION answer (``XTerm(379)``, ``Konsole 22.12.3``)."""
    match = _XTVERSION.match(answer)
    if not match:
        return None
    name = _XTVERSION_NAMES.get(match.group(1).lower())
    if name is None:
        return None
    version = match.group(2) or ""
    return name, _vte_version(version) if name == "vte" else version


def from_da2(params: tuple[int, ...]) -> tuple[str, str] | None:
    """(terminal, version) from a DA2 answer, for the few whose answer is distinctive."""
    if len(params) < 2:
        return None
    model, version = params[0], params[1]
    if model == 41:
        return "xterm", str(version)
    if model == 65 and version >= 5000:  # VTE answers 65;<VTE_VERSION>;1
        return "vte", _vte_version(str(version))
    if model == 1 and version == 4000:  # kitty: 1;4000;<minor>
        return "kitty", f"0.{params[2]}" if len(params) > 2 else ""
    if model == 1 and version == 115:  # Konsole answers a fixed 1;115;0
        return "konsole", ""
    if model == 24:  # mlterm: 24;<version>;0
        return "mlterm", ""
    if model == 84:  # 'T'
        return "tmux", ""
    if model == 83:  # 'S'
        return "screen", ""
    return None


def detect(env: Mapping[str, str], answers: Answers | None = None) -> Detection:
    """The terminal named by ``env`` and, when there are some, the terminal's ``answers``."""
    evidence: list[Evidence] = []

    def note(source: str, name: str, value: str, meaning: str) -> None:
        evidence.append(Evidence(source, name, value, meaning))

    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    multiplexer = ""
    if env.get("TEXTUAL_DRIVER", "").endswith("WebDriver") or program == "textual":
        name = "TEXTUAL_DRIVER" if "TEXTUAL_DRIVER" in env else "TERM_PROGRAM"
        note("env", name, env.get(name, ""), "textual-serve runs the app in a browser")
        return Detection("web", env.get("TERM_PROGRAM_VERSION", ""), "", tuple(evidence))
    if env.get("TMUX") or program == "tmux" or term.startswith("tmux"):
        multiplexer = "tmux"
        note("env", "TMUX" if env.get("TMUX") else "TERM", env.get("TMUX") or term, "inside tmux")
    elif env.get("STY") or term.startswith("screen"):
        multiplexer = "screen"
        note("env", "STY" if env.get("STY") else "TERM", env.get("STY") or term, "inside screen")

    candidates: list[tuple[str, str]] = []
    for var, terminal, how in _ENV_MARKERS:
        if env.get(var):
            version = _version_of(how, env[var])
            candidates.append((terminal, version))
            note("env", var, env[var], NAMES[terminal])
    if program in _PROGRAMS and _PROGRAMS[program] != "web":
        terminal = _PROGRAMS[program]
        version = env.get("TERM_PROGRAM_VERSION", "")
        candidates.insert(0, (terminal, version))
        note("env", "TERM_PROGRAM", program, NAMES[terminal])
    elif env.get("LC_TERMINAL") == "iTerm2":  # iTerm2 also sets it, and ssh passes LC_*
        candidates.insert(0, ("iterm2", env.get("LC_TERMINAL_VERSION", "")))
        note("env", "LC_TERMINAL", "iTerm2", NAMES["iterm2"])
    by_term = _TERM_NAMES.get(term)
    if by_term is not None:
        note("env", "TERM", term, f"set by {NAMES[by_term]}")
        # TERM names the innermost terminal: it wins over variables inherited from another.
        candidates.sort(key=lambda c: c[0] != by_term)
        if not any(c[0] == by_term for c in candidates):
            candidates.insert(0, (by_term, ""))
    if not candidates and term:
        note("env", "TERM", term, "names no terminal in particular")
    # The terminal's own answer beats every variable, when the terminal (not a
    # multiplexer) gave it.
    if answers is not None and not multiplexer:
        found = _from_answers(answers, note)
        if found is not None:
            return Detection(found[0], found[1], "", tuple(evidence))
    if not candidates:
        return Detection("unknown", "", multiplexer, tuple(evidence))
    terminal, version = candidates[0]
    named = tuple(dict.fromkeys(c[0] for c in candidates))
    settled = by_term is not None  # TERM named the innermost one
    return Detection(
        terminal, version, multiplexer, tuple(evidence), () if settled or len(named) < 2 else named
    )


def _from_answers(answers: Answers, note: _Note) -> tuple[str, str] | None:
    if answers.xtversion is not None:
        found = from_xtversion(answers.xtversion)
        meaning = NAMES.get(found[0], found[0]) if found else "not a terminal this program knows"
        note("query", "XTVERSION", answers.xtversion, meaning)
        if found is not None and found[0] not in ("tmux", "screen"):
            return found
    if answers.da2 is not None:
        found = from_da2(answers.da2)
        value = ";".join(map(str, answers.da2))
        meaning = NAMES.get(found[0], found[0]) if found else "not distinctive"
        note("query", "DA2", value, meaning)
        if found is not None and found[0] not in ("tmux", "screen"):
            return found
    if answers.xtversion is None and answers.da2 is None:
        note("query", "answers", "none", answers.note or "the terminal did not answer")
    return None


def read_settings(detection: Detection, env: Mapping[str, str], home: Path) -> Detection:
    r"""``detection`` with the two user settings that change what works, when they are set.

    mlterm's ``use_ctl = false`` (``~/.mlterm/main``) and kitty's ``force_ltr yes``
    (``kitty.conf``) each turn the terminal's own bidi or shaping off, and with it the
    need for a strategy. Only the main file is read (not kitty's ``include``\ s).
    """
    found: list[tuple[str, str]] = []
    evidence = list(detection.evidence)
    if detection.terminal == "mlterm":
        path = home / ".mlterm" / "main"
        value = config_value(path, "use_ctl", "=")
        if value:
            found.append(("mlterm use_ctl", value))
            evidence.append(Evidence("config", str(path), f"use_ctl = {value}", "mlterm's bidi"))
    if detection.terminal == "kitty":
        folder = (
            Path(env["KITTY_CONFIG_DIRECTORY"])
            if env.get("KITTY_CONFIG_DIRECTORY")
            else (Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config")
            / "kitty"
        )
        path = folder / "kitty.conf"
        value = config_value(path, "force_ltr", "")
        if value:
            found.append(("kitty force_ltr", value))
            evidence.append(Evidence("config", str(path), f"force_ltr {value}", "kitty's shaping"))
    if detection.terminal == "konsole":
        config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
        data = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local/share"
        profile = config_value(config / "konsolerc", "DefaultProfile", "=", lower=False)
        if profile and "/" not in profile:
            path = data / "konsole" / profile
            value = config_value(path, "BidiRenderingEnabled", "=")
            if value:
                found.append(("konsole BidiRenderingEnabled", value))
                meaning = "Konsole's Bi-Directional text rendering"
                evidence.append(
                    Evidence("config", str(path), f"BidiRenderingEnabled={value}", meaning)
                )
    if not found:
        return detection
    return dataclasses.replace(detection, evidence=tuple(evidence), settings=tuple(found))


def config_value(path: Path, key: str, separator: str, *, lower: bool = True) -> str:
    """The last value of ``key`` in a ``key <separator> value`` file (lower case), or ''."""
    try:
        with path.open("rb") as handle:
            text = handle.read(200_000).decode("utf-8", "replace")
    except OSError:
        return ""
    sep = rf"\s*{re.escape(separator)}\s*" if separator else r"\s+"
    found = re.findall(rf"^\s*{re.escape(key)}{sep}(\S+)", text, re.M)
    if not found:
        return ""
    return str(found[-1]).lower() if lower else str(found[-1])
