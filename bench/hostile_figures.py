"""Issues 6 and 12 figures: hostile inputs tried, crashes, escape bytes through, losses.

    python bench/hostile_figures.py [--examples N] [--no-terminal]

Runs the hostile suite's generators (tests/hostile/) outside pytest and *counts* instead
of asserting, so the closing notes of issues 6 and 12 can quote them. Every figure but the
"tried" ones is expected to be zero. Deterministic: Hypothesis runs derandomized.
Issue 12 added: runs of combining marks (Python lines a longer run adds, marks drawn per
cell), theme colours from arbitrary strings, deep nesting in every parser, hostile paths in
every export format, and non-regular ``-o`` targets.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))  # this checkout, not whatever an editable install points at

from hostile import strategies as hs  # noqa: E402
from hostile import test_fuzz as fuzz  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reader.corpus import Document, decode_bytes  # noqa: E402
from reader.errors import DocumentError  # noqa: E402
from reader.export import ExportData  # noqa: E402
from reader.layout import BidiMode, layout_paragraph  # noqa: E402
from reader.store import Store  # noqa: E402

figures: Counter[str] = Counter(
    dict.fromkeys(
        [
            "decode: crashes",
            "layout: crashes",
            "layout: invariant violations",
            "store: crashes",
            "export: crashes",
            "marks: crashes",
            "colours: crashes",
            "nesting: crashes",
            "paths: crashes",
            "targets: crashes",
            "colours: undrawable colours accepted",
            "paths: outputs where a path left its place",
            "marks: Python lines a longer run added (over 40)",
            "marks: cells drawing more than 30 marks",
            "targets: nodes replaced",
            "targets: tracebacks",
        ],
        0,
    )
)
first_errors: dict[str, str] = {}


def _crash(kind: str) -> None:
    figures[f"{kind}: crashes"] += 1
    first_errors.setdefault(kind, traceback.format_exc(limit=3))


def decoding(n: int) -> None:
    @hs.fuzz_settings(n)
    @given(st.binary(max_size=400))
    def run(data: bytes) -> None:
        figures["decode: byte strings tried"] += 1
        try:
            decode_bytes(data)
        except DocumentError:
            figures["decode: refused with a reason"] += 1
        except Exception:
            _crash("decode")

    run()


def layout(n: int) -> None:
    @hs.fuzz_settings(n)
    @given(hs.hostile_paragraph, st.integers(0, 100), st.sampled_from(list(BidiMode)))
    def run(text: str, width: int, mode: BidiMode) -> None:
        figures["layout: paragraphs × widths tried"] += 1
        try:
            lines = layout_paragraph(text, width, mode)
        except Exception:
            _crash("layout")
            return
        for line in lines:
            try:
                fuzz._check_line(line, len(text), width, mode)
            except AssertionError:
                figures["layout: invariant violations"] += 1
            leaked = sum(bool(fuzz._UNDRAWABLE.search(c.text)) for c in line.cells)
            figures["layout: cells with a raw control"] += leaked

    run()


def store_and_exports(n: int) -> None:
    @hs.fuzz_settings(n)
    @given(hs.hostile_text, hs.doc_names, st.lists(fuzz.store_op, min_size=1, max_size=10))
    def run(text: str, rel: str, ops: list[tuple[object, ...]]) -> None:
        if not text:
            return
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "store"
            doc = Document(Path(tmp) / "doc.txt", rel, text, "utf-8", len(text))
            model: fuzz.Model = {}
            try:
                store = Store(root, "figures")
                for op in ops:
                    fuzz._apply(store, doc, model, op)
                store.close()
                again = Store(root, "figures")
                read = fuzz._state(again, rel)
                anns = list(again.all_annotations())
                again.close()
            except Exception:
                _crash("store")
                return
            figures["store: edits applied"] += len(ops)
            figures["store: annotations held after the edits"] += len(model)
            lost = sum(1 for k, v in model.items() if read.get(k) != v)
            figures["store: annotations lost or changed on reload"] += lost
            try:
                outputs = fuzz._export_all(ExportData(anns, again.themes, {rel: doc}))
            except Exception:
                _crash("export")
                return
            figures["export: documents exported in every format"] += 1
            for fmt in ("md", "html", "csv", "csv-excel"):
                body = outputs[fmt].replace("\r\n", "\n")
                figures["export: raw controls in md/html/csv"] += len(
                    fuzz._RAW_CONTROL.findall(body)
                )
            figures["export: <script> tags in html"] += len(
                re.findall("<script", outputs["html"], re.I)
            )

    run()


def mark_runs(n: int) -> None:
    from hostile import test_mark_runs as marks

    @hs.fuzz_settings(n)
    @given(st.sampled_from(marks.BASES), st.sampled_from(list(marks.MARKS)), st.integers(1, 10**5))
    def run(base: str, mark: str, length: int) -> None:
        figures["marks: runs laid out (up to 100,000 marks)"] += 1
        try:
            long = marks.lines_run(base + mark * length + " هنا", BidiMode.APP, 80)
            short = marks.lines_run(base + mark * 60 + " هنا", BidiMode.APP, 80)
            lines = layout_paragraph(base + mark * length, 80)
        except Exception:
            _crash("marks")
            return
        figures["marks: Python lines a longer run added (over 40)"] += max(0, long - short - 40)
        cells = [c for line in lines[:30] for c in line.cells]
        too_many = sum(len(c.text) > 1 + marks.MAX_DRAWN_MARKS + 4 for c in cells)
        figures["marks: cells drawing more than 30 marks"] += too_many

    run()


def colours(n: int) -> None:
    from hostile import test_theme_colours as colour

    from reader.errors import StoreError
    from reader.store import load_themes

    @hs.fuzz_settings(n)
    @given(st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40))
    def run(text: str) -> None:
        figures["colours: strings tried"] += 1
        with tempfile.TemporaryDirectory() as tmp:
            colour.theme_file(Path(tmp), text)
            try:
                one = load_themes(Path(tmp)).get("one")
            except StoreError:
                return
            except Exception:
                _crash("colours")
                return
            try:
                assert one is not None and colour.drawable(one.color)
            except Exception:
                figures["colours: undrawable colours accepted"] += 1

    run()


def nesting(n: int) -> None:
    from hostile import test_deep_nesting as deep

    from reader.errors import ReaderError
    from reader.export import importer
    from reader.store import load_themes
    from reader.ui.keymap import load_keymap

    @hs.fuzz_settings(n)
    @given(
        deep.DEPTHS, st.sampled_from(list(deep.TOML_OPEN)), st.sampled_from(list(deep.JSON_OPEN))
    )
    def run(depth: int, toml_shape: str, json_shape: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "themes.toml").write_text(deep.deep_toml("theme", depth, toml_shape))
            (root / "keymap.toml").write_text(deep.deep_toml("x", depth, toml_shape))
            (root / "in.json").write_text(deep.deep_json(depth, json_shape))
            for parse in (load_themes, load_keymap, lambda r: importer.parse(r / "in.json")):
                figures["nesting: files parsed (themes, keymap, import)"] += 1
                try:
                    parse(root)
                except ReaderError:
                    figures["nesting: refused in one line"] += 1
                except Exception:
                    _crash("nesting")

    run()


def paths(n: int) -> None:
    from hostile import test_export_paths as hostile_paths

    @hs.fuzz_settings(n)
    @given(st.lists(hostile_paths.hostile_rel, min_size=1, max_size=3, unique=True))
    def run(rels: list[str]) -> None:
        figures["paths: hostile paths exported in every format"] += len(rels)
        try:
            hostile_paths.check_every_format(rels, "analyst")
        except AssertionError:
            figures["paths: outputs where a path left its place"] += 1
        except Exception:
            _crash("paths")

    run()


def targets() -> None:
    """``reader export -o`` at a FIFO, a link, a socket, a dangling link: nodes replaced."""
    import os
    import socket
    import stat
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        doc = root / "doc.txt"
        doc.write_text("بسم الله الرحمن الرحيم\n", "utf-8")
        from reader.corpus import read_document

        Store(root / "store", "figures").add(read_document(doc), 0, 3, ["arms"])
        os.mkfifo(root / "fifo")
        (root / "file").write_text("x")
        (root / "link").symlink_to(root / "file")
        (root / "dangling").symlink_to(root / "nowhere")
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(root / "socket"))
        try:
            for name in ("fifo", "link", "dangling", "socket"):
                before = os.lstat(root / name)
                argv = [sys.executable, "-m", "reader", "export", "-f", "json", "--store"]
                argv += [str(root / "store"), "-o", str(root / name), "--force"]
                try:
                    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
                except Exception:
                    _crash("targets")
                    continue
                after = os.lstat(root / name)
                figures["targets: non-regular -o targets tried"] += 1
                changed = stat.S_IFMT(after.st_mode) != stat.S_IFMT(before.st_mode)
                figures["targets: nodes replaced"] += changed or after.st_ino != before.st_ino
                figures["targets: tracebacks"] += "Traceback" in done.stderr
        finally:
            sock.close()


def terminal() -> None:
    """The tmux scenarios of test_terminal_escapes.py: count what got through."""
    from hostile import vt
    from hostile.fixtures import BARE_BODIES, all_markers, escape_document
    from hostile.test_terminal_escapes import VISIBLE, Step, Tmux

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        doc = root / "corpus" / "escapes.txt"
        doc.parent.mkdir()
        doc.write_text(escape_document(), "utf-8")
        store = str(root / "store")
        runs = {
            "show app": (["show", str(doc), "--width", "120"], [], (), ()),
            "show terminal": (["show", str(doc), "--bidi", "terminal"], [], (), ()),
            "app open": (
                ["open", str(doc), "--store", store],
                VISIBLE[:1],
                (Step(("Down",), VISIBLE[1:], repeat=True),),
                ("C-q",),
            ),
            "app library": ([str(doc.parent), "--store", store], ["HXTITLE"], (), ("C-q",)),
        }
        tmux = Tmux(root)
        try:
            for name, (argv, wait, steps, keys) in runs.items():
                run = tmux.run(name.replace(" ", "-"), argv, wait, keys, steps=steps)
                stream = run.stream
                figures["terminal: bytes written by the program"] += len(run.raw)
                figures["terminal: document sequences that got through"] += len(
                    vt.leaks(stream, all_markers())
                )
                figures["terminal: C1 controls written"] += len(vt.c1_controls(stream))
                figures["terminal: RIS/DECALN written"] += sum(
                    t.kind == "esc" and t.body in BARE_BODIES for t in vt.tokenize(stream)
                )
                figures["terminal: runs"] += 1
        finally:
            tmux.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=500, help="examples per generator")
    parser.add_argument("--no-terminal", action="store_true", help="skip the tmux runs")
    args = parser.parse_args()
    decoding(args.examples * 2)
    layout(args.examples * 2)
    store_and_exports(args.examples // 3)
    mark_runs(max(5, args.examples // 50))
    colours(args.examples)
    nesting(max(5, args.examples // 25))
    paths(max(5, args.examples // 10))
    targets()
    if not args.no_terminal:
        terminal()
    out = io.StringIO()
    width = max(map(len, figures))
    for key in sorted(figures):
        out.write(f"{key:<{width}}  {figures[key]:>9}\n")
    for kind, error in first_errors.items():
        out.write(f"\nfirst {kind} crash:\n{error}")
    print(out.getvalue(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
