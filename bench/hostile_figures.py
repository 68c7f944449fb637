"""Issue 6 figures: hostile inputs tried, crashes, escape bytes through, annotations lost.

    python bench/hostile_figures.py [--examples N] [--no-terminal]

Runs the hostile suite's generators (tests/hostile/) outside pytest and *counts* instead
of asserting, so the closing note of issue 6 can quote them. Every figure but the
"tried" ones is expected to be zero. Deterministic: Hypothesis runs derandomized.
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
            figures["export: documents exported in 7 formats"] += 1
            for fmt in ("md", "html", "csv", "csv-excel"):
                body = outputs[fmt].replace("\r\n", "\n")
                figures["export: raw controls in md/html/csv"] += len(
                    fuzz._RAW_CONTROL.findall(body)
                )
            figures["export: <script> tags in html"] += len(
                re.findall("<script", outputs["html"], re.I)
            )

    run()


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
