"""A fixed store for the export tests: known documents, known annotations, fixed ids and times.

The corpus is two seeds plus a hostile document (markup, an OSC 52 escape, a
right-to-left override, C1 controls); the annotations cover one theme, several
themes, a passage across two paragraphs, overlapping passages, notes with
markup and formula-like text, an orphan, an unknown theme key and a document
missing from the corpus. They are written through the real store
(:meth:`reader.store.Store.put`), so the tests read what a user's store holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.corpus import Document, read_document
from reader.export.gather import gather
from reader.export.records import ExportData
from reader.export.sources import Corpus
from reader.store import Annotation, Store
from reader.store.model import context

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_A = "000_0430b5cc33e0e526.txt"
SEED_B = "001_7a27a54a086accf8.txt"
HOSTILE = "hostile.txt"
HOSTILE_TEXT = (
    "عنوان <script>alert('x')</script> & تجربة\n"
    "\n"
    "نص فيه \x1b]52;c;aGFjaw==\x07 تسلسل هروب و\u202eمعكوس\u202c و\x85 تحكم.\n"
    "سطر أخير عن الصين.\n"
)
T1, T2 = "2026-11-01T10:00:00.000Z", "2026-11-02T11:30:00.000Z"


def build_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in (SEED_A, SEED_B):
        shutil.copyfile(SEEDS / name, folder / name)
    (folder / HOSTILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    return folder


def _at(doc: Document, quote: str, occurrence: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence):
        pos = doc.text.index(quote, pos + 1)
    return pos, pos + len(quote)


def _ann(
    n: int, doc: Document, span: tuple[int, int], themes: list[str], note: str = "", **kw: str
) -> Annotation:
    quote, prefix, suffix = context(doc.text, *span)
    return Annotation(
        id=f"00000000-0000-4000-8000-{n:012d}", doc=doc.rel, doc_sha256=doc.sha256,
        start=span[0], end=span[1], quote=quote, prefix=prefix, suffix=suffix,
        themes=themes, note=note, annotator=kw.get("annotator", "analyst"),
        created=T1, updated=kw.get("updated", T1), status=kw.get("status", "anchored"),
    )  # fmt: skip


def fixed_annotations(corpus: Path) -> list[Annotation]:
    a = read_document(corpus / SEED_A, corpus)
    b = read_document(corpus / SEED_B, corpus)
    h = read_document(corpus / HOSTILE, corpus)
    para_a = a.paragraph(2)
    b_start = b.text.index("ورغم أن روسيا تعارض تشديد العقوبات")
    b_end = b.text.index("\n", b_start)
    cross = (b.text.rindex("\n\n", 0, b_start) - 40, b_start + 30)
    orphan = Annotation(
        id="00000000-0000-4000-8000-000000000006", doc=a.rel, doc_sha256="0" * 64,
        start=10, end=30, quote="نص لم يعد في الوثيقة", prefix="", suffix="",
        themes=["arms"], note="", annotator="analyst", created=T1, updated=T1, status="orphaned",
    )  # fmt: skip
    missing = Annotation(
        id="00000000-0000-4000-8000-000000000009", doc="missing.txt", doc_sha256="f" * 64,
        start=0, end=5, quote="مفقود", prefix="", suffix=" هنا", themes=["troops"],
        note="", annotator="other", created=T1, updated=T2, status="anchored",
    )  # fmt: skip
    return [
        _ann(1, a, (para_a.start, para_a.end), ["arms"]),
        _ann(2, a, _at(a, "كوريا الشمالية", 2), ["arms", "china"], "ملاحظة: دور الصين\nسطر ثان"),
        _ann(3, b, (b_start, b_end), ["sanctions"], '=HYPERLINK("http://x","y")', updated=T2),
        _ann(4, b, cross, ["troops"], "-2+3"),
        _ann(5, h, _at(h, "<script>alert('x')</script>"), ["china"], "<b>bold</b> & \x1b[31mred"),
        orphan,
        _ann(7, h, _at(h, "تسلسل هروب و\u202eمعكوس"), ["economy"], "@SUM(A1)", annotator="other"),
        _ann(8, h, _at(h, "\x1b]52;c;aGFjaw==\x07"), ["arms", "troops"], "escape"),
        missing,
    ]


#: Themes of the fixed store, written to its themes.toml so that the golden files do
#: not change when the shipped lexicons are tuned. One colour is a name (Rich's table).
THEMES_TOML = """
[[theme]]
key = "arms"
label_en = "Arms"
label_ar = "الأسلحة"
color = "#e4572e"
digit = "1"
terms = ["سلاح", "صواريخ"]

[[theme]]
key = "troops"
label_en = "Troops"
label_ar = "القوات"
color = "#2e86de"
digit = "2"
terms = ["جنود"]

[[theme]]
key = "sanctions"
label_en = "Sanctions"
label_ar = "العقوبات"
color = "dark_orange"
digit = "3"
terms = ["عقوبات"]

[[theme]]
key = "china"
label_en = "China's role"
label_ar = "دور الصين"
color = "#17a589"
digit = "4"
terms = ["الصين", "بكين"]
"""


def build_store(tmp: Path) -> tuple[Path, Path]:
    """A store under ``tmp/annotations`` and its corpus under ``tmp/corpus``."""
    corpus = build_corpus(tmp / "corpus")
    store_dir = tmp / "annotations"
    store_dir.mkdir(parents=True)
    (store_dir / "themes.toml").write_text(THEMES_TOML, encoding="utf-8")
    store = Store(store_dir, "analyst")
    try:
        # The record with an unknown theme makes its document read-only once written
        # (as on reload): write it last, as reader import does.
        fixed = fixed_annotations(corpus)
        for ann in sorted(fixed, key=lambda a: any(k not in store.themes for k in a.themes)):
            store.put(ann)
    finally:
        store.close()
    return store_dir, corpus


def load_data(store_dir: Path, corpus: Path, **filters: list[str]) -> ExportData:
    """What ``reader export`` would export from this store (read-only)."""
    store = Store(store_dir, read_only=True)
    try:
        return gather(store, Corpus.open([corpus]), **filters)
    finally:
        store.close()
