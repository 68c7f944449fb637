"""Terminal detection: each terminal's real environment and real answers, and the strategy.

The environments and answers below were captured inside each terminal under Xvfb (a
probe script printed its environment and what the terminal answered to XTVERSION, DA2
and DA1): xterm 379, sakura 3.8.6 (VTE 0.70.6), Alacritty 0.11, mlterm 3.9.0, Konsole
22.12.3, kitty 0.26.5 — Debian 12's versions, the ones the on-screen tests run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.terminal.detect import detect, from_da2, from_xtversion, read_settings
from reader.terminal.query import parse
from reader.terminal.strategy import (
    BDSM_EXPLICIT,
    BDSM_IMPLICIT,
    MLTERM_CTL_OFF,
    MLTERM_CTL_ON,
    SCP_DEFAULT,
    SCP_LTR,
    Strategy,
    choose,
)

ENVIRONMENTS: dict[str, dict[str, str]] = {
    "xterm": {
        "TERM": "xterm",
        "XTERM_VERSION": "XTerm(379)",
        "XTERM_SHELL": "/usr/bin/sh",
        "WINDOWID": "2097164",
    },
    "vte": {"TERM": "xterm-256color", "VTE_VERSION": "7006", "COLORTERM": "truecolor"},
    "alacritty": {
        "TERM": "alacritty",
        "ALACRITTY_WINDOW_ID": "2097159",
        "ALACRITTY_SOCKET": "/run/user/0/Alacritty-:1-6354.sock",
        "COLORTERM": "truecolor",
    },
    "mlterm": {"TERM": "mlterm", "MLTERM": "3.9.0", "COLORFGBG": "default;default"},
    "konsole": {
        "TERM": "xterm-256color",
        "KONSOLE_VERSION": "221203",
        "KONSOLE_DBUS_SESSION": "/Sessions/1",
        "COLORTERM": "truecolor",
    },
    "kitty": {
        "TERM": "xterm-kitty",
        "KITTY_WINDOW_ID": "1",
        "KITTY_PID": "6575",
        "TERMINFO": "/usr/lib/kitty/terminfo",
    },
    # From the terminals' documentation (not run here).
    "wezterm": {"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm", "WEZTERM_PANE": "0"},
    "windows-terminal": {"TERM": "xterm-256color", "WT_SESSION": "4f1c…"},
    "iterm2": {"TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app", "LC_TERMINAL": "iTerm2"},
    "apple-terminal": {"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"},
}

#: Bytes each terminal sent back to XTVERSION + DA2 + DA1 (captured).
ANSWERS: dict[str, bytes] = {
    "xterm": b"\x1bP>|XTerm(379)\x1b\\\x1b[>41;379;0c\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c",
    "vte": b"\x1b[>65;7006;1c\x1b[?65;1;9c",
    "alacritty": b"\x1b[>0;1700;1c\x1b[?6c",
    "mlterm": b"\x1b[>24;279;0c\x1b[?63;1;2;3;4;6;7;15;18;22;29c",
    "konsole": b"\x1bP>|Konsole 22.12.3\x1b\\\x1b[>1;115;0c\x1b[?62;1;4c",
    "kitty": b"\x1bP>|kitty(0.26.5)\x1b\\\x1b[>1;4000;26c\x1b[?62;c",
    "tmux": b"\x1bP>|tmux 3.3a\x1b\\\x1b[>84;0;0c\x1b[?1;2c",
}

EXPECTED = {
    "xterm": Strategy.EXPLICIT,
    "vte": Strategy.EXPLICIT,
    "alacritty": Strategy.EXPLICIT,
    "mlterm": Strategy.MLTERM,
    "konsole": Strategy.MARKS,
    "kitty": Strategy.SHAPER,
    "wezterm": Strategy.EXPLICIT,
    "windows-terminal": Strategy.EXPLICIT,
    "iterm2": Strategy.EXPLICIT,
    "apple-terminal": Strategy.EXPLICIT,
}


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_each_terminal_is_recognised_from_its_environment(name: str) -> None:
    found = detect(ENVIRONMENTS[name])
    assert found.terminal == name
    assert found.multiplexer == "" and found.candidates == ()
    assert choose(found).strategy is EXPECTED[name]


@pytest.mark.parametrize("name", [n for n in ANSWERS if n != "tmux"])
def test_each_terminal_is_recognised_from_its_answers_alone(name: str) -> None:
    answers = parse(ANSWERS[name])
    assert answers.complete
    found = detect({"TERM": "xterm-256color"}, answers)
    # Alacritty 0.11's DA2 (0;1700;1) names no terminal: it stays unknown, and gets
    # explicit mode, which is right for it.
    assert found.terminal == ("unknown" if name == "alacritty" else name)
    assert any(e.source == "query" for e in found.evidence)


def test_versions_are_read_from_variables_and_answers() -> None:
    assert detect(ENVIRONMENTS["vte"]).version == "0.70.6"
    assert detect(ENVIRONMENTS["konsole"]).version == "22.12.3"
    assert detect(ENVIRONMENTS["xterm"]).version == "379"
    assert detect(ENVIRONMENTS["mlterm"]).version == "3.9.0"
    assert from_xtversion("kitty(0.26.5)") == ("kitty", "0.26.5")
    assert from_xtversion("Konsole 22.12.3") == ("konsole", "22.12.3")
    assert from_xtversion("VTE(7600)") == ("vte", "0.76.0")
    wezterm = "20240203-110809-5046fc22"
    assert from_xtversion(f"WezTerm {wezterm}") == ("wezterm", wezterm)
    assert from_xtversion("SomethingNew 1.0") is None
    assert from_da2((41, 379, 0)) == ("xterm", "379")
    assert from_da2((0, 1700, 1)) is None  # generic VT100: says nothing
    assert from_da2((1,)) is None


def test_an_answer_beats_variables_inherited_from_another_terminal() -> None:
    # xterm started from a Konsole shell: both variables are there, TERM settles nothing.
    env = {"TERM": "xterm", "KONSOLE_VERSION": "221203", "XTERM_VERSION": "XTerm(379)"}
    ambiguous = detect(env)
    assert ambiguous.candidates == ("konsole", "xterm")
    assert detect(env, parse(ANSWERS["xterm"])).terminal == "xterm"


def test_term_names_the_innermost_terminal() -> None:
    # kitty started from Konsole: KONSOLE_VERSION is inherited, TERM is kitty's own.
    env = {**ENVIRONMENTS["konsole"], **ENVIRONMENTS["kitty"]}
    found = detect(env)
    assert found.terminal == "kitty" and found.candidates == ()
    env = {**ENVIRONMENTS["kitty"], "TERM": "mlterm", "MLTERM": "3.9.0"}
    assert detect(env).terminal == "mlterm"


def test_over_ssh_only_term_is_left_and_the_terminal_is_unknown() -> None:
    found = detect({"TERM": "xterm-256color", "SSH_TTY": "/dev/pts/3"})
    assert found.terminal == "unknown"
    choice = choose(found)
    assert choice.strategy is Strategy.EXPLICIT and not choice.warning
    # … until the terminal answers: Konsole over ssh gets its marks.
    assert choose(detect({"TERM": "xterm-256color"}, parse(ANSWERS["konsole"]))).strategy is (
        Strategy.MARKS
    )


def test_inside_tmux_the_outer_terminal_decides_and_tmux_answers_do_not_count() -> None:
    tmux = {"TMUX": "/tmp/tmux-0/default,1234,0", "TERM": "tmux-256color", "TERM_PROGRAM": "tmux"}
    for outer, strategy in [
        ("konsole", Strategy.MARKS),
        ("vte", Strategy.MARKS),  # CSI 8 l stops at tmux; the marks pass through
        ("kitty", Strategy.SHAPER),
        ("mlterm", Strategy.MLTERM),
        ("xterm", Strategy.EXPLICIT),
    ]:
        env = {**ENVIRONMENTS[outer], **tmux}
        found = detect(env, parse(ANSWERS["tmux"]))
        assert (found.terminal, found.multiplexer) == (outer, "tmux")
        assert choose(found).strategy is strategy, outer
    # Nothing known outside: explicit (tmux ignores it, most outer terminals do no bidi).
    found = detect(tmux)
    assert (found.terminal, found.multiplexer) == ("unknown", "tmux")
    assert choose(found).strategy is Strategy.EXPLICIT


def test_mlterm_behind_tmux_is_passed_through_and_warned_about() -> None:
    env = {**ENVIRONMENTS["mlterm"], "TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}
    choice = choose(detect(env))
    assert choice.enter == "\x1bPtmux;\x1b\x1b]5379;use_ctl=false\x07\x1b\\"
    assert choice.leave == "\x1bPtmux;\x1b\x1b]5379;use_ctl=true\x07\x1b\\"
    assert "allow-passthrough" in choice.warning
    screen = {**ENVIRONMENTS["mlterm"], "STY": "1234.pts-0", "TERM": "screen"}
    assert choose(detect(screen)).enter == "\x1bP" + MLTERM_CTL_OFF + "\x1b\\"


def test_textual_serve_is_a_browser() -> None:
    env = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TERM_PROGRAM": "textual"}
    found = detect({**ENVIRONMENTS["konsole"], **env})
    assert found.terminal == "web"
    choice = choose(found)
    assert choice.strategy is Strategy.PLAIN and choice.enter == choice.leave == ""


def test_sequences_of_each_strategy() -> None:
    explicit = choose(detect(ENVIRONMENTS["vte"]))
    assert (explicit.enter, explicit.leave) == (
        BDSM_EXPLICIT + SCP_LTR,
        BDSM_IMPLICIT + SCP_DEFAULT,
    )
    assert (explicit.enter, explicit.leave) == ("\x1b[8l\x1b[1 k", "\x1b[8h\x1b[0 k")
    mlterm = choose(detect(ENVIRONMENTS["mlterm"]))
    assert (mlterm.enter, mlterm.leave) == (MLTERM_CTL_OFF, MLTERM_CTL_ON)
    for name in ("konsole", "kitty"):
        choice = choose(detect(ENVIRONMENTS[name]))
        assert choice.enter == choice.leave == "" and not choice.warning


def test_overrides_need_no_detection() -> None:
    kitty = detect(ENVIRONMENTS["kitty"])
    assert choose(kitty, "app").strategy is Strategy.EXPLICIT
    terminal = choose(kitty, "terminal")
    assert terminal.strategy is Strategy.TERMINAL and terminal.logical
    assert terminal.enter == terminal.leave == ""


def test_terminals_with_no_known_strategy_say_so_and_name_the_way_out() -> None:
    apple = choose(detect(ENVIRONMENTS["apple-terminal"]))
    assert "reader serve" in apple.warning and "\n" not in apple.warning
    old = choose(detect({**ENVIRONMENTS["iterm2"], "TERM_PROGRAM_VERSION": "3.5.11"}))
    assert not old.warning  # its right-to-left support is off by default before 3.7
    new = choose(detect({**ENVIRONMENTS["iterm2"], "TERM_PROGRAM_VERSION": "3.7.0"}))
    assert "Experimental" in new.warning and "reader serve" in new.warning


def test_user_settings_that_turn_the_terminals_own_bidi_off(tmp_path: Path) -> None:
    (tmp_path / ".mlterm").mkdir()
    (tmp_path / ".mlterm" / "main").write_text("fontsize = 12\nuse_ctl = false\n")
    found = read_settings(detect(ENVIRONMENTS["mlterm"]), {}, tmp_path)
    assert found.setting("mlterm use_ctl") == "false"
    assert choose(found).strategy is Strategy.EXPLICIT
    conf = tmp_path / "config" / "kitty"
    conf.mkdir(parents=True)
    (conf / "kitty.conf").write_text("# force_ltr no\nfont_size 12\nforce_ltr yes\n")
    env = {**ENVIRONMENTS["kitty"], "XDG_CONFIG_HOME": str(tmp_path / "config")}
    found = read_settings(detect(env), env, tmp_path)
    assert found.setting("kitty force_ltr") == "yes"
    assert choose(found).strategy is Strategy.EXPLICIT
    assert any(e.source == "config" for e in found.evidence)
    # No file, or the setting commented out: the defaults stand.
    (conf / "kitty.conf").write_text("# force_ltr yes\n")
    assert choose(read_settings(detect(env), env, tmp_path)).strategy is Strategy.SHAPER
    assert choose(read_settings(detect(ENVIRONMENTS["mlterm"]), {}, tmp_path / "x")).strategy is (
        Strategy.MLTERM
    )


def test_konsoles_profile_with_bidi_rendering_off(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "konsolerc").write_text(
        "[Desktop Entry]\nDefaultProfile=Plain.profile\n"
    )
    profiles = tmp_path / "data" / "konsole"
    profiles.mkdir(parents=True)
    (profiles / "Plain.profile").write_text(
        "[General]\nName=Plain\n\n[Terminal Features]\nBidiRenderingEnabled=false\n"
    )
    env = {
        **ENVIRONMENTS["konsole"],
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    found = read_settings(detect(env), env, tmp_path)
    assert found.setting("konsole BidiRenderingEnabled") == "false"
    assert choose(found).strategy is Strategy.EXPLICIT
    # The default profile left as it is (bidi on): the marks.
    (profiles / "Plain.profile").write_text("[General]\nName=Plain\n")
    assert choose(read_settings(detect(env), env, tmp_path)).strategy is Strategy.MARKS
