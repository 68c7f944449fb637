"""The exchange exports: qdpx against the REFI-QDA schema, brat through an independent
parser (bratly), CoNLL, doccano and Label Studio offsets against the text."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_support import NS, read_qdpx
from export_support import HOSTILE, SEED_A, build_store, load_data

from reader.corpus import Document
from reader.exchange.brat_out import escape_note
from reader.exchange.ids import guid
from reader.export import export_to_path, write
from reader.export.records import ExportData
from reader.store import Annotation, default_themes
from reader.store.model import context


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportData, Path, Path]:
    store_dir, corpus = build_store(tmp_path_factory.mktemp("fixed"))
    return load_data(store_dir, corpus), store_dir, corpus


def _placeable(data: ExportData) -> list[Annotation]:
    return [a for a in data.annotations if a.doc in data.documents and a.status != "orphaned"]


def test_qdpx_validates_and_every_selection_slices_its_source_to_the_quote(
    fixed: tuple[ExportData, Path, Path], tmp_path: Path
) -> None:
    data = fixed[0]
    warnings = export_to_path("qdpx", data, tmp_path / "p.qdpx")
    assert len(warnings) == 2  # the orphan, and the passage of the missing document
    root, members = read_qdpx(tmp_path / "p.qdpx")  # validated against Project.xsd
    by_id = {a.id: a for a in data.annotations}
    seen = set()
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath", "")
        assert path == f"internal://{source.get('guid')}.txt"
        raw = members["sources/" + path.removeprefix("internal://")]
        assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
        text = raw.decode("utf-8")
        assert text == data.documents[source.get("name", "")].text
        for sel in source.iterfind("q:PlainTextSelection", NS):
            ann = by_id[sel.get("guid", "")]  # the selection's GUID is the passage's id
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            assert text[start:end] == ann.quote
            assert (start, end) == (ann.start, ann.end)
            codes = [c.get("targetGUID") for c in sel.iterfind("q:Coding/q:CodeRef", NS)]
            assert codes == [guid("code", key) for key in ann.themes]
            seen.add(ann.id)
    assert seen == {a.id for a in _placeable(data)}
    for element in root.iter():
        for name in ("guid", "targetGUID", "creatingUser", "modifyingUser"):
            value = element.get(name)
            assert value is None or value == value.lower()


def test_qdpx_codebook_users_and_notes(
    fixed: tuple[ExportData, Path, Path], tmp_path: Path
) -> None:
    data = fixed[0]
    export_to_path("qdpx", data, tmp_path / "p.qdpx")
    root, members = read_qdpx(tmp_path / "p.qdpx")
    codes = {c.get("name"): c for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS)}
    sanctions = codes["Sanctions"]
    assert sanctions.get("color") == "#ff8700"  # "dark_orange" in themes.toml, as #rrggbb
    assert sanctions.findtext("q:Description", "", NS) == "العقوبات\nreader theme: sanctions"
    users = {u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert users == {"analyst", "other"}
    notes = {n.get("guid"): n for n in root.iterfind("q:Notes/q:Note", NS)}
    for sel in root.iterfind(".//q:PlainTextSelection", NS):
        ann = next(a for a in data.annotations if a.id == sel.get("guid"))
        refs = [r.get("targetGUID") for r in sel.iterfind("q:NoteRef", NS)]
        if not ann.note:
            assert refs == [] and sel.find("q:Description", NS) is None
            continue
        note = notes[refs[0]]
        content = note.findtext("q:PlainTextContent", None, NS)
        if content is None:  # a note XML cannot hold: its exact text in a file of its own
            assert "\x1b" in ann.note
            content = members["sources/" + note.get("plainTextPath", "")[11:]].decode()
            assert sel.findtext("q:Description", "", NS) == ann.note.replace("\x1b", "␛")
        else:
            assert sel.findtext("q:Description", "", NS) == ann.note
        assert content == ann.note


def test_qdpx_of_hostile_text_still_validates(tmp_path: Path) -> None:
    text = "عنوان\x00 \x01\x08\x0b\x0c\x0e\x1f \ufffe\uffff \ud800 <&>\"' \r نهاية 🙂\n"
    doc = Document(tmp_path / "h.txt", "dir/h<&>\x1b.txt", text, "utf-8", len(text))
    quote, prefix, suffix = context(text, 0, len(text) - 1)
    ann = Annotation(
        id="not-a-uuid\x07", doc=doc.rel, doc_sha256=doc.sha256, start=0, end=len(text) - 1,
        quote=quote, prefix=prefix, suffix=suffix, themes=["arms"], note="\x02<&>\ud800\r",
        annotator="\x1b]52;x\x07", created="yesterday", updated="2026-01-01T00:00:00Z",
    )  # fmt: skip
    data = ExportData([ann], default_themes(), {doc.rel: doc})
    export_to_path("qdpx", data, tmp_path / "h.qdpx")
    root, members = read_qdpx(tmp_path / "h.qdpx")
    (sel,) = root.iterfind(".//q:PlainTextSelection", NS)
    assert sel.get("guid") == guid("annotation", ann.id)  # not a UUID: derived from it
    assert sel.get("creationDateTime") is None  # "yesterday" is no xsd:dateTime
    source = members[f"sources/{guid('source', doc.rel)}.txt"]
    # everything kept but the lone surrogate, which UTF-8 cannot hold: U+FFFD, one for one
    assert source.decode("utf-8") == text.replace("\ud800", "\ufffd")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # bratly's pydantic v1-style config
def test_brat_read_back_by_an_independent_parser(
    fixed: tuple[ExportData, Path, Path], tmp_path: Path
) -> None:
    from bratly.io import read_document_collection_from_folder

    data = fixed[0]
    export_to_path("brat", data, tmp_path / "brat")
    collection = read_document_collection_from_folder(
        str(tmp_path / "brat"), no_duplicates_ann=False, renumerotize_ann=False
    )
    assert collection is not None
    seen: dict[str, tuple[list[tuple[int, int]], set[str], str]] = {}
    for document in collection.documents:
        text = data.documents[document.filename_without_ext + ".txt"].text
        entities = {e.id: e for e in document.annotation_collections[0].get_annotations()
                    if type(e).__name__ == "EntityAnnotation"}  # fmt: skip
        notes = [n for n in document.annotation_collections[0].get_annotations()
                 if type(n).__name__ == "NoteAnnotation"]  # fmt: skip
        meta = {n.component.id: json.loads(n.value) for n in notes if n.label == "ReaderMeta"}
        said = {n.component.id: n.value for n in notes if n.label == "AnnotatorNotes"}
        for tid, entity in entities.items():
            ann_id = meta[tid]["id"]
            frags = [(f.start, f.end) for f in entity.fragments]
            assert entity.content == " ".join(text[s:e] for s, e in frags)
            spans, themes, note = seen.setdefault(ann_id, (frags, set(), ""))
            assert spans == frags
            themes.add(entity.label)
            if tid in said:
                seen[ann_id] = (spans, themes, said[tid])
    placeable = _placeable(data)
    assert set(seen) == {a.id for a in placeable}
    for ann in placeable:
        frags, themes, note = seen[ann.id]
        assert (frags[0][0], frags[-1][1]) == (ann.start, ann.end)
        assert "".join(data.documents[ann.doc].text[s:e] for s, e in frags) == "".join(
            ch for ch in ann.quote if ch not in "\n\t\x85"
        )
        assert themes == set(ann.themes)
        assert note == escape_note(ann.note)
    cross = next(a for a in placeable if "\n" in a.quote)
    assert len(seen[cross.id][0]) == 2  # a passage over two paragraphs: two fragments
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    assert conf.split("[entities]\n")[1].split("\n\n")[0].split() == [
        "arms", "troops", "sanctions", "china", "economy"
    ]  # fmt: skip


def test_brat_notes_escape_to_one_line() -> None:
    assert escape_note("a\\b\nc\td\u2028") == "a\\\\b\\nc\\td\\u2028"


def test_conll_columns_tokens_and_overlapping_themes(fixed: tuple[ExportData, Path, Path]) -> None:
    data = fixed[0]
    out = io.StringIO()
    write("conll", data, out)
    blocks = out.getvalue().split("# doc = ")[1:]
    assert [b.split("\n", 1)[0] for b in blocks] == [SEED_A, "001_7a27a54a086accf8.txt", HOSTILE]
    for block in blocks:
        rel, who, header, *lines = block.rstrip("\n").split("\n")
        # Whose passages the tags come from.
        names = {a.annotator for a in data.annotations if a.doc == rel}
        assert who.startswith("# annotators = ") and set(who[15:].split()) <= names
        assert who[15:]
        assert header == "# columns = token start end arms troops sanctions china economy"
        text = data.documents[rel].text
        rows = [line.split("\t") for line in lines if line]
        assert all(text[int(r[1]) : int(r[2])] == r[0] for r in rows)
        assert all(len(r) == 8 for r in rows)
        if rel == SEED_A:  # "كوريا الشمالية": arms and china, each in its own column
            korea = [r for r in rows if r[1] in ("406", "412")]
            assert [r[3:] for r in korea] == [
                ["B-arms", "O", "O", "B-china", "O"],
                ["I-arms", "O", "O", "I-china", "O"],
            ]
        if rel == "001_7a27a54a086accf8.txt":  # troops and sanctions overlap
            both = [r for r in rows if r[4] != "O" and r[5] != "O"]
            assert both and both[0][4] == "I-troops" and both[0][5] == "B-sanctions"
    assert "" in out.getvalue().split("\n")[4:]  # sentences are separated by blank lines


def test_doccano_labels_slice_the_text(fixed: tuple[ExportData, Path, Path]) -> None:
    data = fixed[0]
    out = io.StringIO()
    write("doccano", data, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    for line in lines:
        record = json.loads(line)
        text = record["text"]
        assert text == data.documents[record["doc"]].text
        for start, end, key in record["label"]:
            ann = next(a for a in record["annotations"] if (a["start"], a["end"]) == (start, end))
            assert key in ann["themes"]
            assert text[start:end] == next(a.quote for a in data.annotations if a.id == ann["id"])


def test_labelstudio_offsets_are_utf16_code_units(tmp_path: Path) -> None:
    text = "𝕏 🙂 قبل\nكوريا الشمالية 🇸🇾 بعد"
    doc = Document(tmp_path / "a.txt", "a.txt", text, "utf-8", len(text))
    start = text.index("كوريا")
    end = text.index(" بعد")
    quote, prefix, suffix = context(text, start, end)
    ann = Annotation(
        id="00000000-0000-4000-8000-0000000000aa", doc="a.txt", doc_sha256=doc.sha256,
        start=start, end=end, quote=quote, prefix=prefix, suffix=suffix, themes=["arms", "china"],
        note="ملاحظة", annotator="analyst", created="2026-11-01T10:00:00.000Z",
        updated="2026-11-01T10:00:00.000Z",
    )  # fmt: skip
    out = io.StringIO()
    write("labelstudio", ExportData([ann], default_themes(), {"a.txt": doc}), out)
    (task,) = json.loads(out.getvalue())
    (annotation,) = task["annotations"]
    region, note = annotation["result"]
    value = region["value"]
    units = task["data"]["text"].encode("utf-16-le")
    # JavaScript's text.slice(start, end), which is what Label Studio does:
    assert units[2 * value["start"] : 2 * value["end"]].decode("utf-16-le") == quote
    assert value["start"] == start + 2  # 𝕏 and 🙂 are two units each; 🇸🇾 comes after
    assert value["end"] - value["start"] == len(quote.encode("utf-16-le")) // 2 == end - start + 2
    assert value["labels"] == ["arms", "china"] and value["text"] == quote
    assert note["type"] == "textarea" and note["value"]["text"] == ["ملاحظة"]
    assert note["id"] == region["id"] == ann.id
    assert annotation["completed_by"] == {"username": "analyst"}


def test_cli_needs_a_path_for_a_zip_or_folder(
    fixed: tuple[ExportData, Path, Path], tmp_path: Path
) -> None:
    _, store_dir, corpus = fixed
    base = [sys.executable, "-m", "reader", "export", "--store", str(store_dir),
            "--corpus", str(corpus)]  # fmt: skip
    run = subprocess.run([*base, "-f", "qdpx"], capture_output=True, text=True)
    assert run.returncode == 2 and "give it with -o" in run.stderr
    assert run.stderr.count("\n") == 1
    run = subprocess.run([*base, "-f", "brat", "-o", str(tmp_path / "b")], capture_output=True,
                         text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "b" / "annotation.conf").exists()
    assert "orphaned passage(s) left out" in run.stderr
    run = subprocess.run([*base, "-f", "brat", "-o", str(tmp_path / "b")], capture_output=True,
                         text=True)  # fmt: skip
    assert run.returncode == 2 and "already exists" in run.stderr
    run = subprocess.run([*base, "-f", "brat", "-o", str(tmp_path / "b"), "--force"],
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]  # nothing left beside it
