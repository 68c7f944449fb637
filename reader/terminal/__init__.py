"""The terminal the app draws on: which one it is, and how Arabic reaches it intact.

Pure logic, no Textual: ``detect`` (environment and answers → :class:`Detection`),
``query`` (XTVERSION and DA2, bounded), ``strategy`` (:class:`Choice` per terminal),
``emit`` (how a visual line is written for a strategy) and ``session`` (switching the
terminal for the app and back). docs/TERMINALS.md explains the strategies.
"""

from reader.terminal.detect import NAMES, Detection, Evidence, detect
from reader.terminal.query import Answers, parse, query
from reader.terminal.session import detect_terminal, switched, terminal_choice
from reader.terminal.strategy import Choice, Strategy, choose

__all__ = [
    "NAMES",
    "Answers",
    "Choice",
    "Detection",
    "Evidence",
    "Strategy",
    "choose",
    "detect",
    "detect_terminal",
    "parse",
    "query",
    "switched",
    "terminal_choice",
]
