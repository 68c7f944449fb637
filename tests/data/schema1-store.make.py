# How tests/data/schema1-store was made: this script, run with the code of main at
# commit 6fcb295 (schema 1, the last one-file-per-document layout):
#   PYTHONPATH=<checkout of 6fcb295> python3 schema1-store.make.py tests/data/schema1-store
# then .lock removed. (Run with later code, it makes a store of that code's schema.)
"""Make tests/data/schema1-store: a schema-1 store written by reader's own code (main, 6fcb295)."""
import shutil, sys
from pathlib import Path
from reader.corpus import read_document
from reader.store import Store

out = Path(sys.argv[1])
shutil.rmtree(out, ignore_errors=True)
seeds = Path(__file__).resolve().parents[2] / "seeds"
docs = [read_document(p, seeds) for p in sorted(seeds.glob("*.txt"))[:3]]
themes_toml = """[[theme]]
key = "arms"
label_en = "Arms"
label_ar = "الأسلحة"
color = "#e4572e"
digit = "1"

[[theme]]
key = "troops"
label_en = "Troops"
label_ar = "القوات"
color = "#2e86de"
digit = "2"

[[theme]]
key = "china"
label_en = "China's role"
label_ar = "دور الصين"
color = "#17a589"
digit = "4"
"""
out.mkdir(parents=True)
(out / "themes.toml").write_text(themes_toml, "utf-8")
a = Store(out, "analyst A")
b = Store(out, "باحث ب")
for i, doc in enumerate(docs):
    sentences = list(doc.all_sentences())
    for j, s in enumerate(sentences[: 4 + i]):
        mine = a.add(doc, s.start, s.end, ["arms"] if j % 2 else ["troops", "china"], note="" if j % 3 else f"ملاحظة {j}")
        if j == 1:
            a.toggle_theme(doc, s.start, s.end, "china")
        if j % 2 == 0:
            b.toggle_theme(doc, s.start, s.end, "arms")
    b.add(doc, sentences[-1].start, sentences[-1].end, ["china"], note="line\nbreak \u202eRLO \x1b[31m")
    b.edit(mine.id, note="B's explicit edit")
gone = a.add(docs[0], 0, 5, ["arms"])
a.delete(gone.id)
a.close(); b.close()
